/** Where loanmail keeps its data: --home, else LOANMAIL_HOME, else $XDG_DATA_HOME/loanmail. */
import { mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { isErrno, UserError } from "../errors.js";

export interface HomePaths {
  dir: string;
  db: string;
  config: string;
}

/** Pure: choose the home folder from a flag and an environment. */
export function resolveHome(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): HomePaths {
  const base =
    flag ?? env.LOANMAIL_HOME ?? join(env.XDG_DATA_HOME ?? join(env.HOME ?? ".", ".local", "share"), "loanmail");
  const dir = resolve(base);
  return { dir, db: join(dir, "loanmail.db"), config: join(dir, "config.toml") };
}

/** A file (or a path through one) where the home should be: found after mkdir or by mkdir itself. */
function notAFolder(dir: string): UserError {
  return new UserError(`${dir} is not a folder`, { code: "HOME_NOT_A_FOLDER", hint: "choose another home folder" });
}

/** Create the home folder (0700) if needed; an unwritable place is a user error. */
export function ensureHomeDir(home: HomePaths): void {
  try {
    mkdirSync(home.dir, { recursive: true, mode: 0o700 });
    if (!statSync(home.dir).isDirectory()) throw notAFolder(home.dir);
  } catch (err) {
    // A read-only mount reports ENOENT for a missing parent that cannot be made.
    if (isErrno(err, "EACCES", "EPERM", "EROFS", "ENOENT")) {
      throw new UserError(`cannot create the loanmail home ${home.dir} (${(err as NodeJS.ErrnoException).code})`, {
        code: "HOME_NOT_CREATABLE",
        hint: "choose a folder you can write as the loanmail home",
      });
    }
    if (isErrno(err, "EEXIST", "ENOTDIR")) {
      throw notAFolder(home.dir);
    }
    throw err;
  }
}
