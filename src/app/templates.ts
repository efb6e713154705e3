/**
 * Letter templates ship in templates/<kind>.<lang>.md beside dist/ and src/ (English and Spanish for every kind).
 * A kind whose body speaks of the borrower's own acts in the first person ("my payment", "my application") also
 * has templates/<kind>.<lang>.counselor.md, with the same placeholders, for a letter a counselor writes on the
 * borrowers' behalf (src/domain/voice.ts); a kind without one reads the same in both voices.
 */
import { existsSync, readFileSync } from "node:fs";
import type { LetterLanguage } from "../domain/language.js";
import type { LetterVoice } from "../domain/voice.js";

const TEMPLATE_DIR = new URL("../../templates/", import.meta.url);

/** The body template of a kind in a language and voice: the counselor's variant when the kind has one. */
export function readTemplate(kind: string, lang: LetterLanguage = "en", voice: LetterVoice = "borrower"): string {
  const counselor = new URL(`${kind}.${lang}.counselor.md`, TEMPLATE_DIR);
  if (voice === "counselor" && existsSync(counselor)) return readFileSync(counselor, "utf8");
  return readFileSync(new URL(`${kind}.${lang}.md`, TEMPLATE_DIR), "utf8");
}
