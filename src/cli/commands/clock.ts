/**
 * Clocks: `due`, `deadline`, `calendar`, `stats`. Clocks are computed from the record on a day, never stored
 * (src/app/case-clocks.ts).
 */
import type { AwaitingDelivery, DueRow } from "../../app/due.js";
import type { ClientServicerSummary, ClientStatsRow, ServicerMeasures } from "../../app/servicer-stats.js";
import { daysBetween, type IsoDate } from "../../domain/calendar.js";
import { parseSetOptions } from "../../domain/fields.js";
import { isKindId, unknownKind } from "../../domain/kinds.js";
import { withArticle } from "../../domain/words.js";
import { EXIT, UserError } from "../../errors.js";
import { clockOutcome, optionLines } from "../clock-text.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { asOfDate, checkDate } from "../dates.js";
import { NOTIFY_DAYS, notifyItems } from "../due-notify.js";
import { formatTable, sanitizeForTerminal } from "../output.js";
import { PROTECTIONS_HEADING, protectionLines } from "../protection-text.js";
import { confirmHint } from "../reply-text.js";
import { checkPositiveInt } from "../validate.js";

/** A counselor's open plan items: the day, the client, the item's number and text, LATE once the day passed. */
function planLines(
  plan: readonly { by: string; client: string; number: number; text: string; status: string }[],
): string[] {
  if (plan.length === 0) return [];
  return [
    "",
    "── Action plan (follow-ups agreed with clients; not legal deadlines)",
    ...plan.map((p) => `  ${p.by}  ${p.client}: ${p.number}. ${p.text}${p.status === "late" ? "  LATE" : ""}`),
  ];
}

/** "today", "3", or "2 ago": calendar days to a due date. */
function daysLeftText(asOf: IsoDate, due: string | null): string {
  if (due === null) return "";
  const n = daysBetween(asOf, due);
  return n === 0 ? "today" : n > 0 ? String(n) : `${-n} ago`;
}

/** A clock's due date: its strict one, the day `due` counts to (its lenient one, when later, is shown beside it). */
function dueOf(r: DueRow): string | null {
  return r.clock.dueStrict ?? r.clock.dueLenient;
}

/** Calendar days from `asOf` to the clock's (strict) due date: negative once it has passed; null with no date. */
function daysLeftOf(asOf: IsoDate, r: DueRow): number | null {
  const due = dueOf(r);
  return due === null ? null : daysBetween(asOf, due);
}

/** "2026-12-04 (lenient 2026-12-07)", as `show` says it; the strict date alone when both are one day. */
function dueCell(r: DueRow): string {
  const { dueStrict, dueLenient } = r.clock;
  if (dueStrict === null || dueLenient === null || dueLenient === dueStrict) return dueStrict ?? dueLenient ?? "";
  return `${dueStrict} (lenient ${dueLenient})`;
}

/**
 * The due table, its cells made safe for a terminal first and then each row coloured by urgency (red: late;
 * yellow: due within the week); colour only where the printer has it (a TTY, no NO_COLOR, no --no-color).
 */
function dueTable(ctx: Context, rows: readonly DueRow[], asOf: IsoDate, clients: boolean): string {
  const cells = rows.map((r) =>
    [
      dueCell(r),
      daysLeftText(asOf, dueOf(r)),
      ...(clients ? [r.client] : []),
      r.case ?? (r.authorizationId === null ? `loan ${r.loanId}` : `authorization ${r.authorizationId}`),
      `${r.clock.party === "borrower" ? "YOU: " : ""}${r.clock.name}`,
      r.clock.rule,
      clockOutcome(r.clock),
    ].map(sanitizeForTerminal),
  );
  const [header = "", ...lines] = formatTable(
    ["DUE", "DAYS LEFT", ...(clients ? ["CLIENT"] : []), "CASE", "CLOCK", "RULE", "STATUS"],
    cells,
  ).split("\n");
  const c = ctx.out.c;
  const styled = lines.map((line, i) => {
    const r = rows[i];
    if (!r) return line;
    if (r.clock.status === "late") return c.red(line);
    const days = daysLeftOf(asOf, r);
    return days !== null && days <= 7 ? c.yellow(line) : line;
  });
  return [c.bold(header), ...styled].join("\n");
}

