/**
 * A reply the classifier is not sure of, as the user meets it on the command line: `due` names it first,
 * `show` and `show-message` say it meets no clock and why, `classify --explain` shows what decided, and
 * `classify MSG CLASS` records the answer. Bad calls change nothing.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, rowCounts, setupHome, tempDir } from "./helpers.js";

/** The classifier reads this as an acknowledgment, but only about 51% sure: below the 85% that meets a clock. */
const UNSURE = "Regarding your account, a representative will call you.";

function homeWithUnsureReply() {
  const { home, L } = setupHome();
  const composed = L(
    "--json",
    "compose",
    "information-request",
    "--loan",
    "1",
    // Written before it was uploaded on 11-02 (a letter cannot leave before it was written).
    "--dated",
    "2026-10-30",
    "--set",
    "information=the 2025 escrow disbursement ledger",
    "--summary",
    "Escrow went up.",
  );
  const tag = json<{ case: { tag: string } }>(composed).case.tag;
  expect(L("sent", "1", "--via", "portal", "--date", "2026-11-02").code).toBe(0);
  const eml = join(tempDir(), "reply.eml");
  writeFileSync(
    eml,
    [
      "From: Customer Care <care@servicer.test>",
      "To: jane@example.test",
      `Subject: Re: Request for Information [${tag}]`,
      "Date: Tue, 3 Nov 2026 10:00:00 -0600",
      "Message-ID: <unsure@servicer.test>",
      "",
      UNSURE,
      "",
    ].join("\r\n"),
  );
  const imported = json<{ imported: { message: number; case: number; class: string }[] }>(L("--json", "import", eml));
  expect(imported.imported[0]).toMatchObject({ case: 1, class: "needs-review" });
  return { home, L, tag, msg: String(imported.imported[0]?.message) };
}

describe("a reply that needs review", () => {
  it("due lists it first, with what to do; show and show-message say it meets no clock, and why", () => {
    const { L, tag, msg } = homeWithUnsureReply();
    const due = L("due");
    expect(due.code).toBe(0);
    const first = due.stdout.split("\n")[0] ?? "";
    expect(first).toMatch(
      new RegExp(
        `^NEEDS REVIEW: a reply arrived on \\d{4}-\\d{2}-\\d{2} for ${tag}; read it and classify it ` +
          `\\(loanmail show-message ${msg}, then loanmail classify ${msg} CLASS\\)\\. It meets no clock until then\\.$`,
      ),
    );
    const doc = json<{ needsReview: { case: string; message: number; receivedOn: string }[] }>(L("--json", "due"));
    expect(doc.needsReview).toEqual([
      {
        client: "Jane Q. Doe",
        case: tag,
        caseId: 1,
        message: Number(msg),
        receivedOn: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    ]);

    expect(L("show", "1").stdout).toContain(
      `NEEDS REVIEW: meets no clock until you classify it: loanmail classify ${msg} CLASS (why: loanmail classify ${msg} --explain)`,
    );
    const shown = L("show-message", msg).stdout;
    expect(shown).toMatch(
      /^Class: needs-review: the classifier was \d+% sure it is acknowledgment; it meets no clock until you classify it$/m,
    );
    expect(shown).toMatch(
      /^Why: needs review: \d+% sure it is acknowledgment, below the 85% needed to meet a clock; /m,
    );
  });

  it("classify --explain shows the probabilities and the words that decided, and writes nothing", () => {
    const { home, L, msg } = homeWithUnsureReply();
    const before = rowCounts(home);
    const r = L("classify", msg, "--explain");
    expect(r.code).toBe(0);
    const text = r.stdout;
    expect(text).toMatch(
      new RegExp(`^Message ${msg}: class needs-review \\(set by the classifier when it arrived\\)$`, "m"),
    );
    expect(text).toMatch(/^The classifier reads it now as: needs-review \(best guess acknowledgment\)$/m);
    expect(text).toMatch(/^Probabilities: acknowledgment \d+%, /m);
    expect(text).toMatch(/^What made it acknowledgment rather than [a-z-]+ \(log-odds\):\n {2}\+\d+\.\d\d {2}\S/m);
    expect(text).toMatch(
      /response or exception 80%, acknowledgment or extension 85%, other or documents-requested 30%/,
    );
    const doc = json<{ explanation: { now: { guess: string; confidence: number } } }>(
      L("--json", "classify", msg, "--explain"),
    );
    expect(doc.explanation.now.guess).toBe("acknowledgment");
    expect(doc.explanation.now.confidence).toBeLessThan(0.85);
    expect(rowCounts(home)).toEqual(before);
  });

  it("classify records the user's answer: the reply leaves the review list and says who set its class", () => {
    const { L, msg } = homeWithUnsureReply();
    const r = L("classify", msg, "acknowledgment");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe(`Message ${msg} is now acknowledgment (was needs-review).`);
    expect(L("due").stdout).not.toContain("NEEDS REVIEW");
    expect(L("show-message", msg).stdout).toMatch(/^Class: acknowledgment \(set by you on \d{4}-\d{2}-\d{2}\)$/m);
    expect(L("classify", msg, "--explain").stdout).toMatch(
      new RegExp(
        `^Message ${msg}: class acknowledgment \\(set by you\\)\\n.*\\n\\d{4}-\\d{2}-\\d{2}: you changed it from needs-review to acknowledgment$`,
        "m",
      ),
    );
  });

  it("refuses classify with neither a class nor --explain, or with both, changing nothing", () => {
    const { home, L, msg } = homeWithUnsureReply();
    const before = rowCounts(home);
    const none = L("--json", "classify", msg);
    expect(none.code).toBe(1);
    expect(JSON.parse(none.stderr)).toMatchObject({
      error: { code: "CLASSIFY_NEEDS_CLASS", message: "classify needs a class, or --explain" },
    });
    const both = L("classify", msg, "acknowledgment", "--explain");
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("give a class to record, or --explain to see how the class was decided, not both");
    expect(L("classify", msg, "needs-review").code).toBe(1);
    expect(rowCounts(home)).toEqual(before);
  });
});
