/**
 * Opening the database: the only place (with db-check.ts, which looks before) that constructs better-sqlite3. WAL (readers never block the one
 * writer, and a kill -9 loses at most the transaction in flight), foreign keys on, a new file 0600.
 *
 * Several loanmail commands may run at once on one home (a cron `sync` while the user composes). Writers take
 * turns: a busy timeout makes a writer wait for the lock, and every transaction (`inTransaction`, or
 * `inTransactionAsync` for one imported file: the only ways the store opens one) starts IMMEDIATE so that the
 * wait happens at BEGIN. A DEFERRED transaction that reads first holds a read snapshot; in WAL mode its later
 * upgrade to a write lock fails with SQLITE_BUSY at once (the busy handler is not consulted, since waiting could
 * not make a stale snapshot current), which is the "database is locked" that concurrent commands used to hit.
 */
import { closeSync, constants, openSync, rmSync } from "node:fs";
import Database from "better-sqlite3";
import { isErrno, UserError } from "../errors.js";
import { checkDatabaseFile } from "./db-check.js";
import { LATEST_VERSION, MIGRATIONS } from "./migrations.js";

export type Db = Database.Database;

/**
 * How long a write waits for another command's write to finish. Every loanmail write transaction is short (one
 * letter, one sync group of at most 50 messages, one event), well under a second even on a slow disk, so 15 s
 * rides out a queue of several of them on a loaded machine while a command stuck behind a hung one (a process
 * stopped in a debugger, a sqlite3 shell left in BEGIN) still gives up soon enough for a person to notice.
 */
export const BUSY_TIMEOUT_MS = 15_000;

/**
 * Run `fn` in one transaction: all its writes land together or none do (a throw rolls back). It takes the write
 * lock at BEGIN (IMMEDIATE), waiting up to the busy timeout for another command's write. Synchronous on purpose:
 * better-sqlite3 cannot keep a transaction open across an await.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Run the async `fn` in one transaction held across its awaits, for work that must land all together but cannot
 * be synchronous: importing one file, whose thousands of messages are read from a stream and parsed one by one
 * (`import` of an mbox). BEGIN IMMEDIATE takes the write lock first (waiting up to the busy timeout), COMMIT when
 * `fn` resolves, ROLLBACK when it throws; a process killed in between leaves the database as it was before BEGIN
 * (WAL: frames of a transaction that never committed are never read). `inTransaction` inside `fn` nests as a
 * savepoint. The lock is held until the end, so another loanmail command waits, and gives up with DATABASE_BUSY
 * if the import outlasts the busy timeout; the caller keeps the connection to itself meanwhile (one command per
 * process).
 */
export async function inTransactionAsync<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  if (db.inTransaction) throw new Error("inTransactionAsync: a transaction is already open on this connection");
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = await fn();
    db.exec("COMMIT");
    return result;
  } catch (err) {
    if (db.inTransaction) db.exec("ROLLBACK");
    throw err;
  }
}

function mapOpenError(err: unknown, path: string): never {
  // SQLite's extended codes name the case (SQLITE_READONLY_DIRECTORY: a home its owner cannot write in, where the
  // WAL's files cannot be made): the family is what matters here.
  const code = (err as { code?: string }).code ?? "";
  const family = (name: string) => code === name || code.startsWith(`${name}_`);
  if (family("SQLITE_NOTADB") || family("SQLITE_CORRUPT")) {
    throw new UserError(`${path} is not a loanmail database (SQLite says: ${(err as Error).message})`, {
      code: "NOT_A_DATABASE",
      hint: "move that file aside, or use your loanmail folder as the home",
    });
  }
  if (family("SQLITE_CANTOPEN") || family("SQLITE_READONLY") || isErrno(err, "EACCES", "EPERM", "EROFS")) {
    throw new UserError(`cannot open ${path} for writing (${(err as Error).message})`, {
      code: "DATABASE_NOT_WRITABLE",
      hint: "check that the loanmail home is yours and writable, or choose another home",
    });
  }
  throw err;
}

/**
 * Let this connection read the file through a memory map from now on, for a listing that reads most of it (a
 * caseload's `due`): no copy of each page into SQLite's cache, and a column stored after a message's bytes is
 * reached without reading the overflow pages in between one by one (a third of the CPU on large messages).
 * Not for every command: a mapped page a command touched counts in its resident memory, and an export reading
 * a 300 MB case would then show 300 MB more. Writes still go through the WAL as before.
 */
export function readThroughMap(db: Db): void {
  db.pragma(`mmap_size = ${1024 * 1024 * 1024}`);
}

/** The page cache a pass over every stored byte keeps (KiB): a few hundred pages, enough for its own queries. */
const PASS_CACHE_KIB = 512;

