/**
 * `loanmail stats` (how fast each servicer answers, per kind of letter) and `loanmail calendar --out FILE.ics`
 * (every open clock as an all-day event). Both read clocks the same way `due` and `show` do: computed from the
 * record on a day, never stored.
 */
import { renameSync, rmSync, writeFileSync } from "node:fs";
import { createEvents } from "ics";
import { readCaseClockInput } from "../../app/clock-facts.js";
import {
  buildCalendarEvents,
  buildStatsRows,
  type CalendarClock,
  type StatsCase,
  type StatsRow,
} from "../../app/stats.js";
import type { IsoDate } from "../../domain/calendar.js";
import { transferDeadline } from "../../domain/clocks.js";
import { isErrno, UserError } from "../../errors.js";
import { listCases } from "../../store/cases.js";
import type { Db } from "../../store/db.js";
import { type Loan, listLoans, listPastAccounts, requireClient } from "../../store/loans.js";
import type { Context } from "../context.js";
import { asOfDate, caseClocks } from "./clocks.js";

/** The client named by --client, else every client. */
function clientFilter(ctx: Context, db: Db): number | undefined {
  return ctx.options.client ? requireClient(db, ctx.options.client) : undefined;
}

/** Who serviced a loan on a date: the past servicer whose period the date falls in, else the current one. */
function servicerOnFor(db: Db, loan: Loan): (date: IsoDate) => string {
  const past = listPastAccounts(db, loan.id);
  return (date) => past.find((p) => date < p.until)?.servicerName ?? loan.servicerName;
}

// ---------------------------------------------------------------------------------------------------------------
// stats

const EIGHTHS = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"] as const;

/** A horizontal bar of `value / max` of `width` cells, in eighths of a cell; a value above zero always shows. */
function bar(value: number, max: number, width: number): string {
  if (value <= 0 || max <= 0) return "";
  const eighths = Math.max(1, Math.round((Math.min(value, max) / max) * width * 8));
  return "█".repeat(Math.floor(eighths / 8)) + EIGHTHS[eighths % 8];
}

function days(n: number | null): string {
  if (n === null) return "no reply yet";
  return `${n} business day${n === 1 ? "" : "s"}`;
}

/** Rows as a chart: one block per servicer and kind, bars scaled to the slowest median, width-limited. */
function formatStats(rows: readonly StatsRow[], asOf: IsoDate, columns: number): string {
  if (rows.length === 0) return `No letter has left yet, so there is nothing to measure (as of ${asOf}).`;
  const label = 18;
  const width = Math.max(10, Math.min(40, columns - label - 26));
  const slowest = Math.max(1, ...rows.flatMap((r) => [r.medianDaysToAck ?? 0, r.medianDaysToResponse ?? 0]));
  const line = (name: string, graph: string, text: string) => `  ${name.padEnd(label)}${graph.padEnd(width)}  ${text}`;
  const out = [
    `Servicers by kind of letter, as of ${asOf}`,
    "Median business days from receipt to the first reply; share of regulatory clocks met on time.",
  ];
  for (const r of rows) {
    out.push("", `${r.servicer} · ${r.kind} · ${r.letters} letter${r.letters === 1 ? "" : "s"}`);
    out.push(line("to acknowledgment", bar(r.medianDaysToAck ?? 0, slowest, width), days(r.medianDaysToAck)));
    out.push(line("to response", bar(r.medianDaysToResponse ?? 0, slowest, width), days(r.medianDaysToResponse)));
    if (r.onTimeShare === null) {
      out.push(line("on time", "", "no clock decided yet"));
    } else {
      const filled = bar(r.onTimeShare, 1, width);
      const onTime = Math.round(r.onTimeShare * r.clocks);
      out.push(
        line(
          "on time",
          filled + "░".repeat(Math.max(0, width - filled.length)),
          `${Math.round(r.onTimeShare * 100)}% (${onTime} of ${r.clocks} clock${r.clocks === 1 ? "" : "s"})`,
        ),
      );
    }
  }
  return out.join("\n");
}

