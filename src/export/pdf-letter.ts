/**
 * Printable PDF of a letter, for sending by certified mail alongside (or instead of) email.
 * Uses only pdfkit's built-in standard fonts so no font files have to ship with the package.
 */

import PDFDocument from "pdfkit";

/** Everything printed on a letter; multi-line fields use "\n" between lines. */
export interface PdfLetter {
  senderName: string;
  /** Multi-line, lines separated by "\n". */
  senderAddress: string;
  senderPhone?: string;
  senderEmail?: string;
  /** Already formatted, e.g. "November 27, 2026". */
  date: string;
  recipientName: string;
  /** Multi-line; "" when unknown, then only the recipient name is printed. */
  recipientAddress: string;
  subject: string;
  /** Plain text; paragraphs separated by blank lines; may carry its own closing and "Enclosures:" block. */
  body: string;
  /** Printed under the signature line. */
  signatureName: string;
  /**
   * The body carries its own signature and date lines (every borrower signs a third-party authorization): no
   * closing, signature line or name is added.
   */
  signatureInBody?: boolean;
  enclosures: readonly string[];
  /** E.g. "VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED". */
  deliveryNote?: string;
  /** Fixes the PDF creation date (and with it the file ID) so the same letter gives the same bytes. */
  createdAt?: Date;
}

const INCH = 72;
const MARGIN = INCH;
const REGULAR = "Times-Roman";
const BOLD = "Times-Bold";
const BODY_SIZE = 11.5;
const LINE_GAP = 1.5;
const SIGNATURE_LINE_WIDTH = 3 * INCH;

/** Code points above 0xFF that WinAnsiEncoding still has a glyph for (en dash, curly quotes, euro, ...). */
const WIN_ANSI_EXTRAS = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018, 0x2019,
  0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

/**
 * The standard fonts can only show WinAnsi; anything else would come out as a wrong glyph,
 * so it becomes "?" — visibly lost rather than silently garbled.
 */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\r\n?/g, "\n")) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRAS.has(cp)) {
      out += ch;
    } else if (cp === 0x09 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x202f || cp === 0x205f || cp === 0x3000) {
      // Odd-width spaces are still spaces to a reader; a "?" would look like a typo.
      out += " ";
    } else if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0xfeff) {
      // Invisible in the source, so they should stay invisible on paper.
    } else if (cp === 0x2010 || cp === 0x2011 || cp === 0x2212) {
      out += "-";
    } else {
      out += "?";
    }
  }
  return out;
}

function lines(text: string): string[] {
  return text
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** A closing must stand on its own line; "I respectfully request ..." inside a paragraph is not one. */
const CLOSING_LINE =
  /^(?:(?:yours|best|kind|warm|warmest|with\s+kind)\s+)?(?:sincerely|respectfully|regards)(?:\s+(?:yours|submitted))?\s*[,.!]?$/i;
const ENCLOSURES_LINE = /^(?:enclosures?|encl\.?)\s*:/i;

interface BodyParts {
  /** Printed before the signature block; ends with the body's own closing when it has one. */
  main: string[];
  /** Printed after the signature block (the body's own enclosures). */
  tail: string[];
  hasClosing: boolean;
  hasEnclosures: boolean;
}

/**
 * The signature has to sit right under the closing, and enclosures belong after the signature,
 * so a body that carries either is cut there and the signature block goes in between.
 */
function splitBody(body: string, signatureName: string): BodyParts {
  const all = body.split("\n");
  let closing = -1;
  for (let i = all.length - 1; i >= 0; i--) {
    if (CLOSING_LINE.test((all[i] ?? "").trim())) {
      closing = i;
      break;
    }
  }
  const enclosures = all.findIndex((l) => ENCLOSURES_LINE.test(l.trim()));
  const hasEnclosures = enclosures >= 0;
  if (closing >= 0) {
    const tail = all.slice(closing + 1);
    // The body often repeats the signer's name after the closing; we print it under the line instead.
    const first = tail.findIndex((l) => l.trim() !== "");
    const name = signatureName.trim().toLowerCase();
    if (first >= 0 && name !== "" && (tail[first] ?? "").trim().toLowerCase() === name) tail.splice(first, 1);
    return { main: all.slice(0, closing + 1), tail, hasClosing: true, hasEnclosures };
  }
  if (hasEnclosures) {
    return { main: all.slice(0, enclosures), tail: all.slice(enclosures), hasClosing: false, hasEnclosures };
  }
  return { main: all, tail: [], hasClosing: false, hasEnclosures };
}

function paragraphs(text: string[]): string[] {
  return text
    .join("\n")
    .split(/\n[ \t]*\n/)
    .map((p) => p.replace(/^\n+|\s+$/g, ""))
    .filter((p) => p.trim() !== "");
}

/** Render the letter to PDF bytes (US Letter, 1-inch margins). */
export function buildLetterPdf(letter: PdfLetter): Promise<Buffer> {
  const info: PDFKit.DocumentInfo = {
    Title: letter.subject,
    Author: letter.senderName,
    Subject: letter.subject,
    Creator: "loanmail",
  };
  if (letter.createdAt) info.CreationDate = letter.createdAt;

  // bufferPages: "Page N of M" needs M, which is only known once everything has been laid out.
  const doc = new PDFDocument({ size: "LETTER", margin: MARGIN, bufferPages: true, info });

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    try {
      layOut(doc, letter);
      doc.end();
    } catch (err) {
      reject(err);
    }
  });
}

