/** Deadlines the borrower must meet, shown beside the servicer's: they never depend on a reply. */
import { businessDaysLate, type IsoDate } from "./calendar.js";
import type { Clock } from "./clock-types.js";

/** The same day `years` later. */
export function addYears(d: IsoDate, years: number): IsoDate {
  const [y, m, day] = d.split("-");
  const target = `${Number(y) + years}-${m}-${day}`;
  // February 29 of a leap year ends on February 28 of a common year.
  return m === "02" && day === "29" && Number(y) + years !== 0 && (Number(y) + years) % 4 !== 0
    ? `${Number(y) + years}-02-28`
    : target;
}

/** A deadline the borrower must meet (shown beside the servicer's). */
export function borrowerDeadline(
  id: string,
  name: string,
  rule: string,
  startedBy: { what: string; on: IsoDate },
  due: IsoDate,
  asOf: IsoDate,
): Clock {
  return {
    id,
    name,
    rule,
    party: "borrower",
    status: asOf > due ? "late" : "open",
    startedBy,
    dueStrict: due,
    dueLenient: due,
    metBy: null,
    businessDaysLate: asOf > due ? businessDaysLate(due, asOf) : null,
    extendedBy: null,
    note: null,
  };
}
