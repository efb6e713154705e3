/** Letter templates ship in templates/<kind>.<lang>.md beside dist/ and src/ (English and Spanish for every kind). */
import { readFileSync } from "node:fs";
import type { LetterLanguage } from "../domain/language.js";

const TEMPLATE_DIR = new URL("../../templates/", import.meta.url);

/** The body template of a kind in a language (templates/<kind>.<lang>.md). */
export function readTemplate(kind: string, lang: LetterLanguage = "en"): string {
  return readFileSync(new URL(`${kind}.${lang}.md`, TEMPLATE_DIR), "utf8");
}
