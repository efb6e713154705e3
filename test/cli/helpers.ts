/**
 * Running the real CLI (bin/loanmail.js, built into dist/) as a user would from a script: no TTY, a temporary
 * home, captured stdout/stderr and the exit code.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";

export const ROOT = resolve(import.meta.dirname, "../..");
export const BIN = join(ROOT, "bin", "loanmail.js");

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  env?: Record<string, string | undefined>;
  /** Prefix the command, e.g. ["setpriv", "--reuid=65534", ...] to run unprivileged. */
  wrap?: string[];
  cwd?: string;
  /** Kill the CLI after this many milliseconds (a test of something that must not hang): `run` then throws. */
  timeoutMs?: number;
}

/**
 * A copy of the built CLI that an unprivileged user can read. A clone may sit under a private (0700) folder,
 * which uid 65534 cannot enter; the permission tests then run this copy. Made once per test file, only when needed.
 */
let mirror: string | undefined;
function readableRoot(uid: number): string {
  if (spawnSync("setpriv", [`--reuid=${uid}`, `--regid=${uid}`, "--clear-groups", "test", "-r", BIN]).status === 0)
    return ROOT;
  if (!mirror) {
    mirror = mkdtempSync(join(tmpdir(), "loanmail-readable-"));
    for (const part of ["bin", "dist", "templates", "node_modules", "package.json"]) {
      cpSync(join(ROOT, part), join(mirror, part), { recursive: true });
    }
    spawnSync("chmod", ["-R", "a+rX", mirror]);
  }
  return mirror;
}

