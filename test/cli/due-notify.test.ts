/**
 * `due --notify`: the plain lines a cron job or a desktop notifier shows. One formal notice of error delivered
 * Mon 2026-10-05 (helpers.mailedNoticeOfError): its acknowledgment is due Tue 2026-10-13 (d1 Tue 10-06, d2 Wed
 * 10-07, d3 Thu 10-08, d4 Fri 10-09, Mon 10-12 Columbus Day skipped, d5 Tue 10-13), its response Wed 2026-11-18
 * (30 business days, Veterans Day 11-11 skipped; counted in test/cli/clocks.test.ts). `--as-of` fixes the day.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { json, mailedNoticeOfError, type RunResult, rowCounts, setupHome } from "./helpers.js";

type L = (...args: string[]) => RunResult;

interface NotifyDoc {
  asOf: string;
  within: number;
  items: {
    kind: string;
    case: string | null;
    client: string;
    id: string;
    rule: string | null;
    due: string;
    dueLenient: string | null;
    daysLeft: number;
    late: boolean;
    businessDaysLate: number | null;
    line: string;
  }[];
}

describe("due --notify", () => {
  let L: L;
  let home: string;
  let tag: string;

  beforeAll(() => {
    ({ L, home } = setupHome());
    tag = mailedNoticeOfError(L, "9407111899560000000001");
  });

  it("prints nothing and exits 0 when nothing is due within 3 days", () => {
    // Fri 10-09 + 3 days = Mon 10-12: the acknowledgment (10-13) is 4 days away.
    const r = L("due", "--notify", "--as-of", "2026-10-09");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe("");
    const doc = json<NotifyDoc>(L("--json", "due", "--notify", "--as-of", "2026-10-09"));
    expect(doc).toMatchObject({ asOf: "2026-10-09", within: 3, items: [] });
  });

  it("one plain line per clock due within 3 days: no header, no colour", () => {
    // Sat 10-10 + 3 = Tue 10-13: the acknowledgment, 3 calendar days left; the response (11-18) is not listed.
    const r = L("due", "--notify", "--as-of", "2026-10-10");
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      `loanmail: case ${tag} (Jane Q. Doe) Notice of error: acknowledgment [12 C.F.R. 1024.35(d)] due 2026-10-13, 3 days left\n`,
    );
    expect(r.stdout).not.toContain("\x1b[");
    // On the day itself: "today".
    expect(L("due", "--notify", "--as-of", "2026-10-13").stdout).toContain("due 2026-10-13, today");
  });

  it("a late clock is always listed, with the business days late; exit 0 (3 only with --check)", () => {
    // Fri 10-16: the acknowledgment (due Tue 10-13) is late by Wed 10-14, Thu 10-15, Fri 10-16 = 3 business days.
    const before = rowCounts(home);
    const r = L("due", "--notify", "--as-of", "2026-10-16");
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split("\n")).toEqual([
      `loanmail: case ${tag} (Jane Q. Doe) Notice of error: acknowledgment [12 C.F.R. 1024.35(d)] due 2026-10-13, LATE by 3 business days`,
    ]);
    expect(L("due", "--notify", "--check", "--as-of", "2026-10-16").code).toBe(3);
    expect(rowCounts(home)).toEqual(before);
  });

  it("--within widens the window; --json gives the same items", () => {
    // Fri 10-16 + 33 = Wed 11-18: the response is listed too, 33 calendar days left (15 in October, 18 in November).
    const doc = json<NotifyDoc>(L("--json", "due", "--notify", "--within", "33", "--as-of", "2026-10-16"));
    expect(doc.within).toBe(33);
    expect(doc.items.map((i) => [i.case, i.id, i.due, i.daysLeft, i.late, i.businessDaysLate])).toEqual([
      [tag, "noe-ack", "2026-10-13", -3, true, 3],
      [tag, "noe-response", "2026-11-18", 33, false, null],
    ]);
    expect(doc.items[1]?.rule).toBe("12 C.F.R. 1024.35(e)(3)(i)(C)");
    expect(doc.items[1]?.line).toBe(
      `loanmail: case ${tag} (Jane Q. Doe) Notice of error: response [12 C.F.R. 1024.35(e)(3)(i)(C)] due 2026-11-18, 33 days left`,
    );
    // One day less and the response is out of the window.
    const text = L("due", "--notify", "--within", "32", "--as-of", "2026-10-16").stdout;
    expect(text).not.toContain("response");
  });

  it("a counselor's plan item is listed as such, not as a legal deadline", () => {
    const before = rowCounts(home);
    expect(
      L("client", "plan", "Jane Q. Doe", "--add", "call the servicer about the letter", "--by", "2026-10-12").code,
    ).toBe(0);
    // Sat 10-10 + 3 = Tue 10-13: the plan item (Mon 10-12, 2 days left) after the acknowledgment (10-13).
    const lines = L("due", "--notify", "--as-of", "2026-10-10").stdout.trim().split("\n");
    expect(lines[1]).toBe(
      "loanmail: plan item 1 (Jane Q. Doe) call the servicer about the letter due 2026-10-12, 2 days left (action plan, not a legal deadline)",
    );
    expect(rowCounts(home).client_plan).toBe((before.client_plan ?? 0) + 1);
  });

  it("a bad --within is refused, naming the flag", () => {
    const r = L("due", "--notify", "--within", "0");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--within 0");
  });
});

describe("due and due --notify: a clock strictly due before its lenient date", () => {
  // A notice of error written Wed 2026-11-25, mailed Fri 11-27 and delivered Sat 11-28 (a closed day). Its
  // acknowledgment (12 C.F.R. 1024.35(d), 5 business days) is due strictly Fri 12-04 (d1 Mon 11-30, d2 Tue 12-01,
  // d3 Wed 12-02, d4 Thu 12-03, d5 Fri 12-04); leniently, the receipt counts on Mon 11-30, so Mon 12-07 (d1 Tue
  // 12-01 .. d4 Fri 12-04, d5 Mon 12-07). Its response (1024.35(e)(3)(i)(C), 30 business days) is due strictly Tue
  // 2027-01-12 (d1 11-30 .. d5 12-04, d10 12-11, d15 12-18, d19 12-24, Christmas closed, d23 12-31, New Year's
  // Day closed, d28 01-08, d30 Tue 01-12), leniently Wed 01-13.
  let L: L;
  let tag: string;

  beforeAll(() => {
    ({ L } = setupHome());
    const composed = L(
      ...["--json", "compose", "notice-of-error", "--loan", "1", "--dated", "2026-11-25"],
      ...["--set", "error=the March 2026 payment of $1,500 was put in suspense"],
      ...["--summary", "On 2026-03-01 I paid $1,500.00 online; it sits in suspense."],
    );
    tag = json<{ case: { tag: string } }>(composed).case.tag;
    expect(L("mailed", "1", "--tracking", "9407111899560000000077", "--date", "2026-11-27").code).toBe(0);
    expect(L("mailed", "1", "--delivered", "2026-11-28").code).toBe(0);
  });

  it("--notify's window counts to the strict date, and the line gives the lenient one beside it", () => {
    // Thu 12-03 + 3 = Sun 12-06: the acknowledgment is strictly due Fri 12-04 (1 day left), though leniently Mon
    // 12-07, outside the window.
    const r = L("due", "--notify", "--as-of", "2026-12-03");
    expect(r.stdout).toBe(
      `loanmail: case ${tag} (Jane Q. Doe) Notice of error: acknowledgment [12 C.F.R. 1024.35(d)] due 2026-12-04 (lenient 2026-12-07), 1 day left\n`,
    );
    const doc = json<NotifyDoc>(L("--json", "due", "--notify", "--as-of", "2026-12-03"));
    expect(doc.items.map((i) => [i.id, i.due, i.dueLenient, i.daysLeft, i.late])).toEqual([
      ["noe-ack", "2026-12-04", "2026-12-07", 1, false],
    ]);
    // Sat 12-05: past the strict date, not late before the lenient one. Tue 12-08: late by 1 business day (12-08).
    expect(L("due", "--notify", "--as-of", "2026-12-05").stdout).toContain(
      "due 2026-12-04 (lenient 2026-12-07), 1 day ago; late only after 2026-12-07",
    );
    expect(L("due", "--notify", "--as-of", "2026-12-08").stdout).toContain(
      "due 2026-12-04 (lenient 2026-12-07), LATE by 1 business day",
    );
  });

  it("due shows the strict date with the lenient one beside it, as show does, and counts the days to it", () => {
    const text = L("due", "--as-of", "2026-12-03").stdout;
    // 12-03 to 12-04: 1 day; to 2027-01-12: 28 days in December + 12 = 40.
    expect(text).toMatch(/^2026-12-04 \(lenient 2026-12-07\)\s+1\s+LM-\S+\s+Notice of error: acknowledgment /m);
    expect(text).toMatch(/^2027-01-12 \(lenient 2027-01-13\)\s+40\s+LM-\S+\s+Notice of error: response /m);
    expect(L("show", "1", "--as-of", "2026-12-03").stdout).toContain("due 2026-12-04 (lenient 2026-12-07)");
    const doc = json<{ clocks: { id: string; dueStrict: string; dueLenient: string; daysLeft: number }[] }>(
      L("--json", "due", "--as-of", "2026-12-03"),
    );
    expect(doc.clocks.map((c) => [c.id, c.dueStrict, c.dueLenient, c.daysLeft])).toEqual([
      ["noe-ack", "2026-12-04", "2026-12-07", 1],
      ["noe-response", "2027-01-12", "2027-01-13", 40],
    ]);
    // --within 1 keeps the acknowledgment (strictly due within it) and leaves out the response.
    const within = json<{ clocks: { id: string }[] }>(L("--json", "due", "--within", "1", "--as-of", "2026-12-03"));
    expect(within.clocks.map((c) => c.id)).toEqual(["noe-ack"]);
  });
});
