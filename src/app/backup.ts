/**
 * A consistent copy of the database (SQLite's online backup, safe while other loanmail commands run), owner-only.
 * config.toml holds no secret and is small: it is not part of the copy.
 */
import { existsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { UserError } from "../errors.js";
import { backupDatabase } from "../store/db.js";
import type { Session } from "./session.js";

/** Copy the database to the file `out` in an existing folder; returns the number of pages copied. */
export async function backupTo(s: Session, out: string): Promise<number> {
  if (existsSync(out) && statSync(out).isDirectory())
    throw new UserError(`${out} is a folder`, { code: "OUT_IS_FOLDER", hint: "give a file name" });
  if (!existsSync(dirname(resolve(out)))) {
    throw new UserError(`the folder of ${out} does not exist`, {
      code: "OUTPUT_FOLDER_MISSING",
      hint: "create it first, or give a path in an existing folder",
    });
  }
  return backupDatabase(s.db(), out);
}
