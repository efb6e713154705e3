/**
 * Reading files to attach: type by content (PDF, JPEG, PNG, via file-type), never by name, and the size limits
 * of config [limits]. All files are checked before anything is written.
 */
import { readFileSync, statSync } from "node:fs";
import { basename, extname } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import type { Limits } from "../config/config.js";
import { cleanLabel, exhibitFileName, exhibitLetter } from "../domain/exhibits.js";
import { isErrno, UserError } from "../errors.js";

const ALLOWED: Record<string, string> = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };
const MB = 1024 * 1024;

/** "12.3 MB" or, below a megabyte, "850 KB": a user comparing with a limit needs a number that is not 0.0. */
function formatSize(bytes: number): string {
  return bytes >= MB ? `${(bytes / MB).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

export interface Exhibit {
  position: number;
  exhibit: string;
  label: string;
  fileName: string;
  contentType: string;
  data: Buffer;
  source: string;
}

/** Split `FILE[=LABEL]`; a path that itself contains "=" still works when the whole argument names a file. */
export function parseAttachSpec(spec: string, fileExists: (p: string) => boolean): { path: string; label?: string } {
  if (fileExists(spec)) return { path: spec };
  const eq = spec.lastIndexOf("=");
  if (eq > 0) return { path: spec.slice(0, eq), label: spec.slice(eq + 1) };
  return { path: spec };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Read and check `--attach` files, starting at exhibit `firstPosition` (0 = A). */
export async function readExhibits(specs: readonly string[], limits: Limits, firstPosition = 0): Promise<Exhibit[]> {
  const out: Exhibit[] = [];
  let total = 0;
  for (const [i, spec] of specs.entries()) {
    const { path, label } = parseAttachSpec(spec, exists);
    let size: number;
    try {
      const st = statSync(path);
      if (!st.isFile())
        throw new UserError(`--attach ${path}: not a file`, {
          code: "NOT_A_FILE",
          hint: "attach a PDF, JPEG or PNG file",
        });
      size = st.size;
    } catch (err) {
      if (err instanceof UserError) throw err;
      if (isErrno(err, "ENOENT", "ENOTDIR")) {
        throw new UserError(`--attach ${path}: no such file`, {
          code: "FILE_NOT_FOUND",
          hint: "check the path (write FILE=LABEL to name the exhibit)",
        });
      }
      throw new UserError(`--attach ${path}: cannot read it (${(err as NodeJS.ErrnoException).code})`, {
        code: "FILE_UNREADABLE",
        hint: "check its permissions",
      });
    }
    if (size > limits.attachment_mb * MB) {
      throw new UserError(
        `--attach ${path}: ${formatSize(size)} is over the ${limits.attachment_mb} MB limit for one attachment`,
        {
          code: "ATTACHMENT_TOO_LARGE",
          hint: "scan at a lower resolution or split the document (limits.attachment_mb in config.toml)",
        },
      );
    }
    total += size;
    if (total > limits.total_mb * MB) {
      throw new UserError(
        `the attachments come to ${formatSize(total)}, over the ${limits.total_mb} MB limit for one letter`,
        {
          code: "ATTACHMENTS_OVER_TOTAL_LIMIT",
          hint: "send fewer or smaller files, or split them over two letters (limits.total_mb in config.toml)",
        },
      );
    }
    let data: Buffer;
    try {
      data = readFileSync(path);
    } catch (err) {
      throw new UserError(`--attach ${path}: cannot read it (${(err as NodeJS.ErrnoException).code})`, {
        code: "FILE_UNREADABLE",
        hint: "check its permissions",
      });
    }
    if (data.length === 0)
      throw new UserError(`--attach ${path}: the file is empty`, {
        code: "FILE_EMPTY",
        hint: "attach the document itself",
      });
    const type = await fileTypeFromBuffer(data);
    const ext = type ? ALLOWED[type.mime] : undefined;
    if (!type || !ext) {
      throw new UserError(
        `--attach ${path}: the content is ${type ? type.mime : "not a recognised document"}, not a PDF, JPEG or PNG`,
        {
          code: "UNSUPPORTED_FILE_TYPE",
          hint: "servicers accept PDF, JPEG and PNG: print or scan the document to PDF first",
        },
      );
    }
    const position = firstPosition + i;
    const cleaned = cleanLabel(label ?? basename(path, extname(path)));
    out.push({
      position,
      exhibit: `Exhibit ${exhibitLetter(position)}`,
      label: cleaned,
      fileName: exhibitFileName(position, cleaned, ext),
      contentType: type.mime,
      data,
      source: path,
    });
  }
  return out;
}
