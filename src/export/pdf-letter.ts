/**
 * Printable PDF of a letter, for sending by certified mail alongside (or instead of) email: letterhead, date,
 * recipient, subject, body, signature block, enclosures, "Page N of M". Printed in Noto Sans from the font packages
 * (pdf-fonts.ts), so a borrower's name in Vietnamese, Chinese or Korean prints as written; tagged for screen
 * readers (pdf-doc.ts).
 *
 * Fit: the letter is laid out in full before anything is drawn (pdf-flow.ts). No paragraph leaves a single line
 * at the foot or the head of a page, the signature block takes the last lines of the letter along, and when the
 * letter would spill onto one more page with the usual spacing, tighter spacing (down to 10 pt and 0.6-inch top
 * and bottom margins) is used if it saves that page: a one-page letter stays one page.
 */
import { drawPageNumber, openDoc, PAGE } from "./pdf-doc.js";
import { type Box, type DrawContext, type PdfCanvas, paginate, paragraphBoxes, type StructSpec } from "./pdf-flow.js";
import { lines, paragraphs, SIGNATURE_PARAGRAPH, splitBody } from "./pdf-letter-body.js";
import type { TextStyle, Typesetter } from "./pdf-type.js";
import { type PdfWords, pdfWords } from "./pdf-words.js";

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
  /** The letter's language (BCP 47) for screen readers; default "en-US". */
  lang?: string;
}

/** Spacing of one layout; the first is the usual one, the others are tried only to save a page. */
interface Preset {
  size: number;
  /** Line height as a multiple of the size. */
  leading: number;
  /** Space between paragraphs, in lines. */
  paraGap: number;
  top: number;
  bottom: number;
}

export const PRESETS: readonly Preset[] = [
  { size: 10.5, leading: 1.45, paraGap: 0.7, top: 72, bottom: 72 },
  { size: 10.5, leading: 1.32, paraGap: 0.5, top: 56, bottom: 60 },
  { size: 10, leading: 1.25, paraGap: 0.4, top: 44, bottom: 54 },
];

const SIDE = 72;
const WIDTH = PAGE.width - 2 * SIDE;
const SIGNATURE_LINE_WIDTH = 216;

export interface LetterLayout {
  pages: Box[][];
  preset: Preset;
}

interface TextOpts {
  style: TextStyle;
  struct: StructSpec;
  gapBefore?: number;
  x?: number;
  width?: number;
  center?: boolean;
  /** No page break before the first line (a heading's text, a signature with its heading). */
  keepWithPrevious?: boolean;
  /** No page break inside. */
  together?: boolean;
}

/** A paragraph's lines as boxes (pdf-flow.ts gives the orphan and widow rules). */
export function textBoxes(ts: Typesetter, text: string, o: TextOpts): Box[] {
  const x = o.x ?? SIDE;
  const width = o.width ?? WIDTH;
  const ls = ts.wrap(text, width, o.style);
  const draw = (i: number, ctx: DrawContext, top: number) => {
    const line = ls[i];
    if (!line || line.runs.length === 0) return;
    const left = x + (o.center ? (width - line.width) / 2 : 0);
    ctx.tagged(o.struct, () => ts.draw(line, left, top + ts.baselineOffset(o.style), o.style.size));
  };
  const boxes = paragraphBoxes(ls.length, o.gapBefore ?? 0, o.style.leading, draw, {
    keepWithPrevious: o.keepWithPrevious === true,
  });
  if (o.together) for (const b of boxes.slice(1)) b.breakBefore = false;
  return boxes;
}

function styles(p: Preset) {
  const style = (size: number, weight: 400 | 700, leading = p.leading): TextStyle => ({
    size,
    weight,
    leading: size * leading,
  });
  return {
    body: style(p.size, 400),
    bold: style(p.size, 700),
    name: style(p.size + 4, 700, 1.3),
    small: style(p.size - 1, 400, 1.3),
  };
}

