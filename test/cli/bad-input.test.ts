/**
 * Bad input, end to end through the real CLI: every refusal exits with the documented code, says what is wrong
 * in one `loanmail: error:` message with a hint, prints no stack trace and nothing on stdout (also with --json),
 * and leaves the database exactly as it was.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { chmodSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { KIND_IDS } from "../../src/domain/kinds.js";
import { json, type RunOptions, type RunResult, rowCounts, run, setupHome, tempDir, writePdf } from "./helpers.js";

const NOBODY = 65534;
const UNPRIVILEGED = ["setpriv", `--reuid=${NOBODY}`, `--regid=${NOBODY}`, "--clear-groups"];
const STACK = /\n\s+at .*:\d+:\d+/;
const FACTS = "I plan to sell the house in 2027 and a buyer asked whether the loan can be assumed.";
const INIT = ["init", "--name", "Jane Q. Doe", "--email", "jane@example.test", "--address", "12 Elm St\\nSpringfield"];

type Cli = (...args: string[]) => RunResult;

/** Exit code, empty stdout, no stack trace, no internal error. */
function expectCleanFailure(r: RunResult, code: number): void {
  expect(r.stderr, "no stack trace").not.toMatch(STACK);
  expect(r.stderr).not.toContain("internal error");
  expect(r.code, `exit code; stderr:\n${r.stderr}`).toBe(code);
  expect(r.stdout, "stdout stays empty on error").toBe("");
}

/**
 * With --json an error is one JSON document on stderr (`{"schema":1,"error":{code,message,hint}}`); it is read back
 * as the text a person would see, so that the checks below hold for both forms.
 */
function asText(result: RunResult): RunResult {
  if (!result.stderr.startsWith("{")) return result;
  const doc = JSON.parse(result.stderr) as { schema: number; error: { code: string; message: string; hint: unknown } };
  expect(doc.schema).toBe(1);
  expect(doc.error.code).toMatch(/^[A-Z][A-Z_]*$/);
  const hint = typeof doc.error.hint === "string" ? `  hint: ${doc.error.hint}\n` : "";
  return { ...result, stderr: `loanmail: error: ${doc.error.message}\n${hint}` };
}

/** A user error (exit 1): one `loanmail: error:` message matching `message`, then a non-empty hint. */
function expectUserError(result: RunResult, message: RegExp, hint?: RegExp): void {
  const r = asText(result);
  expectCleanFailure(r, 1);
  expect(r.stderr).toMatch(/^loanmail: error: \S/);
  expect(r.stderr.match(/^loanmail: error:/gm), "exactly one error message").toHaveLength(1);
  const [text = "", hintText] = r.stderr.split("\n  hint: ");
  expect(text).toMatch(message);
  expect(hintText?.trim(), `a hint after the message; stderr:\n${r.stderr}`).toBeTruthy();
  if (hint) expect(hintText).toMatch(hint);
}

/** A usage error (exit 2) from commander, pointing at --help. */
function expectUsageError(result: RunResult, message: RegExp): void {
  const r = asText(result);
  expectCleanFailure(r, 2);
  expect(r.stderr).toMatch(message);
  expect(r.stderr).toMatch(/--help/);
}

/** `L` that also proves the database row counts did not change. */
function unchanged(home: string, L: Cli): Cli {
  return (...args: string[]) => {
    const before = rowCounts(home);
    const r = L(...args);
    expect(rowCounts(home), `row counts after: ${args.join(" ")}`).toEqual(before);
    return r;
  };
}

function sha256(data: string | Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function tagPrefix(home: string): string {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT value FROM meta WHERE key = 'tag_prefix'").pluck().get() as string;
  } finally {
    db.close();
  }
}

function userVersion(home: string): number {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.pragma("user_version", { simple: true }) as number;
  } finally {
    db.close();
  }
}

