/** Cases: `cases`, `show`, `discard`, `note`, `call`, `event`, `filed`, `escalate`, `resolve`. */
import type { EventRow } from "../../app/case-records.js";
import { isValidIsoDate } from "../../domain/calendar.js";
import { zonedTimeToInstant } from "../../domain/time-zone.js";
import { UserError } from "../../errors.js";
import { type CommandModule, lazy } from "../command.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { confirmAction } from "../prompts.js";
import { requireOption } from "../validate.js";

/** `loanmail cases`: every case, newest first, and the mail that is filed to none. */
async function runCases(ctx: Context, opts: { status?: string }): Promise<number> {
  const { listCaseOverview } = await import("../../app/case-list.js");
  const { cases, unfiled } = listCaseOverview(ctx, { status: opts.status, clientName: ctx.options.client });
  ctx.out.result({ cases, unfiled }, () => {
    const table =
      cases.length === 0
        ? "No cases. Compose a letter: loanmail compose KIND --loan ID"
        : formatTable(
            ["CASE", "TAG", "KIND", "STATUS", "CHANNEL", "ACCOUNT", "SERVICER", "OPENED"],
            cases.map((c) => [
              String(c.id),
              c.tag,
              c.kind,
              c.status,
              c.formal ? `${c.channel} (formal)` : c.channel,
              c.accountNumber,
              c.servicerName,
              c.openedAt.slice(0, 10),
            ]),
          );
    if (unfiled.length === 0) return table;
    const rows = unfiled.map((m) => [
      String(m.id),
      m.servicerName ?? "-",
      m.date?.slice(0, 10) ?? "-",
      m.replyClass ?? "-",
      m.subject ?? "",
    ]);
    return `${table}\n\nUnfiled mail (file it with: loanmail file MSG CASE)\n${formatTable(["MSG", "SERVICER", "DATE", "CLASS", "SUBJECT"], rows)}`;
  });
  return 0;
}

async function runDiscard(ctx: Context, ref: string): Promise<number> {
  const { findDiscardableCase, discardCase } = await import("../../app/case-records.js");
  const c = findDiscardableCase(ctx, ref);
  if (!(await confirmAction(ctx, `Discard ${c.tag} (${c.subject ?? c.kind})? Its records are kept.`))) {
    ctx.out.result({ case: c.tag, status: c.status, discarded: false }, () => "Nothing discarded.");
    return 0;
  }
  discardCase(ctx, c);
  ctx.out.result({ case: c.tag, status: "discarded" }, () => `Discarded ${c.tag}; its records are kept.`);
  return 0;
}

/** The event as `note` and `call` report it. */
function eventSummary(ev: EventRow): { id: number; type: string; at: string; hash: string } {
  return { id: ev.id, type: ev.type, at: ev.at, hash: ev.hash };
}

async function runNote(ctx: Context, ref: string, text: string): Promise<number> {
  const { findCase, addNote } = await import("../../app/case-records.js");
  const c = findCase(ctx, ref);
  if (!text.trim()) throw new UserError("the note is empty", `loanmail note ${c.id} "what happened"`);
  const ev = addNote(ctx, c, text.trim());
  ctx.out.result({ case: c.tag, event: eventSummary(ev) }, () => `Noted on ${c.tag}.`);
  return 0;
}

/** YYYY-MM-DD or YYYY-MM-DDTHH:MM, read as a time in the user's time zone (a bare date means noon). */
function parseCallDate(value: string, timeZone: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]([01]\d|2[0-3]):([0-5]\d))?$/.exec(value.trim());
  if (!m?.[1] || !isValidIsoDate(m[1])) {
    throw new UserError(`--date ${value}: not a date`, "write YYYY-MM-DD or YYYY-MM-DDTHH:MM (your local time)");
  }
  const d = zonedTimeToInstant(m[1], m[2] ? `${m[2]}:${m[3]}` : "12:00", timeZone);
  return d.toISOString();
}

async function runCall(
  ctx: Context,
  ref: string,
  opts: { with?: string; summary?: string; date?: string },
): Promise<number> {
  const { findCase, recordCall } = await import("../../app/case-records.js");
  const c = findCase(ctx, ref);
  const who = requireOption(opts.with, "--with", `loanmail call ${c.id} --with "Agent Smith, ID 4411" --summary "..."`);
  const summary = requireOption(
    opts.summary,
    "--summary",
    `loanmail call ${c.id} --with NAME --summary "what was said"`,
  );
  const when = opts.date === undefined ? ctx.nowIso : parseCallDate(opts.date, ctx.timeZone());
  if (when > ctx.nowIso) throw new UserError(`--date ${opts.date} is in the future`, "record a call after it happened");
  const ev = recordCall(ctx, c, { with: who.trim(), summary: summary.trim(), callAt: when });
  ctx.out.result({ case: c.tag, event: eventSummary(ev) }, () => `Recorded the call on ${c.tag}.`);
  return 0;
}

export const caseCommands: CommandModule = {
  commands: [
    {
      name: "cases",
      description: "list cases",
      options: [
        {
          flags: "--status <status>",
          description: "only cases in this status",
          choices: ["draft", "open", "discarded", "resolved", "unresolved"],
        },
      ],
      run: runCases,
    },
    {
      name: "show <case>",
      description: "show a case: its letters, exhibits, channel, state and events",
      options: [
        { flags: "--pdf <file>", description: "write the case's latest letter as a printable PDF" },
        { flags: "--as-of <date>", description: "show the clocks as of this date (YYYY-MM-DD)" },
      ],
      run: lazy(
        () => import("./show.js"),
        (m) => m.runShow,
      ),
    },
    {
      name: "discard <case>",
      description: "discard a case that was never sent (its records are kept)",
      run: runDiscard,
    },
    {
      name: "note <case> <text>",
      description: "add a note to a case's record",
      run: runNote,
    },
    {
      name: "call <case>",
      description: "record a phone call about a case",
      options: [
        { flags: "--with <name>", description: "who you spoke with (name, ID, department)" },
        { flags: "--summary <text>", description: "what was said and promised" },
        {
          flags: "--date <when>",
          description: "when the call took place (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default now)",
        },
      ],
      run: runCall,
    },
    {
      name: "event <case> <type>",
      description: "record a dated event that starts a clock: paid-off, application-complete, denied",
      options: [
        { flags: "--date <date>", description: "when it happened (YYYY-MM-DD)" },
        { flags: "--sale-date <date>", description: "a scheduled foreclosure sale date, if any" },
      ],
      run: lazy(
        () => import("./clocks.js"),
        (m) => m.runEvent,
      ),
    },
    {
      name: "filed <case>",
      description: "record a CFPB complaint about the case (starts the CFPB process clocks)",
      options: [
        { flags: "--cfpb-id <id>", description: "the complaint number" },
        { flags: "--date <date>", description: "the day it was sent to the company (YYYY-MM-DD)" },
      ],
      run: lazy(
        () => import("./clocks.js"),
        (m) => m.runFiled,
      ),
    },
    {
      name: "escalate <case>",
      description: "draft the next step of the escalation ladder as a child case citing the history",
      options: [{ flags: "--as-of <date>", description: "judge the clocks as of this date (YYYY-MM-DD)" }],
      run: lazy(
        () => import("./escalate.js"),
        (m) => m.runEscalate,
      ),
    },
    {
      name: "resolve <case>",
      description: "close a case as resolved, or mark it unresolved (a trigger to escalate)",
      options: [{ flags: "--unresolved", description: "the servicer's answer did not resolve it" }],
      run: lazy(
        () => import("./escalate.js"),
        (m) => m.runResolve,
      ),
    },
  ],
};
