/**
 * The wizard's own words and files: the summary paragraph, held to the letter lint as typed (an SSN or bank number
 * is refused under the prompt and asked again; tone and scope warnings are shown and the user keeps or retypes
 * it), then the exhibits, one file per prompt, each read and checked as it is added (type by content, size limits:
 * src/app/attachments.ts), until an empty answer.
 */
import { homedir } from "node:os";
import type { Exhibit } from "../../app/attachments.js";
import type { KindDef } from "../../domain/kinds.js";
import { lintLetter } from "../../domain/lint.js";
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";
import { askText, askYesNo } from "../prompts.js";

/** What the lint says of a summary: refusals (a sensitive number) and warnings (tone, scope). */
export function summaryFindings(
  summary: string,
  kind: KindDef,
  account: string,
  fields: Readonly<Record<string, string>>,
): { refusals: string[]; warnings: string[] } {
  const r = lintLetter({
    body: summary,
    kind: kind.id,
    ownAccountNumbers: [account],
    exemptValues: Object.values(fields),
    required: [],
  });
  // The wizard has no --allow-sensitive: a refused number is retyped, masked.
  const text = (f: { message: string; fix: string }) =>
    `${f.message.replace(/^line 1, /, "")}; ${f.fix.replace(/ or pass --allow-sensitive$/, "")}`;
  return { refusals: r.refusals.map(text), warnings: r.warnings.map(text) };
}

export async function askSummary(
  ctx: Context,
  kind: KindDef,
  account: string,
  fields: Readonly<Record<string, string>>,
): Promise<string> {
  for (;;) {
    const summary = await askText(ctx, {
      message: "One paragraph: what happened, with dates and amounts:",
      flag: "--summary",
      example: "--summary 'On March 1, 2026 I paid $1,500.00 ...'",
      validate: (v) => summaryFindings(v, kind, account, fields).refusals[0] ?? true,
    });
    const { warnings } = summaryFindings(summary, kind, account, fields);
    if (warnings.length === 0) return summary;
    for (const w of warnings) ctx.out.warn(w);
    if (await askYesNo("Keep the paragraph as it is?", true)) return summary;
  }
}

/** `~/x` as the user's home; anything else as typed. */
function expandHome(path: string): string {
  return path === "~" || path.startsWith("~/") ? homedir() + path.slice(1) : path;
}

/** Files to attach, each checked as added; an empty answer ends the list. */
export async function askExhibits(ctx: Context): Promise<{ paths: string[]; exhibits: Omit<Exhibit, "data">[] }> {
  const { readExhibits } = await import("../../app/attachments.js");
  const paths: string[] = [];
  let exhibits: Exhibit[] = [];
  for (;;) {
    const typed = await askText(ctx, {
      message:
        paths.length === 0
          ? "A file to attach as an exhibit (PDF, JPEG or PNG; Enter for none):"
          : "Another file to attach (Enter when done):",
      flag: "--attach",
      example: "--attach statement.pdf",
      optional: true,
    });
    if (typed === "") break;
    const path = expandHome(typed);
    try {
      exhibits = await readExhibits([...paths, path], ctx.config().limits, 0, "the file");
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      ctx.out.warn(`${err.message}${err.hint ? `; ${err.hint}` : ""}`);
      continue;
    }
    paths.push(path);
    const added = exhibits[exhibits.length - 1];
    if (added) ctx.out.note(`  added ${added.fileName} (${added.contentType}, ${added.data.length} bytes)`);
  }
  return { paths, exhibits: exhibits.map(({ data: _, ...rest }) => rest) };
}
