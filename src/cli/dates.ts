/** Dates as a person types them on the command line: checked here, before any app function runs. */
import { checkDayInRange, type IsoDate, isValidIsoDate } from "../domain/calendar.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import type { Context } from "./context.js";

/** A YYYY-MM-DD option that must be given and be a real day. */
export function checkDate(value: string | undefined, flag: string): IsoDate {
  if (value === undefined || !isValidIsoDate(value)) {
    const code = value === undefined ? "MISSING_OPTION" : "INVALID_DATE";
    throw new UserError(`${flag} ${value ?? ""}: not a date`.trim(), { code, hint: "write dates as YYYY-MM-DD" });
  }
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
