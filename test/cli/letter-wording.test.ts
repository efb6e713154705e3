/**
 * What the letters say, read as the servicer reads them (issue 10, letters): the qualified-written-request
 * sentence of formal notices and requests, the 60-day reporting ban a payment dispute asks for, a late fee's
 * error date and grace period taken from the user's dates only, the loss-mitigation application, the
 * successor-in-interest request and its clocks, and the escalation request's continuity of contact.
 */

import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, setupHome, tempDir, writePdf } from "./helpers.js";

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

interface Composed {
  case: { id: number; tag: string };
  message: { id: number; channel: string; formal: boolean };
  warnings: string[];
}

type Cli = (...args: string[]) => RunResult;

/** Compose and return the result and the letter's text as stored (what `show` prints and the PDF carries). */
function compose(L: Cli, kind: string, ...args: string[]): Composed & { body: string } {
  const r = json<Composed>(ok(L("--json", "compose", kind, ...args)));
  const shown = json<{ messages: { id: number; bodyText: string }[] }>(ok(L("--json", "show", String(r.case.id))));
  const body = shown.messages.find((m) => m.id === r.message.id)?.bodyText ?? "";
  // Paragraphs are single lines; assertions read the text as one string with single spaces.
  return { ...r, body: body.replace(/[ \t]+/g, " ") };
}

const QWR = "This letter is also a qualified written request under 12 U.S.C. 2605(e).";
const NO_REPORTING =
  "As 12 C.F.R. 1024.35(i) requires, please do not furnish adverse information to any consumer reporting agency about the payment this notice concerns for 60 days after you receive it.";

describe("formal notices of error and requests for information", () => {
  it("call themselves qualified written requests under 12 U.S.C. 2605(e); an ordinary letter does not", () => {
    const { L } = setupHome();
    const noe = compose(
      L,
      "notice-of-error",
      "--loan",
      "1",
      "--set",
      "error=my escrow was charged twice",
      "--summary",
      "s.",
    );
    expect(noe.message.formal).toBe(true);
    expect(noe.body).toContain(
      "This letter is a notice of error under 12 C.F.R. 1024.35 (Regulation X, RESPA section 6(k)), sent to your designated address for such notices. " +
        QWR,
    );
    // Not about a payment: no 1024.35(i) request.
    expect(noe.body).not.toContain("1024.35(i)");
    const rfi = compose(
      L,
      "information-request",
      "--loan",
      "1",
      "--set",
      "information=the escrow analysis for 2026",
      "--summary",
      "s.",
    );
    expect(rfi.body).toContain(
      "This letter is a request for information under 12 C.F.R. 1024.36 (Regulation X, RESPA section 6(k)), sent to your designated address for such requests. " +
        QWR,
    );
    const informal = compose(L, "balance-verification", "--loan", "1", "--summary", "s.");
    expect(informal.body).not.toContain("qualified written request");
  });

  it("a payment dispute asks that the payment not be reported for 60 days (12 C.F.R. 1024.35(i))", () => {
    const { L } = setupHome();
    for (const [kind, fields] of [
      ["payment-application", ["payment-date=2026-03-01", "amount=1500"]],
      ["payment-delay", ["payment-date=2026-03-01", "amount=1500"]],
      ["late-fee-dispute", ["payment-date=2026-03-01", "amount=1500", "fee=75"]],
    ] as const) {
      const r = compose(L, kind, "--loan", "1", ...fields.flatMap((f) => ["--set", f]), "--summary", "s.");
      expect(r.body, kind).toContain(`${QWR} Please acknowledge`);
      expect(r.body, kind).toContain(NO_REPORTING);
    }
    // A notice of error says it concerns a payment by naming the payment's day.
    const noe = compose(
      L,
      "notice-of-error",
      "--loan",
      "1",
      "--set",
      "error=my payment was put in suspense",
      "--set",
      "payment-date=2026-03-01",
      "--summary",
      "s.",
    );
    expect(noe.body).toContain("The error concerns the payment I made on March 1, 2026.");
    expect(noe.body).toContain(NO_REPORTING);
    // Sent as ordinary correspondence it is no notice of error, and asks nothing under 1024.35(i).
    const informal = compose(
      L,
      "payment-application",
      "--no-formal",
      "--loan",
      "1",
      "--set",
      "payment-date=2026-03-01",
      "--set",
      "amount=1500",
      "--summary",
      "s.",
    );
    expect(informal.body).not.toContain("1024.35(i)");
    expect(informal.body).not.toContain("qualified written request");
  });
});

