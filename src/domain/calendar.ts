/**
 * Business-day calendars for response clocks (docs/ARCHITECTURE.md, "Clocks").
 *
 * Pure: no clock reads. Callers pass every date, so a clock computed today and recomputed next year from the same
 * events gives the same due date. Dates are calendar dates written `YYYY-MM-DD`; internally they become whole
 * day numbers (days since 1970-01-01 in the proleptic Gregorian calendar) so that no arithmetic ever passes
 * through the machine's time zone or a daylight-saving shift.
 *
 * Two rules exist because the regulation and the federal government's observance practice disagree at the
 * edges: "strict" closes only the holiday's actual date, "lenient" also closes the Friday/Monday on which a
 * weekend holiday is observed, treats a receipt on a closed day as received on the next business day, and rolls
 * calendar-day due dates off closed days. A clock is called late only after its lenient due date.
 */
import { UserError } from "../errors.js";

/** A calendar date written `YYYY-MM-DD` (no time, no zone: a deadline is a day, not an instant). */
export type IsoDate = string;

/**
 * One legal public holiday. `observed` is the Friday (holiday on a Saturday) or Monday (holiday on a Sunday) on
 * which federal offices close instead, else null; it may fall in the previous year (Jan 1 on a Saturday).
 */
export interface Holiday {
  date: IsoDate;
  name: string;
  observed: IsoDate | null;
}

/** Which days a clock treats as closed; see the module header for why there are two. */
export type DayRule = "strict" | "lenient";

/**
 * The first year whose holidays the rules below describe correctly: Martin Luther King Jr. Day was first observed
 * in 1986 (and Veterans Day returned to November 11 in 1978). Earlier dates are refused rather than given
 * invented holidays; a mortgage-servicing deadline before 1986 is a typo, not a case.
 */
const FIRST_RULE_YEAR = 1986;

/** Juneteenth became a legal public holiday on June 17, 2021 (first observed Friday June 18, 2021). */
const JUNETEENTH_FROM = 2021;

const SUNDAY = 0;
const MONDAY = 1;
const THURSDAY = 4;
const SATURDAY = 6;

/** Reg X business days and the default servicer week for Reg Z: Monday to Friday. */
const MONDAY_TO_FRIDAY: readonly boolean[] = [false, true, true, true, true, true, false];

/** Day number of 1970-01-01 in the March-based count used by `civilToDay` (makes 1970-01-01 day 0). */
const EPOCH_OFFSET = 719_468;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------------------------
// Day numbers

function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/**
 * Days since 1970-01-01 for a Gregorian date. The year is counted from March so that the leap day is the last day
 * of the counting year; the month offsets from March 1 are then floor((153 * k + 2) / 5) for k = 0..11.
 */
function civilToDay(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const k = m <= 2 ? m + 9 : m - 3;
  const days =
    365 * yy + Math.floor(yy / 4) - Math.floor(yy / 100) + Math.floor(yy / 400) + Math.floor((153 * k + 2) / 5);
  return days + d - 1 - EPOCH_OFFSET;
}

/**
 * The inverse of `civilToDay`, in whole-number arithmetic (no Date: a caseload's `due` asks it a million times):
 * split the day count into 400-year eras of 146,097 days, the era into March-based years (a leap day every 4 years
 * but not every 100, but every 400), and the year into months of floor((153 * k + 2) / 5) days from March 1.
 * test/unit/calendar.test.ts checks it against Date for every day from 1986 to 2199.
 */
function dayToCivil(n: number): { y: number; m: number; d: number } {
  const z = n + EPOCH_OFFSET;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const k = Math.floor((5 * dayOfYear + 2) / 153);
  const d = dayOfYear - Math.floor((153 * k + 2) / 5) + 1;
  const m = k < 10 ? k + 3 : k - 9;
  return { y: yearOfEra + era * 400 + (m <= 2 ? 1 : 0), m, d };
}

/** 1970-01-01 was a Thursday. */
function weekdayOf(n: number): number {
  return (((n + THURSDAY) % 7) + 7) % 7;
}

/** Days already parsed (a caseload's `due` parses the same few hundred dates thousands of times); bounded. */
const parsed = new Map<string, number | null>();

