/**
 * A reply's own words, ready for the classifier: the quoted borrower text removed, the rest split into sentences,
 * each marked "hedged" when it states a possibility rather than an action.
 */

// Quoted text

/** Lines that start the quoted original below a reply; everything from such a line on is dropped. */
const QUOTE_STARTERS: RegExp[] = [
  /^\s*-{2,}\s*(?:original message|forwarded message|mensaje original|mensaje reenviado)\s*-{2,}/i, // Outlook / Gmail
  /^\s*_{8,}\s*$/, // Outlook's long underscore rule before the "From:" block
  /^\s*begin forwarded message:/i, // Apple Mail
  // A portal's or help desk's own label above the customer's text, on a line of its own
  /^\s*\**(?:original message|your (?:original )?(?:message|letter|inquiry|request)|you wrote|customer (?:message|wrote)|message from customer|su mensaje(?: original)?|usted escribi[oó])\s*:?\**\s*$/i,
];

/** "On <date>, <name> wrote:" — may wrap onto up to three lines (Gmail wraps long e-mail addresses). */
function isAttributionStart(lines: string[], i: number): boolean {
  const line = lines[i] ?? "";
  if (!/^\s*(?:On|Le|Am|El)\s/.test(line)) return false;
  const joined = [line, lines[i + 1] ?? "", lines[i + 2] ?? ""].join(" ");
  const end = joined.search(/\b(?:wrote|a écrit|schrieb|escribió)\s*:/i);
  return end >= 0 && end < 400;
}

/**
 * A bare Outlook header block: "From: …" followed within three lines by "Sent:" / "Date:" / "To:" / "Subject:"
 * (in Spanish "De:" and "Enviado:" / "Fecha:" / "Para:" / "Asunto:").
 */
function isHeaderBlockStart(lines: string[], i: number): boolean {
  if (!/^\s*\*?(?:From|De):\*?\s+\S/i.test(lines[i] ?? "")) return false;
  return lines.slice(i + 1, i + 4).some((l) => /^\s*\*?(?:Sent|Date|To|Subject|Enviado|Fecha|Para|Asunto):/i.test(l));
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
    .replace(/\b(Mr|Mrs|Ms|Dr|No|Nos|Inc|Co|Corp|St|Ave|Ln|Ct|Dept|Sec|approx|vs|Sr|Sra|Srta|Lic|Ing|Atte)\./gi, "$1");
}

/**
 * A sentence states a possibility rather than an action when it uses a modal ("we may extend", "we might need")
 * or is conditional ("if we need more information…", "once we receive…"). "May 8, 2026" is a date, not a modal.
 */
const HEDGE =
  /\b(?:may|might|could)\b(?!\s+\d)|^\s*(?:if|should|once|when|in the event|whenever)\b|\bif (?:we|you|necessary|needed|applicable|so|that|any|additional|more)\b|\bin some cases\b|\bfrom time to time\b|\b(?:podr[ií]a(?:mos|n)?|pudiera(?:mos)?|puede que)\b|^\s*(?:si|cuando|en caso de)\b|\bsi (?:necesitamos|necesitaramos|necesitáramos|es necesario|fuera necesario|usted)\b/i;

/** Lower case, one space between words: the form in which a reply's sentence is looked for in our own letters. */
export function flatten(text: string): string {
  return normalise(text)
    .toLowerCase()
    .replace(/[^\p{L}\p{N}$%]+/gu, " ")
    .trim();
}

/**
 * Drop the sentences of a reply that repeat our own letter word for word (a servicer that pastes the borrower's
 * letter below its answer without a quote marker): `own` holds our letters, each flattened. Short sentences
 * ("Thank you.") are kept, since anyone may write them.
 */
export function withoutOwnText(body: Sentence[], own: readonly string[]): Sentence[] {
  if (own.length === 0) return body;
  return body.filter((s) => {
    const flat = flatten(s.text);
    return flat.length < 30 || !own.some((o) => o.includes(flat));
  });
}

export function sentences(text: string): Sentence[] {
  const out: Sentence[] = [];
  // Blocks: blank lines, list items and lines ending in ":" start a new block; other line breaks are wrapping.
  const blocks = normalise(text)
    .split(/\n\s*\n|\n(?=\s*(?:[-*\u2022]|\d{1,2}[.)])\s)|(?<=:)\s*\n/)
    .map((b) => b.replace(/\s+/g, " ").trim())
    .filter(Boolean);
  for (const block of blocks) {
    for (const s of block.split(/(?<=[.!?])\s+(?=["'(¿¡]?[\p{Lu}0-9])/u)) {
      const t = s.trim();
      if (t) out.push({ text: t, hedged: HEDGE.test(t) });
    }
  }
  return out;
}
