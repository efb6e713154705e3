/**
 * A letter whose send failed before any server took it never left: it shows as queued, and `discard` drops it
 * (alone with --letter, or with its case), after which no send picks it up (issue 14: "a failed send leaves the
 * letter queued while cases says draft and discard refuses"). No mail server: the account points at a closed port.
 */
import { describe, expect, it } from "vitest";
import { addMailAccount, json, rowCounts, run, setupHome } from "./helpers.js";

const SUMMARY = "Please verify the balance of my loan as of my statement of 2026-10-01.";

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
  // The password comes from the environment; the server is never reached.
  const L = (...args: string[]) => run(["--home", h.home, ...args], { env: { PW: "not-used" } });
  return { home: h.home, L };
}

describe("a letter whose send failed before it left", () => {
  it("is queued, can be discarded on its own, and is never sent afterwards", () => {
    const { home, L } = homeWithUnreachableServer();
    expect(L("compose", "balance-verification", "--loan", "1", "--summary", SUMMARY).code).toBe(0);
    const sent = L("send", "1");
    expect(sent.code, sent.stderr).toBe(4);
    expect(sent.stderr).toMatch(/cannot connect/);
    const letters = json<{ letters: { id: number; state: string }[] }>(L("--json", "show", "1")).letters;
    expect(letters.map((l) => l.state)).toEqual(["queued"]);

    const discarded = L("--json", "discard", "1", "--letter", String(letters[0]?.id), "--yes");
    expect(discarded.code, discarded.stderr).toBe(0);
    expect(json<{ letters: { state: string }[] }>(L("--json", "show", "1")).letters.map((l) => l.state)).toEqual([
      "discarded",
    ]);
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
    const shown = json<{ case: { status: string }; letters: { state: string }[] }>(L("--json", "show", "1"));
    expect(shown.case.status).toBe("discarded");
    expect(shown.letters.map((l) => l.state)).toEqual(["discarded"]);
    expect(L("send", "1").code).toBe(1);
  });
});
