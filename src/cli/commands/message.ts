/** Messages that come in: `sync`, `import`, `received`, `show-message`, `file`, `classify`. */

import type { ImportedFile, ImportedMessage } from "../../app/import-files.js";
import type { ReplyClassInfo as ClassInfo } from "../../app/reply-class-info.js";
import type { ClassExplanation as Explanation } from "../../app/reply-explain.js";
import { REPLY_CLASSES } from "../../domain/reply-classes.js";
import { isoDateIn } from "../../domain/time-zone.js";
import { withArticle } from "../../domain/words.js";
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { formatWhen } from "../dates.js";
import { progressFor } from "../progress.js";
import { confirmHint, replyLines } from "../reply-text.js";

function pct(x: number | null): string {
  return x === null ? "?" : `${Math.round(x * 100)}%`;
}

/** A reply's class in words: who set it, how sure the classifier was, and what that means for the clocks. */
function classLines(info: ClassInfo): string[] {
  const a = info.atArrival;
  if (info.setBy === "user") {
    const last = info.changes.at(-1);
    return [`Class: ${info.stored} (set by you${last ? ` on ${last.at.slice(0, 10)}` : ""})`];
  }
  if (info.stored === "needs-review")
    return [
      `Class: needs-review: the classifier was ${pct(a?.confidence ?? null)} sure it is ${a?.guess ?? "?"}; it meets no clock until you classify it`,
      ...(a ? [`Why: ${a.reasons.join("; ")}`] : []),
    ];
  return [
    `Class: ${info.stored ?? "-"}${a?.confidence != null ? ` (classifier, ${pct(a.confidence)} sure)` : ""}`,
    ...(a ? [`Why: ${a.reasons.join("; ")}`] : []),
  ];
}

function explanationText(x: Explanation): string {
  const n = x.now;
  const ranked = Object.entries(n.probabilities).sort((p, q) => q[1] - p[1]);
  const t = x.thresholds;
  const lines = [
    `Message ${x.message}: class ${x.stored ?? "-"} (${x.setBy === "user" ? "set by you" : "set by the classifier when it arrived"})`,
  ];
  if (x.atArrival) lines.push(`When it arrived: ${x.atArrival.class}; ${x.atArrival.reasons.join("; ")}`);
  for (const c of x.changes) lines.push(`${c.at.slice(0, 10)}: you changed it from ${c.from ?? "-"} to ${c.to}`);
  lines.push("", `The classifier reads it now as: ${n.class}${n.class === n.guess ? "" : ` (best guess ${n.guess})`}`);
  if (n.correctedBy !== null) lines.push(`Decided by your class of message ${n.correctedBy}: ${n.reasons[0] ?? ""}`);
  lines.push(`Probabilities: ${ranked.map(([c, p]) => `${c} ${pct(p)}`).join(", ")}`);
  lines.push(`What made it ${n.guess} rather than ${n.runnerUp} (log-odds):`);
  for (const c of n.for) lines.push(`  +${c.weight.toFixed(2)}  ${c.label}`);
  if (n.against.length > 0) lines.push("Against:");
  for (const c of n.against) lines.push(`  −${Math.abs(c.weight).toFixed(2)}  ${c.label}`);
  lines.push(
    "",
    `A reply meets a clock only when the classifier is sure enough: response or exception ${pct(t.substantive)}, ` +
      `acknowledgment or extension ${pct(t.acknowledging)}, other or documents-requested ${pct(t.other)}; ` +
      "below that it needs review.",
    `Model: trained on ${x.model}.`,
  );
  return lines.join("\n");
}

