/**
 * Where imported messages come from (docs/ARCHITECTURE.md, "Importing what users have"): a saved message (.eml),
 * an mbox file (many messages in one file, as Gmail Takeout, Thunderbird and mutt keep them) or a Maildir folder
 * (one file per message in cur/ and new/). `openSource` tells which by the content, not the name, and refuses
 * anything else before a byte is stored; `readMessages` gives each message's bytes in turn, streaming (an mbox of
 * any size is read at flat memory), and refuses a message over the size limit by its place and its Subject and
 * Message-ID.
 *
 * The mbox reader is loanmail's own (why no package: docs/ARCHITECTURE.md, "Decisions"). It keeps every byte of
 * a message as the file holds it: the lines after its `From ` separator line up to the next one, less the empty
 * line that ends each message in an mbox, with one `>` taken from each `>From `, `>>From `, ... line (mboxrd,
 * which Gmail Takeout writes; right for the `>From ` of mboxo too). Line ends stay as they are (LF or CRLF).
 */
import { createReadStream, readdirSync, type Stats, statSync } from "node:fs";
import { join } from "node:path";
import { closeInput, openRegularFile, readHead, readInput } from "../config/safe-files.js";
import { isErrno, UserError } from "../errors.js";

export type SourceKind = "eml" | "mbox" | "maildir";

export interface MessageSource {
  /** As the user named it. */
  path: string;
  kind: SourceKind;
  /** A Maildir's message files (cur/ then new/, each by name), relative to `path`; empty for a file. */
  files: readonly string[];
  /** The file's size in bytes when it was opened (0 for a Maildir): what a progress bar of an mbox counts to. */
  size: number;
}

export interface SourceMessage {
  /** Its place in the source, from 1: the nth `From ` line of an mbox, the nth file of a Maildir. */
  index: number;
  /** How to find it again: "message 3", "cur/1700000000.M1P2.host:2,S". */
  label: string;
  raw: Buffer;
  /** Of an mbox: the bytes of the file read so far (for progress). */
  read?: number;
}

const MB = 1024 * 1024;
const LF = 0x0a;
const GT = 0x3e;
const FROM_ = Buffer.from("From ");
/** A header field line: a name of printable characters other than the colon, then a colon (RFC 5322 2.2). */
const HEADER_LINE = /^[\x21-\x39\x3b-\x7e]+:/;
const WHAT_WE_TAKE =
  "import .eml files (a message's raw source), mbox files (Gmail Takeout, Thunderbird) or Maildir folders; unpack a .zip, .tgz or .gz export first";

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function readError(path: string, err: unknown): UserError {
  const missing = isErrno(err, "ENOENT");
  return new UserError(`${path}: ${missing ? "no such file or folder" : errorText(err)}`, {
    code: missing ? "FILE_NOT_FOUND" : "FILE_UNREADABLE",
    hint: missing ? "check the path" : "check that the file is yours and readable",
  });
}

/** The regular files of a Maildir's cur/ and new/ (tmp/ holds deliveries not finished), or null if not one. */
function maildirFiles(path: string): string[] | null {
  const subdirs = ["cur", "new"].filter((d) => {
    try {
      return statSync(join(path, d)).isDirectory();
    } catch {
      return false;
    }
  });
  if (subdirs.length === 0) return null;
  return subdirs.flatMap((d) => {
    let names: string[];
    try {
      names = readdirSync(join(path, d));
    } catch (err) {
      throw readError(join(path, d), err);
    }
    return names
      .filter((n) => !n.startsWith(".") && statSync(join(path, d, n), { throwIfNoEntry: false })?.isFile())
      .sort()
      .map((n) => `${d}/${n}`);
  });
}

/** Whether the first bytes of a file are an mbox's: a `From ` separator line, then a header field. */
export function looksLikeMbox(head: Buffer): boolean {
  if (head.length < FROM_.length || !head.subarray(0, FROM_.length).equals(FROM_)) return false;
  const firstEnd = head.indexOf(LF);
  return firstEnd !== -1 && HEADER_LINE.test(head.subarray(firstEnd + 1, firstEnd + 1000).toString("latin1"));
}

/** Whether the first bytes of a file hold a header field line (a saved message). */
export function looksLikeMessage(head: Buffer): boolean {
  return head.length > 0 && new RegExp(HEADER_LINE.source, "m").test(head.toString("latin1"));
}

