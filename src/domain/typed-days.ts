/**
 * Days the user types (`--date`, `--dated`, `--delivered`, `--set payment-date=...`, intake dates): one set of
 * refusals for all of them, each naming what was typed and the same code everywhere (INVALID_DATE, DATE_IN_FUTURE,
 * DATE_OUT_OF_RANGE). Nothing here reads a clock: the caller passes today, in the user's time zone.
 */
import { UserError } from "../errors.js";
import { checkDayInRange, type IsoDate, isValidIsoDate } from "./calendar.js";

export const DATE_HINT = "write dates as YYYY-MM-DD";

/** `value` when it is a real YYYY-MM-DD day; else INVALID_DATE, "WHAT: not a date" (what: "--date 2026-02-30"). */
export function realDay(value: string, what: string, hint: string = DATE_HINT): IsoDate {
  if (!isValidIsoDate(value)) throw new UserError(`${what}: not a date`, { code: "INVALID_DATE", hint });
  return value;
}

/** A real day given with `flag`, within the days loanmail works with. */
export function typedDay(value: string, flag: string): IsoDate {
  return checkDayInRange(realDay(value, `${flag} ${value}`), flag);
}

/**
 * A day something already happened on: real, not after `today` (DATE_IN_FUTURE, with `hint` saying what to do,
 * refused before a year out of range is), within the days loanmail works with.
 */
export function pastDay(value: string, flag: string, today: IsoDate, hint: string): IsoDate {
  realDay(value, `${flag} ${value}`);
  if (value > today)
    throw new UserError(`${flag} ${value} is in the future (today is ${today})`, { code: "DATE_IN_FUTURE", hint });
  return checkDayInRange(value, flag);
}
