/**
 * The plan of an evidence bundle (pure): every file it will hold, in order, with its path and where its bytes
 * come from: the byte-exact .eml originals, the exhibits under their labels and the received attachments under
 * sanitized names, the sending confirmations, PDFs of the letters sent, then the generated files (the declaration,
 * events.jsonl, the timeline, the exhibit list, the page, and last the manifest and the certificate, which
 * describe the rest). A redacted plan
 * lists the byte-exact files it leaves out, with their hashes.
 */

import { PROOF_LABELS } from "../domain/departure.js";
import { type EventRow, parseEventRow, type StoredEvent } from "../store/events.js";
import { NameAllocator, sanitizeFileName } from "./bundle-names.js";
import type { BundleFacts } from "./html-report.js";
import { letterRecords } from "./letter-records.js";
import type { BundlePaths } from "./timeline.js";
import type { SourceCase, SourceMessage } from "./timeline-sources.js";
import { localDate } from "./timeline-when.js";

export type EntrySource =
  | { kind: "message"; id: number; sha256: string }
  | { kind: "blob"; sha256: string }
  /** A letter's PDF made at export: a redacted copy, or a letter that left before printed copies were kept. */
  | { kind: "letter-pdf"; messageId: number; servicerName: string; address: string | null }
  | { kind: "generated"; name: GeneratedFile };

/** The files the bundle makes from the record (the declaration and certificate also as PDFs to sign). */
export type GeneratedFile =
  | "declaration-pdf"
  | "declaration"
  | "events"
  | "timeline-json"
  | "timeline-csv"
  | "exhibit-list"
  | "index"
  | "manifest"
  | "certificate-pdf"
  | "certificate"
  | "client-intake"
  | "client-plan"
  | "client-plan-text";

/** What a client's whole file adds to the plan (`export --client`): the signed authorizations it keeps. */
export interface ClientFilePlan {
  authorizations: { id: number; fileName: string; sha256: string }[];
}

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
  /** What the bundle says of the letters whose printed copy it does not hold. */
  notes: string[];
}

/** File names a browser shows without running anything: a PDF, an image, plain text. */
const INERT = /\.(pdf|png|jpe?g|gif|webp|tiff?|bmp|txt)$/i;

const COMPRESSIBLE = /^(text\/|message\/|application\/(json|xml|csv))/i;
const REDACTION_REASON = "byte-exact original: it cannot be masked without changing it, so --redact leaves it out";

/** A message kept in the bundle, with its number (001, 002, ...) that prefixes its files' names. */
interface KeptMessage {
  m: SourceMessage;
  sc: SourceCase;
  nnn: string;
}

/** The plan as it is filled in, step by step. */
class PlanBuilder {
  readonly names = new NameAllocator();
  readonly messagePaths = new Map<number, string>();
  readonly attachmentPaths = new Map<number, string>();
  readonly entries: PlannedEntry[] = [];
  readonly omitted: OmittedFile[] = [];
  readonly files: BundlePlan["files"] = [];
  readonly messages: BundlePlan["messages"] = [];
  readonly filePaths = new Map<string, string>();
  readonly notes: string[] = [];

  constructor(
    readonly redact: boolean,
    readonly redactName: (s: string) => string,
  ) {}

  /** A stored file (exhibit, attachment, confirmation): in the zip, or listed as left out of a redacted one. */
  blobEntry(path: string, sha256: string, size: number | null, contentType: string): boolean {
    if (this.redact) {
      this.omitted.push({ path, size, sha256, reason: REDACTION_REASON });
      return false;
    }
    this.entries.push({ path, source: { kind: "blob", sha256 }, compress: COMPRESSIBLE.test(contentType) });
    return true;
  }

  generated(path: string, name: GeneratedFile): void {
    this.entries.push({ path, source: { kind: "generated", name }, compress: true });
  }
}

function caseDirOf(sc: SourceCase): string {
  return sc.depth > 0 ? `exhibits/${sanitizeFileName(sc.record.tag)}` : "exhibits";
}

/** 1. byte-exact originals */
function planOriginals(p: PlanBuilder, kept: readonly KeptMessage[], timeZone: string): void {
  for (const { m, sc, nnn } of kept) {
    const path = p.names.take("messages", `${nnn}-${localDate(m.date ?? m.createdAt, timeZone)}-${m.direction}.eml`);
    if (p.redact) {
      p.omitted.push({ path, size: m.size, sha256: m.rawSha256, reason: REDACTION_REASON });
      p.messages.push({ source: m, tag: sc.record.tag, path: null });
    } else {
      p.messagePaths.set(m.id, path);
      p.messages.push({ source: m, tag: sc.record.tag, path });
      p.entries.push({ path, source: { kind: "message", id: m.id, sha256: m.rawSha256 }, compress: true });
    }
  }
}