async function runShowMessage(ctx: Context, ref: string): Promise<number> {
  const { messageDetails } = await import("../../app/messages.js");
  const m = messageDetails(ctx, ref);
  ctx.out.result({ message: m }, () =>
    [
      `Message ${m.id}  ${m.direction === "in" ? "received" : "letter out"}  ${m.caseTag ? `case ${m.caseTag}` : "UNFILED"}  class: ${m.replyClass ?? "-"}`,
      `From: ${m.from ?? ""}`,
      `To: ${m.to.join(", ")}`,
      `Subject: ${m.subject ?? ""}`,
      ...(m.parseError
        ? [`Parse error: ${m.parseError} (stored byte for byte; threaded by its header read on its own; body not read)`]
        : []),
      ...(m.reply
        ? replyLines(m, m.reply, (iso) => formatWhen(iso, ctx.timeZone()))
        : [`Date: ${m.date ? formatWhen(m.date, ctx.timeZone()) : "(none)"}`]),
      ...(m.classInfo ? classLines(m.classInfo) : []),
      `Message-ID: ${m.messageId ?? "(none)"}`,
      `SHA-256: ${m.rawSha256} (${m.size} bytes)`,
      ...(m.smtp
        ? [
            `Outbox: ${m.state ?? ""}${m.smtp.response ? ` (${m.smtp.response})` : ""}${m.smtp.rejected?.length ? `; refused: ${m.smtp.rejected.join(", ")}` : ""}`,
          ]
        : []),
      ...m.origins.map((o) => `Seen in: ${o.account}/${o.mailbox} UID ${o.uid}`),
      ...m.attachments.map((a) => `Attachment: ${a.fileName} (${a.contentType}, ${a.size} bytes)`),
      "",
      (m.bodyText ?? "(no text part)").trimEnd(),
    ].join("\n"),
  );
  return 0;
}

async function runFile(ctx: Context, ref: string, caseRef: string): Promise<number> {
  const { fileMessage } = await import("../../app/messages.js");
  const { message: m, case: c, warning } = fileMessage(ctx, ref, caseRef);
  if (warning) ctx.out.warn(warning);
  ctx.out.result(
    { message: m.id, case: c.tag, warnings: warning ? [warning] : [] },
    () => `Filed message ${m.id} to ${c.tag}.`,
  );
  return 0;
}

async function runClassify(
  ctx: Context,
  ref: string,
  cls: string | undefined,
  opts: { explain?: boolean; confirm?: boolean },
): Promise<number> {
  if (opts.explain) {
    if (cls !== undefined)
      throw new UserError("give a class to record, or --explain to see how the class was decided, not both", {
        code: "USAGE",
        hint: `loanmail classify ${ref} CLASS, then loanmail classify ${ref} --explain`,
      });
    const { explainMessage } = await import("../../app/reply-explain.js");
    const x = await explainMessage(ctx, ref);
    ctx.out.result({ explanation: x }, () => explanationText(x));
    return 0;
  }
  if (cls === undefined)
    throw new UserError("classify needs a class, or --explain", {
      code: "CLASSIFY_NEEDS_CLASS",
      hint: `loanmail classify ${ref} CLASS (${REPLY_CLASSES.join(", ")}), or loanmail classify ${ref} --explain`,
    });
  const { classifyMessage } = await import("../../app/messages.js");
  const m = classifyMessage(ctx, ref, cls, { confirm: opts.confirm });
  const confirmed = opts.confirm === true;
  ctx.out.result(
    { message: m.id, class: cls, previous: m.replyClass, ...(confirmed ? { confirmed: m.trust } : {}) },
    () =>
      `Message ${m.id} is now ${cls} (was ${m.replyClass ?? "unclassified"}).${
        confirmed
          ? ` You confirmed it came from the servicer (it was ${m.trust}: ${m.trustWhy.join("; ")}); it now meets clocks.`
          : m.trust !== null && m.trust !== "trusted" && m.trustConfirmedAt === null
            ? ` It is ${m.trust} and meets no clock until you confirm it: loanmail classify ${m.id} ${cls} --confirm`
            : ""
      }`,
  );
  return 0;
}

/** `sync`: replies fetched over IMAP into the record, through the one ingest path. */
async function runSync(ctx: Context, opts: { verifyDkim?: boolean }): Promise<number> {
  const { mailContext } = await import("../mail-context.js");
  const mail = mailContext(ctx);
  const db = ctx.db();
  const { syncAll } = await import("../../app/sync.js");
  const report = await syncAll({
    db,
    prefix: ctx.prefix(),
    scope: ctx,
    lockDir: ctx.home.dir,
    now: () => new Date(),
    mail,
    dkim: opts.verifyDkim ? {} : undefined,
    progress: await progressFor(ctx),
  });
  const { account, mailboxes, fetched, totals, resolvedUnknown } = report;
  ctx.out.result({ account, mailboxes, fetched, totals, resolvedUnknown }, () => {
    const parts = report.mailboxes.map((m) =>
      m.status === "missing"
        ? `${m.mailbox}: not on the server`
        : m.status === "unchanged"
          ? `${m.path}: unchanged`
          : `${m.path}: ${m.scanned} looked at, ${m.new} new${m.uidValidityChanged ? " (UIDVALIDITY changed: rescanned, nothing lost)" : ""}`,
    );
    const lines = [
      `Synced ${report.account}: ${parts.join("; ")}. New ${totals.new}: ${totals.filed} filed, ${totals.unfiled} unfiled.`,
    ];
    for (const r of resolvedUnknown) lines.push(`Letter ${r.id} was found in ${r.mailbox}: marked sent.`);
    if (totals.unfiled > 0)
      lines.push("Unfiled servicer mail is listed by loanmail cases; file it with loanmail file MSG CASE.");
    return lines.join("\n");
  });
  return 0;
}

