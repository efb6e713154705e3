/**
 * `loanmail received CASE`: kept in its own file only so that this branch builds without clocks.ts; the
 * conversion of the message commands replaces it with a handler in message.ts.
 */
import { isoDateIn } from "../../domain/time-zone.js";
import type { Context } from "../context.js";

/** A reply on paper or through a portal: the scan is kept as an exhibit; the reply meets clocks as email does. */
export async function runReceived(
  ctx: Context,
  ref: string,
  opts: { date?: string; file?: string; via?: string; class?: string },
): Promise<number> {
  // Loaded here, not at the top: the ingest path brings the mail parser, which `due` and `deadline` never need.
  const { recordReceivedReply } = await import("../../app/ingest.js");
  const r = await recordReceivedReply(
    { db: ctx.db(), prefix: ctx.prefix(), now: ctx.now, today: () => isoDateIn(ctx.now, ctx.timeZone()) },
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