/** What `path` is: an .eml, an mbox or a Maildir; anything else is refused (NOT_AN_EMAIL), naming it. */
export async function openSource(path: string): Promise<MessageSource> {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    throw readError(path, err);
  }
  if (st.isDirectory()) {
    const files = maildirFiles(path);
    if (files === null) {
      throw new UserError(`${path} is a folder but not a Maildir (it has no cur/ or new/ folder)`, {
        code: "NOT_AN_EMAIL",
        hint: `${WHAT_WE_TAKE}; for a Maildir with subfolders, name each folder that holds cur/ and new/`,
      });
    }
    return { path, kind: "maildir", files, size: 0 };
  }
  // Not a folder: a regular file or nothing (a FIFO or device is refused, never opened).
  const file = openRegularFile(path, path, { notAFile: WHAT_WE_TAKE });
  let head: Buffer;
  try {
    head = readHead(file, 4096);
  } finally {
    closeInput(file);
  }
  // A file that starts with a `From ` line is an mbox or nothing: never one message holding a mailbox.
  const fromLine = head.subarray(0, FROM_.length).equals(FROM_);
  if (fromLine && looksLikeMbox(head)) return { path, kind: "mbox", files: [], size: file.size };
  if (!fromLine && looksLikeMessage(head)) return { path, kind: "eml", files: [], size: file.size };
  throw new UserError(
    `${path} does not look like an email message, an mbox file or a Maildir folder (no header lines)`,
    { code: "NOT_AN_EMAIL", hint: WHAT_WE_TAKE },
  );
}

/** `Subject "…", Message-ID <…>` from the header of a message's first bytes, for naming it in an error. */
export function describeMessage(head: Buffer): string {
  const text = head.subarray(0, 64 * 1024).toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  const header = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, " ");
  const field = (name: string) =>
    header
      .split(/\r?\n/)
      .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
      ?.slice(name.length + 1)
      .trim()
      .slice(0, 120);
  const subject = field("Subject");
  const id = field("Message-ID");
  const parts = [subject === undefined ? null : `Subject "${subject}"`, id ? `Message-ID ${id}` : null];
  return parts.filter((p) => p !== null).join(", ") || "no Subject or Message-ID";
}

function tooLarge(path: string, label: string, maxBytes: number, head: Buffer, size?: number): UserError {
  const mb = maxBytes / MB;
  // "12.3 MB" or, below a megabyte, "850 KB": a number to compare with the limit, never 0.0.
  const shown = (n: number) => (n >= MB ? `${(n / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(n / 1024))} KB`);
  const bytes = size === undefined ? "" : ` is ${shown(size)}:`;
  return new UserError(`${path}: ${label} (${describeMessage(head)})${bytes} over the ${mb} MB limit for one message`, {
    code: "MESSAGE_TOO_LARGE",
    hint: "raise limits.message_mb in config.toml, or take that message out of the file, then import it again",
  });
}

/** Thrown by `MboxSplitter` when a message grows past the limit: its place and its first bytes. */
export class MboxMessageTooLarge extends Error {
  constructor(
    readonly index: number,
    readonly head: Buffer,
  ) {
    super(`mbox message ${index} is over the size limit`);
  }
}

type LineKind = "separator" | "quoted" | "plain";

/** What the line of `buf` from `start` (up to `end`, its LF or the end of the data) is to an mbox. */
function lineKind(buf: Buffer, start: number, end: number): LineKind {
  const first = buf[start];
  if (first === FROM_[0]) {
    return end - start >= FROM_.length && buf.compare(FROM_, 0, FROM_.length, start, start + FROM_.length) === 0
      ? "separator"
      : "plain";
  }
  if (first !== GT) return "plain";
  let i = start;
  while (i < end && buf[i] === GT) i++;
  return end - i >= FROM_.length && buf.compare(FROM_, 0, FROM_.length, i, i + FROM_.length) === 0 ? "quoted" : "plain";
}

/**
 * Splits an mbox into messages, chunk by chunk, holding only the message being read (and at most `maxBytes` of
 * it: past that it throws `MboxMessageTooLarge`). Lines are found by their LF; a run of ordinary lines is kept as
 * a slice of its chunk, so the bytes are never decoded or copied line by line.
 */
export class MboxSplitter {
  private parts: Buffer[] = [];
  private size = 0;
  /** The number of `From ` lines seen: the place of the message being read. */
  private index = 0;
  private pending: Buffer[] = [];
  private pendingSize = 0;

  constructor(private readonly maxBytes: number) {}

  /** Feed the next chunk of the file; returns the messages it completed, with their places. */
  push(chunk: Buffer): { index: number; raw: Buffer }[] {
    const out: { index: number; raw: Buffer }[] = [];
    if (chunk.indexOf(LF) === -1) {
      // No line ends here: keep it whole until one does (a long line costs one copy, not one per chunk).
      this.pending.push(chunk);
      this.pendingSize += chunk.length;
      this.check();
      return out;
    }
    const buf = this.pendingSize > 0 ? Buffer.concat([...this.pending, chunk]) : chunk;
    this.pending = [];
    this.pendingSize = 0;
    let lineStart = 0;
    let runStart = 0;
    for (let nl = buf.indexOf(LF); nl !== -1; nl = buf.indexOf(LF, lineStart)) {
      runStart = this.line(buf, lineStart, nl, runStart, out);
      lineStart = nl + 1;
    }
    this.add(buf.subarray(runStart, lineStart));
    if (lineStart < buf.length) {
      this.pending = [buf.subarray(lineStart)];
      this.pendingSize = buf.length - lineStart;
      this.check();
    }
    return out;
  }