/** A held-back reply's standing, for the import report: "unverified: From ... (meets no clock until confirmed)". */
function standingText(r: {
  messageRowId: number;
  trust: string | null;
  trustWhy: string[];
  replyClass: string;
}): string {
  if (r.trust === null || r.trust === "trusted") return "";
  const hint = confirmHint({ id: r.messageRowId, replyClass: r.replyClass });
  return `\n  ${r.trust.toUpperCase()}: ${r.trustWhy.join("; ")}\n  It meets no clock until you confirm it: ${hint}`;
}

/** One imported message as the text says it. */
function importedLine(m: ImportedMessage): string {
  const letter = m.sentOn ? ` on ${m.sentOn} (your own letter, recorded as sent; it starts no clock)` : "";
  const reused = m.messageIdReused ? ", Message-ID reused (another message held it with other bytes)" : "";
  const unproven = m.arrival === "recorded" && m.isNew ? ", arrival not proven (no Received field of your server)" : "";
  return `message ${m.messageRowId}${m.isNew ? "" : " (already held)"}, ${m.caseId === null ? "unfiled" : `case ${m.caseId}`}, ${m.replyClass}${letter}${reused}${unproven}${standingText(m)}`;
}

/** The text report: per file what came in; of an mbox or Maildir, the messages filed to a case or your letters. */
function importText(results: readonly ImportedFile[]): string {
  const lines: string[] = [];
  for (const r of results) {
    if (r.error) {
      lines.push(`${r.file}: refused, nothing from it imported: ${r.error.message}`);
    } else if (r.format === "eml") {
      for (const m of r.kept) lines.push(`${r.file}: ${importedLine(m)}`);
    } else {
      const n = (count: number, what: string) => `${count} ${what}${count === 1 ? "" : "s"}`;
      const skipped = r.skipped > 0 ? `, ${r.skipped} not about your loans (skipped)` : "";
      lines.push(
        `${r.file} (${r.format}): ${n(r.messages, "message")}: ${r.new} new, ${r.alreadyHeld} already held${skipped}; ${r.filed} filed to a case, ${r.unfiled} unfiled`,
      );
      for (const m of r.kept)
        lines.push(`  ${r.format === "mbox" ? "message" : "file"} ${m.index}: ${importedLine(m)}`);
    }
  }
  if (results.some((r) => r.format !== "eml" && r.unfiled > 0))
    lines.push("Unfiled mail is listed by loanmail cases; file what concerns a case with loanmail file MSG CASE.");
  return lines.join("\n");
}

/** `import FILE|FOLDER ...`: .eml files, mbox files and Maildir folders through the same path as sync. */
async function runImport(
  ctx: Context,
  files: string[],
  opts: { all?: boolean; verifyDkim?: boolean },
): Promise<number> {
  const { importFiles } = await import("../../app/import-files.js");
  const json = ctx.out.json;
  const results = await importFiles(
    {
      db: ctx.db(),
      prefix: ctx.prefix(),
      scope: ctx,
      now: () => new Date(),
      config: () => ctx.config(),
      dkim: opts.verifyDkim ? {} : undefined,
      all: opts.all === true,
      progress: await progressFor(ctx),
    },
    files,
    // --json lists every message; the text an .eml's, and of an mbox or Maildir those filed or your own letters.
    (m, format) => json || format === "eml" || m.caseId !== null || m.sentOn !== undefined,
  );
  const refused = results.filter((r) => r.error !== undefined);
  const first = refused[0]?.error;
  if (first && refused.length === results.length) {
    if (refused.length === 1) throw first;
    throw new UserError(`no file was imported: ${refused.map((r) => r.error?.message).join("; ")}`, {
      code: first.code,
      hint: first.hint,
    });
  }
  ctx.out.result(
    {
      files: results.map((r) => ({
        file: r.file,
        format: r.format,
        status: r.status,
        messages: r.messages,
        new: r.new,
        alreadyHeld: r.alreadyHeld,
        skipped: r.skipped,
        filed: r.filed,
        unfiled: r.unfiled,
        error: r.error ? { code: r.error.code, message: r.error.message, hint: r.error.hint ?? null } : null,
      })),
      imported: results.flatMap((r) =>
        r.kept.map((m) => ({
          file: m.file,
          index: m.index,
          message: m.messageRowId,
          new: m.isNew,
          case: m.caseId,
          class: m.replyClass,
          sentOn: m.sentOn ?? null,
          trust: m.trust,
          trustWhy: m.trustWhy,
          arrivedAt: m.arrivedAt,
          arrival: m.arrival,
          messageIdReused: m.messageIdReused,
        })),
      ),
    },
    () => importText(results),
  );
  if (!first) return 0;
  ctx.out.error(
    `${refused.length} of ${results.length} files refused, nothing from ${refused.length === 1 ? "it" : "them"} imported: ${refused.map((r) => r.file).join(", ")}; the others were imported`,
    "fix what the report says and import the refused files again (messages already held are recognised, not doubled)",
    first.code,
  );
  return 1;
}

