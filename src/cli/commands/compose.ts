/** `loanmail compose KIND`: a draft letter, checked and recorded; nothing is sent. */
import { composeLetter } from "../../app/compose.js";
import { isKindId, kindDef } from "../../domain/kinds.js";
import type { Context } from "../context.js";
import { askText } from "../prompts.js";
import { checkEmail } from "../validate.js";

interface ComposeOptions {
  loan?: string;
  case?: string;
  set?: string[];
  summary?: string;
  bodyFile?: string;
  attach?: string[];
  formal?: boolean;
  to?: string;
  cc?: string[];
  allowSensitive?: boolean;
}

/** On a TTY, ask for what the flags left out (each required field, the summary); a script gets the errors. */
async function fillInteractively(ctx: Context, kind: string, opts: ComposeOptions): Promise<void> {
  if (!ctx.interactive || !process.stdout.isTTY || ctx.options.json || !isKindId(kind)) return;
  const given = new Set((opts.set ?? []).map((p) => p.split("=")[0]));
  for (const field of kindDef(kind).fields.filter((f) => f.required && !given.has(f.name))) {
    const value = await askText(ctx, {
      message: `${field.description} (${field.name}${field.type === "date" ? ", YYYY-MM-DD" : field.type === "amount" ? ", dollars" : ""}):`,
      flag: `--set ${field.name}=...`,
      example: `--set ${field.name}=...`,
    });
    opts.set = [...(opts.set ?? []), `${field.name}=${value}`];
  }
  if (opts.summary === undefined && opts.bodyFile === undefined) {
    opts.summary = await askText(ctx, {
      message: "One paragraph: what happened, with dates and amounts:",
      flag: "--summary",
      example: "--summary 'On March 1, 2026 I paid $1,500.00 ...'",
    });
  }
}

export async function runCompose(ctx: Context, kind: string, opts: ComposeOptions): Promise<number> {
  await fillInteractively(ctx, kind, opts);
  const result = await composeLetter(
    { db: ctx.db(), config: ctx.config(), prefix: ctx.prefix(), now: ctx.now },
    {
      kind,
      loan: opts.loan,
      case: opts.case,
      set: opts.set ?? [],
      summary: opts.summary,
      bodyFile: opts.bodyFile,
      attach: opts.attach ?? [],
      formal: opts.formal,
      to: opts.to === undefined ? undefined : checkEmail(opts.to, "--to"),
      cc: (opts.cc ?? []).map((c) => checkEmail(c, "--cc")),
      allowSensitive: opts.allowSensitive === true,
    },
  );
  for (const w of result.warnings) ctx.out.warn(w);
  const d = result.decision;
  const dest = d.channel === "post" ? `post to ${d.postalAddress?.replace(/\n/g, ", ")}` : `${d.channel} to ${d.to}`;
  ctx.out.result(
    {
      case: result.caseRecord,
      newCase: result.newCase,
      message: {
        id: result.messageRowId,
        messageId: result.messageId,
        subject: result.subject,
        channel: d.channel,
        formal: d.formal,
        to: d.to,
        postalAddress: d.postalAddress,
        state: "draft",
        sha256: result.sha256,
        size: result.size,
        exhibits: result.exhibits,
      },
      warnings: result.warnings,
    },
    () => {
      const lines = [
        `Composed ${result.caseRecord.tag} (case ${result.caseRecord.id}): ${result.subject}`,
        `  ${d.formal ? "formal, " : ""}${dest}; draft, nothing sent`,
      ];
      for (const e of result.exhibits) lines.push(`  ${e.fileName}`);
      lines.push(
        d.channel === "post"
          ? `Next: loanmail show ${result.caseRecord.id} --pdf letter.pdf, mail it certified, then loanmail mailed ${result.caseRecord.id} --tracking T`
          : `Next: loanmail show ${result.caseRecord.id}, loanmail edit ${result.caseRecord.id}`,
      );
      return lines.join("\n");
    },
  );
  return 0;
}
