/**
 * Which rule applies, through the CLI (issue 10, items 4 to 6): loans outside Regulation X (a HELOC; a reverse
 * mortgage for 1024.41), servicing transfers (the 60-day payment protection, the year to write to the OLD servicer
 * and `compose --prior-servicer`), and payoff statements (Reg Z business days and the "reasonable time"
 * exceptions). Every date is counted by hand in the comments: d1 is the first business day after the receipt.
 * The dates are in the past (loanmail refuses future receipts); `--as-of` makes each result independent of today.
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
  note: string | null;
  startedBy: { what: string; on: string } | null;
}

type L = (...args: string[]) => RunResult;

const OUTSIDE = "outside Regulation X: no federal deadline; the servicer's own promise only";

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** Compose on a new case, written (--dated) 2026-03-02 so that it may leave on any later day; returns its JSON. */
function compose(run: L, kind: string, fields: string[], ...more: string[]) {
  const args = ["--json", "compose", kind, "--dated", "2026-03-02", "--summary", `About ${kind}.`, ...more];
  for (const f of fields) args.push("--set", f);
  return json<{
    case: { id: number; tag: string };
    message: {
      id: number;
      channel: string;
      to: string | null;
      postalAddress: string | null;
      subject: string;
      priorServicer: unknown;
    };
    warnings: string[];
  }>(ok(run(...args)));
}

const show = (run: L, id: number, asOf: string) =>
  json<{ clocks: ClockDoc[]; messages: { id: number; bodyText: string }[]; events: { type: string; data: never }[] }>(
    ok(run("--json", "show", String(id), "--as-of", asOf)),
  );

const dueDoc = (run: L, asOf: string) =>
  json<{
    clocks: (ClockDoc & { case: string | null })[];
    protections: { id: string; name: string; rule: string; from: string; until: string }[];
  }>(ok(run("--json", "due", "--as-of", asOf)));

function clock(doc: { clocks: ClockDoc[] }, id: string): ClockDoc {
  const found = doc.clocks.filter((c) => c.id === id);
  if (found.length !== 1) throw new Error(`expected one ${id}, got ${JSON.stringify(doc.clocks.map((c) => c.id))}`);
  return found[0] as ClockDoc;
}

/** The error code of a failed `--json` command (one JSON document on stderr). */
function errorCode(r: RunResult): string {
  expect(r.code).toBe(1);
  expect(r.stdout).toBe("");
  return (JSON.parse(r.stderr) as { error: { code: string } }).error.code;
}

const NOE = ["error=the March 2026 payment of $1,500 was put in suspense"];

