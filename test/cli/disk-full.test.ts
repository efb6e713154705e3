/**
 * A full disk under the database (issue 13): the home lives on a small tmpfs this test mounts (tests run as root;
 * a test that cannot mount fails loudly), which is then filled to the last byte. Every command that writes the
 * database is exit 1 naming the disk and what is free, never an internal error, and once space is freed the
 * database is intact and holds exactly what it held.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, run, tempDir } from "./helpers.js";

const mounts: string[] = [];
afterAll(() => {
  for (const m of mounts) execFileSync("umount", [m]);
});

/** Fill the file system holding `dir` until a write fails (ENOSPC). */
function fill(dir: string): string {
  const filler = join(dir, "filler");
  const chunk = Buffer.alloc(64 * 1024, 1);
  writeFileSync(filler, "");
  try {
    for (;;) writeFileSync(filler, chunk, { flag: "a" });
  } catch (err) {
    expect((err as NodeJS.ErrnoException).code).toBe("ENOSPC");
  }
  // The last few bytes too: small writes until none fits.
  try {
    for (;;) writeFileSync(filler, "x", { flag: "a" });
  } catch {
    // full
  }
  return filler;
}

describe("a full disk under the home", () => {
  it("is exit 1 naming the disk, and the database is intact and unchanged once space is freed", () => {
    const mnt = join(tempDir("loanmail-full-"), "mnt");
    mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=3m", "tmpfs", mnt]);
    mounts.push(mnt);
    const home = join(mnt, "home");
    const L = (...args: string[]): RunResult => run(["--home", home, ...args]);
    for (const step of [
      [
        "init",
        "--name",
        "Jane Q. Doe",
        "--email",
        "jane@example.test",
        "--address",
        "12 Elm St\\nSpringfield, IL 62701",
      ],
      ["servicer", "add", "Mr. Cooper", "--domain", "servicer.test", "--email", "help@servicer.test"],
      [
        "loan",
        "add",
        "--servicer",
        "Mr. Cooper",
        "--account",
        "1234567",
        "--property",
        "12 Elm St",
        "--borrower",
        "Jane",
      ],
      [
        "compose",
        "payment-history",
        "--no-formal",
        "--loan",
        "1",
        "--set",
        "from=2024-01-01",
        "--set",
        "to=2025-12-31",
        "--summary",
        "Please send my payment history.",
      ],
    ]) {
      const r = L(...step);
      expect(r.code, `${step[0]}: ${r.stderr}`).toBe(0);
    }
    const before = rowCounts(home);
    const filler = fill(mnt);

    const attempts: string[][] = [
      [
        "compose",
        "payment-history",
        "--no-formal",
        "--loan",
        "1",
        "--set",
        "from=2024-01-01",
        "--set",
        "to=2025-12-31",
        "--summary",
        "Please send my payment history.",
      ],
      ["note", "1", "Called the servicer; they said ten days."],
    ];
    for (const args of attempts) {
      const r = L("--json", ...args);
      expect(r.code, `${args[0]}: ${r.stderr}`).toBe(1);
      expect(r.stdout).toBe("");
      const error = (JSON.parse(r.stderr) as { error: { code: string; message: string } }).error;
      expect(error.code).toBe("DISK_FULL");
      expect(error.message).toContain(`the disk holding ${home} is full`);
      const text = L(...args);
      expect(text.stderr).toMatch(/free some space on that disk/);
      expect(text.stderr).not.toMatch(/internal error|\n\s+at /);
    }

    // A read may still work (SQLite's shared-memory file can already be there), or fail the same way: never exit 70.
    const read = L("--json", "cases");
    expect([0, 1], read.stderr).toContain(read.code);
    if (read.code === 1) expect(read.stderr).toContain("DISK_FULL");

    rmSync(filler);
    const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
    expect(rowCounts(home)).toEqual(before);
    const verify = L("--json", "verify", "--db");
    expect(verify.code, verify.stderr).toBe(0);
    const note = L("note", "1", "Called the servicer; they said ten days.");
    expect(note.code, note.stderr).toBe(0);
    expect(json<{ cases: unknown[] }>(L("--json", "cases")).cases).toHaveLength(1);
  });

  it("init on a full disk is exit 1 and leaves no half-made database: once space is freed, init works", () => {
    const mnt = join(tempDir("loanmail-full-"), "mnt");
    mkdirSync(mnt);
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", mnt]);
    mounts.push(mnt);
    const home = join(mnt, "home");
    const INIT = ["init", "--name", "Jane Q. Doe", "--email", "jane@example.test", "--address", "12 Elm St"];
    const filler = fill(mnt);
    const r = run(["--home", home, "--json", ...INIT]);
    expect(r.code, r.stderr).toBe(1);
    expect(r.stderr).toContain("DISK_FULL");
    expect(existsSync(join(home, "loanmail.db")), "no empty database left for the next init to refuse").toBe(false);
    rmSync(filler);
    const again = run(["--home", home, ...INIT]);
    expect(again.code, again.stderr).toBe(0);
  });
});
