/**
 * PDFs of the bundle's own documents, set as the letters are (pdf-letter.ts: Noto Sans from the font packages,
 * tagged for screen readers): a declaration or certificate ready to sign, and the exhibit list as a table. Each is
 * made with a fixed creation date, so the same record gives the same bytes.
 */
import { openDoc, PAGE } from "./pdf-doc.js";
import { type Box, type DrawContext, paginate, type StructSpec } from "./pdf-flow.js";
import { textBoxes } from "./pdf-letter.js";
import type { TextStyle, Typesetter } from "./pdf-type.js";
import type { SignableDocument } from "./signable-document.js";

const MARGIN = 72;
const WIDTH = PAGE.width - 2 * MARGIN;

const style = (size: number, weight: 400 | 700 = 400): TextStyle => ({ size, weight, leading: size * 1.4 });

async function render(createdAt: Date, title: string, boxes: (ts: Typesetter) => Box[]) {
  const open = openDoc({ title, createdAt });
  for (const page of paginate(boxes(open.ts), { top: MARGIN, bottom: PAGE.height - MARGIN })) {
    open.canvas.page(page, MARGIN);
  }
  return open.end();
}

/** A declaration or certificate: centred title, numbered paragraphs, room to sign kept on one page. */
export function signablePdf(d: SignableDocument, createdAt: Date): Promise<Buffer> {
  return render(createdAt, d.title, (ts) => {
    const body = style(10.5);
    const out: Box[] = [
      ...textBoxes(ts, d.title, { style: style(12.5, 700), struct: { type: "H1" }, center: true, together: true }),
      ...textBoxes(ts, d.subtitle, { style: style(10), struct: { type: "P" }, center: true, keepWithPrevious: true }),
    ];
    d.paragraphs.forEach((p, i) => {
      out.push(
        ...textBoxes(ts, p, { style: body, struct: { type: "P" }, gapBefore: body.leading * (i === 0 ? 1.5 : 0.7) }),
      );
    });
    // The signature block stays together, and with the last lines of the text: a signature alone on a page
    // could be attached to anything.
    const closing: StructSpec = { type: "P" };
    d.closing.forEach((line, i) => {
      for (const b of textBoxes(ts, line || " ", {
        style: body,
        struct: closing,
        gapBefore: i === 0 ? body.leading : 0,
      })) {
        b.breakBefore = false;
        out.push(b);
      }
    });
    return out;
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
  return render(createdAt, title, (ts) => {
    const out: Box[] = [
      ...textBoxes(ts, title, { style: style(12.5, 700), struct: { type: "H1" }, center: true, together: true }),
      ...textBoxes(ts, intro, { style: style(9.5), struct: { type: "P" }, gapBefore: 6, keepWithPrevious: true }),
    ];
    const table: StructSpec = { type: "Table" };
    const batesWidth = 150;
    const rest = WIDTH - batesWidth - 8;
    const cell = style(9.5);
    const hash = style(7);
    for (const [i, r] of rows.entries()) {
      const row: StructSpec = { type: "TR", parent: table };
      const left = ts.wrap(r.bates, batesWidth, { ...cell, weight: 700 });
      const right = ts.wrap(`${r.what}: ${r.path}`, rest, cell);
      const sha = ts.wrap(r.sha256 ? `SHA-256 ${r.sha256}` : "SHA-256: see manifest.json", rest, hash);
      const height = Math.max(left.length * cell.leading, right.length * cell.leading + sha.length * hash.leading);
      const a: StructSpec = { type: "TD", parent: row };
      const b: StructSpec = { type: "TD", parent: row };
      out.push({
        height,
        gapBefore: i === 0 ? 14 : 8,
        breakBefore: true,
        draw: (ctx: DrawContext, top: number) => {
          const x = MARGIN + batesWidth + 8;
          ctx.tagged(a, () => ts.drawLines(left, MARGIN, top, { ...cell, weight: 700 }));
          ctx.tagged(b, () => {
            ts.drawLines(right, x, top, cell);
            ts.drawLines(sha, x, top + right.length * cell.leading, hash);
          });
        },
      });
    }
    return out;
  });
}
