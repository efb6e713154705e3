/**
 * A consistent copy of the database (SQLite's online backup, safe while other loanmail commands run), owner-only.
 * config.toml holds no secret and is small: it is not part of the copy. The copy is written as any output the user
 * names (src/config/safe-files.ts): only as a regular file, replaced only with `--force`, through a partial file
 * that takes the name once the copy is complete.
 */
import { checkOutput, type OutputTarget, writeOutput } from "../config/safe-files.js";
import { backupDatabase } from "../store/db.js";
import { refuseFence } from "./client-scope.js";
import type { Session } from "./session.js";

/** Copy the database to the file `out` in an existing folder; returns the number of pages copied. */
export async function backupTo(s: Session, out: string, force = false): Promise<number> {
  refuseFence(s, "backup");
  const target: OutputTarget = {
    path: out,
    who: `--out ${out}`,
    force,
    codes: { notWritable: "BACKUP_NOT_WRITABLE", isFolder: "OUT_IS_FOLDER" },
  };
  checkOutput(target);
  const db = s.db();
  let pages = 0;
  await writeOutput(target, async (partial) => {
    pages = await backupDatabase(db, partial.path);
  });
  return pages;
}
