/**
 * Checking an evidence bundle without trusting it: a small zip reader (the central directory, stored and deflated
 * entries, zip64) that streams each entry through SHA-256 and CRC-32, then `verifyBundle` compares every file with
 * manifest.json, walks events.jsonl link by link up to the chain heads the manifest records, checks each .eml
 * against the hash recorded for it (the manifest's message list and the event chain), and the certificate's
 * manifest hash. Nothing in the zip is ever written to disk. `verifyDatabase` walks the chains (and the stored
 * bytes' hashes) inside a database.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { crc32, createInflateRaw } from "node:zlib";
import { UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import { computeEventHash, type EventRow, GENESIS_HASH, verifyChains } from "../store/events.js";

// ---------------------------------------------------------------------------------------------------------------
// Reading a zip

export interface ZipEntry {
  name: string;
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

class ZipFormatError extends Error {}

function u64(b: Buffer, at: number): number {
  const v = b.readBigUInt64LE(at);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError("a zip64 value is too large");
  return Number(v);
}

/** Read a zip's central directory (the list of entries with their sizes, CRCs and offsets). */
export async function readZipDirectory(path: string): Promise<{ entries: ZipEntry[]; size: number }> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const read = async (position: number, length: number): Promise<Buffer> => {
      if (position < 0 || length < 0 || position + length > size)
        throw new ZipFormatError("an offset points outside the file");
      const buf = Buffer.alloc(length);
      const { bytesRead } = await fh.read(buf, 0, length, position);
      if (bytesRead !== length) throw new ZipFormatError("the file ended early");
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
      const rawName = cd.subarray(p + 46, p + 46 + nameLength);
      const name = flags & 0x800 ? rawName.toString("utf8") : rawName.toString("latin1");
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
      entries.push({ name, method, flags, crc32: crc, compressedSize, size: uncompressed, localHeaderOffset: offset });
      p = end;
    }
    return { entries, size };
  } finally {
    await fh.close();
  }
}

