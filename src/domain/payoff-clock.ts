/**
 * The payoff statement (Regulation Z, 12 C.F.R. 1026.36(c)(3)): an accurate statement of the payoff balance
 * "within a reasonable time, but in no case more than seven business days, after receiving a written request".
 *
 * Business days here are Regulation Z's general ones, not Regulation X's: 1026.2(a)(6) defines a business day as
 * "a day on which the creditor's offices are open to the public for carrying on substantially all of its business
 * functions", and its precise definition (all calendar days but Sundays and the legal public holidays of 5 U.S.C.
 * 6103(a)) is reserved to the sections it names (rescission under 1026.15 and 1026.23, 1026.19(a)(1)(ii),
 * 1026.19(a)(2), 1026.19(e) and (f) timing, 1026.20(e)(5), 1026.31, 1026.46(d)(4)), which do not include
 * 1026.36(c)(3). loanmail counts Monday to Friday less the legal public holidays (strict: the holiday's date;
 * lenient: also the day it is observed), so its date is never earlier than the rule's for a servicer closed on
 * Saturdays; a servicer open for business on Saturdays owes the statement sooner.
 *
 * The same paragraph lets the statement take "a reasonable time" when the servicer cannot send it within seven
 * business days "because a loan is in bankruptcy or foreclosure, because the loan is a reverse mortgage or shared
 * appreciation mortgage, or because of natural disasters or other similar circumstances": then there is no date to
 * be late against, and the clock says why.
 */
import type { ClockLetter, ClockSpec, LoanFacts } from "./clock-types.js";

export const PAYOFF_RULE = "12 C.F.R. 1026.36(c)(3) (business days: 1026.2(a)(6))";

export const PAYOFF_STATEMENT: ClockSpec = {
  id: "payoff-statement",
  name: "Payoff statement",
  rule: PAYOFF_RULE,
  days: 7,
  unit: "business",
  meets: ["response"],
};

/** The payoff-statement letter's `circumstance` values and what each says. */
const CIRCUMSTANCES: Readonly<Record<string, string>> = {
  bankruptcy: "the loan is in bankruptcy",
  foreclosure: "the loan is in foreclosure",
  "shared-appreciation": "the loan is a shared appreciation mortgage",
  disaster: "of a natural disaster or a similar circumstance",
};

/**
 * Why the payoff statement is due "within a reasonable time" rather than in seven business days, or null when the
 * seven days hold: a reverse mortgage (the loan's product) or the circumstance given on the letter.
 */
export function payoffReasonableTime(
  letter: Pick<ClockLetter, "fields">,
  loan: Pick<LoanFacts, "product">,
): string | null {
  const because =
    loan.product === "reverse" ? "the loan is a reverse mortgage" : CIRCUMSTANCES[letter.fields.circumstance ?? ""];
  if (!because) return null;
  return (
    `no 7-business-day clock: when the servicer cannot send it sooner because ${because}, 12 C.F.R. 1026.36(c)(3) ` +
    `allows "a reasonable time", so loanmail calls no date late`
  );
}
