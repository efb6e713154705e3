/**
 * Statistics and calendar events built from clocks: pure functions over facts the command has already read (the
 * letters and replies of each case, its computed clocks, and who serviced the loan when). Nothing here reads the
 * database, the clock or the file system.
 */
import type { Alarm, EventAttributes } from "ics";
import { addDays, businessDaysBefore, businessDaysBetween, daysBetween, type IsoDate } from "../domain/calendar.js";
import type { ReplyClass } from "../domain/classify.js";
import { lateBy } from "../domain/clock-types.js";
import { type Clock, type ClockLetter, type ClockReply, receiptOf } from "../domain/clocks.js";
import { meetsClocks } from "../domain/reply-trust.js";

/** One case as statistics need it. */
export interface StatsCase {
  /** The case's kind: clocks started by case events (payoff, complete application) count under it. */
  kind: string;
  /** The servicer of the loan on a date; servicing may have moved since the letter left. */
  servicerOn: (date: IsoDate) => string;
  letters: readonly ClockLetter[];
  replies: readonly ClockReply[];
  clocks: readonly Clock[];
}

/** One row of `loanmail stats`: a servicer and a letter kind. */
export interface StatsRow {
  servicer: string;
  kind: string;
  /** Letters of this kind that left for this servicer (drafts excluded). */
  letters: number;
  /** Median business days from receipt to the first reply that acknowledges it, null when none came. */
  medianDaysToAck: number | null;
  /** Median business days from receipt to the first substantive reply (response or exception). */
  medianDaysToResponse: number | null;
  /** Share of decided regulatory clocks met with no business day late (3 decimals), null when none is decided. */
  onTimeShare: number | null;
  /** Regulatory clocks decided so far (met, or late): the denominator of onTimeShare. */
  clocks: number;
}

/**
 * A reply that acknowledges a letter: an acknowledgment, or anything that could only come after reading it
 * (an extension, an exception, a response). A documents-requested reply does not, as it stops no Reg X clock.
 */
const ACKNOWLEDGES: readonly ReplyClass[] = ["acknowledgment", "extension", "exception", "response"];
/** A substantive reply (docs/ARCHITECTURE.md, "Clocks"): a response or an exception (no error found, with reasons). */
const SUBSTANTIVE: readonly ReplyClass[] = ["response", "exception"];

/** The middle value (the mean of the two middle ones for an even count); null for no values. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * A clock that a regulation (or statute) sets for the servicer: not the servicer's own promise, not the CFPB's
 * process, and not a borrower's deadline.
 */
export function isRegulatoryClock(c: Clock): boolean {
  return c.party === "servicer" && !c.id.startsWith("promise-") && !c.id.startsWith("cfpb-");
}

/** One servicer's letters of every kind together: the summary line of `loanmail stats`. */
export interface ServicerSummary {
  servicer: string;
  /** Letters that left for this servicer, of every kind (drafts excluded). */
  letters: number;
  /** Median business days from receipt to the first reply that acknowledges (answers) a letter; null when none. */
  medianDaysToAnswer: number | null;
  /** Median business days from receipt to the first substantive reply (response or exception); null when none. */
  medianDaysToResponse: number | null;
  /** Share of decided regulatory clocks met with no business day late (3 decimals), null when none is decided. */
  onTimeShare: number | null;
  /** Regulatory clocks decided so far: the denominator of onTimeShare. */
  clocks: number;
  /** Of them, met on time. */
  onTime: number;
}

/** What is counted for one servicer and kind before the medians are taken. */
interface Acc {
  servicer: string;
  kind: string;
  letters: number;
  toAck: number[];
  toResponse: number[];
  decided: number;
  onTime: number;
}

const share = (onTime: number, decided: number) =>
  decided === 0 ? null : Math.round((onTime / decided) * 1000) / 1000;

/**
 * Rows per servicer and kind, sorted by servicer then kind. Days are counted with `businessDaysBetween` under the
 * lenient rule (the same rule that decides "late"), from the clock start (the letter's receipt: its delivery date
 * for post) to the first qualifying reply on or after it in the same case. A posted letter with no delivery date
 * counts as a letter but gives no days. A regulatory clock is decided once met or late; it is on time when met
 * with no business day late.
 */
