/**
 * Dates as a letter prints them: "June 1, 2026" in English, "1 de junio de 2026" in Spanish, never the ISO form
 * the record keeps. Pure: the calendar date is read from the string, with no time zone (a YYYY-MM-DD date is
 * already a day in the user's zone).
 */
import type { LetterLanguage } from "./language.js";

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

/** Month names as Spanish writes them inside a date: in lower case (RAE, "Ortografía", 4.2.4.3). */
const MESES = [
  "enero",
  "febrero",
  "marzo",
  "abril",
  "mayo",
  "junio",
  "julio",
  "agosto",
  "septiembre",
  "octubre",
  "noviembre",
  "diciembre",
] as const;

/** Year, month (1-12) and day of "YYYY-MM-DD" (or an ISO timestamp starting with it); a RangeError otherwise. */
function calendarDay(iso: string, who: string): { year: number; month: number; day: number } {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  const [year, month, day] = m ? [Number(m[1]), Number(m[2]), Number(m[3])] : [0, 0, 0];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (!m || month < 1 || month > 12 || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new RangeError(`${who}: not an ISO date: ${iso}`);
  }
  return { year, month, day };
}

/** "2026-06-01" (or an ISO timestamp starting with that day) → "June 1, 2026". */
export function longDate(iso: string): string {
  const { year, month, day } = calendarDay(iso, "longDate");
  return `${MONTHS[month - 1]} ${day}, ${year}`;
}

/** "2026-06-01" → "1 de junio de 2026" (the day without a leading zero, the month in lower case). */
export function longDateEs(iso: string): string {
  const { year, month, day } = calendarDay(iso, "longDateEs");
  return `${day} de ${MESES[month - 1]} de ${year}`;
}

/** A date in the words of a letter of that language. */
export function letterDate(iso: string, lang: LetterLanguage): string {
  return lang === "es" ? longDateEs(iso) : longDate(iso);
}
