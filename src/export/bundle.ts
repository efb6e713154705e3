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
import { statSync } from "node:fs";
import { basename, dirname } from "node:path";
import type { UserConfig } from "../config/config.js";
import { isErrno, UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import { GENESIS_HASH } from "../store/events.js";
import { BundleContent } from "./bundle-content.js";
import { type ChainFact, chainFacts } from "./bundle-manifest.js";
import { planBundle } from "./bundle-plan.js";
import type { SourceCase } from "./timeline-sources.js";
import { writeZipFile } from "./zip-writer.js";

export interface BundleRequest {
  db: Db;
  /** The case asked for first, then its descendants (app gatherTimelineSources over collectCaseTree). */
  sources: SourceCase[];
  out: string;
  redact: boolean;
  /** Masks account numbers and SSNs (used only with `redact`). */
  redactor: (s: string) => string;
  now: Date;
  asOf: string;
  user: UserConfig;
  toolVersion: string;
  /** What each Bates number starts with (bates.ts). */
  batesPrefix: string;
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

/** Refuse an --out that is a directory or whose folder does not exist, before any work is done. */
export function checkOutPath(out: string, flag = "--out"): void {
  try {
    if (statSync(out).isDirectory()) {
      throw new UserError(`${flag} ${out} is a directory`, {
        code: "OUTPUT_IS_DIRECTORY",
        hint: "give a file name, e.g. case-evidence.zip",
      });
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (!isErrno(err, "ENOENT")) throw err;
  }
  try {
    if (!statSync(dirname(out) || ".").isDirectory()) throw new Error("not a directory");
  } catch {
    throw new UserError(`${flag} ${out}: the folder ${dirname(out)} does not exist`, {
      code: "OUTPUT_FOLDER_MISSING",
      hint: "create it or choose another path",
    });
  }
}

/** Write the bundle to `out` (mode 0600, through a temporary file renamed into place). */
export async function writeBundle(req: BundleRequest): Promise<BundleResult> {
  const { sources, redact } = req;
  const root = sources[0];
  if (!root) throw new Error("writeBundle: no case");
  const timeZone = req.user.timezone;
  const plan = planBundle(sources, redact, timeZone, redact ? req.redactor : (s: string) => s);
  const chains = chainFacts(sources);
  const content = new BundleContent({
    db: req.db,
    sources,
    root,
    plan,
    chains,
    redact,
    redactor: req.redactor,
    generatedAt: req.now.toISOString(),
    asOf: req.asOf,
    timeZone,
    user: req.user,
    toolVersion: req.toolVersion,
    zipName: basename(req.out),
    batesPrefix: req.batesPrefix,
  });
  await writeZipFile(req.out, req.now, plan.entries, (entry) => content.produce(entry));
  return {
    out: req.out,
    manifestSha256: content.manifestSha256,
    files: content.fileCount,
    omitted: plan.omitted.length,
    bytes: statSync(req.out).size,
    redacted: redact,
    chains,
    chainHead: chains[0]?.head ?? GENESIS_HASH,
    bates: content.batesSpan,
  };
}
