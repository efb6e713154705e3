/**
 * The letter body (docs/ARCHITECTURE.md, "Letters and channels"): account details first, so a mailroom can match the letter to the loan; then the
 * borrower's summary, the kind's request, the regulatory paragraph of a formal letter, the signature, and the
 * enclosures. Pure: the template text and every value are passed in.
 */
import { formatAmount } from "./fields.js";
import type { KindDef } from "./kinds.js";
import type { LetterLanguage } from "./language.js";
import { longDate } from "./letter-dates.js";
import { SPANISH } from "./letter-es.js";
import { OUTSIDE_REGX } from "./regx-scope.js";
import { renderTemplate } from "./template.js";
import { type LetterVoice, voiceOf } from "./voice.js";

/**
 * The earlier letter a follow-up, escalation request or request for documents relied on cites: one that left,
 * with the day it left (YYYY-MM-DD). The Message-ID stays in the record (and the subject tag threads replies);
 * the prose never prints it.
 */
export interface ReferencedLetter {
  tag: string;
  subject: string;
  /** The day it left (YYYY-MM-DD): what the servicer received, and what the citing letter must come after. */
  date: string;
  /** The day it was written, when that was before it left (`compose --dated`): a letter is cited by its own date. */
  writtenOn?: string | undefined;
  messageId: string;
  /** For relied-documents: the day the servicer's "no error" response arrived (YYYY-MM-DD). */
  responseDate?: string | undefined;
}

export interface LetterInput {
  kind: KindDef;
  fields: Readonly<Record<string, string>>;
  formal: boolean;
  /**
   * The letter goes to the channel the servicer designated for notices. Only then does its text say so: a formal
   * letter sent elsewhere (compose --to) never claims a designated address.
   */
  toDesignated: boolean;
  /** An informal copy, to customer service, of a formal letter of the same case (compose --copy-to). */
  copyOfFormal?: boolean;
  template: string;
  servicerName: string;
  borrowers: readonly string[];
  account: string;
  property: string;
  summary: string;
  userName: string;
  userPhone?: string | undefined;
  userEmail?: string | undefined;
  tag: string;
  exhibits: readonly string[];
  reference?: ReferencedLetter | undefined;
  /** Placeholders the kind's wording derived from dates, the loan and the exhibits (src/domain/kind-wording.ts). */
  derived?: Readonly<Record<string, string | undefined>> | undefined;
  /**
   * Why Regulation X does not reach this letter on this loan (regx-scope.ts: a HELOC; loss mitigation on a reverse
   * mortgage, with a small servicer, or for a home that is not the principal residence). The letter then claims no
   * Reg X duty: it says so in place of the formal paragraph.
   */
  outsideRegX?: string | null | undefined;
  /** In a counselor's home: who writes, for whom, under which authorization (the signature says so). */
  onBehalf?: OnBehalf | undefined;
  /** The letter's language (default English): every sentence loanmail writes, its dates and its enclosures. */
  lang?: LetterLanguage | undefined;
}

/**
 * A letter a housing counselor writes for the borrowers: the counselor and agency (and its HUD agency id when
 * recorded), the borrowers who signed the authorization, the day they signed it, and the exhibit carrying the
 * signed form when this letter carries it. Only what the record shows.
 */
export interface OnBehalf {
  counselor: string;
  agency: string;
  hudAgencyId: string | null;
  borrowers: readonly string[];
  signedOn: string;
  formExhibit: string | null;
}

