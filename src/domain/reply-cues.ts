/**
 * The classifier's phrase lists: cues for each reply class and the concept vocabularies that paired cues combine.
 * Data only: reply-features.ts turns each cue that fires into a feature of the trained model (classify.ts), which
 * learns how much each is worth; `w` is the weight the cue had in the hand-written classifier this replaced, kept
 * as documentation of how decisive it was meant to be.
 */
import type { ReplyClass } from "./reply-classes.js";
import { ES_CUES } from "./reply-cues-es.js";

export interface Cue {
  re: RegExp;
  /**
   * A second concept that must appear in the same sentence. Concept pairs ("declining to respond" + "broad")
   * generalise to new wording better than whole phrases do.
   */
  and?: RegExp;
  w: number;
  /** When true (the default for action classes) the cue is ignored inside a hedged sentence. */
  hedgeable?: boolean;
}

// Concept vocabularies for the paired cues.

/** Saying no: declining, not required, will not respond, cannot be honored, not subject to disclosure. */
const REFUSAL =
  /\b(?:declin(?:e|es|ed|ing) to (?:respond|provide|produce|answer|address)|cannot be honou?red|not subject to disclosure|will not (?:be )?(?:respond(?:ing)?|provid(?:e|ing)|produc(?:e|ing)|address(?:ing)?|answer(?:ing)?)|not (?:required|obligated) to|no further (?:response|action)|take no further action|unable to (?:provide|produce|honou?r|respond to|disclose)|not in a position to (?:provide|respond))\b/i;
/** A ground of the rule, in ordinary words. */
const GROUND =
  /\b(?:broad|burdensome|proprietary|confidential|privileged|duplicat\w*|same (?:dispute|error|issue|request|concern|question)|(?:already|previously) (?:responded|addressed|answered|resolved)|beyond the scope|irrelevant|not (?:directly )?related|untimely|more than (?:one|1) year|designated address|not a valid|business information|trade secrets?|internal (?:policies|procedures|guidelines|scripts|training|communications))\b/i;
/** More time. */
const MORE_TIME =
  /\b(?:extension|extend(?:ed|ing)?|additional time|more time|longer than (?:expected|anticipated)|another (?:15|fifteen)|(?:15|fifteen)[- ]day|delay(?:ed)?)\b/i;
/** A (new) date or period for the answer. */
const NEW_DEADLINE =
  /\b(?:respond|response|reply|answer)\w* (?:by|on or before|no later than)\b|\b(?:revised|new|updated|extended) (?:due|response) date\b|\b(?:15|fifteen)(?: \(15\))?(?: additional)? (?:business )?days\b|\b(?:15|fifteen)-day\b/i;
