/**
 * Sensitive numbers the lint refuses: Social Security, payment card, routing and bank account numbers, told apart
 * from the dates, amounts, phone numbers and the loan's own numbers a letter is full of.
 */
import {
  finding,
  type LineIndex,
  type LintFinding,
  type LintInput,
  maskDigits,
  occurrences,
  type Span,
} from "./lint-finding.js";

/** Luhn check on a digit string. */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** ABA routing-number checksum (3-7-1 weights, sum % 10 === 0) on a 9-digit string. */
export function abaValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    const weight = i % 3 === 0 ? 3 : i % 3 === 1 ? 7 : 1;
    sum += (digits.charCodeAt(i) - 48) * weight;
  }
  return sum % 10 === 0;
}

interface NumberCandidate extends Span {
  raw: string;
  digits: string;
}

/** "Within ~40 characters" of a keyword, measured as the gap between the two. */
const NEAR = 40;

const SSN_SHAPE = /^\d{3}([- ])\d{2}\1\d{4}$/;
const SSN_WORDS = /\bSSNs?\b|\bSS#|\bsocial\s+security\b/gi;
const ROUTING_WORDS = /\b(?:routing|ABA|RTN)\b/gi;
const BANK_WORDS = /\b(?:accounts?|acct|checking|savings)\b/gi;
/**
 * Labels of numbers that are not bank accounts. When one of these is the nearest label before a number, the
 * number is its confirmation, case, loan... number even though "account" is close by (mortgage letters say
 * "escrow account" everywhere).
 */
const OTHER_LABELS =
  /\b(?:confirmation|conf|reference|ref|case|claim|policy|tracking|invoice|ticket|order|loan|phone|telephone|tel|fax|zip|parcel|check|cheque|transaction|trace|certificate|serial|docket|file)\b/gi;

/** Shapes of numbers that are never sensitive. Bounded so that a piece of a longer number is not mistaken for one. */
const HARMLESS_NUMBERS: readonly RegExp[] = [
  // Phone numbers: 555-123-4567, (555) 123-4567, 555.123.4567, +1 555 123 4567.
  /(?<!\d)(?<!\d-)(?:\+?1[-. ]?)?(?:\(\d{3}\)[-. ]?|\d{3}[-. ])\d{3}[-. ]\d{4}(?!\d)(?!-\d)/g,
  // ISO dates: 2026-03-01.
  /(?<!\d)(?<!\d[-/])\d{4}([-/])(0?[1-9]|1[0-2])\1(0?[1-9]|[12]\d|3[01])(?!\d)(?![-/]\d)/g,
  // US dates: 03/01/2026, 3-1-26, 03.01.2026 (day-first accepted too).
  /(?<!\d)(?<!\d[-/.])(0?[1-9]|[12]\d|3[01])([-/.])(0?[1-9]|[12]\d|3[01])\2(\d{4}|\d{2})(?!\d)(?![-/.]\d)/g,
  // ZIP+4: 62701-1234.
  /(?<!\d)(?<!\d-)\d{5}-\d{4}(?!\d)(?!-\d)/g,
  // Amounts: $1,234.56, $ 1234, 1,234, 1234.56.
  /\$\s?\d[\d,]*(?:\.\d+)?/g,
  /(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)/g,
  /(?<![\d.,])\d+\.\d{2}(?!\d)/g,
  // This tool's own case tags, whose prefix may be all digits: LM-2345-12.
  /\bLM-[A-Z0-9]{4}-\d+\b/gi,
];

type SensitiveCode = "ssn" | "card-number" | "routing-number" | "bank-account";

const SENSITIVE_NAMES: Record<SensitiveCode, string> = {
  ssn: "a Social Security number",
  "card-number": "a payment card number",
  "routing-number": "a bank routing number",
  "bank-account": "a bank account number",
};

function spansOf(body: string, re: RegExp): Span[] {
  return [...body.matchAll(re)].map((m) => ({ start: m.index, end: m.index + m[0].length }));
}

function overlaps(a: Span, b: Span): boolean {
  return a.start < b.end && b.start < a.end;
}

function gap(a: Span, b: Span): number {
  if (b.end <= a.start) return a.start - b.end;
  if (a.end <= b.start) return b.start - a.end;
  return 0;
}

function near(c: Span, keywords: readonly Span[]): boolean {
  return keywords.some((k) => gap(c, k) <= NEAR);
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= "0" && ch <= "9";
}

function candidate(body: string, start: number, end: number): NumberCandidate {
  const raw = body.slice(start, end);
  return { start, end, raw, digits: raw.replace(/\D/g, "") };
}

/**
 * Digit runs that may be one number. Dash-joined runs are always one; runs joined by single spaces are also tried
 * as one when every group is 2 to 6 digits (card and SSN grouping), because "1234567 12 payments" is two numbers.
 */
