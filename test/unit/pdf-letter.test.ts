import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDoc } from "../../src/export/pdf-doc.js";
import { paginate } from "../../src/export/pdf-flow.js";
import {
  buildLetterPdf,
  layOutLetter,
  letterBoxes,
  type PdfLetter,
  PRESETS,
  renderLetterPdf,
} from "../../src/export/pdf-letter.js";

const SUBJECT = "Account Number 1234567 – Payment Clarification [LM-K7QX-3]";
const SENTENCE = "On October 3, 2026 I sent a payment of $1,842.17 that has not been applied to my account.";

function letter(overrides: Partial<PdfLetter> = {}): PdfLetter {
  return {
    senderName: "Jane Q. Borrower",
    senderAddress: "123 Maple Street\nApt 4B\nSpringfield, IL 62704",
    senderPhone: "(217) 555-0134",
    senderEmail: "jane@example.com",
    date: "November 27, 2026",
    recipientName: "Mr. Cooper",
    recipientAddress: "Attn: Customer Relations\nP.O. Box 619098\nDallas, TX 75261-9741",
    subject: SUBJECT,
    body: [
      "Dear Sir or Madam:",
      `I am writing about my mortgage account. ${SENTENCE} Letters from José Muñoz über “quoted” 東京 text.`,
      "I respectfully request written confirmation within 30 business days.",
    ].join("\n\n"),
    signatureName: "Jane Q. Borrower",
    enclosures: ["Exhibit A – Proof of payment.pdf"],
    deliveryNote: "VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED",
    createdAt: new Date("2026-11-27T12:00:00Z"),
    ...overrides,
  };
}

let dir = "";

/**
 * A missing tool must fail every test that needs it, loudly: a skipped test would let a broken PDF export
 * pass unnoticed. Called per test (not in beforeAll) so the report shows failures, not "skipped".
 */
function requirePoppler(): void {
  for (const tool of ["pdftotext", "pdftoppm", "pdfinfo"]) {
    try {
      execFileSync(tool, ["-v"], { stdio: "ignore" });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error(`${tool} not found: install poppler-utils (apt-get install poppler-utils) to run these tests`);
      }
      // Some poppler versions exit non-zero for -v; being found is all that matters here.
    }
  }
}

async function writePdf(name: string, l: PdfLetter): Promise<string> {
  requirePoppler();
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await buildLetterPdf(l));
  return file;
}

/** Collapsed whitespace, so assertions don't depend on where a line happened to wrap. */
function textOf(file: string): string {
  return execFileSync("pdftotext", [file, "-"], { encoding: "utf8" }).replace(/\s+/g, " ");
}

function pdfinfo(file: string): Record<string, string> {
  const out = execFileSync("pdfinfo", [file], { encoding: "utf8" });
  const fields: Record<string, string> = {};
  for (const line of out.split("\n")) {
    const m = /^([^:]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined) fields[m[1]] = m[2].trim();
  }
  return fields;
}

