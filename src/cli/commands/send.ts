/** `loanmail send CASE [--dry-run] [--resend-unknown MSG]` and `loanmail sent CASE --via ...`. */
import { sendLetters } from "../../app/send.js";
import { recordSentElsewhere } from "../../app/sent-elsewhere.js";
import { EXIT } from "../../errors.js";
import type { Context } from "../context.js";
import { mailContext } from "../mail-context.js";

export async function runSend(
  ctx: Context,
  ref: string,
  opts: { dryRun?: boolean; resendUnknown?: string },
): Promise<number> {
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

interface SentOptions {
  via?: string;
  date?: string;
  file?: string;
}

/** A letter that left another way (portal upload, fax, delivered by hand), with optional proof. */
export function runSent(ctx: Context, ref: string, opts: SentOptions): number {
  const r = recordSentElsewhere(
    { db: ctx.db(), prefix: ctx.prefix(), config: () => ctx.config(), now: ctx.now },
    ref,
    opts,
  );
  ctx.out.result(
    { case: r.caseRecord.tag, message: r.messageRowId, via: r.via, sentOn: r.sentOn, proof: r.proof ?? null },
    () => `Recorded letter ${r.messageRowId} of ${r.caseRecord.tag} as sent by ${r.via} on ${r.sentOn}.`,
  );
  return 0;
}