/** Replace a `key = value` line of config.toml, failing when the key is not there. */
function setConfigValue(home: string, key: string, value: string): void {
  const path = join(home, "config.toml");
  const text = readFileSync(path, "utf8");
  const re = new RegExp(`^${key} = .*$`, "m");
  expect(text, `config.toml has ${key}`).toMatch(re);
  writeFileSync(path, text.replace(re, `${key} = ${value}`));
}

/** Run a command; fail the test (not skip it) when it does not succeed. */
function sh(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { encoding: "utf8" });
  expect(r.error).toBeUndefined();
  expect(r.status, `${cmd} ${args.join(" ")}: ${r.stderr}`).toBe(0);
}

describe("references, fields and letter text", () => {
  let home: string;
  let L: Cli;
  let U: Cli;

  beforeAll(() => {
    ({ home, L } = setupHome());
    U = unchanged(home, L);
    // A second servicer without a designated notice address, and a loan there.
    for (const step of [
      ["servicer", "add", "Small Bank", "--domain", "small.test", "--email", "help@small.test"],
      [
        "loan",
        "add",
        "--servicer",
        "Small Bank",
        "--account",
        "9876543",
        "--property",
        "9 Oak Ave, Springfield",
        "--borrower",
        "Jane Q. Doe",
      ],
    ]) {
      const r = L(...step);
      if (r.code !== 0) throw new Error(`setup ${step.join(" ")}: ${r.stderr}`);
    }
  });

  it("unknown kind: names it and lists every valid kind", () => {
    for (const extra of [[], ["--json"]]) {
      const r = U("compose", "nonsense", "--loan", "1", "--summary", "x", ...extra);
      expectUserError(r, /unknown letter kind "nonsense"/);
      for (const kind of KIND_IDS) expect(r.stderr).toContain(kind);
    }
  });

  it("a payment dated after the letter is refused: the letter would state what had not happened", () => {
    const r = U(
      "compose",
      "payment-application",
      "--loan",
      "1",
      "--set",
      "payment-date=2099-01-05",
      "--set",
      "amount=1200",
      "--summary",
      FACTS,
    );
    expectUserError(r, /--set payment-date=2099-01-05 is after this letter's date/, /on or before/);
  });

  it("a mistyped kind suggests the one it most likely meant, not the whole list", () => {
    for (const [typed, meant] of [
      ["payoff", "payoff-statement"],
      ["late-fee-dispte", "late-fee-dispute"],
      ["notice-of-eror", "notice-of-error"],
    ]) {
      const r = U("compose", typed as string, "--loan", "1", "--summary", "x");
      expectUserError(r, new RegExp(`unknown letter kind "${typed}"`), new RegExp(`did you mean ${meant}\\?`));
      expect(r.stderr).not.toContain("balance-verification, payment-history");
    }
    expectUserError(
      U("deadline", "payof", "--received", "2026-11-02"),
      /unknown letter kind/,
      /did you mean payoff-statement/,
    );
  });

  const unknownRefs: [string[], RegExp, RegExp][] = [
    [["show", "99"], /no case "99"/, /loanmail cases/],
    [["edit", "99"], /no case "99"/, /loanmail cases/],
    [["note", "99", "x"], /no case "99"/, /loanmail cases/],
    [["call", "99", "--with", "Agent", "--summary", "x"], /no case "99"/, /loanmail cases/],
    [["discard", "99"], /no case "99"/, /loanmail cases/],
    [["compose", "follow-up", "--case", "99", "--summary", FACTS], /no case "99"/, /loanmail cases/],
    [["compose", "follow-up", "--loan", "1", "--set", "case=99", "--summary", FACTS], /no case "99"/, /cases/],
    [["compose", "assumption", "--loan", "99", "--summary", FACTS], /no loan "99"/, /loan list/],
    [["loan", "set", "99", "--property", "1 Main St"], /no loan "99"/, /loan list/],
    [
      ["loan", "add", "--servicer", "Nobody", "--account", "7654321", "--property", "1 Main St", "--borrower", "J"],
      /no servicer "Nobody"/,
      /Mr\. Cooper/,
    ],
    [["servicer", "set", "Nobody", "--email", "a@b.test"], /no servicer "Nobody"/, /Mr\. Cooper/],
  ];
  it.each(unknownRefs)("unknown reference: %j", (args, message, hint) => {
    expectUserError(U(...args), message, hint);
    expectUserError(U(...args, "--json"), message, hint);
  });

  it("a case tag of another home is refused as such", () => {
    const other = tagPrefix(home) === "ZZZZ" ? "ZZZY" : "ZZZZ";
    for (const extra of [[], ["--json"]]) {
      const r = U("show", `LM-${other}-1`, ...extra);
      expectUserError(r, new RegExp(`LM-${other}-1 belongs to another loanmail home`), /--home/);
    }
  });

  const accounts: [string, RegExp][] = [
    ["", /--account is required|account number is empty/],
    ["   ", /--account is required|account number is empty/],
    ["12", /"12" is not a loan account number/],
    ["abc!def", /"abc!def" is not a loan account number/],
  ];
  it.each(accounts)("loan add refuses the account number %j", (account, message) => {
    const args = ["loan", "add", "--servicer", "Mr. Cooper", "--account", account, "--property", "1 Main St, Town"];
    expectUserError(U(...args, "--borrower", "Jane Q. Doe"), message, /--account|statement/);
  });

  const fields: [string[], RegExp, RegExp][] = [
    [[], /payment-application needs payment-date, amount/, /--set payment-date=.*--set amount=/],
    [
      ["--set", "payment-date=2026-02-03", "--set", "amount=10", "--set", "colour=red"],
      /payment-application has no field "colour"/,
      /payment-date, amount/,
    ],
    [["--set", "payment-date=2026-02-30", "--set", "amount=10"], /--set payment-date=2026-02-30: not a date/, /YYYY/],
    [["--set", "payment-date=2026-02-03", "--set", "amount=12,34,5x"], /--set amount=12,34,5x: not an amount/, /\d/],
    [["--set", "payment-date"], /--set payment-date: expected name=value/, /--set /],
    [["--set", "payment-date=2026-02-03", "--set", "amount=1", "--set", "amount=2"], /amount was given twice/, /once/],
  ];
  it.each(fields)("payment-application fields %j", (set, message, hint) => {
    const args = ["compose", "payment-application", "--loan", "1", "--summary", FACTS, ...set];
    expectUserError(U(...args), message, hint);
    expectUserError(U(...args, "--json"), message, hint);
  });

  it("summary: missing, given twice, unreadable body file", () => {
    const dir = tempDir();
    const body = join(dir, "body.txt");
    writeFileSync(body, FACTS);
    const base = ["compose", "assumption", "--loan", "1"];
    expectUserError(U(...base), /needs a summary/, /--summary/);
    expectUserError(U(...base, "--summary", "   "), /needs a summary/, /--summary/);
    // Two flags that cannot go together are a usage error (exit 2).
    const both = asText(U(...base, "--summary", FACTS, "--body-file", body));
    expectCleanFailure(both, 2);
    expect(both.stderr).toMatch(/--summary or --body-file, not both/);
    expectUserError(U(...base, "--body-file", join(dir, "missing.txt")), /--body-file .*missing\.txt: no such file/);
    expectUserError(U(...base, "--body-file", dir), /--body-file .*: not a file: it is a folder/);
    expectUserError(U(...base, "--body-file", join(dir, "missing.txt"), "--json"), /no such file/);
  });

  it("compose needs exactly one of --loan and --case", () => {
    expectUserError(U("compose", "assumption", "--summary", FACTS), /compose needs --loan or --case/);
    // Both: two options that cannot go together, a usage error (exit 2, test/cli/hostile-input.test.ts).
    const both = U("compose", "assumption", "--loan", "1", "--case", "1", "--summary", FACTS);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
  });

  it("--formal on a kind with no formal form", () => {
    const args = ["compose", "payoff-statement", "--formal", "--loan", "1", "--set", "good-through=2026-08-01"];
    expectUserError(U(...args, "--summary", FACTS), /payoff-statement has no formal form/, /--formal/);
  });

  it("a formal notice to a servicer without a notice address names servicer set --notice-address", () => {
    const args = ["compose", "notice-of-error", "--loan", "2", "--set", "error=A late fee was charged on time."];
    const r = U(...args, "--summary", "I paid on 2026-01-01.");
    expectUserError(
      r,
      /Small Bank has no designated address for notices/,
      /servicer set "Small Bank" --notice-address/,
    );
  });

  it("bad addresses for --to and --cc", () => {
    const base = ["compose", "assumption", "--loan", "1", "--summary", FACTS];
    expectUserError(U(...base, "--to", "not-an-address"), /--to not-an-address: not an email address/);
    expectUserError(U(...base, "--cc", "nope"), /--cc nope: not an email address/);
  });

  it("a Social Security number is refused, shown masked; --allow-sensitive composes with a warning", () => {
    const args = ["compose", "assumption", "--loan", "1", "--summary", "My SSN is 123-45-6789"];
    for (const extra of [[], ["--json"]]) {
      const r = U(...args, ...extra);
      expectUserError(r, /not saved[\s\S]*Social Security number \(\*\*\*-\*\*-6789\)/, /--allow-sensitive/);
      expect(r.stderr).not.toContain("123-45-6789");
    }

    const before = rowCounts(home);
    const ok = L(...args, "--allow-sensitive");
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stderr).toMatch(/^warning: .*Social Security number \(\*\*\*-\*\*-6789\)/m);
    expect(ok.stderr).not.toContain("loanmail: error");
    expect(ok.stdout).toMatch(/Composed LM-/);
    expect(rowCounts(home).cases).toBe((before.cases ?? 0) + 1);
  });
});

