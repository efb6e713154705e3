/**
 * `loanmail backup --out FILE`: a consistent copy of the database (SQLite's online backup, safe while other
 * loanmail commands run), owner-only. config.toml holds no secret and is small: copy it beside if you want it.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UserError } from "../../errors.js";
import { backupDatabase } from "../../store/db.js";
import type { Context } from "../context.js";

export async function runBackup(ctx: Context, opts: { out?: string }): Promise<number> {
  const out = opts.out;
  if (!out) throw new UserError("--out is required", "for example: loanmail backup --out loanmail-2026-11-27.db");
  if (existsSync(out) && statSync(out).isDirectory())
    throw new UserError(`${out} is a folder`, "give a file name for --out");
  if (!existsSync(dirname(resolve(out)))) {
    throw new UserError(`the folder of ${out} does not exist`, "create it first, or give a path in an existing folder");
  }
  const pages = await backupDatabase(ctx.db(), out);
  ctx.out.result(
    { out, pages },
    () => `Wrote a copy of the database to ${out} (${pages} pages). Keep it somewhere only you can read.`,
  );
  return 0;
}
