/**
 * What the borrower may do, and the CFPB's process, through the CLI (issue 10, items 7 and 8): lawsuit limits that
 * are true (RESPA section 6 needs damages; TILA's one year for payoff statements and payment crediting), listed
 * under "your options" and never as due items that turn red; and the CFPB complaint's 15-day response, 60-day final
 * response after an "in progress" reply, and the borrower's 60 days to give feedback. Dates are counted by hand in
 * the comments (d1 = the first business day after the receipt); all are in the past, `--as-of` fixes the day.
 */
import { describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, setupHome } from "./helpers.js";

interface ClockDoc {
  id: string;
  name: string;
  rule: string;
  party: string;
  status: string;
  dueStrict: string | null;
  dueLenient: string | null;
  businessDaysLate: number | null;
  metBy: unknown;
  note: string | null;
  case?: string | null;
}

interface OptionDoc {
  case: string;
  id: string;
  name: string;
  rule: string;
  condition: string;
  until: string;
  status: string;
  basedOn: string[];
}

type L = (...args: string[]) => RunResult;

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** Compose on a new case, written (--dated) 2026-03-02 so that it may leave on any later day; returns its tag. */
function compose(run: L, kind: string, fields: string[], dated = "2026-03-02"): string {
  const args = ["--json", "compose", kind, "--loan", "1", "--dated", dated, "--summary", `About ${kind}.`];
  for (const f of fields) args.push("--set", f);
  return json<{ case: { tag: string } }>(ok(run(...args))).case.tag;
}

const due = (run: L, asOf: string) =>
  json<{ clocks: ClockDoc[]; options: OptionDoc[]; late: number }>(ok(run("--json", "due", "--as-of", asOf)));

function clock(clocks: readonly ClockDoc[], id: string): ClockDoc {
  const found = clocks.filter((c) => c.id === id);
  if (found.length !== 1) throw new Error(`expected one ${id}, got ${JSON.stringify(clocks.map((c) => c.id))}`);
  return found[0] as ClockDoc;
}

function errorCode(r: RunResult): string {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  return (JSON.parse(r.stderr) as { error: { code: string } }).error.code;
}

