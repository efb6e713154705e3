/** Cases: `cases`, `show`, `discard`, `note`, `call`, `event`, `filed`, `resolve` (`escalate` is in escalate.ts). */

import type * as CaseRecords from "../../app/case-records.js";
import type { CaseRecord, EventRow } from "../../app/case-records.js";
import type { MessageRecord } from "../../app/case-view.js";
import { checkDayInRange } from "../../domain/calendar.js";
import { effectiveStep } from "../../domain/ladder.js";
import { OUTCOMES, outcomeOf } from "../../domain/outcomes.js";
import { dayIn, zonedTimeToInstant } from "../../domain/time-zone.js";
import { realDay } from "../../domain/typed-days.js";
import { EXIT, UserError } from "../../errors.js";
import { EVENT_DESCRIPTION, EVENT_OPTIONS, runEvent } from "../case-event.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { asOfDate } from "../dates.js";
import { formatTable } from "../output.js";
import { confirmAction } from "../prompts.js";
import { describeCase } from "../show-text.js";
import { checkPositiveInt, requireOption } from "../validate.js";
import { runFiled } from "./filed.js";

/** `loanmail cases`: every case, newest first, and the mail that is filed to none. */
async function runCases(ctx: Context, opts: { status?: string }): Promise<number> {
  const { listCaseOverview } = await import("../../app/case-list.js");
  const { listsClients } = await import("../../app/client-scope.js");
  const { cases, unfiled } = listCaseOverview(ctx, { status: opts.status });
  const clients = listsClients(ctx);
  // Days in the user's time zone, as show and the timeline give them (a letter opened at 10 PM in Chicago is
  // not opened the next day); a day typed by the user (a paper reply's) is that day already.
  const day = (value: string) => dayIn(value, ctx.timeZone());
  ctx.out.result({ cases: cases.map((c) => ({ ...c, client: c.clientName })), unfiled }, () => {
    const table =
      cases.length === 0
        ? "No cases. Compose a letter: loanmail compose KIND --loan ID"
        : formatTable(
            [
              "CASE",
              ...(clients ? ["CLIENT"] : []),
              "TAG",
              "KIND",
              "STATUS",
              "CHANNEL",
              "ACCOUNT",
              "SERVICER",
              "OPENED",
            ],
            cases.map((c) => [
              String(c.id),
              ...(clients ? [c.clientName] : []),
              c.tag,
              c.kind,
              c.status,
              c.formal ? `${c.channel} (formal)` : c.channel,
              c.accountNumber,
              c.servicerName,
              day(c.openedAt),
            ]),
          );
    if (unfiled.length === 0) return table;
    const rows = unfiled.map((m) => [
      String(m.id),
      m.servicerName ?? "-",
      day(m.arrivedAt), // when it reached the mailbox, never its Date header
      m.replyClass ?? "-",
      m.subject ?? "",
    ]);
    return `${table}\n\nUnfiled mail (file it with: loanmail file MSG CASE)\n${formatTable(["MSG", "SERVICER", "DATE", "CLASS", "SUBJECT"], rows)}`;
  });
  return 0;
}

async function runDiscard(ctx: Context, ref: string, opts: { letter?: string }): Promise<number> {
  if (opts.letter !== undefined) return runDiscardLetter(ctx, ref, checkPositiveInt(opts.letter, "--letter", 1e9));
  const { findDiscardableCase, discardCase } = await import("../../app/case-records.js");
  // A queued letter is discarded only while no send runs (the send lock: a send waiting on it would take it up).
  const release = await sendLock(ctx);
  try {
    return await discardWholeCase(ctx, findDiscardableCase(ctx, ref), discardCase);
  } finally {
    release();
  }
}

async function sendLock(ctx: Context): Promise<() => void> {
  const { acquireLock } = await import("../../app/lock.js");
  return acquireLock(ctx.home.dir, "send");
}

async function discardWholeCase(
  ctx: Context,
  c: CaseRecord,
  discardCase: typeof CaseRecords.discardCase,
): Promise<number> {
  if (!(await confirmAction(ctx, `Discard ${c.tag} (${c.subject ?? c.kind})? Its records are kept.`))) {
    ctx.out.result({ case: c.tag, status: c.status, discarded: false }, () => "Nothing discarded.");
    return 0;
  }
  discardCase(ctx, c);
  ctx.out.result({ case: c.tag, status: "discarded" }, () => `Discarded ${c.tag}; its records are kept.`);
  return 0;
}

/** `discard CASE --letter N`: one draft, on its own; the case and its other letters stay. */
async function runDiscardLetter(ctx: Context, ref: string, letter: number): Promise<number> {
  const { findDiscardableLetter, discardLetter } = await import("../../app/case-records.js");
  const release = await sendLock(ctx);
  try {
    const { c, draft } = findDiscardableLetter(ctx, ref, letter);
    return await discardOneLetter(ctx, c, draft, discardLetter);
  } finally {
    release();
  }
}

