/**
 * When an event says a thing happened, as distinct from when it was recorded (the event's `at`, which the hash
 * chain fixes). A letter mailed on 2026-11-02 and recorded on 2026-12-03 is mailed on 2026-11-02: its `mailed`
 * event carries the day the user gave. Pure; `show` and the timeline both read events through this.
 */
import { CASE_EVENT_TYPES } from "./events.js";

/** The day (YYYY-MM-DD) or moment (ISO 8601) an event names, and what that day is, in the words `show` prints. */
export interface StatedWhen {
  /** "mailed on", "delivered on", "written on", "call at", ... */
  label: string;
  /** A day (YYYY-MM-DD) or an instant (ISO 8601 in UTC). */
  value: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const CASE_EVENTS: ReadonlySet<string> = new Set(CASE_EVENT_TYPES);

/** A day as given, or an instant in UTC; undefined for anything else (an edited row shows no day, verify says why). */
export function dayOrInstant(v: unknown): string | undefined {
  if (typeof v !== "string" || v === "") return undefined;
  if (DAY.test(v)) return v;
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * The day or moment an event's data names, when it names one: the mailing and delivery days, the day a letter
 * sent elsewhere left or was written (`compose --dated`), a paper reply's day, a call's time, a case event's day
 * (a denial, an offer, ...). Null when the event happened when it was recorded (a sync's `received`: its arrival
 * is a fact of the message, not of the event's data).
 */
export function statedWhen(type: string, data: Readonly<Record<string, unknown>>): StatedWhen | null {
  const of = (label: string, v: unknown): StatedWhen | null => {
    const value = dayOrInstant(v);
    return value === undefined ? null : { label, value };
  };
  switch (type) {
    case "composed":
      return of("written on", data.dated);
    case "call":
      return of("call at", data.call_at);
    case "mailed":
      return of("mailed on", data.mailed_on);
    case "delivered":
      return of("delivered on", data.delivered_on);
    case "sent":
      return of("sent on", data.sent_on);
    case "received":
      return of("received on", data.on);
    case "authorization-added":
      return of("signed on", data.signed_on);
    default:
      return CASE_EVENTS.has(type) || type.startsWith("authorization-") ? of("on", data.on) : null;
  }
}
