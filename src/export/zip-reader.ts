/**
 * A small zip reader for checking a bundle without trusting it: the central directory (zip64 included), and
 * each stored or deflated entry streamed through SHA-256 and CRC-32. Nothing is ever written to disk.
 *
 * Everything is read through one descriptor the caller opened (and checked as a regular file) once: the file
 * checked is the file read, even if another is put at its path meanwhile.
 */
import { createHash } from "node:crypto";
import { createReadStream, read as readFd } from "node:fs";
import { crc32, createInflateRaw } from "node:zlib";

/** A zip open for reading: its descriptor (left open: the caller closes it) and its size when it was opened. */
export interface OpenZip {
  fd: number;
  size: number;
}

/** Read `length` bytes at `position` of the open file (fewer only at its end). */
function readAt(zip: OpenZip, buf: Buffer, length: number, position: number): Promise<number> {
  return new Promise((resolve, reject) => {
    readFd(zip.fd, buf, 0, length, position, (err, n) => (err ? reject(err) : resolve(n)));
  });
}

export interface ZipEntry {
  name: string;
  /** The name's bytes as the central directory stores them (the local header must store the same). */
  rawName: Buffer;
  method: number;
  flags: number;
  crc32: number;
  compressedSize: number;
  size: number;
  localHeaderOffset: number;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const MAX_CENTRAL_DIRECTORY = 256 * 1024 * 1024;

/** The file is not a zip this reader can read (damaged, encrypted, or an unknown compression method). */
export class ZipFormatError extends Error {}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a zip64 value is too large");
  return Number(v);
}

const UNICODE_PATH = 0x7075;

/**
 * An entry's name: UTF-8 when the zip says so (general purpose bit 11); else Info-ZIP's Unicode Path extra field
 * when it matches the stored name (a bundle unzipped and zipped again with Info-ZIP keeps its names that way);
 * else UTF-8 when the bytes are valid UTF-8, which is what a zip made on a UTF-8 system holds; else Latin-1.
 */
function decodeName(rawName: Buffer, flags: number, extra: Buffer): string {
  if (flags & 0x800) return rawName.toString("utf8");
  for (let x = 0; x + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(x);
    const len = extra.readUInt16LE(x + 2);
    if (id === UNICODE_PATH && len >= 5 && x + 4 + len <= extra.length && extra[x + 4] === 1) {
      if (extra.readUInt32LE(x + 5) >>> 0 === crc32(rawName) >>> 0)
        return extra.subarray(x + 9, x + 4 + len).toString("utf8");
    }
    x += 4 + len;
  }
  const utf8 = rawName.toString("utf8");
  return Buffer.from(utf8, "utf8").equals(rawName) ? utf8 : rawName.toString("latin1");
}

/** Read a zip's central directory (the list of entries with their sizes, CRCs and offsets). */
export async function readZipDirectory(zip: OpenZip): Promise<{ entries: ZipEntry[]; size: number }> {
  const size = zip.size;
  const read = async (position: number, length: number): Promise<Buffer> => {
    if (position < 0 || length < 0 || position + length > size)
      throw new ZipFormatError("an offset points outside the file");
    const buf = Buffer.alloc(length);
    if ((await readAt(zip, buf, length, position)) !== length) throw new ZipFormatError("the file ended early");
    return buf;
  };
  if (size < 22) throw new ZipFormatError("too short to be a zip");
  const tailLength = Math.min(size, 22 + 0xffff);
  const tail = await read(size - tailLength, tailLength);
  let eocd = -1;
  for (let i = tail.length - 22; i >= 0; i--) {
    if (tail.readUInt32LE(i) === EOCD && i + 22 + tail.readUInt16LE(i + 20) === tail.length) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("no end-of-central-directory record");
  let count = tail.readUInt16LE(eocd + 10);
  let cdSize = tail.readUInt32LE(eocd + 12);
  let cdOffset = tail.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const locatorAt = size - tailLength + eocd - 20;
    const locator = await read(locatorAt, 20);
    if (locator.readUInt32LE(0) !== ZIP64_LOCATOR) throw new ZipFormatError("zip64 locator missing");
    const recAt = u64(locator, 8);
    const rec = await read(recAt, 56);
    if (rec.readUInt32LE(0) !== ZIP64_EOCD) throw new ZipFormatError("zip64 end record missing");
    count = u64(rec, 32);
    cdSize = u64(rec, 40);
    cdOffset = u64(rec, 48);
  }
  if (cdSize > MAX_CENTRAL_DIRECTORY) throw new ZipFormatError("the central directory is implausibly large");
  const cd = await read(cdOffset, cdSize);
  const entries: ZipEntry[] = [];
  let p = 0;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cd.length || cd.readUInt32LE(p) !== CENTRAL) throw new ZipFormatError("central directory damaged");
    const flags = cd.readUInt16LE(p + 8);
    const method = cd.readUInt16LE(p + 10);
    const crc = cd.readUInt32LE(p + 16);
    let compressedSize = cd.readUInt32LE(p + 20);
    let uncompressed = cd.readUInt32LE(p + 24);
    const nameLength = cd.readUInt16LE(p + 28);
    const extraLength = cd.readUInt16LE(p + 30);
    const commentLength = cd.readUInt16LE(p + 32);
    let offset = cd.readUInt32LE(p + 42);
    const end = p + 46 + nameLength + extraLength + commentLength;
    if (end > cd.length) throw new ZipFormatError("central directory damaged");
    const rawName = Buffer.from(cd.subarray(p + 46, p + 46 + nameLength));
    const name = decodeName(rawName, flags, cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
    // zip64 extra field: only the values that overflowed are present, in this order.
    let x = p + 46 + nameLength;
    const extraEnd = x + extraLength;
    while (x + 4 <= extraEnd) {
      const id = cd.readUInt16LE(x);
      const len = cd.readUInt16LE(x + 2);
      if (id === 0x0001) {
        let q = x + 4;
        if (uncompressed === 0xffffffff && q + 8 <= x + 4 + len) {
          uncompressed = u64(cd, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= x + 4 + len) {
          compressedSize = u64(cd, q);
          q += 8;
        }
        if (offset === 0xffffffff && q + 8 <= x + 4 + len) offset = u64(cd, q);
      }
      x += 4 + len;
    }
    entries.push({
      name,
      rawName,
      method,
      flags,
      crc32: crc,
      compressedSize,
      size: uncompressed,
      localHeaderOffset: offset,
    });
    p = end;
  }
  return { entries, size };
}

