/**
 * Files the user names (docs/ARCHITECTURE.md, "Files and paths"): the one place that reads a file given on the
 * command line or in config.toml, and the one place that writes a file at a path the user chose.
 *
 * Reading: a path is read only when it is a regular file (a symbolic link to one is followed), never a folder,
 * device, FIFO or socket, and only up to a size cap checked before a byte is read. It is looked at with stat
 * first (a device is never even opened), then opened O_RDONLY|O_NONBLOCK (a FIFO swapped in meanwhile cannot
 * block the open) and checked again on the open descriptor, which is what is read.
 *
 * Writing: an output is written only as a regular file. A folder, device, FIFO, socket or symbolic link at the
 * path is refused, and so is an existing file unless the user said it may be replaced (`--force`). The bytes go
 * to `.NAME.PID.partial` in the same folder (created exclusively, 0600), are flushed, and only then take the
 * name: by a hard link when nothing may be replaced (atomic: a file that appeared meanwhile is not replaced), by
 * rename when the user allowed it. A failure removes the partial file; a killed process leaves it, and the next
 * run writing to the same path removes the partial files of processes no longer running.
 */
import {
  closeSync,
  constants,
  fstatSync,
  fsyncSync,
  linkSync,
  lstatSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import { type ErrorCode, isErrno, UserError } from "../errors.js";

const MB = 1024 * 1024;

/** "12.3 MB" or, below a megabyte, "850 KB": a user comparing with a limit needs a number that is not 0.0. */
export function formatSize(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/** What a non-file is, in words. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return "a folder";
  if (st.isCharacterDevice()) return "a character device";
  if (st.isBlockDevice()) return "a block device";
  if (st.isFIFO()) return "a FIFO (named pipe)";
  if (st.isSocket()) return "a socket";
  if (st.isSymbolicLink()) return "a symbolic link";
  return st.isFile() ? "a file" : "not a file";
}

/** An error of the file system or of SQLite writing a file (ENOSPC, SQLITE_FULL), not a bug (ERR_...). */
function isSystemError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === "string" && /^(E[A-Z0-9]+|SQLITE_[A-Z_]+)$/.test(code);
}

function errnoOf(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? String(err);
}

// ---------------------------------------------------------------------------------------------------------------
// Reading

/** The most a read may take, and how to say so when a file is over it. */
export interface SizeCap {
  bytes: number;
  /** The limit in words, after "over the": "10 MB limit for one attachment". */
  limit: string;
  /** The code of the refusal (FILE_TOO_LARGE unless the caller has its own). */
  code?: ErrorCode;
  hint: string;
}

/** The size cap `limitMb` megabytes, worded as "the N MB limit" plus `what`. */
export function megabytes(limitMb: number, what: string, hint: string, code?: ErrorCode): SizeCap {
  return { bytes: Math.floor(limitMb * MB), limit: `${limitMb} MB limit${what ? ` ${what}` : ""}`, hint, code };
}

/** A regular file opened for reading; close it with `closeInput`. */
export interface InputFile {
  /** How the file is named in messages: "--attach scan.pdf", or a path. */
  who: string;
  fd: number;
  size: number;
}

/** Hints for the refusals of an input, in the caller's words (each has a default). */
export interface InputHints {
  missing?: string;
  notAFile?: string;
  unreadable?: string;
}

function unreadable(who: string, err: unknown, hints: InputHints): UserError {
  if (isErrno(err, "ENOENT", "ENOTDIR"))
    return new UserError(`${who}: no such file`, { code: "FILE_NOT_FOUND", hint: hints.missing ?? "check the path" });
  if (isErrno(err, "ELOOP"))
    return new UserError(`${who}: not a file: a loop of symbolic links`, {
      code: "NOT_A_FILE",
      hint: hints.notAFile ?? "name the file itself",
    });
  return new UserError(`${who}: cannot read it (${errnoOf(err)})`, {
    code: "FILE_UNREADABLE",
    hint: hints.unreadable ?? "check its permissions",
  });
}

function notAFile(who: string, st: Stats, hints: InputHints): UserError {
  return new UserError(`${who}: not a file: it is ${kindOf(st)}`, {
    code: "NOT_A_FILE",
    hint: hints.notAFile ?? "name a regular file, not a folder, pipe or device",
  });
}

/**
 * Open `path` for reading if it is a regular file: refused (FILE_NOT_FOUND, NOT_A_FILE, FILE_UNREADABLE, naming
 * `who`) otherwise. A device or FIFO is refused by stat before it is opened.
 */
export function openRegularFile(who: string, path: string, hints: InputHints = {}): InputFile {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw unreadable(who, err, hints);
  }
  if (!st.isFile()) throw notAFile(who, st, hints);
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOCTTY);
  } catch (err) {
    throw unreadable(who, err, hints);
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile()) throw notAFile(who, opened, hints);
    return { who, fd, size: opened.size };
  } catch (err) {
    closeSync(fd);
    throw err;
  }
}

