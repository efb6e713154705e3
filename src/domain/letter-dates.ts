/**
 * Dates as a letter prints them: "June 1, 2026", never the ISO form the record keeps (docs/ARCHITECTURE.md,
 * "Letters and channels"). Pure: the calendar date is read from its digits, never through a time zone.
 */
import { type IsoDate, isValidIsoDate } from "./calendar.js";

const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
] as const;

/** `2026-06-01` → "June 1, 2026". Throws on anything that is not a real calendar date (a bug in the caller). */
export function longDate(iso: IsoDate): string {
  if (!isValidIsoDate(iso)) throw new RangeError(`longDate: not a calendar date: ${iso}`);
  const [y, m, d] = iso.split("-").map(Number) as [number, number, number];
  return `${MONTHS[m - 1]} ${d}, ${y}`;
}
