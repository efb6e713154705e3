/**
 * `calendar --out FILE.ics`: every open or late clock as an all-day event on its lenient due date, in a file
 * a calendar application imports (buildCalendarEvents in stats.ts makes the events; the `ics` package the file).
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { createEvents } from "ics";
import type { IsoDate } from "../domain/calendar.js";
import { loanTransferRules, transfersOf } from "../domain/clocks.js";
import { isErrno, UserError } from "../errors.js";
import { listCases } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { listLoans, listPastAccounts, requireClient } from "../store/loans.js";
import { computeCaseClocks } from "./case-clocks.js";
import type { Session } from "./session.js";
import { buildCalendarEvents, type CalendarClock } from "./stats.js";

/** The clocks `due` lists (open and late, of open and unresolved cases, and each loan's transfer window). */
function openClocks(s: Session, db: Db, asOf: IsoDate, clientName: string | undefined): CalendarClock[] {
  const clientId = clientName ? requireClient(db, clientName) : undefined;
  const rows: CalendarClock[] = [];
  for (const c of listCases(db, clientId === undefined ? {} : { clientId })) {
    if (c.status !== "open" && c.status !== "unresolved") continue;
    for (const clock of computeCaseClocks(db, c, s.timeZone(), asOf)) {
      rows.push({ tag: c.tag, loanId: c.loanId, clock });
    }
  }
  for (const loan of listLoans(db, clientId)) {
    const transfers = transfersOf(listPastAccounts(db, loan.id), loan.servicerName);
    for (const clock of loanTransferRules(loan.product, transfers, asOf).deadlines)
      rows.push({ tag: null, loanId: loan.id, clock });
  }
  return rows
    .filter((r) => (r.clock.status === "open" || r.clock.status === "late") && r.clock.dueLenient !== null)
    .sort((a, b) => (a.clock.dueLenient ?? "").localeCompare(b.clock.dueLenient ?? ""));
}

/** Write a file for its owner only, whole or not at all: a temporary file (mode 0600) renamed over the target. */
function writePrivateFile(path: string, text: string): void {
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, text, { mode: 0o600, flag: "wx" });
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOTDIR", "EEXIST", "ENOSPC")) {
      throw new UserError(`cannot write ${path} (${err.code})`, {
        code: "OUTPUT_NOT_WRITABLE",
        hint: "choose a writable file path",
      });
    }
    throw err;
  }
}

/**
 * Write every open or late clock on `asOf` to the .ics file `out`, titled with its case tag and rule, with a UID
 * that stays the same for the same clock so that a re-import updates it. Returns how many events it holds.
 */
export function writeCalendar(s: Session, req: { out: string; asOf: IsoDate; clientName?: string }): number {
  const db = s.db();
  const events = buildCalendarEvents(openClocks(s, db, req.asOf, req.clientName), s.prefix(), req.asOf);
  const { error, value } = createEvents(events, {
    productId: "-//loanmail//deadlines//EN",
    calName: "loanmail deadlines",
  });
  if (error || value === null) throw error ?? new Error("ics produced no calendar");
  writePrivateFile(req.out, value);
  return events.length;
}