/** Letterhead, date, delivery note, recipient and subject: one block that never parts from the body's start. */
function headBoxes(ts: Typesetter, l: PdfLetter, p: Preset): Box[] {
  const s = styles(p);
  const lead = s.body.leading;
  const head: StructSpec = { type: "P" };
  const out: Box[] = [...textBoxes(ts, l.senderName, { style: s.name, struct: head, center: true })];
  const contact = [l.senderPhone, l.senderEmail].map((x) => x?.trim() ?? "").filter((x) => x !== "");
  for (const line of [...lines(l.senderAddress), ...(contact.length > 0 ? [contact.join("  \u00b7  ")] : [])]) {
    out.push(...textBoxes(ts, line, { style: s.small, struct: head, center: true }));
  }
  out.push({
    height: lead * 0.4,
    gapBefore: 0,
    breakBefore: false,
    draw: (ctx, top) =>
      ctx.artifact(() => {
        const y = top + lead * 0.3;
        ctx.doc
          .moveTo(SIDE, y)
          .lineTo(SIDE + WIDTH, y)
          .lineWidth(0.75)
          .stroke();
      }),
  });
  out.push(...textBoxes(ts, l.date, { style: s.body, struct: { type: "P" }, gapBefore: lead * 1.3 }));
  if (l.deliveryNote?.trim()) {
    out.push(...textBoxes(ts, l.deliveryNote.trim(), { style: s.bold, struct: { type: "P" }, gapBefore: lead * 0.8 }));
  }
  const to: StructSpec = { type: "P" };
  [l.recipientName, ...lines(l.recipientAddress)].forEach((line, i) => {
    out.push(...textBoxes(ts, line, { style: s.body, struct: to, gapBefore: i === 0 ? lead * 0.8 : 0 }));
  });
  out.push(...subjectBoxes(ts, pdfWords(l.lang).subjectLabel, l.subject, s.bold, lead * 0.8));
  for (const b of out.slice(1)) b.breakBefore = false;
  return out;
}

/**
 * "Re:" ("Ref.:" in a Spanish letter) and the subject with a hanging indent, so a wrapped subject lines up under
 * itself. The subject itself stays in the servicer's English format (src/domain/language.ts).
 */
function subjectBoxes(ts: Typesetter, labelText: string, subject: string, style: TextStyle, gapBefore: number): Box[] {
  const label = ts.line(labelText, style);
  const indent = label.width + 6;
  const struct: StructSpec = { type: "H1" };
  const ls = ts.wrap(subject, WIDTH - indent, style);
  return ls.map((line, i) => ({
    height: style.leading,
    gapBefore: i === 0 ? gapBefore : 0,
    breakBefore: false,
    draw: (ctx: DrawContext, top: number) =>
      ctx.tagged(struct, () => {
        const baseline = top + ts.baselineOffset(style);
        if (i === 0) ts.draw(label, SIDE, baseline, style.size);
        ts.draw(line, SIDE + indent, baseline, style.size);
      }),
  }));
}

/** The closing (unless the body has its own), room for a wet signature, the line and the name: one box. */
function signatureBox(ts: Typesetter, l: PdfLetter, hasClosing: boolean, style: TextStyle, gap: number): Box {
  const lead = style.leading;
  const closing = ts.line("Sincerely,", style);
  const name = ts.line(l.signatureName, style);
  const lineY = (hasClosing ? 0 : lead) + lead * 3;
  return {
    height: lineY + 4 + lead,
    gapBefore: hasClosing ? 0 : gap,
    // The closing and signature never stand alone at the top of a page: the letter's last lines come along.
    breakBefore: false,
    draw: (ctx, top) => {
      if (!hasClosing)
        ctx.tagged({ type: "P" }, () => ts.draw(closing, SIDE, top + ts.baselineOffset(style), style.size));
      ctx.artifact(() =>
        ctx.doc
          .moveTo(SIDE, top + lineY)
          .lineTo(SIDE + SIGNATURE_LINE_WIDTH, top + lineY)
          .lineWidth(0.75)
          .stroke(),
      );
      ctx.tagged({ type: "P" }, () => ts.draw(name, SIDE, top + lineY + 4 + ts.baselineOffset(style), style.size));
    },
  };
}

/** The body's paragraphs up to the signature, with its own closing kept with the lines before it. */
function mainBoxes(ts: Typesetter, l: PdfLetter, main: readonly string[], hasClosing: boolean, p: Preset): Box[] {
  const { body } = styles(p);
  const gap = body.leading * p.paraGap;
  const out: Box[] = [];
  main.forEach((para, i) => {
    const signature = l.signatureInBody === true && SIGNATURE_PARAGRAPH.test(para);
    const headingBefore = i > 0 && !SIGNATURE_PARAGRAPH.test(main[i - 1] ?? "");
    const closing = hasClosing && !l.signatureInBody && i === main.length - 1 && i > 0;
    out.push(
      ...textBoxes(ts, para, {
        style: body,
        struct: { type: "P" },
        // A line to sign on gets room above it for the signature.
        gapBefore: i === 0 ? body.leading * 1.2 : signature ? gap + body.leading * 1.5 : gap,
        keepWithPrevious: (signature && headingBefore) || closing,
        together: signature,
      }),
    );
  });
  return out;
}

