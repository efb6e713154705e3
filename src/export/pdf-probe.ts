/**
 * `doctor`'s check of the PDF renderer: pdfkit loads and lays out a one-line letter page in memory. The font check
 * (the Unicode font that prints names outside Windows-1252) is src/export/pdf-fonts.ts's `fontStatus()`; doctor
 * calls it beside this one once it is there (see src/app/doctor.ts, "FONT CHECK").
 */

/** Render a one-line PDF in memory; its size in bytes, or throws what pdfkit threw. */
export async function renderProbePdf(): Promise<number> {
  const { default: PDFDocument } = await import("pdfkit");
  const doc = new PDFDocument({ size: "LETTER", margin: 72, info: { CreationDate: new Date(0) } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on("end", () => resolve());
    doc.on("error", reject);
  });
  doc.font("Times-Roman").fontSize(12).text("loanmail doctor: the PDF renderer works.");
  doc.end();
  await done;
  const pdf = Buffer.concat(chunks);
  if (!pdf.subarray(0, 5).equals(Buffer.from("%PDF-"))) throw new Error("pdfkit wrote something that is not a PDF");
  return pdf.length;
}
