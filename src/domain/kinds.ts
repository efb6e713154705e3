/**
 * The one source of letter kinds (docs/ARCHITECTURE.md, "Letters and channels"): ids, subject labels, fields, and their regulatory substance.
 * Everything else (CLI help, templates test, channel choice, clocks) reads this table.
 */
import { UserError } from "../errors.js";
import { didYouMean } from "./words.js";

export type FieldType = "date" | "amount" | "text" | "year" | "case" | "enum";

export interface FieldDef {
  readonly name: string;
  readonly type: FieldType;
  readonly required: boolean;
  readonly description: string;
  /** Allowed values for `enum` fields; the first is the default. */
  readonly values?: readonly string[];
  /** A free-text field that ends a sentence in the letter: a missing full stop is added. */
  readonly sentence?: boolean;
  /** For `enum` fields: the words the letter prints for each value (else the value itself). */
  readonly words?: Readonly<Record<string, string>>;
}

/** What a letter of this kind is in substance under Reg X / Reg Z; decides formality and, later, clocks. */
export type Substance =
  | "rfi"
  | "noe"
  | "owner-rfi"
  | "relied-documents"
  | "successor"
  | "loss-mitigation"
  | "payoff"
  | "insurance-proof"
  | "none";

export interface KindDef {
  readonly id: KindId;
  readonly label: string;
  readonly asks: string;
  readonly fields: readonly FieldDef[];
  readonly substance: Substance;
  /** The Reg X paragraph reference written into a formal letter, e.g. "12 C.F.R. 1024.35(b)(2)". */
  readonly citation?: string;
  /**
   * Formal (designated notice channel) unless the user says otherwise; only NOE/RFI kinds can be formal. The
   * kinds that assert an error (misapplied payment, wrong late fee, late crediting) are formal by default: only a
   * notice of error at the designated channel starts 1024.35's duties and its 60-day ban on adverse credit
   * reporting (12 C.F.R. 1024.35(i)).
   */
  readonly formalByDefault: boolean;
  /**
   * The letter disputes how a payment was handled: as a formal notice of error it asks the servicer not to furnish
   * adverse information about that payment for 60 days (12 C.F.R. 1024.35(i)). A notice-of-error says so with its
   * `payment-date` field.
   */
  readonly disputesPayment?: boolean;
  /**
   * Every borrower signs and dates the letter itself (a third-party authorization): it ends with a signature and
   * date line for each, leaves as a printed PDF (an email body carries no signature), and may carry the
   * servicer's own form as its first exhibit (`compose --servicer-form`).
   */
  readonly signedByBorrowers?: boolean;
}

export const KIND_IDS = [
  "balance-verification",
  "payment-history",
  "escrow-inquiry",
  "rate-adjustment",
  "payment-application",
  "late-fee-dispute",
  "payment-delay",
  "partial-payment",
  "loss-mitigation",
  "payoff-statement",
  "tax-form-1098",
  "assumption",
  "successor-in-interest",
  "notice-of-error",
  "information-request",
  "owner-request",
  "relied-documents",
  "insurance-proof",
  "follow-up",
  "escalation-request",
  "third-party-authorization",
] as const;

export type KindId = (typeof KIND_IDS)[number];

const req = (name: string, type: FieldType, description: string): FieldDef => ({
  name,
  type,
  required: true,
  description,
});
const opt = (name: string, type: FieldType, description: string): FieldDef => ({
  name,
  type,
  required: false,
  description,
});

const RFI_CITE = "12 C.F.R. 1024.36(a)";

