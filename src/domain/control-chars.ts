/**
 * Characters that have no place in a name, a host or a letter: C0 controls (NUL, ESC, BEL, ...), DEL and the C1
 * controls, and the bidi marks and overrides that make text read otherwise than it is stored ("Trojan Source").
 * A terminal obeys ESC sequences and a reader's eye obeys U+202E, so typed text and read files carrying them are
 * refused, not stored. Tab and newline are allowed where the text may have several lines; a one-line value (a name,
 * a host) also refuses Unicode's line separators and the invisible characters that make look-alike names.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is looked for
const FORBIDDEN = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
// As above, with tab and newline as well, the Unicode line and paragraph separators (line breaks by another name),
// and the invisible characters that make two names that read the same differ (zero-width space, word joiner, byte
// order mark, tag characters). The zero-width joiner and non-joiner stay: Persian and Indic names are written with them.
const FORBIDDEN_ONE_LINE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is looked for
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]|\udb40[\udc00-\udc7f]/;

const NAMES: Record<number, string> = {
  0: "NUL",
  7: "BEL",
  8: "backspace",
  9: "tab",
  10: "newline",
  13: "carriage return",
  27: "ESC",
  127: "DEL",
  155: "CSI",
  8238: "right-to-left override",
  8237: "left-to-right override",
  8203: "zero-width space",
  8204: "zero-width non-joiner",
  8205: "zero-width joiner",
  8232: "line separator",
  8233: "paragraph separator",
  8288: "word joiner",
  65279: "zero-width no-break space",
};

export interface ControlChar {
  /** Its place in the text, counted in characters from 1. */
  position: number;
  /** "U+001B (ESC)", "U+202E (right-to-left override)". */
  label: string;
}

/** The first forbidden character of `text`, or undefined; `oneLine` forbids tab and newline too. */
export function findControlChar(text: string, oneLine: boolean): ControlChar | undefined {
  const m = (oneLine ? FORBIDDEN_ONE_LINE : FORBIDDEN).exec(text);
  if (!m) return undefined;
  const code = m[0].codePointAt(0) ?? 0;
  const hex = code.toString(16).toUpperCase().padStart(4, "0");
  const name =
    NAMES[code] ?? (code >= 0xe0000 ? "tag character" : code >= 0x200e ? "bidi control" : "control character");
  return { position: [...text.slice(0, m.index)].length + 1, label: `U+${hex} (${name})` };
}
