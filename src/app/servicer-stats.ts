/**
 * `stats`: per servicer and kind of letter, how fast the servicer answers and how often on time, from the
 * letters, replies and clocks of every case that left (buildStatsRows in stats.ts does the counting).
 */
import type { IsoDate } from "../domain/calendar.js";
import { listCases } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { type Loan, listLoans, listPastAccounts } from "../store/loans.js";
import { readCaseClocks } from "./case-clocks.js";
import { fenceId } from "./client-scope.js";
import type { Session } from "./session.js";
import {
  buildServicerSummaries,
  buildStatsRows,
  type ServicerSummary,
  type StatsCase,
  type StatsRow,
} from "./stats.js";

export type { ServicerSummary, StatsRow } from "./stats.js";

/** Who serviced a loan on a date: the past servicer whose period the date falls in, else the current one. */
function servicerOnFor(db: Db, loan: Loan): (date: IsoDate) => string {
  const past = listPastAccounts(db, loan.id);
  return (date) => past.find((p) => date < p.until)?.servicerName ?? loan.servicerName;
}

/** A row of `stats`: one client's letters of one kind to one servicer. */
export type ClientStatsRow = StatsRow & { client: string };

/** A summary line of `stats`: one client's letters of every kind to one servicer. */
export type ClientServicerSummary = ServicerSummary & { client: string };

/** What `stats` shows: the rows per kind and one summary line per servicer (each per client). */
export interface ServicerMeasures {
  rows: ClientStatsRow[];
  servicers: ClientServicerSummary[];
}

/**
 * Rows per client, servicer and kind as of `asOf`, over the fenced client's cases or every client's (a home of
 * several clients counts each household's letters apart, so that a row says whose they are).
 */
export function measureServicers(s: Session, req: { asOf: IsoDate }): ServicerMeasures {
  const db = s.db();
  const tz = s.timeZone();
  const clientId = fenceId(s);
  const loans = new Map(listLoans(db, clientId).map((l) => [l.id, l]));
  const servicerOn = new Map<number, (date: IsoDate) => string>();
  const byClient = new Map<string, StatsCase[]>();
  for (const c of listCases(db, clientId === undefined ? {} : { clientId })) {
    if (c.status === "draft" || c.status === "discarded") continue;
    const loan = loans.get(c.loanId);
    if (!loan) continue;
    let on = servicerOn.get(loan.id);
    if (!on) {
      on = servicerOnFor(db, loan);
      servicerOn.set(loan.id, on);
    }
    const { facts, clocks } = readCaseClocks(db, c, tz, req.asOf);
    const cases = byClient.get(c.clientName) ?? [];
    cases.push({ kind: c.kind, servicerOn: on, letters: facts.letters, replies: facts.replies, clocks });
    byClient.set(c.clientName, cases);
  }
  const clients = [...byClient.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    rows: clients.flatMap(([client, cases]) => buildStatsRows(cases).map((row) => ({ client, ...row }))),
    servicers: clients.flatMap(([client, cases]) => buildServicerSummaries(cases).map((sum) => ({ client, ...sum }))),
  };
}
