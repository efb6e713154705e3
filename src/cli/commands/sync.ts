/** `loanmail sync` and `loanmail import FILE.eml ...`: replies into the record, through one ingest path. */
import { importMessageFiles } from "../../app/ingest.js";
import { syncAll } from "../../app/sync.js";
import type { Context } from "../context.js";
import { mailContext } from "../mail-context.js";

export async function runSync(ctx: Context): Promise<number> {
  const mail = mailContext(ctx);
  const db = ctx.db();
  const tty = process.stderr.isTTY === true && !ctx.options.json;
  const report = await syncAll({
    db,
    prefix: ctx.prefix(),
    lockDir: ctx.home.dir,
    now: () => new Date(),
    mail,
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
