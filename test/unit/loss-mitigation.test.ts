/**
 * Loss mitigation (12 C.F.R. 1024.41) and dual tracking, as pure rules: the cases the CLI tests do not reach. Every
 * date is counted by hand in the comments (calendar days unless said otherwise).
 */
import { describe, expect, it } from "vitest";
import { type CaseClockInput, type ClockEvent, computeClocks, type LoanFacts } from "../../src/domain/clocks.js";
import { caseProtections, delinquencyProtection } from "../../src/domain/dual-tracking.js";
import { applicationsOf, offerTerms } from "../../src/domain/loss-mitigation-clocks.js";

const LOAN: LoanFacts = { product: "closed-end", principalResidence: true, smallServicer: false, slaDays: 3 };

const ev = (type: ClockEvent["type"], on: string, more: Record<string, string> = {}): ClockEvent => ({
  type,
  on,
  data: { on, ...more },
});

const input = (events: ClockEvent[], loan: Partial<LoanFacts> = {}): CaseClockInput => ({
  loan: { ...LOAN, ...loan },
  letters: [],
  replies: [],
  events,
});

const pick = (events: ClockEvent[], asOf: string, id: string, loan: Partial<LoanFacts> = {}) => {
  const found = computeClocks(input(events, loan), asOf).filter((c) => c.id === id);
  if (found.length !== 1) throw new Error(`expected one ${id}, got ${found.length}`);
  return found[0];
};

describe("applications", () => {
  it("an application-complete recorded again for the same day corrects the first (a sale date added)", () => {
    const apps = applicationsOf([
      ev("application-complete", "2026-06-01"),
      ev("application-complete", "2026-06-01", { "sale-date": "2026-07-08" }),
    ]);
    expect(apps).toHaveLength(1);
    // Jun 1 -> Jul 1 is 30 days, -> Jul 8 is 37.
    expect(apps[0]?.timing).toEqual({ kind: "before-sale", complete: "2026-06-01", sale: "2026-07-08", days: 37 });
  });

  it("a later complete application is a second one, with its own clock ids", () => {
    const events = [ev("application-complete", "2026-01-05"), ev("application-complete", "2026-06-01")];
    const ids = computeClocks(input(events), "2026-06-02")
      .map((c) => c.id)
      .filter((id) => id.startsWith("lossmit-"));
    expect(ids).toEqual(["lossmit-decision", "lossmit-decision-a2"]);
  });
});

describe("offers", () => {
  it("with no complete application recorded, an offer 90 days or more before its sale surely gets 14 days", () => {
    // Offer Mon 2026-06-01, sale Mon 2026-08-31: Jun 1 -> Jul 1 30, -> Aug 1 61, -> Aug 31 91 days.
    const [app] = applicationsOf([ev("offer", "2026-06-01", { "sale-date": "2026-08-31", "accept-by": "2026-06-05" })]);
    expect(app && offerTerms(app, app.events[0] as ClockEvent)).toMatchObject({
      minimum: 14,
      due: "2026-06-15",
      short: true,
    });
  });

  it("with no complete application and an offer closer to the sale, the minimum is not known: the offer's date stands", () => {
    // Offer Mon 06-01, sale Mon 08-03: 63 days; the application could have been complete 90 days before or not.
    const events = [ev("offer", "2026-06-01", { "sale-date": "2026-08-03", "accept-by": "2026-06-05" })];
    const c = pick(events, "2026-06-02", "lossmit-accept");
    expect(c).toMatchObject({ dueStrict: "2026-06-05", status: "open" });
    expect(c?.flag ?? null).toBeNull();
    expect(c?.note).toContain("cannot check the minimum");
  });

  it("37 days or fewer before the sale there is no minimum; an offer without a date has no deadline to show", () => {
    const events = [ev("application-complete", "2026-06-01", { "sale-date": "2026-07-08" }), ev("offer", "2026-06-10")];
    const c = pick(events, "2026-06-11", "lossmit-accept");
    expect(c).toMatchObject({ party: "borrower", status: "not-applicable", dueStrict: null });
    expect(c?.note).toContain("ask the servicer by when");
  });

  it("an answer after the deadline meets it late, by business days", () => {
    // Complete Mon 06-01, no sale: 14 days. Offer Mon 06-01 + 14 = Mon 06-15. Rejected Wed 06-17: Tue 16 (1),
    // Wed 17 (2).
    const events = [ev("application-complete", "2026-06-01"), ev("offer", "2026-06-01"), ev("rejected", "2026-06-17")];
    expect(pick(events, "2026-06-20", "lossmit-accept")).toMatchObject({
      status: "met",
      metByEvent: { type: "rejected", on: "2026-06-17" },
      businessDaysLate: 2,
    });
  });
});

