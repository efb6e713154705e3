/**
 * The pages of a PDF in an evidence bundle, through pdf-lib: how many a file has (for its Bates range) and a
 * Bates number stamped on each page of a PDF loanmail made. A file that pdf-lib cannot read (not a PDF, damaged,
 * encrypted beyond reading) has no page count; it is numbered as one file instead.
 */
import { PDFDocument, rgb, StandardFonts } from "pdf-lib";

const PDF_MAGIC = Buffer.from("%PDF-");
/** How far into a file its PDF header is looked for (readers accept it anywhere in the first 1024 bytes). */
export const PDF_HEAD = 1024;

/** Whether the bytes claim to be a PDF (its header), before anything tries to parse them. */
export function looksLikePdf(bytes: Uint8Array): boolean {
  return Buffer.from(bytes.subarray(0, PDF_HEAD)).includes(PDF_MAGIC);
}

/** A PDF read with pdf-lib, or null when the bytes cannot be read as one (or have no pages). */
export async function loadPdf(bytes: Uint8Array): Promise<PDFDocument | null> {
  if (!looksLikePdf(bytes)) return null;
  try {
    const doc = await PDFDocument.load(bytes, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
    return doc.getPageCount() > 0 ? doc : null;
  } catch {
    // A received attachment is hostile until proven otherwise: one that does not parse is numbered as a file.
    return null;
  }
}

/** The number of pages of a PDF, or null when it cannot be read as one. */
export async function countPdfPages(bytes: Uint8Array): Promise<number | null> {
  return (await loadPdf(bytes))?.getPageCount() ?? null;
}

/**
 * The PDF with `labels[i]` stamped at the bottom right of page i (outside the text of a letter's 1-inch margin).
 * The caller gives one label per page; the PDF is one loadPdf read (its pages counted on the same load).
 */
export async function stampLoaded(doc: PDFDocument, labels: readonly string[]): Promise<Buffer> {
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const pages = doc.getPages();
  if (pages.length !== labels.length) throw new Error(`stampPages: ${pages.length} pages, ${labels.length} labels`);
  pages.forEach((page, i) => {
    const label = labels[i] ?? "";
    const size = 8;
    const width = font.widthOfTextAtSize(label, size);
    const { width: pageWidth } = page.getSize();
    page.drawText(label, { x: pageWidth - 36 - width, y: 18, size, font, color: rgb(0, 0, 0) });
  });
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}
