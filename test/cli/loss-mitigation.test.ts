/**
 * Loss mitigation and foreclosure, through the CLI as a user runs it (issue 10, items 1 to 3):
 *  1. the borrower's side of 12 C.F.R. 1024.41: the evaluation clock met by a recorded decision, the appeal only
 *     90 days or more before a sale and counted from the notice's date, offers with their minimum days;
 *  2. dual tracking (1024.41(f), (g)): protections listed apart in `due` and `show` with their end dates, and cited
 *     by `escalate`;
 *  3. no acknowledgment or response duty for a foreclosure notice of error received 7 days or fewer before the
 *     sale (1024.35(f)(2)), with where to get help.
 * Every date is counted by hand in the comments; `--as-of` fixes the day judged, and every event date is in the
 * past (loanmail refuses future events).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, setupHome } from "./helpers.js";

type L = (...args: string[]) => RunResult;

interface ClockDoc {
  id: string;
  name: string;
  rule: string;
  party: "servicer" | "borrower";
  status: string;
  startedBy: { what: string; on: string } | null;
  dueStrict: string | null;
  dueLenient: string | null;
  metBy: unknown;
  metByEvent?: { type: string; on: string } | null;
  businessDaysLate: number | null;
  note: string | null;
  flag?: string | null;
}

interface ProtectionDoc {
  id: string;
  kind: string;
  name: string;
  rule: string;
  status: string;
  startedBy: { what: string; on: string } | null;
  until: string | null;
  ends: string;
  note: string | null;
  case?: string | null;
  loanId?: number;
}

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** A loss-mitigation application uploaded to the servicer's portal on Mon 2026-06-01 (written 2026-03-02). */
function application(run: L): string {
  const tag = json<{ case: { tag: string } }>(
    ok(
      run(
        "--json",
        "compose",
        "loss-mitigation",
        "--loan",
        "1",
        "--dated",
        "2026-03-02",
        "--summary",
        "Please evaluate me for a loan modification; my income fell in March 2026.",
      ),
    ),
  ).case.tag;
  const n = tag.split("-").at(-1) as string;
  ok(run("sent", n, "--via", "portal", "--date", "2026-06-01"));
  return tag;
}

const show = (run: L, ref: string, asOf: string) =>
  json<{ clocks: ClockDoc[]; protections: ProtectionDoc[] }>(ok(run("--json", "show", ref, "--as-of", asOf)));
const due = (run: L, asOf: string) =>
  json<{ clocks: (ClockDoc & { case: string | null })[]; protections: ProtectionDoc[]; late: number }>(
    ok(run("--json", "due", "--as-of", asOf)),
  );

function one<T extends { id: string }>(list: readonly T[], id: string): T {
  const found = list.filter((c) => c.id === id);
  if (found.length !== 1) throw new Error(`expected one ${id}, got ${JSON.stringify(list.map((c) => c.id))}`);
  return found[0] as T;
}

