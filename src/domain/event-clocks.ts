/** Clocks started by what happened to the case rather than by a letter. */
import { addYears, borrowerDeadline } from "./borrower-deadlines.js";
import { addDays, type IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock, ClockSpec } from "./clock-types.js";
import { outsideRegX } from "./regx-scope.js";
import { buildClock, runClock } from "./run-clock.js";

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
  return clocks;
}
