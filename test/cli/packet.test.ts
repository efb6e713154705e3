/**
 * `show --pdf` as a borrower prints it to mail (issue 14): one PDF with the letter, the exhibit list and every
 * exhibit, "Page N of M" on every page and "Exhibit B – p. 1" on each exhibit page, the fonts embedded, and names
 * in Vietnamese, Chinese and Korean printed as written. Checked the way a person would: pdfinfo's page count,
 * pdftotext's text page by page, pdffonts' font list.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { crc32, deflateSync } from "node:zlib";
import { PDFDocument, StandardFonts } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { composeNoticeOfError, json, type RunResult, rowCounts, run, tempDir, writePng } from "./helpers.js";

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** A 3-page PDF such as a bank statement, each page saying which it is. */
async function statementPdf(path: string): Promise<string> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= 3; i++)
    doc.addPage([612, 792]).drawText(`Statement page ${i} of 3`, { x: 72, y: 700, size: 18, font });
  writeFileSync(path, await doc.save());
  return path;
}

/** A real 60x40 PNG (a grey gradient), built chunk by chunk. */
function photoPng(path: string): string {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const [w, h] = [60, 40];
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr.set([8, 0, 0, 0, 0], 8); // 8-bit greyscale
  const rows = Buffer.concat(
    Array.from({ length: h }, (_, y) => Buffer.from([0, ...Array.from({ length: w }, (_, x) => (x * 4 + y) % 256)])),
  );
  const png = Buffer.concat([
    Buffer.from("89504e470d0a1a0a", "hex"),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(rows)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
  writeFileSync(path, png);
  return path;
}

const pdfText = (file: string, page?: number) =>
  execFileSync("pdftotext", [...(page ? ["-f", String(page), "-l", String(page)] : []), "-layout", file, "-"], {
    encoding: "utf8",
  });
const pageCount = (file: string) =>
  Number(/Pages:\s+(\d+)/.exec(execFileSync("pdfinfo", [file], { encoding: "utf8" }))?.[1]);

describe("show --pdf: the printable packet", () => {
  let home = "";
  let dir = "";
  const L = (...args: string[]) => run(["--home", home, ...args]);

  beforeAll(async () => {
    dir = tempDir("loanmail-packet-");
    home = join(dir, "home");
    // A borrower whose own name and whose co-borrowers' names are outside Windows-1252.
    ok(
      L(
        "init",
        "--name",
        "Trần Thị Mai",
        "--email",
        "mai@example.test",
        "--address",
        "12 Elm St\\nSpringfield, IL 62701",
        "--phone",
        "555-123-4567",
        "--timezone",
        "America/Chicago",
      ),
    );
    ok(
      L(
        "servicer",
        "add",
        "Mr. Cooper",
        "--domain",
        "servicer.test",
        "--email",
        "help@servicer.test",
        "--notice-address",
        "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261",
      ),
    );
    ok(
      L(
        "loan",
        "add",
        "--servicer",
        "Mr. Cooper",
        "--account",
        "1234567",
        "--property",
        "12 Elm St, Springfield, IL 62701",
        "--borrower",
        "Trần Thị Mai",
        "--borrower",
        "王小明",
        "--borrower",
        "김민준",
      ),
    );
    const statement = await statementPdf(join(dir, "statement.pdf"));
    const photo = photoPng(join(dir, "check.png"));
    // The helpers' 1x1 PNG is a PNG by its signature, but no image reader can decode it.
    const broken = writePng(join(dir, "receipt.png"));
    ok(
      composeNoticeOfError(L, [
        ...["--attach", `${statement}=Bank statement`, "--attach", `${photo}=Cancelled check`],
        ...["--attach", `${broken}=Receipt photo`],
      ]),
    );
  });

  it("prints a one-page letter on one page with --letter-only", () => {
    const file = join(dir, "letter.pdf");
    const r = json<{ pages: number; warnings: string[] }>(ok(L("--json", "show", "1", "--pdf", file, "--letter-only")));
    expect(r.pages).toBe(1);
    expect(pageCount(file)).toBe(1);
    const text = pdfText(file);
    expect(text).toContain("Page 1 of 1");
    expect(text).not.toContain("Statement page 1");
  });

  it("has as many pages as the letter, the exhibit list and every exhibit page together", () => {
    const file = join(dir, "packet.pdf");
    const r = ok(L("--json", "show", "1", "--pdf", file));
    const doc = json<{ pages: number; warnings: string[]; source: string }>(r);
    // Letter 1 page (above) + exhibit list 1 + statement 3 + check 1 + the page standing for the receipt 1 = 7.
    expect(pageCount(file)).toBe(1 + 1 + 3 + 1 + 1);
    expect(doc.pages).toBe(7);
    expect(doc.source).toBe("printed");
    // The unreadable image is never silently dropped: the command says so, and a page marks where it goes.
    expect(doc.warnings).toEqual([
      expect.stringMatching(
        /^Exhibit C \(Exhibit C – Receipt photo\.png\) is not printable \(an image loanmail cannot read\): attach a printed copy where page 7 of the PDF says so$/,
      ),
    ]);
    expect(r.stderr).toContain("Exhibit C (Exhibit C – Receipt photo.png) is not printable");

    for (let p = 1; p <= 7; p++) expect(pdfText(file, p)).toContain(`Page ${p} of 7`);
    const list = pdfText(file, 2);
    expect(list).toContain("Exhibits");
    expect(list).toMatch(/A\s+Bank statement\s+Exhibit A – Bank\s+3 \(pp\. 3–5\)/);
    expect(list).toMatch(/B\s+Cancelled check\s+Exhibit B – Cancelled\s+1 \(p\. 6\)/);
    expect(list).toMatch(/C\s+Receipt photo\s+Exhibit C – Receipt photo\.png\s+not printable:/);
    expect(list).toContain(sha256(readFileSync(join(dir, "statement.pdf"))).slice(0, 16));
    for (let p = 1; p <= 3; p++) {
      const page = pdfText(file, 2 + p);
      expect(page).toContain(`Statement page ${p} of 3`);
      expect(page).toContain(`Exhibit A – p. ${p}`);
    }
    expect(pdfText(file, 6)).toContain("Exhibit B – Cancelled check");
    expect(pdfText(file, 6)).toContain("Exhibit B – p. 1");
    expect(pdfText(file, 7)).toContain("Not printable: attach a printed copy of this exhibit here.");
    expect(pdfText(file, 7)).toContain("Exhibit C – p. 1");
  });

  it("prints the Vietnamese, Chinese and Korean names intact, in embedded fonts, tagged", () => {
    const file = join(dir, "packet.pdf");
    const letter = pdfText(file, 1);
    expect(letter).toContain("Trần Thị Mai");
    expect(letter).toContain("Borrowers: Trần Thị Mai, 王小明, 김민준");
    // The packet's own pages (letter and list) use only Noto Sans, each embedded; the exhibit keeps its own fonts.
    const fonts = execFileSync("pdffonts", ["-f", "1", "-l", "2", file], { encoding: "utf8" })
      .split("\n")
      .slice(2)
      .filter(Boolean);
    expect(fonts.some((f) => /\+NotoSansSC-Regular /.test(f))).toBe(true);
    expect(fonts.some((f) => /\+NotoSansKR-Regular /.test(f))).toBe(true);
    for (const f of fonts) expect(f).toMatch(/^[A-Z]{6}\+NotoSans(SC|KR)?-(Regular|Bold)\s.*\byes\s+yes\s+yes\b/);
    expect(execFileSync("pdfinfo", [file], { encoding: "utf8" })).toMatch(/Tagged:\s+yes/);
  });

  it("prints the same bytes again, recorded once", () => {
    const again = join(dir, "again.pdf");
    ok(L("show", "1", "--pdf", again));
    expect(sha256(readFileSync(again))).toBe(sha256(readFileSync(join(dir, "packet.pdf"))));
    const events = json<{ events: { type: string }[] }>(ok(L("--json", "show", "1"))).events.map((e) => e.type);
    // One printing of the letter alone, one of the packet; the same packet again is not a new printing.
    expect(events.filter((t) => t === "printed")).toHaveLength(2);
  });

  it("prints a Spanish letter's packet in Spanish: page numbers, exhibit list, labels and the unprintable page", () => {
    const file = join(dir, "paquete.pdf");
    const composed = json<{ case: { id: number } }>(
      ok(
        L(
          ...["--json", "compose", "notice-of-error", "--loan", "1", "--lang", "es", "--dated", "2026-09-30"],
          ...["--set", "error=el pago de marzo de 2026 de $1,500 quedó en suspenso"],
          ...["--summary", "El 2026-03-01 pagué $1,500.00 en línea; está en suspenso."],
          ...["--attach", `${join(dir, "statement.pdf")}=Estado de cuenta`],
          ...["--attach", `${join(dir, "check.png")}=Cheque cobrado`],
          ...["--attach", `${join(dir, "receipt.png")}=Foto del recibo`],
        ),
      ),
    );
    const r = json<{ pages: number; warnings: string[] }>(
      ok(L("--json", "show", String(composed.case.id), "--pdf", file)),
    );
    // The same shape as the English packet: letter 1 + list 1 + statement 3 + check 1 + the receipt's page 1 = 7.
    expect(r.pages).toBe(7);
    expect(pageCount(file)).toBe(7);
    for (let p = 1; p <= 7; p++) expect(pdfText(file, p)).toContain(`Página ${p} de 7`);
    // The subject line stays in the servicer's English format; only its label is Spanish.
    expect(pdfText(file, 1)).toMatch(/Ref\.: Account Number 1234567 – /);
    const list = pdfText(file, 2);
    expect(list).toContain("Anexos");
    expect(list).toContain("Los anexos que acompañan esta carta, en orden.");
    expect(list).toMatch(/Anexo\s+Descripción\s+Archivo\s+Páginas\s+SHA-256/);
    expect(list).toMatch(/A\s+Estado de cuenta\s+Anexo A – Estado de\s+3 \(págs\. 3–5\)/);
    expect(list).toMatch(/B\s+Cheque cobrado\s+Anexo B – Cheque\s+1 \(pág\. 6\)/);
    expect(list).toMatch(/C\s+Foto del recibo\s+Anexo C – Foto del\s+no imprimible:/);
    for (let p = 1; p <= 3; p++) expect(pdfText(file, 2 + p)).toContain(`Anexo A – pág. ${p}`);
    expect(pdfText(file, 3)).toContain("Anexo A – Estado de cuenta (página 1 de 3)");
    expect(pdfText(file, 6)).toContain("Anexo B – Cheque cobrado");
    const unprintable = pdfText(file, 7).replace(/\s+/g, " ");
    expect(unprintable).toContain("No imprimible: adjunte aquí una copia impresa de este anexo.");
    expect(unprintable).toContain("loanmail no puede imprimirlo: es una imagen que loanmail no puede leer.");
    // Nothing loanmail adds to the pages is left in English (the exhibits' own pages are theirs).
    for (const p of [1, 2, 6, 7]) expect(pdfText(file, p)).not.toMatch(/\bPage \d|Exhibit|not printable|Re:/);
    // The CLI's own warning may stay English.
    expect(r.warnings).toEqual([expect.stringMatching(/^Anexo C \(Anexo C – Foto del recibo\.png\) is not printable/)]);
  });

  it("refuses --letter-only without --pdf, changing nothing", () => {
    const before = rowCounts(home);
    const r = L("--json", "show", "1", "--letter-only");
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error.code).toBe("MISSING_OPTION");
    expect(rowCounts(home)).toEqual(before);
  });
});
