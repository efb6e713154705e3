/** Messages that come in: `sync`, `import`, `received`, `show-message`, `file`, `classify`. */
import { REPLY_CLASSES } from "../../domain/reply-classes.js";
import { isoDateIn } from "../../domain/time-zone.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { replyLines } from "../reply-text.js";

async function runShowMessage(ctx: Context, ref: string): Promise<number> {
  const { messageDetails } = await import("../../app/messages.js");
  const m = messageDetails(ctx, ref);
  ctx.out.result({ message: m }, () =>
    [
      `Message ${m.id}  ${m.direction === "in" ? "received" : "letter out"}  ${m.caseTag ? `case ${m.caseTag}` : "UNFILED"}  class: ${m.replyClass ?? "-"}`,
      `From: ${m.from ?? ""}`,
      `To: ${m.to.join(", ")}`,
      `Subject: ${m.subject ?? ""}`,
      ...(m.reply ? replyLines(m, m.reply, (iso) => iso) : [`Date: ${m.date ?? "(none)"}`]),
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
  const { message: m, case: c } = fileMessage(ctx, ref, caseRef);
  ctx.out.result({ message: m.id, case: c.tag }, () => `Filed message ${m.id} to ${c.tag}.`);
  return 0;
}

async function runClassify(ctx: Context, ref: string, cls: string, opts: { confirm?: boolean }): Promise<number> {
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
  const tty = process.stderr.isTTY === true && !ctx.options.json;
  const { syncAll } = await import("../../app/sync.js");
  const report = await syncAll({
    db,
    prefix: ctx.prefix(),
    lockDir: ctx.home.dir,
    now: () => new Date(),
    mail,
    dkim: opts.verifyDkim ? {} : undefined,
    progress: tty
      ? { show: (line) => process.stderr.write(`\r\x1b[K${line}`), clear: () => process.stderr.write("\r\x1b[K") }
      : undefined,
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
  return `\n  ${r.trust.toUpperCase()}: ${r.trustWhy.join("; ")}\n  It meets no clock until you confirm it: loanmail classify ${r.messageRowId} ${r.replyClass} --confirm`;
}

/** `import FILE.eml ...`: saved messages through the same path as sync. */
async function runImport(ctx: Context, files: string[], opts: { verifyDkim?: boolean }): Promise<number> {
  const { importMessageFiles } = await import("../../app/ingest.js");
  const results = await importMessageFiles(
    {
      db: ctx.db(),
      prefix: ctx.prefix(),
      now: () => new Date(),
      config: () => ctx.config(),
      dkim: opts.verifyDkim ? {} : undefined,
    },
    files,
  );
  ctx.out.result(
    {
      imported: results.map((r) => ({
        file: r.file,
        message: r.messageRowId,
        new: r.isNew,
        case: r.caseId,
        class: r.replyClass,
        trust: r.trust,
        trustWhy: r.trustWhy,
        arrivedAt: r.arrivedAt,
        arrival: r.arrival,
        messageIdReused: r.messageIdReused,
        sentOn: r.sentOn ?? null,
      })),
    },
    () =>
      results
        .map(
          (r) =>
            `${r.file}: message ${r.messageRowId}${r.isNew ? "" : " (already held)"}, ${r.caseId === null ? "unfiled" : `case ${r.caseId}`}, ${r.replyClass}${r.sentOn ? ` on ${r.sentOn} (your own letter, recorded as sent; it starts no clock)` : ""}${
              r.messageIdReused ? ", Message-ID reused (another message held it with other bytes)" : ""
            }${r.arrival === "recorded" && r.isNew ? ", arrival not proven (no Received field of your server)" : ""}${standingText(r)}`,
        )
        .join("\n"),
  );
  return 0;
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
    },
    { caseRef: ref, ...opts },
  );
  for (const w of r.warnings) ctx.out.warn(w);
  ctx.out.result(
    { case: r.caseRecord.tag, message: r.messageRowId, via: r.via, on: r.on, class: r.replyClass },
    () =>
      `Recorded message ${r.messageRowId}: a ${r.replyClass} reply received by ${r.via} on ${r.on} for ${r.caseRecord.tag}.`,
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
      description: "import saved .eml messages through the same path as sync",
      options: [VERIFY_DKIM],
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
      name: "classify <msg> <class>",
      description:
        "correct a reply's class (acknowledgment, extension, exception, documents-requested, response, other)",
      options: [
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
