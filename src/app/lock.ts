/**
 * One sender or syncer per home at a time: a lock file holding the owner's pid. A lock left by a process that
 * died (kill -9) is taken over, which is also how a `sending` row is known to be orphaned.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from "node:fs";
import { join } from "node:path";
import { isErrno, UserError } from "../errors.js";

/** Whether a process with this pid runs (one of another user counts: it is alive, only not ours to signal). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return isErrno(err, "EPERM");
  }
}

/** Take the named lock in `dir`; returns its release function. */
export function acquireLock(dir: string, name: string): () => void {
  const path = join(dir, `${name}.lock`);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, "wx", 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => {
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if (!isErrno(err, "EEXIST")) throw err;
      const pid = Number(readFileSync(path, "utf8").trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && isProcessAlive(pid)) {
        throw new UserError(`another loanmail ${name} is running (pid ${pid})`, {
          code: "COMMAND_ALREADY_RUNNING",
          hint: "wait for it to finish, then try again",
        });
      }
      unlinkSync(path);
    }
  }
  throw new UserError(`cannot take the ${name} lock in ${dir}`, {
    code: "LOCK_UNAVAILABLE",
    hint: "remove the stale lock file and try again",
  });
}

/** Run `fn` holding the named lock, released however it ends. */
export async function withLock<T>(dir: string, name: string, fn: () => Promise<T>): Promise<T> {
  const release = acquireLock(dir, name);
  try {
    return await fn();
  } finally {
    release();
  }
}

/** Run `fn` holding the named lock, or skip it when another live process holds that lock. */
export function ifUnlocked(dir: string, name: string, fn: () => void): void {
  try {
    const release = acquireLock(dir, name);
    try {
      fn();
    } finally {
      release();
    }
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
  }
}
