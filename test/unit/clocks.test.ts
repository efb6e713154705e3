/**
 * Every clock of DESIGN §4 with a worked example counted BY HAND, not with the code under test. Each example says
 * how it was counted: "d1" is business day 1, the first business day AFTER the starting event; weekends and the
 * legal public holidays of 5 U.S.C. 6103(a) are named where they are skipped.
 *
 * Calendar facts used below (weekdays read off a printed calendar):
 *   2026: Jan 1 Thu; Mar 7 Sat; May 25 Mon Memorial Day; Jun 1 Mon; Jun 19 Fri Juneteenth; Jul 3 Fri = the
 *         observed Independence Day (Jul 4 is a Saturday); Sep 7 Mon Labor Day; Oct 3 Sat; Oct 12 Mon Columbus Day;
 *         Nov 2 Mon; Nov 11 Wed Veterans Day; Nov 26 Thu Thanksgiving; Dec 25 Fri Christmas.
 *   2027: Jan 1 Fri New Year's Day (no observed shift); Jan 31 Sun.
 */
import { describe, expect, it } from "vitest";
import type { ReplyClass } from "../../src/domain/classify.js";
import {
  type CaseClockInput,
  type Clock,
  type ClockEvent,
  type ClockLetter,
  type ClockReply,
  caseOptions,
  computeClocks,
  type LoanFacts,
  MAIL_WINDOW,
  transferDeadline,
} from "../../src/domain/clocks.js";
import { designationOf, type NoticeDesignations } from "../../src/domain/designation.js";

const LOAN: LoanFacts = { product: "closed-end", principalResidence: true, smallServicer: false, slaDays: 3 };

type LetterSpec = Partial<ClockLetter> & Pick<ClockLetter, "kind" | "substance">;

/** What the test servicer designated for notices: an address and an email, no portal. */
const DESIGNATED: NoticeDesignations = {
  name: "Test Servicing",
  noticeAddress: "PO Box 1, Dallas TX 75201",
  noticeEmail: "notices@servicer.test",
  noticePortal: null,
};

/**
 * A formal letter at the designated channel (notice email), received the day it left, unless told otherwise. A
 * letter by email other than the notice email goes to customer service; a posted one to the notice address.
 */
function letter(spec: LetterSpec): ClockLetter {
  const base = {
    messageId: 1,
    formal: true,
    channel: "notice-email" as ClockLetter["channel"],
    leftOn: null,
    deliveredOn: null,
    fields: {},
    ...spec,
  };
  const to = base.channel === "notice-email" ? DESIGNATED.noticeEmail : "service@servicer.test";
  const departure = { formal: base.formal, channel: base.channel, to, postalAddress: DESIGNATED.noticeAddress };
  return { designation: designationOf(departure, DESIGNATED), ...base };
}

const noe = (leftOn: string, more: Partial<ClockLetter> = {}) =>
  letter({ kind: "notice-of-error", substance: "noe", leftOn, ...more });
const rfi = (leftOn: string, more: Partial<ClockLetter> = {}) =>
  letter({ kind: "information-request", substance: "rfi", leftOn, ...more });

let replyId = 100;
const reply = (receivedOn: string, cls: ReplyClass): ClockReply => ({
  messageId: replyId++,
  receivedOn,
  class: cls,
});

function compute(
  asOf: string,
  parts: { letters?: ClockLetter[]; replies?: ClockReply[]; events?: ClockEvent[]; loan?: Partial<LoanFacts> },
): Clock[] {
  const input: CaseClockInput = {
    loan: { ...LOAN, ...parts.loan },
    letters: parts.letters ?? [],
    replies: parts.replies ?? [],
    events: parts.events ?? [],
  };
  return computeClocks(input, asOf);
}

function pick(clocks: readonly Clock[], id: string): Clock {
  const found = clocks.filter((c) => c.id === id);
  if (found.length !== 1) throw new Error(`expected one clock "${id}", got: ${clocks.map((c) => c.id).join(", ")}`);
  return found[0] as Clock;
}

/** [strict, lenient] due dates. */
const due = (c: Clock) => [c.dueStrict, c.dueLenient];

describe("servicer's own promise (email to the correspondence address)", () => {
  // An ordinary (not formal) payment-application letter, an NOE in substance, emailed on Wed 2026-11-25.
  const email = letter({
    kind: "payment-application",
    substance: "noe",
    formal: false,
    channel: "email",
    leftOn: "2026-11-25",
  });

  it("runs the servicer's default 3 business days", () => {
    // Wed 11-25 sent. Thu 11-26 Thanksgiving (skip). d1 Fri 11-27, Sat/Sun skip, d2 Mon 11-30, d3 Tue 12-01.
    const c = pick(compute("2026-11-27", { letters: [email] }), "promise-1");
    expect(due(c)).toEqual(["2026-12-01", "2026-12-01"]);
    expect(c.status).toBe("open");
    expect(c.party).toBe("servicer");
    expect(c.rule).toContain("3 business days");
    expect(c.startedBy).toMatchObject({ on: "2026-11-25", messageId: 1 });
  });

  it("runs the servicer's own setting (5 business days)", () => {
    // d1 Fri 11-27, d2 Mon 11-30, d3 Tue 12-01, d4 Wed 12-02, d5 Thu 12-03.
    const c = pick(compute("2026-11-27", { letters: [email], loan: { slaDays: 5 } }), "promise-1");
    expect(due(c)).toEqual(["2026-12-03", "2026-12-03"]);
  });

  it("a non-formal NOE-kind email starts only the promise clock, and says why no Reg X clock started", () => {
    const clocks = compute("2026-11-27", { letters: [email] });
    expect(clocks.filter((c) => c.startedBy !== null).map((c) => c.id)).toEqual(["promise-1"]);
    expect(clocks.some((c) => c.id.startsWith("noe-"))).toBe(false);
    const regx = clocks.find((c) => c.id === "regx-1");
    expect(regx?.status).toBe("not-applicable");
    expect(regx?.note).toMatch(/^Reg X clocks do not run: an ordinary letter.*--formal.*1024\.35\(c\)/);
  });

  it("any reply but 'other' keeps the promise", () => {
    const c = pick(compute("2026-12-01", { letters: [email], replies: [reply("2026-11-30", "other")] }), "promise-1");
    expect(c.status).toBe("open");
    const met = pick(
      compute("2026-12-01", { letters: [email], replies: [reply("2026-11-30", "documents-requested")] }),
      "promise-1",
    );
    expect(met.status).toBe("met");
  });
});