/**
 * `due --notify`: one line per clock or plan item due within `within` days or late, nothing else (no header, no
 * colour, nothing when nothing is due); `--json` the same items. Exit 0 either way (exit 3 only with --check).
 */
async function runNotify(ctx: Context, asOf: IsoDate, within: number, check: boolean): Promise<number> {
  const { listDueClocks } = await import("../../app/due.js");
  const { rows, plan, late } = listDueClocks(ctx, { asOf, within });
  const items = notifyItems(rows, plan, asOf);
  ctx.out.result({ asOf, within, items }, () => items.map((i) => i.line).join("\n"));
  return check && late > 0 ? EXIT.late : EXIT.ok;
}

/**
 * Letters mailed with no delivery recorded: their clocks have no due date until the record shows the day the
 * servicer received them, so they are named here (with the usual days of certified mail) and never guessed.
 */
function awaitingLines(awaiting: readonly AwaitingDelivery[], clients: boolean): string[] {
  if (awaiting.length === 0) return [];
  const lines = ["", "── Mailed, delivery not recorded: their clocks start on the day the servicer received them"];
  for (const a of awaiting) {
    const whose = clients ? ` (${a.client})` : "";
    lines.push(
      `  ${a.case}${whose}  mailed ${a.mailedOn}, usually delivered ${a.expectedFrom} to ${a.expectedTo}: ${a.clocks.join("; ")}`,
      `    record the delivery from the tracking page: loanmail mailed ${a.case} --delivered DATE`,
    );
  }
  return lines;
}

/** `due`: open clocks, soonest first; with --check, exit 3 when a servicer clock is late. */
async function runDue(
  ctx: Context,
  opts: { within?: string; asOf?: string; check?: boolean; notify?: boolean },
): Promise<number> {
  const asOf = asOfDate(ctx, opts.asOf);
  const within = opts.within === undefined ? undefined : checkPositiveInt(opts.within, "--within", 3650);
  if (opts.notify) return runNotify(ctx, asOf, within ?? NOTIFY_DAYS, opts.check === true);
  const { listDueClocks } = await import("../../app/due.js");
  const { listsClients } = await import("../../app/client-scope.js");
  const { needsReview, rows, late, held, protections, options, plan, awaitingDelivery } = listDueClocks(ctx, {
    asOf,
    within,
  });
  const clients = listsClients(ctx);
  const doc = {
    asOf,
    needsReview,
    clocks: rows.map((r) => ({
      case: r.case,
      caseId: r.caseId,
      client: r.client,
      loan: r.loanId,
      ...(r.authorizationId === null ? {} : { authorization: r.authorizationId }),
      ...r.clock,
      daysLeft: daysLeftOf(asOf, r),
    })),
    late,
    held,
    protections: protections.map((p) => ({
      case: p.case,
      caseId: p.caseId,
      client: p.client,
      loanId: p.loanId,
      ...p.protection,
    })),
    options: options.map((o) => ({ case: o.case, caseId: o.caseId, client: o.client, ...o.option })),
    plan,
    awaitingDelivery,
  };
  // After the clocks: what the record shows the servicer did wrong beyond a late clock; then, beside the due
  // items and never among them, the protections and the borrower's options (protection-text.ts, clock-text.ts).
  const flags = rows.flatMap((r) =>
    r.clock.flag ? [`FLAG ${r.case ?? "loan"}: ${r.clock.name}: ${r.clock.flag}`] : [],
  );
  const shield = protections.flatMap((p) => protectionLines(p.protection, p.case ?? `loan ${p.loanId}`));
  const after = [
    ...awaitingLines(awaitingDelivery, clients),
    ...(flags.length > 0 ? ["", ...flags] : []),
    ...planLines(plan),
    ...(shield.length > 0 ? ["", `── ${PROTECTIONS_HEADING}`, ...shield] : []),
    ...optionLines(
      options.map((o) => ({ ...o.option, name: `${o.case}: ${o.option.name}` })),
      "── Your options (not deadlines anyone owes; for an attorney to judge)",
    ),
  ];
  ctx.out.result(
    doc,
    () => {
      // Replies the classifier was not sure of come first: they meet no clock until the user says what they are.
      const review = needsReview.map(
        (r) =>
          `NEEDS REVIEW: a reply arrived on ${r.receivedOn} for ${r.case}; read it and classify it ` +
          `(loanmail show-message ${r.message}, then loanmail classify ${r.message} CLASS). It meets no clock until then.`,
      );
      const table = rows.length === 0 ? `No open clocks on ${asOf}.` : dueTable(ctx, rows, asOf, clients);
      const safe = (lines: string[]) => lines.map(sanitizeForTerminal);
      const first = safe([...review, ...(review.length > 0 ? [""] : [])]);
      if (held.length === 0) return [...first, table, ...safe(after)].join("\n");
      // Held-back replies next: they may be answers, but until the user confirms the sender they meet nothing.
      const lines = [
        `Replies held back from the clocks (${held.length}): check with the servicer before trusting them`,
      ];
      for (const h of held) {
        lines.push(
          `  ${h.arrivedOn}  ${h.case}  message ${h.message} from ${h.from ?? "(no From)"}: ${h.trust.toUpperCase()} (${h.why.join("; ")})`,
          `    if it is the servicer's: ${confirmHint({ id: h.message, replyClass: h.replyClass })}`,
        );
      }
      return [...first, sanitizeForTerminal(lines.join("\n")), "", table, ...safe(after)].join("\n");
    },
    { styled: true },
  );
  return opts.check && late > 0 ? EXIT.late : EXIT.ok;
}

