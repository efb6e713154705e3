/**
 * The CFPB complaint packet: the two text boxes of the complaint form, written from the escalation record. In a
 * borrower's home the borrower complains in the first person; in a counselor's home (voice.ts) the counselor
 * submits it on the borrowers' behalf: the counselor's own acts stay "I", the letters, payment and loan are the
 * borrower's ("the borrowers'" when several signed), and an authorization is named only when one is valid.
 */
import type { IsoDate } from "./calendar.js";
import { type CfpbFormAnswers, cfpbFormAnswers } from "./cfpb-form.js";
import { buildMissedClocks, idPart, missedClockText, quote } from "./escalation-citations.js";
import { ESCALATION_EN_COUNSELOR } from "./escalation-en.js";
import {
  type Citation,
  type EscalationInput,
  type EscalationPlan,
  firstLeft,
  type HistoryLetter,
  type Trigger,
} from "./escalation-model.js";
import { amount, dateWords } from "./formal-letter.js";
import { isKindId, kindDef } from "./kinds.js";
import { joinNames, type OnBehalf } from "./letter.js";
import { longDate } from "./letter-dates.js";
import type { ReplyClass } from "./reply-classes.js";
import { type LetterVoice, theBorrowers, voiceOf } from "./voice.js";

/** Each text box of the complaint is kept under this many characters. */
export const CFPB_TEXT_LIMIT = 2000;

/**
 * Who submits the complaint in a counselor's home: the counselor and agency and the borrowers, as a letter's
 * on-behalf words (letter.ts OnBehalf) name them. `signedOn` is the day the third-party authorization valid on
 * the day was signed, null when none is valid then: the complaint then names no authorization.
 */
export type ComplaintOnBehalf = Omit<OnBehalf, "signedOn" | "formExhibit"> & { signedOn: string | null };

export interface CfpbComplaint {
  /** The form's choices proposed from the record (cfpb-form.ts). */
  form: CfpbFormAnswers;
  whatHappened: string;
  desiredResolution: string;
  /** The numbered chronology in full (the narrative may shorten it to fit). */
  chronology: string[];
}

/** Whether a message went by email: only then is its Message-ID an identifier the servicer's systems know. */
const emailed = (x: Citation) => x.channel === "email" || x.channel === "notice-email";

function narrativeEntry(x: Citation, servicer: string, withId: boolean, voice: LetterVoice): string {
  // A Message-ID only for a message that went by email: a letter by post, portal, fax or hand carries none of its own.
  const id = withId && emailed(x) ? ` (${idPart(x.messageId)})` : "";
  if (x.type === "letter") {
    // Written on another day than it left (x.date): that day too.
    const dated = x.writtenOn && x.writtenOn !== x.date ? `, dated ${longDate(x.writtenOn)},` : "";
    const how =
      x.channel === "post"
        ? `by certified mail${x.designated ? " to its designated address" : ""}${x.deliveredOn ? `, delivered ${longDate(x.deliveredOn)}` : ""}`
        : x.channel === "notice-email"
          ? x.designated
            ? "by email to its designated notice address"
            : "by email"
          : x.channel === "portal"
            ? x.designated
              ? "through the online portal it designated for notices"
              : "through its online portal"
            : x.channel === "fax"
              ? "by fax"
              : x.channel === "hand"
                ? "by hand"
                : "by email";
    // A counselor says only that the letter left: the chain may hold one the borrower wrote.
    return voice === "counselor"
      ? `${longDate(x.date)}: The letter ${quote(x.subject)}${dated} was ${x.channel === "hand" ? "delivered" : "sent"} to ${servicer} ${how}${id}.`
      : `${longDate(x.date)}: I sent ${servicer} my letter ${quote(x.subject)}${dated} ${how}${id}.`;
  }
  // A reply's subject is quoted only when it is the servicer's own (an email's); a reply recorded from paper, a
  // portal or a fax carries a subject loanmail wrote, which must never read as the servicer's words.
  const what =
    x.channel === "email"
      ? x.subject
        ? ` ${quote(x.subject)}`
        : " by email (no subject line)"
      : ` by ${x.channel === "post" ? "letter" : x.channel}`;
  const words = voice === "counselor" ? REPLY_WORDS_COUNSELOR : REPLY_WORDS;
  return `${longDate(x.date)}: ${servicer} replied${what}${id}: ${words[x.class ?? "other"]}.`;
}

