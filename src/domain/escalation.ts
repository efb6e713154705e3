/**
 * The escalation ladder (docs/ARCHITECTURE.md), as pure rules: where a case stands, whether the record warrants
 * climbing, the next step, the letter it needs, and the words that cite the history. The caller reads the chain of
 * cases (the case and its ancestors), their letters, replies and computed clocks, and passes `asOf`; nothing here
 * touches the disk, the database or the clock.
 *
 *   inquiry → follow-up → escalation-request → formal (NOE / RFI at the designated channel)
 *           → regulator (CFPB complaint packet; state regulator) → legal (evidence bundle)
 */
import type { ErrorCode } from "../errors.js";
import { buildCitations, buildMissedClocks } from "./escalation-citations.js";
import {
  type ChainCase,
  type EscalationInput,
  type EscalationPlan,
  type EscalationRefusal,
  firstLeft,
  type PlannedLetter,
} from "./escalation-model.js";
import { findTriggers, refusalFor } from "./escalation-triggers.js";
import { buildFormalLetter } from "./formal-letter.js";
import { effectiveStep, type LadderStep, nextStep } from "./ladder.js";

// The public entry of the escalation rules: importers outside the domain keep this one path.
export { buildCfpbComplaint, CFPB_TEXT_LIMIT, type CfpbComplaint } from "./cfpb-complaint.js";
export { buildCitations, buildMissedClocks, citeLetter, citeReply } from "./escalation-citations.js";
export type {
  ChainCase,
  ChildCase,
  Citation,
  EscalationInput,
  EscalationPlan,
  EscalationRefusal,
  HistoryLetter,
  HistoryReply,
  LoanParties,
  MissedClock,
  PlannedLetter,
  Trigger,
  TriggerKind,
} from "./escalation-model.js";
export { findTriggers } from "./escalation-triggers.js";
export { buildFormalLetter, ERROR_DISPUTE_KINDS } from "./formal-letter.js";
export {
  effectiveStep,
  isLadderStep,
  LADDER,
  type LadderCase,
  type LadderStatus,
  type LadderStep,
  nextStep,
} from "./ladder.js";

function askFor(step: LadderStep, letter: PlannedLetter | null, escalated: ChainCase): string {
  const first = firstLeft(escalated);
  switch (step) {
    case "follow-up":
      return `I now ask for a complete written answer to my letter of ${first?.date ?? "the date above"}.`;
    case "escalation-request":
      return "I now ask that a supervisor or your escalation team take this matter over and give me a complete written answer.";
    case "formal":
      return letter?.kind === "notice-of-error"
        ? "I now give you formal notice of this error under 12 C.F.R. 1024.35 at your designated address, and ask you to correct it or explain in writing why you believe no error occurred."
        : "I now make this request formally under 12 C.F.R. 1024.36 at your designated address, and ask you to provide the information or explain in writing why it is not available.";
    case "regulator":
      return "I am filing a complaint with the Consumer Financial Protection Bureau.";
    default:
      return "I am giving the record of this matter to an attorney.";
  }
}

/**
 * Decide whether the case's record warrants escalation and, if so, the next step, its letter and its summary
 * paragraph. Triggers: a late servicer clock (no substantive reply met it); only an acknowledgment by the
 * response due date; an exception the user disputes (status `unresolved` after an exception reply); the user's
 * own `resolve --unresolved`. Otherwise a refusal that says why and what to do.
 */
export function planEscalation(input: EscalationInput): EscalationPlan | EscalationRefusal {
  const link = input.chain.at(-1);
  if (!link) throw new Error("planEscalation needs the case to escalate");
  const c = link.case;
  const refuse = (code: ErrorCode, reason: string, hint: string): EscalationRefusal => ({
    ok: false,
    case: c.tag,
    code,
    reason,
    hint,
  });
  if (c.status === "discarded") {
    return refuse("CASE_DISCARDED", `case ${c.tag} was discarded`, "a discarded case cannot be escalated");
  }
  if (c.status === "resolved") {
    return refuse(
      "CASE_RESOLVED",
      `case ${c.tag} is resolved`,
      `if the servicer's answer did not resolve it after all: loanmail resolve ${c.id} --unresolved`,
    );
  }
  const from = effectiveStep(c);
  const step = nextStep(from);
  if (step === null) {
    return refuse(
      "LADDER_EXHAUSTED",
      `case ${c.tag} is at the top of the ladder (legal)`,
      `build the evidence bundle: loanmail export ${c.id} --out FILE.zip`,
    );
  }
  const active = input.children.find((ch) => ch.status !== "discarded");
  if (active) {
    return refuse(
      "CASE_ALREADY_ESCALATED",
      `case ${c.tag} was already escalated: ${active.tag} (${active.step}) continues it`,
      `escalate that case instead: loanmail escalate ${active.tag}`,
    );
  }
  const triggers = findTriggers(link);
  const trigger = triggers[0];
  if (!trigger) {
    const r = refusalFor(link, input.asOf);
    return refuse(r.code, r.reason, r.hint);
  }

  let letter: PlannedLetter | null = null;
  if (step === "follow-up" || step === "escalation-request") {
    letter = { kind: step, formal: false, fields: { case: c.tag } };
  } else if (step === "formal") {
    const root = firstLeft(input.chain[0]) ?? firstLeft(link);
    if (!root)
      return refuse("NO_LETTER_LEFT", `case ${c.tag} has no letter that left`, "send the original letter first");
    letter = buildFormalLetter(root);
  }
  const cites = buildCitations(input.chain);
  const missed = buildMissedClocks(input.chain, input.asOf);
  const ask = askFor(step, letter, link);
  const summary = [
    `The history of this matter: ${cites.map((x) => x.text).join(" ")}`,
    ...missed.map((m) => m.text),
    ...triggers.map((t) => t.sentence).filter(Boolean),
    ask,
  ].join(" ");
  return {
    ok: true,
    case: c.tag,
    from,
    step,
    trigger,
    triggers,
    letter,
    formal: letter?.formal ?? false,
    cites,
    missed,
    ask,
    summary,
  };
}
