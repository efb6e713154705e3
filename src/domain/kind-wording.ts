/**
 * Wording a template cannot choose by itself (docs/ARCHITECTURE.md, "Letters and channels"): sentences that
 * depend on how the user's dates compare, on the loan, or on the letter's exhibits. Each kind's derived
 * placeholders are listed in DERIVED_PLACEHOLDERS (the templates test allows exactly those); a value left
 * undefined drops its template line, like a field the user did not give. Pure: the facts are passed in.
 */

import { UserError } from "../errors.js";
import { addDays, type IsoDate } from "./calendar.js";
import type { LoanFacts } from "./clock-types.js";
import { COUNSELOR_EN, COUNSELOR_ES } from "./kind-wording-counselor.js";
import { WORDING_ES } from "./kind-wording-es.js";
import type { KindId } from "./kinds.js";
import type { LetterLanguage } from "./language.js";
import { outsideRegX } from "./regx-scope.js";
import type { LetterVoice } from "./voice.js";

/** What the wording of a letter may depend on besides its fields. */
export interface WordingFacts {
  kind: KindId;
  fields: Readonly<Record<string, string>>;
  /** The day the letter is written (YYYY-MM-DD). */
  writtenOn: IsoDate;
  borrowers: readonly string[];
  /** The letter's exhibits by file name, in order ("Exhibit A – Form.pdf"), less a signed third-party authorization. */
  exhibits: readonly string[];
  /** How the letter goes: by email (to any address) or by post. */
  channel: "email" | "notice-email" | "post";
  /** What decides whether a Reg X rule reaches the loan (product, servicer size, principal residence). */
  loan: Pick<LoanFacts, "product" | "principalResidence" | "smallServicer">;
  servicerName: string;
  /** The exhibit ("Exhibit A") that is the servicer's own form, attached with `compose --servicer-form`, if any. */
  servicerForm?: string | undefined;
  /** The letter's language (default English): the derived sentences are written in it; warnings stay English. */
  lang?: LetterLanguage | undefined;
  /** Who the letter speaks as (default the borrower): a counselor names the borrower's acts as the borrower's. */
  voice?: LetterVoice | undefined;
}

/**
 * The derived sentences of a letter in one language. Which of them a letter carries is decided below, once, from
 * the facts; only the words differ (Spanish: kind-wording-es.ts, citing the same rules).
 */
export interface WordingText {
  joinNames(names: readonly string[]): string;
  withinGrace: string;
  /** Loss mitigation: the application outside 1024.41 (no rule named), and under it (1024.41(b)(1)). */
  applicationOutside: string;
  applicationRegX: string;
  /** A sale more than 37 days away (1024.41(g) protects), and one 37 days or fewer away. */
  saleProtected: string;
  saleTooNear: string;
  documentsChannel: string;
  continuityOfContact: string;
  /** By how the property passed (kinds.ts, successor-in-interest `how`). */
  successorDocuments: Readonly<Record<string, string>>;
  authorizers(one: boolean, names: string): string;
  our(one: boolean): string;
  us(one: boolean): string;
  openEnded: string;
  servicerForm(exhibit: string): string;
}

/** Derived placeholder values and what the user should know about them (shown at compose, recorded). */
export interface Wording {
  values: Record<string, string | undefined>;
  warnings: string[];
}

/** The placeholders each kind's wording fills, beyond its fields and the common ones. */
export const DERIVED_PLACEHOLDERS: Readonly<Partial<Record<KindId, readonly string[]>>> = {
  "late-fee-dispute": ["within-grace"],
  "loss-mitigation": ["application", "sale-protection", "documents-channel"],
  "escalation-request": ["continuity-of-contact"],
  "successor-in-interest": ["successor-documents"],
  "third-party-authorization": ["authorizers", "our", "us", "open-ended", "servicer-form"],
};

/** Where a borrower facing a sale gets help at once (HUD's housing counseling line). */
export const EMERGENCY_HELP = "a HUD-approved housing counselor (800-569-4287) or an attorney";

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
  return { values: { "within-grace": within ? textOf(facts).withinGrace : undefined }, warnings };
}

/** 1024.41(g) protects a complete application received more than 37 days before a foreclosure sale. */
const DUAL_TRACKING_DAYS = 37;