function parseIso(d: unknown): number | null {
  if (typeof d !== "string") return null;
  const known = parsed.get(d);
  if (known !== undefined) return known;
  if (parsed.size >= 4096) parsed.clear();
  const n = parseIsoOnce(d);
  parsed.set(d, n);
  return n;
}

function parseIsoOnce(d: string): number | null {
  const m = ISO_DATE.exec(d);
  if (!m) return null;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const day = Number(m[3]);
  if (mo < 1 || mo > 12 || day < 1 || day > daysInMonth(y, mo)) return null;
  return civilToDay(y, mo, day);
}

/** Parse or throw: every public function refuses a bad date loudly instead of computing a wrong deadline. */
function toDay(d: IsoDate, what = "date"): number {
  const n = parseIso(d);
  if (n === null) {
    throw new RangeError(`Invalid ${what} "${String(d)}": expected a real calendar date written YYYY-MM-DD`);
  }
  return n;
}

function toIso(n: number): IsoDate {
  const { y, m, d } = dayToCivil(n);
  if (y < 0 || y > 9999) throw new RangeError(`Date out of range: year ${y} cannot be written as YYYY-MM-DD`);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Holidays

/** The day number of the nth (1-based) given weekday of a month, e.g. the 4th Thursday of November. */
function nthWeekday(y: number, m: number, weekday: number, nth: number): number {
  const first = civilToDay(y, m, 1);
  return first + ((weekday - weekdayOf(first) + 7) % 7) + 7 * (nth - 1);
}

/** The day number of the last given weekday of a month (Memorial Day is the last Monday of May). */
function lastWeekday(y: number, m: number, weekday: number): number {
  const last = civilToDay(y, m, daysInMonth(y, m));
  return last - ((weekdayOf(last) - weekday + 7) % 7);
}

interface HolidayRule {
  name: string;
  from?: number;
  day: (y: number) => number;
}

/** 5 U.S.C. 6103(a), in calendar order, as rules rather than a table so that every future year is covered. */
const HOLIDAY_RULES: readonly HolidayRule[] = [
  { name: "New Year's Day", day: (y) => civilToDay(y, 1, 1) },
  { name: "Martin Luther King Jr. Day", day: (y) => nthWeekday(y, 1, MONDAY, 3) },
  { name: "Washington's Birthday", day: (y) => nthWeekday(y, 2, MONDAY, 3) },
  { name: "Memorial Day", day: (y) => lastWeekday(y, 5, MONDAY) },
  { name: "Juneteenth National Independence Day", from: JUNETEENTH_FROM, day: (y) => civilToDay(y, 6, 19) },
  { name: "Independence Day", day: (y) => civilToDay(y, 7, 4) },
  { name: "Labor Day", day: (y) => nthWeekday(y, 9, MONDAY, 1) },
  { name: "Columbus Day", day: (y) => nthWeekday(y, 10, MONDAY, 2) },
  { name: "Veterans Day", day: (y) => civilToDay(y, 11, 11) },
  { name: "Thanksgiving Day", day: (y) => nthWeekday(y, 11, THURSDAY, 4) },
  { name: "Christmas Day", day: (y) => civilToDay(y, 12, 25) },
];

interface HolidayDays {
  name: string;
  actual: number;
  observed: number | null;
}

interface ClosedDays {
  strict: ReadonlySet<number>;
  lenient: ReadonlySet<number>;
}

// Memoised per year: deterministic, so caching keeps the functions pure while day-by-day counting stays cheap.
const holidayCache = new Map<number, readonly HolidayDays[]>();
const closedCache = new Map<number, ClosedDays>();

/** Federal practice (5 U.S.C. 6103(b), E.O. 11582): Saturday holidays move to Friday, Sunday ones to Monday. */
function observedShift(actual: number): number | null {
  const wd = weekdayOf(actual);
  if (wd === SATURDAY) return actual - 1;
  if (wd === SUNDAY) return actual + 1;
  return null;
}

function holidayDays(year: number): readonly HolidayDays[] {
  let days = holidayCache.get(year);
  if (!days) {
    days = HOLIDAY_RULES.filter((r) => r.from === undefined || year >= r.from).map((r) => {
      const actual = r.day(year);
      return { name: r.name, actual, observed: observedShift(actual) };
    });
    holidayCache.set(year, days);
  }
  return days;
}

/**
 * Closed days relevant to dates in `year`. Next year's holidays are included because the only observed day that
 * crosses a year boundary is Friday Dec 31 for a Saturday Jan 1; extra days outside `year` are never queried.
 */
function closedDays(year: number): ClosedDays {
  let closed = closedCache.get(year);
  if (!closed) {
    const strict = new Set<number>();
    const lenient = new Set<number>();
    for (const h of [...holidayDays(year), ...holidayDays(year + 1)]) {
      strict.add(h.actual);
      lenient.add(h.actual);
      if (h.observed !== null) lenient.add(h.observed);
    }
    closed = { strict, lenient };
    closedCache.set(year, closed);
  }
  return closed;
}

function assertRuleYear(year: number): void {
  if (year < FIRST_RULE_YEAR) {
    throw new RangeError(
      `No federal holiday rules for ${year}: loanmail models 5 U.S.C. 6103(a) as in force from ${FIRST_RULE_YEAR}`,
    );
  }
}

function isHoliday(n: number, rule: DayRule): boolean {
  const { y } = dayToCivil(n);
  assertRuleYear(y);
  return closedDays(y)[rule].has(n);
}

// ---------------------------------------------------------------------------------------------------------------
// Argument checks (callers may be plain JavaScript or parse user input, so types alone do not protect us)

function assertRule(rule: DayRule): void {
  if (rule !== "strict" && rule !== "lenient") {
    throw new RangeError(`Invalid day rule "${String(rule)}": expected "strict" or "lenient"`);
  }
}

function assertCount(n: number, what: string): void {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(`Invalid number of ${what} ${String(n)}: expected a whole number of 0 or more`);
  }
}