describe("notice of error", () => {
  // Received at the designated notice email on Mon 2026-06-01.
  const clocks = compute("2026-06-01", { letters: [noe("2026-06-01")] });

  it("acknowledgment: 5 business days (1024.35(d))", () => {
    // d1 Tue 06-02, d2 Wed 06-03, d3 Thu 06-04, d4 Fri 06-05, (weekend), d5 Mon 06-08.
    const c = pick(clocks, "noe-ack");
    expect(due(c)).toEqual(["2026-06-08", "2026-06-08"]);
    expect(c.rule).toBe("12 C.F.R. 1024.35(d)");
    expect(c.startedBy).toMatchObject({ on: "2026-06-01", messageId: 1 });
    expect(c.status).toBe("open");
  });

  it("general: response in 30 business days (1024.35(e)(3)(i)(C)); strict and lenient part at the observed July 3", () => {
    // June: Tue 2..Fri 5 = d1-d4; Mon 8..Fri 12 = d5-d9; Mon 15..Thu 18 = d10-d13; Fri 19 Juneteenth (skip);
    // Mon 22..Fri 26 = d14-d18; Mon 29 = d19, Tue 30 = d20. July: Wed 1 = d21, Thu 2 = d22.
    // Fri Jul 3 is the observed Independence Day (Jul 4 is a Saturday): strict counts it (d23), lenient does not.
    //   strict:  Mon 6 d24, Tue 7 d25, Wed 8 d26, Thu 9 d27, Fri 10 d28, Mon 13 d29, Tue 14 d30 -> 2026-07-14
    //   lenient: Mon 6 d23, Tue 7 d24, Wed 8 d25, Thu 9 d26, Fri 10 d27, Mon 13 d28, Tue 14 d29, Wed 15 d30
    const c = pick(clocks, "noe-response");
    expect(due(c)).toEqual(["2026-07-14", "2026-07-15"]);
    expect(c.rule).toBe("12 C.F.R. 1024.35(e)(3)(i)(C)");
    expect(c.name).toBe("Notice of error: response");
  });

  it("payoff balance: 7 business days (1024.35(e)(3)(i)(A)), no extension", () => {
    // Received Tue 2026-11-24. d1 Wed 11-25, Thu 11-26 Thanksgiving (skip), d2 Fri 11-27, d3 Mon 11-30,
    // d4 Tue 12-01, d5 Wed 12-02, d6 Thu 12-03, d7 Fri 12-04.
    const letters = [noe("2026-11-24", { fields: { type: "payoff" } })];
    const c = pick(compute("2026-11-24", { letters }), "noe-response");
    expect(due(c)).toEqual(["2026-12-04", "2026-12-04"]);
    expect(c.rule).toBe("12 C.F.R. 1024.35(e)(3)(i)(A)");
    // An extension letter within the time changes nothing: this clock has no extension.
    const ext = pick(compute("2026-12-04", { letters, replies: [reply("2026-12-02", "extension")] }), "noe-response");
    expect(due(ext)).toEqual(["2026-12-04", "2026-12-04"]);
    expect(ext.extendedBy).toBeNull();
  });

  it("foreclosure sale: the day before the sale when that is earlier than 30 business days (1024.35(e)(3)(i)(B))", () => {
    // Received Mon 06-01 (30 X-bd: 07-14 strict, 07-15 lenient, as above); sale Fri 06-26: due the day before.
    const letters = [noe("2026-06-01", { fields: { type: "foreclosure", "sale-date": "2026-06-26" } })];
    const c = pick(compute("2026-06-01", { letters }), "noe-response");
    expect(due(c)).toEqual(["2026-06-25", "2026-06-25"]);
    expect(c.rule).toBe("12 C.F.R. 1024.35(e)(3)(i)(B)");
    expect(c.note).toContain("2026-06-26");
  });

  it("foreclosure sale: 30 business days when they end before the sale", () => {
    // Sale Tue 2026-09-01, long after 07-14 / 07-15: the 30 business days win.
    const letters = [noe("2026-06-01", { fields: { type: "foreclosure", "sale-date": "2026-09-01" } })];
    expect(due(pick(compute("2026-06-01", { letters }), "noe-response"))).toEqual(["2026-07-14", "2026-07-15"]);
  });

  it("foreclosure sale: the lenient date never falls on or after the sale either", () => {
    // Sale Wed 2026-07-15. Strict 30 X-bd = Tue 07-14 = the day before the sale (tie: 07-14 either way). Lenient
    // 30 X-bd = Wed 07-15 = the sale day itself, later than "before the sale": the earlier, 07-14, wins.
    const letters = [noe("2026-06-01", { fields: { type: "foreclosure", "sale-date": "2026-07-15" } })];
    expect(due(pick(compute("2026-06-01", { letters }), "noe-response"))).toEqual(["2026-07-14", "2026-07-14"]);
  });
});

