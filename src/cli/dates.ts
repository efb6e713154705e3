/** Dates as a person types them on the command line: checked here, before any app function runs. */

import { checkDayInRange, type IsoDate, isValidIsoDate } from "../domain/calendar.js";
import { isoDateIn } from "../domain/time-zone.js";
import { typedDay } from "../domain/typed-days.js";
import { UserError } from "../errors.js";
import type { Context } from "./context.js";

/** A YYYY-MM-DD option that must be given and be a real day. */
export function checkDate(value: string | undefined, flag: string): IsoDate {
  if (value === undefined)
    throw new UserError(`${flag} is required: the day, as YYYY-MM-DD`, {
      code: "MISSING_OPTION",
      hint: "write dates as YYYY-MM-DD",
    });
  return typedDay(value, flag);
}

/**
 * A YYYY-MM-DD option for something that has already happened: a real day, not after today (DATE_IN_FUTURE, said
 * before a year out of range is), within the days loanmail works with.
 */
export function checkPastDate(ctx: Context, value: string | undefined, flag: string, hint: string): IsoDate {
  if (value === undefined || !isValidIsoDate(value)) return checkDate(value, flag);
  if (value > today(ctx)) throw new UserError(`${flag} ${value} is in the future`, { code: "DATE_IN_FUTURE", hint });
  return checkDayInRange(value, flag);
}

/** The day `--as-of` names, else today in the user's time zone. */
export function asOfDate(ctx: Context, asOf: string | undefined): IsoDate {
  return asOf === undefined ? today(ctx) : checkDate(asOf, "--as-of");
}

/** Today in the user's time zone. */
export function today(ctx: Context): IsoDate {
  return isoDateIn(ctx.now, ctx.timeZone());
}

/** An instant as a person reads it in their zone: "Nov 2, 2026, 10:00 AM CST". */
export function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}
