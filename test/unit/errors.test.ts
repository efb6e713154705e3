import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { hintForCode } from "../../src/cli/error-hints.js";
import { commandLineOf, databaseBusyError, otherRunningCommands, recordRunning } from "../../src/cli/running.js";
import { ERROR_CODES, EXIT, errorCodes, isErrorCode, UserError } from "../../src/errors.js";
import { serverRefused } from "../../src/mail/tls-errors.js";

describe("the error code registry", () => {
  const exitCodes: readonly number[] = Object.values(EXIT);

  it("lists each code once, in SNAKE_CASE, even ignoring case and separators", () => {
    const codes = errorCodes();
    expect(codes.length).toBeGreaterThan(10);
    for (const code of codes) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    const folded = codes.map((c) => c.toLowerCase().replaceAll(/[-_]/g, ""));
    expect(new Set(folded).size).toBe(codes.length);
  });

  it("gives every code a documented exit code other than success, and a description", () => {
    for (const code of errorCodes()) {
      const entry = ERROR_CODES[code];
      expect(exitCodes, code).toContain(entry.exitCode);
      expect(entry.exitCode, code).not.toBe(EXIT.ok);
      expect(entry.description.trim(), code).not.toBe("");
    }
  });

  it("knows its own codes and no others", () => {
    expect(isErrorCode("DATABASE_BUSY")).toBe(true);
    expect(isErrorCode("toString")).toBe(false);
    expect(isErrorCode("database_busy")).toBe(false);
  });
});

const SRC = join(import.meta.dirname, "..", "..", "src");

/** Every .ts file under `dir`, with its text. */
function sourcesUnder(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".ts"))
    .map((name) => ({ path: join(dir, name), text: readFileSync(join(dir, name), "utf8") }));
}

/** Where `new UserError(...)` is called in a file, and whether its second argument is `{ code, ... }`. */
function userErrorCalls(path: string, text: string): { where: string; coded: boolean }[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true);
  const calls: { where: string; coded: boolean }[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "UserError") {
      const options = node.arguments?.[1];
      const coded =
        options !== undefined &&
        ts.isObjectLiteralExpression(options) &&
        options.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === "code");
      const line = file.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      calls.push({ where: `${relative(SRC, path)}:${line}`, coded });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return calls;
}

describe("error codes in the source", () => {
  const sources = sourcesUnder(SRC);

  it("uses every registered code somewhere (a code nobody throws is a promise to scripts that nothing keeps)", () => {
    // Quoted, as code uses a code; the registry's own keys and CLI_HINTS' keys are not quoted.
    const unused = errorCodes().filter((code) => !sources.some((s) => s.text.includes(`"${code}"`)));
    expect(unused).toEqual([]);
  });

  it("gives every UserError below the CLI (domain, store, export, config, mail) a code of its own", () => {
    const floors = ["domain", "store", "export", "config", "mail"].map((floor) => join(SRC, floor));
    const calls = sources
      .filter((s) => floors.some((floor) => s.path.startsWith(`${floor}/`)))
      .flatMap((s) => userErrorCalls(s.path, s.text));
    expect(calls.length).toBeGreaterThan(50);
    expect(calls.filter((c) => !c.coded).map((c) => c.where)).toEqual([]);
  });
});

describe("UserError", () => {
  it("keeps the old constructor; such an error gets the generic code of its exit code", () => {
    const plain = new UserError("no case 9", "list them with loanmail cases");
    expect(plain).toMatchObject({ message: "no case 9", hint: "list them with loanmail cases", exitCode: 1 });
    expect(plain.code).toBe("USER_ERROR");
    expect(new UserError("mismatch", undefined, EXIT.verifyMismatch).code).toBe("VERIFY_MISMATCH");
    expect(new UserError("refused", "check the server", EXIT.mailServer).code).toBe("MAIL_SERVER_ERROR");
  });

  it("takes a code, whose registered exit code it uses unless told otherwise", () => {
    const busy = new UserError("the database is busy", { code: "DATABASE_BUSY", hint: "try again" });
    expect(busy).toMatchObject({
      code: "DATABASE_BUSY",
      hint: "try again",
      exitCode: ERROR_CODES.DATABASE_BUSY.exitCode,
    });
    const other = new UserError("bad", { code: "USER_ERROR", exitCode: EXIT.sendFailed });
    expect(other.exitCode).toBe(EXIT.sendFailed);
    expect(other.hint).toBeUndefined();
  });
});

const ROOT = new URL("../..", import.meta.url).pathname;

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? tsFiles(path) : path.endsWith(".ts") ? [path] : [];
  });
}