/** `received CASE`: a reply on paper or through a portal; the scan is kept, and the reply meets clocks as email does. */
async function runReceived(
  ctx: Context,
  ref: string,
  opts: { date?: string; file?: string; via?: string; class?: string },
): Promise<number> {
  const { recordReceivedReply } = await import("../../app/ingest.js");
  const r = await recordReceivedReply(
    {
      db: ctx.db(),
      prefix: ctx.prefix(),
      now: ctx.now,
      today: () => isoDateIn(ctx.now, ctx.timeZone()),
      timeZone: () => ctx.timeZone(),
      limits: () => ctx.config().limits,
      scope: ctx,
    },
    { caseRef: ref, ...opts },
  );
  for (const w of r.warnings) ctx.out.warn(w);
  ctx.out.result(
    {
      case: r.caseRecord.tag,
      message: r.messageRowId,
      via: r.via,
      on: r.on,
      class: r.replyClass,
      already: r.already,
    },
    () =>
      r.already
        ? `Already recorded: message ${r.messageRowId}, ${withArticle(r.replyClass)} reply received by ${r.via} on ${r.on} for ${r.caseRecord.tag} (the same file); nothing new recorded.`
        : `Recorded message ${r.messageRowId}: ${withArticle(r.replyClass)} reply received by ${r.via} on ${r.on} for ${r.caseRecord.tag}.`,
  );
  return 0;
}

const VERIFY_DKIM = {
  flags: "--verify-dkim",
  description: "check each reply's DKIM signature (looks the signer's key up in DNS): one that fails is suspect",
};

export const messageCommands: CommandModule = {
  commands: [
    {
      name: "sync",
      description: "fetch replies over IMAP (read-only) and file them to their cases",
      options: [VERIFY_DKIM],
      run: runSync,
    },
    {
      name: "import <files...>",
      description: "import saved mail (.eml files, mbox files, Maildir folders) through the same path as sync",
      options: [
        {
          flags: "--all",
          description: "keep every message of an mbox or Maildir, not only mail about your loans (the rest unfiled)",
        },
        VERIFY_DKIM,
      ],
      run: runImport,
    },
    {
      name: "received <case>",
      description: "record a reply that came on paper or through a portal, with its scan",
      options: [
        { flags: "--date <date>", description: "the day it arrived (YYYY-MM-DD)" },
        { flags: "--file <scan>", description: "the scan or download" },
        { flags: "--via <how>", description: "how it came", choices: ["post", "portal", "fax"] },
        { flags: "--class <class>", description: "what it is", choices: REPLY_CLASSES },
      ],
      run: runReceived,
    },
    {
      name: "show-message <msg>",
      description: "show one stored message: headers, class, case, where it was seen, text",
      run: runShowMessage,
    },
    {
      name: "file <msg> <case>",
      description: "file a received message to a case",
      run: runFile,
    },
    {
      name: "classify <msg> [class]",
      description:
        "set a reply's class (acknowledgment, extension, exception, documents-requested, response, other); " +
        "later replies in the same words from the same servicer follow it. --explain: how its class was decided",
      options: [
        { flags: "--explain", description: "show what decided the class: words, cues, confidence" },
        {
          flags: "--confirm",
          description:
            "you checked that a suspect or unverified reply really came from the servicer: let it meet clocks",
        },
      ],
      run: runClassify,
    },
  ],
};