describe("late-fee-dispute", () => {
  const base = ["--loan", "1", "--set", "payment-date=2026-03-14", "--set", "amount=1500", "--set", "fee=75"];

  it("claims no grace period the dates do not show, and takes the fee's date as the error's", () => {
    const { L } = setupHome();
    const plain = compose(L, "late-fee-dispute", ...base, "--set", "fee-date=2026-03-17", "--summary", "s.");
    expect(plain.body).toContain(
      "You charged this loan a late fee of $75.00 for my payment of $1,500.00, made on March 14, 2026.",
    );
    expect(plain.body).not.toContain("grace period");
    expect(plain.body).toContain("The fee was assessed on March 17, 2026; that is the date of the error.");
    expect(plain.warnings).toEqual([]);

    // The statement says a payment through March 16 is on time: March 14 <= March 16, so the letter says so.
    const within = compose(L, "late-fee-dispute", ...base, "--set", "grace-ends=2026-03-16", "--summary", "s.");
    expect(within.body).toContain("The payment was made within the grace period, which ended on March 16, 2026.");

    // Paid March 14, grace ended March 10: the letter does not say "within the grace period", and says why.
    const after = compose(L, "late-fee-dispute", ...base, "--set", "grace-ends=2026-03-10", "--summary", "s.");
    expect(after.body).not.toContain("grace period");
    expect(after.warnings).toContainEqual(
      expect.stringContaining(
        "the payment date 2026-03-14 is after the grace period ended (2026-03-10): the letter does not say the payment was within the grace period",
      ),
    );
  });

  it("the formal notice built from it by escalate dates the error by the fee, and claims no grace period", () => {
    const { home, L } = setupHome();
    // An ordinary late-fee letter written Mon 2026-08-31 and uploaded Tue 09-01; the user marks it unresolved.
    ok(
      L(
        "compose",
        "late-fee-dispute",
        "--no-formal",
        ...base,
        "--set",
        "fee-date=2026-03-17",
        "--dated",
        "2026-08-31",
        "--summary",
        "The fee is wrong.",
      ),
    );
    ok(L("sent", "1", "--via", "portal", "--date", "2026-09-01"));
    ok(L("resolve", "1", "--unresolved"));
    const before = rowCounts(home);
    const r = json<{ child: { id: number; kind: string } }>(
      ok(L("--json", "--yes", "escalate", "1", "--to", "formal", "--as-of", "2026-09-14")),
    );
    expect(rowCounts(home).cases).toBe((before.cases ?? 0) + 1);
    expect(r.child.kind).toBe("notice-of-error");
    const body = json<{ messages: { bodyText: string }[] }>(
      ok(L("--json", "show", String(r.child.id))),
    ).messages[0]?.bodyText.replace(/\s+/g, " ");
    expect(body).toContain(
      "a late fee of $75.00 was charged for my payment of $1,500.00 made on March 14, 2026, as set out in my letter of September 1, 2026",
    );
    expect(body).toContain("The error occurred on March 17, 2026.");
    expect(body).toContain("The error concerns the payment I made on March 14, 2026.");
    expect(body).not.toContain("on time");
    expect(body).not.toContain("grace period");
    expect(body).toContain(NO_REPORTING);
  });
});

