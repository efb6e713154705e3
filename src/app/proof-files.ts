/**
 * Proof of mailing kept with a letter sent by post (`mailed --receipt / --green-card / --tracking-proof`): the
 * PS Form 3800 certified-mail receipt, the PS Form 3811 return receipt (green card) and a USPS tracking page saved
 * as PDF. Each file is checked before anything is written (a regular file, not empty, within the size limit, a
 * PDF, JPEG or PNG by its content), then kept by hash (blobs) and named in a `mail-proof` event.
 */
import { basename } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import type { Limits } from "../config/config.js";
import { megabytes, readRegularFile } from "../config/safe-files.js";
import type { LetterProof } from "../domain/departure.js";
import type { ProofFileData, ProofKind } from "../domain/events.js";
import { UserError } from "../errors.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { appendCaseEvent } from "../store/events.js";
import { putBlob, sha256Hex } from "../store/messages.js";

const ALLOWED = new Set(["application/pdf", "image/jpeg", "image/png"]);

/** The proof files a `mailed` call names, by kind. */
export interface ProofRequest {
  receipt?: string | undefined;
  greenCard?: string | undefined;
  trackingProof?: string | undefined;
}

/** A proof file read and checked, ready to keep. */
export interface ProofFile extends ProofFileData {
  data: Buffer;
  path: string;
}

const FLAGS: Record<ProofKind, string> = {
  receipt: "--receipt",
  "green-card": "--green-card",
  "tracking-proof": "--tracking-proof",
};

/** The files of a request, in a fixed order (receipt, green card, tracking page). */
function requested(req: ProofRequest): { kind: ProofKind; path: string }[] {
  const out: { kind: ProofKind; path: string }[] = [];
  if (req.receipt !== undefined) out.push({ kind: "receipt", path: req.receipt });
  if (req.greenCard !== undefined) out.push({ kind: "green-card", path: req.greenCard });
  if (req.trackingProof !== undefined) out.push({ kind: "tracking-proof", path: req.trackingProof });
  return out;
}

/** Read and check every proof file of a request; nothing is written. */
export async function readProofFiles(req: ProofRequest, limits: Limits): Promise<ProofFile[]> {
  const out: ProofFile[] = [];
  for (const { kind, path } of requested(req)) {
    const flag = FLAGS[kind];
    const cap = megabytes(
      limits.attachment_mb,
      "",
      "scan it at a lower resolution (the limit is limits.attachment_mb in config.toml)",
      "PROOF_FILE_TOO_LARGE",
    );
    const data = readRegularFile(`${flag} ${path}`, path, cap, {
      notAFile: "name the scan or PDF itself, not a folder, pipe or device",
    });
    if (data.length === 0)
      throw new UserError(`${flag} ${path}: the file is empty`, { code: "FILE_EMPTY", hint: "give the scan itself" });
    const type = await fileTypeFromBuffer(data);
    if (!type || !ALLOWED.has(type.mime)) {
      throw new UserError(
        `${flag} ${path}: the content is ${type ? type.mime : "not a recognised document"}, not a PDF, JPEG or PNG`,
        { code: "UNSUPPORTED_FILE_TYPE", hint: "scan or save it as PDF, JPEG or PNG" },
      );
    }
    const file = { kind, name: basename(path), size: data.length, content_type: type.mime, data, path };
    out.push({ ...file, sha256: sha256Hex(data) });
  }
  return out;
}

/** Refuse a file already kept with this letter (or named twice): one proof is kept once. */
export function checkNotKept(files: readonly ProofFile[], kept: readonly LetterProof[], letter: number): void {
  const seen = new Map(kept.map((k) => [k.sha256, k.name]));
  for (const f of files) {
    const earlier = seen.get(f.sha256);
    if (earlier !== undefined) {
      throw new UserError(`${FLAGS[f.kind]} ${f.path}: this file is already kept with letter ${letter} (${earlier})`, {
        code: "PROOF_ALREADY_KEPT",
        hint: "leave it out: it is in the record once already",
      });
    }
    seen.set(f.sha256, f.name);
  }
}

/** Keep the files and append the `mail-proof` event (inside the caller's transaction). */
export function keepProofFiles(
  db: Db,
  c: CaseRecord,
  at: string,
  messageId: number | null,
  tracking: string,
  files: readonly ProofFile[],
): ProofFileData[] {
  if (files.length === 0) return [];
  const kept = files.map(({ data, path: _path, ...f }) => ({ ...f, sha256: putBlob(db, data) }));
  appendCaseEvent(db, c, { at, type: "mail-proof", actor: "user", messageId, data: { tracking, files: kept } });
  return kept;
}
