/**
 * The guided terminal's first question about a letter: what happened, in a borrower's words, and the letter kind
 * (kinds.ts) that answers it. Pure: `loanmail new` shows each situation with its kind's one-line purpose.
 *
 * Left out on purpose: the kinds that name an earlier case (follow-up, escalation-request, relied-documents), which
 * `compose` writes for a case already on record, and the third-party authorization a counselor prepares.
 */
import { type KindDef, type KindId, kindDef } from "./kinds.js";

export interface Situation {
  /** What happened, as the borrower would say it. */
  readonly said: string;
  readonly kind: KindId;
}

export const SITUATIONS: readonly Situation[] = [
  { said: "My payment was misapplied (not applied as I paid it)", kind: "payment-application" },
  { said: "I was charged a late fee on a payment made on time", kind: "late-fee-dispute" },
  { said: "My payment was credited late, not on the day it arrived", kind: "payment-delay" },
  { said: "Something else on my account is wrong (an error)", kind: "notice-of-error" },
  { said: "I need my payoff amount", kind: "payoff-statement" },
  { said: "My servicer was transferred: who owns my loan now?", kind: "owner-request" },
  { said: "I want my balance checked", kind: "balance-verification" },
  { said: "I need my payment history", kind: "payment-history" },
  { said: "I have a question about my escrow (taxes, insurance)", kind: "escrow-inquiry" },
  { said: "My interest rate changed (adjustable rate)", kind: "rate-adjustment" },
  { said: "I want to know how a partial payment is handled", kind: "partial-payment" },
  { said: "I am behind and want help (a loan modification)", kind: "loss-mitigation" },
  { said: "I need my Form 1098 for taxes", kind: "tax-form-1098" },
  { said: "Someone wants to take over (assume) my loan", kind: "assumption" },
  { said: "I received the home from a borrower (death, divorce, trust)", kind: "successor-in-interest" },
  { said: "They say my home is not insured (force-placed insurance)", kind: "insurance-proof" },
  { said: "I need other information about my loan", kind: "information-request" },
];

/** A situation as a choice: what happened, then what the letter asks for ("reversal of a fee on a timely payment"). */
export function situationChoices(): { name: string; value: KindId; purpose: string; kind: KindDef }[] {
  return SITUATIONS.map((s) => {
    const kind = kindDef(s.kind);
    return { name: `${s.said} — ${kind.asks}`, value: s.kind, purpose: kind.asks, kind };
  });
}
