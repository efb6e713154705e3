/**
 * The bytes of each file of an evidence bundle, produced one at a time in the plan's order: each message and
 * stored file is read from the database by its own query only when the zip reaches it and checked against its
 * stored hash; the generated files are rendered from the timeline model. Every file handed out is hashed, so
 * the manifest records exactly the bytes the zip receives.
 */
import { createHash } from "node:crypto";
import type { Readable } from "node:stream";
import type { UserConfig } from "../config/config.js";
import { UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import type { EventRow } from "../store/events.js";
import type { StoredBytes } from "../store/evidence.js";
import { findMessage, listAttachments } from "../store/messages.js";
import { BatesCounter } from "./bates.js";
import { bundleDeclaration, EXHIBIT_LIST_INTRO, exhibitRows } from "./bundle-documents.js";
import { buildManifest, type ChainFact, eventLine, type Manifest, type ManifestFile } from "./bundle-manifest.js";
import type { BundlePlan, EntrySource, GeneratedFile, PlannedEntry } from "./bundle-plan.js";
import { buildCertification, CERTIFICATE_PDF_LINE, certificatePdfSubject } from "./certification.js";
import { type BundleFacts, renderHtmlReport } from "./html-report.js";
import { loadPdf, looksLikePdf, stampLoaded } from "./pdf-pages.js";
import { redactDeep, redactTimeline } from "./redact.js";
import { type SignableDocument, signableText } from "./signable-document.js";
import { exhibitListPdf, signablePdf } from "./signable-pdf.js";
import { firstPart, streamStoredBytes, wholeStoredBytes } from "./stored-bytes.js";
import { buildStoredLetterPdf } from "./stored-letter-pdf.js";
import { buildTimeline, type TimelineDoc } from "./timeline.js";
import { renderTimelineCsv, renderTimelineJson } from "./timeline-render.js";
import type { SourceCase } from "./timeline-sources.js";

/** What a client's whole file holds beyond its cases (`export --client`). */
export interface ClientFile {
  id: number;
  name: string;
  /** The client's own chain (loans, authorizations, intake, plan, closing): chain = minus its id. */
  chain: EventRow[];
  /** The intake as stored (JSON text). */
  intake: string;
  plan: { id: number; text: string; by_date: string; done_on: string | null; created_at: string }[];
  authorizations: { id: number; fileName: string; sha256: string }[];
}

/** The bundle's title: its case's tag, or the client's name. */
export function bundleTitle(root: SourceCase | undefined, client: ClientFile | undefined): string {
  return client ? `client file: ${client.name}` : (root?.record.tag ?? "");
}

const sha256 = (b: Uint8Array | string) => createHash("sha256").update(b).digest("hex");

export interface BundleContentInput {
  db: Db;
  /** The case asked for first, then its descendants. */
  sources: readonly SourceCase[];
  /** The case asked for; undefined for a client's whole file. */
  root: SourceCase | undefined;
  /** A client's whole file (`export --client`): its own chain, intake and plan. */
  client?: ClientFile;
  plan: BundlePlan;
  chains: ChainFact[];
  redact: boolean;
  /** Masks account numbers and SSNs (used only with `redact`). */
  redactor: (s: string) => string;
  generatedAt: string;
  asOf: string;
  timeZone: string;
  user: UserConfig;
  /** In a counselor's home, the counselor's agency (BundleRequest.counselorAgency). */
  counselorAgency?: string | undefined;
  toolVersion: string;
  /** The zip's file name, as the certificate names it. */
  zipName: string;
  /** What each Bates number starts with (bates.ts). */
  batesPrefix: string;
  /** Run each time the zip has taken a part of a stored value (BundleRequest.afterPart). */
  afterPart?: (() => void) | undefined;
}

/** The notes of the manifest and the page: what the bundle leaves out, and why. */
function bundleNotes(plan: BundlePlan, redact: boolean): string[] {
  const notes: string[] = [...plan.notes];
  if (plan.draftsLeftOut > 0)
    notes.push(`${plan.draftsLeftOut} unsent draft(s) left out: a draft is not correspondence and may still change.`);
  if (redact) {
    notes.push(
      "Redacted: account numbers and Social Security numbers are masked to their last 4 digits in index.html, timeline.json, timeline.csv and the letter PDFs.",
      "Left out: the byte-exact .eml originals and exhibit files (they cannot be masked without changing them) and events.jsonl (its events hold the unmasked numbers, and masked events would no longer match their hashes). Their hashes and the chain heads identify them in the full record.",
    );
  }
  return notes;
}

/**
 * A letter's PDF made at export (the layout of `show --pdf`), addressed as it was when it left: a redacted copy,
 * or a letter that left before loanmail kept printed copies. A letter's kept PDF is a blob, copied as it is.
 */
async function letterPdf(
  db: Db,
  source: Extract<EntrySource, { kind: "letter-pdf" }>,
  user: UserConfig,
  redactor: ((s: string) => string) | undefined,
): Promise<Buffer> {
  const m = findMessage(db, source.messageId);
  if (!m) {
    throw new UserError(`message ${source.messageId} disappeared from the database during the export`, {
      code: "MESSAGE_VANISHED",
    });
  }
  return buildStoredLetterPdf(user, m, listAttachments(db, m.id), source.servicerName, source.address, redactor);
}

/** The files that are evidence and take Bates numbers: all but the keys and checks generated from the record. */
function isEvidence(s: EntrySource): boolean {
  return s.kind !== "generated" || s.name === "declaration-pdf";
}

/** The files of one bundle, produced in the plan's order (manifest.json after every file it lists). */
export class BundleContent {
  private readonly records: ManifestFile[] = [];
  private readonly doc: TimelineDoc;
  private readonly notes: string[];
  private readonly facts: BundleFacts;
  private manifest: Manifest | undefined;
  private manifestText = "";
  private readonly bates: BatesCounter;
  private certificatePdfSha = "";
  private declared: SignableDocument | undefined;

  constructor(private readonly x: BundleContentInput) {
    this.bates = new BatesCounter(x.batesPrefix);
    const doc = buildTimeline({
      cases: x.sources,
      generatedAt: x.generatedAt,
      timeZone: x.timeZone,
      asOf: x.asOf,
      paths: x.plan.paths,
    });
    this.doc = x.redact ? redactTimeline(doc, x.redactor) : doc;
    this.notes = bundleNotes(x.plan, x.redact);
    this.facts = {
      toolVersion: x.toolVersion,
      omitted: x.plan.omitted,
      files: x.plan.files,
      chains: x.chains.map((c) => ({ case: c.case, events: c.events, head: c.head })),
      notes: this.notes,
      eventsFile: x.redact ? null : "events.jsonl",
    };
  }

  /** How many files have been produced (and recorded) so far. */
  get fileCount(): number {
    return this.records.length;
  }

  /** The first and last Bates numbers handed out. */
  get batesSpan(): { first: string | null; last: string | null } {
    const r = this.bates.ranges;
    return { first: r[0]?.first ?? null, last: r.at(-1)?.last ?? null };
  }

  /** The SHA-256 of manifest.json once it has been produced. */
  get manifestSha256(): string {
    return sha256(this.manifestText);
  }

  /** The bytes of one planned file; hashed and recorded for the manifest as they are handed out. */
  async produce(entry: PlannedEntry): Promise<Buffer | Readable> {
    const streamed = this.streamed(entry);
    if (streamed) return streamed;
    let buf = await this.bytesOf(entry.source);
    if (isEvidence(entry.source)) buf = await this.number(entry.path, entry.source, buf);
    this.records.push({ path: entry.path, size: buf.length, sha256: sha256(buf) });
    if (entry.path === "certificate.pdf") this.certificatePdfSha = sha256(buf);
    return buf;
  }

  /**
   * A message's original or a stored file that is not a PDF, as a stream of parts read one at a time while the zip
   * takes them (stored-bytes.ts), recorded once all of it has gone; it takes one Bates number, as number() gives a
   * file that is not a PDF. A PDF is read whole below: its pages are counted for its Bates range.
   */
  private streamed(entry: PlannedEntry): Readable | undefined {
    const s = entry.source;
    if (s.kind !== "message" && s.kind !== "blob") return undefined;
    const at: StoredBytes = s.kind === "message" ? { kind: "message", id: s.id } : { kind: "blob", sha256: s.sha256 };
    const start = firstPart(this.x.db, at);
    if (looksLikePdf(start.first)) return undefined;
    this.bates.take(entry.path, null, false);
    return streamStoredBytes(
      this.x.db,
      at,
      start,
      s.sha256,
      (facts) => this.records.push({ path: entry.path, size: facts.size, sha256: facts.sha256 }),
      this.x.afterPart,
    );
  }

  /**
   * The Bates numbers of an evidence file: one per page of a PDF, else one. They are printed only on a PDF
   * loanmail makes here; a file kept byte for byte keeps its bytes (bates.ts).
   */
  private async number(path: string, source: EntrySource, buf: Buffer): Promise<Buffer> {
    const madeHere = source.kind === "letter-pdf" || source.kind === "generated";
    // Loaded once: its pages counted, and a PDF made here stamped, on the same pdf-lib document.
    const doc = await loadPdf(buf);
    const pages = doc ? doc.getPageCount() : null;
    const stamp = madeHere && doc !== null;
    const { labels } = this.bates.take(path, pages, stamp);
    return stamp ? stampLoaded(doc, labels) : buf;
  }

  private async bytesOf(s: EntrySource): Promise<Buffer> {
    const x = this.x;
    switch (s.kind) {
      case "message":
        return wholeStoredBytes(x.db, { kind: "message", id: s.id }, s.sha256);
      case "blob":
        return wholeStoredBytes(x.db, { kind: "blob", sha256: s.sha256 }, s.sha256);
      case "letter-pdf":
        return letterPdf(x.db, s, x.user, x.redact ? x.redactor : undefined);
      case "generated": {
        const made = await this.generate(s.name);
        return typeof made === "string" ? Buffer.from(made, "utf8") : made;
      }
    }
  }

  private certification() {
    if (!this.manifest) throw new Error("the certificate needs the manifest first");
    return buildCertification(this.manifest, this.manifestSha256, this.x.zipName, this.x.user);
  }

  /** The declaration, made once for its PDF and its text (the evidence it cites is numbered before both). */
  private declaration() {
    const x = this.x;
    this.declared ??= bundleDeclaration(
      { name: x.user.name, counselorAgency: x.counselorAgency },
      x.timeZone,
      this.doc,
      x.sources,
      this.bates,
      x.redact ? x.redactor : undefined,
    );
    return this.declared;
  }

  private async generate(name: GeneratedFile): Promise<string | Buffer> {
    const x = this.x;
    const createdAt = new Date(x.generatedAt);
    switch (name) {
      case "declaration-pdf":
        return signablePdf(this.declaration(), createdAt);
      case "declaration":
        return signableText(this.declaration());
      case "exhibit-list":
        return exhibitListPdf(
          `Exhibit list: ${bundleTitle(x.root, x.client)}`,
          EXHIBIT_LIST_INTRO,
          exhibitRows(this.doc, x.plan, this.bates, this.records),
          createdAt,
        );
      case "events":
        return [...(x.client?.chain ?? []), ...x.sources.flatMap((sc) => sc.events)]
          .map((e) => `${eventLine(e)}\n`)
          .join("");
      case "timeline-json":
        return renderTimelineJson(this.doc);
      case "timeline-csv":
        return renderTimelineCsv(this.doc);
      case "index":
        return renderHtmlReport(this.doc, {
          title: `Record of correspondence: ${bundleTitle(x.root, x.client)}${x.redact ? " (redacted)" : ""}`,
          bundle: { ...this.facts, bates: exhibitRows(this.doc, x.plan, this.bates, this.records) },
        });
      case "manifest":
        this.manifest = buildManifest(x.root, x.client, {
          toolVersion: x.toolVersion,
          createdAt: x.generatedAt,
          timeZone: x.timeZone,
          asOf: x.asOf,
          redacted: x.redact,
          sources: x.sources,
          files: this.records,
          plan: x.plan,
          chains: x.chains,
          notes: this.notes,
          bates: { prefix: x.batesPrefix, files: this.bates.ranges },
          maskMessageId: (id) => (x.redact ? redactDeep(id, x.redactor) : id),
        });
        this.manifestText = `${JSON.stringify(this.manifest, null, 2)}\n`;
        return this.manifestText;
      case "certificate-pdf":
        return withSubject(
          await signablePdf(this.certification(), createdAt),
          certificatePdfSubject(this.manifestSha256),
        );
      case "certificate":
        return `${signableText(this.certification())}\n${CERTIFICATE_PDF_LINE} ${this.certificatePdfSha}\n`;
      case "client-intake":
      case "client-plan":
      case "client-plan-text":
        return clientFileText(name, x.client, x.redact ? x.redactor : (t: string) => t);
    }
  }
}

/**
 * A PDF loanmail made, with `subject` as its document metadata (Subject): certificate.pdf states the manifest's
 * hash there as well as on its page, so that verify can compare it (verify-certificate.ts). Saved without a new
 * modification date, so the same record still gives the same bytes.
 */
async function withSubject(pdf: Buffer, subject: string): Promise<Buffer> {
  const doc = await loadPdf(pdf);
  if (!doc) throw new Error("withSubject: loanmail's own PDF cannot be read back");
  doc.setSubject(subject);
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The intake and the plan of a client's whole file, as JSON and as text to read (masked in a redacted bundle). */
function clientFileText(name: GeneratedFile, client: ClientFile | undefined, mask: (s: string) => string): string {
  if (!client) throw new Error(`${name}: not a client's file`);
  let intake: unknown;
  try {
    intake = JSON.parse(client.intake);
  } catch {
    intake = client.intake;
  }
  if (name === "client-intake")
    return mask(`${JSON.stringify({ client: { id: client.id, name: client.name }, intake }, null, 2)}\n`);
  if (name === "client-plan") return mask(`${JSON.stringify(client.plan, null, 2)}\n`);
  const lines = client.plan.map(
    (p) =>
      `- by ${p.by_date}: ${p.text}${p.done_on ? ` (done ${p.done_on})` : ""} [added ${p.created_at.slice(0, 10)}]`,
  );
  return mask(`Action plan of ${client.name}\n\n${lines.join("\n") || "(no follow-ups recorded)"}\n`);
}
