/** Letters: `kinds`, `compose`, `edit`, `mailed`, `send`, `sent`. */
import { canBeFormal, isKindId, KINDS, kindDef } from "../../domain/kinds.js";
import { LETTER_LANGUAGES, type LetterLanguage } from "../../domain/language.js";
import { EXIT } from "../../errors.js";
import { referralLines } from "../case-event.js";
import type { CommandModule } from "../command.js";
import { type Composed, composedDoc, languageLine, signedByBorrowers, signingSteps } from "../compose-text.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { askText, canAsk } from "../prompts.js";
import { checkEmail, checkPositiveInt, localeDateOrder, readAmountAnswer, readDateAnswer } from "../validate.js";

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
  copyTo?: string;
  dated?: string;
  servicerForm?: string;
  priorServicer?: string | boolean;
  lang?: LetterLanguage;
}

/** On a TTY, ask for what the flags left out (each required field, the summary); a script gets the errors. */
async function fillInteractively(ctx: Context, kind: string, opts: ComposeOptions): Promise<void> {
  if (!ctx.interactive || !process.stdout.isTTY || ctx.options.json || !isKindId(kind)) return;
  const given = new Set((opts.set ?? []).map((p) => p.split("=")[0]));
  const order = localeDateOrder();
  for (const field of kindDef(kind).fields.filter((f) => f.required && !given.has(f.name))) {
    // Dates and amounts are read as a person types them and checked on the spot; the flag gets the exact form.
    const read = (v: string): { value: string } | { problem: string } => {
      if (field.type === "date") {
        const r = readDateAnswer(v, order);
        return "iso" in r ? { value: r.iso } : r;
      }
      if (field.type === "amount") {
        const r = readAmountAnswer(v);
        return "amount" in r ? { value: r.amount } : r;
      }
      return { value: v };
    };
    const form = order === "mdy" ? "MM/DD/YYYY" : "DD/MM/YYYY";
    const value = await askText(ctx, {
      message: `${field.description} (${field.name}${field.type === "date" ? `, ${form} or YYYY-MM-DD` : field.type === "amount" ? ", dollars" : ""}):`,
      flag: `--set ${field.name}=...`,
      example: `--set ${field.name}=...`,
      validate: (v) => {
        const r = read(v);
        return "problem" in r ? r.problem : true;
      },
    });
    const r = read(value);
    opts.set = [...(opts.set ?? []), `${field.name}=${"value" in r ? r.value : value}`];
  }
  if (opts.summary === undefined && opts.bodyFile === undefined) {
    opts.summary = await askText(ctx, {
      message: "One paragraph: what happened, with dates and amounts:",
      flag: "--summary",
      example: "--summary 'On March 1, 2026 I paid $1,500.00 ...'",
    });
  }
}

/** `compose KIND`: a draft letter (and its copy with --copy-to), checked and recorded; nothing is sent. */
async function runCompose(ctx: Context, kind: string, opts: ComposeOptions): Promise<number> {
  await fillInteractively(ctx, kind, opts);
  const { composeWithCopy } = await import("../../app/compose-copy.js");
  const letters = await composeWithCopy(
    { db: ctx.db(), config: ctx.config(), prefix: ctx.prefix(), now: ctx.now, scope: ctx },
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
      servicerForm: opts.servicerForm,
      priorServicer:
        typeof opts.priorServicer === "string" ? opts.priorServicer : opts.priorServicer ? true : undefined,
      lang: opts.lang,
    },
    opts.copyTo,
  );
  const [result, copy] = letters as [Composed, Composed | undefined];
  const warnings = [...new Set(letters.flatMap((l) => l.warnings))];
  for (const w of warnings) ctx.out.warn(w);
  const id = result.caseRecord.id;
  const dest = (r: Composed) =>
    r.decision.channel === "post"
      ? `post to ${r.decision.postalAddress?.replace(/\n/g, ", ")}`
      : `${r.decision.channel} to ${r.decision.to}`;
  ctx.out.result(
    {
      case: result.caseRecord,
      newCase: result.newCase,
      message: composedDoc(result),
      ...(copy ? { copy: composedDoc(copy) } : {}),
      ...(result.referral ? { referral: result.referral } : {}),
      warnings,
    },
    () => {
      const lines = [
        `Composed ${result.caseRecord.tag} (case ${id}): ${result.subject}`,
        `  letter ${result.messageRowId}: ${result.decision.formal ? "formal, " : ""}${dest(result)}; draft, nothing sent`,
      ];
      if (result.dated)
        lines.push(`  written ${result.dated}, entered today: later dates are checked against ${result.dated}`);
      const language = languageLine(result);
      if (language) lines.push(language);
      const prior = result.priorServicer;
      if (prior)
        lines.push(
          `  to ${prior.servicer} (account ${prior.account_number}), the servicer before the transfer of ${prior.transferred_on}`,
        );
      for (const e of result.exhibits) lines.push(`  ${e.fileName}`);
      if (copy) {
        lines.push(
          `  letter ${copy.messageRowId}: its copy, ${dest(copy)}; draft, nothing sent (starts no Reg X clock)`,
        );
      }
      const letterFlag = copy ? ` --letter ${result.messageRowId}` : "";
      lines.push(
        signedByBorrowers(kind)
          ? signingSteps(result, id, opts.servicerForm !== undefined)
          : result.decision.channel === "post"
            ? `Next: loanmail show ${id} --pdf letter.pdf${letterFlag}, mail it certified, then loanmail mailed ${id} --tracking T`
            : `Next: read it (loanmail show ${id}; loanmail edit ${id}${letterFlag} to change it), then loanmail send ${id}${letterFlag}`,
      );
      if (copy) lines.push(`      and send the copy: loanmail send ${id} --letter ${copy.messageRowId}`);
      if (result.referral) lines.push(...referralLines(result.referral, result.caseRecord.tag));
      return lines.join("\n");
    },
  );
  return 0;
}

