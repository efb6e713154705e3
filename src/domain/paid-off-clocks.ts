/**
 * What paying the loan in full starts: the servicer's escrow refund (12 C.F.R. 1024.34(b)) and the borrower's one
 * year to send a notice of error or request for information (1024.35(g)(1)(iii)(B), 1024.36(f)(1)(v)(B)). Both are
 * Regulation X, so a HELOC (not a "mortgage loan" under 1024.31) has neither.
 */
import { addYears, borrowerDeadline } from "./borrower-deadlines.js";
import type { IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock, ClockSpec } from "./clock-types.js";
import { regXSectionOutside } from "./regx-scope.js";
import { buildClock, runClock } from "./run-clock.js";

const ESCROW_REFUND: ClockSpec = {
  id: "escrow-refund",
  name: "Escrow balance refund after payoff",
  rule: "12 C.F.R. 1024.34(b)",
  days: 20,
  unit: "business",
  meets: ["response"],
};

/** The clocks a payment in full on `on` starts. */
export function paidOffClocks(on: IsoDate, input: CaseClockInput, asOf: IsoDate): Clock[] {
  const outside = regXSectionOutside("1024.34", input.loan);
  if (outside) return [buildClock(ESCROW_REFUND, "not-applicable", `no Reg X clock: ${outside}`)];
  return [
    runClock(ESCROW_REFUND, { what: "loan paid in full", on }, input.replies, asOf),
    borrowerDeadline(
      "noe-window-payoff",
      "Send any notice of error or request for information",
      "12 C.F.R. 1024.35(g)(1)(iii)(B), 1024.36(f)(1)(v)(B)",
      { what: "loan paid in full", on },
      addYears(on, 1),
      asOf,
    ),
  ];
}