describe("attachments", () => {
  let home: string;
  let U: Cli;
  let dir: string;
  const compose = (...attach: string[]) => [
    "compose",
    "assumption",
    "--loan",
    "1",
    "--summary",
    FACTS,
    ...attach.flatMap((a) => ["--attach", a]),
  ];

  beforeAll(() => {
    const h = setupHome();
    home = h.home;
    U = unchanged(home, h.L);
    dir = tempDir();
  });

  it("a missing file, a directory, and a file that is not a PDF/JPEG/PNG by content", () => {
    expectUserError(U(...compose(join(dir, "missing.pdf"))), /--attach .*missing\.pdf: no such file/, /path/);
    expectUserError(U(...compose(dir)), /--attach .*: not a file/, /PDF, JPEG or PNG/);

    const elf = join(dir, "payslip.pdf");
    const header = Buffer.from("7f454c46020101000000000000000000020003000100000000000000", "hex");
    writeFileSync(elf, Buffer.concat([header, Buffer.alloc(200, 0x41)]));
    for (const extra of [[], ["--json"]]) {
      expectUserError(U(...compose(elf), ...extra), /payslip\.pdf: the content is .*not a PDF, JPEG or PNG/, /PDF/);
    }

    const empty = join(dir, "empty.pdf");
    writeFileSync(empty, "");
    expectUserError(U(...compose(empty)), /empty\.pdf: the file is empty/);
  });

  it("one file over limits.attachment_mb, and files over limits.total_mb together", () => {
    // 0.001 MB = 1048 bytes per file, 0.0015 MB = 1572 bytes per letter.
    setConfigValue(home, "attachment_mb", "0.001");
    setConfigValue(home, "total_mb", "0.0015");
    const pdf = (name: string, size: number) => {
      const path = join(dir, name);
      const head = Buffer.from("%PDF-1.4\n");
      writeFileSync(path, Buffer.concat([head, Buffer.alloc(size - head.length, 0x20)]));
      return path;
    };
    const big = pdf("big.pdf", 2000);
    expectUserError(U(...compose(big)), /big\.pdf: .*over the 0\.001 MB limit for one attachment/, /attachment_mb/);
    const a = pdf("a.pdf", 900);
    const b = pdf("b.pdf", 900);
    expectUserError(U(...compose(a, b)), /over the 0\.0015 MB limit for one letter/, /total_mb/);
    expectUserError(U(...compose(a, b), "--json"), /over the 0\.0015 MB limit for one letter/, /total_mb/);

    // The limits are what refused: one small real PDF still goes.
    const ok = run(["--home", home, ...compose(writePdf(join(dir, "small.pdf")))]);
    expect(ok.code, ok.stderr).toBe(0);
  });

  it("an attachment the user cannot read (run unprivileged)", () => {
    const { home: h } = setupHome();
    const before = rowCounts(h);
    chmodSync(dirname(h), 0o755);
    sh("chown", ["-R", `${NOBODY}:${NOBODY}`, h]);
    const secretDir = tempDir();
    chmodSync(secretDir, 0o755);
    const secret = writePdf(join(secretDir, "statement.pdf"));
    chmodSync(secret, 0o600); // owned by root

    const opts: RunOptions = { wrap: UNPRIVILEGED, cwd: "/" };
    const probe = run(["--home", h, "loan", "list"], opts);
    expect(probe.code, `the unprivileged user can use the home: ${probe.stderr}`).toBe(0);
    const r = run(["--home", h, ...compose(secret)], opts);
    expectUserError(r, /--attach .*statement\.pdf: cannot read it \(EACCES\)/, /permission/);
    expect(rowCounts(h)).toEqual(before);
  });
});

