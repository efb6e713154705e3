/**
 * The dates of a case's letters and replies as the record states them, for the checks that keep a letter and a
 * recorded date from contradicting the record (docs/ARCHITECTURE.md, "Dates a letter and the record agree on"):
 *
 * - a letter is *written* on the day given with `compose --dated D` (a letter written before it was entered), else
 *   on the day it was entered (its `composed` event, in the user's time zone);
 * - it *left* on the day it was mailed, the day `sent` states (portal, fax, hand, or a letter the user emailed
 *   from elsewhere and imported), or, for email, the day of its Date header frozen when it was handed to SMTP;
 *   a letter that did not leave (a draft, a failed or unknown send) has no leaving day;
 * - a reply *arrived* on the server's INTERNALDATE (else its Date header) in the user's time zone, or on the day
 *   typed for a reply on paper, by portal or fax.
 *
 * The clocks read the leaving and arrival days through the same two functions (app/clock-facts.ts); the written
 * day starts no clock.
 */
import { type EventDataByType, sentOnOf } from "../domain/events.js";
import { storedArrival } from "../domain/reply-arrival.js";
import { meetsClocks, standingOf } from "../domain/reply-trust.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import type { ReplyClockFacts } from "../store/clock-rows.js";
import type { Db } from "../store/db.js";
import { readCaseEvents, type StoredEvent } from "../store/events.js";
import { type ClockMessage, listCaseMessages, type MessageRecord } from "../store/messages.js";
import { firstInternalDate } from "../store/origins.js";

export interface LetterDates {
  message: MessageRecord;
  /** The day the letter was written (YYYY-MM-DD): `--dated D`, else the day it was entered. */
  writtenOn: string;
  /** The day it was entered when it was recorded later than written (`--dated`); else undefined. */
  enteredOn: string | undefined;
  /** The day it left (YYYY-MM-DD), or null while it has not. */
  leftOn: string | null;
}

export interface ReplyDates {
  message: MessageRecord;
  receivedOn: string;
}

/** What the events of one letter say about when it left (the latest of each: a letter may be recorded again). */
export interface LeavingFacts {
  mailedOn?: string | undefined;
  sent?: { at: string; data: EventDataByType["sent"] } | undefined;
}

/** The day a letter left, or null while it has not: the one rule for the clocks and for the checks. */
export function leftOnOf(m: ClockMessage, facts: LeavingFacts, timeZone: string): string | null {
  if (m.state !== "sent") return null;
  const local = (iso: string) => isoDateIn(new Date(iso), timeZone);
  const sentOn = facts.sent ? sentOnOf(facts.sent.data) : undefined;
  // Email left when it was sent: its Date header was frozen at that moment (queue time, right before SMTP).
  return facts.mailedOn ?? sentOn ?? (m.date ? local(m.date) : facts.sent ? local(facts.sent.at) : null);
}

/**
 * The moment an email left loanmail: its Date header, frozen as it was queued (else the `sent` event's time).
 * Null for a day given by hand (`mailed --date`, `sent --via ... --date`) and for anything not emailed.
 */
export function leftAtOf(m: ClockMessage & { channel: string }, facts: LeavingFacts): string | null {
  if (m.state !== "sent" || facts.mailedOn !== undefined) return null;
  if (m.channel !== "email" && m.channel !== "notice-email") return null;
  if (facts.sent && sentOnOf(facts.sent.data) !== undefined) return null;
  return m.date ?? facts.sent?.at ?? null;
}

/** The moment an email reply reached the mailbox (as receivedOnOf reads it); undefined for paper. */
export function receivedAtOf(m: ReplyClockFacts, internalDate: string | null): string | undefined {
  if (m.channel !== "email") return undefined;
  const { channel, date, arrivedAt, arrival, arrivedBy, createdAt } = m;
  return storedArrival({ channel, date, internalDate, arrivedAt, arrival, arrivedBy, createdAt }).at;
}

/**
 * The day a reply arrived: the typed day for paper; for email when it reached the user's mailbox (INTERNALDATE, or
 * the user's own server's Received header at import, else the time it was recorded). Never the sender's Date.
 */
