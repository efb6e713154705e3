/**
 * A reply's own words, ready for the classifier: the quoted borrower text removed, the rest split into sentences,
 * each marked "hedged" when it states a possibility rather than an action.
 */

// Quoted text

/** Lines that start the quoted original below a reply; everything from such a line on is dropped. */
const QUOTE_STARTERS: RegExp[] = [
  /^\s*-{2,}\s*(?:original message|forwarded message|mensaje original)\s*-{2,}/i, // Outlook / Gmail separators
  /^\s*_{8,}\s*$/, // Outlook's long underscore rule before the "From:" block
  /^\s*begin forwarded message:/i, // Apple Mail
];

/** "On <date>, <name> wrote:" — may wrap onto up to three lines (Gmail wraps long e-mail addresses). */
function isAttributionStart(lines: string[], i: number): boolean {
  const line = lines[i] ?? "";
  if (!/^\s*(?:On|Le|Am|El)\s/.test(line)) return false;
  const joined = [line, lines[i + 1] ?? "", lines[i + 2] ?? ""].join(" ");
  const end = joined.search(/\b(?:wrote|a écrit|schrieb|escribió)\s*:/i);
  return end >= 0 && end < 400;
}

/** A bare Outlook header block: "From: …" followed within three lines by "Sent:" / "Date:" / "To:" / "Subject:". */
function isHeaderBlockStart(lines: string[], i: number): boolean {
  if (!/^\s*\*?From:\*?\s+\S/i.test(lines[i] ?? "")) return false;
  return lines.slice(i + 1, i + 4).some((l) => /^\s*\*?(?:Sent|Date|To|Subject):/i.test(l));
}

/**
 * Remove quoted earlier messages: everything from an "-----Original Message-----", "On … wrote:", Outlook
 * "From:/Sent:" block or forwarded-message marker onward, plus any remaining ">"-prefixed lines.
 */
export function stripQuoted(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  let cut = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (QUOTE_STARTERS.some((re) => re.test(line)) || isAttributionStart(lines, i) || isHeaderBlockStart(lines, i)) {
      cut = i;
      break;
    }
  }
  return lines
    .slice(0, cut)
    .filter((l) => !/^\s*>/.test(l))
    .join("\n")
    .trim();
}

// Sentences and hedging

export interface Sentence {
  text: string;
  hedged: boolean;
}

/** Remove dots from abbreviations so they don't end sentences: "C.F.R." → "CFR", "Mr." → "Mr". */
export function normalise(text: string): string {
  return text
    .replace(/[\u2018\u2019\u201b]/g, "'")
    .replace(/[\u201c\u201d]/g, '"')
    .replace(/[\u2013\u2014]/g, "-")
    .replace(/\u00a0/g, " ")
    .replace(/\b(?:[A-Za-z]\.){2,}/g, (m) => m.replace(/\./g, ""))
    .replace(/\b(Mr|Mrs|Ms|Dr|No|Nos|Inc|Co|Corp|St|Ave|Ln|Ct|Dept|Sec|approx|vs)\./gi, "$1");
}

/**
 * A sentence states a possibility rather than an action when it uses a modal ("we may extend", "we might need")
 * or is conditional ("if we need more information…", "once we receive…"). "May 8, 2026" is a date, not a modal.
 */
const HEDGE =
  /\b(?:may|might|could)\b(?!\s+\d)|^\s*(?:if|should|once|when|in the event|whenever)\b|\bif (?:we|you|necessary|needed|applicable|so|that|any|additional|more)\b|\bin some cases\b|\bfrom time to time\b/i;

export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  // Blocks: blank lines, list items and lines ending in ":" start a new block; other line breaks are wrapping.
  const blocks = normalise(text)
    .split(/\n\s*\n|\n(?=\s*(?:[-*\u2022]|\d{1,2}[.)])\s)|(?<=:)\s*\n/)
    .map((b) => b.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  for (const block of blocks) {
    for (const s of block.split(/(?<=[.!?])\s+(?=["'(]?[A-Z0-9])/)) {
      const t = s.trim();
      if (t) out.push({ text: t, hedged: HEDGE.test(t) });
    }
  }
  return out;
}