/** `deadline KIND --received D [--set k=v]`: the clocks such a letter would start. */
async function runDeadline(
  ctx: Context,
  kindArg: string,
  opts: { received?: string; set?: string[] },
): Promise<number> {
  if (!isKindId(kindArg)) throw unknownKind(kindArg);
  const received = checkDate(opts.received, "--received");
  const given = parseSetOptions(opts.set ?? []);
  const { plannedClocks } = await import("../../app/deadline.js");
  const { clocks, noDuty, emergency } = plannedClocks(kindArg, received, given);
  ctx.out.result({ kind: kindArg, received, clocks, noDuty, emergency }, () =>
    clocks.length === 0
      ? `A ${kindArg} letter starts no regulatory clock (only the servicer's own promise, for email).`
      : [
          `If ${withArticle(kindArg)} letter is received at the designated channel on ${received}:`,
          ...(noDuty ? [`  Reg X imposes no duty to acknowledge or respond: ${noDuty}.`, `  ${emergency}`] : []),
          ...clocks.map((c) =>
            c.dueStrict === null
              ? `  ${c.name} [${c.rule}]: no date${noDuty ? " (see above)" : c.note ? `; ${c.note}` : ""}`
              : `  ${c.name} [${c.rule}]: due ${c.dueStrict}${c.dueLenient !== c.dueStrict ? ` (lenient ${c.dueLenient})` : ""}${c.note ? `; ${c.note}` : ""}`,
          ),
        ].join("\n"),
  );
  return 0;
}

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

/**
 * A servicer's summary line: "Mr. Cooper, all kinds: 4 letters · 75% on time (6 of 8 clocks) · median 2.5 business
 * days to answer, 14 to response"; wrapped before the medians when wider than the terminal.
 */
function servicerLine(r: ClientServicerSummary, clients: boolean, columns: number): string {
  const whose = clients ? `${r.client} · ` : "";
  const onTime =
    r.onTimeShare === null
      ? "no clock decided yet"
      : `${Math.round(r.onTimeShare * 100)}% on time (${r.onTime} of ${r.clocks} clock${r.clocks === 1 ? "" : "s"})`;
  const medians =
    r.medianDaysToAnswer === null
      ? "no answer yet"
      : `median ${days(r.medianDaysToAnswer)} to answer, ${r.medianDaysToResponse === null ? "no response yet" : `${r.medianDaysToResponse} to response`}`;
  const head = `${whose}${r.servicer}, all kinds: ${r.letters} letter${r.letters === 1 ? "" : "s"} · ${onTime}`;
  return `${head} · ${medians}`.length <= columns ? `${head} · ${medians}` : `${head}\n  ${medians}`;
}

/**
 * Rows as a chart: one summary line per servicer, then one block per servicer and kind (and client, in a home of
 * several), bars scaled to the slowest median, width-limited.
 */
