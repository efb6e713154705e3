/**
 * Dates as a letter prints them: "June 1, 2026", never the ISO form the record keeps. Pure: the calendar date
 * is read from the string, with no time zone (a YYYY-MM-DD date is already a day in the user's zone).
 */

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

/** "2026-06-01" (or an ISO timestamp starting with that day) → "June 1, 2026". */
export function longDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const check = new Date(Date.UTC(year, month - 1, day));
  const name = MONTHS[month - 1];
  if (!m || name === undefined || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`longDate: not an ISO date: ${iso}`);
  }
  return `${name} ${day}, ${year}`;
}
