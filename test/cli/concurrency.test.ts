/**
 * Several loanmail commands started at once on one home: every writer waits for the others instead of failing with
 * "database is locked", and the event chains stay intact. Each round starts five writers together (two composes,
 * an import of six messages, a note, an export) and then walks the chains with `verify --db`. A writer that waits
 * in vain is a user error naming the command in the way, and with --json every error is one JSON document.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { BIN, ROOT, type RunResult, run, setupHome, tempDir } from "./helpers.js";

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

interface ErrorDocument {
  schema: number;
  error: { code: string; message: string; hint: string | null };
}

/** The one JSON document a failed --json command writes to stderr. */
function errorDocument(r: RunResult): ErrorDocument {
  expect(r.stdout, "stdout stays empty on error").toBe("");
  try {
    return JSON.parse(r.stderr) as ErrorDocument;
  } catch {
    throw new Error(`stderr is not one JSON document (exit ${r.code}):\n${r.stderr}`);
  }
}

describe("errors as JSON documents", () => {
  it("a user error: code, message and hint; the text form without --json is unchanged", () => {
    const { L } = setupHome();
    const r = L("--json", "show", "99");
    expect(r.code).toBe(1);
    const doc = errorDocument(r);
    expect(doc).toEqual({
      schema: 1,
      error: { code: "CASE_NOT_FOUND", message: expect.stringMatching(/no case "99"/), hint: expect.any(String) },
    });
    const text = L("show", "99");
    expect(text.code).toBe(1);
    expect(text.stderr).toBe(`loanmail: error: ${doc.error.message}\n  hint: ${doc.error.hint}\n`);
  });

  it("a coded error gets its code and the CLI's hint naming the flag", () => {
    const r = run(["--home", join(tempDir(), "nowhere"), "--json", "cases"]);
    expect(r.code).toBe(1);
    expect(errorDocument(r).error).toMatchObject({ code: "NO_HOME", hint: expect.stringContaining("--home") });
  });

  it.each([
    [["cases", "--bogus"], "UNKNOWN_OPTION", /unknown option '--bogus'/],
    [["frobnicate"], "UNKNOWN_COMMAND", /unknown command 'frobnicate'/],
    [["show"], "MISSING_ARGUMENT", /missing required argument 'case'/],
    [["cases", "--status", "bogus"], "INVALID_ARGUMENT", /argument 'bogus' is invalid/],
  ])("a usage error %j exits 2 with code %s", (args, code, message) => {
    const r = run(["--home", tempDir(), "--json", ...args]);
    expect(r.code).toBe(2);
    const doc = errorDocument(r);
    expect(doc.error.code).toBe(code);
    expect(doc.error.message).toMatch(message);
    expect(doc.error.hint).toMatch(/--help/);
  });
});

describe("a write that cannot get the database", () => {
  it("waits out the busy timeout, then exits 1 naming the command that holds it", { timeout: 90_000 }, async () => {
    const { home, L } = setupHome();
    expect(L("compose", "assumption", "--loan", "1", "--summary", FACTS).code).toBe(0);
    // This test process plays a running `loanmail export 1` that keeps the write lock.
    mkdirSync(join(home, "running"), { recursive: true });
    writeFileSync(join(home, "running", String(process.pid)), "loanmail export 1");
    const holder = new Database(join(home, "loanmail.db"));
    holder.prepare("BEGIN IMMEDIATE").run();
    try {
      const started = Date.now();
      const r = await start(["--home", home, "--json", "note", "1", "waiting"]);
      expect(Date.now() - started, "it waited for the lock").toBeGreaterThanOrEqual(14_000);
      expect(r.code, r.stderr).toBe(1);
      expect(errorDocument(r).error).toEqual({
        code: "DATABASE_BUSY",
        message: `the database is busy: another loanmail command is writing (pid ${process.pid}: loanmail export 1)`,
        hint: "try again when it finishes",
      });
    } finally {
      holder.prepare("ROLLBACK").run();
      holder.close();
    }
    expect(readdirSync(join(home, "running")), "the note's own record is gone").toEqual([String(process.pid)]);
  });
});