describe("request for information", () => {
  // Delivered by certified post to the designated address on Thu 2026-10-08.
  const letters = [rfi("2026-10-05", { channel: "post", deliveredOn: "2026-10-08" })];
  const clocks = compute("2026-10-08", { letters });

  it("acknowledgment: 5 business days (1024.36(c)) from delivery", () => {
    // d1 Fri 10-09, Mon 10-12 Columbus Day (skip), d2 Tue 10-13, d3 Wed 10-14, d4 Thu 10-15, d5 Fri 10-16.
    const c = pick(clocks, "rfi-ack");
    expect(due(c)).toEqual(["2026-10-16", "2026-10-16"]);
    expect(c.rule).toBe("12 C.F.R. 1024.36(c)");
    expect(c.startedBy?.on).toBe("2026-10-08");
  });

  it("general: response in 30 business days (1024.36(d)(2)(i)(B))", () => {
    // d1 Fri 10-09; Mon 10-12 Columbus Day (skip); Tue 13..Fri 16 = d2-d5; Oct 19-23 = d6-d10; Oct 26-30 =
    // d11-d15; Nov 2-6 = d16-d20; Mon 9 d21, Tue 10 d22, Wed 11 Veterans Day (skip), Thu 12 d23, Fri 13 d24;
    // Nov 16-20 = d25-d29; Mon 11-23 = d30.
    const c = pick(clocks, "rfi-response");
    expect(due(c)).toEqual(["2026-11-23", "2026-11-23"]);
    expect(c.rule).toBe("12 C.F.R. 1024.36(d)(2)(i)(B)");
  });

  it("owner or assignee: 10 business days (1024.36(d)(2)(i)(A)), over Christmas and New Year", () => {
    // Received Fri 2026-12-18. d1 Mon 12-21, d2 Tue 12-22, d3 Wed 12-23, d4 Thu 12-24, Fri 12-25 Christmas (skip),
    // d5 Mon 12-28, d6 Tue 12-29, d7 Wed 12-30, d8 Thu 12-31, Fri 2027-01-01 New Year's Day (skip), d9 Mon 01-04,
    // d10 Tue 01-05. Its acknowledgment: d5 = Mon 12-28.
    const owner = letter({ kind: "owner-request", substance: "owner-rfi", leftOn: "2026-12-18" });
    const owned = compute("2026-12-18", { letters: [owner] });
    const c = pick(owned, "owner-response");
    expect(due(c)).toEqual(["2027-01-05", "2027-01-05"]);
    expect(c.rule).toBe("12 C.F.R. 1024.36(d)(2)(i)(A)");
    expect(due(pick(owned, "rfi-ack"))).toEqual(["2026-12-28", "2026-12-28"]);
    // An extension letter on Wed 12-23 does nothing to a 10-day clock.
    const ext = pick(
      compute("2026-12-23", { letters: [owner], replies: [reply("2026-12-23", "extension")] }),
      "owner-response",
    );
    expect(due(ext)).toEqual(["2027-01-05", "2027-01-05"]);
    expect(ext.extendedBy).toBeNull();
  });

  it("documents relied on: 15 business days (1024.35(e)(4))", () => {
    // Received Wed 2026-05-20. d1 Thu 05-21, d2 Fri 05-22, Mon 05-25 Memorial Day (skip), d3 Tue 05-26,
    // d4 Wed 05-27, d5 Thu 05-28, d6 Fri 05-29, d7-d11 Mon 06-01..Fri 06-05, d12 Mon 06-08, d13 Tue 06-09,
    // d14 Wed 06-10, d15 Thu 06-11.
    const docs = letter({ kind: "relied-documents", substance: "relied-documents", leftOn: "2026-05-20" });
    const c = pick(compute("2026-05-20", { letters: [docs] }), "relied-documents");
    expect(due(c)).toEqual(["2026-06-11", "2026-06-11"]);
    expect(c.rule).toBe("12 C.F.R. 1024.35(e)(4)");
  });
});

describe("payoff statement (Reg Z)", () => {
  const payoff = (leftOn: string) =>
    letter({ kind: "payoff-statement", substance: "payoff", formal: false, channel: "email", leftOn });

  it("7 business days from receipt of the written request (1026.36(c)(3))", () => {
    // Emailed to the payoff address Thu 2026-12-31. Fri 2027-01-01 New Year's Day (skip), d1 Mon 01-04,
    // d2 Tue 01-05, d3 Wed 01-06, d4 Thu 01-07, d5 Fri 01-08, d6 Mon 01-11, d7 Tue 01-12.
    const clocks = compute("2026-12-31", { letters: [payoff("2026-12-31")] });
    const c = pick(clocks, "payoff-statement");
    expect(due(c)).toEqual(["2027-01-12", "2027-01-12"]);
    expect(c.rule).toBe("12 C.F.R. 1026.36(c)(3) (business days: 1026.2(a)(6))");
    // An acknowledgment is not a payoff statement.
    const acked = pick(
      compute("2027-01-13", { letters: [payoff("2026-12-31")], replies: [reply("2027-01-04", "acknowledgment")] }),
      "payoff-statement",
    );
    expect(acked.status).toBe("late");
    expect(acked.businessDaysLate).toBe(1);
  });

  it("a reverse mortgage gets a reasonable time, not an invented 7-day clock", () => {
    const c = pick(
      compute("2026-12-31", { letters: [payoff("2026-12-31")], loan: { product: "reverse" } }),
      "payoff-statement",
    );
    expect(c.status).toBe("not-applicable");
    expect(c.note).toMatch(/reasonable time/);
  });
});