function count(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "pdf-letter-"));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("buildLetterPdf", () => {
  it("produces a PDF with the letter's text, closing, signature and enclosures", async () => {
    const file = await writePdf("letter", letter());
    expect(readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");

    const text = textOf(file);
    expect(text).toContain("Jane Q. Borrower");
    expect(text).toContain("jane@example.com");
    expect(text).toContain("VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED");
    expect(text).toContain("Dallas, TX 75261-9741");
    expect(text).toContain(SUBJECT);
    expect(text).toContain(SENTENCE);
    expect(text).toContain("José Muñoz über “quoted” 東京 text");
    expect(count(text, "Sincerely,")).toBe(1);
    expect(count(text, "Enclosures:")).toBe(1);
    expect(text).toContain("Exhibit A – Proof of payment.pdf");
    expect(text).toContain("Page 1 of 1");
    // Signature name appears in the letterhead and under the signature line.
    expect(count(text, "Jane Q. Borrower")).toBe(2);

    const info = pdfinfo(file);
    expect(info.Title).toBe(SUBJECT);
    expect(info.Author).toBe("Jane Q. Borrower");
    expect(info.Creator).toBe("loanmail");
    expect(info.Pages).toBe("1");
  });

  it("renders the first page to a non-trivial PNG", async () => {
    const file = await writePdf("render", letter());
    const prefix = join(dir, "render-page");
    execFileSync("pdftoppm", ["-png", "-r", "50", "-f", "1", "-l", "1", file, prefix]);
    const png = readdirSync(dir).find((f) => f.startsWith("render-page") && f.endsWith(".png"));
    expect(png, "pdftoppm produced no PNG").toBeDefined();
    const path = join(dir, png as string);
    expect(readFileSync(path).subarray(1, 4).toString("latin1")).toBe("PNG");
    expect(statSync(path).size).toBeGreaterThan(2048);
  });

  it("flows a long body onto further pages with page numbers", async () => {
    const body = Array.from(
      { length: 200 },
      (_, i) => `Paragraph ${i + 1}. The servicer has not applied my payment and I ask that it be corrected.`,
    ).join("\n\n");
    const file = await writePdf("long", letter({ body }));
    const pages = Number(pdfinfo(file).Pages);
    expect(pages).toBeGreaterThan(1);
    const text = textOf(file);
    expect(text).toContain(`Page 1 of ${pages}`);
    expect(text).toContain(`Page ${pages} of ${pages}`);
    expect(text).toContain("Paragraph 200.");
    expect(text).toContain("Exhibit A – Proof of payment.pdf");
  });

  it("does not repeat a closing or an enclosures block the body already has", async () => {
    const body = [
      "Dear Sir or Madam:",
      SENTENCE,
      "Respectfully,",
      "Jane Q. Borrower",
      "Enclosures:\nExhibit A – Proof of payment.pdf",
    ].join("\n\n");
    const text = textOf(await writePdf("own-closing", letter({ body })));
    expect(text).not.toContain("Sincerely");
    expect(count(text, "Respectfully,")).toBe(1);
    expect(count(text, "Enclosures:")).toBe(1);
    expect(count(text, "Exhibit A – Proof of payment.pdf")).toBe(1);
    // The name the body repeats after its closing is printed once, under the signature line.
    expect(count(text, "Jane Q. Borrower")).toBe(2);
    // Enclosures follow the signature even though the body listed them itself.
    expect(text.indexOf("Enclosures:")).toBeGreaterThan(text.indexOf("Respectfully,"));
  });

  it("prints only the recipient name when the address is unknown, and omits optional parts", async () => {
    const file = await writePdf(
      "minimal",
      letter({
        recipientAddress: "",
        senderPhone: undefined,
        senderEmail: undefined,
        deliveryNote: undefined,
        enclosures: [],
      }),
    );
    const text = textOf(file);
    expect(text).toContain("Mr. Cooper Re:");
    expect(text).not.toContain("CERTIFIED");
    expect(text).not.toContain("Enclosures:");
    expect(text).toContain("Sincerely,");
  });

  it("is byte-for-byte reproducible for a fixed createdAt", async () => {
    const a = await buildLetterPdf(letter());
    const b = await buildLetterPdf(letter());
    expect(a.equals(b)).toBe(true);
  });
});

describe("fitting a letter to its pages", () => {
  const para = (i: number) =>
    `Paragraph ${i}. On October 3, 2026 I sent a payment of $1,842.17 that has not been applied to my account, and I ask that it be applied as of the day it arrived.`;
  const bodyOf = (n: number) =>
    ["Dear Sir or Madam:", ...Array.from({ length: n }, (_, i) => para(i + 1))].join("\n\n");
  const pagesWith = (n: number, preset: (typeof PRESETS)[number]) => {
    const { ts } = openDoc({ title: "t" });
    return paginate(letterBoxes(ts, letter({ body: bodyOf(n) }), preset), {
      top: preset.top,
      bottom: 792 - preset.bottom,
    });
  };

  it("keeps a letter that would spill a few lines onto page 2 on one page", async () => {
    // The first body length whose usual layout needs a second page.
    let n = 1;
    while (pagesWith(n, PRESETS[0] as (typeof PRESETS)[number]).length === 1) n++;
    const { ts } = openDoc({ title: "t" });
    expect(layOutLetter(ts, letter({ body: bodyOf(n) })).pages).toHaveLength(1);
    const file = await writePdf("fit", letter({ body: bodyOf(n) }));
    expect(pdfinfo(file).Pages).toBe("1");
    expect(textOf(file)).toContain(`Paragraph ${n}.`);
    expect(textOf(file)).toContain("Page 1 of 1");
  });

  it("never leaves the signature block alone at the top of a page", () => {
    for (let n = 4; n <= 30; n++) {
      const { ts } = openDoc({ title: "t" });
      const { pages } = layOutLetter(ts, letter({ body: bodyOf(n) }));
      // The signature block is the one box taller than three lines of text (closing, room to sign, line, name).
      const page = pages.find((p) => p.some((b) => b.height > 50)) ?? [];
      const at = page.findIndex((b) => b.height > 50);
      expect(at, `${n} paragraphs`).toBeGreaterThanOrEqual(2);
    }
  });

  it("prints a borrower's name in Vietnamese, Chinese and Korean as written, in an embedded font", async () => {
    const file = await writePdf(
      "names",
      letter({
        senderName: "Trần Thị Mai",
        signatureName: "Trần Thị Mai",
        body: "Borrowers: Trần Thị Mai, 王小明, 김민준",
      }),
    );
    const text = textOf(file);
    expect(text).toContain("Borrowers: Trần Thị Mai, 王小明, 김민준");
    expect(count(text, "Trần Thị Mai")).toBe(3);
    const fonts = execFileSync("pdffonts", [file], { encoding: "utf8" }).split("\n").slice(2).filter(Boolean);
    // Every font is a subset of Noto Sans embedded in the file (name, type, encoding, emb sub uni = yes yes yes).
    expect(fonts.length).toBeGreaterThanOrEqual(3);
    for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+NotoSans(SC|KR)?-(Regular|Bold)\s.*\byes\s+yes\s+yes\b/);
    expect(pdfinfo(file).Tagged).toBe("yes");
  });

  it("without the font packages, falls back to Times and reports each character it could not print", async () => {
    requirePoppler();
    const r = await renderLetterPdf(letter({ senderName: "Trần Thị Mai", signatureName: "Trần Thị Mai" }), {
      standardFonts: true,
    });
    expect(r.missing.sort()).toEqual(["ầ", "ị", "東", "京"].sort());
    const file = join(dir, "standard.pdf");
    writeFileSync(file, r.pdf);
    expect(textOf(file)).toContain("Tr?n Th? Mai");
    expect(execFileSync("pdffonts", [file], { encoding: "utf8" })).toMatch(/Times-Roman/);
  });
});
