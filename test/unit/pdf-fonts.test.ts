import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { FontBook, fontStatus, printable, toWinAnsi } from "../../src/export/pdf-fonts.js";
import { woffToSfnt } from "../../src/export/pdf-woff.js";

const fileOf = (src: string | null) => (src ? src.slice(src.lastIndexOf("/") + 1) : null);

describe("the fonts PDFs print with", () => {
  it("are found in the font packages installed with loanmail, covering Latin, Vietnamese, Chinese and Korean", () => {
    const s = fontStatus();
    expect(s.unicode).toBe(true);
    expect(s.font).toBe("Noto Sans (embedded)");
    expect(s.covers).toEqual({ latin: true, vietnamese: true, chinese: true, korean: true });
    expect(s.packages.map((p) => [p.name, p.found, p.optional])).toEqual([
      ["@fontsource/noto-sans", true, false],
      ["@fontsource/noto-sans-sc", true, true],
      ["@fontsource/noto-sans-kr", true, true],
    ]);
    expect(s.packages[0]?.version).toBe("5.3.0");
    expect(s.problems).toEqual([]);
  });

  it("splits a name into runs of the font subsets that have its letters", () => {
    const book = new FontBook();
    const runs = book.runs("Trần 王 김", 400);
    expect(runs.map((r) => r.text).join("")).toBe("Trần 王 김");
    // "ầ" is in Noto Sans' Vietnamese subset; the ideograph in Noto Sans SC; Hangul in Noto Sans KR first
    // (Noto Sans SC has some Hangul too, drawn to match Chinese).
    expect(runs.map((r) => [r.text, fileOf(r.src)])).toEqual([
      ["Tr", "noto-sans-latin-400-normal.woff"],
      ["ầ", "noto-sans-vietnamese-400-normal.woff"],
      ["n ", "noto-sans-latin-400-normal.woff"],
      ["王", expect.stringMatching(/^noto-sans-sc-\d+-400-normal\.woff$/)],
      [" ", "noto-sans-latin-400-normal.woff"],
      ["김", expect.stringMatching(/^noto-sans-kr-\d+-400-normal\.woff$/)],
    ]);
    expect(book.runs("Mai", 700)[0]?.src).toMatch(/noto-sans-latin-700-normal\.woff$/);
    expect(book.missing.size).toBe(0);
  });

  it("prints a character no font has as '?' and remembers it", () => {
    const book = new FontBook();
    // Thai is in none of the three packages.
    const runs = book.runs("a\u0e01b", 400);
    expect(runs.map((r) => r.text).join("")).toBe("a?b");
    expect([...book.missing]).toEqual(["\u0e01"]);
  });

  it("falls back to the standard fonts, where only Windows-1252 prints", () => {
    const book = new FontBook({ standardOnly: true });
    expect(book.unicode).toBe(false);
    const runs = book.runs("Trần Thị Mai – “ok”", 400);
    expect(runs).toEqual([{ font: "Times-Roman", src: null, text: "Tr?n Th? Mai – “ok”" }]);
    expect([...book.missing].sort()).toEqual(["ầ", "ị"]);
  });

  it("cleans text for print: NFC, odd spaces as spaces, invisible characters dropped", () => {
    // "a" + combining grave + combining circumflex... written decomposed, printed as one letter.
    expect(printable("Tra\u0302\u0300n\u00a0x\u2003y\u200bz\r\nw")).toBe("Trần\u00a0x yz\nw");
    expect(toWinAnsi("José 東京\u2011x")).toBe("José ??-x");
  });

  it("unpacks a package's WOFF into the sfnt it wraps", () => {
    const require = createRequire(import.meta.url);
    const woff = readFileSync(require.resolve("@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff"));
    const sfnt = woffToSfnt(woff);
    // TrueType outlines; as many tables as the WOFF lists, each 4-byte aligned.
    expect(sfnt.readUInt32BE(0)).toBe(0x00010000);
    expect(sfnt.readUInt16BE(4)).toBe(woff.readUInt16BE(12));
    expect(sfnt.length % 4).toBe(0);
    expect(() => woffToSfnt(Buffer.from("not a font at all, no, not at all, not one bit of it"))).toThrow(/WOFF/);
  });
});
