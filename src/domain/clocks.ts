/**
 * Clocks (docs/ARCHITECTURE.md, "Clocks"), derived from a case's facts by a pure function: nothing about a clock is stored,
 * so a corrected reply class or a delivery date recorded later changes every clock at once. Each clock names its
 * rule, what started it, its strict and lenient due dates, and what met it; a clock is late only after its
 * lenient due date, so that every "late" is beyond dispute.
 */
import type { IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock } from "./clock-types.js";
import { eventClocks } from "./event-clocks.js";
import { letterClocks } from "./letter-clocks.js";
import { meetsClocks } from "./reply-trust.js";

// The public entry of the clocks: importers outside the domain keep this one path.
export { borrowerDeadline } from "./borrower-deadlines.js";
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
export { caseOptions, isRespaViolation, type LegalOption } from "./options.js";
export { runClock } from "./run-clock.js";
export {
  loanTransferRules,
  type Protection,
  type TransferFacts,
  transferDeadline,
  transferProtection,
  transfersOf,
} from "./transfer-rules.js";

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

/**
 * Every clock of a case on `asOf`: letters' clocks and event clocks. What a missed clock lets the borrower do (a
 * lawsuit and its limit) is not a clock: see caseOptions (options.ts).
 */
export function computeClocks(caseInput: CaseClockInput, asOf: IsoDate): Clock[] {
  const input = asOfView(caseInput, asOf);
  const clocks = [...input.letters.flatMap((l) => letterClocks(l, input, asOf)), ...eventClocks(input, asOf)];
  // Two letters of one kind in a case start clocks of the same id: tell them apart by their letter.
  const seen = new Map<string, number>();
  for (const c of clocks) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  return clocks.map((c) =>
    (seen.get(c.id) ?? 0) > 1 && c.startedBy?.messageId !== undefined
      ? { ...c, id: `${c.id}-m${c.startedBy.messageId}` }
      : c,
  );
}
