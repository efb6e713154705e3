/**
 * A packet's exhibits, as the packet prints them (pdf-packet.ts): a PDF's pages (read with pdf-lib), an image
 * (PNG or JPEG, read with pdfkit) on a page of its own, or, for anything else, a page saying it is not printable
 * and where a printed copy goes: an exhibit is never silently left out.
 *
 * A PDF exhibit's pages are placed after pdfkit has drawn the packet: each sits on a page pdfkit drew for it
 * (its label and footer, in the packet's font) and pdf-lib draws the exhibit's page there as a Form XObject,
 * scaled to fit. That keeps the packet's own pages, fonts and structure tree as pdfkit wrote them; the exhibit's
 * content is its own, untagged (docs/ARCHITECTURE.md, "Printable packets").
 */
import { degrees, PDFDocument, type PDFPage } from "pdf-lib";
import { looksLikePdf } from "./pdf-pages.js";
import { type UnprintableWhy, unprintableReason } from "./pdf-words.js";

/** One exhibit of a letter, with its stored bytes. */
export interface PacketExhibit {
  /** "Exhibit A", "Exhibit B", ...; null for an attachment that has no exhibit letter. */
  exhibit: string | null;
  label: string;
  fileName: string;
  contentType: string;
  sha256: string;
  data: Buffer;
}

export type ReadExhibit =
  | { kind: "pdf"; exhibit: PacketExhibit; doc: PDFDocument; pages: number }
  | { kind: "image"; exhibit: PacketExhibit; image: PdfImage }
  | { kind: "unprintable"; exhibit: PacketExhibit; why: UnprintableWhy; reason: string };

/** pdfkit's opened image (its own type is not exported). */
export interface PdfImage {
  width: number;
  height: number;
}

/**
 * What a printed packet takes in: an exhibit beyond these is listed with its hash for a printed copy to be
 * attached by hand (a 15000 x 15000 PNG of 875 KB took 3.6 GB to print; a PDF of 60,000 pages 138 s and 3.4 GB).
 */
const MAX_IMAGE_PIXELS = 50_000_000;
const MAX_PRINTED_PAGES = 2_000;

const PNG = Buffer.from("89504e470d0a1a0a", "hex");
const JPEG = Buffer.from("ffd8ff", "hex");

function unprintable(e: PacketExhibit, why: UnprintableWhy): ReadExhibit {
  return { kind: "unprintable", exhibit: e, why, reason: unprintableReason(why, e.contentType) };
}

async function readPdf(e: PacketExhibit): Promise<ReadExhibit> {
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(e.data, {
      ignoreEncryption: true,
      updateMetadata: false,
      throwOnInvalidObject: false,
    });
  } catch {
    return unprintable(e, "unreadable-pdf");
  }
  if (doc.isEncrypted) return unprintable(e, "encrypted-pdf");
  let pages: number;
  try {
    // Loaded leniently, a file with a PDF header but no catalog (no page tree) fails only here.
    pages = doc.getPageCount();
  } catch {
    return unprintable(e, "unreadable-pdf");
  }
  if (pages === 0) return unprintable(e, "empty-pdf");
  if (pages > MAX_PRINTED_PAGES) return unprintable(e, "huge-pdf");
  return { kind: "pdf", exhibit: e, doc, pages };
}

/** Each exhibit read for printing; `openImage` is the packet document's (pdfkit) image reader. */
export async function readExhibits(
  exhibits: readonly PacketExhibit[],
  openImage: (data: Buffer) => PdfImage,
): Promise<ReadExhibit[]> {
  const out: ReadExhibit[] = [];
  for (const e of exhibits) {
    if (looksLikePdf(e.data)) {
      out.push(await readPdf(e));
    } else if (e.data.subarray(0, 8).equals(PNG) || e.data.subarray(0, 3).equals(JPEG)) {
      try {
        const image = openImage(e.data);
        if (!(image.width > 0 && image.height > 0)) throw new Error("no size");
        // Read from the header before any pixel is decoded: a small file can stand for gigabytes of pixels.
        if (image.width * image.height > MAX_IMAGE_PIXELS) out.push(unprintable(e, "huge-image"));
        else out.push({ kind: "image", exhibit: e, image });
      } catch {
        out.push(unprintable(e, "unreadable-image"));
      }
    } else {
      out.push(unprintable(e, "other-type"));
    }
  }
  return out;
}

/** How many pages an exhibit takes in the packet (an unprintable one: the page saying so). */
export function pagesOf(r: ReadExhibit): number {
  return r.kind === "pdf" ? r.pages : 1;
}

/** Where, on which packet page (0-based), a PDF exhibit's page goes: a box in pdfkit's coordinates (top left). */
export interface Placement {
  packetPage: number;
  source: PDFDocument;
  sourcePage: number;
  box: { x: number; top: number; width: number; height: number };
}

/** The size a page shows at (its crop box, turned by its /Rotate). */
export function shownSize(page: PDFPage): { width: number; height: number } {
  const crop = page.getCropBox();
  const turned = Math.abs(page.getRotation().angle) % 180 === 90;
  return turned ? { width: crop.height, height: crop.width } : { width: crop.width, height: crop.height };
}

/** The scale and size at which a page of `size` fits `box`, never enlarged. */
export function fitIn(size: { width: number; height: number }, box: { width: number; height: number }) {
  const scale = Math.min(1, box.width / size.width, box.height / size.height);
  return { scale, width: size.width * scale, height: size.height * scale };
}

/** Draw every PDF exhibit page into the packet pdfkit made; gives the final bytes. */
export async function placeExhibitPages(packet: Buffer, placements: readonly Placement[]): Promise<Buffer> {
  if (placements.length === 0) return packet;
  const doc = await PDFDocument.load(packet, { updateMetadata: false });
  const pages = doc.getPages();
  for (const p of placements) {
    const target = pages[p.packetPage];
    const page = p.source.getPage(p.sourcePage);
    if (!target) throw new Error(`placeExhibitPages: the packet has no page ${p.packetPage + 1}`);
    const crop = page.getCropBox();
    const embedded = await doc.embedPage(page, {
      left: crop.x,
      bottom: crop.y,
      right: crop.x + crop.width,
      top: crop.y + crop.height,
    });
    const shown = fitIn(shownSize(page), p.box);
    const s = shown.scale;
    // Centred across, from the top of the box down; pdf-lib measures from the bottom of the page.
    const left = p.box.x + (p.box.width - shown.width) / 2;
    const bottom = target.getHeight() - p.box.top - shown.height;
    const angle = ((page.getRotation().angle % 360) + 360) % 360;
    // A page turned by /Rotate is drawn turned the same way (clockwise), so it reads as a viewer shows it.
    const at =
      angle === 90
        ? { x: left, y: bottom + crop.width * s }
        : angle === 180
          ? { x: left + crop.width * s, y: bottom + crop.height * s }
          : angle === 270
            ? { x: left + crop.height * s, y: bottom }
            : { x: left, y: bottom };
    target.drawPage(embedded, { ...at, xScale: s, yScale: s, rotate: degrees(-angle) });
  }
  return Buffer.from(await doc.save({ useObjectStreams: false, updateFieldAppearances: false }));
}
