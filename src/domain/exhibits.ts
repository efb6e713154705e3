/**
 * Exhibit labels: `Exhibit A – <label>.<ext>` (in a Spanish letter `Anexo A – <label>.<ext>`), lettered in the
 * order the user attached them, across the letters of a case.
 */
import type { LetterLanguage } from "./language.js";

/** A, B, ..., Z, AA, AB, ... (spreadsheet-style), for position 0, 1, ... */
export function exhibitLetter(position: number): string {
  let n = position;
  let out = "";
  do {
    out = String.fromCharCode(65 + (n % 26)) + out;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return out;
}

/** A label safe as a file name in any evidence bundle: no separators, control characters or leading dots. */
export function cleanLabel(label: string): string {
  const cleaned = label
    .normalize("NFC")
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
    .replace(/[\u0000-\u001f\u007f-\u009f/\\:*?"<>|]+/g, " ")
    // Bidi overrides and invisible format characters would let "invoice\u202Efdp.exe" display as a PDF.
    .replace(/[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]+/g, "")
    .replace(/\s+/g, " ")
    .replace(/^[.\s]+|[.\s]+$/g, "")
    .slice(0, 120);
  return cleaned || "document";
}

/** "Exhibit A" (English) or "Anexo A" (Spanish), for position 0. */
export function exhibitName(position: number, lang: LetterLanguage = "en"): string {
  return `${lang === "es" ? "Anexo" : "Exhibit"} ${exhibitLetter(position)}`;
}

/** `Exhibit A – Proof of payment.pdf` (`Anexo A – ...` in a Spanish letter). */
export function exhibitFileName(position: number, label: string, ext: string, lang: LetterLanguage = "en"): string {
  return `${exhibitName(position, lang)} \u2013 ${cleanLabel(label)}.${ext}`;
}
