/** Small case commands that only add to the record: discard, note, call. */

import { isValidIsoDate } from "../../domain/calendar.js";
import type { EventDataByType, EventType } from "../../domain/events.js";
import { zonedTimeToInstant } from "../../domain/time-zone.js";
import { UserError } from "../../errors.js";
import { type CaseRecord, requireCase, setCaseStatus } from "../../store/cases.js";
import { appendCaseEvent, type EventRow, eventOf } from "../../store/events.js";
import { listCaseMessages } from "../../store/messages.js";
import type { Context } from "../context.js";
import { confirmAction } from "../prompts.js";
import { requireOption } from "../validate.js";

function record<T extends EventType>(
  ctx: Context,
  c: CaseRecord,
  type: T,
  data: EventDataByType[T],
  at = ctx.nowIso,
): EventRow {
  return appendCaseEvent(ctx.db(), c, { at, actor: "user", ...eventOf(type, data) });
}

export async function runDiscard(ctx: Context, ref: string): Promise<number> {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  if (c.status === "discarded") throw new UserError(`case ${c.tag} is already discarded`, "nothing to do");
  const left = listCaseMessages(db, c.id).filter((m) => m.direction === "out" && m.state !== "draft");
  if (left.length > 0) {
    throw new UserError(
      `case ${c.tag} has letters that already left; it cannot be discarded`,
      `close it instead with: loanmail resolve ${c.id}`,
    );
  }
  if (!(await confirmAction(ctx, `Discard ${c.tag} (${c.subject ?? c.kind})? Its records are kept.`))) {
    ctx.out.result({ case: c.tag, status: c.status, discarded: false }, () => "Nothing discarded.");
    return 0;
  }
  db.transaction(() => {
    setCaseStatus(db, c.id, "discarded", ctx.nowIso);
    record(ctx, c, "discarded", { previous_status: c.status });
  })();
  ctx.out.result({ case: c.tag, status: "discarded" }, () => `Discarded ${c.tag}; its records are kept.`);
  return 0;
}

export function runNote(ctx: Context, ref: string, text: string): number {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  if (!text.trim()) throw new UserError("the note is empty", `loanmail note ${c.id} "what happened"`);
  const ev = db.transaction(() => record(ctx, c, "note", { text: text.trim() }))();
  ctx.out.result(
    { case: c.tag, event: { id: ev.id, type: ev.type, at: ev.at, hash: ev.hash } },
    () => `Noted on ${c.tag}.`,
  );
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

export function runCall(ctx: Context, ref: string, opts: { with?: string; summary?: string; date?: string }): number {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  const who = requireOption(opts.with, "--with", `loanmail call ${c.id} --with "Agent Smith, ID 4411" --summary "..."`);
  const summary = requireOption(
    opts.summary,
    "--summary",
    `loanmail call ${c.id} --with NAME --summary "what was said"`,
  );
  const when = opts.date === undefined ? ctx.nowIso : parseCallDate(opts.date, ctx.timeZone());
  if (when > ctx.nowIso) throw new UserError(`--date ${opts.date} is in the future`, "record a call after it happened");
  const ev = db.transaction(() =>
    record(ctx, c, "call", { with: who.trim(), summary: summary.trim(), call_at: when, recorded_at: ctx.nowIso }),
  )();
  ctx.out.result(
    { case: c.tag, event: { id: ev.id, type: ev.type, at: ev.at, hash: ev.hash } },
    () => `Recorded the call on ${c.tag}.`,
  );
  return 0;
}