/** The enclosures heading and one item per exhibit, the heading kept with the first. */
function enclosureBoxes(ts: Typesetter, enclosures: readonly string[], style: TextStyle, gap: number): Box[] {
  const out = textBoxes(ts, "Enclosures:", { style, struct: { type: "P" }, gapBefore: gap });
  const list: StructSpec = { type: "L" };
  enclosures.forEach((e, i) => {
    const item: StructSpec = { type: "LBody", parent: { type: "LI", parent: list } };
    // Indent the whole item, not just its first line, so a wrapped file name stays visibly one item.
    out.push(
      ...textBoxes(ts, `\u2022  ${e}`, {
        style,
        struct: item,
        x: SIDE + 18,
        width: WIDTH - 18,
        keepWithPrevious: i === 0,
        together: true,
      }),
    );
  });
  return out;
}

/** Every box of the letter, laid out with preset `p`. */
export function letterBoxes(ts: Typesetter, l: PdfLetter, p: Preset): Box[] {
  const { body } = styles(p);
  const gap = body.leading * p.paraGap;
  const parts = splitBody(l.body, l.signatureName);
  const out: Box[] = [...headBoxes(ts, l, p), ...mainBoxes(ts, l, paragraphs(parts.main), parts.hasClosing, p)];
  if (!l.signatureInBody) out.push(signatureBox(ts, l, parts.hasClosing, body, gap));
  const tail = paragraphs(parts.tail);
  tail.forEach((para, i) => {
    out.push(
      ...textBoxes(ts, para, { style: body, struct: { type: "P" }, gapBefore: i === 0 ? body.leading * 1.5 : gap }),
    );
  });
  const enclosures = l.enclosures.map((e) => e.trim()).filter((e) => e !== "");
  if (!parts.hasEnclosures && enclosures.length > 0) {
    out.push(...enclosureBoxes(ts, enclosures, body, tail.length === 0 ? body.leading * 1.5 : gap));
  }
  return out;
}

/** The letter's pages: the usual spacing, or the first tighter one that needs fewer pages. */
export function layOutLetter(ts: Typesetter, l: PdfLetter): LetterLayout {
  let best: LetterLayout | undefined;
  for (const preset of PRESETS) {
    const pages = paginate(letterBoxes(ts, l, preset), { top: preset.top, bottom: PAGE.height - preset.bottom });
    if (!best || pages.length < best.pages.length) best = { pages, preset };
    if (pages.length === 1) break;
  }
  return best as LetterLayout;
}

/** Draw the letter's pages, numbered `first`.. of `total` (a packet numbers its exhibits on). */
export function drawLetter(
  canvas: PdfCanvas,
  layout: LetterLayout,
  words: PdfWords,
  first: number,
  total: number,
  bookmark?: string,
): void {
  layout.pages.forEach((boxes, i) => {
    canvas.page(
      boxes,
      layout.preset.top,
      () => drawPageNumber(canvas, words, first + i, total),
      i === 0 ? bookmark : undefined,
    );
  });
}

export interface BuiltPdf {
  pdf: Buffer;
  pages: number;
  /** Characters no font found could print (printed as "?"). */
  missing: string[];
}

/** The letter as PDF bytes and what went into them. */
export async function renderLetterPdf(l: PdfLetter, options: { standardFonts?: boolean } = {}): Promise<BuiltPdf> {
  const open = openDoc({
    title: l.subject,
    author: l.senderName,
    subject: l.subject,
    ...(l.createdAt ? { createdAt: l.createdAt } : {}),
    lang: l.lang ?? "en-US",
    standardFonts: options.standardFonts === true,
  });
  const layout = layOutLetter(open.ts, l);
  drawLetter(open.canvas, layout, pdfWords(l.lang), 1, layout.pages.length);
  const pdf = await open.end();
  return { pdf, pages: layout.pages.length, missing: [...open.ts.fonts.missing] };
}

/** Render the letter to PDF bytes (US Letter, 1-inch side margins). */
export async function buildLetterPdf(l: PdfLetter): Promise<Buffer> {
  return (await renderLetterPdf(l)).pdf;
}