describe("loss mitigation (1024.41)", () => {
  const application = (leftOn: string, sale?: string) =>
    letter({
      kind: "loss-mitigation",
      substance: "loss-mitigation",
      formal: false,
      channel: "email",
      leftOn,
      fields: sale ? { "sale-date": sale } : {},
    });

  it("acknowledgment: 5 business days when received 45 days or more before the sale", () => {
    // Received Mon 2026-08-31; sale Thu 2026-10-15 = Aug 31 + 45 days (Sep 1 is +1, Sep 30 +30, Oct 15 +45):
    // exactly 45 days, so the clock runs. d1 Tue 09-01, d2 Wed 09-02, d3 Thu 09-03, d4 Fri 09-04,
    // Mon 09-07 Labor Day (skip), d5 Tue 09-08.
    const c = pick(compute("2026-08-31", { letters: [application("2026-08-31", "2026-10-15")] }), "lossmit-ack");
    expect(due(c)).toEqual(["2026-09-08", "2026-09-08"]);
    expect(c.status).toBe("open");
    expect(c.rule).toMatch(/^12 C\.F\.R\. 1024\.41\(b\)\(2\)/);
  });

  it("acknowledgment: not applicable when received fewer than 45 days before the sale", () => {
    // Sale Wed 2026-10-14 is only 44 days after Aug 31.
    const c = pick(compute("2026-08-31", { letters: [application("2026-08-31", "2026-10-14")] }), "lossmit-ack");
    expect(c.status).toBe("not-applicable");
    expect(c.note).toMatch(/fewer than 45 days/);
    expect(c.dueStrict).toBeNull();
  });

  it("decision: 30 calendar days after the application is complete, lenient rolled off a Sunday", () => {
    // Complete Fri 2026-09-04. +26 = Wed 09-30, +30 = Sun 10-04: strict 10-04, lenient rolls to Mon 10-05.
    // Sale Mon 2026-10-12 = Sep 4 + 38 days (Sep 4 + 26 = Sep 30, + 12 = Oct 12): more than 37, so it runs.
    const events: ClockEvent[] = [
      { type: "application-complete", on: "2026-09-04", data: { on: "2026-09-04", "sale-date": "2026-10-12" } },
    ];
    const c = pick(compute("2026-09-04", { events }), "lossmit-decision");
    expect(due(c)).toEqual(["2026-10-04", "2026-10-05"]);
    expect(c.rule).toBe("12 C.F.R. 1024.41(c)(1)");
    expect(c.status).toBe("open");
  });

  it("decision: not applicable when complete 37 days or fewer before the sale", () => {
    // Sale Sun 2026-10-11 = Sep 4 + 37 days exactly.
    const events: ClockEvent[] = [
      { type: "application-complete", on: "2026-09-04", data: { on: "2026-09-04", "sale-date": "2026-10-11" } },
    ];
    const c = pick(compute("2026-09-04", { events }), "lossmit-decision");
    expect(c.status).toBe("not-applicable");
    expect(c.note).toMatch(/37 days or fewer/);
  });

  it.each([
    ["a reverse mortgage", { product: "reverse" as const }, /reverse mortgage/],
    ["a small servicer", { smallServicer: true }, /small servicer/],
    ["a property that is not the principal residence", { principalResidence: false }, /principal residence/],
  ])("shows no Reg X clock for %s", (_what, loan, why) => {
    const events: ClockEvent[] = [{ type: "application-complete", on: "2026-09-04", data: { on: "2026-09-04" } }];
    const clocks = compute("2026-09-04", { letters: [application("2026-08-31")], events, loan });
    for (const id of ["lossmit-ack", "lossmit-decision"]) {
      const c = pick(clocks, id);
      expect(c.status).toBe("not-applicable");
      expect(c.note).toContain("no Reg X clock");
      expect(c.note).toMatch(why);
    }
  });

  it("a documents-requested notice is the acknowledgment the rule asks for", () => {
    const c = pick(
      compute("2026-09-08", {
        letters: [application("2026-08-31")],
        replies: [reply("2026-09-03", "documents-requested")],
      }),
      "lossmit-ack",
    );
    expect(c.status).toBe("met");
  });
});

