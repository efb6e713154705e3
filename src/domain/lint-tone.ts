/** Tone the lint warns about: shouting, insults and threats, which give a servicer grounds to brush a letter off. */
import {
  finding,
  type LineIndex,
  type LintFinding,
  type LintInput,
  maskLongNumbers,
  occurrences,
} from "./lint-finding.js";

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

export function shouting(input: LintInput): LintFinding[] {
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

// Insults and threats

export const INSULT =
  /\b(?:idiot(?:s|ic)?|stupid(?:ity)?|incompeten(?:t|ts|ce)|moron(?:s|ic)?|imbeciles?|liars?|crooks?|crooked|thief|thieves|pathetic|useless|clowns?|scumbags?|jerks?|losers?|fuck\w*|shit(?:s|ty|ting)?|bullshit|assholes?|bastards?|bitch(?:es|ing)?|damn(?:ed|it)?|goddamn\w*|crap(?:py)?|pissed)\b/gi;

const APOS = "['\u2019]";
/**
 * Threats to the reader, not statements of rights: "I reserve my rights under RESPA" is fine. "Or else" only counts
 * when nothing follows it ("fix this, or else!"), since "or else explain why" is an ordinary alternative.
 */
export const THREATS = new RegExp(
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

export function phraseFindings(
  body: string,
  lines: LineIndex,
  re: RegExp,
  make: (where: { line: number; column: number }, excerpt: string) => LintFinding,
): LintFinding[] {
  return [...body.matchAll(re)].map((m) => make(lines.locate(m.index), m[0].replace(/\s+/g, " ")));
}

export function insultFinding(where: { line: number; column: number }, excerpt: string): LintFinding {
  return finding(
    "insult",
    "warn",
    where,
    excerpt,
    `"${excerpt}" is insulting or profane; it gives the reader a reason to discount the letter`,
    "remove it and state the facts: what happened, when, and what you want done",
  );
}

export function threatFinding(where: { line: number; column: number }, excerpt: string): LintFinding {
  return finding(
    "threat",
    "warn",
    where,
    excerpt,
    `"${excerpt}" reads as a threat`,
    'remove it; to keep your options open, write "I reserve all my rights under RESPA" instead',
  );
}
