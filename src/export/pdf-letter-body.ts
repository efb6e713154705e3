/**
 * A letter's body cut into the parts the printed page places apart: what comes before the signature (ending with
 * the body's own closing when it has one) and what comes after it (the body's own enclosures block).
 */

/** The non-blank lines of a multi-line field, trimmed. */
export function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** A closing must stand on its own line; "I respectfully request ..." inside a paragraph is not one. */
const CLOSING_LINE =
  /^(?:(?:yours|best|kind|warm|warmest|with\s+kind)\s+)?(?:sincerely|respectfully|regards)(?:\s+(?:yours|submitted))?\s*[,.!]?$/i;
const ENCLOSURES_LINE = /^(?:enclosures?|encl\.?)\s*:/i;

export interface BodyParts {
  /** Printed before the signature block; ends with the body's own closing when it has one. */
  main: string[];
  /** Printed after the signature block (the body's own enclosures). */
  tail: string[];
  hasClosing: boolean;
  hasEnclosures: boolean;
}

/**
 * The signature has to sit right under the closing, and enclosures belong after the signature,
 * so a body that carries either is cut there and the signature block goes in between.
 */
export function splitBody(body: string, signatureName: string): BodyParts {
  const all = body.replace(/\r\n?/g, "\n").split("\n");
  let closing = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (CLOSING_LINE.test((all[i] ?? "").trim())) {
      closing = i;
      break;
    }
  }
  const enclosures = all.findIndex((l) => ENCLOSURES_LINE.test(l.trim()));
  const hasEnclosures = enclosures >= 0;
  if (closing >= 0) {
    const tail = all.slice(closing + 1);
    // The body often repeats the signer's name after the closing; we print it under the line instead.
    const first = tail.findIndex((l) => l.trim() !== "");
    const name = signatureName.trim().toLowerCase();
    if (first >= 0 && name !== "" && (tail[first] ?? "").trim().toLowerCase() === name) tail.splice(first, 1);
    return { main: all.slice(0, closing + 1), tail, hasClosing: true, hasEnclosures };
  }
  if (hasEnclosures) {
    return { main: all.slice(0, enclosures), tail: all.slice(enclosures), hasClosing: false, hasEnclosures };
  }
  return { main: all, tail: [], hasClosing: false, hasEnclosures };
}

/** Blank-line separated paragraphs (a paragraph keeps its own line breaks). */
export function paragraphs(text: readonly string[]): string[] {
  return text
    .join("\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\s+$/g, ""))
    .filter((p) => p.trim() !== "");
}

/** A paragraph holding a line to sign on (ten underscores or more). */
export const SIGNATURE_PARAGRAPH = /_{10,}/;