/** Every `new UserError(...)` in the file, as "path:line" and whether its second argument is `{ code, ... }`. */
function userErrorSites(path: string): { site: string; coded: boolean }[] {
  const source = ts.createSourceFile(path, readFileSync(path, "utf8"), ts.ScriptTarget.Latest, true);
  const sites: { site: string; coded: boolean }[] = [];
  const hasCode = (arg: ts.Expression | undefined): boolean =>
    arg !== undefined &&
    (ts.isConditionalExpression(arg)
      ? hasCode(arg.whenTrue) && hasCode(arg.whenFalse)
      : ts.isObjectLiteralExpression(arg) &&
        arg.properties.some((p) => p.name !== undefined && ts.isIdentifier(p.name) && p.name.text === "code"));
  const visit = (node: ts.Node): void => {
    if (ts.isNewExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "UserError") {
      const line = source.getLineAndCharacterOfPosition(node.getStart()).line + 1;
      sites.push({ site: `${relative(ROOT, path)}:${line}`, coded: hasCode(node.arguments?.[1]) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

describe("error codes in the app and CLI layers", () => {
  const sites = ["src/app", "src/cli"].flatMap((dir) => tsFiles(join(ROOT, dir)).flatMap(userErrorSites));

  it("finds the UserErrors it checks", () => {
    expect(sites.length).toBeGreaterThan(100);
  });

  it("gives every UserError thrown in src/app and src/cli its own code ({ code } form)", () => {
    expect(sites.filter((s) => !s.coded).map((s) => s.site)).toEqual([]);
  });

  it("keeps the flags out of app hints: the CLI names them for the app's codes", () => {
    expect(hintForCode("OUTPUT_NOT_WRITABLE")).toBe("choose a writable file path for --out");
    expect(hintForCode("PDF_NOT_WRITABLE")).toBe("choose a writable file path for --pdf");
    expect(hintForCode("RESEND_NOT_UNKNOWN")).toContain("--resend-unknown");
    expect(hintForCode("LETTER_HAS_SENSITIVE_NUMBER")).toContain("--allow-sensitive");
    // Codes shared by many sites with hints of their own get no CLI hint, which would replace them all.
    for (const code of ["CASE_DISCARDED", "MISSING_OPTION", "INVALID_DATE", "DATE_IN_FUTURE", "NOTHING_TO_CHANGE"]) {
      expect(isErrorCode(code) && hintForCode(code), code).toBeUndefined();
    }
  });
});

describe("hintForCode", () => {
  it("names the CLI flag for codes whose remedy is one, and leaves other hints alone", () => {
    expect(hintForCode("NOT_A_DATABASE")).toContain("--home");
    expect(hintForCode("BACKUP_NOT_WRITABLE")).toContain("--out");
    expect(hintForCode("TLS_CERTIFICATE_UNTRUSTED")).toContain("--ca-file");
    expect(hintForCode("DATABASE_BUSY")).toBeUndefined();
    expect(hintForCode("CASE_NOT_FOUND")).toBeUndefined();
  });
});

describe("mail server errors", () => {
  const where = "mail.example:465";

  it.each([
    ["self-signed certificate", { code: "DEPTH_ZERO_SELF_SIGNED_CERT" }, "TLS_CERTIFICATE_UNTRUSTED"],
    ["Server does not support STARTTLS", { code: "ETLS" }, "STARTTLS_UNAVAILABLE"],
    ["Invalid login", { code: "EAUTH", response: "535 5.7.8 Authentication failed" }, "MAIL_LOGIN_REFUSED"],
    ["connect ECONNREFUSED 127.0.0.1:465", { code: "ECONNREFUSED" }, "MAIL_CONNECT_FAILED"],
  ])("%s (%j) is %s, exit 4, with a hint in plain words", (message, fields, code) => {
    const e = serverRefused("SMTP", where, Object.assign(new Error(message), fields));
    expect(e).toMatchObject({ code, exitCode: EXIT.mailServer });
    expect(e.message).toContain(`SMTP ${where}`);
    expect(e.hint).toBeTruthy();
    expect(e.hint).not.toMatch(/--[a-z]/);
  });
});

describe("running commands", () => {
  const home = () => mkdtempSync(join(tmpdir(), "loanmail-running-"));

  it("writes a command line as typed, quoting what a shell would split, and cuts a long one", () => {
    expect(commandLineOf(["export", "1", "--out", "case-1.zip"])).toBe("loanmail export 1 --out case-1.zip");
    expect(commandLineOf(["note", "1", "it's late"])).toBe("loanmail note 1 'it'\\''s late'");
    expect(commandLineOf(["note", "1", "x".repeat(500)]).length).toBeLessThanOrEqual(120);
  });

  it("lists the other live commands, ignores and removes records of dead processes", () => {
    const dir = home();
    const forget = recordRunning(dir, "loanmail export 1", process.pid);
    mkdirSync(join(dir, "running"), { recursive: true });
    // pid 2^22 + 1 is above Linux's pid_max: never a live process.
    writeFileSync(join(dir, "running", String(4194305)), "loanmail sync");
    writeFileSync(join(dir, "running", "not-a-pid"), "junk");
    expect(otherRunningCommands(dir, process.pid)).toEqual([]);
    expect(otherRunningCommands(dir, 1)).toEqual([{ pid: process.pid, commandLine: "loanmail export 1" }]);
    expect(readdirSync(join(dir, "running")).sort()).toEqual([String(process.pid), "not-a-pid"].sort());
    forget();
    expect(readdirSync(join(dir, "running"))).toEqual(["not-a-pid"]);
  });

  it("a busy database is a user error naming the other commands", () => {
    const err = databaseBusyError([{ pid: 1234, commandLine: "loanmail export 1" }]);
    expect(err).toBeInstanceOf(UserError);
    expect(err).toMatchObject({ code: "DATABASE_BUSY", exitCode: 1 });
    expect(err.message).toBe("the database is busy: another loanmail command is writing (pid 1234: loanmail export 1)");
    expect(err.hint).toBe("try again when it finishes");
    expect(databaseBusyError([]).message).toBe("the database is busy: another program is using it");
  });
});