/**
 * `loanmail stats`: per servicer and kind, letters that left, median business days to the first acknowledgment and
 * to the first substantive response, and the share of regulatory clocks met on time (as of `--as-of` or today).
 */
export function runStats(ctx: Context, opts: { asOf?: string } = {}): number {
  const db = ctx.db();
  const asOf = asOfDate(ctx, opts.asOf);
  const tz = ctx.timeZone();
  const clientId = clientFilter(ctx, db);
  const loans = new Map(listLoans(db, clientId).map((l) => [l.id, l]));
  const servicerOn = new Map<number, (date: IsoDate) => string>();
  const cases: StatsCase[] = [];
  for (const c of listCases(db, clientId === undefined ? {} : { clientId })) {
    if (c.status === "draft" || c.status === "discarded") continue;
    const loan = loans.get(c.loanId);
    if (!loan) continue;
    let on = servicerOn.get(loan.id);
    if (!on) {
      on = servicerOnFor(db, loan);
      servicerOn.set(loan.id, on);
    }
    const input = readCaseClockInput(db, c, tz);
    cases.push({
      kind: c.kind,
      servicerOn: on,
      letters: input.letters,
      replies: input.replies,
      clocks: caseClocks(ctx, c, asOf),
    });
  }
  const rows = buildStatsRows(cases);
  const columns = process.stdout.columns && process.stdout.columns > 0 ? process.stdout.columns : 80;
  ctx.out.result({ asOf, rows }, () => formatStats(rows, asOf, Math.min(columns, 120)));
  return 0;
}

// ---------------------------------------------------------------------------------------------------------------
// calendar

/** The clocks `due` lists (open and late, of open and unresolved cases, and each loan's transfer window). */
function openClocks(ctx: Context, db: Db, asOf: IsoDate): CalendarClock[] {
  const clientId = clientFilter(ctx, db);
  const rows: CalendarClock[] = [];
  for (const c of listCases(db, clientId === undefined ? {} : { clientId })) {
    if (c.status !== "open" && c.status !== "unresolved") continue;
    for (const clock of caseClocks(ctx, c, asOf)) rows.push({ tag: c.tag, loanId: c.loanId, clock });
  }
  for (const loan of listLoans(db, clientId)) {
    const past = listPastAccounts(db, loan.id).at(-1);
    if (past) rows.push({ tag: null, loanId: loan.id, clock: transferDeadline(past.until, loan.servicerName, asOf) });
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
      throw new UserError(
        `cannot write ${path} (${(err as NodeJS.ErrnoException).code})`,
        "choose a writable file path for --out",
      );
    }
    throw err;
  }
}

/**
 * `loanmail calendar --out FILE.ics`: every open or late clock as an all-day event on its lenient due date, titled
 * with its case tag and rule, with a UID that stays the same for the same clock so that a re-import updates it.
 */
export function runCalendar(ctx: Context, opts: { out?: string; asOf?: string } = {}): number {
  const out = opts.out?.trim();
  if (!out)
    throw new UserError("--out is required", "name the .ics file to write: loanmail calendar --out deadlines.ics");
  const db = ctx.db();
  const asOf = asOfDate(ctx, opts.asOf);
  const events = buildCalendarEvents(openClocks(ctx, db, asOf), ctx.prefix(), asOf);
  const { error, value } = createEvents(events, {
    productId: "-//loanmail//deadlines//EN",
    calName: "loanmail deadlines",
  });
  if (error || value === null) throw error ?? new Error("ics produced no calendar");
  writePrivateFile(out, value);
  ctx.out.result(
    { out, events: events.length },
    () =>
      `Wrote ${events.length} event${events.length === 1 ? "" : "s"} to ${out} (open and late clocks on their lenient due dates, as of ${asOf}).`,
  );
  return 0;
}