describe("item 7: suit deadlines that are true, under your options", () => {
  it("a missed Reg X clock is no red due item: one RESPA option per case, with what the claim needs", () => {
    const { L } = setupHome();
    const tag = compose(L, "notice-of-error", ["error=the March 2026 payment of $1,500 was put in suspense"]);
    // Delivered Mon 2026-10-05: acknowledgment d1 Tue 10-06 .. d4 Fri 10-09, Mon 10-12 Columbus Day (skip),
    // d5 Tue 10-13. Late on Wed 10-14; the response (due Wed 11-18) is still open.
    ok(L("mailed", "1", "--tracking", "9407111899560000000301", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    const doc = due(L, "2026-10-14");
    expect(doc.clocks.map((c) => [c.id, c.status])).toEqual([
      ["noe-ack", "late"],
      ["noe-response", "open"],
    ]);
    expect(doc.late).toBe(1);
    // RESPA section 6: three years from the missed day (12 U.S.C. 2614), 2029-10-13, and what a claim needs.
    expect(doc.options).toEqual([
      expect.objectContaining({
        case: tag,
        id: "respa-claim",
        name: "Sue under RESPA section 6 (12 U.S.C. 2605(f))",
        rule: "12 U.S.C. 2614 (3 years from the violation)",
        until: "2029-10-13",
        status: "open",
        basedOn: ["Notice of error: acknowledgment [12 C.F.R. 1024.35(d)], due 2026-10-13"],
      }),
    ]);
    expect(doc.options[0]?.condition).toMatch(/actual damages.*pattern or practice.*\$2,000.*2605\(f\)\(1\)\(B\)/);
    const text = ok(L("due", "--as-of", "2026-10-14")).stdout;
    const [table, options] = text.split("── Your options");
    expect(table).not.toContain("Sue");
    expect(options).toContain(`${tag}: Sue under RESPA section 6 (12 U.S.C. 2605(f)): by 2029-10-13`);
    expect(options).toContain("a missed deadline alone is not a lawsuit: ask an attorney");
    // The response missed too, on Thu 11-19: still one option, counted from the earliest miss.
    const later = due(L, "2026-11-19");
    expect(later.options.map((o) => [o.id, o.until, o.basedOn.length])).toEqual([["respa-claim", "2029-10-13", 2]]);
    // show lists it under its own heading as well.
    const shown = ok(L("show", "1", "--as-of", "2026-10-14")).stdout;
    expect(shown).toContain("── Your options (not deadlines anyone owes)\nSue under RESPA section 6");
  });

  it("a late payoff statement gives TILA's one year (15 U.S.C. 1640(e)); a payment-delay letter too", () => {
    const { L } = setupHome();
    const payoff = compose(L, "payoff-statement", ["good-through=2026-12-31"]);
    // Uploaded Thu 2026-10-01: d1 Fri 10-02, d2 Mon 10-05, d3 Tue 10-06, d4 Wed 10-07, d5 Thu 10-08,
    // d6 Fri 10-09, Mon 10-12 Columbus Day (skip), d7 Tue 10-13. Late on Wed 10-14; TILA: to 2027-10-13.
    ok(L("sent", "1", "--via", "portal", "--date", "2026-10-01"));
    // A payment received Tue 2026-09-01 and not credited that day: TILA's year runs to 2027-09-01. (Uploaded to
    // a portal the servicer did not designate, it starts no Reg X clock, so no RESPA option comes with it.)
    // Written after the payment it is about (a letter may not state a payment that had not happened).
    const delay = compose(L, "payment-delay", ["payment-date=2026-09-01", "amount=1500"], "2026-09-15");
    ok(L("sent", "2", "--via", "portal", "--date", "2026-10-02"));
    const doc = due(L, "2026-10-14");
    expect(doc.options.map((o) => [o.case, o.id, o.rule, o.until])).toEqual([
      [delay, "tila-crediting-m2", "15 U.S.C. 1640(e) (1 year from the violation)", "2027-09-01"],
      [payoff, "tila-payoff-statement", "15 U.S.C. 1640(e) (1 year from the violation)", "2027-10-13"],
    ]);
    const [crediting, late] = doc.options;
    expect(crediting?.name).toContain("15 U.S.C. 1639f");
    expect(crediting?.condition).toContain("12 C.F.R. 1026.36(c)(1)(i)");
    expect(late?.name).toContain("15 U.S.C. 1639g");
    expect(late?.condition).toContain("12 C.F.R. 1026.36(c)(3)");
    // The payoff clock is no RESPA clock: no RESPA option. Past its limit an option is no longer listed by due.
    expect(doc.options.some((o) => o.id === "respa-claim")).toBe(false);
    expect(due(L, "2027-10-14").options).toEqual([]);
    const shown = json<{ options: OptionDoc[] }>(ok(L("--json", "show", "1", "--as-of", "2027-10-14")));
    expect(shown.options.map((o) => [o.id, o.status])).toEqual([["tila-payoff-statement", "passed"]]);
  });
});

describe("item 8: the CFPB complaint process", () => {
  it('15 days for the company\'s response, 60 for its final one after "in progress", 60 for your feedback', () => {
    const { home, L } = setupHome();
    compose(L, "notice-of-error", ["error=the March 2026 payment of $1,500 was put in suspense"]);
    ok(L("mailed", "1", "--tracking", "9407111899560000000302", "--date", "2026-09-01", "--delivered", "2026-09-03"));
    ok(L("filed", "1", "--cfpb-id", "261009-1234567", "--date", "2026-10-09"));
    // Sent to the company Fri 2026-10-09: + 15 = Sat 10-24; lenient rolls to Mon 10-26.
    let clocks = due(L, "2026-10-20").clocks;
    expect(clock(clocks, "cfpb-response")).toMatchObject({ status: "open", dueStrict: "2026-10-24" });
    expect(clock(clocks, "cfpb-response").rule).toBe("CFPB complaint process (not a regulation): 15 calendar days");
    expect(clocks.some((c) => c.id === "cfpb-final")).toBe(false);

    // Errors first, nothing written: --in-progress alone, a response before the complaint, one in the future,
    // a complaint number the case does not have.
    const counts = rowCounts(home);
    expect(errorCode(L("--json", "filed", "1", "--in-progress"))).toBe("MISSING_OPTION");
    expect(errorCode(L("--json", "filed", "1", "--response-date", "2026-10-08"))).toBe("DATES_OUT_OF_ORDER");
    expect(errorCode(L("--json", "filed", "1", "--response-date", "2999-01-01"))).toBe("DATE_IN_FUTURE");
    const other = L("--json", "filed", "1", "--response-date", "2026-10-20", "--cfpb-id", "999");
    expect(errorCode(other)).toBe("NO_CFPB_COMPLAINT");
    expect(rowCounts(home)).toEqual(counts);

    // "In progress" on Tue 10-20: the 15-day clock is met; a final response is owed within 60 days of the
    // complaint: Oct 9 + 22 = Oct 31, + 30 = Nov 30 (52 days), + 8 = Tue 12-08.
    const r = ok(L("--json", "filed", "1", "--response-date", "2026-10-20", "--in-progress"));
    expect(json(r)).toMatchObject({ cfpbId: "261009-1234567", response: { on: "2026-10-20", inProgress: true } });
    clocks = due(L, "2026-10-21").clocks;
    expect(clocks.some((c) => c.id === "cfpb-response")).toBe(false); // met: no longer due
    const shown = json<{ clocks: ClockDoc[] }>(ok(L("--json", "show", "1", "--as-of", "2026-10-21"))).clocks;
    expect(clock(shown, "cfpb-response")).toMatchObject({ status: "met", metBy: null, businessDaysLate: null });
    expect(clock(shown, "cfpb-response").note).toContain('"in progress" response was recorded on 2026-10-20');
    expect(clock(clocks, "cfpb-final")).toMatchObject({
      name: 'CFPB: final response after an "in progress" reply',
      status: "open",
      dueStrict: "2026-12-08",
      dueLenient: "2026-12-08",
    });
    expect(ok(L("show", "1", "--as-of", "2026-10-21")).stdout).toContain(
      "CFPB: company response [CFPB complaint process (not a regulation): 15 calendar days]: met\n",
    );

    // The final response Tue 12-01: met; your 60 days to give feedback: Dec 1 + 30 = Dec 31, + 30 = Sat 2027-01-30.
    ok(L("filed", "1", "--response-date", "2026-12-01"));
    clocks = due(L, "2026-12-01").clocks;
    expect(clocks.some((c) => c.id === "cfpb-final")).toBe(false);
    expect(clock(clocks, "cfpb-feedback")).toMatchObject({
      party: "borrower",
      status: "open",
      dueStrict: "2027-01-30",
      name: "Give the CFPB feedback on the company's response",
    });
    expect(ok(L("due", "--as-of", "2026-12-01")).stdout).toMatch(
      // 2026-12-01 to 2027-01-30: 30 + 30 days = 60 days left.
      /2027-01-30\s+60\s+LM-\S+\s+YOU: Give the CFPB feedback on the company's response/,
    );
  });

  it("a response after the 15 days meets the clock late, and is no lawsuit", () => {
    const { L } = setupHome();
    compose(L, "notice-of-error", ["error=the March 2026 payment of $1,500 was put in suspense"]);
    ok(L("filed", "1", "--cfpb-id", "261009-7654321", "--date", "2026-10-09"));
    // Lenient due Mon 10-26; the response came Thu 10-29: Tue 27, Wed 28, Thu 29 = 3 business days late.
    ok(L("filed", "1", "--response-date", "2026-10-29"));
    const shown = json<{ clocks: ClockDoc[]; options: OptionDoc[] }>(
      ok(L("--json", "show", "1", "--as-of", "2026-10-29")),
    );
    expect(clock(shown.clocks, "cfpb-response")).toMatchObject({ status: "met", businessDaysLate: 3 });
    expect(shown.options).toEqual([]);
  });
});
