/** `deadline KIND --received DATE`: the clocks a letter would start, for planning before it is written. */
import type { IsoDate } from "../domain/calendar.js";
import type { LetterChannel } from "../domain/channel.js";
import type { LoanFacts } from "../domain/clock-types.js";
import { type Clock, type ClockLetter, computeClocks } from "../domain/clocks.js";
import { validateFields } from "../domain/fields.js";
import { type KindId, kindDef } from "../domain/kinds.js";
import { EMERGENCY_HELP, saleTooNear } from "../domain/letter-clocks.js";

/** The clocks a letter would start, and why there are none when a foreclosure sale is 7 days or fewer away. */
export interface PlannedClocks {
  clocks: Clock[];
  /** 12 C.F.R. 1024.35(f)(2): no acknowledgment or response duty, and why; null when the duties apply. */
  noDuty: string | null;
  /** Where to turn for help then (a HUD-approved housing counselor or an attorney); null otherwise. */
  emergency: string | null;
}

/**
 * How the letter will actually go, when it is known (`loanmail new` shows it before writing): formal or not, its
 * channel, and the loan's facts. A formal letter is assumed to reach the channel the servicer designated.
 */
export interface PlannedLetter {
  formal: boolean;
  channel: LetterChannel;
  loan: Omit<LoanFacts, "slaDays">;
}

/**
 * The regulatory clocks a letter of `kind` with the fields `given` starts when received at its designated
 * channel on `received` (the servicer's own promise is left out: it depends on the servicer); with `as`, the
 * clocks of that letter as it will go (an ordinary letter starts no Reg X notice clock).
 */
export function plannedClocks(
  kindId: KindId,
  received: IsoDate,
  given: Record<string, string>,
  as?: PlannedLetter,
): PlannedClocks {
  const kind = kindDef(kindId);
  // Planning: required fields the user has not decided yet are not needed to know the clocks.
  const fields = validateFields({ ...kind, fields: kind.fields.map((f) => ({ ...f, required: false })) }, given);
  const letter: ClockLetter = {
    messageId: 0,
    kind: kind.id,
    substance: kind.substance,
    formal: as?.formal ?? true,
    // Planning assumes the letter reaches the channel the servicer designated (the command's output says so).
    designation: { designated: true, where: "the designated channel" },
    channel:
      as?.channel ??
      (kind.substance === "payoff" || kind.substance === "loss-mitigation" || kind.substance === "insurance-proof"
        ? "email"
        : "notice-email"),
    leftOn: received,
    deliveredOn: received,
    fields,
  };
  const loan = {
    product: "closed-end" as const,
    principalResidence: true,
    smallServicer: false,
    ...as?.loan,
    slaDays: 3,
  };
  const clocks = computeClocks({ loan, letters: [letter], replies: [], events: [] }, received).filter(
    (c) => !c.id.startsWith("promise-"),
  );
  const noDuty = saleTooNear(letter, received);
  return { clocks, noDuty, emergency: noDuty ? EMERGENCY_HELP : null };
}
