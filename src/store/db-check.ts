/**
 * Looking at a database file before opening it for writing (docs/ARCHITECTURE.md, "Files and paths"): a refused
 * database keeps its bytes and its mode. Everything here reads only: the file's kind and mode by stat, its first
 * 100 bytes (the SQLite header: magic, journal mode, user_version), and, when a migration would run, its schema
 * through a read-only connection. Only a file that passes is opened read-write (WAL switch, migrations).
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from "node:fs";
import Database from "better-sqlite3";
import { isErrno, UserError } from "../errors.js";
import { LATEST_VERSION, MIGRATIONS } from "./migrations.js";

const MAGIC = Buffer.from("SQLite format 3\0", "latin1");

/** What the header says. */
interface Header {
  userVersion: number;
  /** Bytes 18 and 19: 1 for a rollback journal, 2 for WAL. */
  wal: boolean;
}

function notADatabase(path: string, why: string): UserError {
  return new UserError(`${path} is not a loanmail database (${why})`, {
    code: "NOT_A_DATABASE",
    hint: "move that file aside, or use your loanmail folder as the home",
  });
}

function kindIn(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isCharacterDevice() || st.isBlockDevice()) return "a device";
  if (st.isFIFO()) return "a FIFO";
  if (st.isSocket()) return "a socket";
  return "not a regular file";
}

/** The header of a regular, non-empty, writable file; refused (naming the file) otherwise. */
function readHeader(path: string): Header {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    if (isErrno(err, "ENOENT", "ENOTDIR"))
      throw new UserError(`no database at ${path}`, {
        code: "NO_DATABASE",
        hint: "initialise the loanmail home first, or choose the right home",
      });
    throw err;
  }
  // A device (a link to /dev/zero), FIFO or folder is never opened.
  if (!st.isFile()) throw notADatabase(path, `it is ${kindIn(st)}`);
  if (st.size === 0)
    throw notADatabase(
      path,
      "it is empty, 0 bytes: loanmail never builds a new database over a file that is there; if init was interrupted, remove it and run init again, else restore your backup",
    );
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    if (isErrno(err, "EACCES", "EPERM"))
      throw new UserError(`cannot read ${path} (${(err as NodeJS.ErrnoException).code})`, {
        code: "DATABASE_NOT_WRITABLE",
        hint: "check that the loanmail home is yours, or choose another home",
      });
    throw err;
  }
  const head = Buffer.alloc(100);
  let got = 0;
  try {
    if (!fstatSync(fd).isFile()) throw notADatabase(path, "it is not a regular file");
    got = readSync(fd, head, 0, 100, 0);
  } finally {
    closeSync(fd);
  }
  if (got < 100 || !head.subarray(0, 16).equals(MAGIC)) throw notADatabase(path, "not an SQLite file");
  if ((st.mode & 0o200) === 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, "0");
    throw new UserError(
      `${path} is read-only (mode ${mode}); loanmail opens its database for writing on every command`,
      {
        code: "DATABASE_READ_ONLY",
        hint: `it was left as it is; to use it again: chmod u+w ${path} (to look without changing it, copy it to another home first)`,
      },
    );
  }
  return { userVersion: head.readUInt32BE(60), wal: head[18] === 2 };
}