/** Where an entry's data starts (after its local header). */
async function dataStart(zip: OpenZip, e: ZipEntry): Promise<number> {
  const head = Buffer.alloc(30);
  if ((await readAt(zip, head, 30, e.localHeaderOffset)) !== 30 || head.readUInt32LE(0) !== LOCAL)
    throw new ZipFormatError(`local header of ${e.name} damaged`);
  // A name in the local header other than the directory's: an unzip tool would extract it under that name.
  const nameLength = head.readUInt16LE(26);
  const local = Buffer.alloc(nameLength);
  const got = await readAt(zip, local, nameLength, e.localHeaderOffset + 30);
  if (!local.subarray(0, got).equals(e.rawName))
    throw new ZipFormatError(
      `its local header names it ${JSON.stringify(local.subarray(0, got).toString("utf8"))}, not the name in the zip's directory`,
    );
  return e.localHeaderOffset + 30 + nameLength + head.readUInt16LE(28);
}

export interface EntryDigest {
  size: number;
  sha256: string;
  crcOk: boolean;
}

/**
 * Stream one entry through SHA-256 and CRC-32 (inflating a deflated one); `onChunk` sees the bytes as well. An
 * entry that inflates to more than its directory says is cut off there (a zip bomb cannot run on).
 */
export async function digestEntry(zip: OpenZip, e: ZipEntry, onChunk?: (chunk: Buffer) => void): Promise<EntryDigest> {
  if (e.flags & 0x1) throw new ZipFormatError(`${e.name} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw new ZipFormatError(`${e.name} uses compression method ${e.method}`);
  const start = await dataStart(zip, e);
  const hash = createHash("sha256");
  let crc = 0;
  let size = 0;
  const raw =
    e.compressedSize === 0
      ? null
      : createReadStream("", { fd: zip.fd, autoClose: false, start, end: start + e.compressedSize - 1 });
  if (raw) {
    const stream = e.method === 8 ? raw.pipe(createInflateRaw()) : raw;
    raw.on("error", (err) => stream.destroy(err));
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > e.size) {
          raw.destroy();
          throw new ZipFormatError(`${e.name} holds more data than the zip's directory says`);
        }
        hash.update(chunk);
        crc = crc32(chunk, crc);
        onChunk?.(chunk);
      }
    } catch (err) {
      if (err instanceof ZipFormatError) throw err;
      throw new ZipFormatError(`${e.name} cannot be read: ${(err as Error).message}`);
    }
  }
  return { size, sha256: hash.digest("hex"), crcOk: crc >>> 0 === e.crc32 >>> 0 && size === e.size };
}

/** An entry's text (for manifest.json, events.jsonl, timeline.json, certificate.txt), up to `cap` bytes. */
export async function entryText(zip: OpenZip, e: ZipEntry, cap: number): Promise<string> {
  if (e.size > cap) throw new ZipFormatError(`${e.name} is larger than ${cap} bytes`);
  const chunks: Buffer[] = [];
  await digestEntry(zip, e, (c) => chunks.push(c));
  return Buffer.concat(chunks).toString("utf8");
}