const REPLY_WORDS: Readonly<Record<ReplyClass, string>> = {
  acknowledgment: "an acknowledgment only",
  extension: "saying it needed more time",
  exception: "declining to answer",
  "documents-requested": "asking me for documents",
  response: "its answer",
  other: "which did not answer my letter",
};

/** The same in a counselor's voice: the documents asked for and the letter may be the borrower's. */
const REPLY_WORDS_COUNSELOR: Readonly<Record<ReplyClass, string>> = {
  ...REPLY_WORDS,
  "documents-requested": "asking for documents",
  other: "which did not answer the letter",
};

/** The account number masked to its last 4 digits: the form has its own field for the number. */
function maskAccount(text: string, accountNumber: string): string {
  const digits = accountNumber.replace(/\D/g, "");
  if (digits.length < 5) return text;
  return text.split(accountNumber).join(`ending ${digits.slice(-4)}`);
}

/** What the user said the matter is, in their own words from the letter: its summary, else the error field. */
function userWords(root: HistoryLetter | undefined): string | null {
  const raw = (root?.summary ?? root?.fields.error ?? "").replace(/\s+/g, " ").trim();
  if (!raw) return null;
  return raw.length > 600 ? `${raw.slice(0, 599).trimEnd()}…` : raw;
}

/** The narrative within `limit` characters; `complete` is false when middle entries gave way to a pointer. */
function fitNarrative(
  head: string,
  entries: readonly string[],
  tail: string,
  limit: number,
): { text: string; complete: boolean } {
  const compose = (list: readonly string[]) =>
    [head, "", ...list.map((e, i) => `${i + 1}. ${e}`), "", tail].join("\n").trim();
  let text = compose(entries);
  if (text.length <= limit) return { text, complete: true };
  // Keep the first and the latest entries; the middle ones are in exhibits.txt.
  const list = [...entries];
  while (list.length > 2 && text.length > limit) {
    list.splice(1, 1);
    const dropped = entries.length - list.length;
    text = compose([
      list[0] as string,
      `(${dropped} more entr${dropped === 1 ? "y" : "ies"}: see exhibits.txt)`,
      ...list.slice(1),
    ]);
  }
  return { text: text.length <= limit ? text : `${text.slice(0, limit - 1)}…`, complete: false };
}

/**
 * What the company should do, from the first letter's kind and fields. A borrower asks for their own payment and
 * a confirmation to them; a counselor (voice.ts) for the borrowers' payment and a confirmation to them and to the
 * counselor (`borrowers` counts the borrowers named).
 */
function desiredFor(
  root: (HistoryLetter & { date: IsoDate }) | undefined,
  voice: LetterVoice,
  borrowers: number,
): string {
  const f = root?.fields ?? {};
  const kind = root && isKindId(root.kind) ? root.kind : undefined;
  const counselor = voice === "counselor";
  const whose = counselor ? theBorrowers(borrowers, true) : "my";
  const the = counselor ? "the" : "my";
  const confirm = counselor
    ? `confirm it in writing to ${theBorrowers(borrowers)} and to me`
    : "confirm it to me in writing";
  switch (kind) {
    case "payment-application":
      return `Apply ${whose} payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f["payment-date"] ? ` made on ${dateWords(f["payment-date"])}` : ""} as ${the} loan documents require, correct ${the} account history, and ${confirm}.`;
    case "late-fee-dispute":
      return `Reverse the late fee${f.fee ? ` of ${amount(f.fee)}` : ""} charged on ${whose} payment${f["payment-date"] ? ` of ${dateWords(f["payment-date"])}` : ""}, and ${confirm}.`;
    case "payment-delay":
      return `Credit ${whose} payment${f.amount ? ` of ${amount(f.amount)}` : ""} as of the day it was received${f["payment-date"] ? ` (${dateWords(f["payment-date"])})` : ""}, reverse any fee or interest that resulted, and ${confirm}.`;
    case "notice-of-error":
      return `Correct the error ${counselor ? "" : "I "}reported${f.error ? ` (${f.error.replace(/[.]$/, "")})` : ""} and ${confirm}, or explain in writing why it believes no error occurred.`;
    default: {
      const asks = kind ? kindDef(kind).asks : `the information ${counselor ? "it" : "I"} asked for`;
      return counselor
        ? `Give ${theBorrowers(borrowers)} and me, in writing, what the letter asked for: ${asks}.`
        : `Give me, in writing, what my letter asked for: ${asks}.`;
    }
  }
}