describe("loss-mitigation", () => {
  const APPLICATION = "Please treat this as a loss mitigation application under 12 C.F.R. 1024.41(b)(1).";
  const SECURE =
    "Please tell me how to send my financial documents (such as pay stubs, bank statements and tax returns) through your secure channel, such as your secure document upload or a mailing address, rather than by ordinary email.";

  it("is an application under 1024.41(b)(1) and asks for the servicer's secure channel for documents", () => {
    const { L } = setupHome();
    const r = compose(L, "loss-mitigation", "--loan", "1", "--summary", "I lost my job in May.");
    expect(r.body).toContain(`${APPLICATION} I am asking to be evaluated for all loss mitigation options`);
    expect(r.body).toContain(SECURE);
    expect(r.body).not.toContain("1024.41(g)");
    expect(r.warnings).toEqual([]);
  });

  it("with a sale date cites 1024.41(g) only while more than 37 days remain, else says so and points to help", () => {
    const { L } = setupHome();
    // Written 2026-09-01: 2026-09-01 + 37 days = 2026-10-08. A sale on 10-09 is more than 37 days away.
    const far = compose(
      L,
      "loss-mitigation",
      "--loan",
      "1",
      "--dated",
      "2026-09-01",
      "--set",
      "sale-date=2026-10-09",
      "--summary",
      "s.",
    );
    expect(far.body).toContain(
      "A foreclosure sale is scheduled for October 9, 2026. Under 12 C.F.R. 1024.41(g), if you receive my complete application more than 37 days before that sale, you may not move for a foreclosure judgment or order of sale, or conduct the sale, unless",
    );
    expect(far.warnings).toEqual([]);
    // A sale on 10-08 is exactly 37 days after 09-01: 1024.41(g) cannot reach an application written that day.
    const near = compose(
      L,
      "loss-mitigation",
      "--loan",
      "1",
      "--dated",
      "2026-09-01",
      "--set",
      "sale-date=2026-10-08",
      "--summary",
      "s.",
    );
    expect(near.body).toContain(
      "A foreclosure sale is scheduled for October 8, 2026. The sale is 37 days or fewer away, so 12 C.F.R. 1024.41(g) may not protect this application; I ask you to postpone the sale while you evaluate it.",
    );
    expect(near.body).not.toContain("you may not move for a foreclosure judgment");
    expect(near.warnings).toContainEqual(
      expect.stringContaining(
        "the foreclosure sale on 2026-10-08 is 37 days or fewer after this letter (written 2026-09-01): 12 C.F.R. 1024.41(g) protects only a complete application received more than 37 days before the sale. Get help today from a HUD-approved housing counselor (800-569-4287) or an attorney",
      ),
    );
    const text = ok(
      L(
        "compose",
        "loss-mitigation",
        "--loan",
        "1",
        "--dated",
        "2026-09-01",
        "--set",
        "sale-date=2026-10-08",
        "--summary",
        "s.",
      ),
    );
    expect(text.stderr).toContain("HUD-approved housing counselor (800-569-4287)");
  });

  it("documents attached to an email: no request for the secure channel in the letter, a warning to the user", () => {
    const { L } = setupHome();
    const pdf = writePdf(join(tempDir(), "paystub.pdf"));
    const r = compose(L, "loss-mitigation", "--loan", "1", "--attach", `${pdf}=Pay stub`, "--summary", "s.");
    expect(r.message.channel).toBe("email");
    expect(r.body).not.toContain("secure channel");
    expect(r.warnings).toContainEqual(
      expect.stringContaining(
        "this letter carries 1 exhibit(s) by ordinary email: send financial documents (pay stubs, bank statements, tax returns) through Mr. Cooper's secure document upload or by mail instead",
      ),
    );
  });

  it("a loan 1024.41 does not reach is not told to treat the letter as a 1024.41 application", () => {
    const { L } = setupHome();
    ok(L("loan", "set", "1", "--product", "reverse"));
    const r = compose(L, "loss-mitigation", "--loan", "1", "--set", "sale-date=2027-06-01", "--summary", "s.");
    // No claim that 1024.41 binds the servicer: the letter says why Reg X does not reach it (1024.30(b)(2)).
    expect(r.body).not.toContain("application under 12 C.F.R. 1024.41(b)(1)");
    expect(r.body).not.toContain("1024.41(g)");
    expect(r.body).toContain("Outside Regulation X: no federal deadline; the servicer's own promise only.");
    expect(r.body).toContain("Please treat this letter as my application for every loss mitigation option you offer.");
    expect(r.warnings).toEqual([
      "outside Regulation X: no federal deadline; the servicer's own promise only (12 C.F.R. 1024.30(b)(2): 1024.38 through 1024.41 do not apply to a reverse mortgage)",
    ]);
  });
});

