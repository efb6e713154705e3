/** `loanmail sync` and `loanmail import FILE.eml ...`: replies into the record, through one ingest path. */
import { importMessageFiles } from "../../app/ingest.js";
import { acquireLock } from "../../app/lock.js";
import { markOrphanedSends, resolveUnknown } from "../../app/send.js";
import { syncAccount } from "../../app/sync.js";
import { UserError } from "../../errors.js";
import { listOutboxByState } from "../../store/mail.js";
import type { Context } from "../context.js";
import { mailContext } from "../mail-context.js";

export async function runSync(ctx: Context): Promise<number> {
  const mail = mailContext(ctx);
  const db = ctx.db();
  const release = acquireLock(ctx.home.dir, "sync");
  try {
    // A row in `sending` is orphaned only if no send is running: take the send lock to know.
    try {
      const releaseSend = acquireLock(ctx.home.dir, "send");
      try {
        markOrphanedSends(db, new Date().toISOString());
      } finally {
        releaseSend();
      }
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
    }
    const tty = process.stderr.isTTY === true && !ctx.options.json;
    const report = await syncAccount({
      db,
      prefix: ctx.prefix(),
      account: mail.account,
      creds: mail.creds(),
      ca: mail.ca,
      now: () => new Date(),
      progress: tty ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined,
    });
    if (tty) process.stderr.write("\r\x1b[K");
    // Letters whose sending is unknown: the sync may have seen their self copy already; else search for them.
    const unknown = listOutboxByState(db, "unknown").filter(
      (m) => m.account === null || m.account === mail.account.name,
    );
    const resolved = await resolveUnknown(
      { db, openImap: mail.openImap, now: () => new Date() },
      unknown.map((m) => m.id),
    );
    const totals = report.mailboxes.reduce(
      (t, m) => ({ new: t.new + m.new, filed: t.filed + m.filed, unfiled: t.unfiled + m.unfiled }),
      { new: 0, filed: 0, unfiled: 0 },
    );
    ctx.out.result({ ...report, totals, resolvedUnknown: resolved }, () => {
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
      for (const r of resolved) lines.push(`Letter ${r.id} was found in ${r.mailbox}: marked sent.`);
      if (totals.unfiled > 0)
        lines.push("Unfiled servicer mail is listed by loanmail cases; file it with loanmail file MSG CASE.");
      return lines.join("\n");
    });
    return 0;
  } finally {
    release();
  }
}

export async function runImport(ctx: Context, files: string[]): Promise<number> {
  const results = await importMessageFiles({ db: ctx.db(), prefix: ctx.prefix(), now: () => new Date() }, files);
  ctx.out.result(
    {
      imported: results.map((r) => ({
        file: r.file,
        message: r.messageRowId,
        new: r.isNew,
        case: r.caseId,
        class: r.replyClass,
      })),
    },
    () =>
      results
        .map(
          (r) =>
            `${r.file}: message ${r.messageRowId}${r.isNew ? "" : " (already held)"}, ${r.caseId === null ? "unfiled" : `case ${r.caseId}`}, ${r.replyClass}`,
        )
        .join("\n"),
  );
  return 0;
}
