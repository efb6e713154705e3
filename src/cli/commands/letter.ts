/** Letters: `kinds`, `compose`, `edit`, `mailed`, `send`, `sent`. */
import { canBeFormal, isKindId, KINDS, kindDef } from "../../domain/kinds.js";
import { EXIT } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { askText } from "../prompts.js";
import { checkEmail, checkPositiveInt } from "../validate.js";

/** `loanmail kinds`: the letter kinds table, from domain/kinds.ts. */
function runKinds(ctx: Context): number {
  const kinds = [...KINDS.values()].map((k) => ({
    id: k.id,
    label: k.label,
    asks: k.asks,
    substance: k.substance,
    formal: k.formalByDefault ? "default" : canBeFormal(k) ? "with --formal" : "no",
    citation: k.citation ?? null,
    fields: k.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      description: f.description,
      ...(f.values ? { values: f.values } : {}),
    })),
  }));
  ctx.out.result({ kinds }, () =>
    formatTable(
      ["KIND", "SUBJECT LABEL", "FORMAL", "FIELDS (optional in brackets)"],
      kinds.map((k) => [
        k.id,
        k.label,
        k.formal,
        k.fields.map((f) => (f.required ? f.name : `[${f.name}]`)).join(" ") || "-",
      ]),
    ),
  );
  return 0;
}

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
  dated?: string;
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

