/**
 * The evidence bundle (DESIGN §8): one zip that anyone can check. `planBundle` (pure) names every file: the
 * byte-exact .eml originals, the exhibits under their labels and the received attachments under sanitized names,
 * PDFs of the letters sent, events.jsonl (the hash chains), timeline.csv/json, an offline index.html, manifest.json
 * (each file's size and SHA-256, the chain heads, tool version, time) and a draft certificate of authenticity.
 * `writeBundle` streams it with yazl: each message and blob is read from the database by its own query only when
 * the zip reaches it, hashed, and handed on, so a case of any size never sits in memory at once.
 */

import { createHash } from "node:crypto";
import { createWriteStream, renameSync, statSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";
import type { UserConfig } from "../config/config.js";
import { EXIT, isErrno, UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import { canonicalJson, type EventRow, GENESIS_HASH } from "../store/events.js";
import { findMessage, getBlob, listAttachments } from "../store/messages.js";
import { type BundleFacts, renderHtmlReport } from "./html-report.js";
import { buildStoredLetterPdf } from "./stored-letter-pdf.js";
import {
  type BundlePaths,
  buildTimeline,
  localDate,
  redactDeep,
  redactTimeline,
  renderTimelineCsv,
  renderTimelineJson,
  type SourceCase,
  type SourceMessage,
  type TimelineDoc,
} from "./timeline.js";

// ---------------------------------------------------------------------------------------------------------------
// Names

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidi overrides and invisible format characters: "invoice\u202Efdp.exe" must not display as a PDF. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Separators and characters Windows refuses, and look-alike slashes. */
const SEPARATORS = /[/\\:*?"<>|\u2044\u2215\u29f8\uff0f\uff3c]/g;
const RESERVED = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;
export const MAX_NAME_LENGTH = 100;

/** Split "a.b.pdf" into "a.b" and ".pdf" (an extension of up to 12 characters after the last dot). */
export function splitExtension(name: string): { stem: string; ext: string } {
  const i = name.lastIndexOf(".");
  if (i <= 0 || name.length - i > 13) return { stem: name, ext: "" };
  return { stem: name.slice(0, i), ext: name.slice(i) };
}

/**
 * One safe path segment from a name that came from mail or a user: no separators, no "..", no control or bidi
 * characters, no leading or trailing dots and spaces, not a reserved device name (CON, NUL, COM1, ...), at most
 * MAX_NAME_LENGTH characters with its extension kept. Never empty.
 */
export function sanitizeFileName(name: string, fallback = "file", maxLength = MAX_NAME_LENGTH): string {
  let s = name
    .normalize("NFC")
    .replace(CONTROL, " ")
    .replace(INVISIBLE, "")
    .replace(SEPARATORS, "_")
    .replace(/\s+/g, " ")
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const chars = Array.from(s);
  if (chars.length > maxLength) {
    const { stem, ext } = splitExtension(s);
    const keep = Math.max(1, maxLength - Array.from(ext).length);
    s = `${Array.from(stem)
      .slice(0, keep)
      .join("")
      .replace(/[\s.]+$/g, "")}${ext}`;
  }
  const first = s.split(".")[0]?.trim() ?? "";
  if (RESERVED.test(first)) s = `_${s}`;
  return s || fallback;
}

/** Hands out unique paths inside the zip; a taken name (compared case-insensitively) becomes "name (2).ext". */
export class NameAllocator {
  private readonly used = new Set<string>();

  /** A unique `dir/name` (dir may be ""); `name` must already be sanitized. */
  take(dir: string, name: string): string {
    const { stem, ext } = splitExtension(name);
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? name : `${stem} (${i})${ext}`;
      const path = dir ? `${dir}/${candidate}` : candidate;
      const key = path.toLowerCase();
      if (!this.used.has(key)) {
        this.used.add(key);
        return path;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The plan

export type EntrySource =
  | { kind: "message"; id: number; sha256: string }
  | { kind: "blob"; sha256: string }
  | { kind: "letter-pdf"; messageId: number; sourceCase: SourceCase }
  | { kind: "generated"; name: "events" | "timeline-json" | "timeline-csv" | "index" | "manifest" | "certificate" };

export interface PlannedEntry {
  path: string;
  source: EntrySource;
  compress: boolean;
}

export interface OmittedFile {
  path: string;
  /** null when not known without reading the file (a sending confirmation). */
  size: number | null;
  sha256: string;
  reason: string;
}

export interface BundlePlan {
  entries: PlannedEntry[];
  paths: BundlePaths;
  omitted: OmittedFile[];
  /** Every message in the bundle's record, with its .eml path (null when left out). */
  messages: { source: SourceMessage; tag: string; path: string | null }[];
  /** Letters PDFs and sending confirmations, for the page's exhibit index. */
  files: BundleFacts["files"][number][];
  /** Drafts (never sent) are not evidence of correspondence and are left out. */
  draftsLeftOut: number;
}

const COMPRESSIBLE = /^(text\/|message\/|application\/(json|xml|csv))/i;
const REDACTION_REASON = "byte-exact original: it cannot be masked without changing it, so --redact leaves it out";

/** Name every file of the bundle. Pure. */
export function planBundle(
  sources: readonly SourceCase[],
  redact: boolean,
  timeZone: string,
  redactName = (s: string) => s,
): BundlePlan {
  const names = new NameAllocator();
  const messagePaths = new Map<number, string>();
  const attachmentPaths = new Map<number, string>();
  const entries: PlannedEntry[] = [];
  const omitted: OmittedFile[] = [];
  const files: BundlePlan["files"] = [];
  const messages: BundlePlan["messages"] = [];

  const all = sources.flatMap((sc) => sc.messages.map((m) => ({ m, sc })));
  const kept = all.filter(({ m }) => !(m.direction === "out" && m.state === "draft")).sort((a, b) => a.m.id - b.m.id);
  const width = Math.max(3, String(kept.length).length);
  const numberOf = new Map<number, string>();
  for (const [i, { m }] of kept.entries()) numberOf.set(m.id, String(i + 1).padStart(width, "0"));

  // 1. byte-exact originals
  for (const { m, sc } of kept) {
    const nnn = numberOf.get(m.id) as string;
    const path = names.take("messages", `${nnn}-${localDate(m.date ?? m.createdAt, timeZone)}-${m.direction}.eml`);
    if (redact) {
      omitted.push({ path, size: m.size, sha256: m.rawSha256, reason: REDACTION_REASON });
      messages.push({ source: m, tag: sc.record.tag, path: null });
    } else {
      messagePaths.set(m.id, path);
      messages.push({ source: m, tag: sc.record.tag, path });
      entries.push({ path, source: { kind: "message", id: m.id, sha256: m.rawSha256 }, compress: true });
    }
  }

  // 2. exhibits: ours under their labels, received attachments and sending confirmations under sanitized names
  const blobEntry = (path: string, sha256: string, size: number | null, contentType: string) => {
    if (redact) {
      omitted.push({ path, size, sha256, reason: REDACTION_REASON });
      return false;
    }
    entries.push({ path, source: { kind: "blob", sha256 }, compress: COMPRESSIBLE.test(contentType) });
    return true;
  };
  for (const { m, sc } of kept) {
    const nnn = numberOf.get(m.id) as string;
    const caseDir = sc.depth > 0 ? `exhibits/${sanitizeFileName(sc.record.tag)}` : "exhibits";
    for (const a of m.attachments) {
      const safe = sanitizeFileName(redactName(a.fileName), `attachment-${a.position + 1}`);
      const path =
        m.direction === "out" && a.exhibit
          ? names.take(caseDir, safe)
          : names.take(m.direction === "out" ? `${caseDir}/sent` : `${caseDir}/received`, `${nnn}-${safe}`);
      if (blobEntry(path, a.sha256, a.size, a.contentType)) attachmentPaths.set(a.id, path);
    }
  }
  for (const sc of sources) {
    for (const e of sc.events) {
      if (e.type !== "sent" || e.message_id === null || !numberOf.has(e.message_id)) continue;
      const proof = proofOf(e);
      if (!proof) continue;
      const caseDir = sc.depth > 0 ? `exhibits/${sanitizeFileName(sc.record.tag)}` : "exhibits";
      const nnn = numberOf.get(e.message_id) as string;
      const path = names.take(
        `${caseDir}/confirmations`,
        `${nnn}-${sanitizeFileName(redactName(proof.name), "confirmation")}`,
      );
      if (blobEntry(path, proof.sha256, null, "application/octet-stream"))
        files.push({
          path,
          what: "sending confirmation",
          case: sc.record.tag,
          message: e.message_id,
          sha256: proof.sha256,
        });
    }
  }

  // 3. PDFs of the letters sent
  for (const { m, sc } of kept) {
    if (m.direction !== "out" || m.state !== "sent") continue;
    const path = names.take("letters", `${sanitizeFileName(sc.record.tag)}-${m.id}.pdf`);
    entries.push({ path, source: { kind: "letter-pdf", messageId: m.id, sourceCase: sc }, compress: false });
    files.push({
      path,
      what: redact ? "letter as sent (PDF, redacted copy)" : "letter as sent (PDF)",
      case: sc.record.tag,
      message: m.id,
      sha256: null,
    });
  }

  // 4. the chains, the timeline, the page; the manifest and the certificate come last (they describe the rest)
  if (!redact) entries.push({ path: "events.jsonl", source: { kind: "generated", name: "events" }, compress: true });
  entries.push({ path: "timeline.json", source: { kind: "generated", name: "timeline-json" }, compress: true });
  entries.push({ path: "timeline.csv", source: { kind: "generated", name: "timeline-csv" }, compress: true });
  entries.push({ path: "index.html", source: { kind: "generated", name: "index" }, compress: true });
  entries.push({ path: "manifest.json", source: { kind: "generated", name: "manifest" }, compress: true });
  entries.push({ path: "certificate.txt", source: { kind: "generated", name: "certificate" }, compress: true });

  return {
    entries,
    paths: { messages: messagePaths, attachments: attachmentPaths },
    omitted,
    messages,
    files,
    draftsLeftOut: all.length - kept.length,
  };
}

function proofOf(e: EventRow): { name: string; sha256: string } | undefined {
  try {
    const d = JSON.parse(e.data) as { proof?: { name?: unknown; sha256?: unknown } };
    const p = d.proof;
    if (p && typeof p.name === "string" && typeof p.sha256 === "string" && /^[0-9a-f]{64}$/.test(p.sha256))
      return { name: p.name, sha256: p.sha256 };
  } catch {
    // an event whose data is not JSON carries no confirmation
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Events, manifest, certificate

/** One event as a line of events.jsonl: every column, `data` kept as the exact text that was hashed. */
export function eventLine(e: EventRow): string {
  return canonicalJson({
    id: e.id,
    chain: e.chain,
    case_id: e.case_id,
    loan_id: e.loan_id,
    at: e.at,
    type: e.type,
    actor: e.actor,
    message_id: e.message_id,
    data: e.data,
    prev_hash: e.prev_hash,
    hash: e.hash,
  });
}

export interface ManifestFile {
  path: string;
  size: number;
  sha256: string;
}

export interface ChainFact {
  chain: number;
  case: string;
  events: number;
  head: string;
}

/** manifest.json (schema 1). */
export interface Manifest {
  schema: 1;
  kind: "loanmail-evidence-bundle";
  tool: { name: "loanmail"; version: string };
  createdAt: string;
  timeZone: string;
  asOf: string;
  redacted: boolean;
  case: { id: number; tag: string };
  cases: { id: number; tag: string; parent: string | null; kind: string; status: string }[];
  hashAlgorithm: "SHA-256";
  files: ManifestFile[];
  messages: {
    id: number;
    case: string;
    direction: string;
    path: string | null;
    sha256: string;
    size: number;
    messageId: string | null;
  }[];
  omitted: OmittedFile[];
  events: { path: string | null; count: number; chains: ChainFact[]; note?: string };
  chainHead: string;
  notes: string[];
}

/** The draft certificate of authenticity (FRE 902(14) and 902(11)), for a person to complete and sign. */
export function buildCertificate(m: Manifest, manifestSha256: string, zipName: string, user: UserConfig): string {
  const root = m.cases[0];
  const lines = [
    "DRAFT - CERTIFICATE OF AUTHENTICITY OF ELECTRONIC RECORDS",
    "Federal Rules of Evidence 902(11) and 902(14); declaration under 28 U.S.C. 1746",
    "",
    "This draft was prepared by loanmail for a person to review, complete and sign. It is not signed, it is not",
    "legal advice, and a state court, agency or arbitrator may have its own rules. Strike anything that is not true.",
    "Under FRE 902(11)/(14) the party offering the records must give the other side reasonable written notice and",
    "make the records and this certificate available for inspection before the hearing or trial.",
    "",
    `I, ____________________________________ [${user.name}], declare:`,
    "",
    `1. I am over 18 and competent to make this declaration. I am [the borrower / a housing counselor assisting`,
    "   the borrower], and I kept the records described below myself, using the program loanmail.",
    "",
    `2. The evidence bundle "${zipName}" was produced by loanmail ${m.tool.version} on ${m.createdAt} from my`,
    `   record of case ${root?.tag ?? ""}${
      m.cases.length > 1
        ? ` and the cases escalated from it (${m.cases
            .slice(1)
            .map((c) => c.tag)
            .join(", ")})`
        : ""
    }.`,
    "",
    "3. Each letter I sent and each reply I received was stored when it was composed, sent or received, as the",
    "   exact bytes of the message, with its SHA-256 hash. Each step of the matter (letters composed, sent,",
    "   mailed and delivered, replies received, calls and notes) was recorded at or near the time it happened in",
    "   an append-only log in which every entry carries the hash of the entry before it. It was my regular",
    "   practice to keep this record for my correspondence with the servicer.",
    "",
    "4. The bundle's files were copied from that record by a process that identifies each file by its SHA-256",
    "   hash (FRE 902(14)). manifest.json lists every file with its size and hash. A copy of any file whose",
    "   SHA-256 hash equals the one listed is an exact copy of the record.",
    "",
    `   manifest.json SHA-256: ${manifestSha256}`,
    `   Files listed: ${m.files.length}${m.omitted.length ? `; files left out (listed with their hashes): ${m.omitted.length}` : ""}`,
    ...m.events.chains.map((c) => `   Event log of ${c.case}: ${c.events} events, last hash (chain head) ${c.head}`),
    ...(m.redacted
      ? [
          "",
          "   This is a redacted copy: account numbers and Social Security numbers are masked to their last 4",
          "   digits, and the byte-exact originals and the event log are left out. The hashes above identify the",
          "   full record from which it was made.",
        ]
      : []),
    "",
    "5. Anyone can check the bundle: `loanmail verify` recomputes every hash in manifest.json and every link of",
    "   the event log, or each file can be checked with any SHA-256 tool (for example `sha256sum`).",
    "",
    "I declare under penalty of perjury under the laws of the United States of America that the foregoing is",
    "true and correct.",
    "",
    "Executed on ____________________ (date) at ________________________________ (city, state).",
    "",
    "",
    "______________________________________",
    `Signature                              Printed name: ${user.name}`,
    "",
  ];
  return `${lines.join("\n")}`;
}

// ---------------------------------------------------------------------------------------------------------------
// Writing

export interface BundleRequest {
  db: Db;
  /** The case asked for first, then its descendants (readTimelineSources over collectCaseTree). */
  sources: SourceCase[];
  out: string;
  redact: boolean;
  /** Masks account numbers and SSNs (used only with `redact`). */
  redactor: (s: string) => string;
  now: Date;
  asOf: string;
  user: UserConfig;
  toolVersion: string;
}

export interface BundleResult {
  out: string;
  manifestSha256: string;
  files: number;
  omitted: number;
  bytes: number;
  redacted: boolean;
  chains: ChainFact[];
  chainHead: string;
}

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

/** Refuse an --out that is a directory or whose folder does not exist, before any work is done. */
export function checkOutPath(out: string, flag = "--out"): void {
  try {
    if (statSync(out).isDirectory()) {
      throw new UserError(`${flag} ${out} is a directory`, "give a file name, e.g. --out case-evidence.zip");
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (!isErrno(err, "ENOENT")) throw err;
  }
  try {
    if (!statSync(dirname(out) || ".").isDirectory()) throw new Error("not a directory");
  } catch {
    throw new UserError(
      `${flag} ${out}: the folder ${dirname(out)} does not exist`,
      "create it or choose another path",
    );
  }
}

/** Write the bundle to `out` (mode 0600, through a temporary file renamed into place). */
export async function writeBundle(req: BundleRequest): Promise<BundleResult> {
  const { db, sources, redact } = req;
  const root = sources[0];
  if (!root) throw new Error("writeBundle: no case");
  const tz = req.user.timezone;
  const redactName = redact ? req.redactor : (s: string) => s;
  const plan = planBundle(sources, redact, tz, redactName);
  const generatedAt = req.now.toISOString();

  let doc: TimelineDoc = buildTimeline({
    cases: sources,
    generatedAt,
    timeZone: tz,
    asOf: req.asOf,
    paths: plan.paths,
  });
  if (redact) doc = redactTimeline(doc, req.redactor);

  const chains: ChainFact[] = sources.map((sc) => ({
    chain: sc.record.id,
    case: sc.record.tag,
    events: sc.events.length,
    head: sc.events.at(-1)?.hash ?? GENESIS_HASH,
  }));
  const notes: string[] = [];
  if (plan.draftsLeftOut > 0)
    notes.push(`${plan.draftsLeftOut} unsent draft(s) left out: a draft is not correspondence and may still change.`);
  if (redact) {
    notes.push(
      "Redacted: account numbers and Social Security numbers are masked to their last 4 digits in index.html, timeline.json, timeline.csv and the letter PDFs.",
      "Left out: the byte-exact .eml originals and exhibit files (they cannot be masked without changing them) and events.jsonl (its events hold the unmasked numbers, and masked events would no longer match their hashes). Their hashes and the chain heads identify them in the full record.",
    );
  }
  const facts: BundleFacts = {
    toolVersion: req.toolVersion,
    omitted: plan.omitted,
    files: plan.files,
    chains: chains.map((c) => ({ case: c.case, events: c.events, head: c.head })),
    notes,
    eventsFile: redact ? null : "events.jsonl",
  };
  const masked = <T>(v: T): T => (redact ? redactDeep(v, req.redactor) : v);

  const records: ManifestFile[] = [];
  let manifestText = "";
  let manifest: Manifest | undefined;
  const zipName = basename(req.out);

  const generate = (name: Extract<EntrySource, { kind: "generated" }>["name"]): Buffer => {
    switch (name) {
      case "events":
        return Buffer.from(sources.flatMap((sc) => sc.events.map((e) => `${eventLine(e)}\n`)).join(""), "utf8");
      case "timeline-json":
        return Buffer.from(renderTimelineJson(doc), "utf8");
      case "timeline-csv":
        return Buffer.from(renderTimelineCsv(doc), "utf8");
      case "index":
        return Buffer.from(
          renderHtmlReport(doc, {
            title: `Record of correspondence: ${root.record.tag}${redact ? " (redacted)" : ""}`,
            bundle: facts,
          }),
          "utf8",
        );
      case "manifest": {
        manifest = {
          schema: 1,
          kind: "loanmail-evidence-bundle",
          tool: { name: "loanmail", version: req.toolVersion },
          createdAt: generatedAt,
          timeZone: tz,
          asOf: req.asOf,
          redacted: redact,
          case: { id: root.record.id, tag: root.record.tag },
          cases: sources.map((sc) => ({
            id: sc.record.id,
            tag: sc.record.tag,
            parent: sc.parentTag,
            kind: sc.record.kind,
            status: sc.record.status,
          })),
          hashAlgorithm: "SHA-256",
          files: [...records],
          messages: plan.messages.map(({ source: m, tag, path }) => ({
            id: m.id,
            case: tag,
            direction: m.direction,
            path,
            sha256: m.rawSha256,
            size: m.size,
            messageId: masked(m.messageId),
          })),
          omitted: plan.omitted,
          events: {
            path: redact ? null : "events.jsonl",
            count: chains.reduce((n, c) => n + c.events, 0),
            chains,
            ...(redact ? { note: "left out of a redacted bundle: its events hold the unmasked numbers" } : {}),
          },
          chainHead: chains[0]?.head ?? GENESIS_HASH,
          notes,
        };
        manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
        return Buffer.from(manifestText, "utf8");
      }
      case "certificate":
        if (!manifest) throw new Error("the certificate needs the manifest first");
        return Buffer.from(buildCertificate(manifest, sha256(manifestText), zipName, req.user), "utf8");
    }
  };

  const produce = async (entry: PlannedEntry): Promise<Buffer> => {
    const s = entry.source;
    switch (s.kind) {
      case "message": {
        // One row, one query: the bytes of this message only.
        const raw = db.prepare("SELECT raw FROM messages WHERE id = ?").pluck().get(s.id) as Buffer | undefined;
        if (!raw) throw new UserError(`message ${s.id} disappeared from the database during the export`);
        if (sha256(raw) !== s.sha256) {
          throw new UserError(
            `message ${s.id}'s stored bytes do not match its stored SHA-256 ${s.sha256}`,
            "the database was changed outside loanmail; run loanmail verify --db",
            EXIT.verifyMismatch,
          );
        }
        return raw;
      }
      case "blob": {
        const data = getBlob(db, s.sha256);
        if (!data) throw new UserError(`file ${s.sha256} is missing from the database`, "run loanmail verify --db");
        if (sha256(data) !== s.sha256) {
          throw new UserError(
            `file ${s.sha256}'s stored bytes do not match its hash`,
            "the database was changed outside loanmail; run loanmail verify --db",
            EXIT.verifyMismatch,
          );
        }
        return data;
      }
      case "letter-pdf":
        return letterPdf(db, s.messageId, s.sourceCase, req.user, redact ? req.redactor : undefined);
      case "generated":
        return generate(s.name);
    }
  };

  const tmp = join(dirname(req.out), `.${basename(req.out)}.${process.pid}.partial`);
  const zip = new ZipFile();
  let out: ReturnType<typeof createWriteStream>;
  try {
    out = createWriteStream(tmp, { flags: "wx", mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      out.once("open", () => resolve());
      out.once("error", reject);
    });
  } catch (err) {
    throw writeError(err, req.out);
  }
  const output = zip.outputStream as PassThrough;
  const written = pipeline(output, out);
  // Awaited below; marked handled now so that a zip error reported first leaves no unhandled rejection.
  written.catch(() => undefined);
  const failed = new Promise<never>((_resolve, reject) => {
    zip.once("error", (err: Error) => {
      output.destroy(err);
      reject(err);
    });
  });
  failed.catch(() => undefined);

  for (const entry of plan.entries) {
    zip.addReadStreamLazy(
      entry.path,
      { mtime: req.now, mode: 0o100600, compress: entry.compress },
      (cb: (err: unknown, stream: NodeJS.ReadableStream) => void) => {
        produce(entry).then(
          (buf) => {
            // Hash as it is added: the manifest records exactly the bytes the zip receives.
            records.push({ path: entry.path, size: buf.length, sha256: sha256(buf) });
            cb(null, Readable.from([buf], { objectMode: false }));
          },
          (err: unknown) => cb(err, undefined as unknown as NodeJS.ReadableStream),
        );
      },
    );
  }
  zip.end();
  try {
    await Promise.race([written, failed]);
    await written;
    renameSync(tmp, req.out);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    if (err instanceof UserError) throw err;
    throw writeError(err, req.out);
  }
  const manifestRecord = sha256(manifestText);
  const bytes = statSync(req.out).size;
  return {
    out: req.out,
    manifestSha256: manifestRecord,
    files: records.length,
    omitted: plan.omitted.length,
    bytes,
    redacted: redact,
    chains,
    chainHead: chains[0]?.head ?? GENESIS_HASH,
  };
}

function writeError(err: unknown, out: string): Error {
  if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOTDIR", "ENOSPC", "EEXIST")) {
    return new UserError(
      `cannot write ${out} (${(err as NodeJS.ErrnoException).code})`,
      "choose a writable file path for --out",
    );
  }
  return err as Error;
}

/** The PDF of a letter as sent (the layout of `show --pdf`), masked for a redacted bundle. */
async function letterPdf(
  db: Db,
  messageId: number,
  sc: SourceCase,
  user: UserConfig,
  redactor: ((s: string) => string) | undefined,
): Promise<Buffer> {
  const m = findMessage(db, messageId);
  if (!m) throw new UserError(`message ${messageId} disappeared from the database during the export`);
  return buildStoredLetterPdf(user, m, listAttachments(db, m.id), sc.servicerName, sc.servicerNoticeAddress, redactor);
}