describe("drafts: call, edit, discard", () => {
  let home: string;
  let L: Cli;
  let U: Cli;
  const showSha = () => {
    const r = L("show", "1", "--json");
    expect(r.code, r.stderr).toBe(0);
    return sha256(r.stdout);
  };
  /** The CLI with $EDITOR set (or unset) and $VISUAL unset, proving the row counts stay the same. */
  const withEditor = (editor: string | undefined): Cli =>
    unchanged(home, (...args) => run(["--home", home, ...args], { env: { EDITOR: editor, VISUAL: undefined } }));

  beforeAll(() => {
    ({ home, L } = setupHome());
    U = unchanged(home, L);
    const r = L("compose", "assumption", "--loan", "1", "--summary", FACTS);
    if (r.code !== 0) throw new Error(`compose: ${r.stderr}`);
  });

  it("call without --with or --summary, or with a bad date", () => {
    expectUserError(U("call", "1", "--summary", "They said it would be fixed."), /--with is required/, /--with/);
    expectUserError(U("call", "1", "--with", "Agent Smith"), /--summary is required/, /--summary/);
    expectUserError(U("call", "1", "--with", "A", "--summary", "x", "--date", "2026-13-01"), /--date .*not a date/);
    expectUserError(U("note", "1", "   "), /the note is empty/);
  });

  it("edit without an editor names $EDITOR", () => {
    const before = showSha();
    const r = withEditor(undefined)("edit", "1");
    expectUserError(r, /\$EDITOR/, /EDITOR=/);
    expect(showSha()).toBe(before);
  });

  const editors: [string, string, RegExp, RegExp][] = [
    ["exits non-zero", "false", /editor "false" exited with status 1; the draft is unchanged/, /edit again/],
    [
      "inserts an SSN",
      "sed -i 's/^Dear/SSN 123-45-6789. Dear/'",
      /not saved[\s\S]*Social Security number \(\*\*\*-\*\*-6789\)/,
      /--allow-sensitive/,
    ],
    [
      "deletes the account number",
      "sed -i '/^Account number/d'",
      /not saved[\s\S]*no longer states the account number/,
      /fix the letter/,
    ],
    ["empties the letter", "truncate -s 0", /the edited letter is empty; the draft is unchanged/, /edit again/],
  ];
  it.each(editors)("an editor that %s leaves the draft unchanged", (_what, editor, message, hint) => {
    if (editor.includes("Account number")) {
      // The account number must appear only on that line, so that deleting it really removes it.
      const body = json<{ messages: { bodyText: string }[] }>(L("show", "1", "--json")).messages[0]?.bodyText ?? "";
      expect(body).toMatch(/^Account number: 1234567$/m);
      expect(body.split("1234567")).toHaveLength(2);
    }
    const before = showSha();
    const E = withEditor(editor);
    for (const extra of [[], ["--json"]]) {
      const r = E("edit", "1", ...extra);
      expectUserError(r, message, hint);
      expect(r.stderr).not.toContain("123-45-6789");
    }
    expect(showSha()).toBe(before);
  });

  it("discard twice: the second is refused; a discarded case cannot be edited", () => {
    const first = L("discard", "1");
    expect(first.code, first.stderr).toBe(0);
    expectUserError(U("discard", "1"), /case LM-\w{4}-1 is already discarded/);
    expectUserError(U("discard", "1", "--json"), /already discarded/);
    expectUserError(withEditor("true")("edit", "1"), /LM-\w{4}-1 was discarded/);
    expectUserError(U("compose", "follow-up", "--case", "1", "--summary", FACTS), /was discarded/, /--loan/);
  });
});