export function buildStatsRows(cases: readonly StatsCase[]): StatsRow[] {
  return accumulate(cases).map((r) => ({
    servicer: r.servicer,
    kind: r.kind,
    letters: r.letters,
    medianDaysToAck: median(r.toAck),
    medianDaysToResponse: median(r.toResponse),
    onTimeShare: share(r.onTime, r.decided),
    clocks: r.decided,
  }));
}

/**
 * One line per servicer over every kind of letter, sorted by servicer: the letters that left for it, the median
 * business days to its first answer and to its first substantive response (over every letter's days, not a median
 * of the kinds' medians), and the share of its decided regulatory clocks met on time. Counted as buildStatsRows.
 */
export function buildServicerSummaries(cases: readonly StatsCase[]): ServicerSummary[] {
  const by = new Map<string, Acc>();
  for (const r of accumulate(cases)) {
    const s = by.get(r.servicer);
    if (!s) {
      by.set(r.servicer, { ...r, kind: "", toAck: [...r.toAck], toResponse: [...r.toResponse] });
      continue;
    }
    s.letters += r.letters;
    s.toAck.push(...r.toAck);
    s.toResponse.push(...r.toResponse);
    s.decided += r.decided;
    s.onTime += r.onTime;
  }
  return [...by.values()].map((s) => ({
    servicer: s.servicer,
    letters: s.letters,
    medianDaysToAnswer: median(s.toAck),
    medianDaysToResponse: median(s.toResponse),
    onTimeShare: share(s.onTime, s.decided),
    clocks: s.decided,
    onTime: s.onTime,
  }));
}

/** The counts per servicer and kind, sorted by servicer then kind. */
function accumulate(cases: readonly StatsCase[]): Acc[] {
  const rows = new Map<string, Acc>();
  const acc = (servicer: string, kind: string): Acc => {
    const key = JSON.stringify([servicer, kind]);
    let row = rows.get(key);
    if (!row) {
      row = { servicer, kind, letters: 0, toAck: [], toResponse: [], decided: 0, onTime: 0 };
      rows.set(key, row);
    }
    return row;
  };

  for (const c of cases) {
    const replies = c.replies
      .filter(meetsClocks)
      .sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : a.receivedOn > b.receivedOn ? 1 : 0));
    const letterById = new Map<number, { row: Acc }>();
    for (const letter of c.letters) {
      if (letter.leftOn === null) continue;
      const row = acc(c.servicerOn(letter.leftOn), letter.kind);
      letterById.set(letter.messageId, { row });
      row.letters += 1;
      const start = receiptOf(letter);
      if (start === null) continue;
      const first = (classes: readonly ReplyClass[]) =>
        replies.find((r) => r.receivedOn >= start && (classes as readonly string[]).includes(r.class));
      const ack = first(ACKNOWLEDGES);
      if (ack) row.toAck.push(businessDaysBetween(start, ack.receivedOn, "lenient"));
      const response = first(SUBSTANTIVE);
      if (response) row.toResponse.push(businessDaysBetween(start, response.receivedOn, "lenient"));
    }
    for (const clock of c.clocks) {
      if (!isRegulatoryClock(clock) || clock.startedBy === null) continue;
      if (clock.status !== "met" && clock.status !== "late") continue;
      const byLetter = clock.startedBy.messageId === undefined ? undefined : letterById.get(clock.startedBy.messageId);
      const row = byLetter?.row ?? acc(c.servicerOn(clock.startedBy.on), c.kind);
      row.decided += 1;
      if (clock.status === "met" && !clock.businessDaysLate) row.onTime += 1;
    }
  }

  return [...rows.values()].sort((a, b) => a.servicer.localeCompare(b.servicer) || a.kind.localeCompare(b.kind));
}

