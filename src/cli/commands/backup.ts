/**
 * `loanmail backup --out FILE`: a consistent copy of the database, owner-only (see src/app/backup.ts).
 * config.toml holds no secret and is small: copy it beside if you want it.
 */
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";

export async function runBackup(ctx: Context, opts: { out?: string }): Promise<number> {
  const out = opts.out;
  if (!out) throw new UserError("--out is required", "for example: loanmail backup --out loanmail-2026-11-27.db");
  const { backupTo } = await import("../../app/backup.js");
  const pages = await backupTo(ctx, out);
  ctx.out.result(
    { out, pages },
    () => `Wrote a copy of the database to ${out} (${pages} pages). Keep it somewhere only you can read.`,
  );
  return 0;
}