describe("a damaged home", () => {
  it("loanmail.db that is not a SQLite database is refused and left as it was", () => {
    const { home, L } = setupHome();
    const db = join(home, "loanmail.db");
    writeFileSync(db, "these are my notes, not a database\n".repeat(20));
    const bytes = readFileSync(db);
    const config = readFileSync(join(home, "config.toml"));
    const files = readdirSync(home).sort();
    for (const args of [
      ["cases"],
      ["show", "1"],
      ["cases", "--json"],
      ["compose", "assumption", "--loan", "1", "--summary", FACTS],
      INIT.slice(),
    ]) {
      expectUserError(L(...args), /loanmail\.db is not a loanmail database/, /move that file aside|--home/);
    }
    expect(readFileSync(db).equals(bytes), "loanmail.db unchanged").toBe(true);
    expect(readFileSync(join(home, "config.toml")).equals(config), "config.toml unchanged").toBe(true);
    expect(readdirSync(home).sort()).toEqual(files);
  });

  it("a database of a newer schema is refused by every command and left untouched", () => {
    const { home, L } = setupHome();
    const rw = new Database(join(home, "loanmail.db"));
    rw.pragma("user_version = 999");
    rw.close();
    const before = rowCounts(home);
    const config = readFileSync(join(home, "config.toml"));
    for (const args of [
      ["cases"],
      ["cases", "--json"],
      ["loan", "list"],
      ["servicer", "list"],
      ["show", "1"],
      ["note", "1", "x"],
      ["servicer", "add", "Other", "--domain", "other.test", "--email", "a@other.test"],
      ["compose", "assumption", "--loan", "1", "--summary", FACTS],
      INIT.slice(),
    ]) {
      expectUserError(L(...args), /schema version 999, newer than this loanmail/, /upgrade loanmail/);
    }
    expect(userVersion(home)).toBe(999);
    expect(rowCounts(home)).toEqual(before);
    expect(readFileSync(join(home, "config.toml")).equals(config), "config.toml unchanged").toBe(true);
  });

  it("malformed config.toml names the file and the line; a bad timezone is named", () => {
    const { home, L } = setupHome();
    const U = unchanged(home, L);
    const config = join(home, "config.toml");
    const good = readFileSync(config, "utf8");
    const compose = ["compose", "assumption", "--loan", "1", "--summary", FACTS];

    writeFileSync(config, 'schema = 1\n[user\nname = "x"');
    for (const extra of [[], ["--json"]]) {
      expectUserError(U(...compose, ...extra), /config\.toml is not valid TOML: .*line 2\b/, /fix that line/);
    }
    expectUserError(U(...INIT), /config\.toml is not valid TOML: .*line 2\b/);

    writeFileSync(config, good.replace(/^timezone = .*$/m, 'timezone = "Mars/Base"'));
    expect(readFileSync(config, "utf8")).toContain("Mars/Base");
    expectUserError(U(...compose), /config\.toml \[user\]: timezone "Mars\/Base" is not an IANA time zone/, /Chicago/);

    writeFileSync(config, good.replace(/^schema = 1$/m, "schema = 7"));
    expectUserError(U(...compose), /config\.toml: schema = 7/);
  });
});

