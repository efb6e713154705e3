/** Running one clock from its start: due dates, an extension in time, the reply that meets it, its status. */
import {
  addBusinessDays,
  addCalendarDays,
  businessDaysLate,
  type IsoDate,
  isBusinessDay,
  nextBusinessDay,
} from "./calendar.js";
import type { Clock, ClockReply, ClockSpec, ClockStart, ClockStatus, DueOverride } from "./clock-types.js";

/** A clock that does not run (not started, not applicable), with the note that says why. */
export function buildClock(
  spec: Omit<ClockSpec, "days" | "unit" | "meets">,
  status: ClockStatus,
  note: string | null,
  startedBy: Clock["startedBy"] = null,
): Clock {
  return {
    id: spec.id,
    name: spec.name,
    rule: spec.rule,
    party: "servicer",
    status,
    startedBy,
    dueStrict: null,
    dueLenient: null,
    metBy: null,
    businessDaysLate: null,
    extendedBy: null,
    note,
  };
}

function dueDates(start: IsoDate, days: number, unit: "business" | "calendar"): { strict: IsoDate; lenient: IsoDate } {
  if (unit === "business") {
    return { strict: addBusinessDays(start, days, "strict"), lenient: addBusinessDays(start, days, "lenient") };
  }
  // Lenient: a receipt on a closed day counts as received on the next business day, for calendar days too.
  const lenientStart = isBusinessDay(start, "lenient") ? start : nextBusinessDay(start, "lenient");
  return { strict: addCalendarDays(start, days, "strict"), lenient: addCalendarDays(lenientStart, days, "lenient") };
}

/**
 * A reply that can answer what started a clock: one that arrived on its day or later, and on the same day not
 * before the moment it started when both moments are known (a reply that reached the mailbox at 1:29 AM answers
 * something else than a letter emailed at 4:39 AM).
 */
function answersAfter(r: ClockReply, start: ClockStart): boolean {
  if (r.receivedOn !== start.on) return r.receivedOn > start.on;
  return !(start.at && r.receivedAt && Date.parse(r.receivedAt) < Date.parse(start.at));
}

/**
 * Run one clock: due dates from its start, an extension if one came in time, the first reply that meets it, and
 * its status on `asOf`.
 */
export function runClock(
  spec: ClockSpec,
  start: ClockStart,
  replies: readonly ClockReply[],
  asOf: IsoDate,
  due?: DueOverride,
): Clock {
  let { strict, lenient } = due?.mode === "replace" ? due : dueDates(start.on, spec.days, spec.unit);
  let extendedBy: Clock["extendedBy"] = null;
  const after = replies.filter((r) => answersAfter(r, start)).sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : 1));
  if (spec.extension) {
    // An extension counts only when it arrives on or before the due date, and adds 15 business days once.
    const ext = after.find((r) => r.class === "extension" && r.receivedOn <= lenient && r.receivedOn <= asOf);
    if (ext) {
      extendedBy = { messageId: ext.messageId, on: ext.receivedOn };
      strict = addBusinessDays(strict, 15, "strict");
      lenient = addBusinessDays(lenient, 15, "lenient");
    }
  }
  let note: string | null = null;
  if (due?.mode === "cap" && (due.strict < strict || due.lenient < lenient)) {
    if (due.strict < strict) strict = due.strict;
    if (due.lenient < lenient) lenient = due.lenient;
    note = due.why;
  }
  // needs-review is in no clock's list: a reply the classifier was not sure of meets nothing until classified.
  const meets: readonly string[] = spec.meets;
  const met = after.find((r) => meets.includes(r.class));
  const clock: Clock = {
    id: spec.id,
    name: spec.name,
    // Extended: the 15 days come from the extension paragraph, which the clock cites beside its own.
    rule: extendedBy && spec.extension ? `${spec.rule}, extended under ${spec.extension}` : spec.rule,
    party: "servicer",
    status: "open",
    startedBy: start,
    dueStrict: strict,
    dueLenient: lenient,
    metBy: null,
    businessDaysLate: null,
    extendedBy,
    note,
  };
  if (met && met.receivedOn <= asOf) {
    clock.status = "met";
    clock.metBy = { messageId: met.messageId, on: met.receivedOn, class: met.class };
    const late = businessDaysLate(lenient, met.receivedOn);
    clock.businessDaysLate = late > 0 ? late : null;
    return clock;
  }
  if (asOf > lenient) {
    clock.status = "late";
    clock.businessDaysLate = businessDaysLate(lenient, asOf);
  }
  return clock;
}
