/**
 * What a printed packet takes in (src/export/pdf-exhibits.ts): an exhibit it cannot print, or should not (a pixel
 * bomb, thousands of pages, a PDF with no page tree), stands as a page asking for a printed copy, never as an
 * internal error or gigabytes of memory.
 */
import { PDFDocument } from "pdf-lib";
import { describe, expect, it } from "vitest";
import { type PacketExhibit, type PdfImage, readExhibits } from "../../src/export/pdf-exhibits.js";

const exhibit = (data: Buffer, contentType: string): PacketExhibit => ({
  exhibit: "Exhibit A",
  label: "Statement",
  fileName: "statement",
  contentType,
  sha256: "0".repeat(64),
  data,
});
const PNG_MAGIC = Buffer.from("89504e470d0a1a0a", "hex");

describe("exhibits a packet cannot print", () => {
  it("an image over 50 megapixels, judged by its header before any pixel is decoded", async () => {
    const opened = (width: number, height: number) => () => ({ width, height }) as PdfImage;
    const [big] = await readExhibits([exhibit(PNG_MAGIC, "image/png")], opened(15_000, 15_000));
    expect(big).toMatchObject({ kind: "unprintable", why: "huge-image" });
    const [fine] = await readExhibits([exhibit(PNG_MAGIC, "image/png")], opened(2_550, 3_300));
    expect(fine?.kind).toBe("image");
  });

  it("a PDF of more than 2,000 pages, and one with a PDF header but no page tree", async () => {
    const doc = await PDFDocument.create();
    for (let i = 0; i < 2_001; i++) doc.addPage([72, 72]);
    const many = Buffer.from(await doc.save());
    const noImage = () => {
      throw new Error("not an image");
    };
    const [huge] = await readExhibits([exhibit(many, "application/pdf")], noImage);
    expect(huge).toMatchObject({ kind: "unprintable", why: "huge-pdf" });
    const [headerOnly] = await readExhibits([exhibit(Buffer.from("%PDF-1.4\n"), "application/pdf")], noImage);
    expect(headerOnly).toMatchObject({ kind: "unprintable", why: "unreadable-pdf" });
  });
});
