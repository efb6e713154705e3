/** The CFPB complaint packet: the two text boxes of the complaint form, written from the escalation record. */
import type { IsoDate } from "./calendar.js";
import { type CfpbFormAnswers, cfpbFormAnswers } from "./cfpb-form.js";
import { idPart, quote } from "./escalation-citations.js";
import {
  type Citation,
  type EscalationInput,
  type EscalationPlan,
  firstLeft,
  type HistoryLetter,
} from "./escalation-model.js";
import { amount, dateWords } from "./formal-letter.js";
import { isKindId, kindDef } from "./kinds.js";
import { longDate } from "./letter-dates.js";
import type { ReplyClass } from "./reply-classes.js";

/** Each text box of the complaint is kept under this many characters. */
export const CFPB_TEXT_LIMIT = 2000;

export interface CfpbComplaint {
  /** The form's choices proposed from the record (cfpb-form.ts). */
  form: CfpbFormAnswers;
  whatHappened: string;
  desiredResolution: string;
  /** The numbered chronology in full (the narrative may shorten it to fit). */
  chronology: string[];
}

function narrativeEntry(x: Citation, servicer: string, withId: boolean): string {
  const id = withId ? ` (${idPart(x.messageId)})` : "";
  if (x.type === "letter") {
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
    return `${longDate(x.date)}: I sent ${servicer} my letter ${quote(x.subject)} ${how}${id}.`;
  }
  // A reply's subject is quoted only when it is the servicer's own (an email's); a reply recorded from paper, a
  // portal or a fax carries a subject loanmail wrote, which must never read as the servicer's words.
  const what =
    x.channel === "email"
      ? x.subject
        ? ` ${quote(x.subject)}`
        : " by email (no subject line)"
      : ` by ${x.channel === "post" ? "letter" : x.channel}`;
  const words: Record<ReplyClass, string> = {
    acknowledgment: "an acknowledgment only",
    extension: "saying it needed more time",
    exception: "declining to answer",
    "documents-requested": "asking me for documents",
    response: "its answer",
    other: "which did not answer my letter",
  };
  return `${longDate(x.date)}: ${servicer} replied${what}${id}: ${words[x.class ?? "other"]}.`;
}

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

function desiredFor(root: (HistoryLetter & { date: IsoDate }) | undefined): string {
  const f = root?.fields ?? {};
  const kind = root && isKindId(root.kind) ? root.kind : undefined;
  switch (kind) {
    case "payment-application":
      return `Apply my payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f["payment-date"] ? ` made on ${dateWords(f["payment-date"])}` : ""} as my loan documents require, correct my account history, and confirm it to me in writing.`;
    case "late-fee-dispute":
      return `Reverse the late fee${f.fee ? ` of ${amount(f.fee)}` : ""} charged on my payment${f["payment-date"] ? ` of ${dateWords(f["payment-date"])}` : ""}, and confirm it to me in writing.`;
    case "payment-delay":
      return `Credit my payment${f.amount ? ` of ${amount(f.amount)}` : ""} as of the day it was received${f["payment-date"] ? ` (${dateWords(f["payment-date"])})` : ""}, reverse any fee or interest that resulted, and confirm it to me in writing.`;
    case "notice-of-error":
      return `Correct the error I reported${f.error ? ` (${f.error.replace(/[.]$/, "")})` : ""} and confirm it to me in writing, or explain in writing why it believes no error occurred.`;
    default: {
      const asks = kind ? kindDef(kind).asks : "the information I asked for";
      return `Give me, in writing, what my letter asked for: ${asks}.`;
    }
  }
}

/**
 * The two text boxes of a CFPB complaint, in plain words from the chronology: who, what, when, each letter and
 * reply as a numbered list, which deadlines were missed; then what the company should do. Each stays under
 * CFPB_TEXT_LIMIT characters (middle entries give way to a pointer to exhibits.txt).
 */
export function buildCfpbComplaint(input: EscalationInput, plan: EscalationPlan): CfpbComplaint {
  const { loan } = input;
  const servicer = loan.servicerName;
  const root = firstLeft(input.chain[0]);
  const rootKind = root && isKindId(root.kind) ? kindDef(root.kind) : undefined;
  const property = loan.propertyAddress
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(", ");
  const words = userWords(root);
  const about = rootKind ? rootKind.label.toLowerCase() : "my loan";
  const head = [
    `I am ${loan.borrowers.join(" and ")}. ${servicer} services my mortgage loan on ${property}.`,
    root
      ? `On ${longDate(root.date)} I wrote to ${servicer} (${about})${words ? `: ${/[.!?…]$/.test(words) ? words : `${words}.`}` : "."} It has not resolved the matter.`
      : "",
    "What happened, in order:",
  ]
    .filter(Boolean)
    .join(" ");
  const missed = plan.missed.map((m) => `- ${m.text}`);
  const why = plan.triggers.filter((t) => t.kind !== "late-clock").map((t) => t.text);
  const tail = [
    missed.length ? `Deadlines ${servicer} missed:\n${missed.join("\n")}` : "",
    why.length ? `Why I am complaining now: ${why.join("; ")}.` : "",
    `My reference for this matter: ${plan.case}.`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const mask = (t: string) => maskAccount(t, loan.accountNumber);
  const full = plan.cites.map((x) => mask(narrativeEntry(x, servicer, true)));
  const short = plan.cites.map((x) => mask(narrativeEntry(x, servicer, false)));
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
    desiredFor(root),
    `Answer my letters in writing, as Regulation X (12 C.F.R. 1024.35 and 1024.36) requires, quoting ${plan.case}.`,
  ].join(" ");
  const letters = plan.cites.filter((x) => x.type === "letter");
  const form = cfpbFormAnswers(
    loan,
    root?.kind,
    letters.map((l) => ({
      date: l.date,
      how: l.channel === "post" ? "by certified mail" : `by ${l.channel === "notice-email" ? "email" : l.channel}`,
    })),
    plan.cites.length - letters.length,
  );
  return {
    form,
    whatHappened,
    desiredResolution: desired.length <= CFPB_TEXT_LIMIT ? desired : `${desired.slice(0, CFPB_TEXT_LIMIT - 1)}…`,
    chronology: full,
  };
}
