/**
 * The clocks in a timeline: each clock's start, extension and meeting attached to the event that caused it, and
 * a row of its own for each clock that was missed.
 */
import type { Clock } from "../domain/clocks.js";
import { CASE_EVENT_TYPES as CASE_EVENTS } from "../domain/events.js";
import type { EventRow } from "../store/events.js";
import type { ClockRole, RowClock, TimelineRow } from "./timeline.js";
import type { SourceClock } from "./timeline-sources.js";
import { localDate } from "./timeline-when.js";

/** Events that record a fact of the case itself (not of a letter): they can start, and meet, clocks. */
const CASE_EVENT_TYPES: ReadonlySet<string> = new Set(CASE_EVENTS);
const LEAVING_TYPES = ["delivered", "mailed", "sent"];

/**
 * A clock's part in one row. Its start gives the due date and rule as they stood then: for an extended clock, those
 * before the extension (`beforeExtension`); the extension's own row, and the rows after it, give the extended ones.
 */
function rowClock(c: SourceClock, role: ClockRole): RowClock {
  const then = role === "started" ? (c.beforeExtension ?? c) : c;
  return {
    clock: c.id,
    name: c.name,
    rule: then.rule,
    party: c.party,
    role,
    due: then.dueLenient ?? then.dueStrict,
    businessDaysLate: c.businessDaysLate,
  };
}

/** The event that started a clock: the letter's delivery, mailing or sending on the clock's start day. */
function startingEvent(c: Clock, events: readonly EventRow[], whenOf: (e: EventRow) => string, tz: string) {
  const sb = c.startedBy;
  if (!sb) return undefined;
  if (sb.messageId !== undefined) {
    const mine = events.filter((e) => e.message_id === sb.messageId);
    const leaving = mine.filter((e) => LEAVING_TYPES.includes(e.type));
    const onDay = leaving.filter((e) => localDate(whenOf(e), tz) === sb.on);
    // Mailed and delivered on the same day: the clock ran from the one it names (a Reg X clock from delivery).
    return onDay.find((e) => e.type === sb.by) ?? onDay[0] ?? leaving.at(-1) ?? mine.at(-1);
  }
  const candidates = events.filter((e) => CASE_EVENT_TYPES.has(e.type));
  return candidates.find((e) => localDate(whenOf(e), tz) === sb.on);
}

/** The event by which a reply entered the case: its receipt, else its filing, else any event of it. */
function replyEvent(messageId: number, events: readonly EventRow[]) {
  const mine = events.filter((e) => e.message_id === messageId);
  return mine.find((e) => e.type === "received") ?? mine.find((e) => e.type === "filed") ?? mine[0];
}

/** The clocks each event started, met (or met late) or extended, by event id. */
export function clocksByEvent(
  clocks: readonly SourceClock[],
  events: readonly EventRow[],
  whenOf: (e: EventRow) => string,
  tz: string,
): Map<number, RowClock[]> {
  const attached = new Map<number, RowClock[]>();
  const attach = (e: EventRow | undefined, rc: RowClock) => {
    if (!e) return;
    const l = attached.get(e.id) ?? [];
    l.push(rc);
    attached.set(e.id, l);
  };
  for (const clock of clocks) {
    if (clock.status === "not-applicable") continue;
    attach(startingEvent(clock, events, whenOf, tz), rowClock(clock, "started"));
    if (clock.extendedBy) attach(replyEvent(clock.extendedBy.messageId, events), rowClock(clock, "extended"));
    const met = rowClock(clock, (clock.businessDaysLate ?? 0) > 0 ? "met-late" : "met");
    if (clock.metBy) attach(replyEvent(clock.metBy.messageId, events), met);
    // A recorded event met it (a decision notice, an appeal, an answer to an offer): that event, on its day.
    const byEvent = clock.metByEvent;
    if (byEvent)
      attach(
        events.find((e) => e.type === byEvent.type && localDate(whenOf(e), tz) === byEvent.on),
        met,
      );
  }
  return attached;
}

/** One row for each clock that was missed (on its lenient due day). */
export function missedClockRows(clocks: readonly Clock[], caseTag: string, asOf: string): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const clock of clocks) {
    if (clock.status !== "late" || !clock.dueLenient) continue;
    const rc = rowClock(clock, "missed");
    rows.push({
      case: caseTag,
      event: null,
      type: "clock-missed",
      when: clock.dueLenient,
      whenLocal: clock.dueLenient,
      whenDisplay: clock.dueLenient,
      recordedAt: null,
      actor: clock.party === "servicer" ? "servicer" : "borrower",
      channel: null,
      subject: null,
      message: null,
      exhibits: [],
      detail: `${clock.party === "servicer" ? "" : "your deadline: "}${clock.name} was due ${clock.dueLenient}${
        clock.dueStrict && clock.dueStrict !== clock.dueLenient ? ` (strictly ${clock.dueStrict})` : ""
      }; late by ${clock.businessDaysLate ?? "?"} business day${clock.businessDaysLate === 1 ? "" : "s"} on ${asOf}`,
      clocks: [rc],
      hash: null,
    });
  }
  return rows;
}
