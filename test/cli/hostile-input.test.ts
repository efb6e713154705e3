/**
 * Hostile or mistyped input (issue 13, "Hostile content" and "Refusals change nothing"): control characters in
 * typed names, hosts and bodies; config.toml values of the wrong type; contradictory flags; an empty --home; and
 * error text that quotes escape sequences. Each is a clear refusal with the exit code of its kind, the database
 * unchanged, and nothing raw reaching the terminal.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addMailAccount, type RunResult, rowCounts, run, setupHome, tempDir } from "./helpers.js";

const ESC = "\u001b";
const SUMMARY = "My statement of 2026-10-01 shows a balance I cannot reconcile with my payments.";

/** A refusal as a script reads it: the exit code, the error code, nothing on stdout. */
function expectRefused(r: RunResult, exit: number, code: string): string {
  expect(r.code, r.stderr).toBe(exit);
  expect(r.stdout).toBe("");
  const doc = JSON.parse(r.stderr) as { error: { code: string; message: string } };
  expect(doc.error.code).toBe(code);
  return doc.error.message;
}

describe("control characters in what a user types", () => {
  const { home, L } = setupHome();

  it("names, hosts and postal addresses refuse ESC, BEL, NUL-like controls and bidi overrides, naming the flag", () => {
    const before = rowCounts(home);
    const cases: [string[], RegExp][] = [
      [
        ["servicer", "add", "Evil\u202eCorp", "--email", "a@evil.test", "--domain", "evil.test"],
        /<name> contains U\+202E \(right-to-left override\) at character 5/,
      ],
      [["loan", "set", "1", "--borrower", `Jane${ESC}]0;owned\u0007`], /--borrower contains U\+001B \(ESC\)/],
      // A line break by another name, and invisible characters that make a look-alike name.
      [["loan", "set", "1", "--borrower", "Jane\u2028Doe"], /--borrower contains U\+2028 \(line separator\)/],
      [["loan", "set", "1", "--borrower", "Ja\u200bne Doe"], /--borrower contains U\+200B \(zero-width space\)/],
      [["loan", "set", "1", "--borrower", "Jane Doe\u{E0041}"], /--borrower contains U\+E0041 \(tag character\)/],
      [
        ["servicer", "set", "Mr. Cooper", "--notice-address", `PO Box 1${ESC}[2J`],
        /--notice-address contains U\+001B \(ESC\)/,
      ],
      [
        ["compose", "balance-verification", "--loan", "1", "--summary", `${SUMMARY}\u0007`],
        /--summary contains U\+0007 \(BEL\)/,
      ],
      [
        [
          "account",
          "set",
          "--email",
          "jane@example.test",
          "--smtp-host",
          'smtp.example.test\n"x',
          "--imap-host",
          "imap.example.test",
          "--password-env",
          "PW",
        ],
        /--smtp-host contains U\+000A \(newline\)/,
      ],
    ];
    for (const [args, message] of cases) {
      const text = expectRefused(L("--json", ...args), 1, "CONTROL_CHARACTER");
      expect(text, args.join(" ")).toMatch(message);
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("a multi-line summary keeps its line breaks and tabs", () => {
    const r = L(
      "--json",
      "compose",
      "balance-verification",
      "--loan",
      "1",
      "--summary",
      `${SUMMARY}\n\tThe difference is $412.50.`,
    );
    expect(r.code, r.stderr).toBe(0);
  });

  it("a host with a quote but no control character is not a host", () => {
    const r = L(
      "--json",
      "account",
      "set",
      "--email",
      "jane@example.test",
      "--smtp-host",
      'smtp.example.test"x',
      "--imap-host",
      "imap.example.test",
      "--password-env",
      "PW",
    );
    expect(expectRefused(r, 1, "MAIL_ACCOUNT_INVALID")).toMatch(
      /smtp\.host "smtp\.example\.test\\"x" is not a host name/,
    );
  });

  it("init refuses a right-to-left override in the name and creates no home", () => {
    const fresh = join(tempDir(), "home");
    const r = run([
      "--home",
      fresh,
      "--json",
      "init",
      "--name",
      "Jane\u202eeoD",
      "--email",
      "j@example.test",
      "--address",
      "1 Elm St",
    ]);
    expectRefused(r, 1, "CONTROL_CHARACTER");
    expect(existsSync(fresh)).toBe(false);
  });

  it("a body file with NUL bytes is refused by name and position", () => {
    const file = join(tempDir(), "body.txt");
    writeFileSync(file, `${SUMMARY}\u0000\u0000`);
    const before = rowCounts(home);
    const text = expectRefused(
      L("--json", "compose", "balance-verification", "--loan", "1", "--body-file", file),
      1,
      "CONTROL_CHARACTER",
    );
    expect(text).toContain(`--body-file ${file} contains U+0000 (NUL) at character ${SUMMARY.length + 1}`);
    expect(rowCounts(home)).toEqual(before);
  });

  it("a body file that is not UTF-8 (Windows-1252) is refused, not sent with its accents turned into U+FFFD", () => {
    const file = join(tempDir(), "body.txt");
    // "Pagué" in Windows-1252: the é is the single byte 0xE9, which is not UTF-8.
    writeFileSync(
      file,
      Buffer.concat([Buffer.from(`${SUMMARY} Pagu`), Buffer.from([0xe9]), Buffer.from(" a tiempo.")]),
    );
    const before = rowCounts(home);
    const text = expectRefused(
      L("--json", "compose", "balance-verification", "--loan", "1", "--body-file", file),
      1,
      "NOT_UTF8_TEXT",
    );
    expect(text).toContain(`--body-file ${file} is not UTF-8 text`);
    expect(text).toContain(`at character ${SUMMARY.length + 6}`);
    expect(rowCounts(home)).toEqual(before);
  });

  it("a body file written on Windows (CRLF) is read as lines", () => {
    const file = join(tempDir(), "body.txt");
    writeFileSync(file, `${SUMMARY}\r\nThe difference is $412.50.\r\n`);
    const r = L("--json", "compose", "balance-verification", "--loan", "1", "--body-file", file);
    expect(r.code, r.stderr).toBe(0);
  });
});

describe("error text is made safe for the terminal", () => {
  const { L } = setupHome();
  it("a typed file name with an OSC title sequence is refused without echoing the sequence", () => {
    const r = L("import", join(tempDir(), `x${ESC}]0;pwned\u0007.eml`));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("<files> contains U+001B (ESC)");
    expect(r.stderr).not.toContain(ESC);
    expect(r.stderr).not.toContain("\u0007");
  });
  it("an unknown option with an escape sequence is quoted safely", () => {
    const r = L("cases", `--bad${ESC}[2J`);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toContain(ESC);
  });
});

describe("config.toml values of the wrong type name the key and the type", () => {
  const { home, L } = setupHome();
  const config = join(home, "config.toml");
  const original = readFileSync(config, "utf8");
  const withTop = (line: string) =>
    original.replace("schema = 1\n", `schema = 1\n${line}\n`).replace(/\[limits\][^[]*/, "");

  it.each([
    ["limits = 5", /limits must be a table \(\[limits\]\), not a number/],
    ["accounts = [1, 2]", /accounts must be a table \(\[accounts\]\), not an array/],
  ])("%s", (line, message) => {
    writeFileSync(config, withTop(line).replace(/\[accounts\][^[]*/, ""));
    try {
      expect(expectRefused(L("--json", "due"), 1, "CONFIG_INVALID")).toMatch(message);
    } finally {
      writeFileSync(config, original);
    }
  });

  it("a password source of the wrong type names the key and the type, not 'no password source'", () => {
    addMailAccount(L);
    const withAccount = readFileSync(config, "utf8");
    writeFileSync(config, withAccount.replace(/^password_env = .*$/m, "password_command = 5"));
    try {
      expect(expectRefused(L("--json", "account", "test"), 1, "PASSWORD_SOURCE_INVALID")).toBe(
        'account "default": password_command must be a list of words or a string, not number',
      );
    } finally {
      writeFileSync(config, original);
    }
  });

  it("a name holding an escape sequence is refused, naming the key", () => {
    writeFileSync(config, original.replace(/^name = "(.*)"$/m, `name = "$1\\u001b[2J"`));
    try {
      expect(expectRefused(L("--json", "due"), 1, "CONTROL_CHARACTER")).toMatch(
        /\[user\]: name contains U\+001B \(ESC\)/,
      );
    } finally {
      writeFileSync(config, original);
    }
  });
});

describe("contradictory flags and an empty home", () => {
  const { home, L } = setupHome();
  it("--formal --no-formal together is a usage error (exit 2) and writes nothing", () => {
    const before = rowCounts(home);
    const r = L(
      "--json",
      "compose",
      "balance-verification",
      "--loan",
      "1",
      "--summary",
      SUMMARY,
      "--formal",
      "--no-formal",
    );
    expect(expectRefused(r, 2, "CONFLICTING_OPTIONS")).toBe("--formal and --no-formal contradict each other");
    expect(rowCounts(home)).toEqual(before);
  });
  it("--loan and --case together is a usage error (exit 2) and writes nothing", () => {
    const before = rowCounts(home);
    const r = L("--json", "compose", "balance-verification", "--loan", "1", "--case", "1", "--summary", SUMMARY);
    expect(expectRefused(r, 2, "COMPOSE_LOAN_AND_CASE")).toBe("give --loan or --case, not both");
    expect(rowCounts(home)).toEqual(before);
  });
  it('--home "" is refused rather than read as the current folder', () => {
    const cwd = tempDir();
    const r = run(
      ["--home", "", "--json", "init", "--name", "Jane", "--email", "j@example.test", "--address", "1 Elm"],
      { cwd },
    );
    expectRefused(r, 1, "HOME_EMPTY");
    expect(existsSync(join(cwd, "loanmail.db"))).toBe(false);
    expectRefused(run(["--json", "cases"], { env: { LOANMAIL_HOME: "" }, cwd }), 1, "HOME_EMPTY");
  });
  it("timeline --format csv --json asks for two formats: a usage error", () => {
    const r = L("--json", "timeline", "--all", "--format", "csv");
    expect(expectRefused(r, 2, "CONFLICTING_OPTIONS")).toMatch(/--json and --format csv/);
    expect(L("--json", "timeline", "--all", "--format", "json").code).toBe(0);
  });
  it("authorization add names --file, not --attach, for a missing form", () => {
    const r = L(
      "--json",
      "authorization",
      "add",
      "--loan",
      "1",
      "--file",
      "/nonexistent/form.pdf",
      "--authorized",
      "Springfield Housing",
      "--signed-on",
      "2026-11-02",
    );
    const doc = JSON.parse(r.stderr) as { error: { message: string; hint: string } };
    expect(r.code).toBe(1);
    expect(doc.error.message).toContain("--file /nonexistent/form.pdf");
    expect(doc.error.hint).not.toContain("exhibit");
  });
});