describe("escalation-request", () => {
  /** Case 1: an ordinary letter written and uploaded on Tue 2026-09-01, so an escalation request can cite it. */
  function withLetterThatLeft(): ReturnType<typeof setupHome> {
    const home = setupHome();
    ok(home.L("compose", "balance-verification", "--loan", "1", "--dated", "2026-09-01", "--summary", "s."));
    ok(home.L("sent", "1", "--via", "portal", "--date", "2026-09-01"));
    return home;
  }
  const CONTINUITY =
    "Under 12 C.F.R. 1024.40(a) (continuity of contact), your procedures must assign personnel to a delinquent borrower by the 45th day of delinquency and make them available to the borrower by telephone. Please tell me in writing the name and direct telephone number of the person assigned to my loan";

  it("cites continuity of contact (1024.40(a)) for a delinquent borrower, and only then", () => {
    const { L } = withLetterThatLeft();
    const args = ["--loan", "1", "--set", "case=1", "--dated", "2026-10-01", "--summary", "No answer yet."];
    const delinquent = compose(L, "escalation-request", ...args, "--set", "delinquent-since=2026-08-01");
    expect(delinquent.body).toContain(`My loan has been delinquent since August 1, 2026. ${CONTINUITY}`);
    expect(delinquent.body).toContain("the deadlines that apply (12 C.F.R. 1024.40(b)).");
    const current = compose(L, "escalation-request", ...args);
    expect(current.body).not.toContain("1024.40");
    expect(current.body).not.toContain("delinquent");
  });

  it("refuses a delinquency that starts after the letter, writing nothing", () => {
    const { home, L } = withLetterThatLeft();
    const before = rowCounts(home);
    const r = L(
      "compose",
      "escalation-request",
      "--loan",
      "1",
      "--set",
      "case=1",
      "--dated",
      "2026-10-01",
      "--set",
      "delinquent-since=2026-10-02",
      "--summary",
      "s.",
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("--set delinquent-since=2026-10-02 is after this letter's date (2026-10-01)");
    expect(r.stderr).toContain("give the due date of the oldest payment still unpaid");
    expect(rowCounts(home)).toEqual(before);
  });

  it("a small servicer is not told 1024.40 applies; the user is told why", () => {
    const { L } = withLetterThatLeft();
    ok(L("servicer", "set", "Mr. Cooper", "--small"));
    const r = compose(
      L,
      "escalation-request",
      "--loan",
      "1",
      "--set",
      "case=1",
      "--set",
      "delinquent-since=2026-08-01",
      "--summary",
      "s.",
    );
    expect(r.body).toContain("My loan has been delinquent since August 1, 2026.");
    expect(r.body).not.toContain("1024.40");
    expect(r.warnings).toContainEqual(
      "1024.40 does not apply to a small servicer (12 C.F.R. 1024.30(b)(1)): the letter does not cite 12 C.F.R. 1024.40(a)",
    );
  });
});

describe("successor-in-interest", () => {
  /** A second loan whose borrower, Robert Doe, has died; the user (Jane) inherited the house. */
  function withInheritedLoan(): ReturnType<typeof setupHome> {
    const home = setupHome();
    ok(
      home.L(
        "loan",
        "add",
        "--servicer",
        "Mr. Cooper",
        "--account",
        "7654321",
        "--property",
        "40 Oak Ave, Springfield, IL 62702",
        "--borrower",
        "Robert Doe",
      ),
    );
    return home;
  }
  const args = [
    "--loan",
    "7654321",
    "--set",
    "how=death",
    "--set",
    "transfer-date=2026-06-15",
    "--set",
    "relationship=daughter",
    "--summary",
    "My father Robert Doe died on June 15, 2026, and I inherited his house.",
  ];

  it("asks to be confirmed as successor, names the transferor and lists the documents, as a formal request", () => {
    const { L } = withInheritedLoan();
    const r = compose(L, "successor-in-interest", ...args);
    expect(r.message).toMatchObject({ formal: true, channel: "post" });
    for (const needed of [
      "Borrower: Robert Doe\nAccount number: 7654321",
      "I am writing as a potential successor in interest to this loan. I received an ownership interest in the property from Robert Doe upon the borrower's death (by will, inheritance or survivorship). The transfer took place on June 15, 2026. I am the borrower's daughter.",
      "Under 12 C.F.R. 1024.36(i)(1), please send me a written description of the documents you reasonably require to confirm my identity and my ownership interest in the property, and contact information, including a telephone number, for further assistance.",
      "please confirm in writing that I am a successor in interest, as your procedures under 12 C.F.R. 1024.38(b)(1)(vi) require you to do promptly",
      "To establish my identity and ownership interest I can provide: a copy of the death certificate; the will, letters testamentary or of administration, or a court order, or, where there was no probate, an affidavit of heirship; the recorded deed, if any; and my government-issued photo identification.",
      "This letter is a written request under 12 C.F.R. 1024.36(i) from a potential successor in interest, sent to your designated address for requests for information. Under 12 C.F.R. 1024.36(i)(1) you must treat me as a borrower for 12 C.F.R. 1024.36(c) through (g) with respect to it: please acknowledge it in writing within five business days, and respond within the time 12 C.F.R. 1024.36(d) allows.",
    ]) {
      expect(r.body).toContain(needed);
    }
    // A divorce lists the decree, not a death certificate; a named transferor replaces the loan's borrowers.
    const divorce = compose(
      L,
      "successor-in-interest",
      "--loan",
      "1",
      "--set",
      "how=divorce",
      "--set",
      "transferor=John Doe",
      "--summary",
      "The house was awarded to me in our divorce.",
    );
    expect(divorce.body).toContain(
      "from John Doe under a divorce decree, legal separation agreement or property settlement agreement.",
    );
    expect(divorce.body).toContain("I can provide: the divorce decree, legal separation agreement or property");
    expect(divorce.body).not.toContain("death certificate");
  });

  it("is listed by kinds, and refuses a request that does not say how the property passed", () => {
    const { home, L } = withInheritedLoan();
    const kinds = json<{ kinds: { id: string; formal: string; citation: string; substance: string }[] }>(
      ok(L("--json", "kinds")),
    ).kinds;
    expect(kinds.find((k) => k.id === "successor-in-interest")).toMatchObject({
      formal: "default",
      citation: "12 C.F.R. 1024.36(i)",
      substance: "successor",
    });
    const before = rowCounts(home);
    const missing = L("compose", "successor-in-interest", "--loan", "2", "--summary", "s.");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("successor-in-interest needs how");
    const wrong = L("compose", "successor-in-interest", "--loan", "2", "--set", "how=sale", "--summary", "s.");
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain("use one of: death, divorce, spouse-or-child, trust");
    expect(rowCounts(home)).toEqual(before);
  });

  it("starts the 1024.36 clocks like a request for information when it reaches the designated address", () => {
    const { L } = withInheritedLoan();
    // Planning: received Thu 2026-10-08. Ack: d1 Fri 10-09, Mon 10-12 Columbus Day (skip), d2-d5 Tue 10-13..
    // Fri 10-16. Response: d1 Oct 9, d2-d5 Oct 13-16, d6-d10 Oct 19-23, d11-d15 Oct 26-30, d16-d20 Nov 2-6,
    // d21 Nov 9, d22 Nov 10, Wed 11-11 Veterans Day (skip), d23-d24 Nov 12-13, d25-d29 Nov 16-20, d30 Mon 11-23.
    const planned = json<{ clocks: { id: string; name: string; rule: string; dueLenient: string }[] }>(
      ok(L("--json", "deadline", "successor-in-interest", "--received", "2026-10-08")),
    ).clocks;
    expect(planned.map((c) => [c.id, c.name, c.rule, c.dueLenient])).toEqual([
      ["rfi-ack", "Successor in interest request: acknowledgment", "12 C.F.R. 1024.36(c), (i)(1)", "2026-10-16"],
      [
        "rfi-response",
        "Successor in interest request: documents required and contact",
        "12 C.F.R. 1024.36(d)(2)(i)(B), (i)(1)",
        "2026-11-23",
      ],
    ]);
    // The letter itself: written Mon 10-05, mailed Tue 10-06, delivered Thu 10-08: the same dates. As of Tue 10-20
    // the acknowledgment (due Fri 10-16) is late by Mon 10-19 and Tue 10-20 = 2 business days.
    ok(L("compose", "successor-in-interest", ...args, "--dated", "2026-10-05"));
    ok(L("mailed", "1", "--tracking", "9407111899560000000099", "--date", "2026-10-06", "--delivered", "2026-10-08"));
    const due = json<{ clocks: { id: string; dueLenient: string; status: string; businessDaysLate: number | null }[] }>(
      ok(L("--json", "due", "--as-of", "2026-10-20")),
    ).clocks.filter((c) => c.id.startsWith("rfi-"));
    expect(due.map((c) => [c.id, c.dueLenient, c.status, c.businessDaysLate])).toEqual([
      ["rfi-ack", "2026-10-16", "late", 2],
      ["rfi-response", "2026-11-23", "open", null],
    ]);
    expect(ok(L("show", "1", "--as-of", "2026-10-20")).stdout).toContain(
      "Successor in interest request: acknowledgment [12 C.F.R. 1024.36(c), (i)(1)]: LATE by 2 business days",
    );
  });
});
