/**
 * Progress as a user sees it: on a terminal (a real pseudo-terminal from util-linux's `script`), import, export
 * and verify draw a bar on stderr with counts and an ETA, cleared before the result; through a pipe or with
 * --json, nothing of it appears (stderr stays clean for scripts and logs).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, type RunResult, setupHome, tempDir } from "./helpers.js";

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Run `loanmail ARGS` on a pseudo-terminal; what the terminal showed (stdout and stderr together). */
function onTerminal(args: readonly string[]): RunResult {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const r = spawnSync("script", ["-q", "-e", "-c", command, "/dev/null"], {
    encoding: "utf8",
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LANG: "C.UTF-8",
      NO_COLOR: "1",
      TERM: "xterm",
      COLUMNS: "120",
    },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

describe("progress", () => {
  let home: string;
  let L: (...args: string[]) => RunResult;
  let mbox: string;

  beforeAll(() => {
    ({ home, L } = setupHome());
    const composed = L(
      ...["--json", "compose", "payoff-statement", "--loan", "1", "--set", "good-through=2026-12-31"],
      ...["--summary", "I need the payoff amount to refinance."],
    );
    if (composed.code !== 0) throw new Error(composed.stderr);
    // An mbox of 40 servicer messages (kept: they come from the servicer's domain).
    mbox = join(tempDir(), "saved.mbox");
    const messages = Array.from({ length: 40 }, (_, i) =>
      [
        "From care@servicer.test Tue Mar  3 10:00:00 2026",
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        `Subject: Your account (${i + 1})`,
        "Date: Tue, 3 Mar 2026 10:00:00 -0600",
        `Message-ID: <m${i + 1}@servicer.test>`,
        "",
        "Thank you for contacting us.",
        "",
      ].join("\n"),
    );
    writeFileSync(mbox, messages.join("\n"));
  });

  it("import on a terminal: a bar with the file, bytes and messages, then the report", () => {
    const r = onTerminal(["--home", home, "import", mbox]);
    expect(r.code).toBe(0);
    // (Its ETA shows once there is a pace to go by: test/unit/progress.test.ts; these 40 take a moment.)
    expect(r.stdout).toMatch(/saved\.mbox [█░]+ [\d.]+ (bytes|KB) of [\d.]+ (bytes|KB)/);
    expect(r.stdout).toMatch(/ · 40 messages/);
    // The bar is erased before the report is printed.
    const erased = r.stdout.lastIndexOf("\u001b[2K");
    expect(erased).toBeGreaterThan(0);
    expect(r.stdout.slice(erased)).toContain("saved.mbox (mbox): 40 messages");
  });

  it("export and verify on a terminal: their bars", () => {
    const out = join(tempDir(), "case-1.zip");
    const exported = onTerminal(["--home", home, "export", "1", "--out", out]);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/case-1\.zip [█░]+ \d+ of \d+/);
    const verified = onTerminal(["--home", home, "verify", "--db"]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/events [█░]+ \d+ of \d+/);
    expect(verified.stdout).toMatch(/stored messages [█░]+ \d+ of \d+/);
    expect(onTerminal(["--home", home, "verify", out]).stdout).toMatch(/case-1\.zip [█░]+ \d+ of \d+/);
  });

  it("no bar through a pipe, nor with --json on a terminal", () => {
    const again = tempDir();
    const out = join(again, "case.zip");
    const piped = L("export", "1", "--out", out);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toContain("ETA");
    expect(piped.stderr).not.toContain("\u001b[");
    const verified = L("verify", "--db");
    expect(verified.stderr).toBe("");
    const json = onTerminal(["--home", home, "--json", "verify", "--db"]);
    expect(json.code).toBe(0);
    expect(json.stdout).not.toContain("ETA");
    expect(json.stdout).not.toContain("\u001b[");
  });
});
