import { describe, expect, it } from "vitest";
import { type Box, paginate, paragraphBoxes } from "../../src/export/pdf-flow.js";

/** Boxes named so a test can read the pages back: "p1.3" is line 3 of paragraph 1. */
type Named = Box & { name: string };

function para(id: string, lines: number, gapBefore = 0, keepWithPrevious = false): Named[] {
  return paragraphBoxes(lines, gapBefore, 10, () => {}, { keepWithPrevious }).map((b, i) => ({
    ...b,
    name: `${id}.${i + 1}`,
  }));
}

function names(pages: Box[][]): string[][] {
  return pages.map((p) => p.map((b) => (b as Named).name));
}

/** A page with room for `lines` lines of 10 points. */
const area = (lines: number) => ({ top: 0, bottom: lines * 10 });

describe("paginate", () => {
  it("fills a page and goes on to the next at a paragraph's allowed break", () => {
    // 6 lines fit; a 9-line paragraph breaks after line 6 (3 lines go on, more than 2).
    expect(names(paginate(para("p", 9), area(6)))).toEqual([
      ["p.1", "p.2", "p.3", "p.4", "p.5", "p.6"],
      ["p.7", "p.8", "p.9"],
    ]);
  });

  it("leaves no widow: the last line of a paragraph never starts a page alone", () => {
    // 4 lines fit; 5 lines would leave line 5 alone on page 2, so line 4 goes with it.
    expect(names(paginate(para("p", 5), area(4)))).toEqual([
      ["p.1", "p.2", "p.3"],
      ["p.4", "p.5"],
    ]);
  });

  it("leaves no orphan: a paragraph's first line never stays alone at the foot of a page", () => {
    // Paragraph a takes 3 of 4 lines; b's first line would be alone at the foot, so b moves whole.
    const pages = paginate([...para("a", 3), ...para("b", 4)], area(4));
    expect(names(pages)).toEqual([
      ["a.1", "a.2", "a.3"],
      ["b.1", "b.2", "b.3", "b.4"],
    ]);
  });

  it("moves a paragraph of two or three lines whole rather than split it", () => {
    // 2 lines of room left after a: b (3 lines) cannot split 2+1 or 1+2.
    const pages = paginate([...para("a", 3), ...para("b", 3)], area(5));
    expect(names(pages)).toEqual([
      ["a.1", "a.2", "a.3"],
      ["b.1", "b.2", "b.3"],
    ]);
  });

  it("drops the space above a box that starts a page", () => {
    // a (3 lines) + gap 5 + b (2 lines) = 55 > 50: b moves, and its gap is not counted on the new page.
    const pages = paginate([...para("a", 3), ...para("b", 2, 5)], area(5));
    expect(names(pages)).toEqual([
      ["a.1", "a.2", "a.3"],
      ["b.1", "b.2"],
    ]);
  });

  it("takes the last lines of a paragraph along with a signature block that must not stand alone", () => {
    const signature: Named = { name: "sig", height: 30, gapBefore: 0, breakBefore: false, draw: () => {} };
    // 8 lines fit: the 6-line paragraph fits, the signature (3 lines) does not; it takes lines 5 and 6 along.
    const pages = paginate([...para("p", 6), signature], area(8));
    expect(names(pages)).toEqual([
      ["p.1", "p.2", "p.3", "p.4"],
      ["p.5", "p.6", "sig"],
    ]);
  });

  it("keeps a heading with what follows it, and starts an exhibit on a new page", () => {
    const exhibit: Named = {
      name: "ex",
      height: 10,
      gapBefore: 0,
      breakBefore: true,
      pageBefore: true,
      draw: () => {},
    };
    const pages = paginate([...para("a", 3), ...para("h", 1), ...para("b", 2, 0, true), exhibit], area(4));
    expect(names(pages)).toEqual([["a.1", "a.2", "a.3"], ["h.1", "b.1", "b.2"], ["ex"]]);
  });

  it("cuts where it must when what may not part is taller than a page", () => {
    // Twelve lines that may not part (a signature-like block) on pages of 5: cut at the page.
    const block: Named[] = Array.from({ length: 12 }, (_, i) => ({
      name: `k${i + 1}`,
      height: 10,
      gapBefore: 0,
      breakBefore: i === 0,
      draw: () => {},
    }));
    const pages = paginate(block, area(5));
    expect(pages.map((p) => p.length)).toEqual([5, 5, 2]);
  });
});