  /** The end of the file: the last line (if it has no LF) and the last message. */
  end(): { index: number; raw: Buffer }[] {
    const out: { index: number; raw: Buffer }[] = [];
    if (this.pendingSize > 0) {
      const last = Buffer.concat(this.pending);
      this.pending = [];
      this.pendingSize = 0;
      this.add(last.subarray(this.line(last, 0, last.length, 0, out)));
    }
    this.finish(out);
    return out;
  }

  /** Handle one line of `buf` (`start` to `end`); returns where the run of kept bytes now starts. */
  private line(buf: Buffer, start: number, end: number, runStart: number, out: { index: number; raw: Buffer }[]) {
    const kind = lineKind(buf, start, end);
    if (kind === "plain") return runStart;
    this.add(buf.subarray(runStart, start));
    if (kind === "quoted") return start + 1; // one `>` less
    this.finish(out);
    this.index++;
    return end + 1; // the separator line is not part of any message
  }

  private add(bytes: Buffer): void {
    // Bytes before the first `From ` line belong to no message (openSource takes only files that start with one).
    if (bytes.length === 0 || this.index === 0) return;
    this.parts.push(bytes);
    this.size += bytes.length;
    this.check();
  }

  private check(): void {
    if (this.index === 0 || this.size + this.pendingSize <= this.maxBytes) return;
    const head: Buffer[] = [];
    let held = 0;
    for (const p of [...this.parts, ...this.pending]) {
      if (held >= 64 * 1024) break;
      head.push(p);
      held += p.length;
    }
    throw new MboxMessageTooLarge(this.index, Buffer.concat(head));
  }

  /** Close the message being read: less the empty line that ends it in the mbox; an empty one is no message. */
  private finish(out: { index: number; raw: Buffer }[]): void {
    if (this.index === 0) return;
    let raw = Buffer.concat(this.parts, this.size);
    this.parts = [];
    this.size = 0;
    if (raw.length === 1 && raw[0] === LF) raw = raw.subarray(0, 0);
    else if (raw.length === 2 && raw[0] === 0x0d && raw[1] === LF) raw = raw.subarray(0, 0);
    else if (raw.length >= 3 && raw.subarray(-3).equals(Buffer.from("\n\r\n"))) raw = raw.subarray(0, -2);
    else if (raw.length >= 2 && raw[raw.length - 2] === LF && raw[raw.length - 1] === LF) raw = raw.subarray(0, -1);
    if (raw.length > 0) out.push({ index: this.index, raw });
  }
}

async function* mboxMessages(path: string, maxBytes: number): AsyncGenerator<SourceMessage> {
  const splitter = new MboxSplitter(maxBytes);
  const file = openRegularFile(path, path, { notAFile: WHAT_WE_TAKE });
  const stream = createReadStream(path, { fd: file.fd, autoClose: true, highWaterMark: 256 * 1024 });
  const label = (index: number) => `message ${index}`;
  let read = 0;
  try {
    for await (const chunk of stream) {
      read += (chunk as Buffer).length;
      for (const m of splitter.push(chunk as Buffer)) yield { ...m, label: label(m.index), read };
    }
    for (const m of splitter.end()) yield { ...m, label: label(m.index), read };
  } catch (err) {
    if (err instanceof MboxMessageTooLarge) throw tooLarge(path, label(err.index), maxBytes, err.head);
    if (err instanceof UserError) throw err;
    throw readError(path, err);
  } finally {
    stream.destroy();
  }
}

/** One whole file as one message: the .eml (`name` null) or a Maildir's file; refused unread when over the limit. */
async function fileMessage(
  source: string,
  name: string | null,
  index: number,
  maxBytes: number,
): Promise<SourceMessage> {
  const path = name === null ? source : join(source, name);
  const file = openRegularFile(path, path, { notAFile: WHAT_WE_TAKE });
  try {
    const label = name === null ? "the message" : `message ${index} (${name})`;
    if (file.size > maxBytes) throw tooLarge(source, label, maxBytes, readHead(file, 64 * 1024), file.size);
    const cap = {
      bytes: maxBytes,
      limit: `${maxBytes / MB} MB limit for one message`,
      code: "MESSAGE_TOO_LARGE" as const,
    };
    return { index, label, raw: readInput(file, { ...cap, hint: "raise limits.message_mb in config.toml" }) };
  } finally {
    closeInput(file);
  }
}

/**
 * Each message of a source, in order, as the bytes it holds. Throws MESSAGE_TOO_LARGE for a message over
 * `maxBytes` (naming it) and FILE_UNREADABLE when reading fails midway; the caller decides what that undoes.
 */
export async function* readMessages(source: MessageSource, maxBytes: number): AsyncGenerator<SourceMessage> {
  if (source.kind === "mbox") {
    yield* mboxMessages(source.path, maxBytes);
  } else if (source.kind === "eml") {
    yield await fileMessage(source.path, null, 1, maxBytes);
  } else {
    for (const [i, name] of source.files.entries()) {
      yield await fileMessage(source.path, name, i + 1, maxBytes);
    }
  }
}
