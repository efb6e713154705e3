/**
 * Pages of boxes: a document is first cut into boxes (a line of text, a rule, a signature line, an image), each
 * saying whether a page may break right before it; `paginate` fills pages with them, and a `PdfCanvas` draws each
 * page with every piece tagged for screen readers (a structure element, or an artifact for rules and footers).
 *
 * The break rules are where the typography lives: a paragraph's lines may part only where at least two lines
 * stay on each side (no orphan, no widow: a paragraph of two or three lines moves whole), a heading stays with what
 * follows it, and a signature block takes the last lines of the paragraph before it along. When a run of boxes
 * that may not part is taller than a page, it is cut where it must.
 */
import type { Typesetter } from "./pdf-type.js";

/** A node of the structure tree (PDF 1.7, 14.8.4): "P", "H1", "Table", "TR", "TD", "Figure", "L", "LI", ... */
export interface StructSpec {
  type: string;
  /** Alternative text (a Figure's description). */
  alt?: string;
  parent?: StructSpec;
}

export interface DrawContext {
  ts: Typesetter;
  doc: PDFKit.PDFDocument;
  /** Draw content that belongs to `spec` (one marked-content sequence of it). */
  tagged(spec: StructSpec, draw: () => void): void;
  /** Draw what a screen reader should skip: rules, page numbers. */
  artifact(draw: () => void, type?: "Layout" | "Pagination"): void;
}

export interface Box {
  height: number;
  /** Space above the box; dropped at the top of a page. */
  gapBefore: number;
  /** Whether a page may break right before this box. */
  breakBefore: boolean;
  /** Always start a new page with this box (an exhibit). */
  pageBefore?: boolean;
  draw(ctx: DrawContext, top: number): void;
}

export interface Area {
  top: number;
  bottom: number;
}

function heightOf(page: readonly Box[]): number {
  return page.reduce((sum, b, i) => sum + (i === 0 ? 0 : b.gapBefore) + b.height, 0);
}

/**
 * The boxes cut into pages of `area`. A box that does not fit moves to a new page with the boxes it may not be
 * parted from (back to the last box a page may break before, as long as one box stays behind).
 */
export function paginate(boxes: readonly Box[], area: Area): Box[][] {
  const room = area.bottom - area.top;
  const pages: Box[][] = [[]];
  for (const box of boxes) {
    let page = pages.at(-1) as Box[];
    if (box.pageBefore && page.length > 0) {
      page = [];
      pages.push(page);
    }
    const fits = page.length === 0 || heightOf(page) + box.gapBefore + box.height <= room;
    if (fits) {
      page.push(box);
      continue;
    }
    let cut = page.length;
    if (!box.breakBefore) {
      cut = -1;
      for (let i = page.length - 1; i >= 1; i--) {
        if (page[i]?.breakBefore && !page[i]?.pageBefore) {
          cut = i;
          break;
        }
        if (page[i]?.pageBefore) break;
      }
      // Nothing on this page may be parted from the box: it is cut where it must be.
      if (cut < 0) cut = page.length;
    }
    // Moving what may not be parted must not overfill the next page too: then the box alone moves.
    if (heightOf([...page.slice(cut), box]) > room) cut = page.length;
    const moved = page.splice(cut);
    pages.push([...moved, box]);
  }
  return pages.filter((p) => p.length > 0);
}

/** The boxes of one paragraph's lines, with the breaks that leave no orphan and no widow. */
export function paragraphBoxes(
  count: number,
  gapBefore: number,
  height: number,
  draw: (index: number, ctx: DrawContext, top: number) => void,
  options: { keepWithPrevious?: boolean } = {},
): Box[] {
  return Array.from({ length: count }, (_, i) => ({
    height,
    gapBefore: i === 0 ? gapBefore : 0,
    // Line i (0-based) may start a page when 2 lines stay behind and 2 (with it) go on.
    breakBefore: i === 0 ? !options.keepWithPrevious : i >= 2 && count - i >= 2,
    draw: (ctx: DrawContext, top: number) => draw(i, ctx, top),
  }));
}

/** Draws pages into a pdfkit document created with `tagged: true`, building its structure tree as it goes. */
export class PdfCanvas implements DrawContext {
  private readonly elements = new Map<StructSpec, PDFKit.PDFStructureElement>();
  private readonly root: PDFKit.PDFStructureElement;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    readonly ts: Typesetter,
  ) {
    this.root = doc.struct("Document");
    doc.addStructure(this.root);
  }

  private element(spec: StructSpec): PDFKit.PDFStructureElement {
    let el = this.elements.get(spec);
    if (!el) {
      el = this.doc.struct(spec.type, spec.alt ? { alt: spec.alt } : {});
      (spec.parent ? this.element(spec.parent) : this.root).add(el);
      this.elements.set(spec, el);
    }
    return el;
  }

  tagged(spec: StructSpec, draw: () => void): void {
    const el = this.element(spec);
    el.add(this.doc.markStructureContent(spec.type));
    draw();
    this.doc.endMarkedContent();
  }

  artifact(draw: () => void, type: "Layout" | "Pagination" = "Layout"): void {
    this.doc.markContent("Artifact", { type });
    draw();
    this.doc.endMarkedContent();
  }

  /** A new page with `boxes` from `top` down, then whatever `after` draws (a footer); `bookmark` names it. */
  page(boxes: readonly Box[], top: number, after?: (ctx: DrawContext) => void, bookmark?: string): void {
    this.doc.addPage();
    if (bookmark) this.doc.outline.addItem(bookmark);
    let y = top;
    boxes.forEach((box, i) => {
      if (i > 0) y += box.gapBefore;
      box.draw(this, y);
      y += box.height;
    });
    after?.(this);
  }

  /** Close the structure tree (before doc.end()). */
  finish(): void {
    this.root.end();
  }
}