/** A weekday mask from a servicer's open days; an empty list would make every search for an open day endless. */
function weekdayMask(openWeekdays: readonly number[] | undefined): readonly boolean[] {
  if (openWeekdays === undefined) return MONDAY_TO_FRIDAY;
  if (!Array.isArray(openWeekdays) || openWeekdays.length === 0) {
    throw new RangeError("Invalid open weekdays: expected a non-empty list of weekdays 0 (Sunday) to 6 (Saturday)");
  }
  const mask = [false, false, false, false, false, false, false];
  for (const wd of openWeekdays) {
    if (!Number.isInteger(wd) || wd < 0 || wd > 6) {
      throw new RangeError(`Invalid open weekday ${String(wd)}: expected 0 (Sunday) to 6 (Saturday)`);
    }
    mask[wd] = true;
  }
  return mask;
}

function isOpen(n: number, rule: DayRule, mask: readonly boolean[]): boolean {
  return mask[weekdayOf(n)] === true && !isHoliday(n, rule);
}

function nextOpen(n: number, rule: DayRule, mask: readonly boolean[]): number {
  let day = n;
  while (!isOpen(day, rule, mask)) day += 1;
  return day;
}

/** Open days in (from, to]; `from <= to`. The same count as isOpen day by day (countOpenDayByDay), in whole weeks. */
function countOpen(from: number, to: number, rule: DayRule, mask: readonly boolean[]): number {
  if (to - from < 14) return countOpenDayByDay(from, to, rule, mask);
  // Open weekdays: each whole week holds every weekday once; the rest day by day.
  const weeks = Math.floor((to - from) / 7);
  let count = weeks * mask.filter(Boolean).length;
  for (let day = from + 1 + weeks * 7; day <= to; day += 1) if (mask[weekdayOf(day)]) count += 1;
  // Less the closed days among them: the holidays of each year in the span (a year's set also holds next year's
  // days, for a Friday Dec 31 observed; each day is taken from its own year's set, as isHoliday does).
  const first = dayToCivil(from + 1).y;
  const last = dayToCivil(to).y;
  for (let y = first; y <= last; y += 1) {
    assertRuleYear(y);
    for (const day of closedDays(y)[rule]) {
      if (day > from && day <= to && mask[weekdayOf(day)] && dayToCivil(day).y === y) count -= 1;
    }
  }
  return count;
}

