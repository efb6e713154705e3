/**
 * The rungs of the escalation ladder and where a case stands on it:
 *
 *   inquiry → follow-up → escalation-request → formal (NOE / RFI at the designated channel)
 *           → regulator (CFPB complaint packet; state regulator) → legal (evidence bundle)
 */

export const LADDER = ["inquiry", "follow-up", "escalation-request", "formal", "regulator", "legal"] as const;
export type LadderStep = (typeof LADDER)[number];

/** Narrow a stored step to a ladder step. */
export function isLadderStep(value: string): value is LadderStep {
  return (LADDER as readonly string[]).includes(value);
}

export type LadderStatus = "draft" | "open" | "discarded" | "resolved" | "unresolved";

/** A case as the ladder sees it. */
export interface LadderCase {
  id: number;
  tag: string;
  kind: string;
  formal: boolean;
  step: string;
  status: LadderStatus;
}

const NEXT: Readonly<Record<Exclude<LadderStep, "legal">, LadderStep>> = {
  inquiry: "follow-up",
  "follow-up": "escalation-request",
  "escalation-request": "formal",
  formal: "regulator",
  regulator: "legal",
};

/**
 * Where a case stands: its stored step, except that a root case (step `inquiry`) that is itself a follow-up, an
 * escalation request or a formal notice already stands on that rung.
 */
export function effectiveStep(c: Pick<LadderCase, "step" | "kind" | "formal">): LadderStep {
  if (isLadderStep(c.step) && c.step !== "inquiry") return c.step;
  if (c.kind === "follow-up") return "follow-up";
  if (c.kind === "escalation-request") return "escalation-request";
  if (c.formal) return "formal";
  return "inquiry";
}

/** The rung above `step`, or null at the top. */
export function nextStep(step: LadderStep): LadderStep | null {
  return step === "legal" ? null : NEXT[step];
}