/** Where an entry's data starts (after its local header). */
async function dataStart(path: string, e: ZipEntry): Promise<number> {
  const fh = await open(path, "r");
  try {
    const head = Buffer.alloc(30);
    const { bytesRead } = await fh.read(head, 0, 30, e.localHeaderOffset);
    if (bytesRead !== 30 || head.readUInt32LE(0) !== LOCAL)
      throw new ZipFormatError(`local header of ${e.name} damaged`);
    return e.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  } finally {
    await fh.close();
  }
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
export async function digestEntry(path: string, e: ZipEntry, onChunk?: (chunk: Buffer) => void): Promise<EntryDigest> {
  if (e.flags & 0x1) throw new ZipFormatError(`${e.name} is encrypted`);
  if (e.method !== 0 && e.method !== 8) throw new ZipFormatError(`${e.name} uses compression method ${e.method}`);
  const start = await dataStart(path, e);
  const hash = createHash("sha256");
  let crc = 0;
  let size = 0;
  const raw = e.compressedSize === 0 ? null : createReadStream(path, { start, end: start + e.compressedSize - 1 });
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
async function entryText(path: string, e: ZipEntry, cap: number): Promise<string> {
  if (e.size > cap) throw new ZipFormatError(`${e.name} is larger than ${cap} bytes`);
  const chunks: Buffer[] = [];
  await digestEntry(path, e, (c) => chunks.push(c));
  return Buffer.concat(chunks).toString("utf8");
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying a bundle

export interface Finding {
  /** The file (path inside the zip) or event the finding is about. */
  subject: string;
  ok: boolean;
  detail: string;
}

export interface BundleReport {
  file: string;
  ok: boolean;
  findings: Finding[];
  /** The first mismatch, if any. */
  first: Finding | null;
  counts: { files: number; events: number; chains: number; messages: number; omitted: number };
  redacted: boolean | null;
  toolVersion: string | null;
  createdAt: string | null;
}

interface ManifestShape {
  schema?: unknown;
  files?: { path?: unknown; size?: unknown; sha256?: unknown }[];
  messages?: { id?: unknown; path?: unknown; sha256?: unknown }[];
  omitted?: unknown[];
  events?: { path?: unknown; chains?: { chain?: unknown; case?: unknown; head?: unknown; events?: unknown }[] };
  redacted?: unknown;
  tool?: { version?: unknown };
  createdAt?: unknown;
}

interface ChainWalk {
  findings: Finding[];
  events: number;
  heads: Map<number, string>;
  /** The last raw-bytes hash the chain records for each message row (composed, queued, sent, edited, ...). */
  messageHashes: Map<number, { sha256: string; event: number }>;
}

const HEX64 = /^[0-9a-f]{64}$/;
const TEXT_CAP = 512 * 1024 * 1024;

/** Walk events.jsonl: each line's hash recomputed, each link to the line before it in its chain. */
export function walkEventLines(text: string, caseTags: ReadonlyMap<number, string>): ChainWalk {
  const findings: Finding[] = [];
  const heads = new Map<number, string>();
  const messageHashes = new Map<number, { sha256: string; event: number }>();
  let events = 0;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, i) => {
    const where = `events.jsonl line ${i + 1}`;
    let row: EventRow;
    try {
      row = JSON.parse(line) as EventRow;
    } catch {
      findings.push({ subject: where, ok: false, detail: "not valid JSON (the line was changed)" });
      return;
    }
    const label = `event ${row.id} (${where}${caseTags.get(row.chain) ? `, case ${caseTags.get(row.chain)}` : ""})`;
    if (
      typeof row.chain !== "number" ||
      typeof row.data !== "string" ||
      typeof row.hash !== "string" ||
      typeof row.prev_hash !== "string"
    ) {
      findings.push({ subject: label, ok: false, detail: "missing or mistyped fields" });
      return;
    }
    const expectedPrev = heads.get(row.chain) ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      findings.push({
        subject: label,
        ok: false,
        detail: `its link to the previous event is broken (prev_hash ${row.prev_hash}, previous event's hash ${expectedPrev})`,
      });
    }
    const { id: _id, hash, ...rest } = row;
    const recomputed = computeEventHash(rest);
    if (recomputed !== hash) {
      findings.push({
        subject: label,
        ok: false,
        detail: `its content does not match its hash (recorded ${hash}, content hashes to ${recomputed})`,
      });
    }
    // Continue the walk from the recorded hash so that one changed event is reported once, not at every later link.
    heads.set(row.chain, hash);
    events++;
    if (row.message_id !== null && typeof row.message_id === "number") {
      try {
        const d = JSON.parse(row.data) as Record<string, unknown>;
        // Events that name a message record its raw bytes' hash as sha256 (to_sha256 after an edit).
        const h = typeof d.to_sha256 === "string" ? d.to_sha256 : typeof d.sha256 === "string" ? d.sha256 : undefined;
        if (h && HEX64.test(h)) messageHashes.set(row.message_id, { sha256: h, event: row.id });
      } catch {
        // data that is not JSON records no hash
      }
    }
  });
  return { findings, events, heads, messageHashes };
}