/** One clock to put in a calendar: its case tag (null for a loan-level deadline) and owner. */
export interface CalendarClock {
  /** The case tag, e.g. LM-K7QX-3; null for a loan's own deadline (a servicing transfer). */
  tag: string | null;
  loanId: number;
  /** Whose deadline it is (named in the event's description). */
  client?: string;
  clock: Clock;
}

function dateArray(d: IsoDate): [number, number, number] {
  const [y, m, day] = d.split("-").map(Number);
  return [y as number, m as number, day as number];
}

/**
 * A UID that stays the same for the same clock of the same case, so that importing the file again updates each
 * event instead of adding a copy. A clock's id names its kind ("noe-response"); the letter that started it is
 * added because a case holding two formal letters of one kind has two clocks of that id.
 */
export function calendarUid(c: CalendarClock, prefix: string): string {
  const owner = c.tag ?? `LM-${prefix}-loan-${c.loanId}`;
  const messageId = c.clock.startedBy?.messageId;
  const letter = messageId === undefined || c.clock.id.endsWith(`-${messageId}`) ? "" : `.m${messageId}`;
  return `${owner}.${c.clock.id}${letter}@loanmail`;
}

/** "LM-K7QX-3 due: Notice of error: response (12 C.F.R. 1024.35(e)(3)(i)(C))"; the borrower's own say so. */
export function calendarTitle(c: CalendarClock): string {
  const owner = c.tag ?? `Loan ${c.loanId}`;
  const what = c.clock.party === "borrower" ? "YOUR deadline" : "due";
  return `${owner} ${what}: ${c.clock.name} (${c.clock.rule})`;
}

/**
 * All-day events on each clock's lenient due date (the day after which loanmail calls it late), for `createEvents`
 * of the `ics` package. Clocks without a due date are left out. UIDs are made unique within the file.
 */
/**
 * Two reminders of a deadline, at 9:00 on the day 3 business days before it and on the day before (issue 14):
 * triggers relative to the all-day event's start (midnight of the due date), so they ring in the user's zone.
 */
function reminders(due: IsoDate, title: string): Alarm[] {
  const daysBack = daysBetween(businessDaysBefore(due, 3), due);
  // 9:00 on the day `days` before midnight of the due date: (days - 1) days and 15 hours before it.
  const at9 = (days: number) => ({ before: true, days: days - 1, hours: 15 });
  return [
    { action: "display", description: `In 3 business days: ${title}`, trigger: at9(daysBack) },
    { action: "display", description: `Tomorrow: ${title}`, trigger: at9(1) },
  ];
}

export function buildCalendarEvents(
  clocks: readonly CalendarClock[],
  prefix: string,
  asOf: IsoDate,
): EventAttributes[] {
  const seen = new Map<string, number>();
  const events: EventAttributes[] = [];
  for (const c of clocks) {
    const due = c.clock.dueLenient;
    if (due === null) continue;
    let uid = calendarUid(c, prefix);
    const n = (seen.get(uid) ?? 0) + 1;
    seen.set(uid, n);
    if (n > 1) uid = uid.replace("@", `.${n}@`);
    const status = c.clock.status === "late" ? `LATE by ${lateBy(c.clock)} on ${asOf}` : `open on ${asOf}`;
    const description = [
      `${c.clock.name}`,
      c.client === undefined ? null : `Client: ${c.client}`,
      `Rule: ${c.clock.rule}`,
      c.clock.startedBy ? `Started ${c.clock.startedBy.on}: ${c.clock.startedBy.what}` : null,
      c.clock.dueStrict && c.clock.dueStrict !== due ? `Strict due date ${c.clock.dueStrict}; lenient ${due}` : null,
      c.clock.extendedBy ? `Extended by the servicer's letter of ${c.clock.extendedBy.on}` : null,
      c.clock.note,
      `Status: ${status} (loanmail)`,
    ]
      .filter((line): line is string => Boolean(line))
      .join("\n");
    events.push({
      uid,
      title: calendarTitle(c),
      description,
      start: dateArray(due),
      end: dateArray(addDays(due, 1)),
      transp: "TRANSPARENT",
      categories: ["loanmail"],
      alarms: reminders(due, calendarTitle(c)),
    });
  }
  return events;
}