async function discardOneLetter(
  ctx: Context,
  c: CaseRecord,
  draft: MessageRecord,
  discardLetter: typeof CaseRecords.discardLetter,
): Promise<number> {
  const doc = { case: c.tag, letter: draft.id };
  if (!(await confirmAction(ctx, `Discard draft letter ${draft.id} of ${c.tag} (${draft.kind ?? "letter"})?`))) {
    ctx.out.result({ ...doc, discarded: false }, () => "Nothing discarded.");
    return 0;
  }
  discardLetter(ctx, c, draft);
  ctx.out.result(
    { ...doc, discarded: true },
    () => `Discarded draft letter ${draft.id} of ${c.tag}; its text is kept in the record.`,
  );
  return 0;
}

/** The event as `note` and `call` report it. */
function eventSummary(ev: EventRow): { id: number; type: string; at: string; hash: string } {
  return { id: ev.id, type: ev.type, at: ev.at, hash: ev.hash };
}

async function runNote(ctx: Context, ref: string, text: string): Promise<number> {
  const { findCase, addNote } = await import("../../app/case-records.js");
  const c = findCase(ctx, ref);
  if (!text.trim())
    throw new UserError("the note is empty", { code: "EMPTY_VALUE", hint: `loanmail note ${c.id} "what happened"` });
  const ev = addNote(ctx, c, text.trim());
  ctx.out.result({ case: c.tag, event: eventSummary(ev) }, () => `Noted on ${c.tag}.`);
  return 0;
}

/** YYYY-MM-DD or YYYY-MM-DDTHH:MM, read as a time in the user's time zone (a bare date means noon). */
function parseCallDate(value: string, timeZone: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]([01]\d|2[0-3]):([0-5]\d))?$/.exec(value.trim());
  const day = realDay(m?.[1] ?? "", `--date ${value}`, "write YYYY-MM-DD or YYYY-MM-DDTHH:MM (your local time)");
  checkDayInRange(day, "--date");
  const d = zonedTimeToInstant(day, m?.[2] ? `${m[2]}:${m[3]}` : "12:00", timeZone);
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
  if (when > ctx.nowIso)
    throw new UserError(`--date ${opts.date} is in the future`, {
      code: "DATE_IN_FUTURE",
      hint: "record a call after it happened",
    });
  const ev = recordCall(ctx, c, { with: who.trim(), summary: summary.trim(), callAt: when });
  ctx.out.result({ case: c.tag, event: eventSummary(ev) }, () => `Recorded the call on ${c.tag}.`);
  return 0;
}

/**
 * `show CASE [--pdf FILE [--letter N]] [--as-of DATE]`: the whole case, or a letter as a printable PDF (an unsent
 * letter's printing is kept; a letter that left gives back the copy kept then).
 */
async function runShow(
  ctx: Context,
  ref: string,
  opts: { pdf?: string; asOf?: string; letter?: string; force?: boolean; letterOnly?: boolean },
): Promise<number> {
  if (opts.force && opts.pdf === undefined)
    throw new UserError("--force replaces the file --pdf names: give --pdf FILE", {
      code: "MISSING_OPTION",
      hint: "loanmail show CASE --pdf letter.pdf --force",
    });
  if (opts.letterOnly && opts.pdf === undefined)
    throw new UserError("--letter-only says what --pdf writes: give --pdf FILE", {
      code: "MISSING_OPTION",
      hint: "loanmail show CASE --pdf letter.pdf --letter-only",
    });
  const { findCase } = await import("../../app/case-records.js");
  const c = findCase(ctx, ref);
  if (opts.pdf !== undefined) {
    const n = opts.letter === undefined ? undefined : checkPositiveInt(opts.letter, "--letter", 1_000_000_000);
    const { writeLetterPdf } = await import("../../app/letter-pdf.js");
    const r = await writeLetterPdf(ctx, c, opts.pdf, n, opts.force === true, { letterOnly: opts.letterOnly === true });
    if (r.note) ctx.out.warn(r.note);
    for (const w of r.warnings) ctx.out.warn(w);
    const pages = r.pages === null ? "" : `, ${r.pages} ${r.pages === 1 ? "page" : "pages"}`;
    ctx.out.result(
      {
        case: c.tag,
        pdf: opts.pdf,
        message: r.message.id,
        source: r.source,
        sha256: r.sha256,
        size: r.size,
        pages: r.pages,
        warnings: r.warnings,
      },
      () =>
        `Wrote ${opts.pdf} (letter ${r.message.id}${r.source === "kept" ? ", the copy kept when it left" : ""}${pages})`,
    );
    if (r.source === "printed" && r.message.channel === "post") {
      ctx.out.note(
        `This printing is kept. Mail it by certified mail, then record it: loanmail mailed ${c.id} --letter ${r.message.id} --tracking NUMBER`,
      );
    }
    return 0;
  }
  const asOf = asOfDate(ctx, opts.asOf);
  const { readCaseView } = await import("../../app/case-view.js");
  const view = readCaseView(ctx, c, asOf);
  const lettersState = new Map(view.letters.map((l) => [l.id, l.state]));
  ctx.out.result(
    {
      case: view.case,
      // The rung the case stands on (its stored `step`, or what its own letter makes it: src/domain/ladder.ts).
      escalationStep: effectiveStep(view.case),
      asOf,
      clocks: view.clocks,
      protections: view.protections,
      options: view.options,
      loan: view.loan,
      servicer: { id: view.servicer.id, name: view.servicer.name },
      letters: view.letters.map(({ message: _m, attachments: _a, ...letter }) => letter),
      messages: view.messages.map(({ message, exhibits, reply, departure, printings, proofs }) => ({
        ...message,
        // `state` is the outbox's ("sent" once a letter left by any channel, kept for scripts); `letterState` is
        // what `show` and the timeline say of a letter: mailed or delivered once the record holds it.
        letterState: lettersState.get(message.id) ?? null,
        exhibits,
        departure,
        printings,
        proofs,
        ...(view.dated.has(message.id) ? { written: view.dated.get(message.id) } : {}),
        ...(reply
          ? { arrived: reply.arrival, dateDiscrepancyDays: reply.dateDiscrepancyDays, heldFromClocks: reply.held }
          : {}),
      })),
      events: view.events,
    },
    () => describeCase(view, ctx.timeZone()),
  );
  return 0;
}

