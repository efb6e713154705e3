/** `loanmail send CASE [--dry-run] [--resend-unknown MSG]` and `loanmail sent CASE --via ...`. */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { isoDateIn } from "../../app/letter-record.js";
import { acquireLock } from "../../app/lock.js";
import { sendCase } from "../../app/send.js";
import { isValidIsoDate } from "../../domain/fields.js";
import { EXIT, isErrno, UserError } from "../../errors.js";
import { requireCase, setCaseStatus } from "../../store/cases.js";
import { appendCaseEvent } from "../../store/events.js";
import { listCaseMessages, putBlob, setMessageState } from "../../store/messages.js";
import type { Context } from "../context.js";
import { mailContext } from "../mail-context.js";

export async function runSend(
  ctx: Context,
  ref: string,
  opts: { dryRun?: boolean; resendUnknown?: string },
): Promise<number> {
  const c = requireCase(ctx.db(), ref, ctx.prefix());
  const unsent = listCaseMessages(ctx.db(), c.id).filter((m) => m.direction === "out" && m.state !== "sent");
  if (opts.resendUnknown === undefined && unsent.length > 0 && unsent.every((m) => m.channel === "post")) {
    throw new UserError(
      `case ${c.tag}'s letter goes by post, not email`,
      `print it with: loanmail show ${c.id} --pdf letter.pdf, mail it certified, then: loanmail mailed ${c.id} --tracking NUMBER`,
    );
  }
  const mail = mailContext(ctx);
  const release = opts.dryRun ? () => {} : acquireLock(ctx.home.dir, "send");
  try {
    const report = await sendCase(
      {
        db: ctx.db(),
        config: ctx.config(),
        prefix: ctx.prefix(),
        account: mail.account,
        get creds() {
          return mail.creds();
        },
        now: () => new Date(),
        openSmtp: mail.openSmtp,
        openImap: mail.openImap,
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
            lines.push(
              `${head}\n  FAILED (${l.retryable ? "will retry on the next send" : "permanent"}): ${l.response}`,
            );
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
  } finally {
    release();
  }
}

interface SentOptions {
  via?: string;
  date?: string;
  file?: string;
}

/** A letter that left another way (portal upload, fax, delivered by hand), with optional proof. */
export function runSent(ctx: Context, ref: string, opts: SentOptions): number {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  const via = opts.via;
  if (via !== "portal" && via !== "fax" && via !== "hand") {
    throw new UserError(
      "--via must be portal, fax or hand",
      `for example: loanmail sent ${c.id} --via portal --date 2026-03-05`,
    );
  }
  const today = isoDateIn(ctx.now, ctx.timeZone());
  if (!opts.date || !isValidIsoDate(opts.date))
    throw new UserError("--date YYYY-MM-DD is required", "the day the letter left");
  if (opts.date > today) throw new UserError(`--date ${opts.date} is in the future`, "record it once it has happened");
  const draft = [...listCaseMessages(db, c.id)].reverse().find((m) => m.direction === "out" && m.state === "draft");
  if (!draft)
    throw new UserError(
      `case ${c.tag} has no unsent letter`,
      `compose one first: loanmail compose KIND --case ${c.id}`,
    );
  let proof: { name: string; sha256: string } | undefined;
  let bytes: Buffer | undefined;
  if (opts.file) {
    try {
      bytes = readFileSync(opts.file);
    } catch (err) {
      throw new UserError(
        `--file ${opts.file}: ${isErrno(err, "ENOENT") ? "no such file" : (err as Error).message}`,
        "give the confirmation or receipt file",
      );
    }
  }
  db.transaction(() => {
    if (bytes && opts.file) proof = { name: basename(opts.file), sha256: putBlob(db, bytes) };
    db.prepare("UPDATE messages SET channel = ? WHERE id = ?").run(via, draft.id);
    setMessageState(db, draft.id, "sent", ctx.nowIso);
    if (c.status === "draft") setCaseStatus(db, c.id, "open", ctx.nowIso);
    appendCaseEvent(db, c, {
      at: ctx.nowIso,
      type: "sent",
      actor: "user",
      messageId: draft.id,
      data: { via, sent_on: opts.date, proof, sha256: draft.rawSha256 },
    });
  })();
  ctx.out.result(
    { case: c.tag, message: draft.id, via, sentOn: opts.date, proof: proof ?? null },
    () => `Recorded letter ${draft.id} of ${c.tag} as sent by ${via} on ${opts.date}.`,
  );
  return 0;
}
