/**
 * `calendar --out FILE.ics`: every open or late clock as an all-day event on its lenient due date, in a file
 * a calendar application imports (buildCalendarEvents in stats.ts makes the events; the `ics` package the file).
 */
import { createEvents } from "ics";
import { checkOutput, writeOutputFile } from "../config/safe-files.js";
import type { IsoDate } from "../domain/calendar.js";
import { loanTransferRules, transfersOf } from "../domain/clocks.js";
import { listCases } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { listLoans, listPastAccounts } from "../store/loans.js";
import { computeCaseClocks } from "./case-clocks.js";
import { fenceId } from "./client-scope.js";
import type { Session } from "./session.js";
import { buildCalendarEvents, type CalendarClock } from "./stats.js";

/** The clocks `due` lists (open and late, of open and unresolved cases, and each loan's transfer window). */
function openClocks(s: Session, db: Db, asOf: IsoDate): CalendarClock[] {
  const clientId = fenceId(s);
  const rows: CalendarClock[] = [];
  for (const c of listCases(db, clientId === undefined ? {} : { clientId })) {
    if (c.status !== "open" && c.status !== "unresolved") continue;
    for (const clock of computeCaseClocks(db, c, s.timeZone(), asOf)) {
      rows.push({ tag: c.tag, loanId: c.loanId, client: c.clientName, clock });
    }
  }
  for (const loan of listLoans(db, clientId)) {
    const transfers = transfersOf(listPastAccounts(db, loan.id), loan.servicerName);
    for (const clock of loanTransferRules(loan.product, transfers, asOf).deadlines)
      rows.push({ tag: null, loanId: loan.id, client: loan.clientName, clock });
  }
  return rows
    .filter((r) => (r.clock.status === "open" || r.clock.status === "late") && r.clock.dueLenient !== null)
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
  const db = s.db();
  const events = buildCalendarEvents(openClocks(s, db, req.asOf), s.prefix(), req.asOf);
  const { error, value } = createEvents(events, {
    productId: "-//loanmail//deadlines//EN",
    calName: "loanmail deadlines",
  });
  if (error || value === null) throw error ?? new Error("ics produced no calendar");
  writeOutputFile(target, value);
  return events.length;
}
