/**
 * Issue 14's polish list: the timeline CSV's times and columns, the per-servicer line of `stats`, a scan recorded
 * twice, and dates in the future. Each as a user would check it, through the built CLI.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  BIN,
  json,
  mailedNoticeOfError,
  parseCsv,
  ROOT,
  type RunResult,
  rowCounts,
  setupHome,
  tempDir,
  writePdf,
} from "./helpers.js";

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
}

/** The CSV's records as objects keyed by its header. */
function csvObjects(csv: string): Record<string, string>[] {
  expect(csv.startsWith("\ufeff")).toBe(true);
  const [header, ...rows] = parseCsv(csv.slice(1));
  return rows.map((r) => {
    expect(r).toHaveLength(header?.length ?? 0);
    return Object.fromEntries((header ?? []).map((h, i) => [h, r[i] as string]));
  });
}

const ISO_LOCAL = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

describe("timeline --format csv", () => {
  it("has a day on every row, one ISO 8601 local date-time column (empty for a day alone), client and servicer", () => {
    const { L } = setupHome();
    mailedNoticeOfError(L, "9400100000000000000001");
    ok(
      L(
        "received",
        "1",
        "--date",
        "2026-10-09",
        "--file",
        writePdf(`${tempDir()}/ack.pdf`),
        "--class",
        "acknowledgment",
      ),
    );
    const rows = csvObjects(ok(L("timeline", "1", "--format", "csv")).stdout);
    for (const r of rows) {
      expect(r["day (local)"]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      const when = r["when (local)"] as string;
      // Either a whole ISO 8601 date-time with its offset, on the row's day, or nothing: never a date alone.
      if (when !== "") expect(ISO_LOCAL.exec(when)?.[1]).toBe(r["day (local)"]);
      if (r.recorded !== undefined) throw new Error("the old UTC column is gone");
      if (r["recorded (local)"] !== "") expect(r["recorded (local)"]).toMatch(ISO_LOCAL);
      expect(r.client).toBe("Jane Q. Doe");
      expect(r.servicer).toBe("Mr. Cooper");
    }
    // The mailing and delivery dates were typed as days: the day is given, no time is made up.
    const mailed = rows.find((r) => r.event === "mailed");
    expect(mailed).toMatchObject({ "day (local)": "2026-10-01", "when (local)": "" });
    expect(rows.find((r) => r.event === "delivered")).toMatchObject({
      "day (local)": "2026-10-05",
      "when (local)": "",
    });
    // A letter entered later (written 2026-09-30, --dated) sits on the day it was written, a day alone.
    const composed = rows.find((r) => r.event === "composed");
    expect(composed).toMatchObject({ "day (local)": "2026-09-30", "when (local)": "" });
    // The home's zone is America/Chicago: a moment loanmail recorded carries -06:00 (CST) or -05:00 (CDT).
    expect(composed?.["recorded (local)"]).toMatch(/-0[56]:00$/);
    expect(mailed?.["recorded (local)"]).toMatch(/-0[56]:00$/);
    // A missed clock is a day (its lenient due date): ack due 2026-10-13 (helpers: delivered Mon 10-05 + 5 business
    // days, Columbus Day 10-12 skipped); the acknowledgment of 10-09 met it, so no row; the response (due 11-18) missed.
    const missed = rows.filter((r) => r.event === "clock-missed");
    expect(missed.map((r) => [r["day (local)"], r["when (local)"]])).toEqual([["2026-11-18", ""]]);

    // After a transfer the servicer column names the new servicer and the one the letter went to.
    ok(
      L(
        "servicer",
        "add",
        "Rocket",
        "--domain",
        "rocket.test",
        "--email",
        "help@rocket.test",
        "--notice-address",
        "Rocket Mortgage\\nPO Box 442359\\nDetroit, MI 48244",
      ),
    );
    ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654322", "--date", "2026-11-25"));
    const after = csvObjects(ok(L("timeline", "--all", "--format", "csv")).stdout);
    expect(new Set(after.map((r) => r.servicer))).toEqual(new Set(["Rocket (letters went to Mr. Cooper)"]));
  });
});

describe("received --file with bytes already recorded", () => {
  it("records nothing new: the same reply again is reported as the earlier one; another case or day is refused", () => {
    const { home, L } = setupHome();
    mailedNoticeOfError(L, "9400100000000000000002");
    const scan = writePdf(`${tempDir()}/ack.pdf`);
    const first = json<{ message: number; already: boolean }>(
      ok(L("--json", "received", "1", "--date", "2026-10-09", "--file", scan, "--class", "acknowledgment")),
    );
    expect(first.already).toBe(false);
    const before = rowCounts(home);

    // The same scan, case, day and channel (a script run twice): exit 0, the earlier message named, no new row.
    const again = ok(L("received", "1", "--date", "2026-10-09", "--file", scan, "--class", "acknowledgment"));
    expect(again.stdout).toBe(
      `Already recorded: message ${first.message}, an acknowledgment reply received by post on 2026-10-09 for ${tagOf(L)} (the same file); nothing new recorded.\n`,
    );
    expect(json(ok(L("--json", "received", "1", "--date", "2026-10-09", "--file", scan)))).toMatchObject({
      message: first.message,
      on: "2026-10-09",
      class: "acknowledgment",
      already: true,
    });
    expect(rowCounts(home)).toEqual(before);

    // The same bytes as a reply of another day (or under another name): refused, naming the earlier record.
    const copy = `${tempDir()}/renamed.pdf`;
    writeFileSync(copy, readFileSync(scan));
    for (const args of [
      ["received", "1", "--date", "2026-10-14", "--file", scan, "--class", "response"],
      ["received", "1", "--date", "2026-10-09", "--file", copy, "--via", "portal"],
    ]) {
      const r = L("--json", ...args);
      expect(r.code).toBe(1);
      const err = JSON.parse(r.stderr) as { error: { code: string; message: string } };
      expect(err.error.code).toBe("DUPLICATE_SCAN");
      expect(err.error.message).toContain(
        `is already recorded as message ${first.message}, a reply received by post on 2026-10-09 for ${tagOf(L)}; nothing recorded`,
      );
    }
    expect(rowCounts(home)).toEqual(before);
  });
});

/** The tag of case 1. */
function tagOf(L: (...args: string[]) => RunResult): string {
  return json<{ case: { tag: string } }>(ok(L("--json", "show", "1"))).case.tag;
}

describe("dates in the future", () => {
  it("are refused naming the date, with nothing written: a payment on compose, a mailing, a delivery, a reply", () => {
    const { home, L } = setupHome();
    // Three days from now is after today in any time zone.
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    ok(
      L(
        "compose",
        "notice-of-error",
        "--loan",
        "1",
        "--dated",
        "2026-09-30",
        "--set",
        "error=a fee",
        "--summary",
        "A fee was charged in error on my account.",
      ),
    );
    ok(L("mailed", "1", "--tracking", "9400100000000000000003", "--date", "2026-10-01"));
    ok(
      L(
        "compose",
        "information-request",
        "--loan",
        "1",
        "--set",
        "information=the escrow analysis",
        "--summary",
        "Please send the escrow analysis for this year.",
      ),
    );
    const before = rowCounts(home);
    const cases: [string[], RegExp][] = [
      [
        [
          "compose",
          "payment-application",
          "--loan",
          "1",
          "--set",
          `payment-date=${later}`,
          "--set",
          "amount=1500",
          "--summary",
          "My payment was applied to the wrong month.",
        ],
        new RegExp(`--set payment-date=${later} is after this letter's date`),
      ],
      [
        ["mailed", "2", "--tracking", "9400100000000000000004", "--date", later],
        new RegExp(`--date ${later} is in the future`),
      ],
      [["mailed", "1", "--delivered", later], new RegExp(`--delivered ${later} is in the future`)],
      [["sent", "2", "--via", "portal", "--date", later], new RegExp(`--date ${later} is in the future`)],
      [
        ["received", "1", "--date", later, "--file", writePdf(`${tempDir()}/a.pdf`), "--class", "acknowledgment"],
        new RegExp(`--date ${later} is in the future`),
      ],
    ];
    for (const [args, message] of cases) {
      const r = L("--json", ...args);
      expect(r.code, r.stderr).toBe(1);
      const err = JSON.parse(r.stderr) as { error: { code: string; message: string } };
      expect(err.error.code).toBe("DATE_IN_FUTURE");
      expect(err.error.message).toMatch(message);
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("a period that ends after the letter's date (payment-history, information-request) is refused", () => {
    const { home, L } = setupHome();
    // Three days from now is after today in any time zone.
    const later = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    const history = (...set: string[]) => [
      ...["--json", "compose", "payment-history", "--loan", "1"],
      ...set.flatMap((f) => ["--set", f]),
      ...["--summary", "Please send the payment history of my loan."],
    ];
    const before = rowCounts(home);
    const refused: [string[], string, RegExp][] = [
      [
        history("from=2026-01-01", `to=${later}`),
        "DATE_IN_FUTURE",
        new RegExp(`--set to=${later} is after this letter's date \\(\\d{4}-\\d{2}-\\d{2}\\)`),
      ],
      [
        history(`from=${later}`, `to=${later}`),
        "DATE_IN_FUTURE",
        new RegExp(`--set from=${later} is after this letter's date`),
      ],
      // Written on Mon 2026-07-20 (--dated): a period through Fri 07-31 had not ended on the letter's date.
      [
        [...history("from=2026-01-01", "to=2026-07-31"), "--dated", "2026-07-20"],
        "DATE_IN_FUTURE",
        /--set to=2026-07-31 is after this letter's date \(2026-07-20\)/,
      ],
      [
        [
          ...["--json", "compose", "information-request", "--loan", "1", "--set", "information=the escrow analysis"],
          ...["--set", `to=${later}`, "--summary", "Please send the escrow analysis."],
        ],
        "DATE_IN_FUTURE",
        new RegExp(`--set to=${later} is after this letter's date`),
      ],
      [
        history("from=2026-06-30", "to=2026-01-01"),
        "DATES_OUT_OF_ORDER",
        /--set from=2026-06-30 is after --set to=2026-01-01/,
      ],
    ];
    for (const [args, code, message] of refused) {
      const r = L(...args);
      expect(r.code, r.stderr).toBe(1);
      const err = JSON.parse(r.stderr) as { error: { code: string; message: string } };
      expect(err.error.code).toBe(code);
      expect(err.error.message).toMatch(message);
    }
    expect(rowCounts(home)).toEqual(before);
    // A period that ends on the letter's own date is history by then: accepted (Mon 2026-07-20 through 07-20).
    ok(L(...history("from=2026-01-01", "to=2026-07-20"), "--dated", "2026-07-20"));
  });
});

describe("installed with npm i -g .", () => {
  // What a user does from a clone: a global install of the folder (npm links it; offline, nothing is fetched),
  // then `loanmail` from the prefix's bin in another working directory.
  it("gives a loanmail on the prefix's PATH that runs --version and kinds", () => {
    const prefix = tempDir("loanmail-npm-prefix-");
    const npm = spawnSync("npm", ["i", "-g", ROOT, "--prefix", prefix, "--offline", "--no-audit", "--no-fund"], {
      encoding: "utf8",
      cwd: tempDir("loanmail-cwd-"),
      env: { ...process.env, npm_config_update_notifier: "false" },
    });
    expect(npm.status, npm.stderr).toBe(0);
    const installed = (...args: string[]) =>
      spawnSync("loanmail", args, {
        encoding: "utf8",
        cwd: tempDir("loanmail-cwd-"),
        env: { PATH: `${join(prefix, "bin")}:${process.env.PATH}`, HOME: process.env.HOME, NO_COLOR: "1" },
      });
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    const version = installed("--version");
    expect(version.status, version.stderr).toBe(0);
    expect(version.stdout.trim()).toBe(pkg.version);
    expect(installed("kinds").stdout).toMatch(/^notice-of-error\s+Notice of Error/m);
  }, 120_000);
});

describe("an installed loanmail (npm link)", () => {
  // `npm link` and `npm i -g .` put a symlink to bin/loanmail.js on the PATH (the packed tarball would need the
  // registry for its dependencies): a symlink in another folder, run from another working directory; templates
  // must be found from the package.
  it("runs through a symlinked bin from anywhere: --version, kinds, and a letter composed from its template", () => {
    const prefix = tempDir("loanmail-prefix-");
    mkdirSync(join(prefix, "bin"));
    symlinkSync(BIN, join(prefix, "bin", "loanmail"));
    const elsewhere = tempDir("loanmail-cwd-");
    const linked = (...args: string[]): RunResult => {
      const r = spawnSync(join(prefix, "bin", "loanmail"), args, {
        encoding: "utf8",
        cwd: elsewhere,
        env: { PATH: process.env.PATH, HOME: process.env.HOME, NO_COLOR: "1" },
      });
      return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
    };
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect(ok(linked("--version")).stdout.trim()).toBe(pkg.version);
    expect(ok(linked("kinds")).stdout).toMatch(/^notice-of-error\s+Notice of Error/m);
    const { home } = setupHome();
    const composed = json<{ message: { id: number } }>(
      ok(
        linked(
          "--home",
          home,
          "--json",
          "compose",
          "owner-request",
          "--loan",
          "1",
          "--summary",
          "Please tell me who owns my loan.",
        ),
      ),
    );
    expect(ok(linked("--home", home, "show-message", String(composed.message.id))).stdout).toContain(
      "12 C.F.R. 1024.36",
    );
  });
});

describe("show names the case's escalation step in text, as --json does", () => {
  it("a formal notice of error stands on the formal step", () => {
    const { L } = setupHome();
    ok(
      L(
        "compose",
        "notice-of-error",
        "--loan",
        "1",
        "--set",
        "error=the payment sits in suspense",
        "--summary",
        "I paid.",
      ),
    );
    const first = ok(L("show", "1")).stdout.split("\n")[0] ?? "";
    expect(first).toMatch(/status: draft {2}escalation step: formal$/);
    expect(json<{ escalationStep: string }>(ok(L("--json", "show", "1"))).escalationStep).toBe("formal");
  });
});