function numberCandidates(body: string): NumberCandidate[] {
  const tokens: NumberCandidate[] = [];
  for (const m of body.matchAll(/\d+(?:-\d+)*/g)) {
    const start = m.index;
    const end = start + m[0].length;
    // Pieces of 1,234,567 or 1234.56 are parts of an amount, not numbers of their own.
    const decimalBefore = (body[start - 1] === "." || body[start - 1] === ",") && isDigit(body[start - 2]);
    const decimalAfter = (body[end] === "." || body[end] === ",") && isDigit(body[end + 1]);
    if (!decimalBefore && !decimalAfter) tokens.push(candidate(body, start, end));
  }
  const out: NumberCandidate[] = [];
  let i = 0;
  while (i < tokens.length) {
    const chain: NumberCandidate[] = [];
    let current: NumberCandidate | undefined = tokens[i];
    while (current) {
      chain.push(current);
      const next: NumberCandidate | undefined = tokens[i + chain.length];
      current = next && next.start === current.end + 1 && body[current.end] === " " ? next : undefined;
    }
    const first = chain[0];
    const last = chain[chain.length - 1];
    if (chain.length > 1 && first && last) {
      const joined = candidate(body, first.start, last.end);
      if (joined.raw.split(/[- ]/).every((g) => g.length >= 2 && g.length <= 6)) out.push(joined);
    }
    out.push(...chain);
    i += chain.length;
  }
  return out;
}

/** Digits of the safe values, also without leading zeros since statements print loan numbers both ways. */
function safeDigitSet(values: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const value of values) {
    const digits = value.replace(/\D/g, "");
    if (digits !== "") out.add(digits);
    const trimmed = digits.replace(/^0+/, "");
    if (trimmed !== "") out.add(trimmed);
  }
  return out;
}

/**
 * A number stuck to letters (HO3-1234567, ABC123456) is an identifier of something else, not a bare bank number;
 * a keyword stuck to it (acct-12345678, SSN123456789) does not count as such a letter.
 */
function isGluedToWord(body: string, c: Span): boolean {
  const attached = (word: string): boolean =>
    word !== "" && !/^(?:accounts?|acct|checking|savings|routing|aba|rtn|ssns?|ss)$/i.test(word);
  const before = /([A-Za-z]*)[-_/]?$/.exec(body.slice(Math.max(0, c.start - 20), c.start));
  const after = /^[-_/]?([A-Za-z]*)/.exec(body.slice(c.end, c.end + 20));
  return attached(before?.[1] ?? "") || attached(after?.[1] ?? "");
}

/** The nearest label before the number names it as something other than a bank account. */
function isLabelledOtherwise(c: Span, bankWords: readonly Span[], otherLabels: readonly Span[]): boolean {
  let best: { end: number; other: boolean } | undefined;
  for (const [spans, other] of [
    [bankWords, false],
    [otherLabels, true],
  ] as const) {
    for (const s of spans) {
      if (s.end <= c.start && c.start - s.end <= NEAR && (!best || s.end > best.end)) best = { end: s.end, other };
    }
  }
  return best?.other ?? false;
}

export function sensitiveNumbers(input: LintInput, lines: LineIndex): LintFinding[] {
  const { body } = input;
  const safeValues = [...input.ownAccountNumbers, ...input.exemptValues];
  const harmless = HARMLESS_NUMBERS.flatMap((re) => spansOf(body, re));
  const safeSpans = occurrences(body, safeValues);
  const safeDigits = safeDigitSet(safeValues);
  const candidates = numberCandidates(body).filter(
    (c) =>
      !/^0+$/.test(c.digits) &&
      !harmless.some((h) => overlaps(c, h)) &&
      !safeSpans.some((s) => s.start <= c.start && c.end <= s.end) &&
      !safeDigits.has(c.digits) &&
      !safeDigits.has(c.digits.replace(/^0+/, "")),
  );

  const ssnWords = spansOf(body, SSN_WORDS);
  const routingWords = spansOf(body, ROUTING_WORDS);
  const bankWords = spansOf(body, BANK_WORDS);
  const otherLabels = spansOf(body, OTHER_LABELS);
  const loose = (c: NumberCandidate) => !isGluedToWord(body, c);

  // In order of specificity: a number claimed by an earlier rule is not reported again by a later one.
  const rules: readonly [SensitiveCode, (c: NumberCandidate) => boolean][] = [
    ["ssn", (c) => SSN_SHAPE.test(c.raw) || (c.digits.length === 9 && near(c, ssnWords) && loose(c))],
    ["card-number", (c) => c.digits.length >= 13 && c.digits.length <= 19 && luhnValid(c.digits)],
    ["routing-number", (c) => c.digits.length === 9 && abaValid(c.digits) && near(c, routingWords) && loose(c)],
    [
      "bank-account",
      (c) =>
        c.digits.length >= 6 &&
        c.digits.length <= 17 &&
        near(c, bankWords) &&
        loose(c) &&
        !isLabelledOtherwise(c, bankWords, otherLabels),
    ],
  ];

  const claimed: { code: SensitiveCode; c: NumberCandidate }[] = [];
  for (const [code, matches] of rules) {
    for (const c of candidates) {
      if (!claimed.some((k) => overlaps(k.c, c)) && matches(c)) claimed.push({ code, c });
    }
  }
  return claimed
    .sort((a, b) => a.c.start - b.c.start)
    .map(({ code, c }) => {
      const masked = maskDigits(c.raw);
      return finding(
        code,
        "refuse",
        lines.locate(c.start),
        masked,
        `looks like ${SENSITIVE_NAMES[code]} (${masked})`,
        `write only the last 4 digits (for example ${masked}) or pass --allow-sensitive`,
      );
    });
}
