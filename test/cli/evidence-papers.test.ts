/**
 * The papers an evidence bundle gives a lawyer (issue 10, items 14 and 15), read as the lawyer would: a
 * declaration under 28 U.S.C. 1746 that says from the record what was sent, when, how, to whom (with tracking) and
 * what came back and when; a certification of the copies under FRE 902(14) by their SHA-256; both as text and as a
 * PDF to sign; and Bates numbers on every page or file, stamped on the PDFs loanmail makes and listed for the
 * files it keeps byte for byte, keyed in exhibit-list.pdf and index.html.
 *
 * The case: Jane's notice of error with Exhibit A (a one-page PDF), printed by loanmail, mailed Thu 2026-10-01
 * with tracking 9407111899560000000013 and delivered Mon 2026-10-05; the servicer's acknowledgment reached her
 * server (mx.mail.test) Thu 2026-10-08 at 09:30 CDT.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addMailAccount,
  composeNoticeOfError,
  ROOT,
  type RunResult,
  receivedByUserServer,
  rowCounts,
  setupHome,
  tempDir,
} from "./helpers.js";

/** Today in the home's zone (America/Chicago), as typed and as the declaration writes it. */
const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(new Date());
const LONG_TODAY = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  year: "numeric",
  month: "long",
  day: "numeric",
}).format(new Date(`${TODAY}T12:00:00Z`));
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");
const UTF8 = { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
const ok = (r: RunResult): RunResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
};
const pdfText = (file: string) => execFileSync("pdftotext", ["-layout", file, "-"], { encoding: "utf8" });
const oneLine = (s: string) => s.replace(/\s+/g, " ");

interface BatesFile {
  path: string;
  first: string;
  last: string;
  pages: number | null;
  stamped: boolean;
}

let home: string;
let L: (...args: string[]) => RunResult;
let dir: string;
let work: string;
let tag: string;
let bates: { prefix: string; files: BatesFile[] };

beforeAll(() => {
  ({ home, L } = setupHome());
  work = tempDir("loanmail-papers-");
  const composed = ok(
    composeNoticeOfError(L, ["--attach", `${join(ROOT, "examples/proof-of-payment.pdf")}=Proof of payment`]),
  );
  tag = (JSON.parse(composed.stdout) as { case: { tag: string } }).case.tag;
  // Printed, then mailed and delivered the same day (today): the PDF printed is the paper mailed. A PDF printed
  // after the day a letter was mailed would not be (the record then holds no copy of the paper; letter-record test).
  ok(L("show", "1", "--pdf", join(work, "letter.pdf")));
  ok(L("mailed", "1", "--tracking", "9407111899560000000013", "--date", TODAY, "--delivered", TODAY));
  addMailAccount(L);
  const eml = join(work, "ack.eml");
  writeFileSync(
    eml,
    [
      receivedByUserServer("Thu, 8 Oct 2026 09:30:00 -0500"),
      "From: Mr. Cooper <help@servicer.test>",
      "To: jane@example.test",
      `Subject: Re: [${tag}] Your notice of error`,
      "Date: Thu, 8 Oct 2026 09:29:00 -0500",
      "Message-ID: <ack-1@servicer.test>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "We have received your notice of error and will respond within 30 business days.",
      "",
    ].join("\r\n"),
  );
  ok(L("import", eml));
  ok(L("export", "1", "--out", join(work, "case.zip")));
  dir = join(work, "unzipped");
  mkdirSync(dir);
  execFileSync("unzip", ["-q", join(work, "case.zip"), "-d", dir], { env: UTF8 });
  bates = (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { bates: typeof bates }).bates;
});