/**
 * A loss-mitigation application (12 C.F.R. 1024.41(b)(1)); with a sale date, the protection of 1024.41(g) when it
 * can still apply (the letter is written more than 37 days before the sale), and the advice to send financial
 * documents through the servicer's secure channel rather than by ordinary email.
 */
function lossMitigationWording(facts: WordingFacts): Wording {
  const warnings: string[] = [];
  const values: Record<string, string | undefined> = {};
  const outside = outsideRegX("loss-mitigation", {
    ...facts.loan,
    slaDays: 0,
  });
  const t = textOf(facts);
  values.application = outside ? t.applicationOutside : t.applicationRegX;
  // (compose itself warns that the letter is outside Regulation X, and why)
  const sale = facts.fields["sale-date"];
  if (sale && sale < facts.writtenOn) {
    warnings.push(`the sale date ${sale} is before this letter's date (${facts.writtenOn}): check --set sale-date`);
  } else if (sale && !outside) {
    if (sale > addDays(facts.writtenOn, DUAL_TRACKING_DAYS)) {
      values["sale-protection"] = t.saleProtected;
    } else {
      values["sale-protection"] = t.saleTooNear;
      warnings.push(
        `the foreclosure sale on ${sale} is 37 days or fewer after this letter (written ${facts.writtenOn}): ` +
          "12 C.F.R. 1024.41(g) protects only a complete application received more than 37 days before the sale. " +
          `Get help today from ${EMERGENCY_HELP}`,
      );
    }
  }
  if (facts.exhibits.length === 0) {
    values["documents-channel"] = t.documentsChannel;
  } else if (facts.channel !== "post") {
    warnings.push(
      `this letter carries ${facts.exhibits.length} exhibit(s) by ordinary email: send financial documents (pay ` +
        `stubs, bank statements, tax returns) through ${facts.servicerName}'s secure document upload or by mail instead ` +
        "(upload this letter there too and record it with: loanmail sent CASE --via portal --date D)",
    );
  }
  return { values, warnings };
}

/**
 * Why 12 C.F.R. 1024.40 (continuity of contact) does not reach the loan, or null when it does: 1024.38 through
 * 1024.41 exempt small servicers and reverse mortgages (1024.30(b)), 1024.39 through 1024.41 apply only to a
 * principal residence (1024.30(c)(2)), and an open-end line of credit is no "mortgage loan" (1024.31).
 */
export function continuityOfContactExempt(loan: WordingFacts["loan"]): string | null {
  if (loan.product === "heloc")
    return "1024.40 does not apply to an open-end line of credit (HELOC), which is not a mortgage loan under 12 C.F.R. 1024.31";
  if (loan.product === "reverse") return "1024.40 does not apply to a reverse mortgage (12 C.F.R. 1024.30(b)(2))";
  if (loan.smallServicer) return "1024.40 does not apply to a small servicer (12 C.F.R. 1024.30(b)(1))";
  if (!loan.principalResidence)
    return "1024.40 applies only to the borrower's principal residence (12 C.F.R. 1024.30(c)(2))";
  return null;
}

/**
 * The fields a letter takes from the loan when the user did not `--set` them: an escalation request's
 * `delinquent-since` from `loan set --delinquent-since` (the due date of the oldest payment still unpaid, 12 C.F.R.
 * 1024.31), when that day is on or before the letter's date (a letter dated earlier was written while current).
 */
/** Fields that name something that already happened when the letter was written: a payment, a fee, an error. */
export const PAST_EVENT_FIELDS = [
  "payment-date",
  "fee-date",
  "error-date",
  "application-date",
  "transfer-date",
] as const;

/**
 * A payment (fee, error, application, transfer) dated after the letter would have the letter state something
 * that had not happened: refused, naming the field and the letter's date (`--dated` writes an earlier letter).
 */
function checkPastFields(fields: Readonly<Record<string, string>>, writtenOn: IsoDate): void {
  for (const name of PAST_EVENT_FIELDS) {
    const day = fields[name];
    if (day !== undefined && day > writtenOn)
      throw new UserError(`--set ${name}=${day} is after this letter's date (${writtenOn})`, {
        code: "DATE_IN_FUTURE",
        hint: `give the day it happened, on or before ${writtenOn}`,
      });
  }
}

