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
 * A word and the spaces after it. Chinese has no spaces: a run of ideographs is one word here (a name such as
 * 王小明 is not split), and one longer than a line is cut between characters (breakWord), as Chinese is set.
 */
const TOKENS = /\S+\s*|\s+/g;

export class Typesetter {
  readonly fonts: FontBook;
  private readonly registered = new Set<string>();
  private readonly widths = new Map<string, number>();

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

  /** The advance of one character in a run's font at 1 pt, measured once per document. */
  private advance(run: Run, ch: string): number {
    const key = `${run.font}|${ch}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      this.use(run, 1);
      w = this.doc.widthOfString(ch);
      this.widths.set(key, w);
    }
    return w;
  }

  /**
   * The width of one line of `text` (no wrapping), as the sum of its characters' advances. Shaping every word
   * (fontkit) is what made laying out a letter slow; the sum leaves out kerning and ligatures, which only ever
   * narrow a line, so a line measured this way never overflows when drawn.
   */
  width(text: string, style: Pick<TextStyle, "size" | "weight">): number {
    let w = 0;
    for (const run of this.fonts.runs(printable(text).replace(/\n/g, " "), style.weight)) {
      for (const ch of run.text) w += this.advance(run, ch);
    }
    return w * style.size;
  }

  /** One unwrapped line (a label, a footer). */
  line(text: string, style: Pick<TextStyle, "size" | "weight">): Line {
    const clean = printable(text).replace(/\n/g, " ").trimEnd();
    return { runs: this.fonts.runs(clean, style.weight), width: this.width(clean, style) };
  }

  /**
   * `text` broken into lines no wider than `width`: at spaces, and inside a word only when the word alone is
   * wider than the line. A "\n" is a line break; a blank line is kept.
   */
  wrap(text: string, width: number, style: Pick<TextStyle, "size" | "weight">): Line[] {
    const out: Line[] = [];
    const space = this.width(" ", style);
    // A line's width is the sum of its words' (each measured once) and spaces': kerning across a space is nil.
    const wordWidth = (token: string) => this.width(token.trimEnd(), style);
    const withSpaces = (token: string) => wordWidth(token) + (token.length - token.trimEnd().length) * space;
    for (const hard of printable(text).split("\n")) {
      let current = "";
      let currentWidth = 0;
      let bare = 0;
      const flush = () => {
        out.push({ runs: this.fonts.runs(current.trimEnd(), style.weight), width: bare });
        current = "";
        currentWidth = 0;
        bare = 0;
      };
      for (const token of hard.match(TOKENS) ?? []) {
        const w = wordWidth(token);
        if (current !== "" && currentWidth + w > width && token.trim() !== "") flush();
        if (current === "" && w > width) {
          current = this.breakWord(token, width, style, out);
          bare = wordWidth(current);
          currentWidth = withSpaces(current);
          continue;
        }
        if (token.trim() !== "") bare = currentWidth + w;
        current += token;
        currentWidth += withSpaces(token);
      }
      flush();
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
      this.doc.text(run.text, at, baseline, { lineBreak: false, baseline: "alphabetic" });
      // pdfkit moves x past what it drew, by the run's shaped width (kerning, ligatures): the next run starts there.
      at = this.doc.x;
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