describe("the declaration under 28 U.S.C. 1746", () => {
  it("states from the record what was sent, how, to whom, with tracking and delivery, and what came back when", () => {
    const text = oneLine(readFileSync(join(dir, "declaration.txt"), "utf8"));
    expect(text).toContain("DECLARATION OF JANE Q. DOE under 28 U.S.C. 1746");
    expect(text).toContain(
      `On ${LONG_TODAY} I mailed a letter titled "Account Number 1234567 – Notice of Error [${tag}]" to Mr. Cooper, PO Box 619098, Dallas, TX 75261 by USPS Certified Mail, tracking number 9407111899560000000013. It was delivered on ${LONG_TODAY}.`,
    );
    expect(text).toContain(
      // The letter as mailed is the packet printed by show --pdf: letter, exhibit list and Exhibit A, 3 pages.
      `A true and correct copy of the letter as I mailed it is ${tag}-0004 to ${tag}-0006 (file letters/${tag}-1.pdf).`,
    );
    expect(text).toContain(
      `A true and correct copy of its Exhibit A – Proof of payment is ${tag}-0003 (file exhibits/Exhibit A – Proof of payment.pdf).`,
    );
    expect(text).toMatch(
      new RegExp(
        `On October 8, 2026 I received an email from help@servicer.test titled "Re: \\[${tag}\\] Your notice of error"\\. A true and correct copy of it is ${tag}-0002 \\(file messages/002-2026-10-08-in\\.eml\\)\\.`,
      ),
    );
    // Written 2026-09-30 and entered today, and the acknowledgment that reached the mailbox 2026-10-08 imported
    // today: the record was not kept "at or near the time" of those steps.
    expect(text).not.toContain("at or near the time");
    expect(text).toContain(
      `I entered these steps in my record later than they happened: the writing of the letter (${tag}, message 1) on September 30, 2026, entered on ${LONG_TODAY}; the receipt of the reply (${tag}, message 2) on October 8, 2026, entered on ${LONG_TODAY}.`,
    );
    // The form for a declaration signed within the United States (1746(2)), not the one for abroad (1746(1)).
    expect(text).toContain("I declare under penalty of perjury that the foregoing is true and correct.");
    expect(text).not.toContain("under the laws of the United States of America");
    // A borrower is not a business: no business-records foundation.
    expect(text).not.toMatch(/regular practice|902\(11\)|803\(6\)/);
  });

  it("comes as a PDF to sign, with the same statements and its Bates number printed on its page", () => {
    const pdf = oneLine(pdfText(join(dir, "declaration.pdf")));
    expect(pdf).toContain("DECLARATION OF JANE Q. DOE");
    expect(pdf).toContain("tracking number 9407111899560000000013");
    expect(pdf).toContain("Executed on ____________________ (date).");
    const own = bates.files.find((f) => f.path === "declaration.pdf");
    expect(own).toMatchObject({ stamped: true, pages: 1, first: `${tag}-0007` });
    expect(pdf).toContain(`${tag}-0007`);
    // The note for the reader is in the text copy, not on the page that is signed.
    expect(pdf).not.toContain("Prepared by loanmail");
  });
});