/** Check a bundle. Throws a UserError (exit 1) only when the file is not a readable zip at all. */
export async function verifyBundle(path: string): Promise<BundleReport> {
  let dir: { entries: ZipEntry[] };
  try {
    dir = await readZipDirectory(path);
  } catch (err) {
    if (err instanceof ZipFormatError)
      throw new UserError(`${path} is not a readable zip (${err.message})`, "give the .zip that loanmail export wrote");
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${path} (${code ?? (err as Error).message})`, "check the path");
  }
  const findings: Finding[] = [];
  const fail = (subject: string, detail: string) => findings.push({ subject, ok: false, detail });
  const pass = (subject: string, detail: string) => findings.push({ subject, ok: true, detail });
  const report = (manifest: ManifestShape | null, counts: BundleReport["counts"]): BundleReport => {
    const first = findings.find((f) => !f.ok) ?? null;
    return {
      file: path,
      ok: first === null,
      findings,
      first,
      counts,
      redacted: typeof manifest?.redacted === "boolean" ? manifest.redacted : null,
      toolVersion: typeof manifest?.tool?.version === "string" ? manifest.tool.version : null,
      createdAt: typeof manifest?.createdAt === "string" ? manifest.createdAt : null,
    };
  };
  const counts = { files: 0, events: 0, chains: 0, messages: 0, omitted: 0 };

  const byName = new Map<string, ZipEntry>();
  for (const e of dir.entries) {
    if (byName.has(e.name)) fail(e.name, "appears twice in the zip");
    byName.set(e.name, e);
    if (e.name.startsWith("/") || /^[A-Za-z]:/.test(e.name) || e.name.split(/[\\/]/).includes(".."))
      fail(e.name, "unsafe file name (absolute or with ..)");
  }

  const manifestEntry = byName.get("manifest.json");
  if (!manifestEntry) {
    fail("manifest.json", "missing: this is not a loanmail evidence bundle, or its manifest was removed");
    return report(null, counts);
  }
  let manifest: ManifestShape;
  let manifestSha = "";
  try {
    const text = await entryText(path, manifestEntry, 64 * 1024 * 1024);
    manifestSha = createHash("sha256").update(text, "utf8").digest("hex");
    manifest = JSON.parse(text) as ManifestShape;
  } catch (err) {
    fail("manifest.json", `cannot be read: ${(err as Error).message}`);
    return report(null, counts);
  }
  if (manifest.schema !== 1 || !Array.isArray(manifest.files)) {
    fail("manifest.json", "not a schema 1 manifest");
    return report(manifest, counts);
  }
  const listed = new Map<string, { size?: unknown; sha256?: unknown }>();
  for (const f of manifest.files) if (typeof f.path === "string") listed.set(f.path, f);
  counts.omitted = Array.isArray(manifest.omitted) ? manifest.omitted.length : 0;

  // The chain, before the files, so that a .eml can be checked against the hash its events record.
  const chains = Array.isArray(manifest.events?.chains) ? manifest.events.chains : [];
  const caseTags = new Map<number, string>();
  for (const c of chains) if (typeof c.chain === "number" && typeof c.case === "string") caseTags.set(c.chain, c.case);
  const eventsPath = typeof manifest.events?.path === "string" ? manifest.events.path : null;
  let walk: ChainWalk | null = null;
  if (eventsPath) {
    const e = byName.get(eventsPath);
    if (!e) fail(eventsPath, "missing from the zip (the manifest lists it)");
    else {
      try {
        walk = walkEventLines(await entryText(path, e, TEXT_CAP), caseTags);
      } catch (err) {
        fail(eventsPath, `cannot be read: ${(err as Error).message}`);
      }
    }
  }
  const messageExpect = new Map<string, { id: number; sha256: string }>();
  for (const m of Array.isArray(manifest.messages) ? manifest.messages : []) {
    if (typeof m.path === "string" && typeof m.sha256 === "string" && typeof m.id === "number")
      messageExpect.set(m.path, { id: m.id, sha256: m.sha256 });
  }

  for (const e of dir.entries) {
    if (e.name === "manifest.json" || e.name.endsWith("/")) continue;
    if (e.name === "certificate.txt") {
      try {
        const text = await entryText(path, e, 1024 * 1024);
        const stated = /manifest\.json SHA-256:\s*([0-9a-f]{64})/.exec(text)?.[1];
        if (!stated) fail("certificate.txt", "does not state the manifest's SHA-256");
        else if (stated !== manifestSha)
          fail("certificate.txt", `states manifest SHA-256 ${stated}, but manifest.json hashes to ${manifestSha}`);
        else pass("certificate.txt", `names the manifest's SHA-256 ${manifestSha}`);
      } catch (err) {
        fail("certificate.txt", `cannot be read: ${(err as Error).message}`);
      }
      continue;
    }
    const want = listed.get(e.name);
    if (e.name === eventsPath && walk) {
      for (const f of walk.findings) fail(`${f.subject}`, f.detail);
    }
    if (!want) {
      fail(e.name, "is in the zip but not in the manifest");
      continue;
    }
    let d: EntryDigest;
    try {
      d = await digestEntry(path, e);
    } catch (err) {
      fail(e.name, `cannot be read: ${(err as Error).message}`);
      continue;
    }
    counts.files++;
    if (d.sha256 !== want.sha256 || d.size !== want.size) {
      fail(
        e.name,
        `does not match the manifest: SHA-256 ${d.sha256} (${d.size} bytes), manifest records ${String(want.sha256)} (${String(want.size)} bytes)`,
      );
      continue;
    }
    if (!d.crcOk) {
      fail(e.name, "its CRC-32 does not match the zip's directory (the zip was damaged)");
      continue;
    }
    if (e.name.endsWith(".eml") && e.name.startsWith("messages/")) {
      counts.messages++;
      const m = messageExpect.get(e.name);
      if (!m) {
        fail(e.name, "the manifest records no message for this original");
        continue;
      }
      if (m.sha256 !== d.sha256) {
        fail(e.name, `SHA-256 ${d.sha256} differs from the hash stored for message ${m.id} (${m.sha256})`);
        continue;
      }
      const chained = walk?.messageHashes.get(m.id);
      if (chained && chained.sha256 !== d.sha256) {
        fail(
          e.name,
          `SHA-256 ${d.sha256} differs from the hash event ${chained.event} recorded for it (${chained.sha256})`,
        );
        continue;
      }
      pass(
        e.name,
        `SHA-256 ${d.sha256} matches the manifest and the hash stored for message ${m.id}${chained ? ` (event ${chained.event})` : ""}`,
      );
      continue;
    }
    pass(e.name, `SHA-256 ${d.sha256} (${d.size} bytes) matches the manifest`);
  }
  for (const name of listed.keys())
    if (!byName.has(name)) fail(name, "listed in the manifest but missing from the zip");

  if (walk) {
    counts.events = walk.events;
    for (const c of chains) {
      if (typeof c.chain !== "number" || typeof c.head !== "string") continue;
      counts.chains++;
      const head = walk.heads.get(c.chain) ?? GENESIS_HASH;
      const label = `chain of ${String(c.case ?? c.chain)}`;
      if (head !== c.head) fail(label, `ends at ${head}, but the manifest records the head ${c.head}`);
      else pass(label, `${String(c.events ?? "?")} events linked from the first to the head ${c.head}`);
    }
  } else {
    counts.chains = chains.length;
  }
  return report(manifest, counts);
}

