/**
 * A WOFF font file unpacked to the plain TrueType/OpenType it wraps (W3C WOFF 1.0, section 5): each table is
 * inflated with Node's zlib and the sfnt rebuilt around them. fontkit reads .woff itself, but inflates its tables in
 * JavaScript for every document that opens the font; unpacked once per process, a letter renders several times
 * faster. pdfkit takes the result as a font buffer. One change is made on the way (withoutCcmp).
 */
import { readFileSync } from "node:fs";
import { inflateSync } from "node:zlib";

const WOFF = 0x774f4646; // "wOFF"
const GSUB = 0x47535542; // "GSUB"

/**
 * The GSUB table with its `ccmp` features renamed `ccm_`, so no shaper applies them. `ccmp` splits a precomposed
 * letter such as "ị" into "i" and a combining dot; pdfkit then maps the glyph "i" to "ị" in the text layer for the
 * whole document (a text extractor, a screen reader, a search would read "Maị" for "Mai"). Text is NFC before it
 * is drawn, so each letter has its own precomposed glyph and nothing is lost.
 */
function withoutCcmp(gsub: Buffer): Buffer {
  const out = Buffer.from(gsub);
  if (out.length < 10) return out;
  const list = out.readUInt16BE(6);
  const count = out.readUInt16BE(list);
  for (let i = 0; i < count; i++) {
    const at = list + 2 + i * 6;
    if (at + 4 <= out.length && out.toString("latin1", at, at + 4) === "ccmp") out.write("ccm_", at, "latin1");
  }
  return out;
}

/** The sfnt checksum of a table (the sum of its big-endian 32-bit words, zero-padded). */
function checksum(data: Buffer): number {
  const padded = Buffer.alloc((data.length + 3) & ~3);
  data.copy(padded);
  let sum = 0;
  for (let i = 0; i < padded.length; i += 4) sum = (sum + padded.readUInt32BE(i)) >>> 0;
  return sum;
}

export function woffToSfnt(woff: Buffer): Buffer {
  if (woff.length < 44 || woff.readUInt32BE(0) !== WOFF) throw new Error("not a WOFF 1.0 font");
  const flavor = woff.readUInt32BE(4);
  const numTables = woff.readUInt16BE(12);
  const tables: { tag: number; checksum: number; data: Buffer }[] = [];
  for (let i = 0; i < numTables; i++) {
    const at = 44 + i * 20;
    const offset = woff.readUInt32BE(at + 4);
    const compLength = woff.readUInt32BE(at + 8);
    const origLength = woff.readUInt32BE(at + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const inflated = compLength < origLength ? inflateSync(raw) : Buffer.from(raw);
    if (inflated.length !== origLength) throw new Error("a WOFF table does not inflate to its stated length");
    const tag = woff.readUInt32BE(at);
    const data = tag === GSUB ? withoutCcmp(inflated) : inflated;
    tables.push({ tag, checksum: tag === GSUB ? checksum(data) : woff.readUInt32BE(at + 16), data });
  }
  tables.sort((a, b) => a.tag - b.tag);
  const log2 = Math.floor(Math.log2(numTables));
  const header = Buffer.alloc(12 + 16 * numTables);
  header.writeUInt32BE(flavor, 0);
  header.writeUInt16BE(numTables, 4);
  header.writeUInt16BE(2 ** log2 * 16, 6);
  header.writeUInt16BE(log2, 8);
  header.writeUInt16BE(numTables * 16 - 2 ** log2 * 16, 10);
  const parts: Buffer[] = [header];
  let offset = header.length;
  tables.forEach((t, i) => {
    const rec = 12 + i * 16;
    header.writeUInt32BE(t.tag, rec);
    header.writeUInt32BE(t.checksum, rec + 4);
    header.writeUInt32BE(offset, rec + 8);
    header.writeUInt32BE(t.data.length, rec + 12);
    const padded = Buffer.alloc((t.data.length + 3) & ~3);
    t.data.copy(padded);
    parts.push(padded);
    offset += padded.length;
  });
  return Buffer.concat(parts);
}

const unpacked = new Map<string, Buffer>();

/** The font at `path` (a .woff) as sfnt bytes, unpacked once per process. */
export function fontBytes(path: string): Buffer {
  let bytes = unpacked.get(path);
  if (!bytes) {
    bytes = woffToSfnt(readFileSync(path));
    unpacked.set(path, bytes);
  }
  return bytes;
}