export function receivedOnOf(
  db: Db,
  m: ReplyClockFacts,
  timeZone: string,
  /** Its earliest INTERNALDATE when the caller read it already (null: never seen in a mailbox); else it is read. */
  internalDate?: string | null,
): string {
  const local = (iso: string) => isoDateIn(new Date(iso), timeZone);
  if (m.channel !== "email") return (m.date ?? local(m.createdAt)).slice(0, 10);
  const firstSeen = internalDate !== undefined ? internalDate : firstInternalDate(db, m.id);
  const { channel, date, arrivedAt, arrival, arrivedBy, createdAt } = m;
  return local(storedArrival({ channel, date, internalDate: firstSeen, arrivedAt, arrival, arrivedBy, createdAt }).at);
}

function datesOfLetter(m: MessageRecord, events: readonly StoredEvent[], timeZone: string): LetterDates {
  const local = (iso: string) => isoDateIn(new Date(iso), timeZone);
  const facts: LeavingFacts = {};
  let composed: { at: string; dated: string | undefined } | undefined;
  for (const e of events) {
    if (e.message_id !== m.id) continue;
    if (e.type === "composed") composed = { at: e.at, dated: e.data.dated };
    else if (e.type === "mailed") facts.mailedOn = e.data.mailed_on;
    else if (e.type === "sent") facts.sent = { at: e.at, data: e.data };
  }
  const entered = local(composed?.at ?? m.createdAt);
  return {
    message: m,
    writtenOn: composed?.dated ?? entered,
    enteredOn: composed?.dated === undefined ? undefined : entered,
    leftOn: leftOnOf(m, facts, timeZone),
  };
}

/** Every letter of a case (in the order entered) with the day it was written and the day it left. */
export function readLetterDates(db: Db, caseId: number, timeZone: string): LetterDates[] {
  const events = readCaseEvents(db, caseId);
  return listCaseMessages(db, caseId)
    .filter((m) => m.direction === "out")
    .map((m) => datesOfLetter(m, events, timeZone));
}

/** The letters of a case that left, earliest first. */
export function lettersThatLeft(db: Db, caseId: number, timeZone: string): (LetterDates & { leftOn: string })[] {
  return readLetterDates(db, caseId, timeZone)
    .flatMap((l) => (l.leftOn === null ? [] : [{ ...l, leftOn: l.leftOn }]))
    .sort((a, b) => a.leftOn.localeCompare(b.leftOn) || a.message.id - b.message.id);
}

/** The replies of a case with the day each arrived, earliest first. */
export function readReplyDates(db: Db, caseId: number, timeZone: string): ReplyDates[] {
  return (
    listCaseMessages(db, caseId)
      // Only a reply that may meet a clock (trusted, or confirmed by the user) can be cited as the servicer's answer.
      .filter((m) => m.direction === "in" && meetsClocks({ trust: standingOf(m) }))
      .map((m) => ({ message: m, receivedOn: receivedOnOf(db, m, timeZone) }))
      .sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.message.id - b.message.id)
  );
}

/** "letter 3 (draft)", "letters 3 (draft) and 4 (failed)": what a case holds that did not leave. */
export function describeUnsent(letters: readonly LetterDates[]): string {
  const parts = letters.filter((l) => l.leftOn === null).map((l) => `${l.message.id} (${l.message.state ?? "?"})`);
  if (parts.length === 0) return "no letter";
  const last = parts.pop();
  return parts.length === 0 ? `letter ${last}` : `letters ${parts.join(", ")} and ${last}`;
}

/**
 * Refuse a day that a letter cannot have left on: before it was written. Names both days; for a letter entered
 * without --dated, says how to record one written earlier.
 */
export function checkNotBeforeWritten(letter: LetterDates, flag: string, day: string, what: string): void {
  if (day >= letter.writtenOn) return;
  const id = letter.message.id;
  const written =
    letter.enteredOn === undefined
      ? `letter ${id} was composed on ${letter.writtenOn}`
      : `letter ${id} was written on ${letter.writtenOn}`;
  throw new UserError(`${flag} ${day}: the letter cannot have been ${what} before it existed (${written})`, {
    code: "DATES_OUT_OF_ORDER",
    hint:
      letter.enteredOn === undefined
        ? `check the date; a letter written before you entered it is recorded with its own day: loanmail compose KIND ... --dated YYYY-MM-DD (discard this draft first)`
        : `check the date; it must be ${letter.writtenOn} or later`,
  });
}
