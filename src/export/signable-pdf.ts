/**
 * PDFs of the bundle's own documents, with pdfkit's standard fonts as the letters use (pdf-letter.ts): a
 * declaration or certificate ready to sign, and the exhibit list as a table. Each is made with a fixed creation
 * date, so the same record gives the same bytes.
 */
import PDFDocument from "pdfkit";
import { toWinAnsi } from "./pdf-letter.js";
import type { SignableDocument } from "./signable-document.js";

const MARGIN = 72;

function render(createdAt: Date, title: string, layOut: (doc: PDFKit.PDFDocument) => void): Promise<Buffer> {
  const doc = new PDFDocument({
    size: "LETTER",
    margin: MARGIN,
    info: { Title: title, Creator: "loanmail", CreationDate: createdAt },
  });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (c: Buffer) => chunks.push(c));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    try {
      layOut(doc);
      doc.end();
    } catch (err) {
      reject(err);
    }
  });
}

/** A declaration or certificate: centred title, numbered paragraphs, room to sign kept on one page. */
export function signablePdf(d: SignableDocument, createdAt: Date): Promise<Buffer> {
  return render(createdAt, d.title, (doc) => {
    const width = doc.page.width - 2 * MARGIN;
    doc.font("Times-Bold").fontSize(13).text(toWinAnsi(d.title), { width, align: "center" });
    doc.font("Times-Roman").fontSize(11).text(toWinAnsi(d.subtitle), { width, align: "center" });
    doc.moveDown(1.5);
    doc.fontSize(11.5);
    for (const p of d.paragraphs) {
      doc.text(toWinAnsi(p), { width, lineGap: 1.5, align: "left" });
      doc.moveDown(0.7);
    }
    // The signature block stays together: a signature alone on a page could be attached to anything.
    const need = (doc.currentLineHeight(true) + 1.5) * (d.closing.length + 2);
    if (doc.y + need > doc.page.maxY()) doc.addPage();
    doc.moveDown(0.5);
    for (const line of d.closing) doc.text(toWinAnsi(line || " "), { width });
  });
}

export interface ExhibitListRow {
  bates: string;
  path: string;
  what: string;
  sha256: string | null;
}

/** The exhibit list: each file of the bundle with its Bates numbers, what it is and its SHA-256. */
export function exhibitListPdf(title: string, intro: string, rows: readonly ExhibitListRow[], createdAt: Date) {
  return render(createdAt, title, (doc) => {
    const width = doc.page.width - 2 * MARGIN;
    doc.font("Times-Bold").fontSize(13).text(toWinAnsi(title), { width, align: "center" });
    doc.moveDown(0.5);
    doc.font("Times-Roman").fontSize(10).text(toWinAnsi(intro), { width });
    doc.moveDown();
    const batesWidth = 150;
    for (const r of rows) {
      const y = doc.y;
      const rest = width - batesWidth - 8;
      const textHeight =
        doc
          .font("Times-Roman")
          .fontSize(10)
          .heightOfString(toWinAnsi(`${r.what}: ${r.path}`), { width: rest }) + 12;
      if (y + textHeight > doc.page.maxY()) doc.addPage();
      const top = doc.y;
      doc.font("Times-Bold").fontSize(10).text(toWinAnsi(r.bates), MARGIN, top, { width: batesWidth });
      doc
        .font("Times-Roman")
        .fontSize(10)
        .text(toWinAnsi(`${r.what}: ${r.path}`), MARGIN + batesWidth + 8, top, {
          width: rest,
        });
      doc
        .font("Courier")
        .fontSize(7)
        .text(r.sha256 ? `SHA-256 ${r.sha256}` : "SHA-256: see manifest.json", {
          width: rest,
        });
      doc.x = MARGIN;
      doc.moveDown(0.6);
    }
  });
}
