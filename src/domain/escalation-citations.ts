/**
 * The record in the letter's own words: a sentence for each letter and reply, and for each missed clock. Dates are
 * written as a letter prints them ("June 1, 2026"); a letter is named by its kind and its tag, a reply by its
 * subject. Message-IDs stay in the record (Citation.messageId, the `escalated` event), never in the prose.
 */
import type { IsoDate } from "./calendar.js";
import { type Clock, lateBy } from "./clock-types.js";
import type {
  ChainCase,
  Citation,
  CitedProtection,
  EscalationWords,
  HistoryLetter,
  HistoryReply,
  MissedClock,
} from "./escalation-model.js";
import { isKindId, kindDef } from "./kinds.js";
import { longDate } from "./letter-dates.js";
import type { Protection } from "./protections.js";
import type { ReplyClass } from "./reply-classes.js";
import { type LetterVoice, theBorrowers } from "./voice.js";

/** "1 business day", "2 business days". */
/** A subject line in quotes, or a placeholder when there is none. */
export const quote = (s: string | null) => `"${s ?? "(no subject)"}"`;

/** How a letter left, claiming a designated address only where the record shows the letter reached one. */
function letterHow(l: HistoryLetter): { verb: string; where: string } {
  const delivered = l.deliveredOn ? `, delivered ${longDate(l.deliveredOn)}` : "";
  switch (l.channel) {
    case "post":
      return {
        verb: "mailed",
        where: `by certified mail${l.designated ? " to your designated address" : ""}${delivered}`,
      };
    case "notice-email":
      return { verb: "emailed", where: l.designated ? "to your designated notice address" : "" };
    case "portal":
      return {
        verb: "sent",
        where: l.designated ? "through the portal you designated for notices" : "through your portal",
      };
    case "fax":
      return { verb: "faxed", where: "" };
    case "hand":
      return { verb: "delivered", where: "by hand" };
    default:
      return { verb: "emailed", where: "to your correspondence address" };
  }
}

const CLASS_WORDS: Readonly<Record<ReplyClass, string>> = {
  acknowledgment: "an acknowledgment only",
  extension: "taking more time to respond",
  exception: "declining to answer",
  "documents-requested": "asking me for documents",
  response: "a response",
  other: "which did not answer my request",
};

/** The same in a counselor's voice (voice.ts): the request and the documents asked for may be the borrower's. */
const CLASS_WORDS_COUNSELOR: Readonly<Record<ReplyClass, string>> = {
  ...CLASS_WORDS,
  "documents-requested": "asking for documents",
  other: "which did not answer the request",
};

/** How a letter or reply is identified in a listing for people (not in a letter's prose). */
export function idPart(messageId: string | null): string {
  return messageId ? `Message-ID ${messageId}` : "no Message-ID";
}

/** A letter as the servicer knows it: its kind's label and the tag its subject carries. */
function letterName(l: HistoryLetter): string {
  const label = isKindId(l.kind) ? kindDef(l.kind).label : null;
  return label ? `${quote(label)} (reference ${l.caseTag})` : `${quote(l.subject)}`;
}

/**
 * The sentence that cites one letter (letter voice). A counselor does not claim a letter as theirs: the chain may
 * hold one the borrower wrote before the counselor took the case, so it says only that the letter left.
 */
export function citeLetter(l: HistoryLetter & { date: IsoDate }, voice: LetterVoice = "borrower"): string {
  const how = letterHow(l);
  const where = how.where ? ` ${how.where}` : "";
  // Written on another day than it left: that day too ("my letter ..., dated November 10, 2026, by certified mail").
  const dated = l.writtenOn && l.writtenOn !== l.date ? `, dated ${longDate(l.writtenOn)}` : "";
  return voice === "counselor"
    ? `On ${longDate(l.date)} the letter ${letterName(l)}${dated ? `${dated},` : ""} was ${how.verb}${where}.`
    : `On ${longDate(l.date)} I ${how.verb} my letter ${letterName(l)}${dated}${dated && where ? "," : ""}${where}.`;
}

/**
 * The sentence that cites one reply (letter voice): an email by its subject; a reply on paper or through a portal
 * by its channel (its subject is loanmail's own label, not the servicer's words).
 */
export function citeReply(r: HistoryReply, voice: LetterVoice = "borrower"): string {
  const email = r.channel === "email" || r.channel === "notice-email";
  const via = email ? "" : ` by ${r.channel}`;
  const subject = email && r.subject ? ` with ${quote(r.subject)}` : "";
  const words = voice === "counselor" ? CLASS_WORDS_COUNSELOR : CLASS_WORDS;
  return `On ${longDate(r.date)} you replied${via}${subject}: ${words[r.class]}.`;
}

/** Every letter that left and every reply of the chain, oldest first (letters before replies on one day). */
export function buildCitations(chain: readonly ChainCase[], words: EscalationWords): Citation[] {
  const out: Citation[] = [];
  for (const link of chain) {
    for (const l of link.letters) {
      if (l.date === null) continue;
      out.push({
        type: "letter",
        case: l.caseTag,
        message: l.message,
        date: l.date,
        subject: l.subject,
        messageId: l.messageId,
        channel: l.channel,
        designated: l.designated,
        deliveredOn: l.deliveredOn,
        writtenOn: l.writtenOn ?? l.date,
        text: words.citeLetter({ ...l, date: l.date }),
      });
    }
    for (const r of link.replies) {
      out.push({
        type: "reply",
        case: r.caseTag,
        message: r.message,
        date: r.date,
        subject: r.subject,
        messageId: r.messageId,
        channel: r.channel,
        class: r.class,
        text: words.citeReply(r),
      });
    }
  }
  return out.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      (a.type === b.type ? 0 : a.type === "letter" ? -1 : 1) ||
      a.message - b.message,
  );
}