/**
 * Run `fn` with this connection's page cache cut to PASS_CACHE_KIB, then give it back its size. For a pass that
 * reads each message's and file's bytes once (export, verify --db), or writes them once (a sync): their overflow
 * pages would otherwise fill better-sqlite3's default 16 MB cache, pages never read again held in memory to the
 * end of the command.
 */
export async function withSmallPageCache<T>(db: Db, fn: () => Promise<T>): Promise<T> {
  const before = db.pragma("cache_size", { simple: true }) as number;
  db.pragma(`cache_size = -${PASS_CACHE_KIB}`);
  try {
    return await fn();
  } finally {
    db.pragma(`cache_size = ${before}`);
  }
}

/**
 * Open (creating if needed) and migrate the database at `path`; `:memory:` for tests.
 *
 * A file that is there is checked first without writing a byte (checkDatabaseFile: a device, FIFO, folder,
 * empty or foreign file, a read-only mode, a newer schema or a user_version set back are refused by name), and
 * only then opened for writing. Its mode is never changed; a file loanmail creates is 0600 from its first byte.
 */
export function openDb(path: string, options: { create?: boolean } = {}): Db {
  const isFile = path !== ":memory:";
  const created = isFile && prepareFile(path, options.create === true);
  let db: Db | undefined;
  try {
    // `timeout` is SQLite's busy timeout, set before the first statement (even switching to WAL may wait).
    db = new Database(path, { fileMustExist: isFile, timeout: BUSY_TIMEOUT_MS });
    db.pragma("journal_mode = WAL");
    db.pragma("foreign_keys = ON");
    db.pragma("synchronous = NORMAL");
    reusePrepared(db);
    migrate(db);
    return db;
  } catch (err) {
    db?.close();
    // A database this call created and could not finish (a full disk at init) is removed: left behind, empty, it
    // would be refused by the next init as a file loanmail did not make.
    if (created) for (const f of [path, `${path}-wal`, `${path}-shm`]) rmSync(f, { force: true });
    if (err instanceof UserError) throw err;
    return mapOpenError(err, path);
  }
}

/**
 * Open an existing database only to read it (shell completion, doctor): checked first as `openDb` checks it
 * (checkDatabaseFile), then opened read-only; never migrated, never written.
 */
export function openDbToRead(path: string): Db {
  checkDatabaseFile(path);
  try {
    return new Database(path, { readonly: true, fileMustExist: true, timeout: 1000 });
  } catch (err) {
    return mapOpenError(err, path);
  }
}

/** At most this many statements are kept compiled (SQL built with a varying number of placeholders is rare). */
const PREPARED_MAX = 1000;

/**
 * Keep each prepared statement by its SQL text, so that a sync or an import, which runs the same few dozen
 * statements for every message, compiles each once per process instead of once per call (compiling was a
 * tenth of a large sync's time). A kept statement is handed out again with its result modes reset (the caller
 * may have set `.pluck()`, `.raw()` or `.expand()`), and never while it is busy (an `.iterate()` still open):
 * then a fresh one is compiled.
 */
function reusePrepared(db: Db): void {
  const prepare = db.prepare.bind(db);
  const kept = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    const hit = kept.get(sql);
    if (hit && !hit.busy) {
      if (hit.reader) hit.pluck(false).expand(false).raw(false);
      return hit;
    }
    const fresh = prepare(sql);
    if (kept.size >= PREPARED_MAX) kept.clear();
    kept.set(sql, fresh);
    return fresh;
  }) as Db["prepare"];
}

/**
 * Create the database file (0600, exclusively) when asked to and it is not there; else check the one there.
 * Returns whether it created the file.
 */
function prepareFile(path: string, create: boolean): boolean {
  if (create) {
    try {
      // Created by us, so 0600 from the first byte (not after SQLite made it 0644), and empty: nothing to check.
      closeSync(openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o600));
      return true;
    } catch (err) {
      if (!isErrno(err, "EEXIST")) mapOpenError(err, path);
    }
  }
  checkDatabaseFile(path);
  return false;
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
      { code: "DATABASE_TOO_NEW", hint: "upgrade loanmail; the database was left untouched" },
    );
  }
  for (const m of MIGRATIONS) {
    if (m.version <= current || m.version > target) continue;
    inTransaction(db, () => {
      // Another loanmail process may have applied it while this one waited for the lock.
      if (schemaVersion(db) >= m.version) return;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    });
  }
}

/**
 * Write a consistent copy of the database into the file at `path` (an empty file the caller made, 0600: the
 * partial file of src/config/safe-files.ts); returns the number of pages copied. SQLite's errors (SQLITE_FULL on
 * a full disk) are the caller's to word.
 */
export async function backupDatabase(db: Db, path: string): Promise<number> {
  const result = await db.backup(path);
  return result.totalPages;
}
