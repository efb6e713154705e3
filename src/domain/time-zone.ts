/**
 * Dates and wall-clock times in the user's time zone (Intl only; no time-zone database of our own). Pure: the
 * instant is always passed in.
 */

/** Formatters by zone: making an Intl.DateTimeFormat costs a hundred times more than formatting with one. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/**
 * The day of each quarter hour already asked, by zone. Since 1980 every zone's offset and every daylight-saving
 * change falls on a quarter hour, so all instants of one UTC quarter hour share their local day: a caseload's
 * 20,000 arrival times cost a few thousand Intl calls instead of 20,000 (each costs microseconds).
 */
const QUARTER_HOUR_MS = 900_000;
const SINCE_QUARTER_HOUR_OFFSETS = Date.UTC(1980, 0, 1);
const dayOfQuarterHour = new Map<string, Map<number, string>>();

/** The user's day of a stored time: an instant's day in `timeZone`, or a day stored alone (YYYY-MM-DD) as it is. */
export function dayIn(value: string, timeZone: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : isoDateIn(new Date(value), timeZone);
}

/** A date as YYYY-MM-DD in the user's time zone. */
export function isoDateIn(date: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  const ms = date.getTime();
  if (!(ms >= SINCE_QUARTER_HOUR_OFFSETS)) return format.format(date);
  let days = dayOfQuarterHour.get(timeZone);
  if (!days || days.size > 100_000) {
    days = new Map();
    dayOfQuarterHour.set(timeZone, days);
  }
  const quarter = Math.floor(ms / QUARTER_HOUR_MS);
  let day = days.get(quarter);
  if (day === undefined) {
    day = format.format(date);
    days.set(quarter, day);
  }
  return day;
}

const timeFormats = new Map<string, Intl.DateTimeFormat>();

/** The offset of `timeZone` from UTC at an instant, in minutes (e.g. -300 for CDT). */
export function zoneOffsetMinutes(instant: Date, timeZone: string): number {
  let format = timeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    timeFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(instant);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  const asUtc = Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60_000);
}

/** The instant at which the clocks in `timeZone` read `date` `time` (YYYY-MM-DD, HH:MM). */
export function zonedTimeToInstant(date: string, time: string, timeZone: string): Date {
  const naive = Date.parse(`${date}T${time}:00Z`);
  // Two passes settle the offset even across a daylight-saving change.
  let instant = naive - zoneOffsetMinutes(new Date(naive), timeZone) * 60_000;
  instant = naive - zoneOffsetMinutes(new Date(instant), timeZone) * 60_000;
  return new Date(instant);
}
