/** Letter templates ship in templates/<kind>.<lang>.md beside dist/ and src/. */
import { readFileSync } from "node:fs";

const TEMPLATE_DIR = new URL("../../templates/", import.meta.url);

/** The body template of a kind (English; other languages can be added as files). */
export function readTemplate(kind: string, lang = "en"): string {
  return readFileSync(new URL(`${kind}.${lang}.md`, TEMPLATE_DIR), "utf8");
}
