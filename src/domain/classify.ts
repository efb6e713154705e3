/**
 * Classify a mortgage servicer's email reply (Regulation X correspondence) into one of six classes.
 *
 * Pure: no fs, network, environment or clock. The approach is deliberately simple and readable:
 *  1. strip quoted borrower text (`stripQuoted`) so the borrower's own words never count;
 *  2. split the servicer's text into sentences and mark the "hedged" ones (may / might / if … / once …),
 *     because "we may extend" or "if we need documents we will contact you" is a future possibility,
 *     not an action taken — hedged sentences don't count for the action classes;
 *  3. add up weighted cues per class: whole phrases ("additional 15 business days") and concept pairs that must
 *     meet in one sentence (a refusal + a ground of the rule; more time + a new date; a need + a document noun),
 *     which carry over to wording the phrase lists have never seen;
 *  4. decide by priority: exception > extension > documents-requested > response > acknowledgment > other,
 *     each class needing a minimum score, with auto-reply headers as strong acknowledgment evidence.
 * Steps 1 and 2 are in reply-text.ts, the phrase lists of step 3 in reply-cues.ts; the scoring and decision here.
 */

import { REPLY_CLASSES, type ReplyClass } from "./reply-classes.js";
import { CUES, HEDGEABLE, SUBJECT, THRESHOLD } from "./reply-cues.js";
import { normalise, type Sentence, sentences, stripQuoted } from "./reply-text.js";

export { stripQuoted } from "./reply-text.js";
export { REPLY_CLASSES, type ReplyClass };

export interface ReplyFeatures {
  subject: string;
  /** Plain-text body (HTML already converted to text by the caller); may be "". */
  text: string;
  /** Auto-Submitted header value, e.g. "auto-replied", "auto-generated", "no". */
  autoSubmitted?: string | null;
  /** X-Autoreply / X-Autorespond header value. */
  xAutoreply?: string | null;
  /** Precedence header, e.g. "auto_reply", "bulk", "list", "junk". */
  precedence?: string | null;
}

export interface Classification {
  class: ReplyClass;
  /** Short human phrases, e.g. 'header Auto-Submitted: auto-replied', 'wording "additional 15 business days"'. */
  reasons: string[];
}

// Scoring and decision

interface Score {
  score: number;
  reasons: string[];
  ignored: string[];
}

function quote(s: string): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function scoreClass(cls: ReplyClass, subject: string, body: Sentence[]): Score {
  const out: Score = { score: 0, reasons: [], ignored: [] };
  const hedgeable = HEDGEABLE.has(cls);
  CUES[cls].forEach((cue) => {
    // Each cue counts once per message: the first unhedged sentence that matches.
    let hit: string | null = null;
    let hedgedHit: string | null = null;
    for (const s of body) {
      const m = cue.re.exec(s.text);
      if (!m) continue;
      let found = m[0];
      if (cue.and) {
        const m2 = cue.and.exec(s.text);
        if (!m2) continue;
        found = `${quote(m[0])}" + "${quote(m2[0])}`;
      }
      if (hedgeable && s.hedged && cue.hedgeable !== false) {
        hedgedHit ??= found;
        continue;
      }
      hit = found;
      break;
    }
    if (hit !== null) {
      out.score += cue.w;
      out.reasons.push(`wording "${cue.and ? hit : quote(hit)}"`);
    } else if (hedgedHit !== null) {
      out.ignored.push(`possibility only "${cue.and ? hedgedHit : quote(hedgedHit)}"`);
    }
  });
  for (const cue of SUBJECT[cls] ?? []) {
    const m = cue.re.exec(normalise(subject));
    if (m) {
      out.score += cue.w;
      out.reasons.push(`subject "${quote(m[0])}"`);
    }
  }
  return out;
}

