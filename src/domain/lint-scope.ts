/** Scope the lint warns about: a notice of error asserting many errors, and overbroad requests. */
import { isKindId, kindDef } from "./kinds.js";
import { finding, type LineIndex, type LintFinding, type LintInput } from "./lint-finding.js";
import { count } from "./words.js";

const LIST_ITEM = /^(\s*)(?:[-*\u2022]|\d{1,2}[.)])\s+\S/;
/** Lists under these headers are enclosures or copies, not asserted errors. */
const LIST_HEADER = /^\s*(?:enclosures?|enclosed|attachments?|attached|exhibits?|cc)\b[^\n]*$/i;

export function manyErrors(input: LintInput, lines: LineIndex): LintFinding[] {
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
        `this letter lists ${count(items.length, "item")}; ${why}`,
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

export function overbroad(body: string, lines: LineIndex): LintFinding[] {
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

/**
 * Who owns the loan, asked inside another request: a servicer owes that answer within 10 business days (12 C.F.R.
 * 1024.36(d)(2)(i)(A)) and the rest within 30 (1024.36(d)(2)(i)(B)). The letter's clocks count both
 * (letter-clocks.ts), and the lint says so; an owner-request of its own keeps the two answers apart.
 */
const OWNER_ASKED =
  /\b(?:(?:name|identity|address|contact\s+information)\s+(?:(?:and|or)\s+(?:address|contact\s+information)\s+)?of\s+(?:the\s+)?(?:current\s+)?(?:owner|investor|assignee|note\s*holder|holder\s+of\s+the\s+note|trust(?:ee)?)\b|who\s+(?:now\s+|currently\s+)?(?:owns|holds)\s+(?:my|the|this|our)\s+(?:loan|mortgage|note)|(?:owner|investor|assignee)\s+of\s+(?:my|the|this|our)\s+(?:loan|mortgage|note)|(?:dueño|propietario|inversionista)\s+de\s+(?:mi|el|este|nuestro)\s+(?:préstamo|prestamo|hipoteca|pagaré))/gi;

/** Whether a request's own words ask who owns the loan (its summary and fields: clock-facts.ts, letter-clocks.ts). */
export function asksWhoOwnsLoan(text: string): boolean {
  const found = OWNER_ASKED.test(text);
  OWNER_ASKED.lastIndex = 0;
  return found;
}

export function ownerAsked(input: LintInput, lines: LineIndex): LintFinding[] {
  if (!isKindId(input.kind) || kindDef(input.kind).substance !== "rfi") return [];
  const m = OWNER_ASKED.exec(input.body);
  OWNER_ASKED.lastIndex = 0;
  if (!m) return [];
  const excerpt = m[0].replace(/\s+/g, " ");
  return [
    finding(
      "owner-asked",
      "warn",
      lines.locate(m.index),
      excerpt,
      `"${excerpt}" asks who owns the loan: the servicer must answer that within 10 business days (12 C.F.R. 1024.36(d)(2)(i)(A)) and the rest within 30 (1024.36(d)(2)(i)(B)); loanmail tracks both clocks (a reply you classify as a response meets both: check that it names the owner)`,
      "or ask it in a letter of its own, so that a reply to it is not mistaken for the answer to the rest: loanmail compose owner-request --loan LOAN",
    ),
  ];
}
