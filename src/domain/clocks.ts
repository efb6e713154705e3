/**
 * Clocks (docs/ARCHITECTURE.md, "Clocks"), derived from a case's facts by a pure function: nothing about a clock is stored,
 * so a corrected reply class or a delivery date recorded later changes every clock at once. Each clock names its
 * rule, what started it, its strict and lenient due dates, and what met it; a clock is late only after its
 * lenient due date, so that every "late" is beyond dispute.
 */
import { addYears, borrowerDeadline } from "./borrower-deadlines.js";
import type { IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock } from "./clock-types.js";
import { eventClocks } from "./event-clocks.js";
import { letterClocks } from "./letter-clocks.js";
import { meetsClocks } from "./reply-trust.js";

// The public entry of the clocks: importers outside the domain keep this one path.
export { borrowerDeadline, transferDeadline } from "./borrower-deadlines.js";
export type {
  CaseClockInput,
  CaseEventType,
  Clock,
  ClockEvent,
  ClockLetter,
  ClockReply,
  ClockStatus,
  DueOverride,
  LetterChannel,
  LoanFacts,
} from "./clock-types.js";
export { eventClocks } from "./event-clocks.js";
export { atDesignatedChannel, letterClocks, MAIL_WINDOW, receiptOf, regulatoryClocks } from "./letter-clocks.js";
export { runClock } from "./run-clock.js";

/**
 * The case as it stood on `asOf`: nothing that happened later starts, extends or meets a clock, and neither
 * does a reply held back as suspect or unverified until the user confirms it (reply-trust.ts).
 */
function asOfView(input: CaseClockInput, asOf: IsoDate): CaseClockInput {
  return {
    ...input,
    letters: input.letters.map((l) => ({
      ...l,
      leftOn: l.leftOn !== null && l.leftOn <= asOf ? l.leftOn : null,
      deliveredOn: l.deliveredOn !== null && l.deliveredOn <= asOf ? l.deliveredOn : null,
    })),
    replies: input.replies.filter((r) => r.receivedOn <= asOf && meetsClocks(r)),
    events: input.events.filter((e) => e.on <= asOf),
  };
}

/** A missed Reg X clock (late, or answered late) gives the borrower a claim under RESPA section 6. */
function isViolation(c: Clock): boolean {
  const regX = /^12 C\.F\.R\. 1024\.(3[4-9]|4[01])/.test(c.rule);
  return (
    c.party === "servicer" && regX && (c.status === "late" || (c.status === "met" && (c.businessDaysLate ?? 0) > 0))
  );
}

/** Every clock of a case on `asOf`: letters' clocks, event clocks, and the suit limit of each missed clock. */
export function computeClocks(caseInput: CaseClockInput, asOf: IsoDate): Clock[] {
  const input = asOfView(caseInput, asOf);
  const clocks = [...input.letters.flatMap((l) => letterClocks(l, input, asOf)), ...eventClocks(input, asOf)];
  for (const c of [...clocks]) {
    if (isViolation(c) && c.dueStrict) {
      // Counted from the strict date: the earlier start is the safer limit for the borrower to keep.
      clocks.push(
        borrowerDeadline(
          `suit-${c.id}`,
          `Sue under RESPA section 6 for: ${c.name}`,
          "12 U.S.C. 2614 (3 years)",
          { what: `${c.name} missed`, on: c.dueStrict },
          addYears(c.dueStrict, 3),
          asOf,
        ),
      );
    }
  }
  // Two letters of one kind in a case start clocks of the same id: tell them apart by their letter.
  const seen = new Map<string, number>();
  for (const c of clocks) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  return clocks.map((c) =>
    (seen.get(c.id) ?? 0) > 1 && c.startedBy?.messageId !== undefined
      ? { ...c, id: `${c.id}-m${c.startedBy.messageId}` }
      : c,
  );
}
