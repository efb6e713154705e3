/**
 * The clocks of one case on a day: read its stored facts (clock-facts.ts) and run the pure clock engine. Clocks
 * are computed, never stored; every command that shows, lists, measures or exports them goes through here. So are
 * the borrower's options (src/domain/options.ts) and the foreclosure protections its loss-mitigation events give
 * (src/domain/dual-tracking.ts).
 */
import type { IsoDate } from "../domain/calendar.js";
import {
  type CaseClockInput,
  type Clock,
  caseOptions,
  computeClocks,
  type LegalOption,
  loanTransferRules,
  transfersOf,
} from "../domain/clocks.js";
import { caseProtections, delinquencyProtection } from "../domain/dual-tracking.js";
import type { Protection } from "../domain/protections.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { type Loan, listPastAccounts } from "../store/loans.js";
import type { CaseRows } from "./case-rows.js";
import { readCaseClockInput } from "./clock-facts.js";

/** A case's clock facts (its letters, replies and dated events), its clocks, options and protections on `asOf`. */
export interface CaseClocks {
  facts: CaseClockInput;
  clocks: Clock[];
  /** What the borrower may do about a violation (a lawsuit's limit and what it needs): never a clock. */
  options: LegalOption[];
  /** The protections of the case's complete applications on `asOf` (the loan's own 120-day bar is not here). */
  protections: Protection[];
}

/** The facts, clocks, options and protections of one case on the day `asOf`, dates taken in `timeZone`. */
export function readCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate, rows?: CaseRows): CaseClocks {
  const facts = readCaseClockInput(db, c, timeZone, rows);
  const clocks = computeClocks(facts, asOf);
  return { facts, clocks, options: caseOptions(facts, clocks, asOf), protections: caseProtections(facts, asOf) };
}

/**
 * Every foreclosure protection that bears on a case: its loan's 120-day bar first, then `loanOwn` (the loan's
 * other protections, such as a transfer's 60 days, when the caller lists them), then its applications'.
 */
export function protectionsOfCase(cc: CaseClocks, asOf: IsoDate, loanOwn: readonly Protection[] = []): Protection[] {
  const loan = delinquencyProtection(cc.facts.loan, asOf);
  return [...(loan ? [loan] : []), ...loanOwn, ...cc.protections];
}

/** The 60-day payment protection of each of the loan's servicing transfers in force on `asOf` (1024.33(c)(1)). */
export function transferProtectionsOf(db: Db, loan: Loan, asOf: IsoDate): Protection[] {
  const transfers = transfersOf(listPastAccounts(db, loan.id), loan.servicerName);
  return loanTransferRules(loan.product, transfers, asOf).protections;
}

/** The clocks of one case on the day `asOf`, dates taken in `timeZone`. */
export function computeCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate, rows?: CaseRows): Clock[] {
  return readCaseClocks(db, c, timeZone, asOf, rows).clocks;
}
