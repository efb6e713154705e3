/**
 * The mail commands' checks that need no server: account configuration (and that no password is ever written),
 * send's refusals, sent/import/file/classify on the record. The server side is in test/integration.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, setupHome, tempDir } from "./helpers.js";

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
}

const ACCOUNT = [
  "account",
  "set",
  "--email",
  "jane@example.test",
  "--smtp-host",
  "127.0.0.1",
  "--smtp-port",
  "1",
  "--smtp-security",
  "starttls",
  "--imap-host",
  "127.0.0.1",
  "--imap-port",
  "1",
  "--imap-security",
  "tls",
];

describe("account set", () => {
  it("stores the account with a password reference, never a password", () => {
    const { home, L } = setupHome();
    const r = L("--json", ...ACCOUNT, "--password-env", "MY_MAIL_PASSWORD", "--mailbox", "INBOX", "--mailbox", "\\All");
    expect(r.code).toBe(0);
    const config = readFileSync(join(home, "config.toml"), "utf8");
    expect(config).toContain('password_env = "MY_MAIL_PASSWORD"');
    expect(config).toMatch(/mailboxes = \[\s*"INBOX",\s*"\\\\All"\s*\]/);
    expect(config).not.toMatch(/^\s*password\s*=/m);
  });

  it("refuses an account without a password source, with two, or with plaintext security", () => {
    const { home, L } = setupHome();
    const before = readFileSync(join(home, "config.toml"), "utf8");
    const none = L(...ACCOUNT);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/no password source/);
    const two = L(...ACCOUNT, "--password-env", "A", "--password-command", "pass show mail");
    expect(two.code).toBe(1);
    expect(two.stderr).toMatch(/several password sources/);
    const plain = L(...ACCOUNT.map((a) => (a === "starttls" ? "none" : a)), "--password-env", "A");
    expect(plain.code).toBe(2);
    expect(readFileSync(join(home, "config.toml"), "utf8")).toBe(before);
  });

  it("refuses a config.toml that holds a password", () => {
    const { home, L } = setupHome();
    L(...ACCOUNT, "--password-env", "A");
    const path = join(home, "config.toml");
    writeFileSync(
      path,
      readFileSync(path, "utf8").replace('password_env = "A"', 'password_env = "A"\npassword = "hunter2"'),
    );
    L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?");
    const r = L("send", "1", "--dry-run");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/config\.toml holds a password/);
    expect(r.stderr).not.toContain("hunter2");
  });

  it("fails a missing password variable before touching the network, naming the variable", () => {
    const { L } = setupHome();
    L(...ACCOUNT, "--password-env", "NOT_SET_ANYWHERE");
    L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?");
    const r = L("sync");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/NOT_SET_ANYWHERE is not set/);
  });
});

describe("send refusals", () => {
  it("refuses a post letter, naming show --pdf and mailed, and a case with nothing to send", () => {
    const { home, L } = setupHome();
    L(
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--set",
      "error=fee charged on a timely payment",
      "--summary",
      "See the March statement.",
    );
    const before = rowCounts(home);
    const post = L("send", "1");
    expect(post.code).toBe(1);
    expect(post.stderr).toMatch(/goes by post/);
    expect(post.stderr).toMatch(/show 1 --pdf/);
    expect(post.stderr).toMatch(/mailed 1/);
    expect(rowCounts(home)).toEqual(before);
  });

  it("a letter already mailed is not sent again: it says the letter was mailed, not to compose one", () => {
    const { home, L } = setupHome();
    L("compose", "notice-of-error", "--loan", "1", "--set", "error=fee charged", "--summary", "See March.");
    expect(L("mailed", "1", "--tracking", "9407111899560000000001").code).toBe(0);
    L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?");
    expect(L("discard", "2", "--yes").code).toBe(0);
    const before = rowCounts(home);
    const r = L("send", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/has nothing to send: letter 1 was mailed/);
    expect(r.stderr).not.toMatch(/compose a letter first|no mail account/);
    expect(L("send", "2").stderr).toMatch(/was discarded: nothing is sent from it/);
    expect(rowCounts(home)).toEqual(before);
  });

  it("without an account, says how to add one", () => {
    const { L } = setupHome();
    L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?");
    const r = L("send", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no mail account is set up/);
    expect(r.stderr).toMatch(/account set/);
  });

  it("shows a dry run without sending or changing anything", () => {
    const { home, L } = setupHome();
    L(...ACCOUNT, "--password-env", "A");
    L(
      "compose",
      "assumption",
      "--loan",
      "1",
      "--summary",
      "Can my son assume the loan?",
      "--cc",
      "counselor@example.org",
    );
    const before = rowCounts(home);
    const r = L("--json", "send", "1", "--dry-run");
    expect(r.code).toBe(0);
    const doc = json<{ dryRun: boolean; letters: { state: string; envelope: { from: string; to: string[] } }[] }>(r);
    expect(doc.dryRun).toBe(true);
    expect(doc.letters[0]?.state).toBe("would-send");
    expect(doc.letters[0]?.envelope).toEqual({
      from: "jane@example.test",
      to: ["help@servicer.test", "counselor@example.org", "jane@example.test"],
    });
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("sent, import, file, classify", () => {
  it("records a portal upload with its confirmation, then imports, files and reclassifies a reply", () => {
    const { L } = setupHome();
    L(
      "compose",
      "information-request",
      "--loan",
      "1",
      // Written and uploaded Mon 2026-11-02, recorded later.
      "--dated",
      "2026-11-02",
      "--set",
      "information=the 2025 escrow disbursement ledger",
      "--summary",
      "Escrow went up.",
    );
    const proof = join(tempDir(), "confirmation.png");
    writeFileSync(proof, "portal confirmation 7781");
    const sent = L("--json", "sent", "1", "--via", "portal", "--date", "2026-11-02", "--file", proof);
    expect(sent.code).toBe(0);
    expect(json(sent)).toMatchObject({ via: "portal", sentOn: "2026-11-02" });
    expect(L("sent", "1", "--via", "portal", "--date", "2026-11-02").code).toBe(1);

    const eml = join(tempDir(), "reply.eml");
    writeFileSync(
      eml,
      [
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        "Subject: Your escrow question",
        "Date: Tue, 3 Nov 2026 10:00:00 -0600",
        "Message-ID: <r1@servicer.test>",
        "",
        "We have received your request and will respond within 30 business days.",
        "",
      ].join("\r\n"),
    );
    const imported = L("--json", "import", eml, eml);
    expect(imported.code).toBe(0);
    const rows = json<{ imported: { message: number; new: boolean; case: number | null; class: string }[] }>(
      imported,
    ).imported;
    expect(rows[0]).toMatchObject({ new: true, case: null, class: "acknowledgment" });
    expect(rows[1]).toMatchObject({ new: false, message: rows[0]?.message });
    const cases = json<{ unfiled: { id: number; servicerName: string }[] }>(L("--json", "cases"));
    expect(cases.unfiled).toEqual([expect.objectContaining({ id: rows[0]?.message, servicerName: "Mr. Cooper" })]);

    const msg = String(rows[0]?.message);
    expect(L("file", msg, "1").code).toBe(0);
    expect(json<{ unfiled: unknown[] }>(L("--json", "cases")).unfiled).toHaveLength(0);
    expect(L("classify", msg, "bogus").code).toBe(1);
    expect(L("classify", msg, "response").code).toBe(0);
    const show = json<{ message: { replyClass: string; caseTag: string } }>(L("--json", "show-message", msg));
    expect(show.message).toMatchObject({ replyClass: "response" });
    const events = json<{ events: { type: string }[] }>(L("--json", "show", "1")).events.map((e) => e.type);
    expect(events).toEqual(["composed", "sent", "filed", "classified"]);
  });

  it("file warns when the reply's subject carries another case's tag (it answers that letter, not this one's)", () => {
    const { L } = setupHome();
    ok(L("compose", "payoff-statement", "--loan", "1", "--set", "good-through=2026-12-31", "--summary", "Payoff."));
    const eml = join(tempDir(), "other-home.eml");
    writeFileSync(
      eml,
      [
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        "Subject: Re: Notice of error [LM-ZZZZ-7]",
        "Date: Tue, 3 Nov 2026 10:00:00 -0600",
        "Message-ID: <other-home@servicer.test>",
        "",
        "We received your notice of error.",
        "",
      ].join("\r\n"),
    );
    const msg = String(json<{ imported: { message: number }[] }>(ok(L("--json", "import", eml))).imported[0]?.message);
    const filed = L("--json", "file", msg, "1");
    expect(filed.code).toBe(0);
    expect(json<{ warnings: string[] }>(filed).warnings).toEqual([
      expect.stringMatching(new RegExp(`^message ${msg}'s subject carries the tag LM-ZZZZ-7, not LM-[A-Z0-9]{4}-1's`)),
    ]);
    expect(filed.stderr).toContain("carries the tag LM-ZZZZ-7");
  });

  it("refuses to import a file that is not a message", () => {
    const { home, L } = setupHome();
    const bad = join(tempDir(), "photo.eml");
    writeFileSync(bad, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]));
    const before = rowCounts(home);
    const r = L("import", bad);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/does not look like an email message/);
    expect(rowCounts(home)).toEqual(before);
  });
});