function layOut(doc: PDFKit.PDFDocument, letter: PdfLetter): void {
  const left = MARGIN;
  const width = doc.page.width - 2 * MARGIN;
  const text = (s: string, options: PDFKit.Mixins.TextOptions = {}) =>
    doc.text(toWinAnsi(s), { width, lineGap: LINE_GAP, ...options });

  // Letterhead
  doc.font(BOLD).fontSize(15);
  text(letter.senderName, { align: "center" });
  doc.font(REGULAR).fontSize(10.5);
  for (const l of lines(letter.senderAddress)) text(l, { align: "center" });
  const contact = [letter.senderPhone, letter.senderEmail].map((s) => s?.trim() ?? "").filter((s) => s !== "");
  if (contact.length > 0) text(contact.join("  \u00b7  "), { align: "center" });
  doc.moveDown(0.4);
  doc
    .moveTo(left, doc.y)
    .lineTo(left + width, doc.y)
    .lineWidth(0.75)
    .stroke();
  doc.moveDown(1.5);

  doc.font(REGULAR).fontSize(BODY_SIZE);
  text(letter.date);
  doc.moveDown();

  if (letter.deliveryNote?.trim()) {
    doc.font(BOLD);
    text(letter.deliveryNote.trim());
    doc.font(REGULAR);
    doc.moveDown();
  }

  text(letter.recipientName);
  for (const l of lines(letter.recipientAddress)) text(l);
  doc.moveDown();

  // Hanging indent so a wrapped subject lines up under itself, not under "Re:".
  doc.font(BOLD);
  const reY = doc.y;
  const labelWidth = doc.widthOfString("Re:") + 6;
  doc.text("Re:", left, reY, { lineBreak: false });
  doc.text(toWinAnsi(letter.subject), left + labelWidth, reY, { width: width - labelWidth, lineGap: LINE_GAP });
  doc.x = left;
  doc.font(REGULAR);
  doc.moveDown();

  const parts = splitBody(letter.body, letter.signatureName);
  const lineHeight = doc.currentLineHeight(true) + LINE_GAP;
  const main = paragraphs(parts.main);
  main.forEach((p, i) => {
    if (letter.signatureInBody) keepSignatureTogether(doc, p, main[i + 1], lineHeight);
    text(p);
    doc.moveDown(0.8);
  });

  if (!letter.signatureInBody) signatureBlock(doc, parts.hasClosing, lineHeight, text, letter.signatureName);

  const tail = paragraphs(parts.tail);
  if (tail.length > 0) doc.moveDown(1.5);
  for (const p of tail) {
    text(p);
    doc.moveDown(0.8);
  }

  const enclosures = letter.enclosures.map((e) => e.trim()).filter((e) => e !== "");
  if (!parts.hasEnclosures && enclosures.length > 0) {
    if (tail.length === 0) doc.moveDown(1.5);
    // Don't strand the heading at the bottom of a page without its first item.
    if (doc.y + lineHeight * 2 > doc.page.maxY()) doc.addPage();
    text("Enclosures:");
    // Indent the whole item, not just its first line, so a wrapped file name stays visibly one item.
    for (const e of enclosures) {
      doc.text(toWinAnsi(`\u2022  ${e}`), left + 18, doc.y, { width: width - 18, lineGap: LINE_GAP });
    }
    doc.x = left;
  }

  addPageNumbers(doc);
}

const SIGNATURE_PARAGRAPH = /_{10,}/;

/**
 * A signature line printed from the body gets room above it for a wet signature and never leaves its name (or
 * the heading before the first one) on another page.
 */
function keepSignatureTogether(
  doc: PDFKit.PDFDocument,
  paragraph: string,
  next: string | undefined,
  lineHeight: number,
): void {
  const signature = SIGNATURE_PARAGRAPH.test(paragraph);
  const heading = !signature && next !== undefined && SIGNATURE_PARAGRAPH.test(next);
  if (!signature && !heading) return;
  const needed = (heading ? 2 : 0) + 5;
  if (doc.y + needed * lineHeight > doc.page.maxY()) doc.addPage();
  if (signature) doc.moveDown(1.5);
}

/** The closing, room for a wet signature, the line and the name, kept together on one page. */
function signatureBlock(
  doc: PDFKit.PDFDocument,
  hasClosing: boolean,
  lineHeight: number,
  text: (s: string) => unknown,
  name: string,
): void {
  const blockHeight = (hasClosing ? 0 : lineHeight * 1.8) + lineHeight * 5;
  if (doc.y + blockHeight > doc.page.maxY()) doc.addPage();
  if (!hasClosing) text("Sincerely,");
  doc.moveDown(3);
  const sigY = doc.y;
  doc
    .moveTo(MARGIN, sigY)
    .lineTo(MARGIN + SIGNATURE_LINE_WIDTH, sigY)
    .lineWidth(0.75)
    .stroke();
  doc.y = sigY + 4;
  text(name);
}

function addPageNumbers(doc: PDFKit.PDFDocument): void {
  const range = doc.bufferedPageRange();
  const total = range.count;
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    const page = doc.page;
    // The footer lives inside the bottom margin; without lifting the margin pdfkit would start a new page for it.
    const bottom = page.margins.bottom;
    page.margins.bottom = 0;
    doc
      .font(REGULAR)
      .fontSize(9)
      .text(`Page ${i + 1 - range.start} of ${total}`, MARGIN, page.height - MARGIN / 2 - 4, {
        width: page.width - 2 * MARGIN,
        align: "center",
        lineBreak: false,
      });
    page.margins.bottom = bottom;
  }
}