const KIND_LIST: readonly KindDef[] = [
  {
    id: "balance-verification",
    label: "Balance Verification",
    asks: "principal balance, with breakdown",
    fields: [opt("as-of", "date", "balance as of this date")],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    id: "payment-history",
    label: "Payment History Request",
    asks: "transaction history for a stated period",
    fields: [req("from", "date", "first day of the period"), req("to", "date", "last day of the period")],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    id: "escrow-inquiry",
    label: "Escrow Account Inquiry",
    asks: "escrow analysis, disbursements, shortage/surplus",
    fields: [opt("year", "year", "escrow year in question")],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    id: "rate-adjustment",
    label: "Interest Rate Adjustment Inquiry",
    asks: "ARM: index, margin, caps, next change",
    fields: [opt("change-date", "date", "date of the rate change in question")],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    id: "payment-application",
    label: "Payment Clarification",
    asks: "how a payment was split",
    fields: [req("payment-date", "date", "date the payment was made"), req("amount", "amount", "payment amount")],
    substance: "noe",
    citation: "12 C.F.R. 1024.35(b)(2)",
    formalByDefault: true,
    disputesPayment: true,
  },
  {
    id: "late-fee-dispute",
    label: "Late Fee Dispute",
    asks: "reversal of a fee on a timely payment",
    fields: [
      req("payment-date", "date", "date the payment was made"),
      req("amount", "amount", "payment amount"),
      req("fee", "amount", "late fee charged"),
      opt("fee-date", "date", "date the fee was assessed (the date of the error)"),
      opt("grace-ends", "date", "last day a payment was on time without a late fee, from your statement or note"),
    ],
    substance: "noe",
    citation: "12 C.F.R. 1024.35(b)(5)",
    formalByDefault: true,
    disputesPayment: true,
  },
  {
    id: "payment-delay",
    label: "Payment Processing Delay",
    asks: "a payment not credited on its date of receipt",
    fields: [
      req("payment-date", "date", "date the servicer received the payment"),
      req("amount", "amount", "payment amount"),
      opt("method", "text", "how it was paid (online, check, ACH)"),
    ],
    substance: "noe",
    citation: "12 C.F.R. 1024.35(b)(3)",
    formalByDefault: true,
    disputesPayment: true,
  },
  {
    id: "partial-payment",
    label: "Partial Payment Policy",
    asks: "how partial payments are held or applied",
    fields: [opt("amount", "amount", "amount of the partial payment")],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    id: "loss-mitigation",
    label: "Loan Modification Application",
    asks: "submit or follow an application",
    fields: [
      opt("application-date", "date", "date the application was first submitted"),
      opt("sale-date", "date", "scheduled foreclosure sale date, if any"),
    ],
    substance: "loss-mitigation",
    citation: "12 C.F.R. 1024.41",
    formalByDefault: false,
  },
  {
    id: "payoff-statement",
    label: "Payoff Statement Request",
    asks: "payoff amount good through a date",
    fields: [
      req("good-through", "date", "date the payoff figure must be good through"),
      // 1026.36(c)(3)'s exceptions: with one of these, the statement is due "within a reasonable time".
      {
        name: "circumstance",
        type: "enum",
        required: false,
        description: "none, or what may delay the statement: bankruptcy, foreclosure, shared-appreciation, disaster",
        values: ["none", "bankruptcy", "foreclosure", "shared-appreciation", "disaster"],
      },
    ],
    substance: "payoff",
    citation: "12 C.F.R. 1026.36(c)(3)",
    formalByDefault: false,
  },
  {
    id: "tax-form-1098",
    label: "Form 1098 Request",
    asks: "interest statement for a tax year",
    fields: [req("tax-year", "year", "tax year of the Form 1098")],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    id: "assumption",
    label: "Assumption Information Request",
    asks: "whether and how the loan can be assumed",
    fields: [],
    substance: "rfi",
    citation: RFI_CITE,
    formalByDefault: false,
  },
  {
    // 12 C.F.R. 1024.36(i): a person who may be a successor in interest (1024.31) asks, naming the transferor
    // borrower and the loan, what documents confirm them; the servicer treats them as a borrower for 1024.36(c)-(g),
    // so the request for information clocks run. 1024.38(b)(1)(vi): the servicer then confirms them promptly.
    id: "successor-in-interest",
    label: "Successor in Interest Request",
    asks: "confirmation as successor in interest, and the documents it needs",
    fields: [
      {
        ...req("how", "enum", "how you received the property: death, divorce, spouse-or-child or trust"),
        values: ["death", "divorce", "spouse-or-child", "trust"],
        // The transfers of 12 C.F.R. 1024.31 "successor in interest" (12 U.S.C. 1701j-3(d)(1)-(3), (5)-(8)).
        words: {
          death: "upon the borrower's death (by will, inheritance or survivorship)",
          divorce: "under a divorce decree, legal separation agreement or property settlement agreement",
          "spouse-or-child": "as the borrower's spouse or child",
          trust: "by a transfer into an inter vivos (living) trust in which the borrower is and remains a beneficiary",
        },
      },
      opt("transferor", "text", "the borrower you received it from (default: the loan's borrowers)"),
      opt("transfer-date", "date", "date of the death, decree, deed or transfer into the trust"),
      opt("relationship", "text", "your relationship to the borrower, e.g. daughter"),
    ],
    substance: "successor",
    citation: "12 C.F.R. 1024.36(i)",
    formalByDefault: true,
  },
  {
    id: "notice-of-error",
    label: "Notice of Error",
    asks: "one specific error with dates and amounts",
    fields: [
      { ...req("error", "text", "the one error, in a sentence"), sentence: true },
      opt("error-date", "date", "date of the error"),
      opt("amount", "amount", "amount involved"),
      {
        name: "type",
        type: "enum",
        required: false,
        description: "general, payoff or foreclosure",
        values: ["general", "payoff", "foreclosure"],
      },
      opt("sale-date", "date", "scheduled foreclosure sale date"),
      opt("payment-date", "date", "date of the payment the error concerns (asks that it not be reported, 1024.35(i))"),
    ],
    substance: "noe",
    citation: "12 C.F.R. 1024.35",
    formalByDefault: true,
  },
  {
    id: "information-request",
    label: "Request for Information",
    asks: "specific information for a stated period",
    fields: [
      { ...req("information", "text", "the information requested"), sentence: true },
      opt("from", "date", "first day of the period"),
      opt("to", "date", "last day of the period"),
    ],
    substance: "rfi",
    citation: "12 C.F.R. 1024.36",
    formalByDefault: true,
  },
  {
    id: "owner-request",
    label: "Request for Owner of Loan",
    asks: "owner/assignee, incl. trust or pool",
    fields: [],
    substance: "owner-rfi",
    citation: "12 C.F.R. 1024.36(d)(2)(i)(A)",
    formalByDefault: true,
  },
  {
    id: "relied-documents",
    label: "Request for Documents Relied On",
    asks: 'documents behind a "no error" answer',
    fields: [req("case", "case", "the notice-of-error case the servicer answered")],
    substance: "relied-documents",
    citation: "12 C.F.R. 1024.35(e)(4)",
    formalByDefault: true,
  },
  {
    id: "insurance-proof",
    label: "Proof of Hazard Insurance",
    asks: "evidence of coverage against force-placed insurance",
    fields: [opt("policy", "text", "policy number"), opt("insurer", "text", "insurance company")],
    substance: "insurance-proof",
    citation: "12 C.F.R. 1024.37",
    formalByDefault: false,
  },
  {
    id: "follow-up",
    label: "Follow-Up",
    asks: "an unanswered or non-substantive earlier letter",
    fields: [req("case", "case", "the earlier case this follows up")],
    substance: "none",
    formalByDefault: false,
  },
  {
    id: "escalation-request",
    label: "Escalation Request",
    asks: "a supervisor / escalation team, citing the history",
    fields: [
      req("case", "case", "the earlier case to escalate"),
      opt(
        "delinquent-since",
        "date",
        "if the loan is delinquent: due date of the oldest unpaid payment (cites 1024.40)",
      ),
    ],
    substance: "none",
    formalByDefault: false,
  },
  {
    // The borrowers authorize a counselor: each signs and dates it (a PDF, never an email body). What it lets the
    // counselor do is stated, and what it does not: agree to a change of the loan for the borrowers.
    id: "third-party-authorization",
    label: "Third-Party Authorization",
    asks: "the borrowers' signed authorization for a housing counselor",
    fields: [
      req("counselor", "text", "the counselor authorized (a person)"),
      req("contact", "text", "the counselor's telephone, email and address"),
      opt("agency", "text", "the counseling agency the counselor works for"),
      opt("expires", "date", "the last day the authorization is valid (else until revoked)"),
    ],
    substance: "none",
    formalByDefault: false,
    signedByBorrowers: true,
  },
];

