/** The guided terminal's pure parts: the situations table, the answer checks, the summary's lint and clocks. */
import { describe, expect, it } from "vitest";
import { plannedClocks } from "../../src/app/deadline.js";
import { noCommand } from "../../src/cli/main.js";
import { readFieldAnswer } from "../../src/cli/wizard/answers.js";
import { legalLines } from "../../src/cli/wizard/review.js";
import { summaryFindings } from "../../src/cli/wizard/summary-step.js";
import { isKindId, kindDef } from "../../src/domain/kinds.js";
import { SITUATIONS, situationChoices } from "../../src/domain/situations.js";

const field = (kind: Parameters<typeof kindDef>[0], name: string) => {
  const f = kindDef(kind).fields.find((x) => x.name === name);
  if (!f) throw new Error(`${kind} has no ${name}`);
  return f;
};

describe("what happened: the situations table", () => {
  it("maps each situation to a known kind, says each once, and shows the kind's purpose", () => {
    expect(SITUATIONS.every((s) => isKindId(s.kind))).toBe(true);
    expect(new Set(SITUATIONS.map((s) => s.said.toLowerCase())).size).toBe(SITUATIONS.length);
    for (const c of situationChoices()) {
      expect(c.purpose).toBe(kindDef(c.value).asks);
      expect(c.name.endsWith(` — ${kindDef(c.value).asks}`)).toBe(true);
    }
  });

  it("has the issue's situations, mapped to the letter that answers them", () => {
    const kindOf = (start: string) => SITUATIONS.find((s) => s.said.startsWith(start))?.kind;
    expect(kindOf("My payment was misapplied")).toBe("payment-application");
    expect(kindOf("I was charged a late fee")).toBe("late-fee-dispute");
    expect(kindOf("I need my payoff")).toBe("payoff-statement");
    expect(kindOf("My servicer was transferred")).toBe("owner-request");
  });

  it("leaves out the kinds that need an earlier case or a counselor's form (compose writes those)", () => {
    for (const s of SITUATIONS) {
      const kind = kindDef(s.kind);
      expect(
        kind.fields.some((f) => f.type === "case"),
        s.kind,
      ).toBe(false);
      expect(kind.signedByBorrowers === true, s.kind).toBe(false);
    }
  });

  it("no two situations start alike, so typing the first words picks one", () => {
    const firstWords = SITUATIONS.map((s) => s.said.split(" ").slice(0, 4).join(" "));
    expect(new Set(firstWords).size).toBe(SITUATIONS.length);
  });
});

describe("answer checks", () => {
  const paymentDate = field("late-fee-dispute", "payment-date");
  const amount = field("late-fee-dispute", "amount");
  const feeDate = field("late-fee-dispute", "fee-date");
  const goodThrough = field("payoff-statement", "good-through");
  const taxYear = field("tax-form-1098", "tax-year");
  const today = "2026-12-02";

  it("reads a date month first or day first as the locale writes it, or ISO", () => {
    expect(readFieldAnswer(paymentDate, "11/02/2026", "mdy", today)).toEqual({ value: "2026-11-02" });
    expect(readFieldAnswer(paymentDate, "11/02/2026", "dmy", today)).toEqual({ value: "2026-02-11" });
    expect(readFieldAnswer(paymentDate, "2026-11-02", "mdy", today)).toEqual({ value: "2026-11-02" });
  });

  it("refuses a day not of the calendar, words, and a two-digit year, saying how to write it", () => {
    expect(readFieldAnswer(paymentDate, "31/02/2026", "mdy", today)).toEqual({
      problem: '"31/02/2026" is not a day of the calendar (read as MM/DD/YYYY); write it as MM/DD/YYYY or YYYY-MM-DD',
    });
    expect(readFieldAnswer(paymentDate, "yesterday-ish", "mdy", today)).toEqual({
      problem: '"yesterday-ish" is not a date; write it as MM/DD/YYYY or YYYY-MM-DD',
    });
    expect(readFieldAnswer(paymentDate, "11/02/26", "mdy", today)).toMatchObject({
      problem: expect.stringContaining("four digits"),
    });
  });

  it("refuses a payment made after today, but takes a future good-through day", () => {
    expect(readFieldAnswer(paymentDate, "2026-12-03", "mdy", today)).toEqual({
      problem: "2026-12-03 is after today (2026-12-02); give the day it happened",
    });
    expect(readFieldAnswer(paymentDate, "2026-12-02", "mdy", today)).toEqual({ value: "2026-12-02" });
    expect(readFieldAnswer(goodThrough, "12/31/2026", "mdy", today)).toEqual({ value: "2026-12-31" });
  });

  it("reads dollars with $ and commas; refuses what is not an amount", () => {
    expect(readFieldAnswer(amount, "$1,500", "mdy", today)).toEqual({ value: "1500.00" });
    expect(readFieldAnswer(amount, "35", "mdy", today)).toEqual({ value: "35.00" });
    expect(readFieldAnswer(amount, "12..5", "mdy", today)).toEqual({
      problem: '"12..5" is not an amount in dollars; write it like 1,500.00 or $1500',
    });
  });

  it("needs a required field, skips an empty optional one, and checks a year", () => {
    expect(readFieldAnswer(amount, "  ", "mdy", today)).toEqual({ problem: "this one is needed" });
    expect(readFieldAnswer(feeDate, "", "mdy", today)).toEqual({ value: "" });
    expect(readFieldAnswer(taxYear, "2025", "mdy", today)).toEqual({ value: "2025" });
    expect(readFieldAnswer(taxYear, "25", "mdy", today)).toMatchObject({ problem: expect.stringContaining("year") });
  });
});