describe("the certification of the copies under FRE 902(14)", () => {
  it("names the manifest's hash; certificate.txt names the PDF's; verify checks both", () => {
    const txt = readFileSync(join(dir, "certificate.txt"), "utf8");
    expect(txt).toContain(`manifest.json SHA-256: ${sha256(readFileSync(join(dir, "manifest.json")))}`);
    expect(txt).toContain(`certificate.pdf SHA-256: ${sha256(readFileSync(join(dir, "certificate.pdf")))}`);
    expect(oneLine(txt)).toContain("identified by its SHA-256 hash, a process of digital identification");
    expect(oneLine(pdfText(join(dir, "certificate.pdf")))).toContain(
      `manifest.json SHA-256: ${sha256(readFileSync(join(dir, "manifest.json")))}`,
    );
    const verified = ok(L("verify", join(work, "case.zip")));
    expect(verified.stdout).toContain("certificate.pdf: SHA-256");
    expect(verified.stdout).toContain("Everything matches.");
  });

  it("says which files manifest.json does not list and why, and the count of the zip agrees", () => {
    const txt = oneLine(readFileSync(join(dir, "certificate.txt"), "utf8"));
    const listed = (JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as { files: { path: string }[] })
      .files;
    const names = execFileSync("unzip", ["-Z1", join(work, "case.zip")], { env: UTF8, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    // "lists every file of the bundle" was false: the manifest cannot list itself nor the certificate naming its hash.
    expect(txt).toContain(
      "The file manifest.json lists every file of the bundle with its size and SHA-256 hash, except the three made after it: manifest.json itself, and this certification as a PDF and as text (certificate.pdf and certificate.txt), which state the manifest's SHA-256 hash; certificate.txt also states the hash of certificate.pdf.",
    );
    expect(txt).toContain(
      `Files listed: ${listed.length}; with manifest.json, certificate.pdf and certificate.txt, the bundle holds ${names.length} files.`,
    );
    expect(names.filter((n) => !listed.some((f) => f.path === n)).sort()).toEqual([
      "certificate.pdf",
      "certificate.txt",
      "manifest.json",
    ]);
  });

  it("says each item was stored with its hash when it was entered, not when it was written, sent or received", () => {
    // The letter here was written 2026-09-30 and entered today (compose --dated): it was not stored "when it was
    // composed".
    const sentence =
      "Each letter, reply and exhibit was stored with its SHA-256 hash when it was entered into loanmail, which may be after the day it was written, sent or received (a letter written before it was entered, a reply on paper recorded days later); the event log records both the day each step names and the day it was entered.";
    for (const text of [readFileSync(join(dir, "certificate.txt"), "utf8"), pdfText(join(dir, "certificate.pdf"))]) {
      expect(oneLine(text)).toContain(sentence);
      expect(oneLine(text)).not.toContain("when it was composed, sent or received");
    }
  });

  it("certificate.pdf states the manifest's hash in its document metadata, where verify reads it", () => {
    const info = execFileSync("pdfinfo", [join(dir, "certificate.pdf")], { encoding: "utf8" });
    expect(info).toMatch(
      new RegExp(`^Subject: +manifest\\.json SHA-256: ${sha256(readFileSync(join(dir, "manifest.json")))}$`, "m"),
    );
    expect(ok(L("verify", join(work, "case.zip"))).stdout).toMatch(
      /ok +certificate\.pdf: states the manifest's SHA-256 [0-9a-f]{64} in its document metadata/,
    );
  });

  it("verify exits 5 when certificate.txt is removed or certificate.pdf is replaced", () => {
    const names = execFileSync("unzip", ["-Z1", join(work, "case.zip")], { env: UTF8, encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    const rezip = (out: string, list: readonly string[]) => {
      execFileSync("zip", ["-q", "-X", out, ...list], { cwd: dir, env: UTF8 });
      return L("verify", out);
    };
    const without = rezip(
      join(work, "no-cert.zip"),
      names.filter((n) => n !== "certificate.txt"),
    );
    expect(without.code).toBe(5);
    expect(without.stdout).toContain("certificate.txt");
    expect(without.stdout).toContain("missing");
    writeFileSync(
      join(dir, "certificate.pdf"),
      Buffer.concat([readFileSync(join(dir, "certificate.pdf")), Buffer.from("\n")]),
    );
    const swapped = rezip(join(work, "swapped.zip"), names);
    expect(swapped.code).toBe(5);
    expect(swapped.stdout).toMatch(/certificate\.pdf.*differs from the one certificate\.txt states/);
  });
});

describe("Bates numbers", () => {
  it("number every evidence page or file in the bundle's order, from the case tag, stamping only what loanmail made here", () => {
    expect(bates.prefix).toBe(`${tag}-`);
    // The originals, the exhibits, the letters as printed, then the declaration.
    expect(bates.files.map((f) => [f.path, f.first, f.last, f.pages, f.stamped])).toEqual([
      ["messages/001-2026-09-30-out.eml", `${tag}-0001`, `${tag}-0001`, null, false],
      ["messages/002-2026-10-08-in.eml", `${tag}-0002`, `${tag}-0002`, null, false],
      ["exhibits/Exhibit A – Proof of payment.pdf", `${tag}-0003`, `${tag}-0003`, 1, false],
      // The PDF printed and kept when the letter was mailed (the packet: letter, exhibit list, Exhibit A's page):
      // byte for byte, so listed, not stamped.
      [`letters/${tag}-1.pdf`, `${tag}-0004`, `${tag}-0006`, 3, false],
      ["declaration.pdf", `${tag}-0007`, `${tag}-0007`, 1, true],
    ]);
    // The kept letter is the very PDF that was printed.
    expect(sha256(readFileSync(join(dir, `letters/${tag}-1.pdf`)))).toBe(
      sha256(readFileSync(join(work, "letter.pdf"))),
    );
  });

  it("are keyed in exhibit-list.pdf and index.html to each file and its hash", () => {
    const list = oneLine(pdfText(join(dir, "exhibit-list.pdf")));
    expect(list).toContain(`Exhibit list: ${tag}`);
    for (const f of bates.files) expect(list).toContain(f.first);
    expect(list).toContain(sha256(readFileSync(join(dir, "exhibits/Exhibit A – Proof of payment.pdf"))));
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).toContain('<section id="bates">');
    expect(html).toContain(`<td>${tag}-0003</td><td>exhibits/Exhibit A – Proof of payment.pdf</td>`);
  });

  it("take a prefix of the user's, and refuse one that is not, changing nothing", () => {
    const out = join(work, "prefixed.zip");
    ok(L("export", "1", "--out", out, "--bates-prefix", "DOE-"));
    const m = JSON.parse(execFileSync("unzip", ["-p", out, "manifest.json"], { encoding: "utf8" })) as {
      bates: { files: BatesFile[] };
    };
    expect(m.bates.files[0]?.first).toBe("DOE-0001");
    const before = rowCounts(home);
    const bad = L("export", "1", "--out", join(work, "bad.zip"), "--bates-prefix", "a b/../");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--bates-prefix "a b/../": not a Bates prefix');
    expect(rowCounts(home)).toEqual(before);
  });
});