export const KINDS: ReadonlyMap<KindId, KindDef> = new Map(KIND_LIST.map((k) => [k.id, k]));

/** Narrow an arbitrary string to a known kind id. */
export function isKindId(value: string): value is KindId {
  return (KIND_IDS as readonly string[]).includes(value);
}

/** The refusal of a kind that does not exist: the one it most likely meant, or the whole list when none stands out. */
export function unknownKind(typed: string): UserError {
  const guess = didYouMean(typed, KIND_IDS);
  return new UserError(`unknown letter kind "${typed}"`, {
    code: "UNKNOWN_LETTER_KIND",
    hint: guess
      ? `did you mean ${guess}? (loanmail kinds lists all ${KIND_IDS.length})`
      : `use one of: ${KIND_IDS.join(", ")} (see loanmail kinds)`,
  });
}

/** The definition of a known kind. */
export function kindDef(id: KindId): KindDef {
  const def = KINDS.get(id);
  if (!def) throw new Error(`kind table is missing ${id}`);
  return def;
}

/** Only notices of error and requests for information have a formal form under Reg X. */
export function canBeFormal(kind: KindDef): boolean {
  return (
    kind.substance === "noe" ||
    kind.substance === "rfi" ||
    kind.substance === "owner-rfi" ||
    kind.substance === "relied-documents" ||
    kind.substance === "successor"
  );
}

/**
 * Placeholders every template may use besides its kind's own fields. They come from the loan, the servicer, the
 * user and (for kinds with a `case` field) the referenced case: the letter of it that left and the day it left
 * (relied-documents also the day the "no error" response arrived). No placeholder prints a Message-ID: the
 * subject tag threads replies, and the record keeps the id.
 */
export const COMMON_PLACEHOLDERS = [
  "servicer",
  "borrowers",
  "account",
  "property",
  "user-name",
  "ref-subject",
  "ref-date",
  "ref-tag",
  "ref-response-date",
] as const;