/**
 * A stated period (payment-history, information-request: `from` and `to`) is history the servicer reports: a day
 * after the letter's date asks for transactions that have not happened (DATE_IN_FUTURE, naming the field and the
 * letter's date), and a period that ends before it starts is no period (DATES_OUT_OF_ORDER).
 */
function checkPeriod(fields: Readonly<Record<string, string>>, writtenOn: IsoDate): void {
  for (const name of ["from", "to"] as const) {
    const day = fields[name];
    if (day !== undefined && day > writtenOn)
      throw new UserError(`--set ${name}=${day} is after this letter's date (${writtenOn})`, {
        code: "DATE_IN_FUTURE",
        hint: `a servicer can report only what has happened: end the period on or before ${writtenOn}`,
      });
  }
  const { from, to } = fields;
  if (from !== undefined && to !== undefined && from > to)
    throw new UserError(`--set from=${from} is after --set to=${to}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "give the first day of the period as from and its last day as to",
    });
}

export function withLoanFields(
  kind: KindId,
  fields: Readonly<Record<string, string>>,
  loan: { delinquentSince?: IsoDate | null },
  writtenOn: IsoDate,
): Record<string, string> {
  checkPastFields(fields, writtenOn);
  checkPeriod(fields, writtenOn);
  const since = loan.delinquentSince;
  if (kind !== "escalation-request" || fields["delinquent-since"] !== undefined || !since || since > writtenOn)
    return { ...fields };
  return { ...fields, "delinquent-since": since };
}

/**
 * An escalation request for a delinquent borrower (its `delinquent-since` field: the due date of the oldest payment
 * still unpaid, 12 C.F.R. 1024.31 "delinquency") cites continuity of contact, 1024.40(a), and asks for the
 * assigned person's name and telephone number and what 1024.40(b) says they can tell the borrower.
 */
function escalationWording(facts: WordingFacts): Wording {
  const since = facts.fields["delinquent-since"];
  if (!since) return { values: {}, warnings: [] };
  if (since > facts.writtenOn) {
    throw new UserError(`--set delinquent-since=${since} is after this letter's date (${facts.writtenOn})`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "give the due date of the oldest payment still unpaid",
    });
  }
  const exempt = continuityOfContactExempt(facts.loan);
  if (exempt) return { values: {}, warnings: [`${exempt}: the letter does not cite 12 C.F.R. 1024.40(a)`] };
  return { values: { "continuity-of-contact": textOf(facts).continuityOfContact }, warnings: [] };
}

/**
 * The documents that typically establish a successor's identity and ownership interest, by how the property
 * passed (the servicer says which it requires: 12 C.F.R. 1024.36(i)(1), 1024.38(b)(1)(vi)(B)).
 */
export const SUCCESSOR_DOCUMENTS: Readonly<Record<string, string>> = {
  death:
    "a copy of the death certificate; the will, letters testamentary or of administration, or a court order, or, " +
    "where there was no probate, an affidavit of heirship; the recorded deed, if any; and my government-issued " +
    "photo identification.",
  divorce:
    "the divorce decree, legal separation agreement or property settlement agreement; the recorded deed, if any; " +
    "and my government-issued photo identification.",
  "spouse-or-child":
    "the recorded deed or other document that transferred the interest to me; my marriage or birth certificate; " +
    "and my government-issued photo identification.",
  trust:
    "the trust instrument or a certification of trust; the recorded deed into the trust; and my government-issued " +
    "photo identification.",
};

/**
 * A potential successor in interest names the transferor borrower (the loan's borrowers unless the user names
 * one: 1024.36(i)(1) needs the name) and lists the documents they can provide.
 */
function successorWording(facts: WordingFacts): Wording {
  const how = facts.fields.how ?? "";
  const t = textOf(facts);
  return {
    values: {
      transferor: facts.fields.transferor ?? t.joinNames(facts.borrowers),
      "successor-documents": t.successorDocuments[how],
    },
    warnings: [],
  };
}

/**
 * A third-party authorization speaks for every borrower on the loan ("I, ..." or "We, ... and ..."), says when it
 * ends (an expiry after the letter's date, else "until revoked"), and points to the servicer's own form when it is
 * enclosed.
 */
