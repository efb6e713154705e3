/**
 * Opening the database: the only place that constructs better-sqlite3. WAL (readers never block the one
 * writer, and a kill -9 loses at most the transaction in flight), foreign keys on, file mode 0600.
 */
import { chmodSync, closeSync, existsSync, openSync } from "node:fs";
import Database from "better-sqlite3";
import { isErrno, UserError } from "../errors.js";
import { LATEST_VERSION, MIGRATIONS } from "./migrations.js";

export type Db = Database.Database;

function mapOpenError(err: unknown, path: string): never {
  const code = (err as { code?: string }).code;
  if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") {
    throw new UserError(
      `${path} is not a loanmail database (SQLite says: ${(err as Error).message})`,
      "move that file aside, or point --home at your loanmail folder",
    );
  }
  if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY" || isErrno(err, "EACCES", "EPERM", "EROFS")) {
    throw new UserError(
      `cannot open ${path} for writing (${(err as Error).message})`,
      "check that the loanmail home is yours and writable, or choose another with --home",
    );
  }
  throw err;
}

/**
 * Open (creating if needed) and migrate the database at `path`; `:memory:` for tests.
 * A database written by a newer loanmail is refused rather than half-understood.
 */
export function openDb(path: string, options: { create?: boolean } = {}): Db {
  const isFile = path !== ":memory:";
  if (isFile && !existsSync(path)) {
    if (!options.create) {
      throw new UserError(`no database at ${path}`, "run loanmail init first (or pass the right --home)");
    }
    // Create the file ourselves so it is 0600 from the first byte, not after SQLite made it 0644.
    try {
      closeSync(openSync(path, "a", 0o600));
    } catch (err) {
      mapOpenError(err, path);
    }
  }
  let db: Db | undefined;
  try {
    db = new Database(path, { fileMustExist: isFile });
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("busy_timeout = 5000");
    db.pragma("synchronous = NORMAL");
    migrate(db);
    if (isFile) chmodSync(path, 0o600);
    return db;
  } catch (err) {
    db?.close();
    if (err instanceof UserError) throw err;
    return mapOpenError(err, path);
  }
}

/** Run `fn` in one transaction: everything it writes commits together, or nothing does when it throws. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn)();
}

/** The schema version stored in the file. */
export function schemaVersion(db: Db): number {
  return db.pragma("user_version", { simple: true }) as number;
}

/** Apply every migration above the stored version, each in its own transaction; refuse a newer file. */
export function migrate(db: Db, target: number = LATEST_VERSION): void {
  const current = schemaVersion(db);
  if (current > LATEST_VERSION) {
    throw new UserError(
      `this database has schema version ${current}, newer than this loanmail understands (${LATEST_VERSION})`,
      "upgrade loanmail; the database was left untouched",
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}

/** Write a consistent copy of the database to `path` (mode 0600); returns the number of pages copied. */
export async function backupDatabase(db: Db, path: string): Promise<number> {
  try {
    const result = await db.backup(path);
    chmodSync(path, 0o600);
    return result.totalPages;
  } catch (err) {
    if (isErrno(err, "EACCES", "EPERM", "EROFS", "ENOENT") || (err as { code?: string }).code === "SQLITE_CANTOPEN") {
      throw new UserError(`cannot write ${path} (${(err as Error).message})`, "choose a writable file for --out");
    }
    throw err;
  }
}