/** `compose KIND`: a draft letter, checked and recorded; nothing is sent. */
async function runCompose(ctx: Context, kind: string, opts: ComposeOptions): Promise<number> {
  await fillInteractively(ctx, kind, opts);
  const { composeLetter } = await import("../../app/compose.js");
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
      dated: opts.dated,
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
        writtenOn: result.writtenOn,
        dated: result.dated,
      },
      warnings: result.warnings,
    },
    () => {
      const lines = [
        `Composed ${result.caseRecord.tag} (case ${result.caseRecord.id}): ${result.subject}`,
        `  ${d.formal ? "formal, " : ""}${dest}; draft, nothing sent`,
      ];
      if (result.dated)
        lines.push(`  written ${result.dated}, entered today: later dates are checked against ${result.dated}`);
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

/** `edit CASE`: edit the draft in $VISUAL / $EDITOR. */
async function runEdit(ctx: Context, ref: string, opts: { allowSensitive?: boolean }): Promise<number> {
  const { editDraft } = await import("../../app/edit.js");
  const r = await editDraft(ctx, ref, {
    editor: ctx.env.VISUAL || ctx.env.EDITOR || undefined,
    allowSensitive: opts.allowSensitive === true,
  });
  for (const w of r.warnings) ctx.out.warn(w);
  ctx.out.result(
    {
      case: r.caseRecord.tag,
      message: r.messageRowId,
      changed: r.changed,
      fromSha256: r.fromSha256,
      toSha256: r.toSha256,
      warnings: r.warnings,
    },
    () =>
      r.changed
        ? `Edited the draft of ${r.caseRecord.tag}; it was checked and rebuilt.`
        : `No changes to ${r.caseRecord.tag}.`,
  );
  return 0;
}

/**
 * `mailed CASE --tracking T [--date D] [--delivered D]`: a letter that went by (certified) post. The first call
 * records the mailing; a later call with --delivered records the delivery date from the carrier's tracking.
 */
async function runMailed(
  ctx: Context,
  ref: string,
  opts: { tracking?: string; date?: string; delivered?: string; letter?: string },
): Promise<number> {
  const letter = opts.letter === undefined ? undefined : checkPositiveInt(opts.letter, "--letter", 1_000_000_000);
  const { recordMailing } = await import("../../app/mailing.js");
  const r = recordMailing(ctx, ref, { ...opts, letter });
  const tag = r.caseRecord.tag;
  ctx.out.result(
    { case: tag, message: r.messageRowId, tracking: r.tracking, mailedOn: r.mailedOn, deliveredOn: r.deliveredOn },
    () =>
      r.recorded === "delivery"
        ? `Recorded delivery of ${tag} on ${r.deliveredOn}.`
        : `Recorded ${tag} as mailed on ${r.mailedOn} (tracking ${r.tracking})` +
          (r.deliveredOn
            ? `, delivered ${r.deliveredOn}.`
            : `.\nWhen tracking shows delivery: loanmail mailed ${r.caseRecord.id} --delivered YYYY-MM-DD`),
  );
  return 0;
}

/** `send CASE [--dry-run] [--resend-unknown MSG]`: the case's drafts over SMTP, exactly once. */
async function runSend(ctx: Context, ref: string, opts: { dryRun?: boolean; resendUnknown?: string }): Promise<number> {
  const { sendLetters } = await import("../../app/send.js");
  const { mailContext } = await import("../mail-context.js");
  const report = await sendLetters(
    {
      db: ctx.db(),
      prefix: ctx.prefix(),
      config: () => ctx.config(),
      now: () => new Date(),
      lockDir: ctx.home.dir,
      mail: () => mailContext(ctx),
    },
    ref,
    { dryRun: opts.dryRun === true, resendUnknown: opts.resendUnknown },
  );
  const bad = report.letters.filter((l) => l.state === "failed" || l.state === "unknown");
  ctx.out.result(
    {
      case: report.caseRecord.tag,
      dryRun: report.dryRun,
      letters: report.letters,
      resolved: report.resolved,
      postLetters: report.skippedPost,
    },
    () => {
      const lines: string[] = [];
      for (const r of report.resolved)
        lines.push(`Letter ${r.id}: found in ${r.mailbox}, so it was sent (marked sent)`);
      for (const l of report.letters) {
        const head = `Letter ${l.id} ${l.subject}`;
        if (l.state === "would-send")
          lines.push(
            `${head}\n  would go from ${l.envelope.from} to ${l.envelope.to.join(", ")} (${l.size} bytes, ${l.response})`,
          );
        if (l.state === "sent")
          lines.push(
            `${head}\n  sent: ${l.response}${l.rejected?.length ? `; REFUSED for ${l.rejected.join(", ")}` : ""}`,
          );
        if (l.state === "failed")
          lines.push(`${head}\n  FAILED (${l.retryable ? "will retry on the next send" : "permanent"}): ${l.response}`);
        if (l.state === "unknown") {
          lines.push(
            `${head}\n  UNKNOWN: the connection was lost after the letter was handed over (${l.error}); it may have arrived.\n  Run loanmail sync (or send again) to look for it in your mailbox; it is never resent by itself.`,
          );
        }
      }
      if (report.skippedPost > 0)
        lines.push(`${report.skippedPost} letter(s) go by post: loanmail show ${report.caseRecord.id} --pdf FILE`);
      return lines.join("\n");
    },
  );
  return bad.length > 0 ? EXIT.sendFailed : EXIT.ok;
}

/** `sent CASE --via ...`: a letter that left another way (portal upload, fax, by hand), with optional proof. */
async function runSent(
  ctx: Context,
  ref: string,
  opts: { via?: string; date?: string; file?: string },
): Promise<number> {
  const { recordSentElsewhere } = await import("../../app/sent-elsewhere.js");
  const r = recordSentElsewhere(ctx, ref, opts);
  ctx.out.result(
    { case: r.caseRecord.tag, message: r.messageRowId, via: r.via, sentOn: r.sentOn, proof: r.proof ?? null },
    () => `Recorded letter ${r.messageRowId} of ${r.caseRecord.tag} as sent by ${r.via} on ${r.sentOn}.`,
  );
  return 0;
}

export const letterCommands: CommandModule = {
  commands: [
    {
      name: "kinds",
      description: "letter kinds, their subject labels and fields",
      usesHome: false,
      run: runKinds,
    },
    {
      name: "compose <kind>",
      description: "compose a letter of KIND as a draft (nothing is sent)",
      options: [
        { flags: "--loan <loan>", description: "loan id or account number: opens a new case" },
        { flags: "--case <case>", description: "add the letter to this existing case" },
        { flags: "--set <name=value>", description: "a field of the kind (repeat)", repeat: true },
        { flags: "--summary <text>", description: "one paragraph: what happened, with dates and amounts" },
        { flags: "--body-file <file>", description: "read the summary paragraph from a file" },
        {
          flags: "--attach <file[=label]>",
          description: "attach a PDF, JPEG or PNG as the next exhibit (repeat)",
          repeat: true,
        },
        { flags: "--formal", description: "send as a formal notice to the designated address" },
        { flags: "--no-formal", description: "send a formal-by-default kind as ordinary correspondence" },
        { flags: "--to <addr>", description: "send to this address instead of the one the channel rules choose" },
        { flags: "--cc <addr>", description: "copy to (repeat)", repeat: true },
        {
          flags: "--allow-sensitive",
          description: "send even though the letter seems to contain an SSN or a full bank/card number",
        },
        {
          flags: "--dated <date>",
          description: "the day you wrote it, for a letter written before you record it (YYYY-MM-DD)",
        },
      ],
      run: runCompose,
    },
    {
      name: "edit <case>",
      description: "edit a case's draft in $EDITOR; the letter is rebuilt and checked again",
      options: [
        { flags: "--allow-sensitive", description: "accept an SSN or a full bank/card number in the edited text" },
      ],
      run: runEdit,
    },
    {
      name: "mailed <case>",
      description: "record a letter sent by certified mail, and later its delivery",
      options: [
        { flags: "--tracking <number>", description: "the certified-mail tracking number" },
        { flags: "--date <date>", description: "the day it was mailed (YYYY-MM-DD; default today)" },
        { flags: "--delivered <date>", description: "the day tracking shows it delivered (YYYY-MM-DD)" },
        { flags: "--letter <n>", description: "which letter of the case (its number in show), when it has several" },
      ],
      run: runMailed,
    },
    {
      name: "send <case>",
      description: "send the case's drafts over SMTP, exactly once",
      options: [
        { flags: "--dry-run", description: "show what would go and to whom; send nothing" },
        {
          flags: "--resend-unknown <msg>",
          description: "resend a letter whose outcome is unknown (only if you are sure it did not arrive)",
        },
      ],
      run: runSend,
    },
    {
      name: "sent <case>",
      description: "record a letter that left another way (portal, fax, by hand)",
      options: [
        { flags: "--via <how>", description: "how it left", choices: ["portal", "fax", "hand"] },
        { flags: "--date <date>", description: "the day it left (YYYY-MM-DD)" },
        { flags: "--file <file>", description: "a confirmation or receipt to keep with it" },
      ],
      run: runSent,
    },
  ],
};
