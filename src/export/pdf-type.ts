/**
 * Setting text in loanmail's PDFs: measuring, wrapping into lines and drawing them, with each character in a font
 * that has it (pdf-fonts.ts). loanmail breaks lines itself instead of leaving it to pdfkit so that a page is laid
 * out before anything is drawn (pdf-flow.ts): the pagination that keeps a paragraph's lines together and the
 * "Page N of M" footers need every line's place first, and a line of several fonts is measured as one.
 */
import { FontBook, printable, type Run, type Weight } from "./pdf-fonts.js";
import { fontBytes } from "./pdf-woff.js";

export interface TextStyle {
  size: number;
  weight: Weight;
  /** The distance from one line's top to the next's, in points. */
  leading: number;
}

export interface Line {
  runs: Run[];
  /** Without trailing spaces. */
  width: number;
}

/**
 * OpenType features for every run: `ccmp` off, because it splits a precomposed letter such as "ị" into "i" and a
 * combining dot, and pdfkit then maps the glyph "i" to "ị" for the whole document (a text extractor, a screen
 * reader, a search would read "Maị" for "Mai"). Every other default feature stays on. A fresh object each time:
 * fontkit fills in the defaults on the object it is given.
 */
function features(): PDFKit.Mixins.TextOptions["features"] {
  return { ccmp: false } as unknown as PDFKit.Mixins.TextOptions["features"];
}

/**
 * A word and the spaces after it. Chinese has no spaces: a run of ideographs is one word here (a name such as
 * 王小明 is not split), and one longer than a line is cut between characters (breakWord), as Chinese is set.
 */
const TOKENS = /\S+\s*|\s+/g;

export class Typesetter {
  readonly fonts: FontBook;
  private readonly registered = new Set<string>();
  private readonly widths = new Map<string, number>();
  private readonly textWidths = new Map<string, number>();

  constructor(
    readonly doc: PDFKit.PDFDocument,
    fonts?: FontBook,
  ) {
    this.fonts = fonts ?? new FontBook();
  }

  /** Select a run's font (registering its file the first time) at `size`. */
  private use(run: Run, size: number): void {
    if (run.src && !this.registered.has(run.font)) {
      this.doc.registerFont(run.font, fontBytes(run.src));
      this.registered.add(run.font);
    }
    this.doc.font(run.font).fontSize(size);
  }

  private runsWidth(runs: readonly Run[], size: number): number {
    let w = 0;
    for (const run of runs) {
      const key = `${run.font}|${size}|${run.text}`;
      let rw = this.widths.get(key);
      if (rw === undefined) {
        this.use(run, size);
        rw = this.doc.widthOfString(run.text, { features: features() });
        this.widths.set(key, rw);
      }
      w += rw;
    }
    return w;
  }

  /** The width of one line of `text` (no wrapping). */
  width(text: string, style: Pick<TextStyle, "size" | "weight">): number {
    const key = `${style.size}|${style.weight}|${text}`;
    let w = this.textWidths.get(key);
    if (w === undefined) {
      w = this.runsWidth(this.fonts.runs(printable(text).replace(/\n/g, " "), style.weight), style.size);
      this.textWidths.set(key, w);
    }
    return w;
  }

  /** One unwrapped line (a label, a footer). */
  line(text: string, style: Pick<TextStyle, "size" | "weight">): Line {
    const runs = this.fonts.runs(printable(text).replace(/\n/g, " ").trimEnd(), style.weight);
    return { runs, width: this.runsWidth(runs, style.size) };
  }

  /**
   * `text` broken into lines no wider than `width`: at spaces, and inside a word only when the word alone is
   * wider than the line. A "\n" is a line break; a blank line is kept.
   */
  wrap(text: string, width: number, style: Pick<TextStyle, "size" | "weight">): Line[] {
    const out: Line[] = [];
    for (const hard of printable(text).split("\n")) {
      // A line's width is the sum of its words' (each measured once): kerning across a space is nil.
      let current = "";
      let currentWidth = 0;
      for (const token of hard.match(TOKENS) ?? []) {
        const w = this.width(token.trimEnd(), style);
        if (current !== "" && currentWidth + w > width) {
          out.push(this.line(current, style));
          current = "";
          currentWidth = 0;
        }
        if (current === "" && w > width) {
          current = this.breakWord(token, width, style, out);
          currentWidth = this.width(current, style);
          continue;
        }
        current += token;
        currentWidth += this.width(token, style);
      }
      out.push(this.line(current, style));
    }
    return out;
  }

  /** A word wider than the line, cut into lines character by character; returns what is left for the next. */
  private breakWord(word: string, width: number, style: Pick<TextStyle, "size" | "weight">, out: Line[]): string {
    let rest = word;
    while (this.width(rest.trimEnd(), style) > width) {
      const chars = [...rest];
      let n = 1;
      while (n < chars.length && this.width(chars.slice(0, n + 1).join(""), style) <= width) n++;
      out.push(this.line(chars.slice(0, n).join(""), style));
      rest = chars.slice(n).join("");
    }
    return rest;
  }

  /** Draw `line` with its baseline at `baseline`, starting at `x`. */
  draw(line: Line, x: number, baseline: number, size: number): void {
    let at = x;
    for (const run of line.runs) {
      this.use(run, size);
      this.doc.text(run.text, at, baseline, { lineBreak: false, baseline: "alphabetic", features: features() });
      at += this.runsWidth([run], size);
    }
  }

  /** Draw `lines` one under the other from `top` (the top of the first line's box). */
  drawLines(lines: readonly Line[], x: number, top: number, style: TextStyle): void {
    lines.forEach((line, k) => {
      this.draw(line, x, top + k * style.leading + this.baselineOffset(style), style.size);
    });
  }

  /** Where the baseline sits below the top of a line box of `style`. */
  baselineOffset(style: TextStyle): number {
    const ascent = this.fonts.unicode ? 1.0 : 0.8;
    return (style.leading - style.size * 1.2) / 2 + style.size * ascent;
  }
}