describe("event clocks", () => {
  it("escrow refund: 20 business days after payment in full (1024.34(b)), and the borrower's 1-year window", () => {
    // Paid off Fri 2026-11-13. Nov 16-20 = d1-d5; Mon 23 d6, Tue 24 d7, Wed 25 d8, Thu 26 Thanksgiving (skip),
    // Fri 27 d9; Mon 30 d10; Dec 1-4 = d11-d14; Dec 7-11 = d15-d19; Mon 12-14 = d20.
    const clocks = compute("2026-11-13", {
      events: [{ type: "paid-off", on: "2026-11-13", data: { on: "2026-11-13" } }],
    });
    const c = pick(clocks, "escrow-refund");
    expect(due(c)).toEqual(["2026-12-14", "2026-12-14"]);
    expect(c.rule).toBe("12 C.F.R. 1024.34(b)");
    const window = pick(clocks, "noe-window-payoff");
    expect(window.party).toBe("borrower");
    expect(due(window)).toEqual(["2027-11-13", "2027-11-13"]);
  });

  it("force-placed insurance: 15 calendar days from the proof (1024.37(g)), lenient rolled off Thanksgiving", () => {
    // Proof emailed Wed 2026-11-11 (Veterans Day). Nov 11 + 15 = Thu 11-26, Thanksgiving: strict keeps it,
    // lenient rolls it to Fri 11-27 (receipt counted as Thu 11-12 instead, + 15 = Fri 11-27: the same day).
    const proof = letter({
      kind: "insurance-proof",
      substance: "insurance-proof",
      formal: false,
      channel: "email",
      leftOn: "2026-11-11",
    });
    const c = pick(compute("2026-11-11", { letters: [proof] }), "force-placed");
    expect(due(c)).toEqual(["2026-11-26", "2026-11-27"]);
    expect(c.rule).toBe("12 C.F.R. 1024.37(g)");
  });

  it("force-placed insurance: a proof received on a Saturday counts from the next business day under lenient", () => {
    // Uploaded Sat 2026-10-03. Strict: Oct 3 + 15 = Sun 10-18 (calendar days, no roll). Lenient treats the receipt as
    // Mon 10-05 (DESIGN §4: "treats a receipt on a non-business day as received on the next business day"):
    // Oct 5 + 15 = Tue 10-20, a business day.
    const proof = letter({
      kind: "insurance-proof",
      substance: "insurance-proof",
      formal: false,
      channel: "portal",
      leftOn: "2026-10-03",
    });
    const c = pick(compute("2026-10-03", { letters: [proof] }), "force-placed");
    expect(due(c)).toEqual(["2026-10-18", "2026-10-20"]);
  });

  it('CFPB complaint: company response in 15 days; a final one in 60 only after an "in progress" reply', () => {
    // Sent to the company Fri 2026-10-09. +15 = Sat 10-24: lenient rolls to Mon 10-26.
    // +60: Oct 9 + 22 = Oct 31, + 30 = Nov 30 (52), + 8 = Tue 12-08.
    const filed: ClockEvent = {
      type: "cfpb-filed",
      on: "2026-10-09",
      data: { on: "2026-10-09", "cfpb-id": "261009-1234567" },
    };
    const clocks = compute("2026-10-09", { events: [filed] });
    const response = pick(clocks, "cfpb-response");
    expect(due(response)).toEqual(["2026-10-24", "2026-10-26"]);
    expect(response.startedBy?.what).toContain("261009-1234567");
    expect(response.rule).toMatch(/not a regulation/);
    // No "in progress" reply yet: no 60-day clock.
    expect(clocks.map((c) => c.id)).toEqual(["cfpb-response"]);
    const inProgress: ClockEvent = {
      type: "cfpb-response",
      on: "2026-10-20",
      data: { on: "2026-10-20", "cfpb-id": "261009-1234567", in_progress: "true" },
    };
    const after = compute("2026-10-21", { events: [filed, inProgress] });
    expect(pick(after, "cfpb-response")).toMatchObject({ status: "met", metBy: null, businessDaysLate: null });
    expect(pick(after, "cfpb-final")).toMatchObject({
      status: "open",
      dueStrict: "2026-12-08",
      dueLenient: "2026-12-08",
    });
    expect(after.some((c) => c.id === "cfpb-feedback")).toBe(false);
    // The final response on Tue 12-01: met; the borrower's 60 days to give feedback run to Sat 2027-01-30.
    const final: ClockEvent = {
      type: "cfpb-response",
      on: "2026-12-01",
      data: { on: "2026-12-01", "cfpb-id": "261009-1234567", in_progress: "false" },
    };
    const closed = compute("2026-12-01", { events: [filed, inProgress, final] });
    expect(pick(closed, "cfpb-final").status).toBe("met");
    expect(pick(closed, "cfpb-feedback")).toMatchObject({ party: "borrower", dueStrict: "2027-01-30", status: "open" });
  });

  it("Form 1098: January 31 of the next year, rolled to the next business day", () => {
    // Tax year 2026: Jan 31 2027 is a Sunday, so Mon 2027-02-01 under both rules.
    const request = letter({
      kind: "tax-form-1098",
      substance: "rfi",
      formal: false,
      channel: "email",
      leftOn: "2026-11-20",
      fields: { "tax-year": "2026" },
    });
    const open = pick(compute("2027-02-01", { letters: [request] }), "form-1098");
    expect(due(open)).toEqual(["2027-02-01", "2027-02-01"]);
    expect(open.status).toBe("open");
    const late = pick(compute("2027-02-02", { letters: [request] }), "form-1098");
    expect(late.status).toBe("late");
    expect(late.businessDaysLate).toBe(1);
    // Tax year 2025: Jan 31 2026 is a Saturday, so Mon 2026-02-02.
    const earlier = pick(
      compute("2026-01-05", { letters: [{ ...request, leftOn: "2026-01-05", fields: { "tax-year": "2025" } }] }),
      "form-1098",
    );
    expect(due(earlier)).toEqual(["2026-02-02", "2026-02-02"]);
    const met = pick(
      compute("2026-02-10", {
        letters: [{ ...request, leftOn: "2026-01-05", fields: { "tax-year": "2025" } }],
        replies: [reply("2026-01-28", "response")],
      }),
      "form-1098",
    );
    expect(met.status).toBe("met");
  });
});

describe("what meets a clock", () => {
  // NOE received Mon 06-01: acknowledgment due Mon 06-08 (d5), response Tue 07-14 / Wed 07-15.
  const letters = [noe("2026-06-01")];

  it("a response meets the response clock (and, within 5 business days, the acknowledgment too)", () => {
    // Fri 06-05 is d4: within 5 business days.
    const r = reply("2026-06-05", "response");
    const clocks = compute("2026-06-10", { letters, replies: [r] });
    for (const id of ["noe-ack", "noe-response"]) {
      const c = pick(clocks, id);
      expect(c.status).toBe("met");
      expect(c.metBy).toEqual({ messageId: r.messageId, on: "2026-06-05", class: "response" });
      expect(c.businessDaysLate).toBeNull();
    }
  });

  it("an exception (no error found) is a substantive response", () => {
    expect(
      pick(compute("2026-07-01", { letters, replies: [reply("2026-06-30", "exception")] }), "noe-response").status,
    ).toBe("met");
  });

  it("a response after 5 business days meets the response clock on time but the acknowledgment late", () => {
    // Wed 06-10: the acknowledgment was due Mon 06-08; Tue 06-09 and Wed 06-10 are 2 business days after it.
    const clocks = compute("2026-06-10", { letters, replies: [reply("2026-06-10", "response")] });
    expect(pick(clocks, "noe-response").businessDaysLate).toBeNull();
    const ack = pick(clocks, "noe-ack");
    expect(ack.status).toBe("met");
    expect(ack.businessDaysLate).toBe(2);
  });

  it("an acknowledgment meets only the acknowledgment clock", () => {
    const clocks = compute("2026-06-10", { letters, replies: [reply("2026-06-03", "acknowledgment")] });
    expect(pick(clocks, "noe-ack").status).toBe("met");
    expect(pick(clocks, "noe-response").status).toBe("open");
    expect(pick(clocks, "noe-response").metBy).toBeNull();
  });

  it("a documents-requested reply never stops an NOE or RFI clock", () => {
    // Asked for documents Wed 06-03; on Tue 06-09 (1 business day after Mon 06-08) the acknowledgment is late.
    const replies = [reply("2026-06-03", "documents-requested")];
    const clocks = compute("2026-06-09", { letters, replies });
    expect(pick(clocks, "noe-ack")).toMatchObject({ status: "late", businessDaysLate: 1, metBy: null });
    expect(pick(clocks, "noe-response").status).toBe("open");
    const rfiClocks = compute("2026-06-09", { letters: [rfi("2026-06-01")], replies });
    expect(pick(rfiClocks, "rfi-ack").status).toBe("late");
    expect(pick(rfiClocks, "rfi-response").status).toBe("open");
  });

  it("a reply that comes after the as-of date does not meet the clock yet", () => {
    const c = pick(compute("2026-06-04", { letters, replies: [reply("2026-06-05", "acknowledgment")] }), "noe-ack");
    expect(c.status).toBe("open");
  });
});

