/**
 * Dates and wall-clock times in the user's time zone (Intl only; no time-zone database of our own). Pure: the
 * instant is always passed in.
 */

/** Formatters by zone: making an Intl.DateTimeFormat costs a hundred times more than formatting with one. */
const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as YYYY-MM-DD in the user's time zone. */
export function isoDateIn(date: Date, timeZone: string): string {
  let format = dayFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, format);
  }
  return format.format(date);
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
