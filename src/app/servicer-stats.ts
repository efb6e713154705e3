/**
 * `stats`: per servicer and kind of letter, how fast the servicer answers and how often on time, from the
 * letters, replies and clocks of every case that left (buildStatsRows in stats.ts does the counting).
 */
import type { IsoDate } from "../domain/calendar.js";
import { listCases } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { type Loan, listLoans, listPastAccounts, requireClient } from "../store/loans.js";
import { readCaseClocks } from "./case-clocks.js";
import type { Session } from "./session.js";
import { buildStatsRows, type StatsCase, type StatsRow } from "./stats.js";

export type { StatsRow } from "./stats.js";

/** Who serviced a loan on a date: the past servicer whose period the date falls in, else the current one. */
function servicerOnFor(db: Db, loan: Loan): (date: IsoDate) => string {
  const past = listPastAccounts(db, loan.id);
  return (date) => past.find((p) => date < p.until)?.servicerName ?? loan.servicerName;
}

/** Rows per servicer and kind as of `asOf`, over one client's cases (--client) or every client's. */
export function measureServicers(s: Session, req: { asOf: IsoDate; clientName?: string }): StatsRow[] {
  const db = s.db();
  const tz = s.timeZone();
  const clientId = req.clientName ? requireClient(db, req.clientName) : undefined;
  const loans = new Map(listLoans(db, clientId).map((l) => [l.id, l]));
  const servicerOn = new Map<number, (date: IsoDate) => string>();
  const cases: StatsCase[] = [];
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
    cases.push({ kind: c.kind, servicerOn: on, letters: facts.letters, replies: facts.replies, clocks });
  }
  return buildStatsRows(cases);
}