/** 2. exhibits: ours under their labels, received attachments under sanitized names */
function planExhibits(p: PlanBuilder, kept: readonly KeptMessage[]): void {
  for (const { m, sc, nnn } of kept) {
    const caseDir = caseDirOf(sc);
    for (const a of m.attachments) {
      const named = sanitizeFileName(p.redactName(a.fileName), `attachment-${a.position + 1}`);
      // Mail from outside is hostile: a received file a browser would run (HTML, SVG, XML, script, anything
      // but a PDF, an image or plain text) gets a .bin suffix, so that opening it from the report cannot run it.
      const safe = m.direction === "in" && !INERT.test(named) ? sanitizeFileName(`${named}.bin`) : named;
      const path =
        m.direction === "out" && a.exhibit
          ? p.names.take(caseDir, safe)
          : p.names.take(m.direction === "out" ? `${caseDir}/sent` : `${caseDir}/received`, `${nnn}-${safe}`);
      if (p.blobEntry(path, a.sha256, a.size, a.contentType)) p.attachmentPaths.set(a.id, path);
    }
  }
}

/** 2b. sending confirmations (of letters kept), under sanitized names */
function planConfirmations(p: PlanBuilder, sources: readonly SourceCase[], numberOf: ReadonlyMap<number, string>) {
  for (const sc of sources) {
    for (const e of sc.events) {
      if (e.type !== "sent" || e.message_id === null) continue;
      const nnn = numberOf.get(e.message_id);
      if (nnn === undefined) continue;
      const proof = proofOf(e);
      if (!proof) continue;
      const path = p.names.take(
        `${caseDirOf(sc)}/confirmations`,
        `${nnn}-${sanitizeFileName(p.redactName(proof.name), "confirmation")}`,
      );
      if (p.blobEntry(path, proof.sha256, null, "application/octet-stream"))
        p.files.push({
          path,
          what: "sending confirmation",
          case: sc.record.tag,
          message: e.message_id,
          sha256: proof.sha256,
        });
    }
  }
}

/** A kept file (a printed PDF, a proof of mailing) in the zip and the exhibit index, or listed as left out. */
function keptFile(p: PlanBuilder, path: string, sha256: string, size: number, contentType: string, fact: FileFact) {
  if (!p.blobEntry(path, sha256, size, contentType)) return;
  p.filePaths.set(sha256, path);
  p.files.push({ ...fact, path, sha256 });
}

type FileFact = Omit<BundlePlan["files"][number], "path" | "sha256">;

/**
 * 3. The letters that left as PDFs: the very PDF loanmail printed and kept when the letter left by post (portal,
 * fax, hand); never one made again, except in a redacted bundle (a masked copy, labelled as one) and for a letter
 * that left before loanmail kept printed copies (labelled too). An emailed letter is its .eml.
 */
function planLetterPdfs(p: PlanBuilder, kept: readonly KeptMessage[]): void {
  for (const { m, sc, nnn } of kept) {
    if (m.direction !== "out" || m.state !== "sent") continue;
    const r = letterRecords(sc.events)(m.id);
    const copy = r.departure?.printedCopy;
    const how = r.departure?.type === "mailed" ? "mailed" : `sent by ${m.channel}`;
    const name = sanitizeFileName(sc.record.tag);
    const fact = { case: sc.record.tag, message: m.id };
    if (copy?.state === "held") {
      // Byte-exact: a redacted bundle lists it as left out, with its hash.
      const size = r.printings.find((x) => x.sha256 === copy.sha256)?.size ?? 0;
      keptFile(p, p.names.take("letters", `${name}-${m.id}.pdf`), copy.sha256, size, "application/pdf", {
        ...fact,
        what: `letter as ${how} (the PDF loanmail printed)`,
      });
    } else if (copy?.state === "not-printed") {
      p.notes.push(
        `Letter ${m.id} (${sc.record.tag}) was ${how} with no copy printed by loanmail by that day: its printed copy is not held; its text is in its .eml (${nnn}).`,
      );
    }
    if (!p.redact && copy?.state !== "not-recorded") continue; // kept, not held, or an email (the .eml is the letter)
    const a = r.departure?.asSent;
    const path = p.names.take("letters", `${name}-${m.id}${p.redact ? "-redacted" : ""}.pdf`);
    p.entries.push({
      path,
      source: {
        kind: "letter-pdf",
        messageId: m.id,
        servicerName: a?.servicer ?? sc.servicerName,
        address: a ? a.address : sc.servicerNoticeAddress,
      },
      compress: false,
    });
    p.files.push({
      ...fact,
      path,
      what: p.redact
        ? "letter (PDF, redacted copy made from the stored text)"
        : "letter (PDF made at export from the stored text: it left before loanmail kept printed copies)",
      sha256: null,
    });
  }
}

