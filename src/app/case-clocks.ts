/**
 * The clocks of one case on a day: read its stored facts (clock-facts.ts) and run the pure clock engine. Clocks
 * are computed, never stored; every command that shows, lists, measures or exports them goes through here. So are
 * the foreclosure protections its loss-mitigation events give (src/domain/dual-tracking.ts).
 */
import type { IsoDate } from "../domain/calendar.js";
import { type CaseClockInput, type Clock, computeClocks } from "../domain/clocks.js";
import { caseProtections, delinquencyProtection, type Protection } from "../domain/dual-tracking.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseClockInput } from "./clock-facts.js";

/** A case's clock facts (its letters, replies and dated events) and its clocks on `asOf`. */
export interface CaseClocks {
  facts: CaseClockInput;
  clocks: Clock[];
  /** The protections of the case's complete applications on `asOf` (the loan's own 120-day bar is not here). */
  protections: Protection[];
}

/** The facts and clocks of one case on the day `asOf`, dates taken in `timeZone`. */
export function readCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): CaseClocks {
  const facts = readCaseClockInput(db, c, timeZone);
  return { facts, clocks: computeClocks(facts, asOf), protections: caseProtections(facts, asOf) };
}

/** Every protection that bears on a case: its loan's 120-day bar first, then its applications'. */
export function protectionsOfCase(cc: CaseClocks, asOf: IsoDate): Protection[] {
  const loan = delinquencyProtection(cc.facts.loan, asOf);
  return [...(loan ? [loan] : []), ...cc.protections];
}

/** The clocks of one case on the day `asOf`, dates taken in `timeZone`. */
export function computeCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): Clock[] {
  return readCaseClocks(db, c, timeZone, asOf).clocks;
}
