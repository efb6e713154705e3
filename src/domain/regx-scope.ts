/** Where Regulation X's clocks do not reach: the loan's product, its servicer's size, the kind of property. */
import type { LoanFacts } from "./clock-types.js";
import type { Substance } from "./kinds.js";

/** Why no Reg X clock runs for a letter of this substance on this loan, or null when one does. */
export function outsideRegX(substance: Substance, loan: LoanFacts): string | null {
  if (
    (substance === "noe" ||
      substance === "rfi" ||
      substance === "owner-rfi" ||
      substance === "relied-documents" ||
      substance === "successor") &&
    loan.product === "heloc"
  ) {
    return "no Reg X clock: 1024.35 and 1024.36 do not apply to an open-end line of credit (HELOC)";
  }
  if (substance === "loss-mitigation") {
    if (loan.product === "reverse") return "no Reg X clock: 1024.41 does not apply to a reverse mortgage";
    if (loan.smallServicer)
      return "no Reg X clock: a small servicer is exempt from 1024.41's deadlines (1024.30(b)(1))";
    if (!loan.principalResidence) return "no Reg X clock: 1024.41 applies only to the borrower's principal residence";
  }
  return null;
}
