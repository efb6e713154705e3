/**
 * Where the clocks read a case's stored rows (its loan, the servicer of its opening, its events, messages and each
 * reply's first INTERNALDATE): one case at a time for a command about one case, or from one batch read for a
 * listing over many. A counselor's `due` or `client list` over 1,500 cases would otherwise make ten thousand
 * small reads (issue 12's scale target: under half a second). Both give the same rows; only the number of
 * queries differs.
 */
import { CASE_EVENT_TYPES } from "../domain/events.js";
import type { CaseRecord } from "../store/cases.js";
import { listLettersOfCases, listRepliesOfCases, type ReplyClockFacts } from "../store/clock-rows.js";
import { type Db, readThroughMap } from "../store/db.js";
import { readCaseEvents, readEventsOfCases, type StoredEvent } from "../store/events.js";
import { type Loan, listAllPastAccounts, listLoans, type PastAccount, requireLoan } from "../store/loans.js";
import { type ClockMessage, listCaseMessages } from "../store/messages.js";
import { firstInternalDate, firstInternalDatesOfCases } from "../store/origins.js";
import { requireServicer, type Servicer } from "../store/servicers.js";
import { servicerIdWhenOpened, servicerWhenOpened } from "./departure.js";

/**
 * The event types readCaseClockInput (clock-facts.ts) reads: a letter's composing and leaving, and the dated case events. The
 * others (a reply's `received`, notes, exports...) change no clock, so a batch read over a caseload skips them.
 */
export const CLOCK_EVENT_TYPES: readonly string[] = [
  "composed",
  "queued",
  "sent",
  "mailed",
  "delivered",
  "cfpb-response",
  ...CASE_EVENT_TYPES,
];

export interface CaseRows {
  loan(c: CaseRecord): Loan;
  /** Whoever serviced the loan when the case opened (src/app/departure.ts). */
  servicerWhenOpened(c: CaseRecord): Servicer;
  /** Its events, in order: all of them, or (a batch) at least those of CLOCK_EVENT_TYPES. */
  events(c: CaseRecord): StoredEvent[];
  /** Its letters (messages out), in order. */
  letters(c: CaseRecord): ClockMessage[];
  /** Its replies (messages in), in order: what decides their clocks (a whole message, or a batch's narrow read). */
  replies(c: CaseRecord): ReplyClockFacts[];
  /** A received message's earliest INTERNALDATE, or null when no mailbox ever gave one. */
  firstInternalDate(messageId: number): string | null;
}

/** Each read as it is asked for: for one case. */
export function caseRowsOneByOne(db: Db): CaseRows {
  return {
    loan: (c) => requireLoan(db, String(c.loanId)),
    servicerWhenOpened: (c) => servicerWhenOpened(db, c),
    events: (c) => readCaseEvents(db, c.id),
    letters: (c) => listCaseMessages(db, c.id).filter((m) => m.direction === "out"),
    replies: (c) => listCaseMessages(db, c.id).filter((m) => m.direction === "in"),
    firstInternalDate: (id) => firstInternalDate(db, id),
  };
}

/** What a batch read gives besides the rows of its cases: a listing over the loans needs them too. */
export interface CaseRowsBatch extends CaseRows {
  /** Every loan of the home, in id order. */
  loans: readonly Loan[];
  /** Every loan's past accounts (servicing transfers), by loan id. */
  pastAccounts: ReadonlyMap<number, PastAccount[]>;
}

/** Every row of `cases` read up front in a few queries: for a listing over many cases. */
export function caseRowsInBatch(db: Db, cases: readonly CaseRecord[]): CaseRowsBatch {
  const ids = cases.map((c) => c.id);
  readThroughMap(db);
  const allLoans = listLoans(db);
  const loans = new Map(allLoans.map((l) => [l.id, l]));
  const past = listAllPastAccounts(db);
  const events = readEventsOfCases(db, ids, CLOCK_EVENT_TYPES);
  const letters = listLettersOfCases(db, ids);
  const replies = listRepliesOfCases(db, ids);
  const internalDates = firstInternalDatesOfCases(db, ids);
  const servicers = new Map<number, Servicer>();
  const servicer = (id: number) => {
    let s = servicers.get(id);
    if (!s) {
      s = requireServicer(db, id);
      servicers.set(id, s);
    }
    return s;
  };
  const loanOf = (c: CaseRecord) => loans.get(c.loanId) ?? requireLoan(db, String(c.loanId));
  return {
    loans: allLoans,
    pastAccounts: past,
    loan: loanOf,
    servicerWhenOpened: (c) => {
      const loan = loanOf(c);
      return servicer(servicerIdWhenOpened(c, loan, past.get(loan.id) ?? []));
    },
    events: (c) => events.get(c.id) ?? [],
    letters: (c) => letters.get(c.id) ?? [],
    replies: (c) => replies.get(c.id) ?? [],
    firstInternalDate: (id) => internalDates.get(id) ?? null,
  };
}