/** `resolve CASE [--unresolved]`: close the case, or mark the servicer's answer as not resolving it. */
async function runResolve(
  ctx: Context,
  ref: string,
  opts: { unresolved?: boolean; outcome?: string },
): Promise<number> {
  const unresolved = opts.unresolved === true;
  if (unresolved && opts.outcome !== undefined)
    throw new UserError("--outcome records how a resolved case ended; --unresolved says it did not end", {
      code: "CONFLICTING_OPTIONS",
      hint: "give one of them",
      exitCode: EXIT.usage,
    });
  const { resolveCaseByRef } = await import("../../app/escalate.js");
  const r = resolveCaseByRef(ctx, ref, unresolved, opts.outcome);
  const done = r.caseRecord;
  ctx.out.result(
    {
      case: done.tag,
      id: done.id,
      status: done.status,
      previousStatus: r.previousStatus,
      closedAt: done.closedAt,
      outcome: opts.outcome ?? null,
      event: r.eventId,
    },
    () =>
      unresolved
        ? `Marked ${done.tag} unresolved. Escalate it with: loanmail escalate ${done.id}`
        : `Resolved ${done.tag}.${opts.outcome ? ` Outcome (HUD-9902): ${outcomeOf(opts.outcome)?.label ?? opts.outcome}.` : ""}`,
  );
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
        {
          flags: "--pdf <file>",
          description:
            "write a letter as a printable PDF packet: the letter, the exhibit list and every exhibit, page-numbered (a printing of an unsent letter is kept)",
        },
        { flags: "--letter-only", description: "with --pdf: the letter alone, without the exhibit list and exhibits" },
        {
          flags: "--letter <n>",
          description: "which letter --pdf writes (its number in show); default the draft, refused when several",
        },
        { flags: "--force", description: "let --pdf replace an existing file (never a folder, device or link)" },
        { flags: "--as-of <date>", description: "show the clocks as of this date (YYYY-MM-DD)" },
      ],
      run: runShow,
    },
    {
      name: "discard <case>",
      description: "discard a case that was never sent, or one draft of it with --letter (records are kept)",
      options: [{ flags: "--letter <n>", description: "discard only this draft letter; the case stays" }],
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
      description: EVENT_DESCRIPTION,
      options: EVENT_OPTIONS,
      run: runEvent,
    },
    {
      name: "filed <case>",
      description: "record a CFPB complaint about the case, or the company's response to it",
      options: [
        { flags: "--cfpb-id <id>", description: "the complaint number" },
        { flags: "--date <date>", description: "the day it was sent to the company (YYYY-MM-DD)" },
        { flags: "--response-date <date>", description: "the day the company's response arrived (YYYY-MM-DD)" },
        { flags: "--in-progress", description: 'the response said the company\'s work is "in progress"' },
      ],
      run: runFiled,
    },
    {
      name: "resolve <case>",
      description: "close a case as resolved, or mark it unresolved (a trigger to escalate)",
      options: [
        { flags: "--unresolved", description: "the servicer's answer did not resolve it" },
        {
          flags: "--outcome <outcome>",
          description: "how it ended, in HUD form 9902's categories (for report outcomes)",
          choices: OUTCOMES.map((o) => o.id),
        },
      ],
      run: runResolve,
    },
  ],
};
