/**
 * The evidence bundle (docs/ARCHITECTURE.md, "Evidence"): one zip that anyone can check. `planBundle` (bundle-plan.ts, pure)
 * names every file: the byte-exact .eml originals, the exhibits under their labels and the received attachments
 * under sanitized names, PDFs of the letters sent, events.jsonl (the hash chains), timeline.csv/json, an offline
 * index.html, manifest.json (each file's size and SHA-256, the chain heads, tool version, time) and a draft
 * declaration under 28 U.S.C. 1746 and a certificate under FRE 902(14) (declaration.ts, certification.ts), each as
 * text and as a PDF to sign, an exhibit list keyed to Bates numbers (bates.ts). `writeBundle` streams it with yazl (zip-writer.ts): each
 * message and blob is read from the database by its own query only when the zip reaches it, hashed, and handed
 * on (bundle-content.ts), so a case of any size never sits in memory at once.
 */
import { fstatSync } from "node:fs";
import { basename } from "node:path";
import type { UserConfig } from "../config/config.js";
import type { Progress } from "../domain/progress.js";
import type { Db } from "../store/db.js";
import { GENESIS_HASH } from "../store/events.js";
import { BundleContent, type ClientFile } from "./bundle-content.js";
import { type ChainFact, chainFacts } from "./bundle-manifest.js";
import { planBundle } from "./bundle-plan.js";
import type { SourceCase } from "./timeline-sources.js";
import { writeZipFile } from "./zip-writer.js";

export interface BundleRequest {
  db: Db;
  /** The case asked for first, then its descendants (app gatherTimelineSources over collectCaseTree). */
  sources: SourceCase[];
  /** The file's name as the user gave it (its base name is the zip's name inside the bundle). */
  out: string;
  /** Where the zip is written: an open file, left open. */
  fd: number;
  redact: boolean;
  /** Masks account numbers and SSNs (used only with `redact`). */
  redactor: (s: string) => string;
  now: Date;
  asOf: string;
  user: UserConfig;
  /** In a counselor's home, the counselor's agency: the declaration is then the counselor's, not a borrower's. */
  counselorAgency?: string | undefined;
  toolVersion: string;
  /** What each Bates number starts with (bates.ts). */
  batesPrefix: string;
  /** A client's whole file: its own chain, intake, plan and authorizations beside its cases. */
  client?: ClientFile;
  /** One stage, the bundle's files counted as the zip takes them (src/domain/progress.ts). */
  progress?: Progress | undefined;
  /**
   * Run each time the zip has taken a part of a stored message or file: the app gives back the memory of dead
   * parts there (src/app/dead-buffers.ts), which V8 would otherwise keep until its own full collection.
   */
  afterPart?: (() => void) | undefined;
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
  /** The first and last Bates numbers given (null when the bundle holds no evidence file). */
  bates: { first: string | null; last: string | null };
}

/**
 * Write the bundle into the open file `req.fd` (the app's partial file for `out`, which takes its name once the
 * bundle is complete: src/config/safe-files.ts).
 */
export async function writeBundle(req: BundleRequest): Promise<BundleResult> {
  const { sources, redact } = req;
  const client = req.client;
  const root = client ? undefined : sources[0];
  if (!root && !client) throw new Error("writeBundle: no case");
  const timeZone = req.user.timezone;
  const plan = planBundle(sources, redact, timeZone, redact ? req.redactor : (s: string) => s, client);
  const chains = [...(client ? [clientChainFact(client)] : []), ...chainFacts(sources)];
  const content = new BundleContent({
    db: req.db,
    sources,
    root,
    client,
    plan,
    chains,
    redact,
    redactor: req.redactor,
    generatedAt: req.now.toISOString(),
    asOf: req.asOf,
    timeZone,
    user: req.user,
    counselorAgency: req.counselorAgency,
    toolVersion: req.toolVersion,
    zipName: basename(req.out),
    batesPrefix: req.batesPrefix,
    afterPart: req.afterPart,
  });
  const progress = req.progress;
  let done = 0;
  progress?.start(basename(req.out), plan.entries.length);
  try {
    await writeZipFile(req.fd, req.now, plan.entries, async (entry) => {
      const bytes = await content.produce(entry);
      progress?.update(++done);
      return bytes;
    });
  } finally {
    progress?.stop();
  }
  return {
    out: req.out,
    manifestSha256: content.manifestSha256,
    files: content.fileCount,
    omitted: plan.omitted.length,
    bytes: fstatSync(req.fd).size,
    redacted: redact,
    chains,
    chainHead: chains[0]?.head ?? GENESIS_HASH,
    bates: content.batesSpan,
  };
}

/** The client's own chain as the bundle records it (chain = minus the client's id). */
function clientChainFact(client: ClientFile): ChainFact {
  return {
    chain: -client.id,
    case: `client ${client.name}`,
    events: client.chain.length,
    head: client.chain.at(-1)?.hash ?? GENESIS_HASH,
  };
}
