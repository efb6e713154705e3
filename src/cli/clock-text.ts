/** How a clock reads in a terminal: one line that names the rule, the start, both due dates and the outcome. */
import { lateBy } from "../domain/clock-types.js";
import type { Clock, LegalOption } from "../domain/clocks.js";

/** "LATE by 3 business days" ("by 17 days" for a clock of calendar days), "met 2026-12-01 by message 7", ... */
export function clockOutcome(c: Clock): string {
  switch (c.status) {
    case "met": {
      const late = c.businessDaysLate ? `, ${lateBy(c)} late` : "";
      // A recorded event (a decision notice, an appeal, an answer to an offer) meets it on the event's date.
      if (c.metByEvent) return `met ${c.metByEvent.on} by the recorded ${c.metByEvent.type} event${late}`;
      // A CFPB process clock is met by the response recorded with `filed`, not by a message (its note says so).
      const by = c.metBy ? ` ${c.metBy.on} by message ${c.metBy.messageId} (${c.metBy.class})` : "";
      return `met${by}${late}`;
    }
    case "late":
      return `LATE by ${lateBy(c)}`;
    case "open":
      return "open";
    case "not-started":
      return "not started";
    case "not-applicable":
      return "no clock";
  }
}

/** A clock as two lines of text. */
export function formatClock(c: Clock): string {
  const due = c.dueStrict
    ? `due ${c.dueStrict}${c.dueLenient && c.dueLenient !== c.dueStrict ? ` (lenient ${c.dueLenient})` : ""}`
    : "";
  const started = c.startedBy ? `started ${c.startedBy.on}: ${c.startedBy.what}` : "";
  const ext = c.extendedBy ? `; extended by message ${c.extendedBy.messageId} of ${c.extendedBy.on}` : "";
  const who = c.party === "borrower" ? "YOUR deadline: " : "";
  return [
    `${who}${c.name} [${c.rule}]: ${clockOutcome(c)}`,
    `    ${[started, due].filter(Boolean).join("; ")}${ext}${c.note ? `${started || due ? "; " : ""}${c.note}` : ""}`,
  ].join("\n");
}

/**
 * The borrower's options under their own heading: never among the due items, never red. Each with its limit, its
 * citation, and the one line to know before relying on it.
 */
export function optionLines(
  options: readonly LegalOption[],
  heading = "── Your options (not deadlines anyone owes)",
): string[] {
  if (options.length === 0) return [];
  const out = ["", heading];
  for (const o of options) {
    const limit = o.status === "passed" ? `the limit passed on ${o.until}` : `by ${o.until}`;
    out.push(`${o.name}: ${limit} [${o.rule}]`, `    ${o.condition}`, `    based on: ${o.basedOn.join("; ")}`);
  }
  return out;
}
