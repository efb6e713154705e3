/** `loanmail sync` and `loanmail import FILE.eml ...`: replies into the record, through one ingest path. */
import { closeSync, openSync, readFileSync, readSync } from "node:fs";
import { commitIncoming, planImported, prepareIncoming } from "../../app/ingest.js";
import { syncAll } from "../../app/sync.js";
import { isErrno, UserError } from "../../errors.js";
import { readThreadIndex } from "../../store/mail.js";
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
  const db = ctx.db();
  const prefix = ctx.prefix();
  const results: { file: string; message: number; new: boolean; case: number | null; class: string }[] = [];
  // Check every file before storing any (a bad one changes nothing), then read them one at a time.
  for (const file of files) {
    const head = readHead(file);
    if (head.length === 0 || !/^[\x21-\x39\x3b-\x7e]+:/m.test(head.toString("latin1"))) {
      throw new UserError(
        `${file} does not look like an email message (no header lines)`,
        "save the message as .eml (raw source) and import that",
      );
    }
  }
  for (const file of files) {
    const raw = readFileSync(file);
    const index = readThreadIndex(db, prefix);
    const { decision, parsed } = await planImported(raw, index);
    if (decision.action === "own-copy") {
      const own = db
        .prepare("SELECT id, case_id FROM messages WHERE message_id = ? AND direction = 'out'")
        .get(parsed.messageId) as { id: number; case_id: number | null };
      results.push({ file, message: own.id, new: false, case: own.case_id, class: "own letter" });
      continue;
    }
    // An imported file is the user's deliberate choice: keep it even when nothing threads it (it lands unfiled).
    const keep =
      decision.action === "keep"
        ? decision
        : { action: "keep" as const, caseId: null, servicerId: null, filedBy: null };
    const prepared = await prepareIncoming(raw, keep, index, { internalDate: null, uid: null }, parsed);
    const r = db.transaction(() => commitIncoming(db, prepared, null, new Date().toISOString()))();
    results.push({ file, message: r.messageRowId, new: r.isNew, case: r.caseId, class: prepared.classification.class });
  }
  ctx.out.result({ imported: results }, () =>
    results
      .map(
        (r) =>
          `${r.file}: message ${r.message}${r.new ? "" : " (already held)"}, ${r.case === null ? "unfiled" : `case ${r.case}`}, ${r.class}`,
      )
      .join("\n"),
  );
  return 0;
}

/** The first 4 KB of a file, or a UserError naming it. */
function readHead(file: string): Buffer {
  try {
    const fd = openSync(file, "r");
    try {
      const buf = Buffer.alloc(4096);
      return buf.subarray(0, readSync(fd, buf, 0, buf.length, 0));
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new UserError(
      `${file}: ${isErrno(err, "ENOENT") ? "no such file" : isErrno(err, "EISDIR") ? "a folder, not a file" : (err as Error).message}`,
      "give .eml files saved from your mail program",
    );
  }
}
