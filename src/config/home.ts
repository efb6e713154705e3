/** Where loanmail keeps its data: --home, else LOANMAIL_HOME, else $XDG_DATA_HOME/loanmail. */
import { mkdirSync, realpathSync, type Stats, statSync } from "node:fs";
import { userInfo } from "node:os";
import { join, resolve } from "node:path";
import { isErrno, UserError } from "../errors.js";
import { kindOf } from "./safe-files.js";

export interface HomePaths {
  dir: string;
  db: string;
  config: string;
}

/** Pure: choose the home folder from a flag and an environment. */
export function resolveHome(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): HomePaths {
  // An empty --home or LOANMAIL_HOME would resolve to the current folder: a typo, never a choice.
  if (flag !== undefined && flag.trim() === "")
    throw new UserError("--home is empty", { code: "HOME_EMPTY", hint: "give the home folder, or leave --home out" });
  if (flag === undefined && env.LOANMAIL_HOME !== undefined && env.LOANMAIL_HOME.trim() === "")
    throw new UserError("LOANMAIL_HOME is set but empty", {
      code: "HOME_EMPTY",
      hint: "unset LOANMAIL_HOME or give it the home folder",
    });
  const base =
    flag ?? env.LOANMAIL_HOME ?? join(env.XDG_DATA_HOME ?? join(env.HOME ?? ".", ".local", "share"), "loanmail");
  const dir = resolve(base);
  return { dir, db: join(dir, "loanmail.db"), config: join(dir, "config.toml") };
}

/** A file (or a path through one) where the home should be: found after mkdir or by mkdir itself. */
function notAFolder(dir: string): UserError {
  return new UserError(`${dir} is not a folder`, { code: "HOME_NOT_A_FOLDER", hint: "choose another home folder" });
}

/** The user running loanmail by name, else by uid (a uid with no name in the password file). */
function myName(uid: number): string {
  try {
    return userInfo().username;
  } catch {
    return String(uid);
  }
}

/** The refusal for one path of the home, or null when it is the user's and no one else may write it. */
/** Where a path really is (a link followed), or the path itself when it cannot be resolved. */
function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

function notPrivate(path: string, st: Stats, what: string, mode: string): UserError | null {
  const uid = process.getuid?.();
  if (uid === undefined) return null;
  if (st.uid !== uid) {
    const me = myName(uid);
    return new UserError(`${what} ${path} belongs to uid ${st.uid}, not to you (${me}, uid ${uid})`, {
      code: "HOME_NOT_PRIVATE",
      // The real path: `chown -R` does not follow a link given on its command line (a home reached by a symlink).
      hint: `if it is yours, take it back: sudo chown ${st.isDirectory() ? "-R " : ""}${me} ${realPathOf(path)}; otherwise use a home of your own`,
    });
  }
  const writable = st.mode & 0o022;
  if (writable !== 0) {
    const who = writable === 0o022 ? "its group and everyone" : writable === 0o020 ? "its group" : "everyone";
    const shown = (st.mode & 0o7777).toString(8).padStart(4, "0"); // sticky, setuid and setgid bits shown too
    return new UserError(`${what} ${path} may be changed by ${who} (mode ${shown}), so they could change your record`, {
      code: "HOME_NOT_PRIVATE",
      hint: `make it yours alone: chmod ${mode} ${path}`,
    });
  }
  return null;
}

/**
 * Refuse a home someone else could change (as ssh does with ~/.ssh): the folder, config.toml and loanmail.db must
 * belong to the user running loanmail and be writable by no group or other user. Whoever can write config.toml
 * chooses the command that reads the mail password; whoever can write the folder can swap the database. Paths
 * not there yet are skipped (init makes them private). A config.toml that is a folder, device or FIFO is refused
 * here too, whether or not the command reads it (the database is checked by the store when opened).
 */
export function checkHomePrivate(home: HomePaths): void {
  for (const [path, what, mode] of homePaths(home)) {
    const refusal = refusalOf(home, path, what, mode);
    if (refusal) throw refusal;
  }
}

/** The three paths of a home that must be the user's alone: each with its name and the mode that fixes it. */
function homePaths(home: HomePaths): [path: string, what: string, mode: string][] {
  return [
    [home.dir, "the loanmail home", "700"],
    [home.config, "the config", "600"],
    [home.db, "the database", "600"],
  ];
}

/** Why one path of the home is refused, or null (also when it is not there yet). */
function refusalOf(home: HomePaths, path: string, what: string, mode: string): UserError | null {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    if (isErrno(err, "ENOENT", "ENOTDIR")) return null;
    if (isErrno(err, "EACCES", "EPERM")) {
      return new UserError(`cannot read the loanmail home ${home.dir}: permission denied`, {
        code: "HOME_UNREADABLE",
        hint: "run loanmail as the user who owns that home, or choose another with --home",
      });
    }
    throw err;
  }
  if (path === home.config && !st.isFile()) {
    return new UserError(`${path} is ${kindOf(st)}, not a file`, {
      code: "NOT_A_FILE",
      hint: "config.toml must be a file: move that aside and run loanmail init again",
    });
  }
  return notPrivate(path, st, what, mode);
}

/** One path of the home as `doctor` reports it: there or not, its mode, and what is wrong with it. */
export interface HomePathState {
  path: string;
  /** "the loanmail home", "the config", "the database". */
  what: string;
  /** The mode a private one has (700 or 600). */
  privateMode: string;
  /** Its permission bits; null when it is not there. */
  mode: number | null;
  /** Why a command would refuse it (someone else's, writable by others, unreadable, not a file); null if none. */
  problem: UserError | null;
  /** Its group or other users may read it (not refused: a warning, since it holds the borrower's records). */
  othersMayRead: boolean;
}

/** Each path checkHomePrivate checks, with what it would say, without stopping at the first refusal. */
export function inspectHome(home: HomePaths): HomePathState[] {
  return homePaths(home).map(([path, what, privateMode]) => {
    const state: HomePathState = { path, what, privateMode, mode: null, problem: null, othersMayRead: false };
    state.problem = refusalOf(home, path, what, privateMode);
    try {
      const st = statSync(path);
      state.mode = st.mode & 0o777;
      state.othersMayRead = (st.mode & 0o044) !== 0;
    } catch {
      // not there (or not readable: the problem says so)
    }
    return state;
  });
}

/** Create the home folder (0700) if needed, or check the one there (checkHomePrivate); an unwritable place is a user error. */
export function ensureHomeDir(home: HomePaths): void {
  try {
    mkdirSync(home.dir, { recursive: true, mode: 0o700 });
    if (!statSync(home.dir).isDirectory()) throw notAFolder(home.dir);
    checkHomePrivate(home);
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