/** The day a letter was written (`compose --dated`, else entered); the day it left when the record has no other. */
const writtenOf = (l: HistoryLetter & { date: IsoDate }) => l.writtenOn ?? l.date;

/**
 * Who complains, and the first letter: the borrower in the first person ("I am A. B services my mortgage loan"),
 * or the counselor for the borrowers, naming the authorization only when one is valid on the day.
 */
function opening(
  input: EscalationInput,
  root: (HistoryLetter & { date: IsoDate }) | undefined,
  onBehalf: ComplaintOnBehalf | undefined,
): string {
  const { loan } = input;
  const servicer = loan.servicerName;
  const rootKind = root && isKindId(root.kind) ? kindDef(root.kind) : undefined;
  const property = loan.propertyAddress
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(", ");
  const words = userWords(root);
  const said = words ? `: ${/[.!?…]$/.test(words) ? words : `${words}.`}` : ".";
  if (!onBehalf) {
    const about = rootKind ? rootKind.label.toLowerCase() : "my loan";
    return [
      `I am ${loan.borrowers.join(" and ")}. ${servicer} services my mortgage loan on ${property}.`,
      root
        ? `On ${longDate(writtenOf(root))} I wrote to ${servicer} (${about})${said} It has not resolved the matter.`
        : "",
      "What happened, in order:",
    ]
      .filter(Boolean)
      .join(" ");
  }
  const n = onBehalf.borrowers.length;
  const agency = `${onBehalf.agency}${onBehalf.hudAgencyId ? ` (HUD agency ID ${onBehalf.hudAgencyId})` : ""}`;
  const about = rootKind ? rootKind.label.toLowerCase() : "this loan";
  return [
    `I am ${onBehalf.counselor}, a housing counselor at ${agency}, and submit this complaint on behalf of ${joinNames(onBehalf.borrowers)}, ${theBorrowers(n)}.`,
    // What the record holds: a third-party authorization for the servicer, signed on that day (not its scope).
    onBehalf.signedOn
      ? `I hold the third-party authorization for ${servicer} that ${theBorrowers(n)} signed on ${longDate(onBehalf.signedOn)}.`
      : "",
    `${servicer} services ${theBorrowers(n, true)} mortgage loan on ${property}.`,
    root
      ? `${writtenOf(root) === root.date ? `On ${longDate(root.date)} a letter to ${servicer}` : `A letter to ${servicer} dated ${longDate(writtenOf(root))} and sent on ${longDate(root.date)}`} (${about}) raised the matter${said} ${servicer} has not resolved it.`
      : "",
    "What happened, in order:",
  ]
    .filter(Boolean)
    .join(" ");
}

/** The missed deadlines in a counselor's voice, the application and appeal counted as the borrowers'. */
function counselorMissed(input: EscalationInput, borrowers: number) {
  return buildMissedClocks(input.chain, input.asOf, {
    ...ESCALATION_EN_COUNSELOR,
    missed: (c, due, daysLate, asOf, arrivedOn) =>
      missedClockText(c, due, daysLate, asOf, arrivedOn, "counselor", borrowers),
  });
}

/**
 * Why the complaint comes now, told to the CFPB: the servicer in the third person, the dispute the borrower's ("I"
 * in a borrower's home, "the borrower(s)" in a counselor's). The trigger's own texts speak to the user ("you
 * dispute it") or to the servicer ("your answer"). A late clock is not repeated: the missed deadlines say it.
 */