/**
 * What a clock asked of the servicer, as the subject of a sentence; the appeal and application are the borrower's
 * (the borrowers' in a counselor's complaint for several, `borrowers` > 1).
 */
function clockSubject(c: Clock, voice: LetterVoice, borrowers: number): string {
  const my = voice === "counselor" ? theBorrowers(borrowers, true) : "my";
  if (c.id.startsWith("promise-")) return `The answer promised within the ${c.rule}`;
  if (c.id.endsWith("-ack")) return `The acknowledgment required by ${c.rule}`;
  if (c.id === "payoff-statement") return `The payoff statement required by ${c.rule}`;
  if (c.id.startsWith("lossmit-appeal-decision")) return `The decision on ${my} appeal required by ${c.rule}`;
  if (c.id.startsWith("lossmit-decision"))
    return `The written decision on ${my} complete loss mitigation application required by ${c.rule}`;
  if (c.id.startsWith("cfpb-")) return `The ${c.name.replace(/^CFPB: /, "").toLowerCase()} under the ${c.rule}`;
  if (/-response$|^relied-documents$/.test(c.id)) return `The response required by ${c.rule}`;
  return `The ${c.name.charAt(0).toLowerCase()}${c.name.slice(1)} required by ${c.rule}`;
}

/**
 * The sentence of a missed clock (letter voice): still late on `asOf`, or arrived late on `arrivedOn`. A letter
 * says "the borrower's" however many signed (its convention); the complaint counts them (`borrowers`).
 */
export function missedClockText(
  c: Clock,
  due: IsoDate,
  daysLate: number,
  asOf: IsoDate,
  arrivedOn: IsoDate | null,
  voice: LetterVoice = "borrower",
  borrowers = 1,
): string {
  const subject = clockSubject(c, voice, borrowers);
  // In the unit the clock counts: a clock of calendar days (the CFPB's process) is late by days.
  const late = lateBy({ businessDaysLate: daysLate, calendarDaysLate: c.calendarDaysLate });
  return arrivedOn === null
    ? `${subject} was due ${longDate(due)} and had not arrived on ${longDate(asOf)}, ${late} late.`
    : `${subject} was due ${longDate(due)} and arrived on ${longDate(arrivedOn)}, ${late} late.`;
}

/** Servicer clocks of the chain that were missed: still late on `asOf`, or met after their due date. */
export function buildMissedClocks(chain: readonly ChainCase[], asOf: IsoDate, words: EscalationWords): MissedClock[] {
  const out: MissedClock[] = [];
  for (const link of chain) {
    for (const c of link.clocks) {
      if (c.party !== "servicer" || !c.dueLenient || !c.businessDaysLate) continue;
      if (c.status === "late") {
        out.push({
          case: link.case.tag,
          clock: c.id,
          name: c.name,
          rule: c.rule,
          due: c.dueLenient,
          status: "late",
          businessDaysLate: c.businessDaysLate,
          arrivedOn: null,
          text: words.missed(c, c.dueLenient, c.businessDaysLate, asOf, null),
        });
      } else if (c.status === "met" && (c.metBy || c.metByEvent)) {
        const on = (c.metBy?.on ?? c.metByEvent?.on) as IsoDate;
        out.push({
          case: link.case.tag,
          clock: c.id,
          name: c.name,
          rule: c.rule,
          due: c.dueLenient,
          status: "met-late",
          businessDaysLate: c.businessDaysLate,
          arrivedOn: on,
          text: words.missed(c, c.dueLenient, c.businessDaysLate, asOf, on),
        });
      }
    }
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** The sentence that invokes one protection in force (letter voice), naming its rule. */
export function citeProtection(p: Protection, voice: LetterVoice = "borrower"): string {
  const since = p.startedBy ? longDate(p.startedBy.on) : "";
  // A counselor's loan is "this loan", and the application the borrower's.
  const counselor = voice === "counselor";
  const loan = counselor ? "this loan" : "my loan";
  const application = `${counselor ? "the borrower's" : "my"} complete loss mitigation application`;
  switch (p.kind) {
    case "first-filing-120":
      return `${counselor ? "This" : "My"} loan became delinquent on ${since}; under ${p.rule} no first notice or filing for foreclosure may be made before it is more than 120 days delinquent${p.until ? `, that is, not before ${longDate(p.until)} has passed` : ""}.`;
    case "first-filing-pending":
      return `While ${application} of ${since} is pending, ${p.rule} bars the first notice or filing for foreclosure.`;
    case "sale-pending":
      return `While ${application} of ${since} is pending, ${p.rule} bars you from moving for foreclosure judgment or order of sale and from conducting a foreclosure sale.`;
    case "transfer-payment":
      return `Servicing of ${loan} was transferred on ${since}; under ${p.rule}, through ${p.until ? longDate(p.until) : "the sixtieth day"}, a payment sent on time to the previous servicer may not be charged a late fee or treated as late.`;
  }
}

/** The protections of the escalated case that are in force on the day, each with its sentence. */
export function buildProtectionCitations(
  protections: readonly Protection[],
  words: EscalationWords,
): CitedProtection[] {
  return protections
    .filter((p) => p.status === "in-force")
    .map((p) => ({ id: p.id, name: p.name, rule: p.rule, until: p.until, ends: p.ends, text: words.protection(p) }));
}