describe("appeals", () => {
  it("a denial with no complete application recorded keeps its deadline, saying when an appeal exists", () => {
    // Notice dated Fri 2026-11-13 + 14 = Fri 11-27.
    const c = pick([ev("denied", "2026-11-13")], "2026-11-16", "lossmit-appeal");
    expect(c).toMatchObject({ dueStrict: "2026-11-27", startedBy: { what: "denial notice provided (its date)" } });
    expect(c?.note).toContain("90 days or more before a foreclosure sale");
  });

  it("a denial 90 days or more before its sale needs no recorded application to show the appeal as sure", () => {
    // Notice Mon 2026-06-01, sale Mon 2026-08-31: 91 days (Jun 1 -> Jul 1 30, -> Aug 1 61, -> Aug 31 91).
    const c = pick([ev("denied", "2026-06-01", { "sale-date": "2026-08-31" })], "2026-06-02", "lossmit-appeal");
    expect(c).toMatchObject({ dueStrict: "2026-06-15", status: "open" });
    expect(c?.note).toBe("for a denied trial or permanent loan modification (12 C.F.R. 1024.41(h)(1))");
  });

  it("a reverse mortgage has no 1024.41 appeal nor evaluation clock", () => {
    const events = [ev("application-complete", "2026-06-01"), ev("denied", "2026-06-20")];
    for (const id of ["lossmit-decision", "lossmit-appeal"])
      expect(pick(events, "2026-06-21", id, { product: "reverse" })?.status).toBe("not-applicable");
  });

  it("an appeal after the 14 days starts no servicer clock", () => {
    // Notice Mon 06-01 + 14 = Mon 06-15; appealed Tue 06-16.
    const events = [ev("application-complete", "2026-05-01"), ev("denied", "2026-06-01"), ev("appealed", "2026-06-16")];
    const c = pick(events, "2026-06-20", "lossmit-appeal-decision");
    expect(c?.status).toBe("not-applicable");
    expect(c?.note).toContain("after the 14 days");
    expect(pick(events, "2026-06-20", "lossmit-appeal")).toMatchObject({ status: "met", businessDaysLate: 1 });
  });
});

describe("protections", () => {
  it("the 120-day bar runs through D + 120 and not at all on a day before D", () => {
    // Delinquent from Thu 2026-01-01: +31 = Feb 1, +59 = Mar 1, +90 = Apr 1, +120 = Fri 2026-05-01.
    const loan = { ...LOAN, delinquentSince: "2026-01-01" };
    expect(delinquencyProtection(loan, "2026-05-01")).toMatchObject({ status: "in-force", until: "2026-05-01" });
    expect(delinquencyProtection(loan, "2026-05-02")?.status).toBe("ended");
    expect(delinquencyProtection(loan, "2025-12-31")).toBeNull();
    expect(delinquencyProtection({ ...loan, delinquentSince: null }, "2026-03-01")).toBeNull();
    expect(delinquencyProtection({ ...loan, principalResidence: false }, "2026-03-01")?.status).toBe("not-applicable");
  });

  it("an accepted offer keeps the bars in force with no end date while the borrower performs", () => {
    const events = [ev("application-complete", "2026-06-01"), ev("offer", "2026-06-20"), ev("accepted", "2026-06-25")];
    const ps = caseProtections(input(events), "2026-12-01");
    // No sale scheduled when complete: both bars, the first filing's (f)(2) and the sale's (g).
    expect(ps.map((p) => [p.rule, p.status, p.until])).toEqual([
      ["12 C.F.R. 1024.41(f)(2)", "in-force", null],
      ["12 C.F.R. 1024.41(g)", "in-force", null],
    ]);
    expect(ps[1]?.ends).toContain("while you perform under the agreement");
  });

  it("a rejection ends them that day; a denial with no appeal right ends them with the notice", () => {
    const rejected = [
      ev("application-complete", "2026-06-01"),
      ev("offer", "2026-06-20"),
      ev("rejected", "2026-06-22"),
    ];
    expect(caseProtections(input(rejected), "2026-06-22")[1]).toMatchObject({
      status: "in-force",
      until: "2026-06-22",
    });
    expect(caseProtections(input(rejected), "2026-06-23")[1]?.status).toBe("ended");
    // Complete Mon 06-01 with the sale on Mon 08-03 (63 days): no appeal, so the denial of 06-20 ends the bar.
    const denied = [
      ev("application-complete", "2026-06-01", { "sale-date": "2026-08-03" }),
      ev("denied", "2026-06-20"),
    ];
    const [sale] = caseProtections(input(denied), "2026-06-21");
    expect(sale).toMatchObject({ rule: "12 C.F.R. 1024.41(g)", status: "ended", until: "2026-06-20" });
  });
});

describe("a foreclosure notice of error with a sale date already past on receipt", () => {
  it("caps nothing: the 30 business days of 1024.35(e)(3)(i)(B) run, never 'late on arrival'", () => {
    // Received Fri 2026-10-09, sale given as Thu 10-01. d1 Tue 10-13 (Mon 10-12 Columbus Day), d4 Fri 10-16,
    // d5-d9 Oct 19-23, d10-d14 Oct 26-30, d15-d19 Nov 2-6, d20 Mon 11-09, d21 Tue 11-10, Wed 11-11 Veterans Day
    // (skip), d22 Thu 11-12, d23 Fri 11-13, d24-d28 Nov 16-20, d29 Mon 11-23, d30 Tue 11-24.
    const letter = {
      messageId: 1,
      kind: "notice-of-error" as const,
      substance: "noe" as const,
      formal: true,
      designation: { designated: true as const, where: "the designated channel" },
      channel: "notice-email" as const,
      leftOn: "2026-10-09",
      deliveredOn: null,
      fields: { type: "foreclosure", "sale-date": "2026-10-01" },
    };
    const clocks = computeClocks({ loan: LOAN, letters: [letter], replies: [], events: [] }, "2026-10-09");
    const response = clocks.find((c) => c.id === "noe-response");
    expect(response).toMatchObject({ status: "open", dueStrict: "2026-11-24", dueLenient: "2026-11-24", note: null });
  });
});
