/**
 * Recognising SQLite's "database is locked" without loading the driver: the CLI asks after any failure, and
 * `loanmail --help` must not pay for better-sqlite3 (see docs/ARCHITECTURE.md, "Why command modules import the app
 * lazily").
 */

/** True for SQLite's "database is locked" (SQLITE_BUSY and its extended codes), after the busy timeout. */
export function isDatabaseBusy(err: unknown): boolean {
  return (
    err instanceof Error && err.name === "SqliteError" && "code" in err && String(err.code).startsWith("SQLITE_BUSY")
  );
}
