/**
 * `due --notify`: one line per item due within N days (or late), for cron and desktop notifiers
 * (`loanmail due --notify | xargs -d '\n' -n1 notify-send`). No header, no colour; nothing at all when nothing is
 * due. Each line names whose case it is, the clock and the rule it runs by, the due date and the days left. A
 * clock's due date is its strict one (the lenient one beside it when later, as `show` says it), so the window
 * never leaves out a clock strictly due within it; it is called late only after the lenient one.
 */

import type { DuePlanItem } from "../app/client-plan.js";
import type { DueRow } from "../app/due.js";
import { daysBetween, type IsoDate } from "../domain/calendar.js";
import { lateBy } from "../domain/clock-types.js";
import { count } from "../domain/words.js";

/** Days `due --notify` looks ahead when `--within` is not given. */
export const NOTIFY_DAYS = 3;

/** One item of `due --notify`: the clock or plan item, its due day, days left, and the line people read. */
export interface NotifyItem {
  kind: "clock" | "plan";
  /** The case tag; null for a loan's or an authorization's own deadline, or a plan item. */
  case: string | null;
  caseId: number | null;
  client: string;
  loan: number | null;
  /** The clock's id (noe-response, ...) or `plan-N` for the client's plan item N. */
  id: string;
  name: string;
  /** The rule it runs by (12 C.F.R. ...); null for a plan item, which is not a legal deadline. */
  rule: string | null;
  party: "servicer" | "borrower" | "counselor";
  /** The due date: a clock's strict one. */
  due: IsoDate;
  /** A clock's lenient due date (after which it is late), when later than `due`; else null. */
  dueLenient: IsoDate | null;
  /** Calendar days from the day asked about to `due`: negative once it has passed. */
  daysLeft: number;
  late: boolean;
  /** Business days late, for a late clock. */
  businessDaysLate: number | null;
  line: string;
}

/**
 * "due D, 2 days left", "due D, today", "due D (lenient L), 1 day ago; late only after L", "due D, LATE by 3
 * business days" (`lateBy`: a clock of calendar days is late by days), "due D, LATE (1 day ago)".
 */
function when(due: IsoDate, lenient: IsoDate | null, daysLeft: number, late: boolean, lateText: string | null): string {
  const on = lenient ? `due ${due} (lenient ${lenient})` : `due ${due}`;
  if (late) return lateText ? `${on}, LATE by ${lateText}` : `${on}, LATE (${count(-daysLeft, "day")} ago)`;
  if (daysLeft === 0) return `${on}, today`;
  if (daysLeft < 0) return `${on}, ${count(-daysLeft, "day")} ago; late only after ${lenient ?? due}`;
  return `${on}, ${count(daysLeft, "day")} left`;
}

/** What the item is about: its case, else its loan or authorization. */
function placeOf(r: DueRow): string {
  if (r.case !== null) return `case ${r.case}`;
  return r.authorizationId === null ? `loan ${r.loanId}` : `authorization ${r.authorizationId}`;
}

/** The lines and items of `due --notify`: clocks first (soonest first, as `due` lists them), then plan items. */
export function notifyItems(rows: readonly DueRow[], plan: readonly DuePlanItem[], asOf: IsoDate): NotifyItem[] {
  const items: NotifyItem[] = [];
  for (const r of rows) {
    const due = r.clock.dueStrict ?? r.clock.dueLenient;
    if (due === null) continue;
    const lenient = r.clock.dueLenient !== null && r.clock.dueLenient > due ? r.clock.dueLenient : null;
    const daysLeft = daysBetween(asOf, due);
    const late = r.clock.status === "late";
    const lateText = late && (r.clock.businessDaysLate ?? 0) > 0 ? lateBy(r.clock) : null;
    const who = r.clock.party === "borrower" ? "YOUR deadline: " : "";
    const text = `${placeOf(r)} (${r.client}) ${who}${r.clock.name} [${r.clock.rule}] ${when(due, lenient, daysLeft, late, lateText)}`;
    items.push({
      kind: "clock",
      case: r.case,
      caseId: r.caseId,
      client: r.client,
      loan: r.loanId,
      id: r.clock.id,
      name: r.clock.name,
      rule: r.clock.rule,
      party: r.clock.party,
      due,
      dueLenient: lenient,
      daysLeft,
      late,
      businessDaysLate: late ? r.clock.businessDaysLate : null,
      line: `loanmail: ${text}`,
    });
  }
  for (const p of plan) {
    const daysLeft = daysBetween(asOf, p.by);
    const late = p.status === "late";
    const text = `plan item ${p.number} (${p.client}) ${p.text} ${when(p.by, null, daysLeft, late, null)} (action plan, not a legal deadline)`;
    items.push({
      kind: "plan",
      case: null,
      caseId: null,
      client: p.client,
      loan: null,
      id: `plan-${p.number}`,
      name: p.text,
      rule: null,
      party: "counselor",
      due: p.by,
      dueLenient: null,
      daysLeft,
      late,
      businessDaysLate: null,
      line: `loanmail: ${text}`,
    });
  }
  return items;
}