describe("item 4: a HELOC is outside Regulation X; a reverse mortgage is outside 1024.41", () => {
  it("a HELOC's letters claim no federal deadline, and no Reg X clock runs for any of them", () => {
    const { L } = setupHome();
    ok(L("loan", "set", "1", "--product", "heloc"));
    // The notice of error still goes to the designated address by post (the user may send it), but its text
    // claims no Reg X duty, and compose says why.
    const noe = compose(L, "notice-of-error", NOE, "--loan", "1");
    expect(noe.warnings.join("\n")).toContain(OUTSIDE);
    expect(noe.warnings.join("\n")).toContain("1024.31");
    expect(noe.warnings.join("\n")).toContain("1026.13");
    ok(L("mailed", "1", "--tracking", "9407111899560000000101", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    const one = show(L, 1, "2026-11-30");
    const body = one.messages[0]?.bodyText ?? "";
    expect(body).toContain("Outside Regulation X: no federal deadline; the servicer's own promise only.");
    expect(body).not.toContain("This letter is a notice of error under 12 C.F.R. 1024.35");
    // Delivered Mon 10-05: had it been a mortgage loan, the acknowledgment would be due Tue 10-13. It is not.
    for (const id of ["noe-ack", "noe-response"]) {
      expect(clock(one, id)).toMatchObject({ status: "not-applicable", dueStrict: null });
      expect(clock(one, id).note).toMatch(/open-end line of credit \(HELOC\).*1024\.31/);
    }

    // Loss mitigation (1024.41) and force-placed insurance (1024.37): before, a HELOC showed their clocks.
    compose(L, "loss-mitigation", [], "--loan", "1");
    ok(L("sent", "2", "--via", "portal", "--date", "2026-10-05"));
    expect(clock(show(L, 2, "2026-11-30"), "lossmit-ack")).toMatchObject({ status: "not-applicable" });
    compose(L, "insurance-proof", [], "--loan", "1");
    ok(L("sent", "3", "--via", "portal", "--date", "2026-10-05"));
    expect(clock(show(L, 3, "2026-11-30"), "force-placed")).toMatchObject({ status: "not-applicable" });
    // Paid in full: no escrow refund clock (1024.34(b)) and no year to send notices (1024.35(g)).
    ok(L("event", "1", "paid-off", "--date", "2026-11-13"));
    const paid = show(L, 1, "2026-11-30");
    expect(clock(paid, "escrow-refund")).toMatchObject({ status: "not-applicable" });
    expect(paid.clocks.some((c) => c.id === "noe-window-payoff")).toBe(false);
    // Nothing of theirs is due or late.
    expect(dueDoc(L, "2026-11-30").clocks.filter((c) => c.status === "late")).toEqual([]);
    expect(L("due", "--check", "--as-of", "2026-11-30").code).toBe(0);

    // A transfer of a HELOC gives neither the 60-day protection nor the year to write to the old servicer.
    ok(L("servicer", "add", "Rocket", "--domain", "rocket.test", "--email", "help@rocket.test"));
    const moved = ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654321", "--date", "2026-11-02"));
    expect(moved.stdout).toContain("1024.31");
    const due = dueDoc(L, "2026-11-30");
    expect(due.protections).toEqual([]);
    expect(due.clocks.some((c) => c.id === "noe-window-transfer")).toBe(false);
  });

  it("a HELOC's payoff statement is Regulation Z's and keeps its 7 business days", () => {
    const { L } = setupHome();
    ok(L("loan", "set", "1", "--product", "heloc"));
    const payoff = compose(L, "payoff-statement", ["good-through=2026-12-31"], "--loan", "1");
    expect(payoff.warnings.join("\n")).not.toContain(OUTSIDE);
    ok(L("sent", "1", "--via", "portal", "--date", "2026-10-01"));
    // Received Thu 10-01: d1 Fri 10-02, d2 Mon 10-05, d3 Tue 10-06, d4 Wed 10-07, d5 Thu 10-08, d6 Fri 10-09,
    // Mon 10-12 Columbus Day (skip), d7 Tue 10-13.
    expect(clock(show(L, 1, "2026-10-13"), "payoff-statement")).toMatchObject({
      status: "open",
      dueStrict: "2026-10-13",
      dueLenient: "2026-10-13",
    });
  });

  it("a reverse mortgage: no 1024.41 clock and a letter that says so; its notice of error keeps 1024.35", () => {
    const { L } = setupHome();
    ok(L("loan", "set", "1", "--product", "reverse"));
    const app = compose(L, "loss-mitigation", [], "--loan", "1");
    expect(app.warnings.join("\n")).toContain(`${OUTSIDE} (12 C.F.R. 1024.30(b)(2)`);
    ok(L("sent", "1", "--via", "portal", "--date", "2026-10-05"));
    const view = show(L, 1, "2026-11-30");
    expect(view.messages[0]?.bodyText).toContain(
      "Outside Regulation X: no federal deadline; the servicer's own promise only. 12 C.F.R. 1024.30(b)(2): 1024.38 through 1024.41 do not apply to a reverse mortgage.",
    );
    expect(clock(view, "lossmit-ack")).toMatchObject({ status: "not-applicable" });
    expect(clock(view, "lossmit-ack").note).toContain("1024.30(b)(2)");

    // 1024.35 has no reverse-mortgage exemption: delivered Mon 10-05, acknowledgment d1 Tue 10-06 .. d4 Fri 10-09,
    // Mon 10-12 Columbus Day (skip), d5 Tue 10-13.
    const noe = compose(L, "notice-of-error", NOE, "--loan", "1");
    expect(noe.warnings.join("\n")).not.toContain(OUTSIDE);
    ok(L("mailed", "2", "--tracking", "9407111899560000000102", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    expect(clock(show(L, 2, "2026-10-13"), "noe-ack")).toMatchObject({ status: "open", dueStrict: "2026-10-13" });
  });
});

describe("item 5: a servicing transfer", () => {
  /** A home whose loan moved from Mr. Cooper (1234567) to Rocket (7654321) on `on`. */
  function transferred(on: string): { home: string; L: L; out: string } {
    const { home, L } = setupHome();
    ok(L("servicer", "add", "Rocket", "--domain", "rocket.test", "--email", "help@rocket.test"));
    const out = ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654321", "--date", on)).stdout;
    return { home, L, out };
  }

  it("60 days in which a payment sent on time to the old servicer is not late, and a year to write to it", () => {
    // Effective Tue 2026-09-01 = day 1 of 60: Sep 1-30 are days 1-30, Oct 1-30 days 31-60; the last is Fri 10-30.
    const { L, out } = transferred("2026-09-01");
    expect(out).toContain(
      "Until 2026-10-30: A payment you send to Mr. Cooper by its due date (grace period included) may not be charged a late fee or treated as late [12 C.F.R. 1024.33(c)(1) (60 days from the transfer)].",
    );
    expect(out).toContain("loanmail compose notice-of-error --loan 1 --prior-servicer");
    const last = dueDoc(L, "2026-10-30");
    expect(last.protections).toEqual([
      expect.objectContaining({ id: "transfer-payment-protection", from: "2026-09-01", until: "2026-10-30" }),
    ]);
    expect(last.protections[0]?.rule).toContain("1024.33(c)(1)");
    // One list of protections (a transfer's, and any foreclosure protection), each with its rule and last day.
    expect(ok(L("due", "--as-of", "2026-10-30")).stdout).toContain(
      [
        "── Protections (what the servicer may not do; not deadlines, they never turn late)",
        "  loan 1  A payment you send to Mr. Cooper by its due date (grace period included) may not be charged a late fee or treated as late [12 C.F.R. 1024.33(c)(1) (60 days from the transfer)]",
        "    in force since 2026-09-01 (servicing moved from Mr. Cooper to Rocket) through 2026-10-30",
      ].join("\n"),
    );
    // The 61st day it is over; the protection is never a due item, so it never turns late.
    expect(dueDoc(L, "2026-10-31").protections).toEqual([]);
    expect(ok(L("due", "--as-of", "2026-10-31")).stdout).not.toContain("── Protections");

    // The year: to the first anniversary, Wed 2027-09-01, to Mr. Cooper itself.
    const window = clock(last, "noe-window-transfer");
    expect(window).toMatchObject({ party: "borrower", status: "open", dueStrict: "2027-09-01" });
    expect(window.rule).toBe("12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)");
    expect(ok(L("due", "--as-of", "2026-10-30")).stdout).toMatch(
      // 2026-10-30 to 2027-09-01: 306 days left.
      /2027-09-01\s+306\s+loan 1\s+YOU: Send a notice of error \(or request for information\) about Mr\. Cooper to Mr\. Cooper by 2027-09-01/,
    );
  });

  it("compose --prior-servicer writes to the old servicer's notice address, under the old account number", () => {
    const { L } = transferred("2026-09-01");
    const noe = compose(L, "notice-of-error", NOE, "--loan", "1", "--prior-servicer");
    // Without it, the letter goes to Rocket, which has no designated notice address recorded.
    expect(noe.message).toMatchObject({
      channel: "post",
      postalAddress: "Mr. Cooper\nPO Box 619098\nDallas, TX 75261",
      subject: `Account Number 1234567 – Notice of Error [${noe.case.tag}]`,
    });
    expect(noe.message.priorServicer).toEqual({
      servicer_id: 1,
      servicer: "Mr. Cooper",
      account_number: "1234567",
      transferred_on: "2026-09-01",
    });
    // Delivered Mon 2026-10-05, within the year: acknowledgment d1 Tue 10-06 .. d4 Fri 10-09, Mon 10-12
    // Columbus Day (skip), d5 Tue 10-13. It reached Mr. Cooper's designated address: Mr. Cooper's clocks run.
    const mailed = ok(
      L("mailed", "1", "--tracking", "9407111899560000000201", "--date", "2026-10-01", "--delivered", "2026-10-05"),
    );
    expect(mailed.stdout).toContain("designated notice address (Mr. Cooper, PO Box 619098, Dallas, TX 75261)");
    const view = show(L, 1, "2026-10-13");
    expect(view.messages[0]?.bodyText).toMatch(
      /^Dear Mr\. Cooper:\n\nBorrower: Jane Q\. Doe\nAccount number: 1234567\n/,
    );
    expect(clock(view, "noe-ack")).toMatchObject({ status: "open", dueStrict: "2026-10-13", dueLenient: "2026-10-13" });
    // The record of the mailing names Mr. Cooper and the old account, not the loan's servicer now.
    const mailedEvent = view.events.find((e) => e.type === "mailed") as { data: { as_sent: unknown } } | undefined;
    expect(mailedEvent?.data.as_sent).toMatchObject({ servicer: "Mr. Cooper", account_number: "1234567" });
  });

  it("a notice that reaches the old servicer more than a year after the transfer starts no clock", () => {
    // Transferred Mon 2025-06-02; the year ended Tue 2026-06-02. Written 2026-03-02 (within it) but delivered
    // Mon 2026-10-05 (after it): the old servicer owes nothing (1024.35(g)(1)(iii)(A)).
    const { L } = transferred("2025-06-02");
    compose(L, "notice-of-error", NOE, "--loan", "1", "--prior-servicer", "Mr. Cooper");
    ok(L("mailed", "1", "--tracking", "9407111899560000000202", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    const ack = clock(show(L, 1, "2026-11-30"), "noe-ack");
    expect(ack.status).toBe("not-applicable");
    expect(ack.note).toContain("more than a year after servicing was transferred from it on 2025-06-02");
    expect(ack.note).toContain("1024.35(g)(1)(iii)(A)");
    // Written after the year: compose says so.
    const late = json<{ warnings: string[] }>(
      ok(
        L(
          "--json",
          "compose",
          "information-request",
          "--loan",
          "1",
          "--prior-servicer",
          "--dated",
          "2026-07-01",
          "--summary",
          "About the escrow account.",
          "--set",
          "information=the escrow disbursement ledger for 2025",
        ),
      ),
    );
    expect(late.warnings.join("\n")).toContain("Mr. Cooper need not answer");
  });

  it("refuses a prior servicer that does not exist for the loan, or a kind that cannot go to one; nothing written", () => {
    const { home, L } = setupHome();
    const before = rowCounts(home);
    const args = ["--json", "compose", "notice-of-error", "--loan", "1", "--summary", "x", "--set", NOE[0] as string];
    expect(errorCode(L(...args, "--prior-servicer"))).toBe("NO_PRIOR_SERVICER");
    ok(L("servicer", "add", "Rocket", "--domain", "rocket.test", "--email", "help@rocket.test"));
    ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654321", "--date", "2026-09-01"));
    const counts = rowCounts(home);
    // Rocket services the loan now: it is not a prior servicer.
    expect(errorCode(L(...args, "--prior-servicer", "Rocket"))).toBe("PRIOR_SERVICER_NOT_FOUND");
    expect(errorCode(L(...args, "--prior-servicer", "Nobody"))).toBe("PRIOR_SERVICER_NOT_FOUND");
    const payoff = L(
      "--json",
      "compose",
      "payoff-statement",
      "--loan",
      "1",
      "--summary",
      "x",
      "--set",
      "good-through=2026-12-31",
      "--prior-servicer",
    );
    expect(errorCode(payoff)).toBe("PRIOR_SERVICER_KIND");
    const text = L(
      "compose",
      "payoff-statement",
      "--loan",
      "1",
      "--summary",
      "x",
      "--set",
      "good-through=2026-12-31",
      "--prior-servicer",
    );
    expect(text.stderr).toContain("payoff-statement cannot go to a prior servicer");
    expect(text.stderr).toContain("hint: only a notice of error or a request for information");
    expect(rowCounts(home)).toEqual(counts);
    expect(before.messages).toBe(0);
  });
});

describe("item 6: payoff statements (12 C.F.R. 1026.36(c)(3))", () => {
  const planned = (run: L, ...args: string[]) =>
    json<{ clocks: ClockDoc[] }>(ok(run("--json", "deadline", "payoff-statement", ...args)));

  it("7 business days as Regulation Z defines them, with the observed holiday closed only under lenient", () => {
    const { L } = setupHome();
    // Received Wed 2026-07-01; Jul 4 is a Saturday, observed Fri 07-03.
    // Strict (only the holiday's own date closed): d1 Thu 07-02, d2 Fri 07-03, d3 Mon 07-06, d4 Tue 07-07,
    // d5 Wed 07-08, d6 Thu 07-09, d7 Fri 07-10. Lenient (the servicer closed on the observed day): d1 Thu 07-02,
    // d2 Mon 07-06 .. d5 Thu 07-09, d6 Fri 07-10, d7 Mon 07-13.
    const c = clock(planned(L, "--received", "2026-07-01"), "payoff-statement");
    expect(c).toMatchObject({ dueStrict: "2026-07-10", dueLenient: "2026-07-13" });
    expect(c.rule).toBe("12 C.F.R. 1026.36(c)(3) (business days: 1026.2(a)(6))");
  });

  it.each([
    ["bankruptcy", "the loan is in bankruptcy"],
    ["foreclosure", "the loan is in foreclosure"],
    ["shared-appreciation", "the loan is a shared appreciation mortgage"],
    ["disaster", "of a natural disaster or a similar circumstance"],
  ])("circumstance=%s: within a reasonable time, no date and no late flag", (circumstance, why) => {
    const { L } = setupHome();
    const c = clock(
      planned(L, "--received", "2026-07-01", "--set", `circumstance=${circumstance}`),
      "payoff-statement",
    );
    expect(c).toMatchObject({ status: "not-applicable", dueStrict: null, dueLenient: null });
    expect(c.note).toContain(`because ${why}`);
    expect(c.note).toContain('"a reasonable time"');
    const text = ok(
      L("deadline", "payoff-statement", "--received", "2026-07-01", "--set", `circumstance=${circumstance}`),
    );
    expect(text.stdout).toContain(
      "Payoff statement [12 C.F.R. 1026.36(c)(3) (business days: 1026.2(a)(6))]: no date; ",
    );
  });

  it("a request in foreclosure, or on a reverse mortgage, is never called late, months later", () => {
    const { L } = setupHome();
    compose(L, "payoff-statement", ["good-through=2026-12-31", "circumstance=foreclosure"], "--loan", "1");
    ok(L("sent", "1", "--via", "portal", "--date", "2026-09-01"));
    expect(clock(show(L, 1, "2026-11-30"), "payoff-statement").status).toBe("not-applicable");
    ok(L("loan", "set", "1", "--product", "reverse"));
    compose(L, "payoff-statement", ["good-through=2026-12-31"], "--loan", "1");
    ok(L("sent", "2", "--via", "portal", "--date", "2026-09-01"));
    const c = clock(show(L, 2, "2026-11-30"), "payoff-statement");
    expect(c.status).toBe("not-applicable");
    expect(c.note).toContain("because the loan is a reverse mortgage");
    expect(L("due", "--check", "--as-of", "2026-11-30").code).toBe(0);
    // Without a circumstance the same request is late: sent Tue 09-01: d1 Wed 09-02 .. d3 Fri 09-04, Mon 09-07
    // Labor Day (skip), d4 Tue 09-08 .. d7 Fri 09-11.
    ok(L("loan", "set", "1", "--product", "closed-end"));
    compose(L, "payoff-statement", ["good-through=2026-12-31"], "--loan", "1");
    ok(L("sent", "3", "--via", "portal", "--date", "2026-09-01"));
    expect(clock(show(L, 3, "2026-09-14"), "payoff-statement")).toMatchObject({
      status: "late",
      dueStrict: "2026-09-11",
    });
  });

  it("refuses a circumstance that is not one of the rule's", () => {
    const { home, L } = setupHome();
    const before = rowCounts(home);
    const r = L(
      "--json",
      "compose",
      "payoff-statement",
      "--loan",
      "1",
      "--summary",
      "x",
      "--set",
      "good-through=2026-12-31",
      "--set",
      "circumstance=divorce",
    );
    expect(errorCode(r)).toBe("FIELD_NOT_A_CHOICE");
    expect(rowCounts(home)).toEqual(before);
  });
});
