/** Clocks started by what happened to the case rather than by a letter. */
import { borrowerDeadline } from "./borrower-deadlines.js";
import { addDays, type IsoDate } from "./calendar.js";
import { cfpbClocks } from "./cfpb-clocks.js";
import type { CaseClockInput, Clock, ClockSpec } from "./clock-types.js";
import { paidOffClocks } from "./paid-off-clocks.js";
import { outsideRegX } from "./regx-scope.js";
import { buildClock, runClock } from "./run-clock.js";

/** Clocks started by case events rather than letters (payment in full, complete application, CFPB complaint). */
export function eventClocks(input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  for (const ev of input.events) {
    if (ev.type === "paid-off") clocks.push(...paidOffClocks(ev.on, input, asOf));
    if (ev.type === "application-complete") {
      const spec: ClockSpec = {
        id: "lossmit-decision",
        name: "Loss mitigation: evaluation and decision",
        rule: "12 C.F.R. 1024.41(c)(1)",
        days: 30,
        unit: "calendar",
        meets: ["response"],
      };
      const sale = ev.data?.["sale-date"];
      const outside = outsideRegX("loss-mitigation", input.loan);
      if (outside) clocks.push(buildClock(spec, "not-applicable", outside));
      else if (sale && addDays(ev.on, 37) >= sale)
        clocks.push(buildClock(spec, "not-applicable", `complete 37 days or fewer before the sale on ${sale}`));
      else clocks.push(runClock(spec, { what: "application complete", on: ev.on }, input.replies, asOf));
    }
    if (ev.type === "denied") {
      clocks.push(
        borrowerDeadline(
          "lossmit-appeal",
          "Appeal the loan modification denial",
          "12 C.F.R. 1024.41(h)(2)",
          { what: "denial received", on: ev.on },
          addDays(ev.on, 14),
          asOf,
        ),
      );
    }
  }
  // The CFPB's complaint process reads all of a case's complaints and responses together.
  clocks.push(...cfpbClocks(input.events, asOf));
  return clocks;
}
