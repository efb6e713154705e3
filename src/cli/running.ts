/**
 * Which loanmail commands are running on a home, so that a command that waited in vain for the database can say
 * which one holds it. A command that opens the database leaves `<home>/running/<pid>` holding its command line and
 * removes it when it closes the database; the file of a process that died (kill -9) is ignored and cleaned up.
 * This is advice for a message only: a record that cannot be written or read never fails a command.
 */
import { mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { isProcessAlive } from "../app/lock.js";
import { UserError } from "../errors.js";
import { isDatabaseBusy } from "../store/busy.js";

export interface RunningCommand {
  pid: number;
  commandLine: string;
}

/** Long command lines (a note's text) are cut: the message only needs to recognise the command. */
const MAX_COMMAND_LINE = 120;

function runningDir(homeDir: string): string {
  return join(homeDir, "running");
}

/** `loanmail ARGS` as a person would type it (arguments with spaces quoted). */
export function commandLineOf(args: readonly string[]): string {
  const quoted = args.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`));
  const line = ["loanmail", ...quoted].join(" ");
  return line.length > MAX_COMMAND_LINE ? `${line.slice(0, MAX_COMMAND_LINE - 1)}…` : line;
}

/** Record this process as running `commandLine` on the home; returns the function that removes the record. */
export function recordRunning(homeDir: string, commandLine: string, pid = process.pid): () => void {
  const path = join(runningDir(homeDir), String(pid));
  try {
    mkdirSync(runningDir(homeDir), { recursive: true, mode: 0o700 });
    writeFileSync(path, commandLine, { mode: 0o600 });
  } catch {
    return () => {};
  }
  return () => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to remove.
    }
  };
}

/** The other live loanmail commands on the home; records of dead processes are removed on the way. */
export function otherRunningCommands(homeDir: string, self = process.pid): RunningCommand[] {
  let names: string[];
  try {
    names = readdirSync(runningDir(homeDir));
  } catch {
    return [];
  }
  const found: RunningCommand[] = [];
  for (const name of names) {
    const pid = Number(name);
    if (!Number.isInteger(pid) || pid <= 0 || pid === self) continue;
    const path = join(runningDir(homeDir), name);
    try {
      if (!isProcessAlive(pid)) {
        unlinkSync(path);
        continue;
      }
      found.push({ pid, commandLine: readFileSync(path, "utf8").trim() });
    } catch {
      // Finished while we looked: not running any more.
    }
  }
  return found.sort((a, b) => a.pid - b.pid);
}

/** The user error for a write that did not get the database within the busy timeout. */
export function databaseBusyError(others: readonly RunningCommand[]): UserError {
  const who =
    others.length === 0
      ? "another program is using it"
      : `another loanmail command is writing (${others.map((o) => `pid ${o.pid}: ${o.commandLine}`).join("; ")})`;
  return new UserError(`the database is busy: ${who}`, {
    code: "DATABASE_BUSY",
    hint: "try again when it finishes",
  });
}

/** `err`, or the DATABASE_BUSY user error when it is SQLite's "database is locked" on this home. */
export function explainBusy(err: unknown, homeDir: string | undefined): unknown {
  if (homeDir === undefined || !isDatabaseBusy(err)) return err;
  return databaseBusyError(otherRunningCommands(homeDir));
}
