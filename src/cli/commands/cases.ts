/** `loanmail cases`: every case, newest first. */
import { listCases } from "../../store/cases.js";
import { requireClient } from "../../store/loans.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";

export function runCases(ctx: Context, opts: { status?: string }): number {
  const db = ctx.db();
  const clientId = ctx.options.client ? requireClient(db, ctx.options.client) : undefined;
  const cases = listCases(db, { status: opts.status, clientId });
  ctx.out.result({ cases }, () =>
    cases.length === 0
      ? "No cases. Compose a letter: loanmail compose KIND --loan ID"
      : formatTable(
          ["CASE", "TAG", "KIND", "STATUS", "CHANNEL", "ACCOUNT", "SERVICER", "OPENED"],
          cases.map((c) => [
            String(c.id),
            c.tag,
            c.kind,
            c.status,
            c.formal ? `${c.channel} (formal)` : c.channel,
            c.accountNumber,
            c.servicerName,
            c.openedAt.slice(0, 10),
          ]),
        ),
  );
  return 0;
}