function authorizationWording(facts: WordingFacts): Wording {
  const one = facts.borrowers.length === 1;
  const t = textOf(facts);
  const names = t.joinNames(facts.borrowers);
  const expires = facts.fields.expires;
  if (expires && expires <= facts.writtenOn) {
    throw new UserError(`--set expires=${expires} is not after this letter's date (${facts.writtenOn})`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "give the last day the authorization is valid, after the letter's date (or leave expires out: it then lasts until revoked)",
    });
  }
  return {
    values: {
      authorizers: t.authorizers(one, names),
      our: t.our(one),
      us: t.us(one),
      "open-ended": expires ? undefined : t.openEnded,
      "servicer-form": facts.servicerForm ? t.servicerForm(facts.servicerForm) : undefined,
    },
    warnings: [],
  };
}

const WORDING_EN: WordingText = {
  // "A and B and C", as these sentences always listed the loan's borrowers.
  joinNames: (names) => names.join(" and "),
  withinGrace: "within the grace period",
  applicationOutside: "Please treat this letter as my application for every loss mitigation option you offer.",
  applicationRegX: "Please treat this as a loss mitigation application under 12 C.F.R. 1024.41(b)(1).",
  saleProtected:
    "Under 12 C.F.R. 1024.41(g), if you receive my complete application more than 37 days before that sale, you " +
    "may not move for a foreclosure judgment or order of sale, or conduct the sale, unless you have told me in " +
    "writing that I am not eligible for any option and any appeal is over, I have rejected every option you " +
    "offered, or I have failed to perform under an agreement on an option.",
  saleTooNear:
    "The sale is 37 days or fewer away, so 12 C.F.R. 1024.41(g) may not protect this application; I ask you to " +
    "postpone the sale while you evaluate it.",
  documentsChannel:
    "Please tell me how to send my financial documents (such as pay stubs, bank statements and tax returns) " +
    "through your secure channel, such as your secure document upload or a mailing address, rather than by ordinary email.",
  continuityOfContact:
    "Under 12 C.F.R. 1024.40(a) (continuity of contact), your procedures must assign personnel to a delinquent " +
    "borrower by the 45th day of delinquency and make them available to the borrower by telephone. Please tell " +
    "me in writing the name and direct telephone number of the person assigned to my loan, who can tell me the " +
    "loss mitigation options available to me, what I must do to be evaluated for them, the status of any " +
    "application I have submitted, and the deadlines that apply (12 C.F.R. 1024.40(b)).",
  successorDocuments: SUCCESSOR_DOCUMENTS,
  authorizers: (one, names) => (one ? `I, ${names}, authorize` : `We, ${names}, authorize`),
  our: (one) => (one ? "my" : "our"),
  us: (one) => (one ? "me" : "us"),
  openEnded: "This authorization has no end date: it lasts until it is revoked.",
  servicerForm: (exhibit) =>
    `Your own third-party authorization form, completed and signed by each borrower, is enclosed as ${exhibit}.`,
};

/** The derived sentences in the counselor's voice (kind-wording-counselor.ts): only the borrower's acts differ. */
const WORDING_EN_COUNSELOR: WordingText = { ...WORDING_EN, ...COUNSELOR_EN };
const WORDING_ES_COUNSELOR: WordingText = { ...WORDING_ES, ...COUNSELOR_ES };

/** The derived sentences in the letter's language and voice. */
function textOf(facts: WordingFacts): WordingText {
  if (facts.voice === "counselor") return facts.lang === "es" ? WORDING_ES_COUNSELOR : WORDING_EN_COUNSELOR;
  return facts.lang === "es" ? WORDING_ES : WORDING_EN;
}

/** The derived wording of a letter of `facts.kind`; kinds without any get none. */
export function kindWording(facts: WordingFacts): Wording {
  switch (facts.kind) {
    case "late-fee-dispute":
      return lateFeeWording(facts);
    case "loss-mitigation":
      return lossMitigationWording(facts);
    case "escalation-request":
      return escalationWording(facts);
    case "successor-in-interest":
      return successorWording(facts);
    case "third-party-authorization":
      return authorizationWording(facts);
    default:
      return { values: {}, warnings: [] };
  }
}