describe("extension (+15 business days, on or before the due date)", () => {
  // RFI delivered Thu 2026-10-08: response due Mon 11-23 under both rules (see above).
  const letters = [rfi("2026-10-05", { channel: "post", deliveredOn: "2026-10-08" })];

  it("an extension arriving ON the due date adds 15 business days", () => {
    // From Mon 11-23: d1 Tue 11-24, d2 Wed 11-25, Thu 11-26 Thanksgiving (skip), d3 Fri 11-27, d4 Mon 11-30,
    // d5-d8 Tue 12-01..Fri 12-04, d9-d13 Mon 12-07..Fri 12-11, d14 Mon 12-14, d15 Tue 12-15.
    const ext = reply("2026-11-23", "extension");
    const c = pick(compute("2026-11-30", { letters, replies: [ext] }), "rfi-response");
    expect(due(c)).toEqual(["2026-12-15", "2026-12-15"]);
    expect(c.extendedBy).toEqual({ messageId: ext.messageId, on: "2026-11-23" });
    expect(c.status).toBe("open");
    // The 15 days are the extension paragraph's: an extended clock cites it beside its own rule.
    expect(c.rule).toBe("12 C.F.R. 1024.36(d)(2)(i)(B), extended under 1024.36(d)(2)(ii)");
  });

  it("an extension arriving the day AFTER the due date does not count, and the clock is late", () => {
    const c = pick(compute("2026-11-24", { letters, replies: [reply("2026-11-24", "extension")] }), "rfi-response");
    expect(due(c)).toEqual(["2026-11-23", "2026-11-23"]);
    expect(c.extendedBy).toBeNull();
    expect(c.rule).toBe("12 C.F.R. 1024.36(d)(2)(i)(B)");
    expect(c.status).toBe("late");
    expect(c.businessDaysLate).toBe(1);
  });

  it("extends only once", () => {
    const replies = [reply("2026-11-02", "extension"), reply("2026-11-20", "extension")];
    expect(due(pick(compute("2026-11-30", { letters, replies }), "rfi-response"))).toEqual([
      "2026-12-15",
      "2026-12-15",
    ]);
  });

  it("extends a general NOE response on each rule's own date", () => {
    // NOE received Mon 06-01: strict 07-14, lenient 07-15. Extension on Tue 07-14.
    //   strict + 15 from Tue 07-14: Wed 15..Fri 17 d1-d3, Jul 20-24 d4-d8, Jul 27-31 d9-d13, Mon 08-03 d14, Tue 08-04 d15
    //   lenient + 15 from Wed 07-15: Thu 16, Fri 17 d1-d2, Jul 20-24 d3-d7, Jul 27-31 d8-d12, Aug 3, 4, 5 d13-d15
    const c = pick(
      compute("2026-07-20", { letters: [noe("2026-06-01")], replies: [reply("2026-07-14", "extension")] }),
      "noe-response",
    );
    expect(due(c)).toEqual(["2026-08-04", "2026-08-05"]);
  });

  it("does nothing to a foreclosure NOE (no extension)", () => {
    const letters = [noe("2026-06-01", { fields: { type: "foreclosure", "sale-date": "2026-09-01" } })];
    const c = pick(compute("2026-07-01", { letters, replies: [reply("2026-06-30", "extension")] }), "noe-response");
    expect(due(c)).toEqual(["2026-07-14", "2026-07-15"]);
    expect(c.extendedBy).toBeNull();
  });
});

describe("strict and lenient due dates; late only after lenient", () => {
  it("a letter delivered on a Saturday: strict counts from it, lenient from Monday", () => {
    // Delivered Sat 2026-03-07. Strict: d1 Mon 03-09, d2 Tue 03-10, d3 Wed 03-11, d4 Thu 03-12, d5 Fri 03-13.
    // Lenient: received Mon 03-09; d1 Tue 03-10, d2 Wed 03-11, d3 Thu 03-12, d4 Fri 03-13, d5 Mon 03-16.
    const letters = [noe("2026-03-04", { channel: "post", deliveredOn: "2026-03-07" })];
    const at = (asOf: string) => pick(compute(asOf, { letters }), "noe-ack");
    expect(due(at("2026-03-07"))).toEqual(["2026-03-13", "2026-03-16"]);
    // After the strict date but not the lenient one: still open, so that every "late" is beyond dispute.
    expect(at("2026-03-14").status).toBe("open");
    // On the lenient due date itself: still open.
    expect(at("2026-03-16")).toMatchObject({ status: "open", businessDaysLate: null });
    // The day after: late by 1 business day; Fri 03-20 is Tue 17, Wed 18, Thu 19, Fri 20 = 4 business days late.
    expect(at("2026-03-17")).toMatchObject({ status: "late", businessDaysLate: 1 });
    expect(at("2026-03-20")).toMatchObject({ status: "late", businessDaysLate: 4 });
    expect(at("2026-03-22").businessDaysLate).toBe(4); // the weekend adds nothing
  });

  it("a letter delivered on Friday 2026-07-03, the observed Independence Day", () => {
    // Strict: Jul 3 is a business day (only the actual Jul 4, a Saturday, is closed): d1 Mon 07-06 .. d5 Fri 07-10.
    // Lenient: Jul 3 is closed, so received Mon 07-06: d1 Tue 07-07, d2 Wed 07-08, d3 Thu 07-09, d4 Fri 07-10,
    // d5 Mon 07-13.
    const letters = [noe("2026-06-29", { channel: "post", deliveredOn: "2026-07-03" })];
    const c = pick(compute("2026-07-03", { letters }), "noe-ack");
    expect(due(c)).toEqual(["2026-07-10", "2026-07-13"]);
    expect(c.startedBy?.on).toBe("2026-07-03");
  });

  it("a reply after the lenient date meets the clock, late by the business days in between", () => {
    // Ack due 03-16 (lenient); answered Thu 03-19: Tue 17, Wed 18, Thu 19 = 3 business days late.
    const letters = [noe("2026-03-04", { channel: "post", deliveredOn: "2026-03-07" })];
    const c = pick(compute("2026-03-30", { letters, replies: [reply("2026-03-19", "acknowledgment")] }), "noe-ack");
    expect(c).toMatchObject({ status: "met", businessDaysLate: 3 });
  });
});

