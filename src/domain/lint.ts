/**
 * The letter lint (DESIGN §5): refuses a body that would email sensitive numbers or has lost the elements a
 * servicer matches letters by, and warns about tone and scope that give a servicer grounds to brush a letter off.
 * Pure: the caller supplies the body and the values it already knows are safe.
 */

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
    | "overbroad";
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

/** Mask all but the last 4 digits of a number, keeping separators: "123-45-6789" -> "***-**-6789". */
export function maskDigits(text: string): string {
  const total = text.replace(/\D/g, "").length;
  let seen = 0;
  return text.replace(/\d/g, (d) => {
    seen++;
    return seen > total - 4 ? d : "*";
  });
}

/** Check a letter body before it is sent: sensitive numbers and missing elements refuse, tone and scope warn. */
export function lintLetter(input: LintInput): LintResult {
  const lines = new LineIndex(input.body);
  const refusals = [...sensitiveNumbers(input, lines), ...missingElements(input)];
  const warnings = [
    ...shouting(input),
    ...phraseFindings(input.body, lines, INSULT, insultFinding),
    ...phraseFindings(input.body, lines, THREATS, threatFinding),
    ...manyErrors(input, lines),
    ...overbroad(input.body, lines),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  return { refusals, warnings };
}

// ---------------------------------------------------------------------------------------------------------------
// Locations

class LineIndex {
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

function finding(
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
function maskLongNumbers(text: string): string {
  return text.replace(/\d[\d -]*\d/g, (m) => (m.replace(/\D/g, "").length >= 5 ? maskDigits(m) : m));
}

// ---------------------------------------------------------------------------------------------------------------
// Sensitive numbers

interface Span {
  start: number;
  end: number;
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

/** Every case-insensitive occurrence of the given values in the body. */
function occurrences(body: string, values: readonly string[]): Span[] {
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

function sensitiveNumbers(input: LintInput, lines: LineIndex): LintFinding[] {
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

// ---------------------------------------------------------------------------------------------------------------
// Missing elements

function normalizeText(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

function missingElements(input: LintInput): LintFinding[] {
  const body = normalizeText(input.body);
  return input.required
    .filter((r) => {
      const value = normalizeText(r.value);
      return value !== "" && !body.includes(value);
    })
    .map((r) =>
      finding(
        "missing-element",
        "refuse",
        { line: 1, column: 1 },
        r.value,
        `the letter no longer states the ${r.label} (${r.value})`,
        "put it back; servicers match letters to loans by it",
      ),
    );
}

// ---------------------------------------------------------------------------------------------------------------
// Shouting

/** Capitalised by convention, so they are neither shouting nor evidence of it. */
const ACRONYMS = new Set([
  "RESPA",
  "TILA",
  "CFPB",
  "CFR",
  "NOE",
  "RFI",
  "QWR",
  "ARM",
  "SSN",
  "USPS",
  "UPS",
  "PDF",
  "HOA",
  "FHA",
  "VA",
  "HUD",
  "USDA",
  "LLC",
  "LLP",
  "INC",
  "CORP",
  "FSB",
  "PMI",
  "MIP",
  "APR",
  "ACH",
  "EFT",
  "ATM",
  "IRS",
  "FEMA",
  "HELOC",
  "LTV",
  "PITI",
  "FDCPA",
  "FCRA",
  "ECOA",
  "MERS",
  "FNMA",
  "FHLMC",
  "GNMA",
  "NMLS",
  "APN",
  "USA",
  "ID",
  "PO",
  "AM",
  "PM",
  "EST",
  "CST",
  "MST",
  "PST",
  "ASAP",
]);

/** Words of headings a formal letter may carry in capitals ("NOTICE OF ERROR", "CERTIFIED MAIL"). */
const HEADING_WORDS = new Set([
  "NOTICE",
  "OF",
  "ERROR",
  "REQUEST",
  "FOR",
  "INFORMATION",
  "QUALIFIED",
  "WRITTEN",
  "UNDER",
  "PURSUANT",
  "TO",
  "THE",
  "AND",
  "SECTION",
  "REGULATION",
  "CERTIFIED",
  "MAIL",
  "RETURN",
  "RECEIPT",
  "REQUESTED",
  "FIRST",
  "CLASS",
  "PRIORITY",
  "SENT",
  "VIA",
  "BY",
  "EMAIL",
  "FAX",
  "ELECTRONIC",
  "DELIVERY",
  "CONFIDENTIAL",
  "DOCUMENTS",
  "RELIED",
  "ON",
  "OWNER",
  "LOAN",
  "THIRD",
  "PARTY",
  "AUTHORIZATION",
  "ENCLOSURE",
  "ENCLOSURES",
]);

const SUBJECT_LIKE = /^\s*(?:account\s+number\b|(?:re|subject|attn|attention|regarding)\s*:)/i;
/** Servicers' names are often printed in capitals in the address block: "NATIONSTAR MORTGAGE LLC". */
const COMPANY_ENDING =
  /\b(?:LLC|L\.L\.C|INC|CORP|CORPORATION|COMPANY|CO|N\.?A|LP|LLP|LTD|FSB|BANK|TRUST|MORTGAGE|SERVICING|FINANCIAL|LENDING|LOANS|UNION)\.?,?\s*$/i;

function shouting(input: LintInput): LintFinding[] {
  // Short field values ("yes", "1") would blank out pieces of ordinary words.
  const ownValues = [...input.required.map((r) => r.value), ...input.ownAccountNumbers, ...input.exemptValues].filter(
    (v) => v.trim().length >= 4,
  );
  const out: LintFinding[] = [];
  input.body.split("\n").forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, "");
    if (SUBJECT_LIKE.test(line)) return;
    // The user's own name and address are often written in capitals; they are not tone.
    let text = line;
    for (const s of occurrences(line, ownValues)) {
      text = text.slice(0, s.start) + " ".repeat(s.end - s.start) + text.slice(s.end);
    }
    const words = [...text.matchAll(/[A-Za-z]+(?:['\u2019][A-Za-z]+)*/g)].map((m) => ({
      at: m.index,
      word: m[0].replace(/['\u2019]/g, ""),
    }));
    if (words.length === 0) return;
    if (words.every((w) => w.word.length < 2 || HEADING_WORDS.has(w.word) || ACRONYMS.has(w.word))) return;
    if (words.length <= 6 && !/[!?]/.test(text) && COMPANY_ENDING.test(text)) return;

    let run = 0;
    let runStart = 0;
    let hit: number | undefined;
    let letters = 0;
    let capitals = 0;
    for (const { at, word } of words) {
      const allCaps = word === word.toUpperCase();
      if (allCaps && ACRONYMS.has(word)) continue;
      letters += word.length;
      capitals += word.replace(/[^A-Z]/g, "").length;
      if (allCaps && word.length >= 3) {
        if (run === 0) runStart = at;
        run++;
        if (run >= 3 && hit === undefined) hit = runStart;
      } else if (!allCaps) {
        // Short capitals ("I", "OF", "MY") neither start nor break a run.
        run = 0;
      }
    }
    if (hit === undefined && letters >= 20 && capitals / letters > 0.3) hit = line.search(/\S/);
    if (hit === undefined) return;

    const where = { line: index + 1, column: hit + 1 };
    const trimmed = line.trim();
    const excerpt = maskLongNumbers(trimmed.length > 60 ? `${trimmed.slice(0, 59)}\u2026` : trimmed);
    out.push(
      finding(
        "shouting",
        "warn",
        where,
        excerpt,
        `this line reads as shouting ("${excerpt}")`,
        "write it in sentence case; capitals read as anger and do not make the request stronger",
      ),
    );
  });
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Insults and threats

const INSULT =
  /\b(?:idiot(?:s|ic)?|stupid(?:ity)?|incompeten(?:t|ts|ce)|moron(?:s|ic)?|imbeciles?|liars?|crooks?|crooked|thief|thieves|pathetic|useless|clowns?|scumbags?|jerks?|losers?|fuck\w*|shit(?:s|ty|ting)?|bullshit|assholes?|bastards?|bitch(?:es|ing)?|damn(?:ed|it)?|goddamn\w*|crap(?:py)?|pissed)\b/gi;

const APOS = "['\u2019]";
/**
 * Threats to the reader, not statements of rights: "I reserve my rights under RESPA" is fine. "Or else" only counts
 * when nothing follows it ("fix this, or else!"), since "or else explain why" is an ordinary alternative.
 */
const THREATS = new RegExp(
  [
    `\\bI(?:\\s+will|${APOS}ll|\\s+shall|\\s+am\\s+going\\s+to|${APOS}m\\s+going\\s+to|\\s+am\\s+gonna|${APOS}m\\s+gonna)\\s+(?:sue|take\\s+you\\s+to\\s+court)\\b`,
    "\\bsee\\s+you\\s+in\\s+court\\b",
    `\\byou(?:\\s+will|${APOS}ll)\\s+(?:regret|be\\s+sorry|pay\\s+for)\\b`,
    `\\byou(?:\\s+are|${APOS}re)\\s+going\\s+to\\s+(?:regret|be\\s+sorry|pay\\s+for)\\b`,
    "\\bor\\s+else\\b(?!\\s*[A-Za-z])",
    `\\bI(?:\\s+will|${APOS}ll)\\s+make\\s+sure\\s+(?:that\\s+)?you\\b`,
    "\\bwatch\\s+your\\s+back\\b",
  ].join("|"),
  "gi",
);

function phraseFindings(
  body: string,
  lines: LineIndex,
  re: RegExp,
  make: (where: { line: number; column: number }, excerpt: string) => LintFinding,
): LintFinding[] {
  return [...body.matchAll(re)].map((m) => make(lines.locate(m.index), m[0].replace(/\s+/g, " ")));
}

function insultFinding(where: { line: number; column: number }, excerpt: string): LintFinding {
  return finding(
    "insult",
    "warn",
    where,
    excerpt,
    `"${excerpt}" is insulting or profane; it gives the reader a reason to discount the letter`,
    "remove it and state the facts: what happened, when, and what you want done",
  );
}

function threatFinding(where: { line: number; column: number }, excerpt: string): LintFinding {
  return finding(
    "threat",
    "warn",
    where,
    excerpt,
    `"${excerpt}" reads as a threat`,
    'remove it; to keep your options open, write "I reserve all my rights under RESPA" instead',
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Scope

const LIST_ITEM = /^(\s*)(?:[-*\u2022]|\d{1,2}[.)])\s+\S/;
/** Lists under these headers are enclosures or copies, not asserted errors. */
const LIST_HEADER = /^\s*(?:enclosures?|enclosed|attachments?|attached|exhibits?|cc)\b[^\n]*$/i;

function manyErrors(input: LintInput, lines: LineIndex): LintFinding[] {
  if (input.kind !== "notice-of-error") return [];
  const items: { line: number; column: number }[] = [];
  let underHeader = false;
  input.body.split("\n").forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, "");
    const item = LIST_ITEM.exec(line);
    if (item) {
      if (!underHeader) items.push({ line: index + 1, column: (item[1]?.length ?? 0) + 1 });
    } else if (LIST_HEADER.test(line)) {
      underHeader = true;
    } else if (line.trim() !== "") {
      underHeader = false;
    }
  });
  const why =
    "a notice of error should assert one error, and servicers may treat a letter asserting many as overbroad (12 C.F.R. 1024.35(g))";
  const fix = "send one notice of error per error, each with its own date and amount";
  const first = items[0];
  if (items.length >= 3 && first) {
    return [
      finding(
        "many-errors",
        "warn",
        first,
        `${items.length} listed items`,
        `this letter lists ${items.length} items; ${why}`,
        fix,
      ),
    ];
  }
  const plural = /\berrors\b/i.exec(input.body);
  if (plural) {
    return [
      finding(
        "many-errors",
        "warn",
        lines.locate(plural.index),
        plural[0],
        `"${plural[0]}" asserts several errors; ${why}`,
        fix,
      ),
    ];
  }
  return [];
}

const OVERBROAD =
  /\b(?:any\s+and\s+all\s+(?:documents|records|information|correspondence|communications|notes)|all\s+(?:documents|records|correspondence|communications)|every\s+(?:document|record)|(?:entire|complete|whole)\s+(?:loan\s+|servicing\s+)?file)\b/gi;

function overbroad(body: string, lines: LineIndex): LintFinding[] {
  return [...body.matchAll(OVERBROAD)]
    .filter((m) => {
      // "all documents you relied on" is the request 12 C.F.R. 1024.35(e)(4) gives the borrower, not a fishing trip.
      const after = body.slice(m.index + m[0].length, m.index + m[0].length + 40);
      return !/\brel(?:ied|y)\b/i.test(after);
    })
    .map((m) => {
      const excerpt = m[0].replace(/\s+/g, " ");
      return finding(
        "overbroad",
        "warn",
        lines.locate(m.index),
        excerpt,
        `"${excerpt}" is a broad request; servicers may refuse overbroad or unduly burdensome requests (12 C.F.R. 1024.35(g), 1024.36(f))`,
        'name the specific documents and the period, for example "the payment history from 2025-01-01 to 2025-12-31"',
      );
    });
}
