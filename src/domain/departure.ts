/**
 * What the event log says about one letter that left: the event that says so (`mailed`, or `sent` by email,
 * portal, fax or hand), what it was addressed to at that moment (`as_sent`), which PDF loanmail printed of it
 * (`printed`, and the hash the leaving event names), and the proof of mailing kept with it (`mail-proof`).
 * Pure: the events are passed in. See docs/ARCHITECTURE.md, "What was printed is what is kept".
 */
import type { AsSentData, LogEvent, ProofFileData } from "./events.js";
import { dayIn } from "./time-zone.js";

/** An event of a case's log with the columns these rules need. */
export type LetterEvent = LogEvent & { id: number; at: string; message_id: number | null };

/** The printed copy of a letter that left: held (its hash), never printed by loanmail, or not recorded. */
export type PrintedCopy =
  | { state: "held"; sha256: string }
  /** loanmail printed no copy of it by the day it left: there is no printed copy to give back. */
  | { state: "not-printed" }
  /** It left before loanmail kept printed copies: the record does not say which copy it was. */
  | { state: "not-recorded" }
  /** It went by email: the letter is its .eml, there is no printed copy. */
  | { state: "email" };

export interface LetterDeparture {
  /** The event that says the letter left. */
  eventId: number;
  type: "mailed" | "sent";
  /** What it was addressed to when it left; null when the event predates that record. */
  asSent: AsSentData | null;
  printedCopy: PrintedCopy;
}

export interface LetterPrinting {
  eventId: number;
  at: string;
  sha256: string;
  size: number;
  /** The letter's own SHA-256 when it was printed (an edit after the printing changes the letter's). */
  letterSha256: string;
}

export interface LetterProof extends ProofFileData {
  eventId: number;
  at: string;
}

const ofMessage = (events: readonly LetterEvent[], messageId: number) =>
  events.filter((e) => e.message_id === messageId);

function printedCopyOf(pdf: string | null | undefined): PrintedCopy {
  if (pdf === undefined) return { state: "not-recorded" };
  return pdf === null ? { state: "not-printed" } : { state: "held", sha256: pdf };
}

/** The first event that says the letter left, and what it recorded; undefined while it has not left. */
export function departureOf(events: readonly LetterEvent[], messageId: number): LetterDeparture | undefined {
  const own = ofMessage(events, messageId);
  for (const e of own) {
    if (e.type === "mailed") {
      return {
        eventId: e.id,
        type: "mailed",
        asSent: e.data.as_sent ?? null,
        printedCopy: printedCopyOf(e.data.pdf_sha256),
      };
    }
    if (e.type !== "sent") continue;
    const d = e.data;
    if ("via" in d) {
      return { eventId: e.id, type: "sent", asSent: d.as_sent ?? null, printedCopy: printedCopyOf(d.pdf_sha256) };
    }
    // By email: the record made when the bytes were frozen (`queued`) serves a send settled later (by a search).
    const smtp = "as_sent" in d ? d.as_sent : undefined;
    const queued = own.filter((q) => q.id < e.id).flatMap((q) => (q.type === "queued" && q.data.as_sent ? [q] : []));
    return {
      eventId: e.id,
      type: "sent",
      asSent: smtp ?? queued.at(-1)?.data.as_sent ?? null,
      printedCopy: { state: "email" },
    };
  }
  return undefined;
}

/** Every PDF loanmail printed of a letter, oldest first. */
export function printingsOf(events: readonly LetterEvent[], messageId: number): LetterPrinting[] {
  return ofMessage(events, messageId).flatMap((e) =>
    e.type === "printed"
      ? [{ eventId: e.id, at: e.at, sha256: e.data.sha256, size: e.data.size, letterSha256: e.data.letter_sha256 }]
      : [],
  );
}

/**
 * The printing that can be the copy that left on `leftOn`: the last one printed on or before that day (in the
 * user's zone). A PDF printed after the day a letter was mailed (a letter entered later, printed on entry) is not
 * the paper that was mailed, and the record must not call it so. `later` is such a printing, to say why.
 */
export function printingThatLeft(
  printings: readonly LetterPrinting[],
  leftOn: string,
  timeZone: string,
): { copy: LetterPrinting | undefined; later: LetterPrinting | undefined } {
  const before = printings.filter((p) => dayIn(p.at, timeZone) <= leftOn);
  return { copy: before.at(-1), later: before.length < printings.length ? printings.at(-1) : undefined };
}

/** The proof files kept with a letter, in the order they were added. */
export function proofsOf(events: readonly LetterEvent[], messageId: number): LetterProof[] {
  return ofMessage(events, messageId).flatMap((e) =>
    e.type === "mail-proof" ? e.data.files.map((f) => ({ ...f, eventId: e.id, at: e.at })) : [],
  );
}

/** How a proof file is named for people. */
export const PROOF_LABELS: Readonly<Record<ProofFileData["kind"], string>> = {
  receipt: "certified mail receipt (PS Form 3800)",
  "green-card": "return receipt (PS Form 3811, green card)",
  "tracking-proof": "USPS tracking page",
};

/**
 * Whom and where a letter was addressed when it left, on one line: "Mr. Cooper, PO Box 619098, Dallas, TX 75261"
 * (an address that starts with the servicer's name does not repeat it), or its email addresses.
 */
export function addressedTo(a: AsSentData): string {
  if (a.address) {
    const lines = a.address.split(/\r?\n/).map((l) => l.trim());
    const rest = lines[0]?.toLowerCase() === a.servicer.trim().toLowerCase() ? lines.slice(1) : lines;
    return [a.servicer, ...rest].filter(Boolean).join(", ");
  }
  return a.email.length > 0 ? `${a.servicer} <${a.email.join(", ")}>` : `${a.servicer} (by ${a.channel})`;
}

/** A letter's state as people read it: the outbox's "sent" is, for a posted letter, mailed and then delivered. */
export type LetterState = "draft" | "queued" | "sent" | "mailed" | "delivered" | "failed" | "unknown" | "discarded";

/** The state of a letter from its outbox state and whether its events record it mailed and delivered. */
export function letterState(outbox: string | null, mailed: boolean, delivered: boolean): LetterState {
  switch (outbox) {
    case "sent":
      return delivered ? "delivered" : mailed ? "mailed" : "sent";
    case "sending":
    case "queued":
      return "queued";
    case "failed":
    case "unknown":
    case "discarded":
      return outbox;
    default:
      return "draft";
  }
}
