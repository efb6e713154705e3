/**
 * Where the clocks read a case's stored rows (its loan, the servicer of its opening, its events, messages and each
 * reply's first INTERNALDATE): one case at a time for a command about one case, or in batches of a hundred for a
 * listing over many. A counselor's `due` or `client list` over 1,500 cases would otherwise make ten thousand
 * small reads (issue 12's scale target: under half a second). Both give the same rows but for one difference: a
 * batch leaves out the replies that cannot count, of class other and meeting their clocks (src/store/clock-rows.ts,
 * REPLY_COUNTS_TERM); the clocks and what `due` lists come out the same.
 */
import type { CaseRecord } from "../store/cases.js";
import { listLettersOfCases, listRepliesOfCases, type ReplyClockFacts } from "../store/clock-rows.js";
import { type Db, readThroughMap } from "../store/db.js";
import { readCaseEvents, readClockEventsOfCases, type StoredEvent } from "../store/events.js";
import { type Loan, listAllPastAccounts, listLoans, type PastAccount, requireLoan } from "../store/loans.js";
import { type ClockMessage, listCaseMessages } from "../store/messages.js";
import { firstInternalDate, firstInternalDatesOfCases } from "../store/origins.js";
import { requireServicer, type Servicer } from "../store/servicers.js";
import { servicerIdWhenOpened, servicerWhenOpened } from "./departure.js";

export interface CaseRows {
  loan(c: CaseRecord): Loan;
  /** Whoever serviced the loan when the case opened (src/app/departure.ts). */
  servicerWhenOpened(c: CaseRecord): Servicer;
  /** Its events, in order: all of them, or (a batch) at least those of CLOCK_EVENT_TYPES (src/domain/events.ts). */
  events(c: CaseRecord): StoredEvent[];
  /** Its letters (messages out), in order. */
  letters(c: CaseRecord): ClockMessage[];
  /**
   * Its replies (messages in), in order: what decides their clocks (a whole message, or a batch's narrow read of
   * those that can count).
   */
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

/** What every batch of a listing shares: the home's loans, their past accounts and servicers, each read once. */
export interface Caseload {
  /** Every loan of the home, in id order. */
  loans: readonly Loan[];
  /** Every loan's past accounts (servicing transfers), by loan id. */
  pastAccounts: ReadonlyMap<number, PastAccount[]>;
  loan(c: CaseRecord): Loan;
  servicerWhenOpened(c: CaseRecord): Servicer;
}

export function readCaseload(db: Db): Caseload {
  readThroughMap(db);
  const loans = listLoans(db);
  const byId = new Map(loans.map((l) => [l.id, l]));
  const pastAccounts = listAllPastAccounts(db);
  const servicers = new Map<number, Servicer>();
  const servicer = (id: number) => {
    let s = servicers.get(id);
    if (!s) {
      s = requireServicer(db, id);
      servicers.set(id, s);
    }
    return s;
  };
  const loan = (c: CaseRecord) => byId.get(c.loanId) ?? requireLoan(db, String(c.loanId));
  return {
    loans,
    pastAccounts,
    loan,
    servicerWhenOpened: (c) => {
      const l = loan(c);
      return servicer(servicerIdWhenOpened(c, l, pastAccounts.get(l.id) ?? []));
    },
  };
}

/** Every row of `cases` read up front in a few queries: for a listing over many cases. */
export function caseRowsInBatch(db: Db, cases: readonly CaseRecord[], caseload = readCaseload(db)): CaseRows {
  const ids = cases.map((c) => c.id);
  const events = readClockEventsOfCases(db, ids);
  const letters = listLettersOfCases(db, ids);
  const replies = listRepliesOfCases(db, ids);
  const internalDates = firstInternalDatesOfCases(db, ids);
  return {
    loan: caseload.loan,
    servicerWhenOpened: caseload.servicerWhenOpened,
    events: (c) => events.get(c.id) ?? [],
    letters: (c) => letters.get(c.id) ?? [],
    replies: (c) => replies.get(c.id) ?? [],
    firstInternalDate: (id) => internalDates.get(id) ?? null,
  };
}

/**
 * How many cases a listing reads at a time. A caseload's replies held all at once (20,000 of them) outlive every
 * young-generation collection and are copied by each; a hundred cases' worth (about 1,300 messages) are read,
 * used and dropped before the next batch, and the queries stay few (four per batch).
 */
const BATCH_CASES = 100;

/** Each of `cases` in order with the rows of its batch: a listing over a caseload walks them with this. */
export function* eachCaseWithRows(
  db: Db,
  cases: readonly CaseRecord[],
  caseload: Caseload = readCaseload(db),
): Generator<[CaseRecord, CaseRows]> {
  for (let at = 0; at < cases.length; at += BATCH_CASES) {
    const batch = cases.slice(at, at + BATCH_CASES);
    const rows = caseRowsInBatch(db, batch, caseload);
    for (const c of batch) yield [c, rows];
  }
}