/** Needing or lacking something from the borrower. */
const NEED =
  /\b(?:we(?:'ll| will)? (?:still )?need|needs (?:these|this|them|the|a|your)|missing|still outstanding|(?:is|are|remains?) outstanding(?! balance)|(?:were|was) not (?:included|enclosed|received|signed|legible)|(?:have|has) not (?:yet )?(?:been )?received|did not (?:include|receive|sign)|incomplete|illegible|must (?:be )?(?:receive|provide|submit|sign)\w*)\b/i;
/** Things a borrower sends. */
const DOC_NOUN =
  /\b(?:documents?|documentation|copies|copy|pages?|statements?|pay ?stubs?|forms?|authori[sz]ation|declarations?|contracts?|agreements?|tax returns?|identification|proof|letters? of explanation|hardship (?:letter|statement|affidavit)|signatures?|certificates?|policy|policies|records)\b/i;

/** Refusals on a ground of 1024.35(g) / 1024.36(f). A named ground decides alone; plain refusal wording needs two cues. */
const EXCEPTION: Cue[] = [
  // duplicative
  { re: /\bsubstantially the same (?:error|information|request|issue|dispute|concern)s?\b/i, w: 4 },
  { re: /\bduplicat(?:ive|e request|e of)\b/i, w: 4 },
  // …or said in plain words: the same dispute again, nothing new, already answered (each supportive only)
  { re: /\b(?:this|the) (?:very )?same (?:dispute|error|issue|concern|request|complaint|question)\b/i, w: 2 },
  {
    re: /\bno new (?:and material )?(?:information|evidence)\b|\b(?:does not|did not) (?:include|provide|contain) any new\b/i,
    w: 2,
  },
  { re: /\b(?:already|previously) (?:responded|addressed|answered|resolved)\b/i, w: 2 },
  // overbroad / unduly burdensome
  { re: /\b(?:overbroad|overly broad|unduly burdensome)\b/i, w: 4 },
  // confidential, proprietary or privileged — only with a refusal, since e-mail footers say "may contain
  // confidential or privileged information" (that one is also hedged)
  {
    re: /\b(?:confidential|proprietary|privileged)\b[^.]{0,120}\b(?:not required to|unable to|will not|cannot|decline)\b|\b(?:not required to|unable to|will not|cannot|decline to) (?:provide|produce|disclose|release)\b[^.]{0,120}\b(?:confidential|proprietary|privileged)\b/i,
    w: 4,
  },
  // irrelevant
  { re: /\birrelevant\b|\bnot directly related to (?:the|your|the borrower's) (?:mortgage )?loan/i, w: 4 },
  {
    re: /\bbeyond the scope of\b|\b(?:does not|do not) relate to the servicing\b|\bnot related to the servicing\b/i,
    w: 3,
  },
  // untimely
  { re: /\buntimely\b|\bmore than (?:one|1) year after\b/i, w: 4 },
  // not a valid notice / not sent to the designated address
  {
    re: /\bnot (?:a valid|considered a|treated as a) (?:notice of error|request for information|qualified written request)\b|\bdoes not qualify as (?:a|an) (?:valid|qualified)\b|\bunable to treat your (?:letter|correspondence|request) as\b/i,
    w: 4,
  },
  {
    re: /\bnot (?:sent|mailed|delivered|addressed|received) (?:to|at) (?:the|our) (?:designated|exclusive)\b|\bnot the address (?:that )?we (?:have )?designated\b/i,
    w: 4,
  },
  // a refusal and a ground in the same sentence, however worded
  { re: REFUSAL, and: GROUND, w: 4 },
  // the rule's own citations for exceptions
  { re: /\b1024\.3[56]\s*\(\s*[fg]\s*\)/i, w: 3 },
  // generic refusal wording: supportive, not decisive on its own
  { re: /\bnot (?:required|obligated) to (?:comply|respond|provide|produce)\b/i, w: 2 },
  {
    re: /\bno further (?:response|responses|action) will be (?:provided|taken)\b|\btake no further action\b/i,
    w: 2,
  },
  { re: /\bwill not be (?:responding|providing|addressing)\b|\bdecline to (?:respond|provide)\b/i, w: 2 },
];

/** The servicer takes more time (1024.35(e)(3)(ii), 1024.36(d)(2)(ii)): stated as done, not as a possibility. */
const EXTENSION: Cue[] = [
  {
    re: /\b(?:are|is|have|has|had|we've) (?:hereby )?(?:extending|extended)\b|\b(?:extending|extended|extend) (?:the|our|its|your) (?:time|deadline|response|period)/i,
    w: 4,
  },
  { re: /\bextension of (?:the )?(?:time|response period|deadline)\b/i, w: 3 },
  // more time and a new date in the same sentence, however worded ("a 15-day extension … will respond by …")
  { re: MORE_TIME, and: NEW_DEADLINE, w: 3 },
  {
    re: /\b(?:need|needs|require|requires|required|needed) (?:some )?(?:additional|more|extra) time\b|\badditional time is (?:needed|required|necessary)\b/i,
    w: 3,
  },
  {
    re: /\b(?:additional|extra|another) (?:15|fifteen)(?: \(15\))? (?:business )?days\b|\b(?:15|fifteen)(?: \(15\))? additional (?:business )?days\b/i,
    w: 3,
  },
  { re: /\b1024\.35\s*\(e\)\s*\(3\)\s*\(ii\)|\b1024\.36\s*\(d\)\s*\(2\)\s*\(ii\)/i, w: 3 },
  { re: /\b(?:response|reply) will be delayed\b|\bnew (?:response|due) date\b/i, w: 3 },
  { re: /\bnot be able to (?:provide|send|complete) (?:a |our )?(?:complete |full |final )?response within\b/i, w: 2 },
  {
    re: /\b(?:unable|not able) to complete (?:our|the|its) (?:research|review|investigation)\b[^.]{0,40}\bwithin\b/i,
    w: 3,
  },
  {
    re: /\b(?:still|currently) (?:researching|reviewing|investigating)\b|\bresearch (?:is|remains) (?:still )?ongoing\b/i,
    w: 1,
  },
];

/** Asks the borrower for documents or information: imperative requests, incompleteness, missing items. */
const DOCUMENTS: Cue[] = [
  {
    re: /\b(?:please|pls|kindly)\b[^.]{0,40}\b(?:send|provide|submit|upload|return|fax|forward|sign|mail|email|e-mail|resend|re-send|resubmit|re-submit)\b/i,
    w: 2,
  },
  // an imperative without "please" at the start of a sentence: "Send these by May 2", "Upload your pay stubs"
  {
    re: /^(?:please )?(?:send|upload|provide|submit|fax|mail|return|resend|re-send|resubmit)\b(?: us)? (?:these|them|the (?:following|missing|remaining|requested|documents?|items?|forms?)|copies|clear copies|a copy|your|all|both)\b/i,
    w: 2,
  },
  {
    re: /\b(?:still )?need (?:a few|some|several|more|the following|a couple of)? ?(?:things|items|documents?|documentation|information) from you\b/i,
    w: 3,
  },
  { re: /\b(?:illegible|unreadable|not legible)\b/i, w: 2 },
  // a need or a lack, and something a borrower sends, in the same sentence
  { re: NEED, and: DOC_NOUN, w: 3 },
  {
    re: /\b(?:document|information) requests? (?:has|have) been (?:issued|sent|created)\b|\bsee what we need\b/i,
    w: 3,
  },
  { re: /\bcannot be (?:reviewed|evaluated|processed|completed)\b[^.]{0,20}\b(?:yet|until|because|without)\b/i, w: 2 },
  {
    re: /\b(?:send|provide|submit|upload|return|fax) (?:us )?(?:the following|these|all|a copy|copies|the missing|the remaining)\b/i,
    w: 2,
  },
  {
    re: /\bapplication (?:is|was|remains) (?:still )?incomplete\b|\bincomplete (?:loss mitigation |mortgage assistance )?application\b/i,
    w: 4,
  },
  {
    re: /\b(?:unable to|cannot|can't|will not be able to) (?:proceed|continue|complete|process|confirm|release)\b[^.]{0,80}\b(?:until|without|unless)\b/i,
    w: 3,
  },
  { re: /\bbefore we can (?:release|proceed|continue|process)\b/i, w: 2 },
  {
    re: /\b(?:is|are) missing (?:pages?|a signature|signatures|items?|documents?|information)\b|\bmissing (?:pages?|signature|items|documents|documentation)\b/i,
    w: 3,
  },
  {
    re: /\b(?:have not|haven't|did not) (?:yet )?received\b[^.]{0,60}\b(?:documents?|documentation|information|items|forms?)\b/i,
    w: 3,
  },
  {
    re: /\b(?:still outstanding|outstanding items|items? (?:are|is) (?:still )?(?:outstanding|needed|required))\b/i,
    w: 3,
  },
  {
    re: /\bwe (?:need|require|must receive|must have|must verify)\b[^.]{0,40}\b(?:documents?|documentation|information|a copy|copies|your identity|the following|items)\b/i,
    w: 3,
  },
  { re: /\b(?:action required|documents? (?:needed|required|requested)|documentation (?:needed|required))\b/i, w: 2 },
  { re: /\b(?:signed|completed)\b[^.]{0,30}\bauthorization\b|\bthird[- ]party authorization\b/i, w: 1 },
  { re: /\b1024\.41\s*\(b\)\s*\(2\)/i, w: 2 },
];

/** A substantive answer: research results, corrections, information provided or enclosed, a decision. */
const RESPONSE: Cue[] = [
  { re: /\b(?:we have|we've) completed (?:our|the) (?:research|review|investigation)\b/i, w: 3 },
  {
    re: /\b(?:determined|concluded|found|confirmed) that (?:no error|an error|the|your|a|there)\b|\bno error (?:has )?occurred\b/i,
    w: 3,
  },
  {
    re: /\b(?:has|have|was|were) been (?:reversed|corrected|refunded|credited|waived|removed|adjusted|applied|updated|reinstated)\b|\bwe (?:have )?(?:reversed|corrected|refunded|credited|waived|removed|adjusted)\b/i,
    w: 3,
  },
  {
    re: /\b(?:enclosed|attached) (?:is|are|please find|you will find)\b|\b(?:is|are) (?:enclosed|attached)\b|\battached to this (?:message|email|letter)\b|\bplease find (?:enclosed|attached)\b|\bsee (?:the )?(?:attached|enclosed)\b/i,
    w: 2,
  },
  {
    re: /\bas (?:you )?requested\b|\bper your request\b|\b(?:documents?|information|statement) you requested\b/i,
    w: 2,
  },
  {
    re: /\bwe are (?:providing|enclosing|sending you)\b|\b(?:included|enclosed) with this (?:letter|email|message)\b|\bhas been (?:sent|mailed|uploaded|e-?mailed) to you\b/i,
    w: 2,
  },
  { re: /\bwe agree that\b|\bshould not have been (?:charged|assessed|applied|reported)\b/i, w: 2 },
  {
    re: /\bin response to your\b|\bthis letter responds\b|\bresponses? to (?:each|your) (?:item|question|request)|\b(?:providing|provide you with) the following (?:information|responses?)\b/i,
    w: 2,
  },
  {
    re: /\bwe (?:have|'ve) (?:carefully )?reviewed your (?:account|request|notice|letter|concerns?|dispute|inquiry)\b/i,
    w: 1.5,
  },
  {
    re: /\bthe (?:owner|investor|holder|note holder|master servicer) of (?:your|the) (?:mortgage )?loan is\b|\b(?:your|the) (?:mortgage )?loan is (?:owned|held|serviced on behalf of) by\b/i,
    w: 3,
  },
  { re: /\bhere (?:is|are) (?:the|your)\b|\bi(?:'ve| have) attached\b|\bis as follows\b|\bare as follows\b/i, w: 2 },
  { re: /\b(?:total amount|amount needed|amount required) to pay ?off\b|\bpayoff (?:amount|figure) is\b/i, w: 2 },
  {
    re: /\b(?:principal balance|escrow balance|interest rate|interest paid)\b[^.]{0,40}\b(?:is|was|of)\b[^.]{0,20}(?:\$?\d|fixed)/i,
    w: 1.5,
  },
  { re: /\bwas applied (?:to|as)\b/i, w: 2 },
  {
    re: /\bour records (?:show|indicate|reflect|confirm)\b|\byour account reflects\b|\bafter reviewing your account\b/i,
    w: 1.5,
  },
  { re: /\bresulted from\b|\bwas (?:received|assessed|posted|paid) (?:on|after|before|in accordance)\b/i, w: 1 },
  {
    re: /\b(?:you have been|you are) approved\b|\bunable to offer you\b|\bnot approved\b|\bright to appeal\b|\b(?:trial period plan|loan modification) (?:offer|agreement) (?:is )?enclosed\b/i,
    w: 3,
  },
];

/** Confirms receipt only. Not hedgeable: acknowledgments are full of "will" and "please allow". */
const ACKNOWLEDGMENT: Cue[] = [
  {
    re: /\b(?:acknowledg(?:e|es|ing|ment of)|confirm(?:s|ing)?|confirmation of) (?:the )?receipt\b|\bthis is (?:a|an|to) (?:confirm|acknowledg)\w*/i,
    w: 3,
  },
  {
    re: /\b(?:we|we've|we have) (?:have )?rec(?:ei|ie)ved your (?:correspondence|letter|message|e-?mail|request|notice|qualified written request|qwr|rfi|inquiry|dispute|complaint|payoff request|secure message|submission|fax)/i,
    w: 2,
  },
  { re: /\byour (?:message|correspondence|request|letter|secure message) (?:has been|was) rec(?:ei|ie)ved\b/i, w: 2 },
  {
    re: /\bhemos recibido\b|\bin receipt of\b|\bwe (?:got|have) your (?:letter|message|e-?mail|request|notice)\b/i,
    w: 2,
  },
  { re: /\b(?:is|are) being (?:reviewed|researched|processed)\b|\bwe(?:'re| are) looking into\b/i, w: 1.5 },
  { re: /\b(?:contact|get back to|respond to|reply to) you within (?:\d+|[a-z]+)\b/i, w: 2 },
  {
    re: /\bplease allow (?:up to |approximately |at least )?(?:\d+(?:\s*-\s*\d+)?|[a-z]+(?: \(\d+\))?) (?:business |calendar )?days\b/i,
    w: 2,
  },
  {
    re: /\bwill (?:provide|send|issue|mail) (?:you )?(?:a|our|its) (?:written )?response\b|\b(?:we|will|to|a|written|our) (?:\w+ )?(?:respond|response)\b[^.]{0,40}\bwithin (?:thirty|\d+)\b|\bwill be issued within\b/i,
    w: 2,
  },
  {
    re: /\byou will (?:receive|hear from us)\b|\b(?:we|a representative|someone|an? (?:agent|specialist|member of our team)) will (?:reply|respond|contact you|be in touch|get back to you)\b/i,
    w: 1,
  },
  {
    re: /\b(?:has been|was|have been) (?:forwarded|assigned|routed|logged|created|escalated|referred)\b/i,
    w: 1.5,
  },
  { re: /\b(?:case|ticket|reference|tracking)(?: number| no| #|#)?\s*[:#]?\s*[a-z]*-?\d[\w-]*/i, w: 1 },
  { re: /\b(?:automated|automatic) (?:response|reply)\b|\bout of (?:the )?office\b/i, w: 2 },
  { re: /\b(?:currently reviewing|will review|will be reviewed|under review)\b/i, w: 1 },
];

/** Marketing, statements, newsletters, surveys, payment/enrollment confirmations, spam. Not hedgeable. */
const OTHER: Cue[] = [
  {
    re: /\b(?:statement|document|notice|bill)s? (?:is|are) (?:now )?(?:ready|available)\b|\bis now available (?:in|online)\b|\bready to view\b/i,
    w: 3,
  },
  { re: /\bunsubscribe\b|\bthis is an advertisement\b|\bequal housing (?:lender|opportunity)\b/i, w: 3 },
  { re: /\brefinanc|\blower your (?:monthly )?(?:payment|rate)\b|\bhome equity line\b|\bcheck your rate\b/i, w: 2 },
  { re: /\bsurvey\b|\bhow likely are you to recommend\b|\byour feedback\b/i, w: 3 },
  {
    re: /\b(?:we )?received your payment\b|\bthank you for your payment\b|\bpayment (?:confirmation|confirmed|was successful)\b/i,
    w: 3,
  },
  {
    re: /\bpayment\b(?:[^.]|\.\d){0,40}\b(?:is|has been) (?:scheduled|processed|posted)\b|\bpayment reminder\b|\bfriendly reminder\b/i,
    w: 3,
  },
  { re: /\bautopay\b|\bautomatic payments? (?:is|are) (?:set up|confirmed)\b|\benrollment (?:in|is) /i, w: 2 },
  { re: /\bpaperless\b|\belectronic delivery\b|\bdelivery preferences\b/i, w: 2 },
  { re: /\boffices? will be closed\b|\bholiday hours\b|\bin observance of\b/i, w: 3 },
  { re: /\baccount has been suspended\b|\bclick(?:ing)? (?:the|this) link\b|\bverify your identity within\b/i, w: 3 },
  { re: /\bnewsletter\b|\btips\b|\bchecklist\b/i, w: 1.5 },
  {
    re: /\bfree,? (?:no-obligation )?quote\b|\bno[- ]obligation\b|\bnot affiliated with\b|\bpre-?approved\b|\blimited[- ]time\b|\bact now\b/i,
    w: 2,
  },
  { re: /\bwe may be able to help\b|\bwe're here to help\b|\bpayment relief\b/i, w: 1.5 },
];

/** Each class's cues, English then Spanish (reply-cues-es.ts). */
export const CUES: Record<ReplyClass, Cue[]> = {
  exception: [...EXCEPTION, ...ES_CUES.exception],
  extension: [...EXTENSION, ...ES_CUES.extension],
  "documents-requested": [...DOCUMENTS, ...ES_CUES["documents-requested"]],
  response: [...RESPONSE, ...ES_CUES.response],
  acknowledgment: [...ACKNOWLEDGMENT, ...ES_CUES.acknowledgment],
  other: [...OTHER, ...ES_CUES.other],
};

/** Classes whose cues are ignored in hedged sentences. */
export const HEDGEABLE: ReadonlySet<ReplyClass> = new Set([
  "exception",
  "extension",
  "documents-requested",
  "response",
]);

/**
 * Signs that a reply answers the borrower rather than being a notice the servicer would have sent anyway (an
 * escrow statement, a rate change, a transfer letter): it refers to the borrower's letter or question, or reports
 * what was looked into. Used as features, and as a condition for reading a reply as a response or exception.
 */
export const ANSWER_SIGNALS: Record<"refers" | "investigated", RegExp> = {
  refers:
    /\byour (?:recent |written |e-?mail |prior |latest |new |above )?(?:letter|request|notice|inquiry|enquiry|questions?|dispute|complaint|correspondence|e-?mail|message|concerns?|qwr|rfi|claim|submission|note|notice of error|qualified written request|request for information)\b|\byou (?:had )?(?:asked|requested|wrote|raised|disputed|inquired|mentioned|reported|referenced|questioned|identified)\b|\b(?:as|you) requested\b|\bper your\b|\bin (?:response|reply) to\b|\bregarding your\b|\babout your (?:question|request|inquiry|dispute|concern)\b|\bsu (?:carta|solicitud|reclamo|reclamaci[oó]n|consulta|pregunta|aviso|queja|correo|mensaje|petici[oó]n|disputa)\b|\b(?:usted )?(?:solicit[oó]|pidi[oó]|pregunt[oó]|reclam[oó]|consult[oó]|mencion[oó])\b|\ben respuesta a\b|\bsobre su (?:consulta|pregunta|reclamo|solicitud)\b/i,
  investigated:
    /\bwe(?: have|'ve)? (?:carefully |thoroughly |now )?(?:reviewed|investigated|researched|looked into|looked at|checked|traced|examined|analy[sz]ed|audited|completed (?:our|the) (?:research|review|investigation))\b|\b(?:our|the) (?:research|review|investigation|analysis|records?) (?:is complete|has been completed|(?:found|showed|shows?|confirmed|determined|revealed|indicates?|reflects?))\b|\bwe (?:found|determined|concluded|confirmed|agree|located|identified|were able to)\b|\bafter (?:reviewing|researching|investigating|(?:our |a )?review)\b|\bupon review\b|\bi (?:checked|looked|reviewed|found|confirmed|researched)\b|\b(?:looked|checked) (?:at|into) (?:your|the|this)\b|\b(?:revisamos|investigamos|analizamos|verificamos|determinamos|encontramos|concluimos|comprobamos)\b|\bhemos (?:revisado|investigado|analizado|verificado|determinado|encontrado|concluido|completado)\b|\bya revis[eé]\b|\b(?:tras|despu[eé]s de) (?:revisar|investigar)\b|\bnuestros registros (?:muestran|indican)\b/i,
};
