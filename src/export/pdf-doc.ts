/**
 * A pdfkit document as loanmail makes them: US Letter, tagged for screen readers (a structure tree, the
 * language, the title shown instead of the file name), the fonts of pdf-fonts.ts embedded, and a fixed creation
 * date when one is given so that the same record gives the same bytes.
 *
 * Not claimed: PDF/UA conformance (pdfkit's `subset: "PDF/UA"`). The pages loanmail draws are tagged, but a
 * packet carries exhibits as they were given (scans, a servicer's statement), whose content is not tagged, and
 * a conformance claim would then be false.
 */
import PDFDocument from "pdfkit";
import { PdfCanvas } from "./pdf-flow.js";
import { FontBook } from "./pdf-fonts.js";
import { Typesetter } from "./pdf-type.js";
import type { PdfWords } from "./pdf-words.js";

export const PAGE = { width: 612, height: 792 } as const;

export interface DocInfo {
  title: string;
  author?: string;
  subject?: string;
  createdAt?: Date;
  /** BCP 47, default "en-US". */
  lang?: string;
  /** Only the standard fonts (a test of the fallback). */
  standardFonts?: boolean;
}

export interface OpenDoc {
  doc: PDFKit.PDFDocument;
  ts: Typesetter;
  canvas: PdfCanvas;
  /** End the document and give its bytes. */
  end(): Promise<Buffer>;
}

export function openDoc(info: DocInfo): OpenDoc {
  const meta: PDFKit.DocumentInfo = { Title: info.title, Creator: "loanmail" };
  if (info.author) meta.Author = info.author;
  if (info.subject) meta.Subject = info.subject;
  if (info.createdAt) meta.CreationDate = info.createdAt;
  const doc = new PDFDocument({
    size: "LETTER",
    margin: 36,
    autoFirstPage: false,
    pdfVersion: "1.7",
    tagged: true,
    lang: info.lang ?? "en-US",
    displayTitle: true,
    info: meta,
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
  });
  const ts = new Typesetter(doc, new FontBook({ standardOnly: info.standardFonts === true }));
  const canvas = new PdfCanvas(doc, ts);
  return {
    doc,
    ts,
    canvas,
    end: () => {
      canvas.finish();
      doc.end();
      return done;
    },
  };
}

/** "Page N of M" (in the letter's language), centred at the foot of a page, skipped by screen readers. */
export function drawPageNumber(canvas: PdfCanvas, words: PdfWords, n: number, total: number, left?: string): void {
  const style = { size: 8.5, weight: 400 as const };
  const line = canvas.ts.line(words.page(n, total), style);
  const baseline = PAGE.height - 30;
  canvas.artifact(() => {
    canvas.ts.draw(line, (PAGE.width - line.width) / 2, baseline, style.size);
    if (left) canvas.ts.draw(canvas.ts.line(left, style), 36, baseline, style.size);
  }, "Pagination");
}