export function closeInput(f: InputFile): void {
  closeSync(f.fd);
}

function tooLarge(f: InputFile, size: number, cap: SizeCap): UserError {
  return new UserError(`${f.who}: ${formatSize(size)} is over the ${cap.limit}`, {
    code: cap.code ?? "FILE_TOO_LARGE",
    hint: cap.hint,
  });
}

/** Read an opened file whole, refused unread when it is over `cap` (and stopped if it grows past it). */
export function readInput(f: InputFile, cap: SizeCap): Buffer {
  if (f.size > cap.bytes) throw tooLarge(f, f.size, cap);
  // One byte more than the file holds: a file that grew since fstat is read on, but never past the cap.
  let buf = Buffer.alloc(f.size + 1);
  let got = 0;
  try {
    for (;;) {
      if (got === buf.length) {
        if (got > cap.bytes) throw tooLarge(f, got, cap);
        const more = Buffer.alloc(Math.min(buf.length * 2, cap.bytes + 1));
        buf.copy(more);
        buf = more;
      }
      const n = readSync(f.fd, buf, got, buf.length - got, null);
      if (n === 0) return buf.subarray(0, got);
      got += n;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw unreadable(f.who, err, {});
  }
}

/** The first `n` bytes of an opened file (at most its size), from its start. */
export function readHead(f: InputFile, n: number): Buffer {
  const buf = Buffer.alloc(Math.min(n, f.size));
  let got = 0;
  try {
    while (got < buf.length) {
      const r = readSync(f.fd, buf, got, buf.length - got, got);
      if (r === 0) break;
      got += r;
    }
  } catch (err) {
    throw unreadable(f.who, err, {});
  }
  return buf.subarray(0, got);
}

/**
 * The bytes of the regular file `path`, refused before reading when it is anything else or over `cap`
 * (messages name `who`, e.g. "--body-file notes.txt").
 */
export function readRegularFile(who: string, path: string, cap: SizeCap, hints: InputHints = {}): Buffer {
  const f = openRegularFile(who, path, hints);
  try {
    return readInput(f, cap);
  } finally {
    closeInput(f);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

/** An output the user named: the path, how to name it in messages, and whether an existing file may go. */
export interface OutputTarget {
  path: string;
  /** "--out case.zip", "--pdf letter.pdf", or a path. */
  who: string;
  /** The user allowed an existing regular file at the path to be replaced (`--force`). */
  force: boolean;
  /** The codes this output has always used for "cannot write" and "is a folder" (scripts match on them). */
  codes?: { notWritable?: ErrorCode; isFolder?: ErrorCode };
  /** loanmail writing its own home file (config.toml); any other output refuses to replace one. */
  homeFile?: boolean;
}

/** The temporary file an output is written to before it takes its name. */
export function partialPathOf(path: string, pid: number = process.pid): string {
  return join(dirname(path), `.${basename(path)}.${pid}.partial`);
}

function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as someone else.
    return !isErrno(err, "ESRCH");
  }
}

/**
 * Remove the partial files a killed loanmail left for `path`: `.NAME.PID.partial` in its folder whose process is
 * no longer running, that are regular files of this user. Anything else is left alone. Returns what it removed.
 */
export function removeStalePartials(path: string): string[] {
  const dir = dirname(path);
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(".partial")) continue;
    const pidText = name.slice(prefix.length, -".partial".length);
    if (!/^[1-9]\d{0,9}$/.test(pidText)) continue;
    const pid = Number(pidText);
    if (pid === process.pid || processRunning(pid)) continue;
    const file = join(dir, name);
    try {
      const st = lstatSync(file);
      if (!st.isFile() || (process.getuid && st.uid !== process.getuid())) continue;
      unlinkSync(file);
      removed.push(file);
    } catch {
      // gone meanwhile, or not ours to remove
    }
  }
  return removed;
}

