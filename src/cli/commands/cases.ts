/** `loanmail cases`: every case, newest first. */
import { listCases } from "../../store/cases.js";
import { requireClient } from "../../store/loans.js";
import { listUnfiled } from "../../store/mail.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";

export function runCases(ctx: Context, opts: { status?: string }): number {
  const db = ctx.db();
  const clientId = ctx.options.client ? requireClient(db, ctx.options.client) : undefined;
  const cases = listCases(db, { status: opts.status, clientId });
  const unfiled = listUnfiled(db);
  ctx.out.result({ cases, unfiled }, () => {
    const table =
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
          );
    if (unfiled.length === 0) return table;
    const rows = unfiled.map((m) => [
      String(m.id),
      m.servicerName ?? "-",
      m.date?.slice(0, 10) ?? "-",
      m.replyClass ?? "-",
      m.subject ?? "",
    ]);
    return `${table}\n\nUnfiled mail (file it with: loanmail file MSG CASE)\n${formatTable(["MSG", "SERVICER", "DATE", "CLASS", "SUBJECT"], rows)}`;
  });
  return 0;
}
