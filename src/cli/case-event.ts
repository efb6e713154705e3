/**
 * `event CASE TYPE --date D [--sale-date S] [--accept-by D2]`: a dated fact that starts or stops clocks (declared in
 * commands/case.ts). For loss mitigation (12 C.F.R. 1024.41) the date of a `denied` or `offer` event is the date of
 * the servicer's notice: the day it provided the decision, from which the appeal's and the offer's days run.
 */
import type { RecordedCaseEvent, RecordedEventType } from "../app/case-events.js";
import type { IsoDate } from "../domain/calendar.js";
import { LOSS_MITIGATION_EVENT_TYPES } from "../domain/events.js";
import { isLoanProtection } from "../domain/protections.js";
import type { SaleReferral } from "../domain/referral.js";
import { UserError } from "../errors.js";
import { formatClock } from "./clock-text.js";
import type { OptionSpec } from "./command.js";
import type { Context } from "./context.js";
import { checkDate, checkPastDate } from "./dates.js";
import { PROTECTIONS_HEADING, protectionLines } from "./protection-text.js";

export const EVENT_TYPES: readonly RecordedEventType[] = ["paid-off", ...LOSS_MITIGATION_EVENT_TYPES];
const isRecordedEventType = (v: string): v is RecordedEventType => (EVENT_TYPES as readonly string[]).includes(v);

/** The events a scheduled sale date goes with (paid-off kept it from before). */
const WITH_SALE: readonly RecordedEventType[] = ["paid-off", "application-complete", "denied", "offer"];

export const EVENT_DESCRIPTION = `record a dated event that starts or stops a clock: ${EVENT_TYPES.join(", ")}`;

export const EVENT_OPTIONS: OptionSpec[] = [
  {
    flags: "--date <date>",
    description: "when it happened (YYYY-MM-DD); for denied and offer, the date on the servicer's notice",
  },
  { flags: "--sale-date <date>", description: "the foreclosure sale date scheduled then, if any" },
  { flags: "--accept-by <date>", description: "offer only: the date the offer asks you to answer by" },
];

interface EventOptions {
  date?: string;
  saleDate?: string;
  acceptBy?: string;
}

/** A date that must not come before the event's own day. */
function notBefore(value: string | undefined, flag: string, on: IsoDate): IsoDate | undefined {
  if (value === undefined) return undefined;
  const d = checkDate(value, flag);
  if (d < on)
    throw new UserError(`${flag} ${d} is before --date ${on}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: `give the date as the notice states it: ${flag} on or after ${on}`,
    });
  return d;
}

/** The options the event type takes, checked: a date in the past, a sale and an answer date not before it. */
function checkOptions(ctx: Context, type: RecordedEventType, opts: EventOptions) {
  const on = checkPastDate(ctx, opts.date, "--date", "record it once it has happened");
  if (opts.saleDate !== undefined && !WITH_SALE.includes(type))
    throw new UserError(`--sale-date does not go with ${type}`, {
      code: "CONFLICTING_OPTIONS",
      hint: `give the sale date with ${WITH_SALE.filter((t) => t !== "paid-off").join(", ")}`,
    });
  if (opts.acceptBy !== undefined && type !== "offer")
    throw new UserError(`--accept-by goes only with an offer, not ${type}`, {
      code: "CONFLICTING_OPTIONS",
      hint: "loanmail event CASE offer --date D --accept-by D2",
    });
  const saleDate =
    type === "paid-off" && opts.saleDate !== undefined
      ? checkDate(opts.saleDate, "--sale-date")
      : notBefore(opts.saleDate, "--sale-date", on);
  return { on, saleDate, acceptBy: notBefore(opts.acceptBy, "--accept-by", on) };
}

/**
 * The referral a newly entered foreclosure sale date calls for, said once: the date, the foreclosure protections
 * the record shows (12 C.F.R. 1024.41), talk to an attorney, and where to find legal aid in the property's state.
 */
export function referralLines(r: SaleReferral, tag: string): string[] {
  const where = r.state ? ` in ${r.state.name}` : "";
  const choose = r.state ? ` (choose ${r.state.name})` : "";
  const shown = r.protections.filter((p) => p.status !== "ended");
  return [
    "",
    `── A foreclosure sale is scheduled for ${r.saleDate}: talk to an attorney`,
    r.advice,
    ...(shown.length > 0
      ? [
          "Foreclosure protections on this record (12 C.F.R. 1024.41):",
          ...shown.flatMap((p) => protectionLines(p, isLoanProtection(p) ? "loan" : tag)),
        ]
      : ["No foreclosure protection of 12 C.F.R. 1024.41(f), (g) or (j) is in force on this record."]),
    `Free legal help${where}:`,
    ...r.finders.map((f) => `  ${f.name}: ${f.url}${f.name === "LawHelp.org" ? choose : ""}`),
  ];
}

/** What the event means now: the case's loss-mitigation clocks and protections after it. */
function describeRecorded(type: string, on: string, tag: string, r: RecordedCaseEvent): string {
  const lines = [`Recorded ${type} on ${on} for ${tag}.`];
  if (r.clocks.length > 0) lines.push("", "Loss mitigation now:", ...r.clocks.map(formatClock));
  if (r.protections.length > 0)
    lines.push(
      "",
      `${PROTECTIONS_HEADING}:`,
      ...r.protections.flatMap((p) => protectionLines(p, isLoanProtection(p) ? "loan" : tag)),
    );
  if (r.referral) lines.push(...referralLines(r.referral, tag));
  return lines.join("\n");
}

/** `event CASE TYPE --date D [--sale-date S] [--accept-by D2]`: a dated event that starts or stops a clock. */
export async function runEvent(ctx: Context, ref: string, type: string, opts: EventOptions): Promise<number> {
  const { findCase } = await import("../app/case-records.js");
  const c = findCase(ctx, ref);
  if (!isRecordedEventType(type)) {
    throw new UserError(`"${type}" is not an event loanmail tracks`, {
      code: "UNKNOWN_EVENT_TYPE",
      hint: `use one of: ${EVENT_TYPES.join(", ")}`,
    });
  }
  const { on, saleDate, acceptBy } = checkOptions(ctx, type, opts);
  const { recordCaseEvent } = await import("../app/case-events.js");
  const r = recordCaseEvent(ctx, c, type, on, { saleDate, acceptBy });
  ctx.out.result(
    {
      case: c.tag,
      event: {
        id: r.event.id,
        type,
        on,
        ...(saleDate ? { saleDate } : {}),
        ...(acceptBy ? { acceptBy } : {}),
      },
      clocks: r.clocks,
      protections: r.protections,
      referral: r.referral ?? null,
    },
    () => describeRecorded(type, on, c.tag, r),
  );
  return 0;
}
