/**
 * A message the parser refuses (a 10 MB header, 5,000 parts, nesting 5,000 deep, 100,000 References) is stored
 * byte for byte and still filed by its header read on its own: its case tag in the Subject files it, and
 * show-message says why its body was not read (issue 13, "Hostile content"). verify --db accepts the record.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, setupHome, tempDir } from "./helpers.js";

function header(tag: string, n: number): string {
  return [
    "From: Mr. Cooper <help@servicer.test>",
    "To: jane@example.test",
    `Subject: Re: [${tag}] your request (${n})`,
    "Date: Mon, 02 Nov 2026 10:00:00 -0600",
    `Message-ID: <hostile-${n}@servicer.test>`,
    "MIME-Version: 1.0",
  ].join("\r\n");
}

const hostile: Record<string, (tag: string, n: number) => string> = {
  "a 10 MB header field": (tag, n) =>
    `${header(tag, n)}\r\nX-Junk: ${"a".repeat(10 * 1024 * 1024)}\r\n\r\nWe received it.\r\n`,
  "100,000 References": (tag, n) =>
    `${header(tag, n)}\r\nReferences: ${Array.from({ length: 100_000 }, (_, i) => `<r${i}@x.test>`).join(" ")}\r\n\r\nWe received it.\r\n`,
  "5,000 parts": (tag, n) =>
    `${header(tag, n)}\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n${Array.from({ length: 5000 }, (_, i) => `--b\r\nContent-Type: text/plain\r\n\r\npart ${i}\r\n`).join("")}--b--\r\n`,
  "nesting 5,000 deep": (tag, n) => {
    let body = "We received it.";
    for (let i = 4999; i >= 0; i--)
      body = `Content-Type: multipart/mixed; boundary=b${i}\r\n\r\n--b${i}\r\n${body}\r\n--b${i}--\r\n`;
    return `${header(tag, n)}\r\n${body}`;
  },
};

describe("mail the parser refuses", () => {
  const { L } = setupHome();
  const composed = json<{ case: { tag: string } }>(
    L(
      "--json",
      "compose",
      "balance-verification",
      "--loan",
      "1",
      "--summary",
      "Please verify the balance of my loan as of my statement of 2026-10-01.",
    ),
  );
  const tag = composed.case.tag;
  const dir = tempDir();

  it.each(Object.entries(hostile).map(([name, make], i) => [name, make, i + 1] as const))(
    "%s: stored, filed by the tag in its Subject, and its parse error shown",
    (_, make, n) => {
      const file = join(dir, `hostile-${n}.eml`);
      writeFileSync(file, make(tag, n), "latin1");
      const imported = L("--json", "import", file);
      expect(imported.code, imported.stderr).toBe(0);
      const shown = json<{
        message: { id: number; caseTag: string | null; subject: string; parseError: string | null };
      }>(
        L("--json", "show-message", String(json<{ imported: { message: number }[] }>(imported).imported[0]?.message)),
      ).message;
      expect(shown.caseTag).toBe(tag);
      expect(shown.subject).toBe(`Re: [${tag}] your request (${n})`);
      expect(shown.parseError).toMatch(/exceeded/);
      const text = L("show-message", String(shown.id));
      expect(text.stdout).toMatch(/^Parse error: .*exceeded.*body not read/m);
    },
  );

  it("verify --db accepts the record", () => {
    const r = L("verify", "--db");
    expect(r.code, r.stdout + r.stderr).toBe(0);
  });
});
