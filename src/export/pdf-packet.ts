/**
 * The printable packet `show --pdf` writes: the letter, then the exhibit list, then every exhibit in order (a
 * PDF's pages, an image on a page, or a page saying an exhibit is not printable and a printed copy goes there).
 * Every page says "Page N of M" of the whole packet, and each exhibit page also "Exhibit B – p. 2", in the
 * letter's language (pdf-words.ts: "Página N de M", "Anexo B – pág. 2"). The packet's own pages are tagged for
 * screen readers and carry bookmarks (letter, exhibit list, each exhibit); an exhibit's own content is as it was
 * given, untagged (pdf-exhibits.ts).
 */
import { drawPageNumber, openDoc, PAGE } from "./pdf-doc.js";
import {
  type PacketExhibit,
  type PdfImage,
  type Placement,
  pagesOf,
  placeExhibitPages,
  type ReadExhibit,
  readExhibits,
} from "./pdf-exhibits.js";
import { type Box, type DrawContext, type PdfCanvas, paginate, type StructSpec } from "./pdf-flow.js";
import { drawLetter, layOutLetter, type PdfLetter, textBoxes } from "./pdf-letter.js";
import type { TextStyle, Typesetter } from "./pdf-type.js";
import { type ExhibitFacts, exhibitLetterOf, type PdfWords, pdfWords } from "./pdf-words.js";

export type { PacketExhibit } from "./pdf-exhibits.js";

export interface PacketPart {
  exhibit: string | null;
  fileName: string;
  /** Pages it takes in the packet. */
  pages: number;
  /** Its first page in the packet (1-based). */
  firstPage: number;
  /** Why it is not printed (a page says so instead), or null. */
  notPrintable: string | null;
}

export interface Packet {
  pdf: Buffer;
  pages: number;
  letterPages: number;
  listPages: number;
  exhibits: PacketPart[];
  /** Characters no font found could print (printed as "?"). */
  missing: string[];
}

const SIDE = 72;
const WIDTH = PAGE.width - 2 * SIDE;
/** Where an exhibit's page or image goes on its packet page: under the label, above the footer. */
const FRAME = { x: 30, top: 52, width: PAGE.width - 60, height: PAGE.height - 52 - 46 };

const style = (size: number, weight: 400 | 700 = 400): TextStyle => ({ size, weight, leading: size * 1.35 });

/** "Exhibit B" ("Anexo B") or, for an attachment without a letter, its file name; with its label and file. */
function factsOf(words: PdfWords, e: PacketExhibit): ExhibitFacts {
  return { name: words.name(e.exhibit, e.fileName), label: e.label, fileName: e.fileName, contentType: e.contentType };
}

/** The exhibit list: a table of exhibit, label, file, pages and the start of each file's SHA-256. */
function listBoxes(
  ts: Typesetter,
  words: PdfWords,
  read: readonly ReadExhibit[],
  firstPages: readonly number[],
): Box[] {
  const out: Box[] = [
    ...textBoxes(ts, words.listHeading, { style: style(13, 700), struct: { type: "H1" }, together: true }),
    ...textBoxes(ts, words.listIntro, {
      style: style(9.5),
      struct: { type: "P" },
      gapBefore: 6,
      keepWithPrevious: true,
    }),
  ];
  const table: StructSpec = { type: "Table" };
  const widths = [42, 108, 130, 92, WIDTH - 42 - 108 - 130 - 92];
  const cols = words.columns.map((title, i) => ({ title, width: widths[i] ?? 40 }));
  const row = (cells: readonly string[], head: boolean, gapBefore: number, breakBefore: boolean): Box => {
    const s = style(9, head ? 700 : 400);
    const tr: StructSpec = { type: "TR", parent: table };
    const wrapped = cells.map((c, i) => ts.wrap(c, (cols[i]?.width ?? 40) - 6, s));
    return {
      height: Math.max(...wrapped.map((w) => w.length)) * s.leading,
      gapBefore,
      breakBefore,
      draw: (ctx: DrawContext, top: number) => {
        let x = SIDE;
        wrapped.forEach((ls, i) => {
          ctx.tagged({ type: head ? "TH" : "TD", parent: tr }, () => ts.drawLines(ls, x, top, s));
          x += cols[i]?.width ?? 0;
        });
        if (head)
          ctx.artifact(() =>
            ctx.doc
              .moveTo(SIDE, top + s.leading + 2)
              .lineTo(SIDE + WIDTH, top + s.leading + 2)
              .lineWidth(0.5)
              .stroke(),
          );
      },
    };
  };
  out.push(
    row(
      cols.map((c) => c.title),
      true,
      14,
      false,
    ),
  );
  read.forEach((r, i) => {
    const e = r.exhibit;
    const cells = [
      exhibitLetterOf(e.exhibit),
      e.label,
      e.fileName,
      words.pages(pagesOf(r), firstPages[i] ?? 0, r.kind !== "unprintable"),
      e.sha256.slice(0, 16),
    ];
    // The first row stays with the heading row.
    out.push(row(cells, false, i === 0 ? 10 : 5, i > 0));
  });
  return out;
}

