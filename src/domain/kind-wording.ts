/**
 * Wording a template cannot choose by itself (docs/ARCHITECTURE.md, "Letters and channels"): sentences that
 * depend on how the user's dates compare, on the loan, or on the letter's exhibits. Each kind's derived
 * placeholders are listed in DERIVED_PLACEHOLDERS (the templates test allows exactly those); a value left
 * undefined drops its template line, like a field the user did not give. Pure: the facts are passed in.
 */
import type { IsoDate } from "./calendar.js";
import type { KindId } from "./kinds.js";

/** What the wording of a letter may depend on besides its fields. */
export interface WordingFacts {
  kind: KindId;
  fields: Readonly<Record<string, string>>;
  /** The day the letter is written (YYYY-MM-DD). */
  writtenOn: IsoDate;
  borrowers: readonly string[];
  /** The letter's exhibits by file name, in order ("Exhibit A – Form.pdf"). */
  exhibits: readonly string[];
}

/** Derived placeholder values and what the user should know about them (shown at compose, recorded). */
export interface Wording {
  values: Record<string, string | undefined>;
  warnings: string[];
}

/** The placeholders each kind's wording fills, beyond its fields and the common ones. */
export const DERIVED_PLACEHOLDERS: Readonly<Partial<Record<KindId, readonly string[]>>> = {
  "late-fee-dispute": ["within-grace"],
};

/**
 * Whether the dates the user gave show the payment made within the grace period: true or false when both the
 * payment date and the grace period's last day are known, else null (the letter then does not claim it).
 */
export function withinGrace(fields: Readonly<Record<string, string>>): boolean | null {
  const paid = fields["payment-date"];
  const ends = fields["grace-ends"];
  if (!paid || !ends) return null;
  return paid <= ends;
}

function lateFeeWording(facts: WordingFacts): Wording {
  const within = withinGrace(facts.fields);
  const warnings =
    within === false
      ? [
          `the payment date ${facts.fields["payment-date"]} is after the grace period ended (${facts.fields["grace-ends"]}): ` +
            "the letter does not say the payment was within the grace period; say in the summary why the fee is wrong " +
            "(12 C.F.R. 1024.35(b)(5))",
        ]
      : [];
  return { values: { "within-grace": within ? "within the grace period" : undefined }, warnings };
}

/** The derived wording of a letter of `facts.kind`; kinds without any get none. */
export function kindWording(facts: WordingFacts): Wording {
  switch (facts.kind) {
    case "late-fee-dispute":
      return lateFeeWording(facts);
    default:
      return { values: {}, warnings: [] };
  }
}
