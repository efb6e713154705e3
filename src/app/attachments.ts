/**
 * Reading files to attach: type by content (PDF, JPEG, PNG, via file-type), never by name, and the size limits
 * of config [limits]. All files are checked before anything is written.
 */
import { statSync } from "node:fs";
import { basename, extname } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import type { Limits } from "../config/config.js";
import { closeInput, formatSize, megabytes, openRegularFile, readInput } from "../config/safe-files.js";
import { cleanLabel, exhibitFileName, exhibitName } from "../domain/exhibits.js";
import type { LetterLanguage } from "../domain/language.js";
import { UserError } from "../errors.js";

const ALLOWED: Record<string, string> = { "application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png" };
const MB = 1024 * 1024;

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
  // The file is the shortest part before an "=" that exists; the label is all the rest, "=" and all
  // ("june.pdf=Statement=June" is june.pdf labelled "Statement=June"). When none exists, the first "=" splits.
  const cuts = [...spec.matchAll(/=/g)].map((m) => m.index).filter((i) => i > 0);
  const at = cuts.find((i) => fileExists(spec.slice(0, i))) ?? cuts[0];
  return at === undefined ? { path: spec } : { path: spec.slice(0, at), label: spec.slice(at + 1) };
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

/** Read and check `--attach` files (or the files of `flag`), starting at exhibit `firstPosition` (0 = A). */
export async function readExhibits(
  specs: readonly string[],
  limits: Limits,
  firstPosition = 0,
  flag = "--attach",
  /** The letter's language names its exhibits ("Exhibit A", "Anexo A"). */
  lang: LetterLanguage = "en",
): Promise<Exhibit[]> {
  const out: Exhibit[] = [];
  let total = 0;
  for (const [i, spec] of specs.entries()) {
    const { path, label } = parseAttachSpec(spec, exists);
    const who = `${flag} ${path}`;
    const file = openRegularFile(who, path, {
      missing: flag === "--attach" ? "check the path (write FILE=LABEL to name the exhibit)" : "check the path",
      notAFile: "attach a PDF, JPEG or PNG file",
    });
    let data: Buffer;
    try {
      total += file.size;
      if (file.size <= limits.attachment_mb * MB && total > limits.total_mb * MB) {
        throw new UserError(
          `the attachments come to ${formatSize(total)}, over the ${limits.total_mb} MB limit for one letter`,
          {
            code: "ATTACHMENTS_OVER_TOTAL_LIMIT",
            hint: "send fewer or smaller files, or split them over two letters (limits.total_mb in config.toml)",
          },
        );
      }
      data = readInput(
        file,
        megabytes(
          limits.attachment_mb,
          "for one attachment",
          "scan at a lower resolution or split the document (limits.attachment_mb in config.toml)",
          "ATTACHMENT_TOO_LARGE",
        ),
      );
    } finally {
      closeInput(file);
    }
    if (data.length === 0)
      throw new UserError(`${who}: the file is empty`, {
        code: "FILE_EMPTY",
        hint: "attach the document itself",
      });
    const type = await fileTypeFromBuffer(data);
    const ext = type ? ALLOWED[type.mime] : undefined;
    if (!type || !ext) {
      throw new UserError(
        `${who}: the content is ${type ? type.mime : "not a recognised document"}, not a PDF, JPEG or PNG`,
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
      exhibit: exhibitName(position, lang),
      label: cleaned,
      fileName: exhibitFileName(position, cleaned, ext, lang),
      contentType: type.mime,
      data,
      source: path,
    });
  }
  return out;
}

/** A file already in the record (an authorization's signed form) as exhibit `position`, typed by its content. */
export async function exhibitOfBytes(
  data: Buffer,
  label: string,
  position: number,
  source: string,
  lang: LetterLanguage = "en",
): Promise<Exhibit> {
  const type = await fileTypeFromBuffer(data);
  const ext = type ? ALLOWED[type.mime] : undefined;
  if (!type || !ext)
    throw new UserError(`${source}: the stored file is not a PDF, JPEG or PNG`, {
      code: "UNSUPPORTED_FILE_TYPE",
      hint: "record the signed form again as a PDF: loanmail authorization add ...",
    });
  const cleaned = cleanLabel(label);
  return {
    position,
    exhibit: exhibitName(position, lang),
    label: cleaned,
    fileName: exhibitFileName(position, cleaned, ext, lang),
    contentType: type.mime,
    data,
    source,
  };
}
