/**
 * Letter templates are plain text with `{{name}}` placeholders. A line whose placeholders have no value is
 * dropped whole, so optional fields need no conditional syntax: put each on a line of its own. Lines of one
 * paragraph are joined with spaces (so each sentence can sit on its own line); blank lines separate paragraphs.
 */

const PLACEHOLDER = /\{\{\s*([a-z0-9-]+)\s*\}\}/g;

/** The placeholder names a template uses, in order of first use. */
export function templatePlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1] as string))];
}

/** Fill a template; lines naming a value that is absent are left out. */
export function renderTemplate(template: string, values: Readonly<Record<string, string | undefined>>): string {
  const lines: string[] = [];
  for (const line of template.replace(/\r\n/g, "\n").split("\n")) {
    const names = Array.from(line.matchAll(PLACEHOLDER), (m) => m[1] as string);
    if (names.some((n) => !values[n])) continue;
    lines.push(line.replace(PLACEHOLDER, (_m, n: string) => values[n] ?? ""));
  }
  return lines
    .join("\n")
    .split(/\n\s*\n/)
    .map((para) =>
      para
        .split("\n")
        .map((l) => l.trim())
        .filter(Boolean)
        .join(" "),
    )
    .filter(Boolean)
    .join("\n\n");
}