/** Names as a sentence lists them: "A", "A and B", "A, B and C". */
export function joinNames(names: readonly string[]): string {
  if (names.length <= 2) return names.join(" and ");
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The signature line of a counselor's letter: who, in what role, for which agency, on behalf of whom. */
export function onBehalfLine(o: OnBehalf): string {
  const agency = `${o.agency}${o.hudAgencyId ? ` (HUD agency ID ${o.hudAgencyId})` : ""}`;
  return `${o.counselor}, Housing Counselor, ${agency}, on behalf of ${joinNames(o.borrowers)}`;
}

/** The paragraph that says who writes and under what authority, before the borrowers' summary. */
export function onBehalfParagraph(o: OnBehalf): string {
  return (
    `I am a housing counselor at ${o.agency} and write on behalf of ${joinNames(o.borrowers)}, under their written ` +
    `authorization signed on ${longDate(o.signedOn)}${o.formExhibit ? `, enclosed as ${o.formExhibit}` : ""}.`
  );
}

/** RESPA's own name for a borrower's written request about servicing (12 U.S.C. 2605(e)). */
export const QWR_SENTENCE = "This letter is also a qualified written request under 12 U.S.C. 2605(e).";

/**
 * A notice of error about a payment asks for the protection of 12 C.F.R. 1024.35(i): no adverse information about
 * that payment furnished to a consumer reporting agency for 60 days after the notice is received.
 */
export const NO_ADVERSE_REPORTING =
  "As 12 C.F.R. 1024.35(i) requires, please do not furnish adverse information to any consumer reporting agency " +
  "about the payment this notice concerns for 60 days after you receive it.";

/** Whether a notice of error of this kind concerns a payment (its kind, or a notice-of-error naming one). */
export function disputesPayment(kind: KindDef, fields: Readonly<Record<string, string>>): boolean {
  return kind.substance === "noe" && (kind.disputesPayment === true || Boolean(fields["payment-date"]));
}

/** The paragraph of a letter outside Regulation X: no federal deadline is claimed (12 C.F.R. 1024.30, 1024.31). */
export function outsideRegXParagraph(why: string): string {
  const reason = `${why.charAt(0).toUpperCase()}${why.slice(1)}`.replace(/\.?$/, ".");
  return (
    `${OUTSIDE_REGX.charAt(0).toUpperCase()}${OUTSIDE_REGX.slice(1)}. ${reason} Any provision of Regulation X ` +
    "named above describes the problem; I do not claim it binds you for this loan. Please answer within the time " +
    "you promise your customers."
  );
}

/** The paragraph that makes a letter a formal notice; it names the rule the servicer must follow. */
export function formalParagraph(
  kind: KindDef,
  toDesignated: boolean,
  fields: Readonly<Record<string, string>> = {},
): string | null {
  return formalParagraphOf(kind, toDesignated, disputesPayment(kind, fields));
}

function formalParagraphOf(
  kind: KindDef,
  toDesignated: boolean,
  paymentDisputed: boolean,
  voice: LetterVoice = "borrower",
): string | null {
  switch (kind.substance) {
    case "noe":
      return [
        "This letter is a notice of error under 12 C.F.R. 1024.35 (Regulation X, RESPA section 6(k))" +
          (toDesignated ? ", sent to your designated address for such notices" : "") +
          ".",
        QWR_SENTENCE,
        "Please acknowledge it in writing within five business days, and correct the error, or explain in writing " +
          "after a reasonable investigation why you believe no error occurred, within the time 12 C.F.R. 1024.35(e) " +
          "allows.",
        ...(paymentDisputed ? [NO_ADVERSE_REPORTING] : []),
      ].join(" ");
    case "rfi":
      return [
        "This letter is a request for information under 12 C.F.R. 1024.36 (Regulation X, RESPA section 6(k))" +
          (toDesignated ? ", sent to your designated address for such requests" : "") +
          ".",
        QWR_SENTENCE,
        "Please acknowledge it in writing within five business days and provide the information, or explain in " +
          "writing why it is not available, within the time 12 C.F.R. 1024.36(d) allows.",
      ].join(" ");
    case "owner-rfi":
      return (
        "This letter is a request for information under 12 C.F.R. 1024.36 for the identity of, and contact " +
        `information for, the owner or assignee of ${voice === "counselor" ? "this" : "my"} loan. Please acknowledge it within five business days and ` +
        "answer within ten business days, as 12 C.F.R. 1024.36(d)(2)(i)(A) requires."
      );
    case "relied-documents":
      return (
        "Under 12 C.F.R. 1024.35(e)(4), please provide the documents you relied upon in determining that no " +
        "error occurred, within fifteen business days of receiving this request."
      );
    case "successor":
      return (
        "This letter is a written request under 12 C.F.R. 1024.36(i) from a potential successor in interest" +
        (toDesignated ? ", sent to your designated address for requests for information" : "") +
        // A counselor writes for the potential successor: it is the client, not the counselor, who is treated as a borrower.
        `. Under 12 C.F.R. 1024.36(i)(1) you must treat ${voice === "counselor" ? "my client" : "me"} as a borrower for 12 C.F.R. 1024.36(c) through (g) with ` +
        "respect to it: please acknowledge it in writing within five business days, and respond within the time " +
        "12 C.F.R. 1024.36(d) allows."
      );
    default:
      return null;
  }
}

/** What an informal copy says of itself: it is not the notice, the letter to the designated address is. */
export function copyParagraph(kind: KindDef): string {
  const what =
    kind.substance === "rfi" || kind.substance === "owner-rfi"
      ? "request for information under 12 C.F.R. 1024.36"
      : kind.substance === "successor"
        ? "request under 12 C.F.R. 1024.36(i)"
        : "notice of error under 12 C.F.R. 1024.35";
  return (
    `This is a copy, for your customer service team, of a letter addressed to your designated address for such ` +
    `notices. That letter, not this copy, is my ${what}.`
  );
}

/**
 * Everything a letter says that is not its template, its fields or the user's summary, in one language: the
 * greeting, the account lines, the "on behalf of" words, the paragraph that makes it formal, the signature and
 * the enclosures. English is below; Spanish in letter-es.ts. Each cites the same rules.
 */
export interface LetterWords {
  /** A date as the letter prints it ("June 1, 2026", "1 de junio de 2026"). */
  date(iso: string): string;
  /** A letter cited by the day it was written and the later day it left ("June 1, 2026, sent on June 3, 2026"). */
  writtenThenSent(written: string, left: string): string;
  /** Names as a sentence lists them ("A and B", "A y B"). */
  joinNames(names: readonly string[]): string;
  greeting(servicer: string): string;
  /** Borrowers, account number and property, one per line. */
  accountLines(borrowers: readonly string[], account: string, property: string): string;
  onBehalfParagraph(o: OnBehalf): string;
  onBehalfLine(o: OnBehalf): string;
  /**
   * The formal paragraph of a kind; `paymentDisputed` adds the request of 12 C.F.R. 1024.35(i). In a counselor's
   * voice (voice.ts) the loan is "this loan" and a successor "my client".
   */
  formalParagraph(kind: KindDef, toDesignated: boolean, paymentDisputed: boolean, voice?: LetterVoice): string | null;
  outsideRegXParagraph(why: string): string;
  copyParagraph(kind: KindDef): string;
  referenceLine(tag: string): string;
  closing: string;
  borrowerSignatures(borrowers: readonly string[]): string[];
  enclosuresBlock(exhibits: readonly string[]): string;
  /** The heading the enclosures paragraph starts with ("Enclosures:"), which an exhibit change rewrites. */
  enclosuresHeading: string;
  /** The words an enum field's value prints as, when the kind gives words for it. */
  enumWords(kind: KindDef, field: string, value: string): string | undefined;
}

const ENGLISH: LetterWords = {
  writtenThenSent: (written, left) => `${longDate(written)}, sent on ${longDate(left)}`,
  date: longDate,
  joinNames,
  greeting: (servicer) => `Dear ${servicer}:`,
  accountLines: (borrowers, account, property) =>
    [
      `Borrower${borrowers.length > 1 ? "s" : ""}: ${borrowers.join(", ")}`,
      `Account number: ${account}`,
      `Property address: ${oneLine(property)}`,
    ].join("\n"),
  onBehalfParagraph,
  onBehalfLine,
  formalParagraph: formalParagraphOf,
  outsideRegXParagraph,
  copyParagraph,
  referenceLine: (tag) => `Please include the reference ${tag} in your reply so that it reaches the right file.`,
  closing: "Sincerely,",
  borrowerSignatures,
  enclosuresBlock,
  enclosuresHeading: "Enclosures:",
  enumWords: (kind, field, value) => kind.fields.find((f) => f.name === field)?.words?.[value],
};

/**
 * How a letter cites another: by the day it was written, and the day it left when that was later, so that the
 * servicer finds a letter of the date it bears (a letter dated November 10 and mailed November 12 is not "my letter
 * of November 12").
 */
function referenceDate(r: ReferencedLetter, words: LetterWords): string {
  return r.writtenOn !== undefined && r.writtenOn < r.date
    ? words.writtenThenSent(r.writtenOn, r.date)
    : words.date(r.date);
}

/** The words of a letter in `lang` (English when none is given). */
export function letterWords(lang: LetterLanguage | undefined): LetterWords {
  return lang === "es" ? SPANISH : ENGLISH;
}

/** Values for template placeholders: kind fields (amounts as dollars, dates as "June 1, 2026") and the common ones. */
export function templateValues(input: LetterInput): Record<string, string | undefined> {
  const words = letterWords(input.lang);
  const values: Record<string, string | undefined> = {
    servicer: input.servicerName,
    borrowers: words.joinNames(input.borrowers),
    account: input.account,
    property: oneLine(input.property),
    "user-name": input.userName,
    // The referenced letter by its day in words and its tag; its Message-ID stays in the record, not the prose.
    "ref-subject": input.reference?.subject,
    "ref-date": input.reference ? referenceDate(input.reference, words) : undefined,
    "ref-tag": input.reference?.tag,
    "ref-response-date": input.reference?.responseDate ? words.date(input.reference.responseDate) : undefined,
    ...input.derived,
  };
  for (const field of input.kind.fields) {
    const v = input.fields[field.name];
    if (v === undefined) continue;
    const enumWords = field.type === "enum" ? words.enumWords(input.kind, field.name, v) : undefined;
    if (field.type === "amount") values[field.name] = formatAmount(v);
    else if (enumWords) values[field.name] = enumWords;
    else if (field.type === "date") values[field.name] = words.date(v);
    else if (field.sentence && !/[.!?]["')\]]?$/.test(v)) values[field.name] = `${v}.`;
    else values[field.name] = v;
  }
  return values;
}

function oneLine(address: string): string {
  return address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(", ");
}

/** Build the full plain-text body of a letter. */
export function buildLetterBody(input: LetterInput): string {
  const words = letterWords(input.lang);
  const parts: string[] = [];
  parts.push(words.greeting(input.servicerName));
  parts.push(words.accountLines(input.borrowers, input.account, input.property));
  if (input.onBehalf) parts.push(words.onBehalfParagraph(input.onBehalf));
  parts.push(input.summary.trim());
  const request = renderTemplate(input.template, templateValues(input));
  if (request) parts.push(request);
  const formal =
    input.formal && !input.outsideRegX
      ? words.formalParagraph(
          input.kind,
          input.toDesignated,
          disputesPayment(input.kind, input.fields),
          voiceOf(input.onBehalf),
        )
      : null;
  if (formal) parts.push(formal);
  if (input.outsideRegX) parts.push(words.outsideRegXParagraph(input.outsideRegX));
  if (input.copyOfFormal) parts.push(words.copyParagraph(input.kind));
  parts.push(words.referenceLine(input.tag));
  if (input.kind.signedByBorrowers) {
    parts.push(...words.borrowerSignatures(input.borrowers));
  } else {
    const signature = [words.closing, "", input.onBehalf ? words.onBehalfLine(input.onBehalf) : input.userName];
    if (input.userPhone) signature.push(input.userPhone);
    if (input.userEmail) signature.push(input.userEmail);
    parts.push(signature.join("\n"));
  }
  parts.push(words.enclosuresBlock(input.exhibits));
  return `${parts.join("\n\n")}\n`;
}

/** A line to sign on and a line to date, as a printed form has them. */
export const SIGNATURE_LINE = "Signature: ______________________________   Date: ________________";

/**
 * The signature block of a letter every borrower signs (a third-party authorization): a heading, then for each
 * borrower a signature and date line with the name under it. The letter is signed on paper; this text is its form.
 */
export function borrowerSignatures(borrowers: readonly string[]): string[] {
  const heading = borrowers.length === 1 ? "Signed by the borrower:" : "Signed by each borrower:";
  return [heading, ...borrowers.map((b) => `${SIGNATURE_LINE}\n${b}`)];
}

/** The letter's last paragraph: what is enclosed, by exhibit file name. */
export function enclosuresBlock(exhibits: readonly string[]): string {
  return exhibits.length > 0 ? ["Enclosures:", ...exhibits].join("\n") : "Enclosures: none";
}

/**
 * The body with its enclosures paragraph replaced by the one for `exhibits` (appended when the user's edit
 * removed it), so a letter never lists an exhibit it does not carry.
 */
export function withEnclosures(body: string, exhibits: readonly string[], lang?: LetterLanguage | undefined): string {
  const words = letterWords(lang);
  const heading = words.enclosuresHeading;
  const text = body.trimEnd();
  const at = text.lastIndexOf(`\n\n${heading}`);
  const head = at >= 0 ? text.slice(0, at) : text.startsWith(heading) ? "" : text;
  return `${head ? `${head}\n\n` : ""}${words.enclosuresBlock(exhibits)}\n`;
}