describe("loss mitigation, the borrower's side (1024.41)", () => {
  let L: L;
  let home: string;
  let early: string;
  let late38: string;
  beforeAll(() => {
    ({ L, home } = setupHome());
    // Case 1: complete Mon 2026-06-01 with the sale on Tue 2026-09-15: Jun 1 -> Jul 1 is 30 days, -> Aug 1 61,
    // -> Sep 1 92, -> Sep 15 106 days: 90 or more, so an appeal exists and an offer gets 14 days.
    early = application(L);
    ok(L("event", "1", "application-complete", "--date", "2026-06-01", "--sale-date", "2026-09-15"));
    // Case 2: complete Mon 06-01 with the sale on Thu 2026-07-09: Jun 1 -> Jul 1 30, -> Jul 9 38 days: more than
    // 37 (the evaluation clock runs) but fewer than 90 (no appeal; an offer gets 7 days).
    late38 = application(L);
    ok(L("event", "2", "application-complete", "--date", "2026-06-01", "--sale-date", "2026-07-09"));
    // Case 3: complete Mon 06-01 with the sale on Wed 2026-07-08: 37 days, no evaluation clock and no protection.
    application(L);
    ok(L("event", "3", "application-complete", "--date", "2026-06-01", "--sale-date", "2026-07-08"));
    // Case 4: complete Mon 06-01, no sale scheduled.
    application(L);
    ok(L("event", "4", "application-complete", "--date", "2026-06-01"));
  });

  it("a denial notice dated on the evaluation clock's due day meets it, and it stays met months later", () => {
    // Evaluation: Jun 1 + 30 calendar days = Wed 2026-07-01 (a business day: strict and lenient alike).
    const before = one(show(L, "1", "2026-06-30").clocks, "lossmit-decision");
    expect(before).toMatchObject({ status: "open", dueStrict: "2026-07-01", dueLenient: "2026-07-01" });
    const r = json<{ event: { type: string; on: string }; clocks: ClockDoc[] }>(
      ok(L("--json", "event", "1", "denied", "--date", "2026-07-01")),
    );
    expect(r.event).toMatchObject({ type: "denied", on: "2026-07-01" });
    for (const asOf of ["2026-07-01", "2026-11-30"]) {
      const c = one(show(L, "1", asOf).clocks, "lossmit-decision");
      expect(c).toMatchObject({ status: "met", metByEvent: { type: "denied", on: "2026-07-01" } });
      expect(c.businessDaysLate).toBeNull();
    }
    // Not late: `due` has no servicer clock late for it, and the text says what met it.
    const listed = due(L, "2026-11-30").clocks;
    expect(listed.some((c) => c.case === early && c.id === "lossmit-decision")).toBe(false);
    expect(ok(L("show", "1", "--as-of", "2026-11-30")).stdout).toContain(
      "Loss mitigation: evaluation and decision [12 C.F.R. 1024.41(c)(1)]: met 2026-07-01 by the recorded denied event",
    );
  });

  it("a decision notice after the due day meets the clock late, by business days", () => {
    // Due Wed 07-01; the denial notice is dated Mon 07-06: Thu 07-02 is 1, Fri 07-03 (Independence Day observed)
    // is closed under the lenient rule, Mon 07-06 is 2 business days late.
    ok(L("event", "4", "denied", "--date", "2026-07-06"));
    const c = one(show(L, "4", "2026-11-30").clocks, "lossmit-decision");
    expect(c).toMatchObject({ status: "met", metByEvent: { type: "denied", on: "2026-07-06" }, businessDaysLate: 2 });
  });

  it("the appeal's 14 days run from the notice's date, and exist only 90 days or more before the sale", () => {
    // Case 1: notice dated Wed 07-01 + 14 = Wed 2026-07-15.
    const appeal = one(show(L, "1", "2026-07-10").clocks, "lossmit-appeal");
    expect(appeal).toMatchObject({
      party: "borrower",
      rule: "12 C.F.R. 1024.41(h)(2)",
      status: "open",
      startedBy: { what: "denial notice provided (its date)", on: "2026-07-01" },
      dueStrict: "2026-07-15",
      dueLenient: "2026-07-15",
    });
    expect(appeal.startedBy?.what).not.toMatch(/received/);
    // Case 2: complete only 38 days before the sale: a denial there has no appeal, so no deadline to show.
    ok(L("event", "2", "denied", "--date", "2026-06-20"));
    const none = one(show(L, "2", "2026-06-22").clocks, "lossmit-appeal");
    expect(none).toMatchObject({ party: "borrower", status: "not-applicable", dueStrict: null });
    expect(none.note).toContain("no appeal: 12 C.F.R. 1024.41(h)(1)");
    expect(none.note).toContain("38 days before the sale on 2026-07-09");
    expect(due(L, "2026-06-22").clocks.some((c) => c.id === "lossmit-appeal" && c.case === late38)).toBe(false);
  });

  it("a case whose letter is still a draft keeps its deadlines in due: the events decide them, not the letter", () => {
    const { L: run } = setupHome();
    ok(run("compose", "loss-mitigation", "--loan", "1", "--dated", "2026-03-02", "--summary", "Please evaluate me."));
    // Complete Mon 06-01 with no sale scheduled; denial notice dated Wed 07-01: appeal by Wed 07-15 (+14).
    ok(run("event", "1", "application-complete", "--date", "2026-06-01"));
    ok(run("event", "1", "denied", "--date", "2026-07-01"));
    const appeal = one(due(run, "2026-07-10").clocks, "lossmit-appeal");
    expect(appeal).toMatchObject({ status: "open", dueLenient: "2026-07-15" });
  });

  it("an offer names its answer date, but never fewer days than the rule: 7 days at 38 days before the sale", () => {
    // Case 2: offer dated Sat 06-20 asking for an answer by Tue 06-23; 38 days before the sale gives at least
    // 7 days: Jun 20 + 7 = Sat 2026-06-27, the deadline shown, and the offer is flagged.
    ok(L("event", "2", "offer", "--date", "2026-06-20", "--accept-by", "2026-06-23"));
    const doc = due(L, "2026-06-22");
    const accept = doc.clocks.find((c) => c.id === "lossmit-accept" && c.case === late38) as ClockDoc;
    expect(accept).toMatchObject({
      party: "borrower",
      rule: "12 C.F.R. 1024.41(e)(1)",
      status: "open",
      startedBy: { what: "offer provided (its date)", on: "2026-06-20" },
      dueStrict: "2026-06-27",
    });
    expect(accept.flag).toContain("fewer than the 7 days 12 C.F.R. 1024.41(e)(1) requires");
    expect(accept.note).toContain("answer by 2026-06-23 if you can");
    const text = ok(L("due", "--as-of", "2026-06-22")).stdout;
    expect(text).toMatch(
      // From 06-22 to 06-27: 5 days left.
      /2026-06-27\s+5\s+\S+\s+YOU: Accept or reject the loss mitigation offer\s+12 C\.F\.R\. 1024\.41\(e\)\(1\)/,
    );
    expect(text).toContain(`FLAG ${late38}: Accept or reject the loss mitigation offer: the offer of 2026-06-20 asks`);
  });

  it("an offer that allows more than the minimum keeps its own date", () => {
    // Case 4 (no sale: as if 90 days or more before one): offer of Tue 07-07 + 14 = Tue 07-21; it asks by
    // Fri 07-24, later, so 07-24 stands and nothing is flagged.
    ok(L("event", "4", "offer", "--date", "2026-07-07", "--accept-by", "2026-07-24"));
    const accept = one(show(L, "4", "2026-07-08").clocks, "lossmit-accept");
    expect(accept).toMatchObject({ dueStrict: "2026-07-24", status: "open" });
    expect(accept.flag ?? null).toBeNull();
    // Accepted on Mon 07-13: the borrower's deadline is met.
    ok(L("event", "4", "accepted", "--date", "2026-07-13"));
    expect(one(show(L, "4", "2026-07-30").clocks, "lossmit-accept")).toMatchObject({
      status: "met",
      metByEvent: { type: "accepted", on: "2026-07-13" },
    });
  });

  it("37 days or fewer before the sale: no evaluation clock and no appeal", () => {
    const c = one(show(L, "3", "2026-06-02").clocks, "lossmit-decision");
    expect(c.status).toBe("not-applicable");
    expect(c.note).toContain("37 days or fewer before the sale on 2026-07-08");
  });

  it("an appeal meets the borrower's deadline and starts the servicer's 30 days (1024.41(h)(4)); an offer after it gets 14", () => {
    // Case 1: appealed Fri 07-10 (by Wed 07-15): met. Appeal decision: Jul 10 + 30 = Sun 2026-08-09 strict,
    // rolled to Mon 08-10 lenient.
    ok(L("event", "1", "appealed", "--date", "2026-07-10"));
    const mid = show(L, "1", "2026-07-20").clocks;
    expect(one(mid, "lossmit-appeal")).toMatchObject({
      status: "met",
      metByEvent: { type: "appealed", on: "2026-07-10" },
    });
    expect(one(mid, "lossmit-appeal-decision")).toMatchObject({
      rule: "12 C.F.R. 1024.41(h)(4)",
      status: "open",
      dueStrict: "2026-08-09",
      dueLenient: "2026-08-10",
    });
    // The appeal is decided with an offer dated Fri 08-07 asking for an answer by Fri 08-14: after an appeal
    // the borrower has 14 days (1024.41(h)(4)): Aug 7 + 14 = Fri 2026-08-21.
    ok(L("event", "1", "offer", "--date", "2026-08-07", "--accept-by", "2026-08-14"));
    const after = show(L, "1", "2026-08-10").clocks;
    expect(one(after, "lossmit-appeal-decision")).toMatchObject({
      status: "met",
      metByEvent: { type: "offer", on: "2026-08-07" },
    });
    expect(one(after, "lossmit-accept")).toMatchObject({ rule: "12 C.F.R. 1024.41(h)(4)", dueStrict: "2026-08-21" });
  });

  it("refuses an appeal with no denial, an answer with no offer, and dates out of order; nothing is written", () => {
    const before = rowCounts(home);
    const cases: [string[], string, RegExp][] = [
      [["event", "3", "appealed", "--date", "2026-06-10"], "NO_DENIAL_TO_APPEAL", /loanmail event CASE denied/],
      [["event", "3", "accepted", "--date", "2026-06-10"], "NO_OFFER_TO_ANSWER", /loanmail event CASE offer/],
      [["event", "3", "denied", "--date", "2026-06-10", "--accept-by", "2026-06-20"], "CONFLICTING_OPTIONS", /offer/],
      [
        ["event", "3", "offer", "--date", "2026-06-10", "--accept-by", "2026-06-09"],
        "DATES_OUT_OF_ORDER",
        /on or after/,
      ],
      [["event", "3", "appealed", "--date", "2026-06-10", "--sale-date", "2026-07-08"], "CONFLICTING_OPTIONS", /sale/],
      [["event", "3", "offer", "--date", "2999-01-01"], "DATE_IN_FUTURE", /happened/],
    ];
    for (const [args, code, hint] of cases) {
      const r = L("--json", ...args);
      expect(r.code, args.join(" ")).not.toBe(0);
      expect(r.stdout).toBe("");
      const err = JSON.parse(r.stderr) as { error: { code: string; hint: string } };
      expect(err.error.code, args.join(" ")).toBe(code);
      expect(err.error.hint).toMatch(hint);
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("refuses a denial, an offer or an appeal on a case that holds no loss-mitigation application", () => {
    // A notice-of-error case would otherwise carry 1024.41's appeal deadline for an application it does not hold.
    const { L: run, home: other } = setupHome();
    ok(run("compose", "notice-of-error", "--loan", "1", "--set", "error=a late fee", "--summary", "A late fee."));
    const before = rowCounts(other);
    for (const type of ["denied", "offer", "application-complete"]) {
      const r = run("--json", "event", "1", type, "--date", "2026-06-10");
      expect(r.code, type).toBe(1);
      const err = JSON.parse(r.stderr) as { error: { code: string; message: string; hint: string } };
      expect(err.error.code).toBe("NOT_LOSS_MITIGATION_CASE");
      expect(err.error.message).toContain("notice-of-error case and holds no loss-mitigation application");
      expect(err.error.hint).toMatch(/compose loss-mitigation/);
    }
    expect(rowCounts(other)).toEqual(before);
    // A loss-mitigation letter added to the case makes it the application's case.
    ok(run("compose", "loss-mitigation", "--case", "1", "--dated", "2026-06-01", "--summary", "Please evaluate me."));
    ok(run("event", "1", "application-complete", "--date", "2026-06-10"));
  });
});

describe("dual tracking: protections in due, show and escalate (1024.41(f), (g))", () => {
  let L: L;
  let home: string;
  let tag: string;
  beforeAll(() => {
    ({ L, home } = setupHome());
    // Case 1: complete Mon 2026-06-01 with the sale on Tue 2026-09-15 (106 days before it).
    tag = application(L);
    ok(L("event", "1", "application-complete", "--date", "2026-06-01", "--sale-date", "2026-09-15"));
  });

  const saleBar = (asOf: string) =>
    due(L, asOf).protections.find((p) => p.kind === "sale-pending" && p.case === tag) as ProtectionDoc | undefined;

  it("the loan's 120 days: no first notice or filing through D + 120 (loan set --delinquent-since)", () => {
    const before = rowCounts(home);
    const future = L("--json", "loan", "set", "1", "--delinquent-since", "2999-01-01");
    expect(future.code).toBe(1);
    expect(JSON.parse(future.stderr).error.code).toBe("DATE_IN_FUTURE");
    expect(L("loan", "set", "1", "--delinquent-since", "2026-02-30").code).toBe(1);
    // A past year before loanmail's calendar (1986) is a typo: out of range, not a delinquency.
    const typo = L("--json", "loan", "set", "1", "--delinquent-since", "1926-05-01");
    expect(JSON.parse(typo.stderr).error.code).toBe("DATE_OUT_OF_RANGE");
    expect(rowCounts(home)).toEqual(before);

    // The May 1 payment is unpaid: delinquent from Fri 2026-05-01. +30 = May 31, +60 = Jun 30, +90 = Jul 30,
    // +120 = Sat 2026-08-29: 120 days delinquent that day, so a first notice or filing may come from Sun 08-30.
    expect(ok(L("loan", "set", "1", "--delinquent-since", "2026-05-01")).stdout).toContain(
      "delinquent since 2026-05-01",
    );
    const bar = one(due(L, "2026-07-01").protections, "pre-foreclosure-120");
    expect(bar).toMatchObject({
      case: null,
      loanId: 1,
      rule: "12 C.F.R. 1024.41(f)(1)",
      status: "in-force",
      startedBy: { on: "2026-05-01" },
      until: "2026-08-29",
    });
    expect(bar.ends).toContain("2026-08-30");
    const text = ok(L("due", "--as-of", "2026-07-01")).stdout;
    expect(text).toContain("── Protections (what the servicer may not do; not deadlines, they never turn late)");
    expect(text).toContain("  loan 1  No first foreclosure notice or filing [12 C.F.R. 1024.41(f)(1)]");
    expect(text).toContain("in force since 2026-05-01 (the oldest unpaid payment was due) through 2026-08-29");
    // After 08-29 it has ended and is not listed; `--check` never fails for a protection.
    expect(due(L, "2026-08-30").protections.some((p) => p.id === "pre-foreclosure-120")).toBe(false);
    // A small servicer is bound by 1024.41(j) instead.
    ok(L("servicer", "set", "Mr. Cooper", "--small"));
    expect(one(due(L, "2026-07-01").protections, "pre-foreclosure-120").rule).toBe("12 C.F.R. 1024.41(j)");
    ok(L("servicer", "set", "Mr. Cooper", "--no-small"));
  });

  it("a complete application more than 37 days before the sale bars judgment and sale while pending", () => {
    // No decision yet on Mon 06-15: in force with no end date.
    expect(saleBar("2026-06-15")).toMatchObject({
      rule: "12 C.F.R. 1024.41(g)",
      status: "in-force",
      startedBy: { what: "complete loss mitigation application", on: "2026-06-01" },
      until: null,
    });
    expect(saleBar("2026-06-15")?.ends).toContain("not decided");
    // With a sale already scheduled, the first notice or filing was made: no 1024.41(f)(2) bar is listed.
    expect(due(L, "2026-06-15").protections.some((p) => p.kind === "first-filing-pending")).toBe(false);

    // Denied by a notice dated Wed 07-01: pending through the 14 days to appeal, Jul 1 + 14 = Wed 07-15.
    ok(L("event", "1", "denied", "--date", "2026-07-01"));
    expect(saleBar("2026-07-05")).toMatchObject({ status: "in-force", until: "2026-07-15" });
    // Appealed Fri 07-10: pending, no end date, until the appeal is decided.
    ok(L("event", "1", "appealed", "--date", "2026-07-10"));
    expect(saleBar("2026-07-20")).toMatchObject({ status: "in-force", until: null });
    // The appeal is answered with an offer dated Fri 08-07: it stays open until the offer's deadline,
    // Aug 7 + 14 = Fri 08-21 (1024.41(h)(4)); not answering by then may be taken as rejecting it.
    ok(L("event", "1", "offer", "--date", "2026-08-07"));
    expect(saleBar("2026-08-10")).toMatchObject({ status: "in-force", until: "2026-08-21" });
    expect(saleBar("2026-08-10")?.ends).toContain("1024.41(e)(2)(i)");
    // On Sat 08-22 it has ended: not listed.
    expect(saleBar("2026-08-22")).toBeUndefined();

    const text = ok(L("due", "--as-of", "2026-08-10")).stdout;
    expect(text).toContain(
      `  ${tag}  No motion for foreclosure judgment or order of sale, and no foreclosure sale [12 C.F.R. 1024.41(g)]`,
    );
    expect(text).toContain("in force since 2026-06-01 (complete loss mitigation application) through 2026-08-21");
    const shown = show(L, "1", "2026-08-10").protections;
    expect(shown.map((p) => p.id)).toEqual(["pre-foreclosure-120", "sale-pending"]);
  });

  it("an application complete 37 days or fewer before the sale is listed as not protected, with why", () => {
    // Case 2: complete Mon 06-01, sale Wed 07-08 = 37 days.
    application(L);
    ok(L("event", "2", "application-complete", "--date", "2026-06-01", "--sale-date", "2026-07-08"));
    const p = due(L, "2026-06-02").protections.find((x) => x.case?.endsWith("-2")) as ProtectionDoc;
    expect(p).toMatchObject({ status: "not-applicable", rule: "12 C.F.R. 1024.41(g)", until: null });
    expect(p.note).toContain("37 days before the sale on 2026-07-08");
    expect(ok(L("due", "--as-of", "2026-06-02")).stdout).toContain("does not apply: complete 2026-06-01, 37 days");
  });

  it("escalate cites the protections in force, in the letter's words, and changes nothing without --yes", () => {
    // Case 3: complete Mon 06-01 with no sale scheduled; no decision. The evaluation was due Wed 07-01 and is
    // late on Fri 07-10. Both bars apply (1024.41(f)(2) before a first filing, (g) after), and the loan's
    // 120-day bar runs through 08-29.
    application(L);
    ok(L("event", "3", "application-complete", "--date", "2026-06-01"));
    const before = rowCounts(home);
    const doc = json<{
      acted: boolean;
      protections: { id: string; rule: string; until: string | null; text: string }[];
      summary: string;
      missed: { clock: string }[];
    }>(ok(L("--json", "escalate", "3", "--as-of", "2026-07-10")));
    expect(doc.acted).toBe(false);
    expect(rowCounts(home)).toEqual(before);
    expect(doc.missed.map((m) => m.clock)).toContain("lossmit-decision");
    expect(doc.protections.map((p) => [p.id, p.rule, p.until])).toEqual([
      ["pre-foreclosure-120", "12 C.F.R. 1024.41(f)(1)", "2026-08-29"],
      ["first-filing-pending", "12 C.F.R. 1024.41(f)(2)", null],
      ["sale-pending", "12 C.F.R. 1024.41(g)", null],
    ]);
    expect(doc.summary).toContain(
      "While my complete loss mitigation application of June 1, 2026 is pending, 12 C.F.R. 1024.41(g) bars you from moving for foreclosure judgment or order of sale and from conducting a foreclosure sale.",
    );
    expect(doc.summary).toContain("under 12 C.F.R. 1024.41(f)(1) no first notice or filing for foreclosure");
    const text = ok(L("escalate", "3", "--as-of", "2026-07-10")).stdout;
    expect(text).toContain("Protections in force, cited in the letter:");
    expect(text).toContain(`[12 C.F.R. 1024.41(g)]: no end date yet`);
  });
});

describe("one list of protections: a transfer's 60 days beside the foreclosure protections", () => {
  it("due and show list the 120-day bar and the transfer's 60 days together, each with its rule and last day", () => {
    const { L } = setupHome();
    const tag = application(L);
    ok(L("servicer", "add", "Rocket", "--domain", "rocket.test", "--email", "help@rocket.test"));
    ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654321", "--date", "2026-09-01"));
    // Transfer effective Tue 2026-09-01 = day 1 of 60: Sep 1-30 are days 1-30, Oct 1-30 days 31-60: through 10-30.
    // Delinquent from Mon 2026-08-03: + 28 = Aug 31, + 30 = Sep 30 (58), + 31 = Oct 31 (89), + 30 = Nov 30 (119),
    // + 1 = Tue 2026-12-01 (120 days delinquent): no first notice or filing through 12-01.
    ok(L("loan", "set", "1", "--delinquent-since", "2026-08-03"));
    const doc = due(L, "2026-10-01");
    expect(doc.protections.map((p) => [p.id, p.kind, p.rule, p.until, p.case, p.loanId])).toEqual([
      ["pre-foreclosure-120", "first-filing-120", "12 C.F.R. 1024.41(f)(1)", "2026-12-01", null, 1],
      [
        "transfer-payment-protection",
        "transfer-payment",
        "12 C.F.R. 1024.33(c)(1) (60 days from the transfer)",
        "2026-10-30",
        null,
        1,
      ],
    ]);
    const text = ok(L("due", "--as-of", "2026-10-01")).stdout;
    expect(text.split("── Protections").length).toBe(2); // one section
    expect(text).toContain("  loan 1  No first foreclosure notice or filing [12 C.F.R. 1024.41(f)(1)]");
    expect(text).toContain("in force since 2026-08-03 (the oldest unpaid payment was due) through 2026-12-01");
    expect(text).toContain("in force since 2026-09-01 (servicing moved from Mr. Cooper to Rocket) through 2026-10-30");
    // show lists the same two for the case's loan.
    expect(show(L, tag, "2026-10-01").protections.map((p) => p.id)).toEqual([
      "pre-foreclosure-120",
      "transfer-payment-protection",
    ]);
    const shown = ok(L("show", tag, "--as-of", "2026-10-01")).stdout;
    expect(shown).toContain("── Protections (what the servicer may not do; not deadlines, they never turn late)");
    expect(shown).toContain(
      "  loan 1  A payment you send to Mr. Cooper by its due date (grace period included) may not be charged a late fee or treated as late",
    );
    // On Sat 10-31 the transfer's 60 days are over; the 120-day bar still runs.
    expect(due(L, "2026-10-31").protections.map((p) => p.id)).toEqual(["pre-foreclosure-120"]);
  });
});

describe("the timeline and its HTML report name the loss-mitigation events and what met each clock", () => {
  it("describes the notices by their dates, the borrower's answers, and a clock met by an event", () => {
    const { L } = setupHome();
    const tag = application(L);
    // Complete Mon 2026-06-01, sale Tue 09-15 (106 days: an appeal exists). Evaluation due Jun 1 + 30 = Wed 07-01,
    // met by the denial notice dated 07-01; appealed Fri 07-10; the appeal decided by an offer dated Fri 08-07
    // (within Jul 10 + 30 = Sun 08-09), answer by Fri 08-21; accepted Fri 08-14.
    ok(L("event", "1", "application-complete", "--date", "2026-06-01", "--sale-date", "2026-09-15"));
    ok(L("event", "1", "denied", "--date", "2026-07-01"));
    ok(L("event", "1", "appealed", "--date", "2026-07-10"));
    ok(L("event", "1", "offer", "--date", "2026-08-07", "--accept-by", "2026-08-21"));
    ok(L("event", "1", "accepted", "--date", "2026-08-14"));
    type Row = { type: string; detail: string; clocks: { clock: string; role: string }[] };
    const doc = json<{ cases: { rows: Row[] }[] }>(ok(L("--json", "timeline", tag, "--format", "json")));
    const rows = doc.cases[0]?.rows ?? [];
    const row = (type: string) => rows.find((r) => r.type === type) as Row;
    expect(row("denied").detail).toBe("loss-mitigation denial notice dated 2026-07-01");
    expect(row("offer").detail).toBe("loss-mitigation offer notice dated 2026-08-07; answer by 2026-08-21");
    expect(row("appealed").detail).toBe("you appealed the loss-mitigation denial on 2026-07-10");
    expect(row("accepted").detail).toBe("you accepted the loss-mitigation offer on 2026-08-14");
    // The evaluation clock is met on the denial's row, the appeal's decision on the offer's.
    expect(row("denied").clocks).toContainEqual(expect.objectContaining({ clock: "lossmit-decision", role: "met" }));
    expect(row("offer").clocks).toContainEqual(
      expect.objectContaining({ clock: "lossmit-appeal-decision", role: "met" }),
    );
    const html = ok(L("timeline", tag, "--format", "html")).stdout;
    expect(html).toContain("met 2026-07-01 by the recorded denied event");
    expect(html).not.toMatch(/met by message undefined|>met<\/span>/);
  });
});

describe("a foreclosure notice of error 7 days or fewer before the sale (1024.35(f)(2))", () => {
  let H: L;
  beforeAll(() => {
    ({ L: H } = setupHome());
  });
  const plan = (...args: string[]) =>
    json<{ clocks: ClockDoc[]; noDuty: string | null; emergency: string | null }>(
      ok(H("--json", "deadline", "notice-of-error", ...args)),
    );
  const foreclosure = (received: string, sale: string) =>
    plan("--received", received, "--set", "type=foreclosure", "--set", `sale-date=${sale}`);

  it("received Fri 10-09 with the sale on Tue 10-13 (4 days): no duty, no late clock, and where to get help", () => {
    const doc = foreclosure("2026-10-09", "2026-10-13");
    expect(doc.clocks.map((c) => [c.id, c.status, c.dueStrict])).toEqual([
      ["noe-ack", "not-applicable", null],
      ["noe-response", "not-applicable", null],
    ]);
    expect(doc.noDuty).toContain("received 4 days before the sale on 2026-10-13");
    expect(doc.noDuty).toContain("1024.35(f)(2)");
    expect(doc.emergency).toContain("https://www.consumerfinance.gov/find-a-housing-counselor/");
    expect(doc.emergency).toContain("attorney");
    const text = ok(
      H(
        "deadline",
        "notice-of-error",
        "--received",
        "2026-10-09",
        "--set",
        "type=foreclosure",
        "--set",
        "sale-date=2026-10-13",
      ),
    ).stdout;
    expect(text).toContain("Reg X imposes no duty to acknowledge or respond");
    expect(text).toContain("HUD-approved housing counselor");
    expect(text).not.toMatch(/LATE|due 2026-10-1[29]/);
  });

  it("received on the sale day itself (0 days): no duty either, never 'LATE on arrival'", () => {
    const doc = foreclosure("2026-10-09", "2026-10-09");
    expect(doc.clocks.every((c) => c.status === "not-applicable")).toBe(true);
    expect(doc.noDuty).toContain("received 0 days before the sale on 2026-10-09");
  });

  it("exactly 7 days before is still none; 8 days before, the duties run, the response capped by the sale", () => {
    // Tue 10-06 to Tue 10-13 is 7 days: no duty.
    expect(foreclosure("2026-10-06", "2026-10-13").noDuty).toContain("7 days before");
    // Mon 10-05 is 8 days before. Acknowledgment (5 business days): d1 Tue 10-06, d2 Wed 10-07, d3 Thu 10-08,
    // d4 Fri 10-09, Mon 10-12 Columbus Day (skip), d5 Tue 10-13. Response: before the sale, Mon 10-12
    // (1024.35(e)(3)(i)(B)), far sooner than 30 business days.
    const doc = foreclosure("2026-10-05", "2026-10-13");
    expect(doc.noDuty).toBeNull();
    expect(doc.emergency).toBeNull();
    expect(doc.clocks.map((c) => [c.id, c.dueStrict, c.dueLenient])).toEqual([
      ["noe-ack", "2026-10-13", "2026-10-13"],
      ["noe-response", "2026-10-12", "2026-10-12"],
    ]);
    expect(doc.clocks[1]?.note).toContain("the foreclosure sale on 2026-10-13 comes before 30 business days");
  });

  it("a general notice of error with a sale date keeps its duties (1024.35(f)(2) is for foreclosure errors)", () => {
    const doc = plan("--received", "2026-10-09", "--set", "type=general", "--set", "sale-date=2026-10-13");
    expect(doc.noDuty).toBeNull();
    expect(doc.clocks.map((c) => c.status)).toEqual(["open", "open"]);
  });

  it("a real case delivered 4 days before the sale: nothing late in due, and show says where to get help", () => {
    ok(
      H(
        "compose",
        "notice-of-error",
        "--loan",
        "1",
        "--dated",
        "2026-10-01",
        "--summary",
        "The sale was scheduled while my complete application was pending.",
        "--set",
        "error=the servicer scheduled a sale on October 13, 2026 while my application was pending",
        "--set",
        "type=foreclosure",
        "--set",
        "sale-date=2026-10-13",
      ),
    );
    // Mailed Thu 10-01, delivered Fri 10-09: 4 days before Tue 10-13.
    ok(H("mailed", "1", "--tracking", "9407111899560000000101", "--date", "2026-10-01", "--delivered", "2026-10-09"));
    const d = H("--json", "due", "--check", "--as-of", "2026-11-30");
    expect(d.code).toBe(0);
    // No duty, so nothing missed: no RESPA option either (a lawsuit's limit follows only a missed clock).
    expect(json<{ clocks: unknown[]; late: number; options: unknown[] }>(d)).toMatchObject({
      clocks: [],
      late: 0,
      options: [],
    });
    const clocks = show(H, "1", "2026-11-30").clocks;
    expect(one(clocks, "noe-ack")).toMatchObject({ status: "not-applicable" });
    expect(one(clocks, "noe-response").note).toContain("find-a-housing-counselor");
    expect(ok(H("show", "1", "--as-of", "2026-11-30")).stdout).toContain("1024.35(f)(2)");
  });
});