/** 3b. proof of mailing kept with the letters (PS 3800 receipt, PS 3811 green card, tracking page) */
function planProofs(p: PlanBuilder, kept: readonly KeptMessage[]): void {
  for (const { m, sc, nnn } of kept) {
    if (m.direction !== "out") continue;
    for (const proof of letterRecords(sc.events)(m.id).proofs) {
      const safe = sanitizeFileName(p.redactName(proof.name), proof.kind);
      const path = p.names.take(`${caseDirOf(sc)}/proof`, `${nnn}-${proof.kind}-${safe}`);
      keptFile(p, path, proof.sha256, proof.size, proof.content_type, {
        what: `proof: ${PROOF_LABELS[proof.kind]}`,
        case: sc.record.tag,
        message: m.id,
      });
    }
  }
}

/** 3c. a client's whole file: the signed authorizations, the intake and the action plan (`export --client`) */
function planClientFile(p: PlanBuilder, client: ClientFilePlan): void {
  for (const a of client.authorizations) {
    const path = p.names.take("client/authorizations", `${a.id}-${sanitizeFileName(p.redactName(a.fileName), "form")}`);
    keptFile(p, path, a.sha256, 0, "application/octet-stream", {
      what: `signed third-party authorization ${a.id}`,
      case: "client",
      message: null,
    });
  }
  p.generated("client/intake.json", "client-intake");
  p.generated("client/plan.json", "client-plan");
  p.generated("client/plan.txt", "client-plan-text");
}

/** Name every file of the bundle. Pure. */
export function planBundle(
  sources: readonly SourceCase[],
  redact: boolean,
  timeZone: string,
  redactName = (s: string) => s,
  client?: ClientFilePlan,
): BundlePlan {
  const p = new PlanBuilder(redact, redactName);
  const all = sources.flatMap((sc) => sc.messages.map((m) => ({ m, sc })));
  const sorted = all.filter(({ m }) => !(m.direction === "out" && m.state === "draft")).sort((a, b) => a.m.id - b.m.id);
  const width = Math.max(3, String(sorted.length).length);
  const kept = sorted.map(({ m, sc }, i) => ({ m, sc, nnn: String(i + 1).padStart(width, "0") }));
  const numberOf = new Map(kept.map(({ m, nnn }) => [m.id, nnn]));

  planOriginals(p, kept, timeZone);
  planExhibits(p, kept);
  planConfirmations(p, sources, numberOf);
  planLetterPdfs(p, kept);
  planProofs(p, kept);
  if (client) planClientFile(p, client);
  // 4. the declaration (the last evidence to be numbered), the chains, the timeline, the exhibit list, the page;
  // the manifest and the certificate come last (they describe the rest; certificate.txt names certificate.pdf)
  p.generated("declaration.pdf", "declaration-pdf");
  p.generated("declaration.txt", "declaration");
  if (!redact) p.generated("events.jsonl", "events");
  p.generated("timeline.json", "timeline-json");
  p.generated("timeline.csv", "timeline-csv");
  p.generated("exhibit-list.pdf", "exhibit-list");
  p.generated("index.html", "index");
  p.generated("manifest.json", "manifest");
  p.generated("certificate.pdf", "certificate-pdf");
  p.generated("certificate.txt", "certificate");

  return {
    entries: p.entries,
    paths: { messages: p.messagePaths, attachments: p.attachmentPaths, files: p.filePaths },
    omitted: p.omitted,
    messages: p.messages,
    files: p.files,
    draftsLeftOut: all.length - kept.length,
    notes: p.notes,
  };
}

/** The sending confirmation a `sent` event names (a stored file), if it names one. */
function proofOf(e: EventRow): { name: string; sha256: string } | undefined {
  let event: StoredEvent;
  try {
    event = parseEventRow(e);
  } catch {
    return undefined; // a row that is not a readable event names no confirmation; verify reports the row
  }
  if (event.type !== "sent" || !("proof" in event.data)) return undefined;
  const p = event.data.proof;
  // The hash names a file of the bundle: only a well-formed one may become a path.
  return p && typeof p.name === "string" && /^[0-9a-f]{64}$/.test(p.sha256) ? p : undefined;
}
