/** Clocks started by what happened to the case rather than by a letter. */
import { addYears, borrowerDeadline } from "./borrower-deadlines.js";
import type { IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock, ClockSpec } from "./clock-types.js";
import { lossMitigationClocks } from "./loss-mitigation-clocks.js";
import { runClock } from "./run-clock.js";

/** Clocks started by case events rather than letters (payment in full, complete application, CFPB complaint). */
export function eventClocks(input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  for (const ev of input.events) {
    if (ev.type === "paid-off") {
      const spec: ClockSpec = {
        id: "escrow-refund",
        name: "Escrow balance refund after payoff",
        rule: "12 C.F.R. 1024.34(b)",
        days: 20,
        unit: "business",
        meets: ["response"],
      };
      clocks.push(runClock(spec, { what: "loan paid in full", on: ev.on }, input.replies, asOf));
      clocks.push(
        borrowerDeadline(
          "noe-window-payoff",
          "Send any notice of error or request for information",
          "12 C.F.R. 1024.35(g)(1)(iii), 1024.36(f)(1)(v)",
          { what: "loan paid in full", on: ev.on },
          addYears(ev.on, 1),
          asOf,
        ),
      );
    }
    if (ev.type === "cfpb-filed") {
      const what = `CFPB complaint ${ev.data?.["cfpb-id"] ?? ""} sent to the company`.replace("  ", " ");
      for (const [id, name, days] of [
        ["cfpb-response", "CFPB: company response", 15],
        ["cfpb-closed", "CFPB: complaint closed", 60],
      ] as const) {
        const spec: ClockSpec = {
          id,
          name,
          rule: "CFPB complaint process (not a regulation)",
          days,
          unit: "calendar",
          meets: ["response"],
        };
        clocks.push(runClock(spec, { what, on: ev.on }, input.replies, asOf));
      }
    }
  }
  // Loss mitigation reads the case's events together (an offer needs its application): loss-mitigation-clocks.ts.
  clocks.push(...lossMitigationClocks(input, asOf));
  return clocks;
}