/** A `--letter N` option: a letter's number as `show` lists it. */
function letterOption(value: string | undefined): number | undefined {
  return value === undefined ? undefined : checkPositiveInt(value, "--letter", 1_000_000_000);
}

/** `edit CASE`: edit the draft in $VISUAL / $EDITOR, or change its exhibits with --attach / --detach. */
async function runEdit(
  ctx: Context,
  ref: string,
  opts: { allowSensitive?: boolean; letter?: string; attach?: string[]; detach?: string[] },
): Promise<number> {
  const { editDraft } = await import("../../app/edit.js");
  const r = await editDraft(ctx, ref, {
    editor: ctx.env.VISUAL || ctx.env.EDITOR || undefined,
    allowSensitive: opts.allowSensitive === true,
    letter: letterOption(opts.letter),
    attach: opts.attach ?? [],
    detach: opts.detach ?? [],
    reopenOnRefusal: canAsk(ctx),
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
      ...(r.exhibits ? { exhibits: r.exhibits, detached: r.detached ?? [] } : {}),
    },
    () =>
      r.exhibits
        ? [
            `Changed the exhibits of letter ${r.messageRowId} of ${r.caseRecord.tag}; it was checked and rebuilt.`,
            ...(r.detached ?? []).map((f) => `  detached ${f}`),
            ...(r.exhibits.length > 0 ? r.exhibits.map((e) => `  ${e.fileName}`) : ["  no exhibits"]),
          ].join("\n")
        : r.changed
          ? `Edited letter ${r.messageRowId} of ${r.caseRecord.tag}; it was checked and rebuilt.`
          : `No changes to ${r.caseRecord.tag}.`,
  );
  return 0;
}

/**
 * `mailed CASE --tracking T [--date D] [--delivered D] [--receipt F] [--green-card F] [--tracking-proof F]`: a
 * letter that went by (certified) post. The first call records the mailing; a later call with --delivered records
 * the delivery date from the carrier's tracking; proof files given alone are kept with the letter already mailed.
 */
async function runMailed(
  ctx: Context,
  ref: string,
  opts: {
    tracking?: string;
    date?: string;
    delivered?: string;
    letter?: string;
    receipt?: string;
    greenCard?: string;
    trackingProof?: string;
  },
): Promise<number> {
  const letter = letterOption(opts.letter);
  const { recordMailing } = await import("../../app/mailing.js");
  const proof = { receipt: opts.receipt, greenCard: opts.greenCard, trackingProof: opts.trackingProof };
  const r = await recordMailing(ctx, ref, { ...opts, letter, proof });
  for (const w of r.warnings) ctx.out.warn(w);
  const tag = r.caseRecord.tag;
  ctx.out.result(
    {
      case: tag,
      message: r.messageRowId,
      recorded: r.recorded,
      tracking: r.tracking,
      mailedOn: r.mailedOn,
      deliveredOn: r.deliveredOn,
      designation: r.designation ?? null,
      ...(r.printedPdf !== undefined ? { printedPdf: r.printedPdf } : {}),
      proofs: r.proofs,
      warnings: r.warnings,
    },
    () => {
      const kept = r.proofs.map((p) => `\nKept ${p.kind} ${p.name} (sha256 ${p.sha256.slice(0, 16)}…)`).join("");
      if (r.recorded === "proof") return `Kept proof with letter ${r.messageRowId} of ${tag}.${kept}`;
      const d = r.designation;
      const effect = !d
        ? ""
        : d.designated
          ? `\nMailed to ${d.where}: its Reg X clocks ${r.deliveredOn ? `run from its delivery on ${r.deliveredOn}` : "start on the day it is delivered"}.`
          : `\nReg X clocks do not run: ${d.why} (12 C.F.R. 1024.35(c), 1024.36(b)).`;
      if (r.recorded === "delivery")
        return `Recorded delivery of letter ${r.messageRowId} of ${tag} on ${r.deliveredOn}.${effect}${kept}`;
      const pdf = r.printedPdf
        ? `\nThe PDF printed by loanmail (sha256 ${r.printedPdf.slice(0, 16)}…) is kept as the copy mailed.`
        : "";
      return (
        `Recorded letter ${r.messageRowId} of ${tag} as mailed on ${r.mailedOn} (tracking ${r.tracking})` +
        (r.deliveredOn
          ? `, delivered ${r.deliveredOn}.`
          : `.\nWhen tracking shows delivery: loanmail mailed ${r.caseRecord.id} --delivered YYYY-MM-DD`) +
        effect +
        pdf +
        kept
      );
    },
  );
  return 0;
}