/** Walking up from `folder`: the highest part of the path that is not there, or the file that stands in the way. */
function firstMissingFolder(folder: string): { at: string; isFile: boolean } {
  const statOrNull = (p: string) => {
    try {
      return statSync(p);
    } catch {
      return null;
    }
  };
  for (let at = folder, child = folder; ; child = at, at = dirname(at)) {
    const st = statOrNull(at);
    if (st) return st.isDirectory() ? { at: child, isFile: false } : { at, isFile: true };
    if (dirname(at) === at) return { at: folder, isFile: false };
  }
}

function cannotWrite(t: OutputTarget, err: unknown): UserError {
  const code = errnoOf(err);
  if (code === "ENOSPC" || code === "EDQUOT" || code === "SQLITE_FULL")
    return new UserError(`cannot write ${t.who}: the disk is full (${code === "SQLITE_FULL" ? "ENOSPC" : code})`, {
      code: "OUTPUT_DISK_FULL",
      hint: "free some space on that disk, or write to another one",
    });
  if (code === "ENOENT" || code === "ENOTDIR") {
    // Name the first part of the path that is missing or is a file where a folder must be, not always the parent.
    const { at, isFile } = firstMissingFolder(dirname(t.path));
    return new UserError(`${t.who}: ${isFile ? `${at} is a file, not a folder` : `the folder ${at} does not exist`}`, {
      code: "OUTPUT_FOLDER_MISSING",
      hint: "create it or choose another path",
    });
  }
  return new UserError(`cannot write ${t.who} (${code})`, {
    code: t.codes?.notWritable ?? "OUTPUT_NOT_WRITABLE",
    hint: "choose a writable file path",
  });
}

/** Why the thing at the path may not be written over; null when it may (nothing there, or a file with force). */
function refusalOf(t: OutputTarget, st: Stats): UserError | null {
  if (st.isDirectory())
    return new UserError(`${t.who} is a folder`, {
      code: t.codes?.isFolder ?? "OUTPUT_IS_DIRECTORY",
      hint: "give a file name in that folder",
    });
  if (!st.isFile())
    return new UserError(`${t.who} is ${kindOf(st)}, not a file: loanmail writes only regular files`, {
      code: "OUTPUT_NOT_A_FILE",
      hint: "give the path of a new file",
    });
  if (!t.force)
    return new UserError(`${t.who} already exists`, {
      code: "OUTPUT_EXISTS",
      hint: "choose another name, or allow loanmail to replace that file",
    });
  if (!t.homeFile && isHomeFile(t.path))
    return new UserError(`${t.who} is a loanmail home's own file: --force never replaces it`, {
      code: "OUTPUT_IS_HOME_FILE",
      hint: "write the output elsewhere (a bundle or PDF over the database or config.toml would destroy the record)",
    });
  return null;
}

/** The files of a loanmail home (beside its loanmail.db), which no output may replace. */
const HOME_FILES = new Set(["loanmail.db", "loanmail.db-wal", "loanmail.db-shm", "config.toml"]);

function isHomeFile(path: string): boolean {
  return HOME_FILES.has(basename(path)) && lstatOrNull(join(dirname(path), "loanmail.db")) !== null;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if (isErrno(err, "ENOENT")) return null;
    throw err;
  }
}

