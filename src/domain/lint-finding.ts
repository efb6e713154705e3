/** What the lint reports and where: findings, their place in the body, and masking of the numbers they quote. */

/** A refusal stops the send (unless overridden); a warning is shown and the send goes ahead. */
export type LintSeverity = "refuse" | "warn";

/** One problem in the body, located and explained so the user can fix it without guessing. */
export interface LintFinding {
  code:
    | "ssn"
    | "routing-number"
    | "bank-account"
    | "card-number"
    | "missing-element"
    | "shouting"
    | "insult"
    | "threat"
    | "many-errors"
    | "overbroad"
    | "owner-asked";
  severity: LintSeverity;
  /** 1-based line in the body. */
  line: number;
  /** 1-based column in that line. */
  column: number;
  /** The matched text; sensitive numbers are masked to their last 4 digits. */
  excerpt: string;
  /** What is wrong, starting with where: "line 4, column 12: ...". */
  message: string;
  /** How to fix it. */
  fix: string;
}

/** Everything the lint needs; the lists of safe values keep the loan's own numbers from being refused. */
export interface LintInput {
  /** The full letter text as it will be sent. */
  body: string;
  /** Kind id, e.g. "notice-of-error". */
  kind: string;
  /** The loan's own account numbers (current and past): never sensitive. */
  ownAccountNumbers: readonly string[];
  /** Values of structured fields (dates, amounts, policy numbers): never sensitive. */
  exemptValues: readonly string[];
  /** Elements that must appear verbatim in the body (borrower name, account number, property address). */
  required: readonly { label: string; value: string }[];
}

/** Findings split by severity, each list in body order. */
export interface LintResult {
  refusals: LintFinding[];
  warnings: LintFinding[];
}

/** Mask all but the last 4 digits of a number, keeping separators: "123-45-6789" -> "***-**-6789". */
export function maskDigits(text: string): string {
  const total = text.replace(/\D/g, "").length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    seen++;
    return seen > total - 4 ? d : "*";
  });
}

/** Turns an offset in the body into the 1-based line and column a user can find. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(body: string) {
    for (let i = 0; i < body.length; i++) if (body[i] === "\n") this.starts.push(i + 1);
  }

  locate(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - (this.starts[lo] ?? 0) + 1 };
  }
}

/** A finding whose message starts with where it is. */
export function finding(
  code: LintFinding["code"],
  severity: LintSeverity,
  where: { line: number; column: number },
  excerpt: string,
  what: string,
  fix: string,
): LintFinding {
  return { code, severity, ...where, excerpt, message: `line ${where.line}, column ${where.column}: ${what}`, fix };
}

/** Warning excerpts quote the user's text, which may itself hold a long number; never echo it whole. */
export function maskLongNumbers(text: string): string {
  return text.replace(/\d[\d -]*\d/g, (m) => (m.replace(/\D/g, "").length >= 5 ? maskDigits(m) : m));
}

/** A stretch of the body, by character offsets. */
export interface Span {
  start: number;
  end: number;
}

/** Every case-insensitive occurrence of the given values in the body. */
export function occurrences(body: string, values: readonly string[]): Span[] {
  const lower = body.toLowerCase();
  const out: Span[] = [];
  for (const value of values) {
    const needle = value.trim().toLowerCase();
    if (needle === "") continue;
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + 1)) {
      out.push({ start: at, end: at + needle.length });
    }
  }
  return out;
}