/** The objects of a schema: "table:NAME", "index:NAME", "trigger:NAME", "view:NAME" and "column:TABLE.NAME". */
function schemaOf(db: Database.Database): Set<string> {
  const out = new Set<string>();
  const rows = db
    .prepare("SELECT type, name FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    .all() as { type: string; name: string }[];
  for (const { type, name } of rows) {
    out.add(`${type}:${name}`);
    if (type !== "table") continue;
    const cols = db.prepare("SELECT name FROM pragma_table_info(?)").pluck().all(name) as string[];
    for (const c of cols) out.add(`column:${name}.${c}`);
  }
  return out;
}

/** A migration's version, what it adds to the schema, and the whole schema after it. */
interface MigrationSchema {
  version: number;
  objects: string[];
  schema: ReadonlySet<string>;
}

let added: MigrationSchema[] | undefined;

/**
 * What each migration adds to the schema and the schema it leaves (a migration may also drop an index a later
 * one replaces, as 150 does), found once by running them all on an empty in-memory database.
 */
function addedByMigrations(): MigrationSchema[] {
  if (added) return added;
  const db = new Database(":memory:");
  try {
    let before = new Set<string>();
    added = MIGRATIONS.map((m) => {
      db.exec(m.sql);
      const after = schemaOf(db);
      const objects = [...after].filter((o) => !before.has(o));
      before = after;
      return { version: m.version, objects, schema: after };
    });
    return added;
  } finally {
    db.close();
  }
}

/** The schema version and objects, through a read-only connection (a file SQLite cannot read is not ours). */
function readSchema(path: string): { version: number; objects: Set<string> } {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    return { version: db.pragma("user_version", { simple: true }) as number, objects: schemaOf(db) };
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT") throw notADatabase(path, (err as Error).message);
    throw err;
  } finally {
    db?.close();
  }
}

function tooNew(version: number): UserError {
  return new UserError(
    `this database has schema version ${version}, newer than this loanmail understands (${LATEST_VERSION})`,
    { code: "DATABASE_TOO_NEW", hint: "upgrade loanmail; the database was left untouched" },
  );
}

/**
 * Check the database at `path` before it is opened for writing: a regular file, not empty, an SQLite file,
 * writable by its mode, of a schema version this loanmail knows; and, when migrations would run, that its
 * tables are loanmail's and hold nothing a later migration adds (a user_version set back). Refuses, naming the
 * file, with nothing written. A `-wal` file with content may hold a newer header, so then the version is read
 * through SQLite (read-only) rather than from the file's first page.
 */
export function checkDatabaseFile(path: string): void {
  const header = readHeader(path);
  let walHasData = false;
  try {
    walHasData = statSync(`${path}-wal`).size > 0;
  } catch {
    // no WAL file: the database file is complete
  }
  if (!walHasData && header.userVersion > LATEST_VERSION) throw tooNew(header.userVersion);
  if (!walHasData && header.userVersion === LATEST_VERSION) return;
  const { version, objects } = readSchema(path);
  if (version > LATEST_VERSION) throw tooNew(version);
  if (version === LATEST_VERSION) return;
  // Every version loanmail leaves is a migration's; a file at another is another program's database, and one at 0
  // with nothing in it was not made by a finished init (a new database is created, never found).
  if (version !== 0 && !MIGRATIONS.some((m) => m.version === version))
    throw notADatabase(
      path,
      `schema version ${version} is not one loanmail writes: an SQLite database of something else`,
    );
  if (version === 0 && objects.size === 0)
    throw notADatabase(
      path,
      "it is an SQLite database with nothing in it: loanmail never builds a new database over a file that is there; if init was interrupted, remove it and run init again, else restore your backup",
    );
  const later = addedByMigrations().filter((m) => m.version > version);
  const applied = later.filter((m) => m.objects.some((o) => objects.has(o))).at(-1);
  if (applied) {
    const shows = applied.objects.find((o) => objects.has(o)) ?? "";
    throw new UserError(
      `${path} says schema version ${version}, but its tables already hold what migration ${applied.version} adds (${shows.replace(":", " ")}): its user_version was set back`,
      {
        code: "DATABASE_VERSION_SET_BACK",
        hint: `it was left untouched; restore your backup, or if you set it back by hand: sqlite3 ${path} 'PRAGMA user_version = ${applied.version}'`,
      },
    );
  }
  const expected = [
    ...(addedByMigrations()
      .filter((m) => m.version <= version)
      .at(-1)?.schema ?? []),
  ];
  const missing = expected.find((o) => !objects.has(o));
  if (missing !== undefined || (version === 0 && objects.size > 0)) {
    throw notADatabase(
      path,
      missing !== undefined
        ? `schema version ${version} should have ${missing.replace(":", " ")}`
        : "an SQLite database of something else",
    );
  }
}
