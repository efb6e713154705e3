/**
 * Evidence: a timeline of a case and its escalations (or of every case) as text, JSON, CSV or HTML; the evidence
 * bundle of a case, recorded as an `exported` event; and the check of a bundle or of the database's own chains.
 */
import { basename } from "node:path";
import {
  checkOutput,
  closeInput,
  type OutputTarget,
  openRegularFile,
  writeOutput,
  writeOutputFile,
} from "../config/safe-files.js";
import type { EventDataByType } from "../domain/events.js";
import type { Progress } from "../domain/progress.js";
import { isoDateIn } from "../domain/time-zone.js";
import { checkBatesPrefix, defaultBatesPrefix } from "../export/bates.js";
import type { BundleResult } from "../export/bundle.js";
import { renderHtmlReport } from "../export/html-report.js";
import { buildRedactor, redactTimeline } from "../export/redact.js";
import { buildTimeline, type TimelineDoc } from "../export/timeline.js";
import { renderTimelineCsv, renderTimelineJson, renderTimelineText } from "../export/timeline-render.js";
import { collectCaseTree, orderCaseForest, type SourceCase } from "../export/timeline-sources.js";
import { type BundleReport, verifyBundle } from "../export/verify.js";
import { type DbReport, verifyDatabaseReading } from "../export/verify-db.js";
import { type MessageParser, parseMail } from "../mail/parse.js";
import { type CaseRecord, listCases } from "../store/cases.js";
import { inTransaction, withSmallPageCache } from "../store/db.js";
import { appendCaseEvent, type EventRow, eventsAfterHead } from "../store/events.js";
import { readToolVersion } from "../version.js";
import { fenceId, refuseFence, requireCaseFor } from "./client-scope.js";
import { counselorHome } from "./counselor-home.js";
import { freeDeadExportParts } from "./dead-buffers.js";
import type { Session } from "./session.js";
import { gatherTimelineSources } from "./timeline-sources.js";
import { recordFactsCheck } from "./verify-record.js";
import { rowFindings } from "./verify-rows.js";

export type { BundleReport } from "../export/verify.js";
export type { DbReport } from "../export/verify-db.js";

export type TimelineFormat = "text" | "json" | "csv" | "html";

/** Every account number the cases' loans have had: what --redact masks besides SSNs. */
export function accountNumbers(sources: readonly SourceCase[]): string[] {
  return [...new Set(sources.flatMap((s) => [s.accountNumber, ...s.pastAccountNumbers]))];
}

/** The day a timeline or bundle judges the clocks on: today in the user's time zone. */
function todayIn(s: Session): string {
  return isoDateIn(s.now, s.timeZone());
}

export interface TimelineRequest {
  /** A case (with its escalations); undefined for every case of the fenced client (or of every client). */
  ref: string | undefined;
  format: TimelineFormat;
  redact: boolean;
  /** The file to write; undefined to only return the text. */
  out: string | undefined;
  /** An existing file at `out` may be replaced (`--force`). */
  force?: boolean;
  /** Makes the text format safe to show (servicer-written subjects may hold terminal control characters). */
  cleanText: (text: string) => string;
}

export interface TimelineOutcome {
  text: string;
  cases: number;
  rows: number;
  redacted: boolean;
}

/** Gather, build and render a timeline, and write it to `out` (owner-only) when one is given. */
export function writeTimeline(s: Session, req: TimelineRequest): TimelineOutcome {
  const target = req.out === undefined ? undefined : outTarget(req.out, req.force === true);
  if (target) checkOutput(target);
  const db = s.db();
  const tz = s.timeZone();
  const tree =
    req.ref !== undefined
      ? collectCaseTree(requireCaseFor(s, req.ref), listCases(db))
      : orderCaseForest(listCases(db, { clientId: fenceId(s) }));
  const asOf = todayIn(s);
  const sources = gatherTimelineSources(db, tree, tz, asOf);
  let doc: TimelineDoc = buildTimeline({ cases: sources, generatedAt: s.nowIso, timeZone: tz, asOf });
  if (req.redact) doc = redactTimeline(doc, buildRedactor(accountNumbers(sources)));

  const title =
    req.ref !== undefined
      ? `Timeline: ${doc.cases[0]?.tag ?? req.ref}${doc.redacted ? " (redacted)" : ""}`
      : `Timeline: every case${doc.redacted ? " (redacted)" : ""}`;
  const text =
    req.format === "json"
      ? renderTimelineJson(doc)
      : req.format === "csv"
        ? renderTimelineCsv(doc)
        : req.format === "html"
          ? renderHtmlReport(doc, { title })
          : req.cleanText(renderTimelineText(doc));
  const rows = doc.cases.reduce((n, c) => n + c.rows.length, 0);
  if (target) writeOutputFile(target, text);
  return { text, cases: doc.cases.length, rows, redacted: doc.redacted };
}

/** The `--out` file of timeline and export: written only as a regular file, replaced only with `--force`. */
function outTarget(path: string, force: boolean): OutputTarget {
  return { path, who: `--out ${path}`, force };
}

export interface ExportOutcome {
  caseRecord: CaseRecord;
  bundle: BundleResult;
  /** The `exported` event recorded on the case. */
  event: EventRow;
}

/** What an `exported` event records of a bundle written: its file, manifest and chain heads, and who wrote it. */
export function exportedData(result: BundleResult, by: string): EventDataByType["exported"] {
  return {
    file: basename(result.out),
    manifest_sha256: result.manifestSha256,
    chain_head: result.chainHead,
    chain_heads: Object.fromEntries(result.chains.map((x) => [x.case, x.head])),
    redacted: result.redacted,
    files: result.files,
    omitted: result.omitted,
    bytes: result.bytes,
    by,
  };
}