/** Open days in (from, to], one at a time: the definition countOpen follows (test/unit/calendar.test.ts). */
function countOpenDayByDay(from: number, to: number, rule: DayRule, mask: readonly boolean[]): number {
  let count = 0;
  for (let day = from + 1; day <= to; day += 1) if (isOpen(day, rule, mask)) count += 1;
  return count;
}

// ---------------------------------------------------------------------------------------------------------------
// Public API

/** Whether `d` is a real calendar date written `YYYY-MM-DD` (2026-02-30 and 2026-1-5 are not), years 0000–9999. */
export function isValidIsoDate(d: string): boolean {
  return parseIso(d) !== null;
}

/**
 * The days loanmail computes with: from 1986-01-01, the first year its holiday rules (5 U.S.C. 6103(a)) describe,
 * to 2199-12-31, far past any mortgage alive today (a 30-year loan made in 2169 ends then), yet leaving room for
 * a clock years after it. A typed date outside is a typo, refused before it reaches a clock.
 */
export const FIRST_DAY: IsoDate = `${FIRST_RULE_YEAR}-01-01`;
export const LAST_DAY: IsoDate = "2199-12-31";

/** Refuse a real date outside FIRST_DAY..LAST_DAY, naming the option it was given with (DATE_OUT_OF_RANGE). */
export function checkDayInRange(d: IsoDate, flag: string): IsoDate {
  if (d >= FIRST_DAY && d <= LAST_DAY) return d;
  throw new UserError(`${flag} ${d} is outside the days loanmail works with (${FIRST_DAY} to ${LAST_DAY})`, {
    code: "DATE_OUT_OF_RANGE",
    hint: `check the year; business days follow the federal holidays as observed since ${FIRST_RULE_YEAR}`,
  });
}

/**
 * The 11 legal public holidays of 5 U.S.C. 6103(a) for a year, computed by rule (not a list): New Year's Day
 * (Jan 1), Martin Luther King Jr. Day (3rd Monday of January), Washington's Birthday (3rd Monday of February),
 * Memorial Day (last Monday of May), Juneteenth National Independence Day (June 19, from 2021), Independence Day
 * (July 4), Labor Day (1st Monday of September), Columbus Day (2nd Monday of October), Veterans Day (November 11),
 * Thanksgiving Day (4th Thursday of November), Christmas Day (December 25). In calendar order; before 2021 there
 * are 10. Years before 1986 throw a RangeError, since the rules above did not yet hold.
 */
export function federalHolidays(year: number): Holiday[] {
  if (!Number.isInteger(year) || year > 9999) {
    throw new RangeError(`Invalid year ${String(year)}: expected a whole year from ${FIRST_RULE_YEAR} to 9999`);
  }
  assertRuleYear(year);
  // Fresh objects each call, so a caller editing the result cannot corrupt the cache.
  return holidayDays(year).map((h) => ({
    date: toIso(h.actual),
    name: h.name,
    observed: h.observed === null ? null : toIso(h.observed),
  }));
}

/** The weekday of a date, 0 Sunday .. 6 Saturday (the same numbering as `Date#getUTCDay` and `openWeekdays`). */
export function dayOfWeek(d: IsoDate): number {
  return weekdayOf(toDay(d));
}

/** Whether a date is a Saturday or Sunday; the regulations close both regardless of the servicer's hours. */
export function isWeekend(d: IsoDate): boolean {
  const wd = dayOfWeek(d);
  return wd === SATURDAY || wd === SUNDAY;
}

