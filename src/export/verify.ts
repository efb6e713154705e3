/**
 * Checking an evidence bundle without trusting it: `verifyBundle` reads the zip (zip-reader.ts), compares every
 * file with manifest.json, walks events.jsonl link by link up to the chain heads the manifest records
 * (verify-chain.ts), checks each .eml against the hash recorded for it (the manifest's message list and the
 * event chain), and the certificate's manifest hash, in its text and its PDF (verify-certificate.ts); with the
 * database, the bundle's chain heads and the manifest hash its `exported` event recorded (verify-exported.ts).
 * Nothing in the zip is ever written to disk. The database's own chains are checked by verify-db.ts.
 */

import { createHash } from "node:crypto";
import { basename } from "node:path";
import type { Progress } from "../domain/progress.js";
import { UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import { GENESIS_HASH } from "../store/events.js";
import { findChainPoint } from "../store/evidence.js";
import { listPurgeRecords, type PurgeRecord } from "../store/purge-ledger.js";
import { sanitizeFileName } from "./bundle-names.js";
import { checkCertificate, checkCertificatePdf } from "./verify-certificate.js";
import { type ChainWalk, type Finding, type RecordedFiles, walkEventEntry } from "./verify-chain.js";
import { checkExportedManifest } from "./verify-exported.js";
import {
  digestEntry,
  type EntryDigest,
  entryText,
  type OpenZip,
  readZipDirectory,
  type ZipEntry,
  ZipFormatError,
} from "./zip-reader.js";

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
  /** Checks asked for and not made, each saying why and what makes it (a fenced `verify FILE.zip --db`). */
  notChecked?: string[];
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

type Counts = BundleReport["counts"];

const TEXT_CAP = 512 * 1024 * 1024;

/** The findings of one check, in the order they were made, and the checks that could not be made. */
export class Findings {
  readonly list: Finding[] = [];
  /** Each check not made, saying why and what makes it (BundleReport.notChecked): never passed in silence. */
  readonly notChecked: string[] = [];

  skip(why: string): void {
    this.notChecked.push(why);
  }

  fail(subject: string, detail: string): void {
    this.list.push({ subject, ok: false, detail });
  }

  pass(subject: string, detail: string): void {
    this.list.push({ subject, ok: true, detail });
  }
}

/** What the manifest says the zip holds, and the chain walked from events.jsonl. */
interface Expected {
  path: string;
  /** The bundle, open: every entry is read through it. */
  zip: OpenZip;
  manifestSha: string;
  listed: Map<string, { size?: unknown; sha256?: unknown }>;
  messages: Map<string, { id: number; sha256: string }>;
  eventsPath: string | null;
  walk: ChainWalk | null;
  /** The hash certificate.txt states for certificate.pdf. */
  certificatePdf: string | null;
}

/** The zip's directory; a file that is not a readable zip is the user's error (exit 1). */
async function openBundle(path: string, zip: OpenZip): Promise<ZipEntry[]> {
  try {
    return (await readZipDirectory(zip)).entries;
  } catch (err) {
    if (err instanceof ZipFormatError) {
      throw new UserError(`${path} is not a readable zip (${err.message})`, {
        code: "BUNDLE_NOT_A_ZIP",
        hint: "give the .zip that loanmail export wrote",
      });
    }
    const code = (err as NodeJS.ErrnoException).code;
    throw new UserError(`cannot read ${path} (${code ?? (err as Error).message})`, {
      code: "BUNDLE_UNREADABLE",
      hint: "check the path",
    });
  }
}

/** The entries by name; a name given twice, absolute or climbing out with .. is a finding. */
function entriesByName(entries: readonly ZipEntry[], f: Findings): Map<string, ZipEntry> {
  const byName = new Map<string, ZipEntry>();
  for (const e of entries) {
    if (byName.has(e.name)) f.fail(e.name, "appears twice in the zip");
    byName.set(e.name, e);
    if (e.name.startsWith("/") || /^[A-Za-z]:/.test(e.name) || e.name.split(/[\\/]/).includes(".."))
      f.fail(e.name, "unsafe file name (absolute or with ..)");
  }
  return byName;
}

/** manifest.json and its SHA-256, or null (with a finding) when it is missing or unreadable. */
async function readManifest(
  zip: OpenZip,
  byName: ReadonlyMap<string, ZipEntry>,
  f: Findings,
): Promise<{ manifest: ManifestShape; sha: string } | null> {
  const entry = byName.get("manifest.json");
  if (!entry) {
    f.fail("manifest.json", "missing: this is not a loanmail evidence bundle, or its manifest was removed");
    return null;
  }
  try {
    const text = await entryText(zip, entry, 64 * 1024 * 1024);
    const sha = createHash("sha256").update(text, "utf8").digest("hex");
    return { manifest: JSON.parse(text) as ManifestShape, sha };
  } catch (err) {
    f.fail("manifest.json", `cannot be read: ${(err as Error).message}`);
    return null;
  }
}

/** The chain, walked before the files, so that a .eml can be checked against the hash its events record. */
async function walkBundleChain(
  zip: OpenZip,
  eventsPath: string | null,
  byName: ReadonlyMap<string, ZipEntry>,
  caseTags: ReadonlyMap<number, string>,
  f: Findings,
): Promise<ChainWalk | null> {
  if (!eventsPath) return null;
  const e = byName.get(eventsPath);
  if (!e) {
    f.fail(eventsPath, "missing from the zip (the manifest lists it)");
    return null;
  }
  try {
    return await walkEventEntry(zip, e, caseTags, TEXT_CAP);
  } catch (err) {
    f.fail(eventsPath, `cannot be read: ${(err as Error).message}`);
    return null;
  }
}

/** An original (.eml) against the hash the manifest stores for its message and the hash its events record. */
function checkOriginal(e: ZipEntry, d: EntryDigest, x: Expected, f: Findings): void {
  const m = x.messages.get(e.name);
  if (!m) {
    f.fail(e.name, "the manifest records no message for this original");
    return;
  }
  if (m.sha256 !== d.sha256) {
    f.fail(e.name, `SHA-256 ${d.sha256} differs from the hash stored for message ${m.id} (${m.sha256})`);
    return;
  }
  const chained = x.walk?.messageHashes.get(m.id);
  if (chained && chained.sha256 !== d.sha256) {
    f.fail(
      e.name,
      `SHA-256 ${d.sha256} differs from the hash event ${chained.event} recorded for it (${chained.sha256})`,
    );
    return;
  }
  f.pass(
    e.name,
    `SHA-256 ${d.sha256} matches the manifest and the hash stored for message ${m.id}${chained ? ` (event ${chained.event})` : ""}`,
  );
}

/** One entry of the zip (other than the manifest) against what the manifest lists for it. */
async function checkEntry(e: ZipEntry, x: Expected, counts: Counts, f: Findings): Promise<void> {
  if (e.name === "certificate.txt") return; // checked first (verifyBundle)
  if (e.name === "certificate.pdf") return checkCertificatePdf(x.zip, e, x.certificatePdf, x.manifestSha, f);
  const want = x.listed.get(e.name);
  if (e.name === x.eventsPath && x.walk) {
    for (const w of x.walk.findings) f.fail(`${w.subject}`, w.detail);
  }
  if (!want) {
    f.fail(e.name, "is in the zip but not in the manifest");
    return;
  }
  let d: EntryDigest;
  try {
    d = await digestEntry(x.zip, e);
  } catch (err) {
    f.fail(e.name, `cannot be read: ${(err as Error).message}`);
    return;
  }
  counts.files++;
  if (d.sha256 !== want.sha256 || d.size !== want.size) {
    f.fail(
      e.name,
      `does not match the manifest: SHA-256 ${d.sha256} (${d.size} bytes), manifest records ${String(want.sha256)} (${String(want.size)} bytes)`,
    );
    return;
  }
  if (!d.crcOk) {
    f.fail(e.name, "its CRC-32 does not match the zip's directory (the zip was damaged)");
    return;
  }
  if (e.name.endsWith(".eml") && e.name.startsWith("messages/")) {
    counts.messages++;
    checkOriginal(e, d, x, f);
    return;
  }
  const recorded = x.walk ? recordedFor(e.name, x.walk.files, (nnn) => messageNumbered(x, nnn)) : undefined;
  if (recorded && !recorded.some((r) => r.sha256 === d.sha256)) {
    const r = recorded.at(-1);
    f.fail(e.name, `SHA-256 ${d.sha256} is not the hash event ${r?.event} recorded for this file (${r?.sha256})`);
    return;
  }
  f.pass(
    e.name,
    `SHA-256 ${d.sha256} (${d.size} bytes) matches the manifest${recorded ? ` and the event that recorded it (event ${recorded.find((r) => r.sha256 === d.sha256)?.event})` : ""}`,
  );
}

/** The message whose original is messages/NNN-... in the bundle. */
function messageNumbered(x: Expected, nnn: string): number | undefined {
  for (const [path, m] of x.messages) if (path.startsWith(`messages/${nnn}-`)) return m.id;
  return undefined;
}

const bundleNameCache = new WeakMap<RecordedFiles, Map<string, { sha256: string; event: number }[]>>();

/** The recorded files by the name the bundle gives them (sanitized), made once per walk. */
function bundleNames(files: RecordedFiles): Map<string, { sha256: string; event: number }[]> {
  let byBundleName = bundleNameCache.get(files);
  if (!byBundleName) {
    byBundleName = new Map();
    for (const [recorded, list] of files.byName) {
      const name = sanitizeFileName(recorded);
      byBundleName.set(name, [...(byBundleName.get(name) ?? []), ...list]);
    }
    bundleNameCache.set(files, byBundleName);
  }
  return byBundleName;
}

const PROOF_PREFIX = /^\d+-(?:receipt|green-card|tracking-proof)-/;

/**
 * The hashes the event chain records for a file of the bundle, by its path: an exhibit of a letter or a proof of
 * mailing by its name, a letter's printed PDF and a paper reply's scan by their message. Undefined for a file the
 * chain names no hash for (a mail reply's attachment, a confirmation, a generated file): the manifest alone vouches
 * for those.
 */
function recordedFor(
  path: string,
  files: RecordedFiles,
  messageOf: (nnn: string) => number | undefined,
): { sha256: string; event: number }[] | undefined {
  const parts = path.split("/");
  const base = (parts.at(-1) ?? "").replace(/ \(\d+\)(\.[^.]*)?$/, "$1");
  if (parts[0] === "letters") {
    const id = /-(\d+)\.pdf$/.exec(base)?.[1];
    return id === undefined || base.endsWith("-redacted.pdf") ? undefined : files.printed.get(Number(id));
  }
  if (parts[0] !== "exhibits" || parts.includes("confirmations")) return undefined;
  // Under received/, NNN- is the number of the message's original in messages/: a paper reply's scan is recorded by its event; a mail reply's
  // attachments are inside its .eml, whose hash the chain records.
  if (parts.includes("received")) {
    const nnn = /^(\d+)-/.exec(base)?.[1];
    const id = nnn === undefined ? undefined : messageOf(nnn);
    return id === undefined ? undefined : files.scans.get(id);
  }
  const name = parts.at(-2) === "proof" ? base.replace(PROOF_PREFIX, "") : base;
  return bundleNames(files).get(name);
}

type ManifestChain = NonNullable<NonNullable<ManifestShape["events"]>["chains"]>[number];

/** Each chain walked must end at the head the manifest records for it. */
function checkChainHeads(walk: ChainWalk, chains: readonly ManifestChain[], counts: Counts, f: Findings): void {
  counts.events = walk.events;
  for (const c of chains) {
    if (typeof c.chain !== "number" || typeof c.head !== "string") continue;
    counts.chains++;
    const head = walk.heads.get(c.chain) ?? GENESIS_HASH;
    const label = `chain of ${String(c.case ?? c.chain)}`;
    if (head !== c.head) f.fail(label, `ends at ${head}, but the manifest records the head ${c.head}`);
    else f.pass(label, `${String(c.events ?? "?")} events linked from the first to the head ${c.head}`);
  }
}

function bundleReport(path: string, f: Findings, manifest: ManifestShape | null, counts: Counts): BundleReport {
  const first = f.list.find((x) => !x.ok) ?? null;
  return {
    file: path,
    ok: first === null,
    findings: f.list,
    first,
    counts,
    redacted: typeof manifest?.redacted === "boolean" ? manifest.redacted : null,
    toolVersion: typeof manifest?.tool?.version === "string" ? manifest.tool.version : null,
    createdAt: typeof manifest?.createdAt === "string" ? manifest.createdAt : null,
    ...(f.notChecked.length ? { notChecked: f.notChecked } : {}),
  };
}

/** What the manifest lists: its files by path and its messages' originals by path. */
function listedFiles(manifest: ManifestShape): Pick<Expected, "listed" | "messages"> {
  const listed = new Map<string, { size?: unknown; sha256?: unknown }>();
  for (const f of manifest.files ?? []) if (typeof f.path === "string") listed.set(f.path, f);
  const messages = new Map<string, { id: number; sha256: string }>();
  for (const m of Array.isArray(manifest.messages) ? manifest.messages : []) {
    if (typeof m.path === "string" && typeof m.sha256 === "string" && typeof m.id === "number")
      messages.set(m.path, { id: m.id, sha256: m.sha256 });
  }
  return { listed, messages };
}

/**
 * The bundle against the live database (`verify FILE.zip --db`): each chain head the manifest records must be an
 * event of the same chain in the database, at the same position: the bundle's chains are then a prefix of the
 * database's, since each hash covers every event before it. A head the database does not hold means the database
 * was rewritten since (or the bundle comes from another record).
 */
function checkAgainstDatabase(
  chains: readonly ManifestChain[],
  db: Db,
  manifest: { sha256: string; createdAt: string | null },
  f: Findings,
  outsideFence?: (chain: number) => boolean,
): void {
  const purges = listPurgeRecords(db);
  for (const [i, c] of chains.entries()) {
    if (typeof c.chain !== "number" || typeof c.head !== "string") continue;
    const name = String(c.case ?? c.chain);
    const label = `chain of ${name} in the database`;
    if (c.head === GENESIS_HASH) continue;
    // Fenced to one client, another client's records in the database are not read, nor vouched for.
    if (outsideFence?.(c.chain)) {
      f.skip(`${label}: not a record of the client this command is fenced to (run verify --db without --client)`);
      continue;
    }
    const at = findChainPoint(db, c.head);
    const purged = at ? undefined : purgedChain(purges, c.chain, c.head, c.events, manifest.sha256);
    if (purged) {
      f.pass(label, purged);
      // The export's own event went with the chain; only a purge that recorded this manifest vouches for it.
      if (i === 0 && !purges.some((p) => p.manifestSha256 === manifest.sha256))
        f.skip(
          `manifest.json against the database: the chain of ${name}, which held its exported event, was removed by a purge that recorded another export's manifest`,
        );
    } else if (!at)
      f.fail(
        label,
        `holds no event with the bundle's head ${c.head}: it was rewritten since, or the bundle is from another record`,
      );
    else if (at.chain !== c.chain || at.position !== c.events)
      f.fail(
        label,
        `holds the bundle's head as event ${at.position} of chain ${at.chain}, not event ${String(c.events)} of chain ${c.chain}`,
      );
    else {
      f.pass(label, `continues from the bundle's head ${c.head} (event ${at.position} of its chain)`);
      // The first chain holds the event that recorded this bundle's manifest hash (verify-exported.ts).
      if (i === 0) checkExportedManifest(db, { chain: c.chain, case: name, head: c.head }, at, manifest, f);
    }
  }
}

/**
 * A chain the database no longer holds because a purge removed it (the agency log): accepted when this bundle is
 * the export the purge wrote first (its manifest's hash is recorded) or when the purge recorded this very head
 * and length. Anything else is not vouched for.
 */
function purgedChain(
  purges: readonly PurgeRecord[],
  chain: number,
  head: string,
  events: unknown,
  manifestSha: string,
): string | undefined {
  for (const p of purges) {
    const removed = p.chains.find((x) => x.chain === chain);
    if (!removed) continue;
    if (p.manifestSha256 === manifestSha)
      return `removed by purge event ${p.id} (${p.at.slice(0, 10)}), which recorded this bundle as the export written before it`;
    if (removed.head === head && removed.events === events)
      return `removed by purge event ${p.id} (${p.at.slice(0, 10)}), which recorded this head and length`;
  }
  return undefined;
}

/** Check a bundle (and with `db`, against the live database). Throws a UserError (exit 1) only for a file that is not a readable zip at all. */
export async function verifyBundle(
  path: string,
  zip: OpenZip,
  db?: Db,
  progress?: Progress,
  /** Under a fence: whether a chain id is another client's (its database records are then not checked). */
  outsideFence?: (chain: number) => boolean,
): Promise<BundleReport> {
  const entries = await openBundle(path, zip);
  const f = new Findings();
  const counts: Counts = { files: 0, events: 0, chains: 0, messages: 0, omitted: 0 };
  const byName = entriesByName(entries, f);
  const read = await readManifest(zip, byName, f);
  if (!read) return bundleReport(path, f, null, counts);
  const { manifest } = read;
  if (manifest.schema !== 1 || !Array.isArray(manifest.files)) {
    f.fail("manifest.json", "not a schema 1 manifest");
    return bundleReport(path, f, manifest, counts);
  }
  const { listed, messages } = listedFiles(manifest);
  counts.omitted = Array.isArray(manifest.omitted) ? manifest.omitted.length : 0;

  const chains = Array.isArray(manifest.events?.chains) ? manifest.events.chains : [];
  const caseTags = new Map<number, string>();
  for (const c of chains) if (typeof c.chain === "number" && typeof c.case === "string") caseTags.set(c.chain, c.case);
  const eventsPath = typeof manifest.events?.path === "string" ? manifest.events.path : null;
  const walk = await walkBundleChain(zip, eventsPath, byName, caseTags, f);
  const certificatePdf = await checkCertificate(zip, byName, read.sha, f);
  const expected: Expected = { path, zip, manifestSha: read.sha, listed, messages, eventsPath, walk, certificatePdf };

  progress?.start(basename(path), entries.length);
  try {
    for (const [i, e] of entries.entries()) {
      progress?.update(i + 1);
      if (e.name === "manifest.json" || e.name.endsWith("/")) continue;
      await checkEntry(e, expected, counts, f);
    }
  } finally {
    progress?.stop();
  }
  for (const name of listed.keys())
    if (!byName.has(name)) f.fail(name, "listed in the manifest but missing from the zip");

  if (walk) checkChainHeads(walk, chains, counts, f);
  else counts.chains = chains.length;
  if (db) {
    const createdAt = typeof manifest.createdAt === "string" ? manifest.createdAt : null;
    checkAgainstDatabase(chains, db, { sha256: read.sha, createdAt }, f, outsideFence);
  }
  return bundleReport(path, f, manifest, counts);
}
