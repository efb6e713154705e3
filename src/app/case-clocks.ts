/**
 * The clocks of one case on a day: read its stored facts (clock-facts.ts) and run the pure clock engine. Clocks
 * are computed, never stored; every command that shows, lists, measures or exports them goes through here.
 */
import type { IsoDate } from "../domain/calendar.js";
import { type CaseClockInput, type Clock, caseOptions, computeClocks, type LegalOption } from "../domain/clocks.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseClockInput } from "./clock-facts.js";

/** A case's clock facts (its letters, replies and dated events), its clocks and the borrower's options on `asOf`. */
export interface CaseClocks {
  facts: CaseClockInput;
  clocks: Clock[];
  /** What the borrower may do about a violation (a lawsuit's limit and what it needs): never a clock. */
  options: LegalOption[];
}

/** The facts, clocks and options of one case on the day `asOf`, dates taken in `timeZone`. */
export function readCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): CaseClocks {
  const facts = readCaseClockInput(db, c, timeZone);
  const clocks = computeClocks(facts, asOf);
  return { facts, clocks, options: caseOptions(facts, clocks, asOf) };
}

/** The clocks of one case on the day `asOf`, dates taken in `timeZone`. */
export function computeCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): Clock[] {
  return readCaseClocks(db, c, timeZone, asOf).clocks;
}
