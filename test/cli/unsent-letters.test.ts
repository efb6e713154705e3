/**
 * A letter whose send reached no server never left: it is a draft again, with a `send-failed` event naming the
 * error and the server, so that `cases` and `show` agree, `edit` and `discard` take it as any draft, and the next
 * `send` tries again (issue 14: "a failed send leaves the letter queued while cases says draft and discard
 * refuses"). No mail server: the account points at a closed port on 127.0.0.1, so every connection is refused
 * (ECONNREFUSED) before TLS or a login is reached.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { addMailAccount, json, rowCounts, run, setupHome } from "./helpers.js";

const SUMMARY = "Please verify the balance of my loan as of my statement of 2026-10-01.";
/** The account's password, given in the environment: it must be written nowhere. */
const PASSWORD = "hunter2-never-stored";

function homeWithUnreachableServer() {
  const h = setupHome();
  // The shared account, pointed at a closed port (its later flags win): every send fails before any server.
  addMailAccount(h.L, [
    "--smtp-host",
    "127.0.0.1",
    "--smtp-port",
    "1",
    "--smtp-security",
    "tls",
    "--password-env",
    "PW",
  ]);
  const L = (...args: string[]) => run(["--home", h.home, ...args], { env: { PW: PASSWORD } });
  return { home: h.home, L };
}

interface ShowDoc {
  case: { status: string };
  letters: { id: number; state: string; designationFrozen: boolean; lastFailure: { code: string } | null }[];
  events: { type: string; data: Record<string, unknown> }[];
}

describe("a letter whose send reached no server", () => {
  it("is a draft again in show and cases, the failure recorded with its code and server, no password", () => {
    const { home, L } = homeWithUnreachableServer();
    expect(L("compose", "balance-verification", "--loan", "1", "--summary", SUMMARY).code).toBe(0);
    const sent = L("send", "1");
    expect(sent.code, sent.stderr).toBe(4);
    expect(sent.stderr).toMatch(
      /SMTP 127\.0\.0\.1:1: cannot connect \(.*ECONNREFUSED.*\): nothing was sent; letter 1 is a draft again/,
    );
    expect(sent.stderr).toContain("then try again: loanmail send 1");

    const shown = json<ShowDoc>(L("--json", "show", "1"));
    expect(shown.case.status).toBe("draft");
    expect(shown.letters.map((l) => [l.id, l.state, l.designationFrozen])).toEqual([[1, "draft", false]]);
    expect(shown.letters[0]?.lastFailure?.code).toBe("MAIL_CONNECT_FAILED");
    expect(shown.events.map((e) => e.type)).toEqual(["composed", "queued", "send-failed"]);
    const failed = shown.events.at(-1)?.data;
    expect(failed).toMatchObject({
      code: "MAIL_CONNECT_FAILED",
      server: "127.0.0.1:1",
      phase: "connect",
      retryable: true,
      returned_to: "draft",
    });
    expect(String(failed?.response)).toMatch(/ECONNREFUSED/);

    // `cases` says the same: the case is a draft, as its only letter is.
    const cases = json<{ cases: { id: number; status: string }[] }>(L("--json", "cases"));
    expect(cases.cases.map((c) => [c.id, c.status])).toEqual([[1, "draft"]]);
    const text = L("show", "1").stdout;
    expect(text).toMatch(/Letter 1 {2}balance-verification {2}\[draft\]/);
    expect(text).toMatch(/Send failed .*: SMTP 127\.0\.0\.1:1: cannot connect .* \(nothing left; a draft again\)/);
    expect(L("timeline", "1").stdout).toMatch(/send failed before anything left: .*ECONNREFUSED.* \(a draft again\)/);

    expect(sent.stdout + sent.stderr).not.toContain(PASSWORD);
    expect(readFileSync(join(home, "loanmail.db")).includes(PASSWORD)).toBe(false);
  });

  it("send tries it again (each try on the record), and edit changes it as any draft", () => {
    const { home, L } = homeWithUnreachableServer();
    expect(L("compose", "balance-verification", "--loan", "1", "--summary", SUMMARY).code).toBe(0);
    expect(L("send", "1").code).toBe(4);
    const again = L("send", "1");
    expect(again.code, again.stderr).toBe(4);
    expect(again.stderr).toMatch(/letter 1 is a draft again/);
    const shown = json<ShowDoc>(L("--json", "show", "1"));
    expect(shown.letters.map((l) => l.state)).toEqual(["draft"]);
    expect(shown.events.map((e) => e.type)).toEqual(["composed", "queued", "send-failed", "queued", "send-failed"]);
    // A dry run offers it as the letter to send.
    const dry = json<{ letters: { id: number; state: string }[] }>(L("--json", "send", "1", "--dry-run"));
    expect(dry.letters.map((l) => [l.id, l.state])).toEqual([[1, "would-send"]]);

    const edited = run(["--home", home, "--json", "edit", "1"], {
      env: { EDITOR: "sed -i 's/statement of 2026-10-01/statement of 2026-10-01 (page 2)/'" },
    });
    expect(edited.code, edited.stderr).toBe(0);
    expect(json<{ changed: boolean }>(edited).changed).toBe(true);
    const after = json<{ messages: { bodyText: string }[] }>(L("--json", "show", "1"));
    expect(after.messages[0]?.bodyText).toContain("statement of 2026-10-01 (page 2)");
  });

  it("can be discarded on its own, and is never sent afterwards", () => {
    const { home, L } = homeWithUnreachableServer();
    expect(L("compose", "balance-verification", "--loan", "1", "--summary", SUMMARY).code).toBe(0);
    expect(L("send", "1").code).toBe(4);
    const discarded = L("--json", "discard", "1", "--letter", "1", "--yes");
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(json<ShowDoc>(L("--json", "show", "1")).letters.map((l) => l.state)).toEqual(["discarded"]);
    const before = rowCounts(home);
    const again = L("--json", "send", "1");
    expect(again.code).toBe(1);
    expect(rowCounts(home)).toEqual(before);
  });

  it("goes with its case when the case is discarded", () => {
    const { L } = homeWithUnreachableServer();
    expect(L("compose", "balance-verification", "--loan", "1", "--summary", SUMMARY).code).toBe(0);
    expect(L("send", "1").code).toBe(4);
    const r = L("--json", "discard", "1", "--yes");
    expect(r.code, r.stderr).toBe(0);
    const shown = json<ShowDoc>(L("--json", "show", "1"));
    expect(shown.case.status).toBe("discarded");
    // A draft again, it goes as any draft goes with its case: the row stays a draft of a discarded case.
    expect(shown.letters.map((l) => l.state)).toEqual(["draft"]);
    const again = L("send", "1");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/was discarded/);
  });
});
