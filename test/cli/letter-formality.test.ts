/**
 * A letter's legal effect is its own: a formal notice of error added to a case that an ordinary letter opened
 * starts the Reg X clocks when it is delivered to the designated address (12 C.F.R. 1024.35(c)), and the
 * ordinary letter beside it still starts none. Dates are counted by hand below (d1 = the first business day
 * after delivery); `--as-of` keeps the result independent of the day the test runs.
 */
import { describe, expect, it } from "vitest";
import { json, type RunResult, setupHome } from "./helpers.js";

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

interface DueDoc {
  clocks: {
    case: string | null;
    id: string;
    dueLenient: string | null;
    status: string;
    businessDaysLate: number | null;
  }[];
  options: { case: string; id: string; until: string }[];
}

describe("a formal letter added to an existing case", () => {
  it("starts the notice-of-error clocks from its own delivery", () => {
    const { L } = setupHome();
    // Case 1 opens with an ordinary payment-application letter, written (--dated) and uploaded through a portal
    // on 2026-10-05.
    ok(
      L(
        "compose",
        "payment-application",
        "--no-formal",
        "--loan",
        "1",
        "--dated",
        "2026-10-05",
        "--set",
        "payment-date=2026-10-01",
        "--set",
        "amount=1500",
        "--summary",
        "On October 1, 2026 I paid $1,500.00 online; it sits in suspense.",
      ),
    );
    ok(L("sent", "1", "--via", "portal", "--date", "2026-10-05"));
    // Then a notice of error (formal by default: certified mail to the notice address) in the same case.
    const added = json<{ case: { tag: string }; message: { formal: boolean; channel: string } }>(
      ok(
        L(
          "--json",
          "compose",
          "notice-of-error",
          "--case",
          "1",
          // Written Fri 10-30, mailed Mon 11-02.
          "--dated",
          "2026-10-30",
          "--set",
          "error=my payment of $1,500.00 made on 2026-10-01 was placed in suspense",
          "--summary",
          "My earlier letter brought no correction.",
        ),
      ),
    );
    expect(added.message).toMatchObject({ formal: true, channel: "post" });
    const tag = added.case.tag;
    ok(L("mailed", "1", "--tracking", "9407111899560000000077", "--date", "2026-11-02", "--delivered", "2026-11-05"));

    // Delivered Thu 2026-11-05.
    //   acknowledgment (5): d1 Fri 11-06, d2 Mon 11-09, d3 Tue 11-10, Wed 11-11 Veterans Day (skip), d4 Thu 11-12,
    //   d5 Fri 11-13. On Fri 11-20 it is late by Nov 16, 17, 18, 19, 20 = 5 business days.
    //   response (30): Nov 6-13 d1-d5 (the 11th skipped), Nov 16-20 d6-d10, Nov 23-25 d11-d13, Thu 11-26
    //   Thanksgiving (skip), Fri 11-27 d14, Nov 30-Dec 4 d15-d19, Dec 7-11 d20-d24, Dec 14-18 d25-d29, Mon 12-21 d30.
    const doc = json<DueDoc>(ok(L("--json", "due", "--as-of", "2026-11-20")));
    const rows = doc.clocks
      .filter((c) => c.case === tag)
      .map((c) => [c.id, c.dueLenient, c.status, c.businessDaysLate]);
    expect(rows).toEqual([
      ["noe-ack", "2026-11-13", "late", 5],
      ["noe-response", "2026-12-21", "open", null],
    ]);
    // The missed acknowledgment is an option under RESPA section 6, not a due item: 3 years from 11-13.
    expect(doc.options.map((o) => [o.case, o.id, o.until])).toEqual([[tag, "respa-claim", "2029-11-13"]]);

    // The ordinary letter beside it still starts no Reg X clock, and says why.
    const shown = ok(L("show", "1", "--as-of", "2026-11-20")).stdout;
    expect(shown).toMatch(
      /Reg X notice clocks \[12 C\.F\.R\. 1024\.35\(c\), 1024\.36\(b\)\]: no clock\n\s+Reg X clocks do not run: an ordinary letter/,
    );
    expect(shown).toMatch(/Notice of error: acknowledgment \[12 C\.F\.R\. 1024\.35\(d\)\]: LATE by 5 business days/);
    expect(shown).toMatch(/started 2026-11-05: received at the designated address \(delivered\); due 2026-12-21/);
  });
});

describe("mailed names the letter it records", () => {
  const noe = (L: (...a: string[]) => RunResult, extra: string[] = []) =>
    ok(
      L(
        "compose",
        "notice-of-error",
        ...extra,
        // Written Fri 2026-10-30, before the mailings below.
        "--dated",
        "2026-10-30",
        "--set",
        "error=my payment of $1,500.00 made on 2026-10-01 was placed in suspense",
        "--summary",
        "The payment sits in suspense.",
      ),
    );

  it("refuses to guess between two drafts for the post, and records the one named with --letter", () => {
    const { L } = setupHome();
    noe(L, ["--loan", "1"]); // letter (message) 1 in case 1
    noe(L, ["--case", "1"]); // letter 2 in the same case
    const guess = L("mailed", "1", "--tracking", "9407111899560000000081", "--date", "2026-11-02");
    expect(guess.code).toBe(1);
    expect(guess.stderr).toMatch(/case LM-\w+-1 has 2 letters for the post not yet mailed: letter 1, letter 2/);
    expect(guess.stderr).toMatch(/--letter 1/);
    const r = json<{ message: number; tracking: string }>(
      ok(L("--json", "mailed", "1", "--letter", "2", "--tracking", "9407111899560000000081", "--date", "2026-11-02")),
    );
    expect(r).toMatchObject({ message: 2, tracking: "9407111899560000000081" });
  });

  it("--delivered alone records the delivery of the letter mailed and not yet delivered, though a draft waits", () => {
    const { L } = setupHome();
    noe(L, ["--loan", "1"]);
    ok(L("mailed", "1", "--tracking", "9407111899560000000082", "--date", "2026-11-02"));
    noe(L, ["--case", "1"]); // a second draft, not mailed
    const r = json<{ message: number; tracking: string; mailedOn: string; deliveredOn: string }>(
      ok(L("--json", "mailed", "1", "--delivered", "2026-11-05")),
    );
    expect(r).toMatchObject({ message: 1, tracking: "9407111899560000000082", mailedOn: "2026-11-02" });
    expect(r.deliveredOn).toBe("2026-11-05");
  });
});