describe("loans outside Reg X and letters not yet received", () => {
  it("a HELOC has no NOE or RFI clock: not-applicable with a note", () => {
    for (const l of [noe("2026-06-01"), rfi("2026-06-01")]) {
      const clocks = compute("2026-06-01", { letters: [l], loan: { product: "heloc" } });
      const regx = clocks.filter((c) => /^(noe|rfi)-/.test(c.id));
      expect(regx).toHaveLength(2);
      for (const c of regx) {
        expect(c.status).toBe("not-applicable");
        expect(c.note).toContain("no Reg X clock");
        expect(c.dueStrict).toBeNull();
      }
    }
  });

  it("a reverse mortgage and a small servicer keep the NOE clocks (1024.35 applies to them)", () => {
    for (const loan of [{ product: "reverse" as const }, { smallServicer: true }, { principalResidence: false }]) {
      expect(pick(compute("2026-06-01", { letters: [noe("2026-06-01")], loan }), "noe-response").status).toBe("open");
    }
  });

  it("a posted letter without a delivery date is not started, with the expected delivery window", () => {
    // Mailed Mon 2026-06-01; expected 1 to 5 business days later: Tue 06-02 to Mon 06-08.
    expect(MAIL_WINDOW).toEqual({ min: 1, max: 5 });
    const clocks = compute("2026-06-03", { letters: [noe("2026-06-01", { channel: "post" })] });
    for (const id of ["noe-ack", "noe-response"]) {
      const c = pick(clocks, id);
      expect(c.status).toBe("not-started");
      expect(c.startedBy).toBeNull();
      expect(c.note).toContain("expected 2026-06-02 to 2026-06-08");
      expect(c.note).toContain("--delivered");
    }
  });

  it("a draft starts nothing", () => {
    const clocks = compute("2026-06-03", { letters: [letter({ kind: "notice-of-error", substance: "noe" })] });
    expect(clocks.every((c) => c.status === "not-started")).toBe(true);
  });
});

describe("the borrower's own deadlines", () => {
  it("1 year after a servicing transfer, to the old servicer", () => {
    const t = { from: "Mr. Cooper", to: "Rocket Mortgage", on: "2026-03-02" };
    const c = transferDeadline(t, "2026-11-27");
    expect(c).toMatchObject({ party: "borrower", status: "open", dueStrict: "2027-03-02", dueLenient: "2027-03-02" });
    expect(c.rule).toBe("12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)");
    expect(c.name).toBe(
      "Send a notice of error (or request for information) about Mr. Cooper to Mr. Cooper by 2027-03-02",
    );
    // The first anniversary of Feb 29, 2028 is Feb 28, 2029.
    expect(transferDeadline({ ...t, on: "2028-02-29" }, "2028-03-01").dueStrict).toBe("2029-02-28");
    // Passed: shown as late (the borrower's own), by lenient business days: Wed 2027-03-03 is 1.
    expect(transferDeadline(t, "2027-03-03")).toMatchObject({ status: "late", businessDaysLate: 1 });
  });

  it("1 year after payment in full", () => {
    const c = pick(
      compute("2026-11-13", { events: [{ type: "paid-off", on: "2026-11-13", data: { on: "2026-11-13" } }] }),
      "noe-window-payoff",
    );
    expect(c).toMatchObject({ party: "borrower", dueStrict: "2027-11-13", status: "open" });
  });

  it("14 days to appeal a loss-mitigation denial", () => {
    // Denied Mon 2026-10-05: + 14 = Mon 10-19.
    const c = pick(
      compute("2026-10-05", { events: [{ type: "denied", on: "2026-10-05", data: { on: "2026-10-05" } }] }),
      "lossmit-appeal",
    );
    expect(c).toMatchObject({ party: "borrower", dueStrict: "2026-10-19", dueLenient: "2026-10-19", status: "open" });
    expect(c.rule).toBe("12 C.F.R. 1024.41(h)(2)");
  });

  it("a missed Reg X clock is no due item: it gives the option of a RESPA claim, 3 years, with what it needs", () => {
    // NOE ack due (lenient) Mon 2026-06-08; on 06-09 it is late, so the limit is 2029-06-08.
    const input = { loan: LOAN, letters: [noe("2026-06-01")], replies: [], events: [] };
    const clocks = computeClocks(input, "2026-06-09");
    expect(clocks.filter((c) => c.id.startsWith("suit-"))).toEqual([]);
    const [respa, ...rest] = caseOptions(input, clocks, "2026-06-09");
    expect(rest).toEqual([]);
    expect(respa).toMatchObject({ id: "respa-claim", until: "2029-06-08", status: "open" });
    expect(respa?.rule).toBe("12 U.S.C. 2614 (3 years from the violation)");
    expect(respa?.condition).toContain("actual damages");
    expect(respa?.condition).toContain("pattern or practice");
    expect(respa?.startedBy).toEqual({ what: expect.stringContaining("missed"), on: "2026-06-08" });
    // One option for the case however many clocks were missed, from the earliest: on 2026-07-20 the response
    // (due 07-14 strictly, see above) is late too, and the limit stays 2029-06-08.
    const later = computeClocks(input, "2026-07-20");
    const options = caseOptions(input, later, "2026-07-20");
    expect(options.map((o) => [o.id, o.until, o.basedOn.length])).toEqual([["respa-claim", "2029-06-08", 2]]);
    // The day after the limit it has passed.
    expect(caseOptions(input, later, "2029-06-09")[0]?.status).toBe("passed");
  });

  it("a clock missed even if the answer came later still gives the option", () => {
    // NOE ack due (lenient) Mon 06-08, answered Wed 06-10: 2 business days late. The violation happened; the
    // answer coming later does not undo it, so the limit stays 2029-06-08.
    const input = {
      loan: LOAN,
      letters: [noe("2026-06-01")],
      replies: [reply("2026-06-10", "acknowledgment")],
      events: [],
    };
    const clocks = computeClocks(input, "2026-06-10");
    expect(pick(clocks, "noe-ack")).toMatchObject({ status: "met", businessDaysLate: 2 });
    expect(caseOptions(input, clocks, "2026-06-10")[0]).toMatchObject({ id: "respa-claim", until: "2029-06-08" });
  });

  it("a missed loss-mitigation clock gives the RESPA option too (1024.41 is enforced under section 6(f))", () => {
    // Application received Mon 08-31, acknowledgment due Tue 09-08; late on Wed 09-09.
    const application = letter({
      kind: "loss-mitigation",
      substance: "loss-mitigation",
      formal: false,
      channel: "email",
      leftOn: "2026-08-31",
    });
    const input = { loan: LOAN, letters: [application], replies: [], events: [] };
    const clocks = computeClocks(input, "2026-09-09");
    expect(pick(clocks, "lossmit-ack").status).toBe("late");
    expect(caseOptions(input, clocks, "2026-09-09")[0]).toMatchObject({ id: "respa-claim", until: "2029-09-08" });
  });

  it("no RESPA option for a missed promise, payoff statement or CFPB clock; a TILA one for the payoff", () => {
    const email = letter({
      kind: "payment-application",
      substance: "noe",
      formal: false,
      channel: "email",
      leftOn: "2026-11-25",
    });
    const payoff = letter({
      messageId: 2,
      kind: "payoff-statement",
      substance: "payoff",
      formal: false,
      channel: "email",
      leftOn: "2026-11-25",
    });
    const input = {
      loan: LOAN,
      letters: [email, payoff],
      replies: [],
      events: [{ type: "cfpb-filed" as const, on: "2026-10-09", data: { on: "2026-10-09" } }],
    };
    const clocks = computeClocks(input, "2027-03-01");
    expect(pick(clocks, "promise-1").status).toBe("late");
    expect(pick(clocks, "payoff-statement").status).toBe("late");
    expect(pick(clocks, "cfpb-response").status).toBe("late");
    // Payoff request received Wed 2026-11-25: Thu 11-26 Thanksgiving (skip), d1 Fri 11-27, d2 Mon 11-30,
    // d3-d6 Tue 12-01..Fri 12-04, d7 Mon 12-07. TILA: one year from it, 2027-12-07 (15 U.S.C. 1640(e)).
    expect(caseOptions(input, clocks, "2027-03-01").map((o) => [o.id, o.rule, o.until])).toEqual([
      ["tila-payoff-statement", "15 U.S.C. 1640(e) (1 year from the violation)", "2027-12-07"],
    ]);
  });
});

