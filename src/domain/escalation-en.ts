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
