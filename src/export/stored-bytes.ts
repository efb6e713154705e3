/**
 * A message's original or a stored file, as the evidence bundle hands it to the zip: checked against the hash it is
 * stored under, and for a large one read in parts, one at a time, so that the export never holds it whole (nor
 * SQLite's copy of it beside a whole copy in JavaScript). the database driver reads a BLOB only whole, so each part is
 * a substr() of the value (store/evidence.ts): SQLite reads the value again for each part, which is why the parts
 * are few and large (at most PARTS_MAX a value).
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import { readStoredPart, type StoredBytes, storedSize } from "../store/evidence.js";
import { findMessageRaw, getBlob } from "../store/messages.js";

/** Parts are at least this large ... */
const PART_MIN = 2 * 1024 * 1024;
/** ... and a value is read in at most this many of them. */
const PARTS_MAX = 8;

/** The size of each part of a value of `size` bytes. */
export function partSize(size: number): number {
  return Math.max(PART_MIN, Math.ceil(size / PARTS_MAX));
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** The stored bytes are gone (a row deleted during the export). */
export function goneError(at: StoredBytes): UserError {
  return at.kind === "message"
    ? new UserError(`message ${at.id} disappeared from the database during the export`, { code: "MESSAGE_VANISHED" })
    : new UserError(`file ${at.sha256} is missing from the database`, {
        code: "STORED_FILE_MISSING",
        hint: "check the whole database with loanmail verify",
      });
}

/** The stored bytes no longer hash to what they are stored under. */
export function mismatchError(at: StoredBytes, expected: string): UserError {
  const what =
    at.kind === "message"
      ? `message ${at.id}'s stored bytes do not match its stored SHA-256 ${expected}`
      : `file ${at.sha256}'s stored bytes do not match its hash`;
  return new UserError(what, {
    code: "STORED_BYTES_MISMATCH",
    hint: "the database was changed outside loanmail; check the whole database with loanmail verify",
  });
}

/** The stored bytes whole (one query), checked against `expected`. */
export function wholeStoredBytes(db: Db, at: StoredBytes, expected: string): Buffer {
  const data = at.kind === "message" ? findMessageRaw(db, at.id) : getBlob(db, at.sha256);
  if (!data) throw goneError(at);
  if (sha256(data) !== expected) throw mismatchError(at, expected);
  return data;
}

/** What a streamed value was, once all of it has been handed on. */
export interface StreamedFacts {
  size: number;
  sha256: string;
}

/** A stored value's size and its first part (partSize: the whole of a small value), read before it is handed on. */
export interface FirstPart {
  size: number;
  first: Buffer;
}

/** The size and first part of the stored value, or a gone error. */
export function firstPart(db: Db, at: StoredBytes): FirstPart {
  const size = storedSize(db, at);
  if (size === undefined) throw goneError(at);
  const first = size === 0 ? Buffer.alloc(0) : readStoredPart(db, at, 0, partSize(size));
  if (!first) throw goneError(at);
  return { size, first };
}

/**
 * The stored bytes as a stream of parts read one at a time, as the zip takes them, starting with `start.first`;
 * hashed on the way and checked against `expected` at the end (a mismatch ends the stream with an error, which
 * ends the zip: the export leaves no file). `done` is told the size and hash handed on; `afterPart`, if given, runs
 * each time the zip has taken a part (the app gives back dead buffers there: app/dead-buffers.ts).
 */
export function streamStoredBytes(
  db: Db,
  at: StoredBytes,
  start: FirstPart,
  expected: string,
  done: (facts: StreamedFacts) => void,
  afterPart?: () => void,
): Readable {
  async function* parts(): AsyncGenerator<Buffer> {
    const hash = createHash("sha256");
    const step = partSize(start.size);
    let part: Buffer | undefined = start.first;
    let handed = 0;
    while (part && part.length > 0) {
      hash.update(part);
      handed += part.length;
      yield part;
      afterPart?.();
      part = handed < start.size ? readStoredPart(db, at, handed, step) : undefined;
      if (handed < start.size && !part) throw goneError(at);
    }
    const got = hash.digest("hex");
    if (got !== expected) throw mismatchError(at, expected);
    done({ size: handed, sha256: got });
  }
  return Readable.from(parts(), { objectMode: false });
}
