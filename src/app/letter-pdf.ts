/**
 * `show --pdf`: a letter as a PDF. What was printed is what is kept (docs/ARCHITECTURE.md, "Evidence"):
 * - an unsent letter is printed, and the PDF's bytes are kept (blobs) and named in a `printed` event; the letter
 *   that then goes by post is recorded with the PDF printed last before it left (`mailed`);
 * - a letter that left by post (or portal, fax, hand) gives back the very PDF kept when it left, never a new one;
 *   one that left without loanmail printing it has no printed copy, and loanmail says so instead of inventing one;
 * - an emailed letter is its .eml: its PDF is a reading copy of that text, not kept.
 * A new PDF is the printable packet (src/export/pdf-packet.ts): the letter, the exhibit list and every exhibit
 * from its stored bytes; `--letter-only` prints the letter alone.
 */
import { checkOutput, type OutputTarget, writeOutputFile } from "../config/safe-files.js";
import { departureOf, type LetterDeparture, printingsOf } from "../domain/departure.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { countPdfPages } from "../export/pdf-pages.js";
import { buildStoredLetterOnly, buildStoredPacketPdf } from "../export/stored-letter-pdf.js";
import type { CaseRecord } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent, readCaseEvents } from "../store/events.js";
import { requireLoan } from "../store/loans.js";
import {
  type AttachmentRecord,
  getBlob,
  listAttachments,
  listCaseMessages,
  type MessageRecord,
  putBlob,
  sha256Hex,
} from "../store/messages.js";
import { requireCaseLetterAuthority } from "./authorization-gate.js";
import { chooseLetter } from "./case-letters.js";
import { addresseeOf } from "./prior-servicer.js";
import type { Session } from "./session.js";

/** Where the PDF's bytes came from. */
export type LetterPdfSource =
  /** an unsent letter, printed now and kept */
  | "printed"
  /** the copy kept when the letter left */
  | "kept"
  /** a reading copy of an emailed letter's text (the letter is its .eml) */
  | "rendered"
  /** a letter that left before loanmail kept printed copies: made again from its stored text */
  | "regenerated";

export interface LetterPdf {
  message: MessageRecord;
  source: LetterPdfSource;
  sha256: string;
  size: number;
  /** For a printing: false when the same PDF of the same text was printed and kept already. */
  recorded: boolean;
  /** What the user should know about this copy (a regenerated one is not the copy that was mailed). */
  note: string | null;
  /** Pages of the PDF (null when a kept copy cannot be read as a PDF). */
  pages: number | null;
  /** What did not print as it should: an exhibit that is not printable, a character no font has. */
  warnings: string[];
}

/**
 * The letter named, else the only draft, else (no draft) the only letter that left; several candidates are
 * refused by number: loanmail never guesses which letter is printed.
 */
function pickLetter(
  c: CaseRecord,
  messages: readonly MessageRecord[],
  wanted: number | undefined,
  path: string,
): MessageRecord {
  const out = messages.filter((m) => m.direction === "out");
  const drafts = out.filter((m) => m.state === "draft");
  const pool = drafts.length > 0 ? drafts : out.filter((m) => m.state !== "discarded");
  return chooseLetter(c, out, (m) => (wanted === undefined ? pool.includes(m) : m.state !== "discarded"), wanted, {
    command: "show",
    rest: `--pdf ${path}`,
    what: drafts.length > 0 ? "not yet sent" : "to print",
    none: () =>
      new UserError(`case ${c.tag} has no letter to print`, {
        code: "NO_LETTER_TO_PRINT",
        hint: "compose one first",
      }),
  });
}

/** The `--pdf` file: written only as a regular file, replaced only with `--force` (src/config/safe-files.ts). */
function pdfTarget(path: string, force: boolean): OutputTarget {
  return { path, who: `--pdf ${path}`, force, codes: { notWritable: "PDF_NOT_WRITABLE" } };
}

/** Keep a PDF loanmail printed of an unsent letter (inside a transaction); false when it is kept already. */
export function recordPrinting(
  db: Db,
  c: { id: number; loanId: number },
  m: MessageRecord,
  pdf: Uint8Array,
  at: string,
): boolean {
  const sha256 = sha256Hex(pdf);
  const last = printingsOf(readCaseEvents(db, c.id), m.id).at(-1);
  if (last && last.sha256 === sha256 && last.letterSha256 === m.rawSha256) return false;
  putBlob(db, pdf);
  appendCaseEvent(db, c, {
    at,
    type: "printed",
    actor: "user",
    messageId: m.id,
    data: { sha256, size: pdf.length, letter_sha256: m.rawSha256 },
  });
  return true;
}

/** The stored bytes under `sha256`, checked against it. */
function keptCopy(db: Db, sha256: string, m: MessageRecord): Buffer {
  const data = getBlob(db, sha256);
  if (!data || sha256Hex(data) !== sha256) {
    throw new UserError(`the PDF kept for letter ${m.id} (sha256 ${sha256}) is ${data ? "changed" : "missing"}`, {
      code: data ? "STORED_BYTES_MISMATCH" : "STORED_FILE_MISSING",
      hint: "the database was changed outside loanmail; check it with loanmail verify",
    });
  }
  return data;
}

/** An exhibit's stored bytes, checked against its hash: a packet never prints a changed or missing file. */
function exhibitBytes(db: Db, e: AttachmentRecord, m: MessageRecord): Buffer {
  const data = getBlob(db, e.sha256);
  if (!data || sha256Hex(data) !== e.sha256) {
    throw new UserError(
      `${e.exhibit ?? e.fileName} of letter ${m.id} (sha256 ${e.sha256}) is ${data ? "changed" : "missing"}`,
      {
        code: data ? "STORED_BYTES_MISMATCH" : "STORED_FILE_MISSING",
        hint: "the database was changed outside loanmail; check it with loanmail verify",
      },
    );
  }
  return data;
}