/** `d` plus `n` calendar days (n may be negative), by day number so month ends and leap days need no special case. */
export function addDays(d: IsoDate, n: number): IsoDate {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Invalid number of days ${String(n)}: expected a whole number`);
  return toIso(toDay(d) + n);
}

/** Calendar days from `from` to `to`: negative when `to` comes first (days before a sale, a loan's delinquency). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toDay(to, "to date") - toDay(from, "from date");
}

/**
 * Reg X business day ("X-bd", 12 C.F.R. 1024.31): not a Saturday, Sunday or legal public holiday. Strict counts
 * only the holiday's actual date as closed; lenient also closes the observed Friday (holiday on Saturday) or
 * Monday (holiday on Sunday). Jan 1 on a Saturday is observed on Friday Dec 31 of the PREVIOUS year, so that Dec 31
 * is closed under lenient.
 *
 * `openWeekdays` is a servicer's own open days, for Reg Z business days (12 C.F.R. 1026.2(a)(6): days the
 * creditor's offices are open): when given, a day is open if its weekday is in the list and it is not a holiday
 * under `rule`. Default Monday to Friday.
 */
export function isBusinessDay(d: IsoDate, rule: DayRule, openWeekdays?: readonly number[]): boolean {
  const n = toDay(d);
  assertRule(rule);
  return isOpen(n, rule, weekdayMask(openWeekdays));
}

/**
 * Due date of an N-business-day clock started by an event on `start`: day 1 is the first business day AFTER start
 * (the day of receipt never counts). Lenient additionally treats a start on a non-business day as received on the
 * next business day, so counting begins the business day after that.
 *
 * `n = 0` returns `start` unchanged under both rules: nothing is counted, so nothing can move the date (the
 * lenient receipt shift only decides where counting begins). `n` must be a whole number of 0 or more.
 */
export function addBusinessDays(start: IsoDate, n: number, rule: DayRule, openWeekdays?: readonly number[]): IsoDate {
  let day = toDay(start, "start date");
  assertCount(n, "business days");
  assertRule(rule);
  const mask = weekdayMask(openWeekdays);
  if (n === 0) return toIso(day);
  if (rule === "lenient") day = nextOpen(day, rule, mask);
  let counted = 0;
  while (counted < n) {
    day += 1;
    if (isOpen(day, rule, mask)) counted += 1;
  }
  return toIso(day);
}

/**
 * The business day `n` business days before `due` (lenient: an observed holiday is closed too, so a reminder
 * never comes later than it should): when a reminder of a deadline is set ("3 business days before").
 */
export function businessDaysBefore(due: IsoDate, n: number): IsoDate {
  let day = toDay(due, "due date");
  assertCount(n, "business days");
  let counted = 0;
  while (counted < n) {
    day -= 1;
    if (isOpen(day, "lenient", MONDAY_TO_FRIDAY)) counted += 1;
  }
  return toIso(day);
}

/**
 * Due date of an N-calendar-day clock: start + n. Lenient rolls a due date that falls on a weekend or holiday
 * (lenient set, Monday to Friday) forward to the next business day; strict does not roll. The start is never
 * shifted: calendar-day rules count from the event itself.
 */
export function addCalendarDays(start: IsoDate, n: number, rule: DayRule): IsoDate {
  const day = toDay(start, "start date");
  assertCount(n, "calendar days");
  assertRule(rule);
  const due = day + n;
  return toIso(rule === "lenient" ? nextOpen(due, rule, MONDAY_TO_FRIDAY) : due);
}

/**
 * Business days strictly after `due` up to and including `asOf` (how late), always under the lenient rule so that
 * a reported delay is beyond dispute; 0 if asOf <= due. `openWeekdays` as in `isBusinessDay`, for Reg Z clocks.
 */
export function businessDaysLate(due: IsoDate, asOf: IsoDate, openWeekdays?: readonly number[]): number {
  const from = toDay(due, "due date");
  const to = toDay(asOf, "as-of date");
  const mask = weekdayMask(openWeekdays);
  return to <= from ? 0 : countOpen(from, to, "lenient", mask);
}

/**
 * Business days between two dates (after `from`, up to and including `to`), for statistics such as how long a
 * servicer took to answer; negative when to < from, so that between(a, b) === -between(b, a).
 */
export function businessDaysBetween(
  from: IsoDate,
  to: IsoDate,
  rule: DayRule,
  openWeekdays?: readonly number[],
): number {
  const a = toDay(from, "from date");
  const b = toDay(to, "to date");
  assertRule(rule);
  const mask = weekdayMask(openWeekdays);
  return b >= a ? countOpen(a, b, rule, mask) : -countOpen(b, a, rule, mask);
}

/**
 * The next business day on or after d: rolls a deadline that falls on a closed day (Form 1098 by January 31) and
 * gives the lenient "received on" day for a receipt on a weekend or holiday.
 */
export function nextBusinessDay(d: IsoDate, rule: DayRule, openWeekdays?: readonly number[]): IsoDate {
  const n = toDay(d);
  assertRule(rule);
  return toIso(nextOpen(n, rule, weekdayMask(openWeekdays)));
}