describe("no home, unwritable home", () => {
  const mounts: string[] = [];
  afterAll(() => {
    for (const m of mounts) spawnSync("umount", [m]);
  });

  it("no home at all: run init", () => {
    const dir = tempDir();
    for (const args of [["cases"], ["cases", "--json"], ["show", "1"], ["loan", "list"]]) {
      expectUserError(run(["--home", dir, ...args]), /no loanmail home at /, /loanmail init/);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it("init without a TTY names the missing flags and creates nothing", () => {
    const dir = join(tempDir(), "home");
    const hint = /loanmail init --name/;
    expectUserError(run(["--home", dir, "init"]), /init needs --name, --email, --address/, hint);
    expectUserError(run(["--home", dir, "init", "--name", "Jane Q. Doe"]), /init needs --email, --address/, hint);
    expectUserError(run(["--home", dir, "init", "--json"]), /init needs --name, --email, --address/, hint);
    const bad = run(["--home", dir, ...INIT, "--timezone", "Mars/Base"]);
    expectUserError(bad, /timezone "Mars\/Base" is not an IANA time zone/);
    expectUserError(run(["--home", dir, "init", "--name", "J", "--email", "x", "--address", "a"]), /--email x/);
    expect(readdirSync(dirname(dir))).toEqual([]);
  });

  it("init under a folder the user cannot write (unprivileged)", () => {
    const parent = tempDir();
    chmodSync(parent, 0o755); // owned by root
    const r = run(["--home", join(parent, "home"), ...INIT], { wrap: UNPRIVILEGED, cwd: "/" });
    expectUserError(r, /cannot create the loanmail home .*home \(EACCES\)/, /--home/);
    expect(readdirSync(parent)).toEqual([]);
  });

  it("init on a read-only file system", () => {
    const mnt = tempDir();
    // mode=0700: a private (if read-only) folder; a world-writable one would be refused as not private first.
    sh("mount", ["-t", "tmpfs", "-o", "ro,mode=0700", "tmpfs", mnt]);
    mounts.push(mnt);
    // The mount point itself as the home, then a home to be created on it.
    expectUserError(run(["--home", mnt, ...INIT]), /cannot (create|write|open)/, /--home/);
    expectUserError(run(["--home", join(mnt, "home"), ...INIT]), /cannot (create|write|open).*home/, /--home/);
    expect(readdirSync(mnt)).toEqual([]);
  });

  it("a home that belongs to another user is not reported as missing", () => {
    const { home } = setupHome();
    chmodSync(dirname(home), 0o755); // the home itself stays root's, mode 0700
    const before = rowCounts(home);
    const r = run(["--home", home, "cases"], { wrap: UNPRIVILEGED, cwd: "/" });
    expectUserError(r, /permission|EACCES|cannot (read|open)/i);
    expect(r.stderr).not.toMatch(/no loanmail home/);
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("usage errors", () => {
  let dir: string;
  beforeAll(() => {
    dir = tempDir();
  });

  it.each([
    [["cases", "--bogus"], /unknown option '--bogus'/],
    [["show"], /missing required argument 'case'/],
    [["frobnicate"], /unknown command 'frobnicate'/],
    [["cases", "--status", "bogus"], /argument 'bogus' is invalid/],
    [["note", "1"], /missing required argument 'text'/],
    [["loan", "add", "--product", "boat"], /argument 'boat' is invalid/],
  ])("%j exits 2", (args, message) => {
    expectUsageError(run(["--home", dir, ...args]), message);
    expectUsageError(run(["--home", dir, "--json", ...args]), message);
  });

  it("--help exits 0 with usage on stdout", () => {
    for (const args of [["--help"], ["compose", "--help"]]) {
      const r = run(["--home", dir, ...args]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: loanmail/);
      expect(r.stderr).toBe("");
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});