/**
 * Refuse an output path before any work is done: a folder, device, FIFO, socket or link at it, an existing file
 * without `force`, or a folder that does not exist. Removes the stale partial files of earlier killed runs.
 */
export function checkOutput(t: OutputTarget): void {
  let st: Stats | null;
  try {
    st = lstatOrNull(t.path);
    if (!statSync(dirname(t.path)).isDirectory()) throw Object.assign(new Error("not a folder"), { code: "ENOTDIR" });
  } catch (err) {
    throw cannotWrite(t, err);
  }
  const refusal = st ? refusalOf(t, st) : null;
  if (refusal) throw refusal;
  removeStalePartials(t.path);
}

/** The partial file being written. */
export interface PartialFile {
  /** Its path (for a writer that opens by name, as SQLite's backup does). */
  path: string;
  /** Open for writing, mode 0600. */
  fd: number;
}

/** Put the finished partial file at the target: link when nothing may be replaced, rename when it may. */
function putInPlace(t: OutputTarget, partial: string): void {
  const st = lstatOrNull(t.path);
  const refusal = st ? refusalOf(t, st) : null;
  if (refusal) throw refusal;
  if (st === null) {
    try {
      linkSync(partial, t.path);
      unlinkSync(partial);
      return;
    } catch (err) {
      if (isErrno(err, "EEXIST")) {
        const now = lstatOrNull(t.path);
        throw (now && refusalOf(t, now)) ?? cannotWrite(t, err);
      }
      // A file system without hard links: the rename below, after the check just made.
      if (!isErrno(err, "EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK")) throw err;
    }
  }
  renameSync(partial, t.path);
}

/** Check the target (checkOutput) and create its partial file, exclusively, mode 0600. */
function startOutput(t: OutputTarget): PartialFile {
  checkOutput(t);
  const path = partialPathOf(t.path);
  try {
    const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
    return { path, fd: openSync(path, flags, 0o600) };
  } catch (err) {
    throw cannotWrite(t, err);
  }
}

/** Flush and close the partial file and give it the target's name; returns its size. */
function finishOutput(t: OutputTarget, p: PartialFile): number {
  fsyncSync(p.fd);
  const size = fstatSync(p.fd).size;
  closeSync(p.fd);
  p.fd = -1;
  putInPlace(t, p.path);
  return size;
}

/** After a failure: close and remove the partial file, and say what went wrong as the user's error if it is. */
function abandonOutput(t: OutputTarget, p: PartialFile, err: unknown): never {
  try {
    if (p.fd >= 0) closeSync(p.fd);
  } catch {
    // closed already: the error being reported matters, not this one
  }
  try {
    unlinkSync(p.path);
  } catch {
    // already gone (put in place, or removed by the writer)
  }
  if (err instanceof UserError) throw err;
  throw isSystemError(err) ? cannotWrite(t, err) : err;
}

/**
 * Write an output through its partial file: `fill` writes the bytes (to `fd`, or by opening `path`), then the
 * file is flushed and takes its name. Returns its size. Nothing is left at either path when anything fails.
 */
export async function writeOutput(t: OutputTarget, fill: (partial: PartialFile) => Promise<void>): Promise<number> {
  const p = startOutput(t);
  try {
    await fill(p);
    return finishOutput(t, p);
  } catch (err) {
    return abandonOutput(t, p, err);
  }
}

/** Write all of `data` to `fd`. */
export function writeAll(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.length) off += writeSync(fd, data, off, data.length - off);
}

/** Write `data` as the output `t` (see writeOutput); returns its size. */
export function writeOutputFile(t: OutputTarget, data: string | Uint8Array): number {
  const p = startOutput(t);
  try {
    writeAll(p.fd, typeof data === "string" ? Buffer.from(data, "utf8") : data);
    return finishOutput(t, p);
  } catch (err) {
    return abandonOutput(t, p, err);
  }
}