/** Write the evidence bundle of a case and its escalations to `out`, then record it as an `exported` event. */
export async function exportBundle(
  s: Session,
  req: { ref: string; out: string; force?: boolean; redact: boolean; batesPrefix?: string; progress?: Progress },
): Promise<ExportOutcome> {
  // Refused before any work: a device, FIFO, folder or link at --out, or an existing file without --force.
  const target = outTarget(req.out, req.force === true);
  checkOutput(target);
  const batesPrefix = req.batesPrefix === undefined ? undefined : checkBatesPrefix(req.batesPrefix);
  const db = s.db();
  const c = requireCaseFor(s, req.ref);
  const tree = collectCaseTree(c, listCases(db));
  const asOf = todayIn(s);
  let written: BundleResult | undefined;
  // Loaded here, not with this module: the bundle's writer brings pdf-lib and pdfkit, which the timeline and verify
  // commands sharing this module never use (about 25 MB of a verify's peak memory).
  const { writeBundle } = await import("../export/bundle.js");
  // The case's messages and files are read once each, past SQLite's page cache (withSmallPageCache).
  const bytes = await withSmallPageCache(db, () => {
    const sources = gatherTimelineSources(db, tree, s.timeZone(), asOf);
    return writeOutput(target, async ({ fd }) => {
      written = await writeBundle({
        db,
        sources,
        out: req.out,
        fd,
        redact: req.redact,
        redactor: buildRedactor(accountNumbers(sources)),
        now: s.now,
        asOf,
        user: s.config().user,
        counselorAgency: counselorHome(db)?.agency.name,
        toolVersion: readToolVersion(),
        batesPrefix: batesPrefix ?? defaultBatesPrefix(c.tag),
        progress: req.progress,
        afterPart: freeDeadExportParts,
      });
    });
  });
  if (!written) throw new Error("exportBundle: the bundle was not written");
  const result: BundleResult = { ...written, bytes };
  // After the zip is complete: the event names the manifest's hash, which the bundle cannot contain itself.
  const event = inTransaction(db, () =>
    appendCaseEvent(db, c, {
      at: s.nowIso,
      type: "exported",
      actor: "user",
      data: {
        ...exportedData(result, s.config().user.name),
        appended_since: eventsAfterHead(db, c.id, result.chainHead),
      },
    }),
  );
  return { caseRecord: c, bundle: result, event };
}

/**
 * Walk every event chain of the database and check each stored message's and file's hash, then every fact shown
 * against the chain; `progress` gets a stage for each of these.
 */
export async function verifyStoredEvidence(
  s: Session,
  parse: MessageParser = parseMail,
  progress?: Progress,
): Promise<DbReport> {
  refuseFence(s, "verify --db");
  const db = s.db();
  const tags = new Map(listCases(db).map((c) => [c.id, c.tag]));
  // Every fact shown against the chain: a message's hash, class, case, arrival and parsed fields; a mail reply is
  // parsed again from the bytes read for its hash check (one read of each message).
  const facts = recordFactsCheck(db, parse);
  const report = await withSmallPageCache(db, () =>
    verifyDatabaseReading(db, (id) => tags.get(id), facts.reread, progress),
  );
  if (!report.ok) return report;
  const findings = [...facts.findings(progress), ...rowFindings(db)];
  return findings[0] ? { ...report, ok: false, first: findings[0] } : report;
}

/**
 * Under a fence, whether a bundle's chain is another client's: a case's chain (its id) is its loan's client's, a
 * client's own chain is -id; a chain the database no longer holds is no client's of this fence either.
 */
function outsideFenceOf(s: Session): ((chain: number) => boolean) | undefined {
  const fence = fenceId(s);
  if (fence === undefined) return undefined;
  const clientOfCase = new Map(listCases(s.db()).map((c) => [c.id, c.clientId]));
  return (chain) => (chain < 0 ? -chain : clientOfCase.get(chain)) !== fence;
}

/**
 * Check an evidence bundle's files, originals and event chains against its manifest (and with `against`, against
 * this home's database). Only a regular file is read (a FIFO or device is refused unopened); the zip is read in
 * parts, entry by entry, so no size cap applies.
 */
export async function verifyBundleFile(file: string, against?: Session, progress?: Progress): Promise<BundleReport> {
  // Opened once and checked through the same descriptor it is read by: a file swapped in at the path after the
  // check is never the one read.
  const zip = openRegularFile(file, file, { notAFile: "give the .zip that loanmail export wrote" });
  let report: BundleReport;
  try {
    report = await verifyBundle(file, zip, against?.db(), progress, against && outsideFenceOf(against));
  } finally {
    closeInput(zip);
  }
  // Against the database: the database itself is walked too (verify --db), so that a record changed since in
  // ways the bundle's heads cannot see (a row edited behind the chain) is not passed as matching. Fenced to one
  // client, the walk (every client's records) is left to an unfenced verify --db, and the report says so: a
  // silent "Everything matches" passed a loan row edited behind the chain.
  if (!against) return report;
  if (fenceId(against) !== undefined) {
    const why =
      "the database walk (verify --db): it reads every client's records, so a command fenced to one client does not run it; run loanmail verify --db without --client (and with LOANMAIL_CLIENT unset)";
    return { ...report, notChecked: [...(report.notChecked ?? []), why] };
  }
  const db = await verifyStoredEvidence(against, parseMail, progress);
  const finding = db.first
    ? { subject: `database: ${db.first.subject}`, ok: false, detail: db.first.detail }
    : { subject: "database", ok: true, detail: "its chains, stored bytes and every fact shown match (verify --db)" };
  const findings = [...report.findings, finding];
  return { ...report, ok: report.ok && db.ok, findings, first: findings.find((x) => !x.ok) ?? null };
}
