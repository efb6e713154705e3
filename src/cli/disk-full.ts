/**
 * A full disk under the home: SQLite fails a write with SQLITE_FULL, or (in WAL mode, where even a read maps the
 * `-shm` file) with an I/O error, which alone would read as a bug (exit 70). When the file system holding the
 * home has no room left, the failure is the user's to fix: exit 1 naming the disk and how much is free. SQLite
 * rolled the failed transaction back, so the database is as it was before it.
 */
import { statfsSync } from "node:fs";
import { UserError } from "../errors.js";

/** Below this many free bytes the home's disk counts as full (SQLite needs a few pages for its journal). */
const FULL_BELOW_BYTES = 1024 * 1024;

function isSqliteWriteFailure(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && (code === "SQLITE_FULL" || code.startsWith("SQLITE_IOERR"));
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

function sizeText(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.floor(bytes / 1024)} KB`;
}

/** The UserError for a database write that failed because the home's disk is full; else `err` itself. */
export function explainDiskFull(err: unknown, homeDir: string | undefined): unknown {
  if (homeDir === undefined || !isSqliteWriteFailure(err)) return err;
  const free = freeBytes(homeDir);
  if (free === undefined || free >= FULL_BELOW_BYTES) return err;
  return new UserError(
    `the disk holding ${homeDir} is full (${sizeText(free)} free): the database could not be written, and SQLite kept it as it was before this command's failed change`,
    {
      code: "DISK_FULL",
      hint: "free some space on that disk, then run the command again",
    },
  );
}