function formatStats(m: ServicerMeasures, asOf: IsoDate, columns: number, clients: boolean): string {
  const rows: readonly ClientStatsRow[] = m.rows;
  if (rows.length === 0) return `No letter has left yet, so there is nothing to measure (as of ${asOf}).`;
  const label = 18;
  const width = Math.max(10, Math.min(40, columns - label - 26));
  const slowest = Math.max(1, ...rows.flatMap((r) => [r.medianDaysToAck ?? 0, r.medianDaysToResponse ?? 0]));
  const line = (name: string, graph: string, text: string) => `  ${name.padEnd(label)}${graph.padEnd(width)}  ${text}`;
  const out = [
    `Servicers by kind of letter, as of ${asOf}`,
    "Median business days from receipt to the first reply; share of regulatory clocks met on time.",
    "",
    ...m.servicers.map((r) => servicerLine(r, clients, columns)),
  ];
  for (const r of rows) {
    const whose = clients ? `${r.client} · ` : "";
    out.push("", `${whose}${r.servicer} · ${r.kind} · ${r.letters} letter${r.letters === 1 ? "" : "s"}`);
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
 * `stats`: per servicer and kind, letters that left, median business days to the first acknowledgment and to the
 * first substantive response, and the share of regulatory clocks met on time (as of `--as-of` or today).
 */
async function runStats(ctx: Context, opts: { asOf?: string }): Promise<number> {
  const asOf = asOfDate(ctx, opts.asOf);
  const { measureServicers } = await import("../../app/servicer-stats.js");
  const { listsClients } = await import("../../app/client-scope.js");
  const measures = measureServicers(ctx, { asOf });
  const clients = listsClients(ctx);
  const columns = process.stdout.columns && process.stdout.columns > 0 ? process.stdout.columns : 80;
  ctx.out.result({ asOf, rows: measures.rows, servicers: measures.servicers }, () =>
    formatStats(measures, asOf, Math.min(columns, 120), clients),
  );
  return 0;
}

/** `calendar --out FILE.ics`: every open or late clock as an all-day event on its lenient due date. */
async function runCalendar(ctx: Context, opts: { out?: string; asOf?: string; force?: boolean }): Promise<number> {
  const out = opts.out?.trim();
  if (!out)
    throw new UserError("--out is required", {
      code: "MISSING_OPTION",
      hint: "name the .ics file to write: loanmail calendar --out deadlines.ics",
    });
  const asOf = asOfDate(ctx, opts.asOf);
  const { writeCalendar } = await import("../../app/calendar.js");
  const events = writeCalendar(ctx, { out, force: opts.force === true, asOf });
  ctx.out.result(
    { out, events },
    () =>
      `Wrote ${events} event${events === 1 ? "" : "s"} to ${out} (open and late clocks on their lenient due dates, as of ${asOf}).`,
  );
  return 0;
}

const asOf = { flags: "--as-of <date>", description: "as if today were this date (YYYY-MM-DD)" };
const FORCE = { flags: "--force", description: "replace the --out file if it exists (never a folder, device or link)" };

export const clockCommands: CommandModule = {
  commands: [
    {
      name: "due",
      description: "open clocks, soonest first; late ones with how many business days late",
      options: [
        { flags: "--within <days>", description: "only clocks due within this many days (late ones always)" },
        asOf,
        { flags: "--check", description: "exit 3 when any servicer clock is late (for cron)" },
        {
          flags: "--notify",
          description: `one plain line per item due within --within days (default ${NOTIFY_DAYS}) or late, for cron and notifiers; exit 0 whether or not any is due`,
        },
      ],
      run: runDue,
    },
    {
      name: "deadline <kind>",
      description: "the clocks a letter of KIND would start if received on a date",
      options: [
        { flags: "--received <date>", description: "the day the servicer would receive it (YYYY-MM-DD)" },
        { flags: "--set <name=value>", description: "a field of the kind (repeat)", repeat: true },
      ],
      run: runDeadline,
    },
    {
      name: "stats",
      description: "per servicer and kind: business days to acknowledgment and to response, share on time",
      options: [asOf],
      run: runStats,
    },
    {
      name: "calendar",
      description: "write every open clock as an all-day event to an .ics file",
      options: [{ flags: "--out <file>", description: "the .ics file to write" }, FORCE, asOf],
      run: runCalendar,
    },
  ],
};