// ---------------------------------------------------------------------------------------------------------------
// Verifying the database

export interface DbReport {
  ok: boolean;
  events: number;
  chains: number;
  messages: number;
  blobs: number;
  first: { subject: string; detail: string } | null;
}

/**
 * Walk every event chain in the database, then check each stored message's and file's bytes against their
 * stored SHA-256 (one row at a time).
 */
export function verifyDatabase(db: Db, tagOf: (caseId: number) => string | undefined): DbReport {
  const chains = db.prepare("SELECT count(DISTINCT chain) FROM events").pluck().get() as number;
  const chainReport = verifyChains(db);
  if (!chainReport.ok && chainReport.broken) {
    const b = chainReport.broken;
    const tag = b.chain === 0 ? "no case (chain 0)" : (tagOf(b.chain) ?? `case ${b.chain}`);
    return {
      ok: false,
      events: chainReport.checked,
      chains,
      messages: 0,
      blobs: 0,
      first: {
        subject: `event ${b.id} (${tag})`,
        detail:
          b.reason === "content changed"
            ? "its content does not match its hash"
            : "its link to the previous event is broken",
      },
    };
  }
  const hashOf = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  let messages = 0;
  const ids = db.prepare("SELECT id, raw_sha256 FROM messages ORDER BY id").all() as {
    id: number;
    raw_sha256: string;
  }[];
  const rawOf = db.prepare("SELECT raw FROM messages WHERE id = ?").pluck();
  for (const m of ids) {
    const raw = rawOf.get(m.id) as Buffer;
    messages++;
    if (hashOf(raw) !== m.raw_sha256) {
      return {
        ok: false,
        events: chainReport.checked,
        chains,
        messages,
        blobs: 0,
        first: { subject: `message ${m.id}`, detail: "its stored bytes do not match its stored SHA-256" },
      };
    }
  }
  let blobs = 0;
  const shas = db.prepare("SELECT sha256 FROM blobs ORDER BY sha256").pluck().all() as string[];
  const blobOf = db.prepare("SELECT data FROM blobs WHERE sha256 = ?").pluck();
  for (const sha of shas) {
    blobs++;
    if (hashOf(blobOf.get(sha) as Buffer) !== sha) {
      return {
        ok: false,
        events: chainReport.checked,
        chains,
        messages,
        blobs,
        first: { subject: `file ${sha}`, detail: "its stored bytes do not match the hash it is stored under" },
      };
    }
  }
  return { ok: true, events: chainReport.checked, chains, messages, blobs, first: null };
}
