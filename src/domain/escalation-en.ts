/** The English sentences of an escalation letter about the record (EscalationWords), gathered from where they are made. */
import { citeLetter, citeProtection, citeReply, missedClockText } from "./escalation-citations.js";
import type { EscalationWords } from "./escalation-model.js";
import { openResponseEn } from "./escalation-rungs.js";
import { acknowledgedOnlyEn, disputedEn, unresolvedEn } from "./escalation-triggers.js";

export const ESCALATION_EN: EscalationWords = {
  history: "The history of this matter:",
  citeLetter,
  citeReply,
  missed: missedClockText,
  protection: citeProtection,
  disputed: disputedEn,
  unresolved: unresolvedEn,
  acknowledgedOnly: acknowledgedOnlyEn,
  openResponse: openResponseEn,
  regulatorAsk: "I am filing a complaint with the Consumer Financial Protection Bureau.",
  legalAsk: "I am giving the record of this matter to an attorney.",
};

/**
 * The same in a counselor's voice (voice.ts): the letters cited may be the borrower's own, the application and
 * the loan are the borrower's; what the counselor does (disputes, files, hands on) stays in the first person.
 */
export const ESCALATION_EN_COUNSELOR: EscalationWords = {
  ...ESCALATION_EN,
  citeLetter: (l) => citeLetter(l, "counselor"),
  citeReply: (r) => citeReply(r, "counselor"),
  missed: (c, due, daysLate, asOf, arrivedOn) => missedClockText(c, due, daysLate, asOf, arrivedOn, "counselor"),
  protection: (p) => citeProtection(p, "counselor"),
  disputed: (on) => disputedEn(on, "counselor"),
  acknowledgedOnly: (on) => acknowledgedOnlyEn(on, "counselor"),
  openResponse: (label, due, rule) => openResponseEn(label, due, rule, "counselor"),
};
