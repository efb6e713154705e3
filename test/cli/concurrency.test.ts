/**
 * Several loanmail commands started at once on one home: every writer waits for the others instead of failing with
 * "database is locked", and the event chains stay intact. Each round starts five writers together (two composes,
 * an import of six messages, a note, an export) and then walks the chains with `verify --db`.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, type RunResult, setupHome, tempDir } from "./helpers.js";

const ROUNDS = 20;
const FACTS = "I plan to sell the house in 2027 and a buyer asked whether the loan can be assumed.";

/** `loanmail ARGS` without waiting: the concurrent counterpart of helpers' `run`. */
function start(args: readonly string[]): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", NO_COLOR: "1" },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => {
      stdout += s;
    });
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/** Six small replies, each with its own Message-ID so that every round really writes. */
function writeReplies(dir: string, round: number): string[] {
  return Array.from({ length: 6 }, (_, i) => {
    const path = join(dir, `reply-${round}-${i}.eml`);
    writeFileSync(
      path,
      [
        "From: Mr. Cooper <help@servicer.test>",
        "To: jane@example.test",
        `Subject: Your question ${round}-${i}`,
        "Date: Tue, 08 Sep 2026 10:00:00 -0500",
        `Message-ID: <r${round}m${i}@servicer.test>`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "We received your letter and will answer it.",
        "",
      ].join("\r\n"),
    );
    return path;
  });
}

describe("concurrent writers on one home", () => {
  it(`${ROUNDS} rounds of compose, compose, import, note and export all succeed`, { timeout: 300_000 }, async () => {
    const { home, L } = setupHome();
    const first = L("compose", "assumption", "--loan", "1", "--summary", FACTS);
    expect(first.code, first.stderr).toBe(0);
    const work = tempDir();
    const H = (...args: string[]) => ["--home", home, ...args];

    for (let round = 0; round < ROUNDS; round++) {
      const commands = [
        H("compose", "assumption", "--loan", "1", "--summary", FACTS),
        H("compose", "assumption", "--loan", "1", "--summary", FACTS),
        H("import", ...writeReplies(work, round)),
        H("note", "1", `round ${round}`),
        H("export", "1", "--out", join(work, `case-${round}.zip`)),
      ];
      const results = await Promise.all(commands.map(start));
      results.forEach((r, i) => {
        expect(r.code, `round ${round}: ${commands[i]?.slice(2).join(" ")}\n${r.stderr}`).toBe(0);
      });
      const verify = await start(H("verify", "--db"));
      expect(verify.code, `round ${round}: verify --db\n${verify.stdout}${verify.stderr}`).toBe(0);
    }
  });
});