function complaintReason(t: Trigger, servicer: string, voice: LetterVoice, borrowers: number): string[] {
  const reply = t.reply;
  const who = voice === "counselor" ? theBorrowers(borrowers) : "I";
  const dispute = voice === "counselor" ? (borrowers > 1 ? "dispute" : "disputes") : "dispute";
  const named = (r: { class: ReplyClass; date: IsoDate }) =>
    `${servicer}'s ${r.class === "response" ? "answer" : "reply"} of ${longDate(r.date)}`;
  switch (t.kind) {
    case "exception-disputed":
      return reply
        ? [
            `${servicer} declined to answer on ${longDate(reply.date)}, claiming an exception, and ${who} ${dispute} that`,
          ]
        : [];
    case "unresolved":
      return [reply ? `${named(reply)} did not resolve the matter` : "the matter is not resolved"];
    case "acknowledgment-only":
      return reply ? [`${servicer} acknowledged the letter on ${longDate(reply.date)} but has not answered it`] : [];
    default:
      return [];
  }
}

/**
 * The two text boxes of a CFPB complaint, in plain words from the chronology: who, what, when, each letter and
 * reply as a numbered list, which deadlines were missed; then what the company should do. Each stays under
 * CFPB_TEXT_LIMIT characters (middle entries give way to a pointer to exhibits.txt). With `onBehalf` (a
 * counselor's home; voiceOf, as a letter's on-behalf words) the counselor submits it for the borrowers.
 */
export function buildCfpbComplaint(
  input: EscalationInput,
  plan: EscalationPlan,
  onBehalf?: ComplaintOnBehalf,
): CfpbComplaint {
  const { loan } = input;
  const servicer = loan.servicerName;
  const voice = voiceOf(onBehalf);
  const root = firstLeft(input.chain[0]);
  const head = opening(input, root, onBehalf);
  const missed = (onBehalf ? counselorMissed(input, onBehalf.borrowers.length) : plan.missed).map((m) => `- ${m.text}`);
  const why = plan.triggers.flatMap((t) => complaintReason(t, servicer, voice, onBehalf?.borrowers.length ?? 1));
  const tail = [
    missed.length ? `Deadlines ${servicer} missed:\n${missed.join("\n")}` : "",
    why.length ? `Why I am complaining now: ${why.join("; ")}.` : "",
    `My reference for this matter: ${plan.case}.`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const mask = (t: string) => maskAccount(t, loan.accountNumber);
  const full = plan.cites.map((x) => mask(narrativeEntry(x, servicer, true, voice)));
  const short = plan.cites.map((x) => mask(narrativeEntry(x, servicer, false, voice)));
  const withIds = fitNarrative(head, full, tail, CFPB_TEXT_LIMIT);
  const whatHappened = withIds.complete
    ? withIds.text
    : fitNarrative(
        head,
        short,
        `${tail}\nEach letter's and reply's Message-ID and SHA-256 are in exhibits.txt.`,
        CFPB_TEXT_LIMIT,
      ).text;
  const desired = [
    desiredFor(root, voice, onBehalf?.borrowers.length ?? 1),
    `Answer ${onBehalf ? "the" : "my"} letters in writing, as Regulation X (12 C.F.R. 1024.35 and 1024.36) requires, quoting ${plan.case}.`,
  ].join(" ");
  const letters = plan.cites.filter((x) => x.type === "letter");
  const form = cfpbFormAnswers(
    loan,
    root?.kind,
    letters.map((l) => {
      const how =
        l.channel === "post" ? "by certified mail" : `by ${l.channel === "notice-email" ? "email" : l.channel}`;
      // By the day each was written; when it left on another day, how and when ("sent by certified mail on ...").
      const written = l.writtenOn ?? l.date;
      return { date: written, how: written === l.date ? how : `sent ${how} on ${longDate(l.date)}` };
    }),
    plan.cites.length - letters.length,
    voice,
  );
  return {
    form,
    whatHappened,
    desiredResolution: desired.length <= CFPB_TEXT_LIMIT ? desired : `${desired.slice(0, CFPB_TEXT_LIMIT - 1)}…`,
    chronology: full,
  };
}
