/**
 * `show CASE`: everything about one case (its loan and servicer, each message with its exhibits, the event log
 * and the clocks on a day). Printing a letter is letter-pdf.ts.
 */
import type { IsoDate } from "../domain/calendar.js";
import type { Clock, LegalOption } from "../domain/clocks.js";
import {
  departureOf,
  type LetterDeparture,
  type LetterPrinting,
  type LetterProof,
  printingsOf,
  proofsOf,
} from "../domain/departure.js";
import { type StatedWhen, statedWhen } from "../domain/event-when.js";
import type { Protection } from "../domain/protections.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents, type StoredEvent } from "../store/events.js";
import { type Loan, requireLoan } from "../store/loans.js";
import { type AttachmentRecord, listAttachments, listCaseMessages, type MessageRecord } from "../store/messages.js";
import { requireServicer, type Servicer } from "../store/servicers.js";
import { protectionsOfCase, readCaseClocks, transferProtectionsOf } from "./case-clocks.js";
import { type CaseLetter, readCaseLetters as readLetterRecords } from "./case-letters.js";
import { readLetterDates } from "./letter-history.js";
import { type ReplyView, replyViewOf } from "./reply-checks.js";
import type { Session } from "./session.js";

export type { AttachmentRecord, MessageRecord } from "../store/messages.js";
export type { ReplyView } from "./reply-checks.js";

/** One event as `show` lists it. */
export interface CaseViewEvent {
  id: number;
  at: string;
  type: StoredEvent["type"];
  actor: string;
  message: number | null;
  data: StoredEvent["data"];
  hash: string;
  /** The day or moment the event names, when the user gave one (a mailing day, a call's time), else null. */
  stated: StatedWhen | null;
}

/** What the record says about a letter beyond its bytes: how it left, its printings, its proof of mailing. */
export interface LetterRecordView {
  departure: LetterDeparture | null;
  printings: LetterPrinting[];
  proofs: LetterProof[];
}

export interface CaseView {
  case: CaseRecord;
  asOf: IsoDate;
  clocks: Clock[];
  /** The borrower's options on `asOf` (a lawsuit's limit and what it needs): never clocks. */
  options: LegalOption[];
  /**
   * The protections bearing on the case on `asOf`: its loan's 120-day bar and a transfer's 60 days, then its
   * applications' (never clocks).
   */
  protections: Protection[];
  loan: Loan;
  servicer: Servicer;
  /** Each message with its exhibits, its letter record, and for a reply when it arrived and who sent it. */
  messages: ({ message: MessageRecord; exhibits: AttachmentRecord[]; reply: ReplyView | null } & LetterRecordView)[];
  /** Every letter of the case with its state, channel, recipient, exhibits, hash and Reg X effect. */
  letters: CaseLetter[];
  events: CaseViewEvent[];
  /** Letters written before they were entered (`compose --dated`): the day written and the day entered. */
  dated: ReadonlyMap<number, { writtenOn: string; enteredOn: string }>;
}

interface CaseLetters {
  loan: Loan;
  servicer: Servicer;
  messages: { message: MessageRecord; exhibits: AttachmentRecord[]; reply: ReplyView | null }[];
}

function readCaseLetters(db: Db, c: CaseRecord): CaseLetters {
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  const messages = listCaseMessages(db, c.id).map((m) => ({
    message: m,
    exhibits: listAttachments(db, m.id),
    reply: replyViewOf(db, m),
  }));
  return { loan, servicer, messages };
}

/** The case found by findCase, with its clocks on `asOf`. */
export function readCaseView(s: Session, c: CaseRecord, asOf: IsoDate): CaseView {
  const db = s.db();
  const { loan, servicer, messages } = readCaseLetters(db, c);
  const stored = readCaseEvents(db, c.id);
  const withRecord = messages.map((x) => ({
    ...x,
    departure: departureOf(stored, x.message.id) ?? null,
    printings: printingsOf(stored, x.message.id),
    proofs: proofsOf(stored, x.message.id),
  }));
  const events = stored.map((e) => ({
    id: e.id,
    at: e.at,
    type: e.type,
    actor: e.actor,
    message: e.message_id,
    data: e.data,
    hash: e.hash,
    stated: statedWhen(e.type, e.data as Readonly<Record<string, unknown>>),
  }));
  const cc = readCaseClocks(db, c, s.timeZone(), asOf);
  const dated = new Map(
    readLetterDates(db, c.id, s.timeZone()).flatMap((l) =>
      l.enteredOn === undefined ? [] : [[l.message.id, { writtenOn: l.writtenOn, enteredOn: l.enteredOn }] as const],
    ),
  );
  return {
    case: c,
    asOf,
    clocks: cc.clocks,
    options: cc.options,
    protections: protectionsOfCase(cc, asOf, transferProtectionsOf(db, loan, asOf)),
    loan,
    servicer,
    messages: withRecord,
    letters: readLetterRecords(db, c, s.timeZone()),
    events,
    dated,
  };
}