describe("the summary paragraph", () => {
  const kind = kindDef("late-fee-dispute");

  it("refuses an SSN and a card number, without naming a flag the user never typed", () => {
    const ssn = summaryFindings("My SSN is 123-45-6789.", kind, "7654321", {});
    expect(ssn.refusals).toHaveLength(1);
    expect(ssn.refusals[0]).toContain("Social Security number");
    expect(ssn.refusals[0]).not.toContain("--allow-sensitive");
    expect(summaryFindings("Card 4111 1111 1111 1111 was charged.", kind, "7654321", {}).refusals).toHaveLength(1);
  });

  it("takes the loan's own account number and the letter's amounts", () => {
    const r = summaryFindings("Loan 7654321: my $1,500.00 payment of 2026-11-02.", kind, "7654321", {
      amount: "1500.00",
    });
    expect(r.refusals).toEqual([]);
  });

  it("warns, without refusing, about shouting", () => {
    const r = summaryFindings("YOU CHARGED ME A LATE FEE AGAIN AND I AM VERY ANGRY ABOUT IT", kind, "7654321", {});
    expect(r.refusals).toEqual([]);
    expect(r.warnings.length).toBeGreaterThan(0);
  });
});

describe("what the letter starts", () => {
  it("a formal notice at the designated channel: 1024.35(d) and (e) with their days", () => {
    // Received Tue 2026-10-06: + 5 business days = 10/7, 10/8, 10/9, (Mon 10/12 Columbus Day skipped) 10/13, 10/14.
    // + 30 business days: Oct 7-9 (3), 13-16 (7), 19-23 (12), 26-30 (17), Nov 2-6 (22), 9-10 (24), (Wed 11/11
    // Veterans Day skipped) 12-13 (26), 16-19 (30) = 2026-11-19.
    const planned = plannedClocks(
      "late-fee-dispute",
      "2026-10-06",
      { "payment-date": "2026-10-01" },
      {
        formal: true,
        channel: "post",
        loan: { product: "closed-end", principalResidence: true, smallServicer: false },
      },
    );
    const lines = legalLines({ planned, today: "2026-10-06", decision: { channel: "post" } as never });
    expect(lines[0]).toBe(
      "What it starts, if the servicer receives it on 2026-10-06; by post, its clocks run from the day it is delivered:",
    );
    expect(lines.slice(1)).toEqual([
      "  Notice of error: acknowledgment [12 C.F.R. 1024.35(d)]: due 2026-10-14",
      "  Notice of error: response [12 C.F.R. 1024.35(e)(3)(i)(C)]: due 2026-11-19",
    ]);
  });

  it("an ordinary letter (no designated notice address): no Reg X notice clock, and says why", () => {
    const planned = plannedClocks(
      "late-fee-dispute",
      "2026-10-06",
      {},
      {
        formal: false,
        channel: "email",
        loan: { product: "closed-end", principalResidence: true, smallServicer: false },
      },
    );
    expect(planned.clocks.map((c) => [c.name, c.rule, c.dueStrict])).toEqual([
      ["Reg X notice clocks", "12 C.F.R. 1024.35(c), 1024.36(b)", null],
    ]);
    const lines = legalLines({ planned, today: "2026-10-06", decision: { channel: "email" } as never });
    expect(lines[1]).toMatch(/^ {2}Reg X notice clocks \[12 C\.F\.R\. 1024\.35\(c\), 1024\.36\(b\)\]: no date; /);
  });
});

describe("loanmail alone", () => {
  it("is the wizard only when no command (and no --help, --version or --json) is given", () => {
    expect(noCommand([])).toBe(true);
    expect(noCommand(["--home", "/tmp/h", "--client", "Nguyen", "--no-color"])).toBe(true);
    expect(noCommand(["--home=/tmp/h", "--yes"])).toBe(true);
    expect(noCommand(["--help"])).toBe(false);
    expect(noCommand(["-V"])).toBe(false);
    expect(noCommand(["--json"])).toBe(false);
    expect(noCommand(["--home", "/tmp/h", "cases"])).toBe(false);
  });
});
