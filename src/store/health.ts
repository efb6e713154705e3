/** What `doctor` asks SQLite about a database: its own consistency checks and the schema version. */
import type { Db } from "./db.js";
import { LATEST_VERSION } from "./migrations.js";

/**
 * SQLite's `PRAGMA integrity_check` (every page, index and constraint) or `quick_check` (the same but the indexes'
 * content, faster): ["ok"] for a sound file, else what it found (at most 20 lines).
 */
export function sqliteCheck(db: Db, which: "integrity_check" | "quick_check"): string[] {
  return db.prepare(`PRAGMA ${which}(20)`).pluck().all() as string[];
}

/** The schema version of the file and the one this loanmail writes. */
export function schemaVersions(db: Db): { file: number; latest: number } {
  return { file: db.pragma("user_version", { simple: true }) as number, latest: LATEST_VERSION };
}