describe("a reply that reached the mailbox before the letter left answers something else", () => {
  // A notice of error emailed to the notice address at 10:39 UTC on Thu 2026-12-03 (4:39 AM in Chicago). Its
  // acknowledgment is due in 5 business days (12 C.F.R. 1024.35(d)): d1 Fri 12-04, d2 Mon 12-07 ... d5 Thu 12-10.
  const sent = noe("2026-12-03", { leftAt: "2026-12-03T10:39:00.000Z" });
  const at = (receivedAt: string, cls: ReplyClass): ClockReply => ({
    ...reply(receivedAt.slice(0, 10), cls),
    receivedAt,
  });

  it("one at 07:29 UTC the same day meets nothing; one at 11:00 meets the acknowledgment", () => {
    const early = pick(
      compute("2026-12-03", { letters: [sent], replies: [at("2026-12-03T07:29:00.000Z", "acknowledgment")] }),
      "noe-ack",
    );
    expect(early.status).toBe("open");
    expect(early.metBy).toBeNull();
    expect(due(early)).toEqual(["2026-12-10", "2026-12-10"]);
    const later = pick(
      compute("2026-12-03", { letters: [sent], replies: [at("2026-12-03T11:00:00.000Z", "acknowledgment")] }),
      "noe-ack",
    );
    expect(later.status).toBe("met");
  });

  it("without the moments (a letter mailed on a day, a paper reply), the same day still counts", () => {
    const byDay = pick(
      compute("2026-12-03", {
        letters: [noe("2026-12-03")],
        replies: [at("2026-12-03T07:29:00.000Z", "acknowledgment")],
      }),
      "noe-ack",
    );
    expect(byDay.status).toBe("met");
    const paper = pick(
      compute("2026-12-03", { letters: [sent], replies: [reply("2026-12-03", "acknowledgment")] }),
      "noe-ack",
    );
    expect(paper.status).toBe("met");
  });
});

describe("a request for information that also asks who owns the loan", () => {
  it("runs the owner's 10 business days (1024.36(d)(2)(i)(A)) beside the 30 of the rest (1024.36(d)(2)(i)(B))", () => {
    // Received (notice email) Mon 2026-11-02. 10 business days: Tue 11-03 (1), 04, 05, 06 (4), Mon 11-09 (5),
    // 11-10 (6), Wed 11-11 Veterans Day (skipped), Thu 11-12 (7), Fri 11-13 (8), Mon 11-16 (9), Tue 11-17 (10).
    const clocks = compute("2026-11-05", { letters: [rfi("2026-11-02", { asksOwner: true })] });
    const owner = pick(clocks, "owner-response");
    expect(owner.rule).toBe("12 C.F.R. 1024.36(d)(2)(i)(A)");
    expect(due(owner)).toEqual(["2026-11-17", "2026-11-17"]);
    expect(pick(clocks, "rfi-response").rule).toBe("12 C.F.R. 1024.36(d)(2)(i)(B)");
    // A request that does not ask it: no owner clock.
    expect(compute("2026-11-05", { letters: [rfi("2026-11-02")] }).some((c) => c.id === "owner-response")).toBe(false);
  });
});
