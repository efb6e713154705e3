/**
 * What compose reads from the user besides fields and files: the summary paragraph (`--summary` or
 * `--body-file`) and the day the letter was written (`--dated`, else today).
 */

import { megabytes, readRegularFile } from "../config/safe-files.js";
import { findControlChar } from "../domain/control-chars.js";
import { isoDateIn, zonedTimeToInstant } from "../domain/time-zone.js";
import { pastDay } from "../domain/typed-days.js";
import { UserError } from "../errors.js";

/** A letter's summary is a paragraph or a few: a body file over 1 MB is not one (and is refused unread). */
const BODY_FILE_CAP = megabytes(1, "for a letter's text", "give the summary paragraph itself, in a plain text file");

export function readSummary(req: { summary?: string | undefined; bodyFile?: string | undefined }): string {
  if (req.summary !== undefined && req.bodyFile !== undefined) {
    throw new UserError("give --summary or --body-file, not both", {
      code: "CONFLICTING_OPTIONS",
      hint: "put the whole paragraph in one of them",
    });
  }
  let text = req.summary;
  if (req.bodyFile !== undefined) {
    const bytes = readRegularFile(`--body-file ${req.bodyFile}`, req.bodyFile, BODY_FILE_CAP);
    text = utf8Text(bytes, `--body-file ${req.bodyFile}`).replace(/\r\n/g, "\n");
    const found = findControlChar(text, false);
    if (found)
      throw new UserError(`--body-file ${req.bodyFile} contains ${found.label} at character ${found.position}`, {
        code: "CONTROL_CHARACTER",
        hint: "save it as plain text without control characters or bidi marks (tabs and line breaks are fine)",
      });
  }
  if (!text?.trim()) {
    throw new UserError("the letter needs a summary", {
      code: "LETTER_SUMMARY_MISSING",
      hint: "say what happened, with dates and amounts",
    });
  }
  return text.trim();
}

/**
 * A text file's bytes as UTF-8, refused when they are not: a letter saved in another encoding (Windows-1252, say)
 * would otherwise have each accented letter turned into U+FFFD in the text that is sent and hashed.
 */
function utf8Text(bytes: Buffer, who: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const at = bytes.toString("utf8").indexOf("\ufffd") + 1;
    throw new UserError(`${who} is not UTF-8 text (the first byte that is not is at character ${at})`, {
      code: "NOT_UTF8_TEXT",
      hint: "save it as UTF-8 plain text (in most editors: Save As, encoding UTF-8)",
    });
  }
}

/** When the letter was written: `--dated D` (noon of D in the user's zone, so every printed date says D), else now. */
export function writtenWhen(
  req: { dated?: string | undefined },
  now: Date,
  timeZone: string,
): { on: string; at: Date } {
  const today = isoDateIn(now, timeZone);
  if (req.dated === undefined) return { on: today, at: now };
  const on = pastDay(
    req.dated,
    "--dated",
    today,
    "--dated records a letter written earlier; a letter written today needs no --dated",
  );
  return { on, at: zonedTimeToInstant(on, "12:00", timeZone) };
}
