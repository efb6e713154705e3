/**
 * Where Regulation X's servicing rules (12 C.F.R. part 1024, subpart C: 1024.30 to 1024.41) do not reach: the
 * loan's product, its servicer's size, the kind of property. Every answer is the rule's own words, cited:
 *
 * - 1024.31 defines "mortgage loan" to exclude open-end lines of credit (home equity plans), and subpart C
 *   applies only to mortgage loans (1024.30(a)): a HELOC has none of 1024.33 to 1024.41 (transfer notices and
 *   the 60-day payment protection, escrow, notices of error, requests for information, force-placed insurance,
 *   early intervention, continuity of contact, loss mitigation).
 * - 1024.30(b): 1024.38 through 1024.41 do not apply to a small servicer (1026.41(e)(4)), except as 1024.41(j)
 *   provides, nor to a reverse mortgage transaction (1024.31), nor to a Farm Credit qualified lender.
 * - 1024.30(c)(2): 1024.39 through 1024.41 apply only to a loan secured by the borrower's principal residence.
 *
 * 1024.33 (transfers), 1024.34 (escrow), 1024.35, 1024.36 and 1024.37 apply to reverse mortgages and small
 * servicers alike; only a HELOC is outside them.
 */
import type { LoanFacts } from "./clock-types.js";
import type { Substance } from "./kinds.js";

/** The sections of subpart C whose reach differs: what a clock or a protection rests on. */
export type RegXSection =
  | "1024.33" // servicing transfers (notice, the 60-day payment protection)
  | "1024.34" // escrow (refund after payoff)
  | "1024.35" // notices of error (and the one-year window after a transfer or payoff)
  | "1024.36" // requests for information
  | "1024.37" // force-placed insurance
  | "1024.41"; // loss mitigation

/** The words every "outside Regulation X" statement ends with, in a letter and in the output. */
export const OUTSIDE_REGX = "outside Regulation X: no federal deadline; the servicer's own promise only";

const HELOC_WHY =
  'an open-end line of credit (HELOC) is not a "mortgage loan" under 12 C.F.R. 1024.31, so Regulation X\'s servicing rules (1024.30 to 1024.41) do not apply';

/** Why `section` of Reg X does not apply to this loan, or null when it does. */
export function regXSectionOutside(section: RegXSection, loan: LoanFacts): string | null {
  if (loan.product === "heloc") return HELOC_WHY;
  if (section !== "1024.41") return null;
  if (loan.product === "reverse")
    return "12 C.F.R. 1024.30(b)(2): 1024.38 through 1024.41 do not apply to a reverse mortgage";
  if (loan.smallServicer)
    return "12 C.F.R. 1024.30(b)(1): a small servicer is exempt from 1024.38 through 1024.41 (except 1024.41(j))";
  if (!loan.principalResidence)
    return "12 C.F.R. 1024.30(c)(2): 1024.39 through 1024.41 apply only to the borrower's principal residence";
  return null;
}

/** The section of Reg X a letter of this substance invokes, if any (payoff is Reg Z, 1026.36(c)(3)). */
export function regXSectionOf(substance: Substance): RegXSection | null {
  switch (substance) {
    case "noe":
    case "relied-documents":
      return "1024.35";
    case "rfi":
    case "owner-rfi":
    case "successor":
      return "1024.36";
    case "loss-mitigation":
      return "1024.41";
    case "insurance-proof":
      return "1024.37";
    default:
      return null;
  }
}

/** Why no Reg X clock runs for a letter of this substance on this loan, or null when one does. */
export function outsideRegX(substance: Substance, loan: LoanFacts): string | null {
  const section = regXSectionOf(substance);
  const why = section ? regXSectionOutside(section, loan) : null;
  return why ? `no Reg X clock: ${why}` : null;
}
