/** Clocks started by what happened to the case rather than by a letter. */
import type { IsoDate } from "./calendar.js";
import { cfpbClocks } from "./cfpb-clocks.js";
import type { CaseClockInput, Clock } from "./clock-types.js";
import { lossMitigationClocks } from "./loss-mitigation-clocks.js";
import { paidOffClocks } from "./paid-off-clocks.js";

/** Clocks started by case events rather than letters (payment in full, complete application, CFPB complaint). */
export function eventClocks(input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  for (const ev of input.events) if (ev.type === "paid-off") clocks.push(...paidOffClocks(ev.on, input, asOf));
  // Loss mitigation reads the case's events together (an offer needs its application): loss-mitigation-clocks.ts.
  clocks.push(...lossMitigationClocks(input, asOf));
  // The CFPB's complaint process reads all of a case's complaints and responses together.
  clocks.push(...cfpbClocks(input.events, asOf));
  return clocks;
}