/** Run `loanmail ARGS` with stdin closed (not a TTY). */
export function run(args: readonly string[], opts: RunOptions = {}): RunResult {
  const uid = opts.wrap?.find((a) => a.startsWith("--reuid="))?.slice("--reuid=".length);
  const root = uid === undefined ? ROOT : readableRoot(Number(uid));
  const bin = join(root, "bin", "loanmail.js");
  const cmd = opts.wrap ? (opts.wrap[0] as string) : process.execPath;
  const cmdArgs = opts.wrap ? [...opts.wrap.slice(1), process.execPath, bin, ...args] : [bin, ...args];
  const r = spawnSync(cmd, cmdArgs, {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    // A large import's --json report (thousands of messages) is longer than spawnSync's 1 MB default.
    maxBuffer: 256 * 1024 * 1024,
    timeout: opts.timeoutMs,
    cwd: opts.cwd ?? root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", NO_COLOR: "1", ...opts.env },
  });
  if (r.error) throw r.error;
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix = "loanmail-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A minimal but real PDF file. Its bytes name its path (a PDF comment), so two files are two scans: `received`
 * refuses the same bytes given as a second reply.
 */
export function writePdf(path: string): string {
  writeFileSync(
    path,
    `%PDF-1.4\n% ${path}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
  return path;
}

/** A tiny real PNG (1x1). */
export function writePng(path: string): string {
  writeFileSync(
    path,
    Buffer.from(
      "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082",
      "hex",
    ),
  );
  return path;
}

/** A home with the user, one servicer (notice address by post) and one loan (account 1234567). */
export function setupHome(): { home: string; L: (...args: string[]) => RunResult } {
  const home = join(tempDir(), "home");
  const L = (...args: string[]) => run(["--home", home, ...args]);
  const steps: string[][] = [
    [
      "init",
      "--name",
      "Jane Q. Doe",
      "--email",
      "jane@example.test",
      "--address",
      "12 Elm St\\nSpringfield, IL 62701",
      "--phone",
      "555-123-4567",
      "--timezone",
      "America/Chicago",
    ],
    [
      "servicer",
      "add",
      "Mr. Cooper",
      "--domain",
      "servicer.test",
      "--email",
      "help@servicer.test",
      "--notice-address",
      "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261",
      "--payoff-email",
      "payoff@servicer.test",
    ],
    [
      "loan",
      "add",
      "--servicer",
      "Mr. Cooper",
      "--account",
      "1234567",
      "--property",
      "12 Elm St, Springfield, IL 62701",
      "--borrower",
      "Jane Q. Doe",
    ],
  ];
  for (const s of steps) {
    const r = L(...s);
    if (r.code !== 0) throw new Error(`setup step ${s.join(" ")} failed: ${r.stderr}`);
  }
  return { home, L };
}

/** Row counts of every table, to prove a failed command changed nothing. */
export function rowCounts(home: string): Record<string, number> {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    return Object.fromEntries(
      tables.map((t) => [t, db.prepare(`SELECT count(*) FROM "${t}"`).pluck().get() as number]),
    );
  } finally {
    db.close();
  }
}

/** Parse a --json result, failing the test with stderr when it is not one JSON document. */
export function json<T = Record<string, unknown>>(r: RunResult): T & { schema: number } {
  try {
    return JSON.parse(r.stdout) as T & { schema: number };
  } catch {
    throw new Error(`stdout is not JSON (exit ${r.code}):\n${r.stdout}\nstderr:\n${r.stderr}`);
  }
}

/** The user's mail server in tests: a Received field added by one of its hosts proves when a reply arrived. */
export const MAIL_HOST = "imap.mail.test";

/** Set up the user's mail account (no network is used): its hosts are the ones Received fields are matched by. */
export function addMailAccount(L: (...args: string[]) => RunResult, extra: readonly string[] = []): void {
  const r = L(
    "account",
    "set",
    "--email",
    "jane@example.test",
    "--smtp-host",
    "smtp.mail.test",
    "--smtp-port",
    "587",
    "--smtp-security",
    "starttls",
    "--imap-host",
    MAIL_HOST,
    "--imap-port",
    "993",
    "--imap-security",
    "tls",
    "--password-env",
    "LOANMAIL_TEST_PASSWORD",
    ...extra,
  );
  if (r.code !== 0) throw new Error(`account set failed: ${r.stderr}`);
}

/**
 * The Received field the user's own server (mx.mail.test, in the domain of imap.mail.test) adds as a reply
 * arrives, dated `date` (an RFC 5322 date-time): the arrival an imported .eml proves.
 */
export function receivedByUserServer(date: string): string {
  return `Received: from out.servicer.test (out.servicer.test [192.0.2.25])\r\n\tby mx.mail.test (Postfix) with ESMTPS id 4Q7;\r\n\t${date}`;
}

/** The formal notice of error the CLI tests share, composed (`--json`) on loan 1 as written 2026-09-30. */
export function composeNoticeOfError(L: (...args: string[]) => RunResult, extra: string[] = []): RunResult {
  return L(
    ...["--json", "compose", "notice-of-error", "--loan", "1", "--dated", "2026-09-30"],
    ...["--set", "error=the March 2026 payment of $1,500 was put in suspense"],
    ...["--summary", "On 2026-03-01 I paid $1,500.00 online; it sits in suspense.", ...extra],
  );
}

/**
 * A formal notice of error on loan 1, written 2026-09-30, mailed Thu 2026-10-01 and delivered Mon 2026-10-05 to the
 * designated notice address (its acknowledgment is due Tue 2026-10-13, its response Wed 2026-11-18); `extra`
 * adds compose options (an exhibit). Returns the case tag.
 */
export function mailedNoticeOfError(
  L: (...args: string[]) => RunResult,
  tracking: string,
  extra: string[] = [],
): string {
  const composed = composeNoticeOfError(L, extra);
  if (composed.code !== 0) throw new Error(`compose failed: ${composed.stderr}`);
  const mailed = L("mailed", "1", "--tracking", tracking, "--date", "2026-10-01", "--delivered", "2026-10-05");
  if (mailed.code !== 0) throw new Error(`mailed failed: ${mailed.stderr}`);
  return json<{ case: { tag: string } }>(composed).case.tag;
}

/** A tiny RFC 4180 reader (quoted fields, doubled quotes, CRLF records). */
export function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let rec: string[] = [];
  let f = "";
  let q = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (q) {
      if (c === '"' && text[i + 1] === '"') {
        f += '"';
        i++;
      } else if (c === '"') q = false;
      else f += c;
    } else if (c === '"') q = true;
    else if (c === ",") {
      rec.push(f);
      f = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      rec.push(f);
      out.push(rec);
      rec = [];
      f = "";
      i++;
    } else f += c;
  }
  return out;
}
