/**
 * `calendar --out FILE.ics`: every open or late clock as an all-day event on its lenient due date, in a file
 * a calendar application imports (buildCalendarEvents in stats.ts makes the events; the `ics` package the file).
 */
import { createEvents } from "ics";
import { checkOutput, writeOutputFile } from "../config/safe-files.js";
import type { IsoDate } from "../domain/calendar.js";
import { listDueClocks } from "./due.js";
import type { Session } from "./session.js";
import { buildCalendarEvents, type CalendarClock } from "./stats.js";

/**
 * The clocks `due` lists, read through `due` itself (listDueClocks): open and late clocks of open and unresolved
 * cases, each loan's windows after a transfer, and each third-party authorization's expiry (the borrower's
 * deadline to renew it), fenced as `due` is. Each event sits on its clock's lenient due date.
 */
function openClocks(s: Session, asOf: IsoDate): CalendarClock[] {
  return listDueClocks(s, { asOf })
    .rows.filter((r) => r.clock.dueLenient !== null)
    .map((r) => ({ tag: r.case, loanId: r.loanId, client: r.client, clock: r.clock }))
    .sort((a, b) => (a.clock.dueLenient ?? "").localeCompare(b.clock.dueLenient ?? ""));
}

/**
 * Write every open or late clock on `asOf` to the .ics file `out`, titled with its case tag and rule, with a UID
 * that stays the same for the same clock so that a re-import updates it. Returns how many events it holds.
 */
export function writeCalendar(s: Session, req: { out: string; force?: boolean; asOf: IsoDate }): number {
  // Only a regular file, replaced only with --force: refused before any work (src/config/safe-files.ts).
  const target = { path: req.out, who: `--out ${req.out}`, force: req.force === true };
  checkOutput(target);
  const events = buildCalendarEvents(openClocks(s, req.asOf), s.prefix(), req.asOf);
  const { error, value } = createEvents(events, {
    productId: "-//loanmail//deadlines//EN",
    calName: "loanmail deadlines",
  });
  if (error || value === null) throw error ?? new Error("ics produced no calendar");
  writeOutputFile(target, value);
  return events.length;
}