/** The label over an exhibit's page, and its figure (the image, or a frame round a PDF page, with alt text). */
function drawExhibitPage(canvas: PdfCanvas, label: string, draw: (ctx: DrawContext) => void): void {
  const ts = canvas.ts;
  const line = ts.line(label, style(10, 700));
  canvas.tagged({ type: "H2" }, () => ts.draw(line, FRAME.x, 36, 10));
  draw(canvas);
}

/** The page an unprintable exhibit takes: what it is and that a printed copy goes here. */
function drawUnprintable(canvas: PdfCanvas, words: PdfWords, r: ReadExhibit & { kind: "unprintable" }): void {
  const ts = canvas.ts;
  const e = r.exhibit;
  const lines = words.unprintable(factsOf(words, e), e.data.length, e.sha256, r.why, e.contentType);
  let top = 72;
  for (const text of lines) {
    const ls = ts.wrap(text, FRAME.width - 12, style(10.5));
    canvas.tagged({ type: "P" }, () => ts.drawLines(ls, FRAME.x, top, style(10.5)));
    top += ls.length * style(10.5).leading + 10;
  }
}

interface Plan {
  read: ReadExhibit[];
  firstPages: number[];
  total: number;
  words: PdfWords;
}

/** The packet's exhibit pages drawn in order; gives where pdf-lib puts each PDF exhibit page. */
function drawExhibits(canvas: PdfCanvas, plan: Plan): Placement[] {
  const { words } = plan;
  const placements: Placement[] = [];
  plan.read.forEach((r, i) => {
    const first = plan.firstPages[i] ?? 0;
    const n = pagesOf(r);
    const facts = factsOf(words, r.exhibit);
    for (let k = 0; k < n; k++) {
      canvas.page(
        [],
        0,
        () => {
          drawExhibitPage(canvas, words.pageLabel(facts, k + 1, n), (ctx) => {
            const alt = words.alt(facts, k + 1, n);
            if (r.kind === "image") {
              ctx.tagged({ type: "Figure", alt }, () =>
                ctx.doc.image(r.image as unknown as Buffer, FRAME.x, FRAME.top, {
                  fit: [FRAME.width, FRAME.height],
                  align: "center",
                }),
              );
            } else if (r.kind === "pdf") {
              placements.push({ packetPage: first - 1 + k, source: r.doc, sourcePage: k, box: FRAME });
              // The figure's own mark is a hairline round the frame; the page itself is drawn in by pdf-lib.
              ctx.tagged({ type: "Figure", alt }, () =>
                ctx.doc
                  .rect(FRAME.x - 1, FRAME.top - 1, FRAME.width + 2, FRAME.height + 2)
                  .lineWidth(0.25)
                  .stroke("#999999"),
              );
            } else drawUnprintable(canvas, words, r);
          });
          drawPageNumber(canvas, words, first + k, plan.total, words.stamp(facts.name, k + 1));
        },
        k === 0 ? `${facts.name} \u2013 ${facts.label}` : undefined,
      );
    }
  });
  return placements;
}

/** The letter with its exhibits as one printable PDF. */
export async function buildPacketPdf(letter: PdfLetter, exhibits: readonly PacketExhibit[]): Promise<Packet> {
  const open = openDoc({
    title: letter.subject,
    author: letter.senderName,
    subject: letter.subject,
    ...(letter.createdAt ? { createdAt: letter.createdAt } : {}),
    lang: letter.lang ?? "en-US",
  });
  const { doc, ts, canvas } = open;
  const words = pdfWords(letter.lang);
  const openImage = (data: Buffer) => (doc as unknown as { openImage(src: Buffer): PdfImage }).openImage(data);
  const read = await readExhibits(exhibits, openImage);
  const layout = layOutLetter(ts, letter);
  const letterPages = layout.pages.length;
  // The list's page numbers depend on how many pages the list itself takes: settle both together.
  const area = { top: 72, bottom: PAGE.height - 72 };
  let listPages = 0;
  let firstPages: number[] = [];
  let list: Box[][] = [];
  for (let round = 0; round < 4; round++) {
    firstPages = [];
    let next = letterPages + listPages + 1;
    for (const r of read) {
      firstPages.push(next);
      next += pagesOf(r);
    }
    list = read.length > 0 ? paginate(listBoxes(ts, words, read, firstPages), area) : [];
    if (list.length === listPages) break;
    listPages = list.length;
  }
  const total = letterPages + listPages + read.reduce((sum, r) => sum + pagesOf(r), 0);
  const plan: Plan = { read, firstPages, total, words };
  drawLetter(canvas, layout, words, 1, total, words.letterBookmark);
  list.forEach((boxes, i) => {
    canvas.page(
      boxes,
      72,
      () => drawPageNumber(canvas, words, letterPages + i + 1, total),
      i === 0 ? words.listBookmark : undefined,
    );
  });
  const placements = drawExhibits(canvas, plan);
  const pdf = await placeExhibitPages(await open.end(), placements);
  return {
    pdf,
    pages: plan.total,
    letterPages,
    listPages,
    exhibits: read.map((r, i) => ({
      exhibit: r.exhibit.exhibit,
      fileName: r.exhibit.fileName,
      pages: pagesOf(r),
      firstPage: firstPages[i] ?? 0,
      notPrintable: r.kind === "unprintable" ? r.reason : null,
    })),
    missing: [...ts.fonts.missing],
  };
}
