/**
 * The outcomes of mortgage delinquency and default counseling that `resolve CASE --outcome X` records, in the
 * categories of HUD form 9902 (Housing Counseling Agency Activity Report) for households counseled on
 * "Resolving or Preventing Mortgage Delinquency or Default" (the purpose of 9902 item 9f, per HUD's Housing
 * Counseling FAQ 3493). The outcome of one-on-one counseling is reported in 9902 Section 10 ("Impact and Scope
 * of One-on-One Counseling Services"; HUD FAQ 2456: items b. through m.); loanmail does not name the item each
 * category feeds, since the current form's item letters were not read: the agency's client management system
 * maps them when it imports `report outcomes`. README, "For housing counselors", says the same.
 */
export interface OutcomeCategory {
  id: string;
  label: string;
}

export const OUTCOMES: readonly OutcomeCategory[] = [
  { id: "brought-current", label: "Brought mortgage current" },
  { id: "refinanced", label: "Mortgage refinanced" },
  { id: "modified", label: "Mortgage modified" },
  { id: "second-mortgage", label: "Received a second mortgage" },
  { id: "partial-claim", label: "Received a partial claim (FHA)" },
  { id: "forbearance-repayment", label: "Initiated forbearance agreement or repayment plan" },
  { id: "sold", label: "Sold property or chose an alternative housing solution" },
  { id: "short-sale", label: "Pre-foreclosure sale or short sale" },
  { id: "deed-in-lieu", label: "Executed a deed-in-lieu of foreclosure" },
  { id: "foreclosed", label: "Mortgage foreclosed" },
  { id: "bankruptcy", label: "Filed for bankruptcy" },
  { id: "referred-legal", label: "Referred for legal assistance" },
  { id: "debt-management", label: "Counseled on debt management or referred to a debt management agency" },
  { id: "ongoing", label: "Currently receiving foreclosure prevention or budget counseling" },
  { id: "withdrew", label: "Withdrew from counseling" },
  { id: "other", label: "Other" },
];

export function outcomeOf(id: string): OutcomeCategory | undefined {
  return OUTCOMES.find((o) => o.id === id);
}

/** The purpose of the counseling every loanmail case is about (a servicer, a mortgage in dispute or default). */
export const COUNSELING_PURPOSE = "Resolving or preventing mortgage delinquency or default (HUD-9902 item 9f)";