interface Rendered {
  pdf: Buffer;
  pages: number;
  warnings: string[];
}

/** What went wrong in a rendering, as sentences for the user. */
function renderWarnings(missing: readonly string[], unprintable: readonly string[]): string[] {
  const out = [...unprintable];
  if (missing.length > 0) {
    out.push(
      `${missing.length === 1 ? "a character" : `${missing.length} characters`} no font loanmail found can print came out as "?" (${missing.slice(0, 10).join(" ")}); loanmail doctor shows the fonts`,
    );
  }
  return out;
}

/**
 * The letter as a PDF, addressed as it was when it left (when recorded): the packet with its exhibits, or with
 * `letterOnly` the letter alone.
 */
async function render(
  s: Session,
  c: CaseRecord,
  m: MessageRecord,
  exhibits: readonly AttachmentRecord[],
  dep: LetterDeparture | undefined,
  letterOnly: boolean,
): Promise<Rendered> {
  // Addressed to the loan's servicer now, or to the servicer before a transfer the letter names (prior-servicer.ts).
  const servicer = addresseeOf(s.db(), m, requireLoan(s.db(), String(c.loanId)).servicerId);
  const name = dep?.asSent?.servicer ?? servicer.name;
  const address = dep?.asSent ? dep.asSent.address : servicer.noticeAddress;
  const user = s.config().user;
  if (letterOnly) {
    const r = await buildStoredLetterOnly(user, m, exhibits, name, address);
    return { pdf: r.pdf, pages: r.pages, warnings: renderWarnings(r.missing, []) };
  }
  const withBytes = exhibits.map((e) => ({
    exhibit: e.exhibit,
    label: e.label,
    fileName: e.fileName,
    contentType: e.contentType,
    sha256: e.sha256,
    data: exhibitBytes(s.db(), e, m),
  }));
  const p = await buildStoredPacketPdf(user, m, withBytes, name, address);
  const unprintable = p.exhibits
    .filter((e) => e.notPrintable !== null)
    .map(
      (e) =>
        `${e.exhibit ?? e.fileName} (${e.fileName}) is not printable (${e.notPrintable}): attach a printed copy where page ${e.firstPage} of the PDF says so`,
    );
  return { pdf: p.pdf, pages: p.pages, warnings: renderWarnings(p.missing, unprintable) };
}

export interface PdfOptions {
  /** The letter without its exhibits (for a portal or an email that carries the exhibits itself). */
  letterOnly?: boolean;
}

/**
 * Write letter `letter` (or the one pickLetter finds) as a PDF at `path` (owner-only); see the module comment.
 * The path is checked first: a refused one prints and records nothing.
 */
export async function writeLetterPdf(
  s: Session,
  c: CaseRecord,
  path: string,
  letter?: number | undefined,
  force = false,
  options: PdfOptions = {},
): Promise<LetterPdf> {
  const target = pdfTarget(path, force);
  checkOutput(target);
  const db = s.db();
  const m = pickLetter(c, listCaseMessages(db, c.id), letter, path);
  const exhibits = listAttachments(db, m.id);
  const dep = departureOf(readCaseEvents(db, c.id), m.id);
  const letterOnly = options.letterOnly === true;
  const done = (
    r: { pdf: Buffer; pages: number | null; warnings: string[] },
    source: LetterPdfSource,
    recorded: boolean,
    note: string | null,
  ): LetterPdf => ({
    message: m,
    source,
    sha256: sha256Hex(r.pdf),
    size: r.pdf.length,
    recorded,
    note,
    pages: r.pages,
    warnings: r.warnings,
  });
  if (m.state === "draft") {
    // Printing an unsent letter is the step before mailing it: a counselor's needs a valid authorization today.
    requireCaseLetterAuthority(db, c, m, isoDateIn(s.now, s.timeZone()), "print");
    const r = await render(s, c, m, exhibits, undefined, letterOnly);
    writeOutputFile(target, r.pdf);
    return done(
      r,
      "printed",
      inTransaction(db, () => recordPrinting(db, c, m, r.pdf, s.nowIso)),
      null,
    );
  }
  const copy = dep?.printedCopy;
  if (copy?.state === "held") {
    const pdf = keptCopy(db, copy.sha256, m);
    writeOutputFile(target, pdf);
    const warnings = letterOnly
      ? ["--letter-only does not apply to the copy kept when the letter left: it is written as it was printed"]
      : [];
    return done({ pdf, pages: await countPdfPages(pdf), warnings }, "kept", false, null);
  }
  if (copy?.state === "not-printed") {
    throw new UserError(
      `letter ${m.id} of ${c.tag} left with no copy printed by loanmail by that day: no printed copy is held`,
      {
        code: "NO_PRINTED_COPY",
        hint: `its text is shown by loanmail show ${c.id}; the export keeps its exact record (.eml)`,
      },
    );
  }
  const r = await render(s, c, m, exhibits, dep, letterOnly);
  writeOutputFile(target, r.pdf);
  if (copy?.state === "not-recorded") {
    return done(
      r,
      "regenerated",
      false,
      `letter ${m.id} left before loanmail kept printed copies: this PDF is made again from its stored text, not the copy that was mailed`,
    );
  }
  return done(
    r,
    "rendered",
    false,
    `letter ${m.id} is an email: its exact record is its .eml; this PDF is a reading copy`,
  );
}