/** `send CASE [--dry-run] [--resend-unknown MSG]`: the case's drafts over SMTP, exactly once. */
async function runSend(
  ctx: Context,
  ref: string,
  opts: { dryRun?: boolean; resendUnknown?: string; letter?: string },
): Promise<number> {
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
      scope: ctx,
    },
    ref,
    { dryRun: opts.dryRun === true, resendUnknown: opts.resendUnknown, letter: letterOption(opts.letter) },
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
  opts: { via?: string; date?: string; file?: string; letter?: string },
): Promise<number> {
  const { recordSentElsewhere } = await import("../../app/sent-elsewhere.js");
  const r = recordSentElsewhere(ctx, ref, { ...opts, letter: letterOption(opts.letter) });
  ctx.out.result(
    {
      case: r.caseRecord.tag,
      message: r.messageRowId,
      via: r.via,
      sentOn: r.sentOn,
      proof: r.proof ?? null,
      designation: r.designation,
    },
    () =>
      `Recorded letter ${r.messageRowId} of ${r.caseRecord.tag} as sent by ${r.via} on ${r.sentOn}.` +
      (!r.designation
        ? ""
        : r.designation.designated
          ? `\nIt reached ${r.designation.where}: its Reg X clocks run from ${r.sentOn}.`
          : `\nReg X clocks do not run: ${r.designation.why} (12 C.F.R. 1024.35(c), 1024.36(b)).`),
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
          flags: "--copy-to <where>",
          description: "also draft an informal email copy of the formal letter (starts no Reg X clock)",
          choices: ["correspondence"],
        },
        {
          flags: "--allow-sensitive",
          description: "send even though the letter seems to contain an SSN or a full bank/card number",
        },
        {
          flags: "--dated <date>",
          description: "the day you wrote it, for a letter written before you record it (YYYY-MM-DD)",
        },
        {
          flags: "--servicer-form <file>",
          description: "third-party-authorization: the servicer's own form, attached as the first exhibit",
        },
        {
          flags: "--prior-servicer [servicer]",
          description: "address it to the servicer before a transfer (default the last one), at its notice address",
        },
        {
          flags: "--lang <lang>",
          description: "the letter's language (default: the loan's, else the client's if Spanish, else en)",
          choices: LETTER_LANGUAGES,
        },
      ],
      run: runCompose,
    },
    {
      name: "edit <case>",
      description: "edit a case's draft in $EDITOR; the letter is rebuilt and checked again",
      options: [
        { flags: "--allow-sensitive", description: "accept an SSN or a full bank/card number in the edited text" },
        { flags: "--letter <n>", description: "which draft of the case (its number in show), when it has several" },
        {
          flags: "--attach <file[=label]>",
          description: "add a PDF, JPEG or PNG as an exhibit (repeat); no editor opens",
          repeat: true,
        },
        {
          flags: "--detach <exhibit>",
          description: "take an exhibit off (its letter, label or file name; repeat)",
          repeat: true,
        },
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
        { flags: "--receipt <file>", description: "keep the certified-mail receipt (PS Form 3800) scan as proof" },
        {
          flags: "--green-card <file>",
          description: "keep the return receipt (PS Form 3811, green card) scan as proof",
        },
        { flags: "--tracking-proof <file>", description: "keep a USPS tracking page saved as PDF as proof" },
      ],
      run: runMailed,
    },
    {
      name: "send <case>",
      description: "send the case's letter over SMTP, exactly once (--letter N when it has several)",
      options: [
        { flags: "--dry-run", description: "show what would go and to whom; send nothing" },
        {
          flags: "--resend-unknown <msg>",
          description: "resend a letter whose outcome is unknown (only if you are sure it did not arrive)",
        },
        { flags: "--letter <n>", description: "which letter of the case, when it has several to send" },
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
        { flags: "--letter <n>", description: "which letter of the case, when it has several drafts" },
      ],
      run: runSent,
    },
  ],
};
