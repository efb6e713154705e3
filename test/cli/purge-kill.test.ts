/**
 * A purge killed at any moment (kill -9) leaves everything or nothing: each trial copies one prepared home, starts
 * `client purge`, kills it after a random delay within the time a whole purge takes, and checks that the home is
 * either whole (the client and all its rows there) or purged (nothing of it, the agency log entry there), and
 * that verify --db passes either way. Trials are bounded in number and in time.
 */
import { spawn, spawnSync } from "node:child_process";
import { cpSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { must, NGUYEN, setupCaseload } from "./caseload.js";
import { BIN, run, tempDir } from "./helpers.js";

const TRIALS = 10;
const BUDGET_MS = 120_000;

function state(home: string): { clients: number; loans: number; cases: number; messages: number; purges: number } {
  const db = new Database(join(home, "loanmail.db"), { fileMustExist: true });
  try {
    const n = (sql: string, ...a: unknown[]) =>
      db
        .prepare(sql)
        .pluck()
        .get(...a) as number;
    return {
      clients: n("SELECT count(*) FROM clients WHERE name = ?", NGUYEN),
      loans: n("SELECT count(*) FROM loans"),
      cases: n("SELECT count(*) FROM cases"),
      messages: n("SELECT count(*) FROM messages"),
      purges: n("SELECT count(*) FROM events WHERE type = 'client-purged'"),
    };
  } finally {
    db.close();
  }
}

function purgeKilledAfter(home: string, cwd: string, delayMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      [BIN, "--home", home, "client", "purge", NGUYEN, "--out", join(cwd, "file.zip")],
      {
        cwd,
        stdio: "ignore",
        env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", NO_COLOR: "1" },
      },
    );
    const timer = setTimeout(() => child.kill("SIGKILL"), delayMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve(code);
    });
  });
}

describe("a purge killed at any moment", () => {
  let prepared: string;
  let fullMs: number;
  let whole: ReturnType<typeof state>;

  beforeAll(() => {
    const { home, L } = setupCaseload();
    must(L("client", "close", NGUYEN, "--on", "2022-06-01"), "close");
    prepared = home;
    whole = state(home);
    // How long a whole purge takes here: the delays are drawn within it.
    const copy = join(tempDir("loanmail-kill-"), "home");
    cpSync(prepared, copy, { recursive: true });
    const t = performance.now();
    must(run(["--home", copy, "client", "purge", NGUYEN, "--no-export"]), "purge");
    fullMs = performance.now() - t;
  }, 240_000);

  it("leaves the client whole or wholly purged, and verify --db passes", async () => {
    const started = Date.now();
    const seen = { whole: 0, purged: 0 };
    for (let i = 0; i < TRIALS && Date.now() - started < BUDGET_MS; i++) {
      const work = tempDir("loanmail-kill-");
      const home = join(work, "home");
      cpSync(prepared, home, { recursive: true });
      const delay = Math.round(50 + Math.random() * fullMs * 1.2);
      await purgeKilledAfter(home, work, delay);
      const s = state(home);
      if (s.clients === 1) {
        seen.whole++;
        expect(s, `trial ${i} (${delay} ms): whole`).toEqual(whole);
      } else {
        seen.purged++;
        expect(s, `trial ${i} (${delay} ms): purged`).toEqual({
          clients: 0,
          loans: whole.loans - 1,
          cases: whole.cases - 1,
          messages: whole.messages - 2,
          purges: 1,
        });
      }
      const v = spawnSync(process.execPath, [BIN, "--home", home, "--json", "verify", "--db"], { encoding: "utf8" });
      expect(v.status, `trial ${i} (${delay} ms): ${v.stderr}`).toBe(0);
    }
    expect(seen.whole + seen.purged).toBeGreaterThan(0);
  }, 240_000);
});