interface HeaderSignal {
  /** Any auto-reply / auto-generated header, as reasons. */
  auto: string[];
  /**
   * True when the only auto header is Auto-Submitted: auto-generated. RFC 3834 uses that for any machine-made
   * message (statements, enrollment notices), whereas auto-replied / X-Autoreply / Precedence auto_reply answer
   * the borrower's own message — so auto-generated is weaker evidence of an acknowledgment.
   */
  generatedOnly: boolean;
  bulk: string[];
}

function headerSignals(f: ReplyFeatures): HeaderSignal {
  const auto: string[] = [];
  const bulk: string[] = [];
  const as = f.autoSubmitted?.trim();
  let replied = false;
  if (as && as.toLowerCase() !== "no") {
    auto.push(`header Auto-Submitted: ${as}`);
    if (!/^auto-generated\b/i.test(as)) replied = true;
  }
  const xa = f.xAutoreply?.trim();
  if (xa && !/^(?:no|false|0)$/i.test(xa)) {
    auto.push(`header X-Autoreply: ${xa}`);
    replied = true;
  }
  const pr = f.precedence?.trim().toLowerCase();
  if (pr === "auto_reply" || pr === "auto-reply") {
    auto.push(`header Precedence: ${pr}`);
    replied = true;
  } else if (pr === "bulk" || pr === "list" || pr === "junk") bulk.push(`header Precedence: ${pr}`);
  return { auto, generatedOnly: auto.length > 0 && !replied, bulk };
}

/** "Other" wording needed to overrule an auto-replied header (e.g. "we received your payment" sent as a reply). */
const OVERRULE_AUTO_REPLY = 3;

export function classifyReply(f: ReplyFeatures): Classification {
  const body = sentences(stripQuoted(f.text ?? ""));
  const subject = f.subject ?? "";
  const scores = {} as Record<ReplyClass, Score>;
  for (const cls of REPLY_CLASSES) scores[cls] = scoreClass(cls, subject, body);
  const headers = headerSignals(f);

  const pick = (cls: ReplyClass, extra: string[] = []): Classification => ({
    class: cls,
    reasons: [...extra, ...scores[cls].reasons, ...scores[cls].ignored],
  });

  // 1. The action classes, strongest claim first. Auto-reply headers don't veto these: a servicer's system
  //    can send an extension notice or a document request with Auto-Submitted set.
  for (const cls of ["exception", "extension", "documents-requested"] as const) {
    if (scores[cls].score >= THRESHOLD[cls]) return pick(cls, headers.auto);
  }

  // 2. Substantive answer vs acknowledgment. A response often also says "we received your letter", so a
  //    response only has to beat the acknowledgment wording, not be free of it. Weaker response evidence
  //    still wins when it outweighs the acknowledgment wording (a missed response would look like the
  //    servicer hasn't answered yet).
  const resp = scores.response.score;
  const ack = scores.acknowledgment.score;
  if (resp >= THRESHOLD.response || (resp >= 2 && resp > ack && headers.auto.length === 0)) return pick("response");

  // 3. Acknowledgment: receipt wording, or auto-reply headers unless the text is plainly a notification of
  //    something else (statement ready, payment received, enrollment). An auto-replied header needs strong
  //    "other" wording to be overruled; a merely auto-generated one only the ordinary threshold.
  const other = scores.other.score;
  if (ack >= THRESHOLD.acknowledgment && ack >= other) return pick("acknowledgment", headers.auto);
  const overrule = headers.generatedOnly ? THRESHOLD.other : OVERRULE_AUTO_REPLY;
  if (headers.auto.length > 0 && other < overrule) return pick("acknowledgment", headers.auto);

  // 4. Everything else.
  if (other >= THRESHOLD.other || headers.bulk.length > 0) {
    return pick("other", headers.bulk.length > 0 ? [...headers.bulk] : []);
  }
  if (headers.auto.length > 0) return pick("acknowledgment", headers.auto);
  return { class: "other", reasons: ["no servicing wording recognised"] };
}
