/**
 * The clocks of one case on a day: read its stored facts (clock-facts.ts) and run the pure clock engine. Clocks
 * are computed, never stored; every command that shows, lists, measures or exports them goes through here.
 */
import type { IsoDate } from "../domain/calendar.js";
import { type CaseClockInput, type Clock, computeClocks } from "../domain/clocks.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseClockInput } from "./clock-facts.js";

/** A case's clock facts (its letters, replies and dated events) and its clocks on `asOf`. */
export interface CaseClocks {
  facts: CaseClockInput;
  clocks: Clock[];
}

/** The facts and clocks of one case on the day `asOf`, dates taken in `timeZone`. */
export function readCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): CaseClocks {
  const facts = readCaseClockInput(db, c, timeZone);
  return { facts, clocks: computeClocks(facts, asOf) };
}

/** The clocks of one case on the day `asOf`, dates taken in `timeZone`. */
export function computeCaseClocks(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): Clock[] {
  return readCaseClocks(db, c, timeZone, asOf).clocks;
}
