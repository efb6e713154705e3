/** Times in a timeline: the user's day of an instant, and an instant as ISO with its offset and for people. */
import { dayIn } from "../domain/time-zone.js";

/** A date alone (YYYY-MM-DD): the day is known, the time is not. */
export const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/** A YYYY-MM-DD date in a time zone (a date alone as it is). */
export const localDate = dayIn;

/**
 * An instant in the user's time zone: `local` is ISO 8601 with the offset (2026-03-02T09:15:00-06:00), `display`
 * is for people (2026-03-02 09:15 CST (UTC-06:00)). A date alone is returned as it is.
 */
export function formatWhen(value: string, timeZone: string): { local: string; display: string } {
  if (DATE_ONLY.test(value)) return { local: value, display: value };
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return { local: value, display: value };
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const gmt = parts.timeZoneName ?? "GMT";
  const offset = gmt === "GMT" ? "+00:00" : gmt.replace("GMT", "");
  const abbr =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return {
    local: `${date}T${hour}:${parts.minute}:${parts.second}${offset}`,
    display: `${date} ${hour}:${parts.minute} ${abbr && !abbr.startsWith("GMT") ? `${abbr} ` : ""}(UTC${offset})`,
  };
}
