import { describe, expect, it } from "vitest";
import { abaValid, type LintInput, lintLetter, luhnValid, maskDigits } from "../../src/domain/lint.js";

const ACCOUNT = "1234567";
const NAME = "Jane Q. Borrower";
const ADDRESS = "742 Evergreen Terrace, Springfield, IL 62704";

const CLEAN_LETTER = `Account Number 1234567 \u2013 Payment Clarification

Jane Q. Borrower
742 Evergreen Terrace, Springfield, IL 62704

March 3, 2026

Acme Mortgage Servicing, LLC
Attn: Customer Research
PO Box 4025
Springfield, IL 62701-1234

Dear Sir or Madam,

I am writing about my mortgage loan, account number 1234567, secured by the property at
742 Evergreen Terrace, Springfield, IL 62704.

On 2026-02-01 I made my regular monthly payment of $1,845.22 by ACH from my checking account. My statement
dated 02/15/2026 shows that $312.40 of that payment was applied to the escrow account rather than to principal
and interest, and the principal balance went down by only 1532.82. Under RESPA, please explain how the payment
was applied and correct the application if it was made in error.

You can reach me at (555) 123-4567 or 555-987-6543 on weekdays between 9 and 5. Please send your written
response to the address above.

Thank you for your help.

Sincerely,

Jane Q. Borrower
`;

function input(body: string, overrides: Partial<LintInput> = {}): LintInput {
  return {
    body,
    kind: "payment-application",
    ownAccountNumbers: [ACCOUNT],
    exemptValues: ["2026-02-01", "1845.22"],
    required: [
      { label: "borrower name", value: NAME },
      { label: "account number", value: ACCOUNT },
      { label: "property address", value: ADDRESS },
    ],
    ...overrides,
  };
}

/** A one-paragraph body that still carries the required elements, so only the sentence under test can trip. */
function letter(sentence: string): string {
  return `Account Number ${ACCOUNT} \u2013 Payment Clarification\n\n${NAME}\n${ADDRESS}\n\nDear Sir or Madam,\n\n${sentence}\n\nSincerely,\n${NAME}\n`;
}

function codes(body: string, overrides: Partial<LintInput> = {}): string[] {
  const r = lintLetter(input(body, overrides));
  return [...r.refusals, ...r.warnings].map((f) => f.code);
}

describe("checksums and masking", () => {
  it("checks Luhn", () => {
    expect(luhnValid("4111111111111111")).toBe(true);
    expect(luhnValid("4111111111111112")).toBe(false);
    expect(luhnValid("79927398713")).toBe(true);
    expect(luhnValid("")).toBe(false);
    expect(luhnValid("4111 1111")).toBe(false);
  });

  it("checks ABA routing numbers", () => {
    expect(abaValid("021000021")).toBe(true);
    expect(abaValid("011000015")).toBe(true);
    expect(abaValid("021000022")).toBe(false);
    expect(abaValid("02100002")).toBe(false);
  });

  it("masks all but the last four digits and keeps separators", () => {
    expect(maskDigits("123-45-6789")).toBe("***-**-6789");
    expect(maskDigits("4111 1111 1111 1111")).toBe("**** **** **** 1111");
    expect(maskDigits("987654321")).toBe("*****4321");
    expect(maskDigits("1234")).toBe("1234");
  });
});

describe("a clean professional letter", () => {
  it("has no findings at all", () => {
    expect(lintLetter(input(CLEAN_LETTER))).toEqual({ refusals: [], warnings: [] });
  });

  it("has no findings as a notice of error either", () => {
    expect(lintLetter(input(CLEAN_LETTER, { kind: "notice-of-error" }))).toEqual({ refusals: [], warnings: [] });
  });

  it("does not shout for regulatory headings, acronyms or a servicer name in capitals", () => {
    const body = letter(
      "NOTICE OF ERROR UNDER 12 C.F.R. 1024.35\nCERTIFIED MAIL \u2013 RETURN RECEIPT REQUESTED\nNATIONSTAR MORTGAGE LLC\nUnder RESPA, TILA and the CFPB rules, my ARM, PMI and HOA charges were paid by ACH.",
    );
    expect(codes(body)).toEqual([]);
  });
});

describe("Social Security numbers", () => {
  it("catches a dashed SSN and never echoes it whole", () => {
    const r = lintLetter(input(letter("My SSN is 123-45-6789 if you need it.")));
    expect(r.refusals).toHaveLength(1);
    const f = r.refusals[0];
    expect(f?.code).toBe("ssn");
    expect(f?.severity).toBe("refuse");
    expect(f?.excerpt).toBe("***-**-6789");
    expect(f?.line).toBe(8);
    expect(f?.column).toBe(11);
    expect(f?.message).toBe("line 8, column 11: looks like a Social Security number (***-**-6789)");
    expect(f?.fix).toContain("--allow-sensitive");
    expect(f?.fix).toContain("***-**-6789");
    for (const text of [f?.message, f?.excerpt, f?.fix]) {
      expect(text).not.toContain("123-45-6789");
      expect(text).not.toContain("123456789");
    }
  });

  it("catches an SSN written with spaces, with no keyword nearby", () => {
    expect(codes(letter("For identification: 123 45 6789."))).toEqual(["ssn"]);
  });

  it("catches nine digits next to SSN or social security", () => {
    const r = lintLetter(input(letter("SSN: 987654320. I can confirm it by phone.")));
    expect(r.refusals.map((f) => [f.code, f.excerpt])).toEqual([["ssn", "*****4320"]]);
    expect(codes(letter("My social security number is 987654320."))).toEqual(["ssn"]);
  });

  it("leaves nine digits alone when no SSN keyword is near", () => {
    expect(codes(letter("Your reference for my call was 987654320, as I recall."))).toEqual([]);
  });

  it("exempts a number equal to the loan's own account number", () => {
    expect(codes(letter("Loan 123-45-6789 is mine."), { ownAccountNumbers: [ACCOUNT, "123456789"] })).toEqual([]);
  });
});

describe("numbers that are not sensitive", () => {
  it.each([
    ["a phone number", "Please call my account manager at 555-123-4567 or (555) 987-6543."],
    ["an ISO date", "The payment posted to my account on 2026-03-01."],
    ["a US date", "The payment posted to my account on 03/01/2026."],
    ["a ZIP+4", "Mail for this account goes to Springfield, IL 62701-1234."],
    ["an amount with a dollar sign", "My account was charged $123,456.78 in error."],
    ["a bare decimal amount", "My account shows an unpaid balance of 123456.78 today."],
    ["a case tag", "This follows my earlier letter about the account [LM-2345-12]."],
  ])("does not flag %s", (_label, sentence) => {
    expect(codes(letter(sentence))).toEqual([]);
  });

  it("does not flag the loan's own 9-digit account number next to the word account", () => {
    expect(
      codes(letter("Please apply it to account 123456789."), { ownAccountNumbers: [ACCOUNT, "123456789"] }),
    ).toEqual([]);
  });

  it("does not flag the loan's own number written with dashes", () => {
    expect(codes(letter("My account 12-3456-789 is current."), { ownAccountNumbers: [ACCOUNT, "123456789"] })).toEqual(
      [],
    );
  });

  it("does not flag a structured field value such as a policy number", () => {
    const sentence = "Proof of coverage for the escrow account: policy HO-00987654321 is attached.";
    expect(codes(letter(sentence), { exemptValues: ["HO-00987654321"] })).toEqual([]);
  });

  it("does not flag a number labelled as something else next to the word account", () => {
    expect(codes(letter("On my escrow account, confirmation 88776655 was given by phone."))).toEqual([]);
  });
});

describe("card numbers", () => {
  it("catches a Luhn-valid 16-digit card number anywhere", () => {
    const r = lintLetter(input(letter("Charge the fee to 4111 1111 1111 1111 please.")));
    expect(r.refusals.map((f) => [f.code, f.excerpt])).toEqual([["card-number", "**** **** **** 1111"]]);
    expect(r.refusals[0]?.message).not.toContain("4111 1111 1111 1111");
  });

  it("catches a dashed card number", () => {
    expect(codes(letter("Card 5555-5555-5555-4444 on file."))).toEqual(["card-number"]);
  });

  it("ignores a 16-digit number that fails Luhn", () => {
    expect(codes(letter("Charge the fee to 4111 1111 1111 1112 please."))).toEqual([]);
  });
});

describe("bank numbers", () => {
  it("catches a valid routing number next to routing", () => {
    const r = lintLetter(input(letter("Debit it using routing number 021000021 each month.")));
    expect(r.refusals.map((f) => [f.code, f.excerpt])).toEqual([["routing-number", "*****0021"]]);
    expect(r.refusals[0]?.fix).toBe("write only the last 4 digits (for example *****0021) or pass --allow-sensitive");
  });

  it("does not call a checksum-failing number a routing number", () => {
    expect(codes(letter("Use routing 021000022 for it."))).toEqual([]);
  });

  it("catches a bank account number next to checking account but not the loan's own number", () => {
    const sentence = "Please draft loan account 1234567 from my checking account 987654321 each month.";
    const r = lintLetter(input(letter(sentence)));
    expect(r.refusals.map((f) => [f.code, f.excerpt])).toEqual([["bank-account", "*****4321"]]);
    expect(r.refusals[0]?.message).toMatch(/^line 8, column \d+: looks like a bank account number \(\*{5}4321\)$/);
  });

  it("reports routing and account numbers together once each", () => {
    const sentence = "My savings account is 55512345678 at routing 021000021.";
    expect(codes(letter(sentence))).toEqual(["bank-account", "routing-number"]);
  });
});

describe("missing elements", () => {
  it("refuses a body that lost a required element", () => {
    const r = lintLetter(input(letter("Please explain the fee.").replaceAll(ACCOUNT, "")));
    expect(r.refusals).toEqual([
      {
        code: "missing-element",
        severity: "refuse",
        line: 1,
        column: 1,
        excerpt: ACCOUNT,
        message: "line 1, column 1: the letter no longer states the account number (1234567)",
        fix: "put it back; servicers match letters to loans by it",
      },
    ]);
  });

  it("matches required values with whitespace collapsed and case ignored", () => {
    const body = letter("Please explain the fee.").replace(ADDRESS, "742 EVERGREEN   Terrace,\nSpringfield, IL 62704");
    expect(lintLetter(input(body)).refusals).toEqual([]);
  });
});

describe("warnings", () => {
  it("warns on three capitalised words in a row", () => {
    const r = lintLetter(input(letter("I have called six times and YOU NEVER ANSWER my questions.")));
    expect(r.refusals).toEqual([]);
    expect(r.warnings.map((f) => [f.code, f.severity, f.line, f.column])).toEqual([["shouting", "warn", 8, 29]]);
    expect(r.warnings[0]?.message).toMatch(/^line 8, column 29: /);
  });

  it("warns on a line that is mostly capitals", () => {
    expect(codes(letter("FIX This Now, It Has Been Months And Nobody Cares."))).toEqual(["shouting"]);
  });

  it("warns on insults and profanity, as whole words only", () => {
    const r = lintLetter(input(letter("Your staff are incompetent idiots and this is crap.")));
    expect(r.warnings.map((f) => [f.code, f.excerpt])).toEqual([
      ["insult", "incompetent"],
      ["insult", "idiots"],
      ["insult", "crap"],
    ]);
    expect(codes(letter("Please reassess the scrap value and the classification."))).toEqual([]);
  });

  it("warns on threats", () => {
    for (const sentence of [
      "Fix it or I will sue.",
      "I'm going to sue your company.",
      "See you in court.",
      "You will regret this.",
      "Credit the payment, or else!",
      "I will make sure you lose your license.",
      "Watch your back.",
      "You\u2019ll be sorry.",
    ]) {
      expect(codes(letter(sentence)), sentence).toEqual(["threat"]);
    }
  });

  it("does not treat a statement of rights or an ordinary alternative as a threat", () => {
    expect(codes(letter("I reserve all my rights under RESPA and may pursue remedies available to me."))).toEqual([]);
    expect(codes(letter("Please correct the payment, or else explain in writing why it is correct."))).toEqual([]);
  });

  it("warns when a notice of error lists several items", () => {
    const body = letter("The following are wrong:\n- the late fee\n- the escrow charge\n1. the payment date");
    const r = lintLetter(input(body, { kind: "notice-of-error" }));
    expect(r.warnings.map((f) => [f.code, f.line, f.column])).toEqual([["many-errors", 9, 1]]);
    expect(r.warnings[0]?.message).toContain("12 C.F.R. 1024.35(g)");
    expect(r.warnings[0]?.fix).toContain("one notice of error per error");
  });

  it("warns when a notice of error asserts errors in the plural", () => {
    expect(codes(letter("You made several errors on my statement."), { kind: "notice-of-error" })).toEqual([
      "many-errors",
    ]);
  });

  it("does not warn about many errors for other kinds or for an enclosure list", () => {
    const list = "The following are wrong:\n- the late fee\n- the escrow charge\n- the payment date";
    expect(codes(letter(list))).toEqual([]);
    const enclosures = "Please correct the fee.\n\nEnclosures:\n- bank statement\n- receipt\n- statement";
    expect(codes(letter(enclosures), { kind: "notice-of-error" })).toEqual([]);
  });

  it("warns on overbroad requests and cites Reg X", () => {
    const r = lintLetter(input(letter("Send me any and all documents and my complete file.")));
    expect(r.warnings.map((f) => [f.code, f.excerpt])).toEqual([
      ["overbroad", "any and all documents"],
      ["overbroad", "complete file"],
    ]);
    expect(r.warnings[0]?.message).toContain("1024.36(f)");
    expect(r.warnings[0]?.fix).toContain("specific documents");
  });

  it("does not call a request for the documents relied on overbroad", () => {
    expect(codes(letter("Please send all documents you relied on in deciding there was no error."))).toEqual([]);
  });

  it("says a request for information that asks who owns the loan is owed that answer in 10 business days, the rest in 30", () => {
    const rfi = { kind: "information-request" };
    for (const ask of [
      "Please also give me the name and address of the owner of my loan.",
      "Tell me who currently owns my mortgage.",
      "I request the identity of the investor and the payment history.",
      "Indique el dueño de mi préstamo.",
    ]) {
      const r = lintLetter(input(letter(ask), rfi));
      expect(
        r.warnings.map((f) => f.code),
        ask,
      ).toEqual(["owner-asked"]);
      expect(r.warnings[0]?.message).toContain("10 business days (12 C.F.R. 1024.36(d)(2)(i)(A))");
      expect(r.warnings[0]?.message).toContain("loanmail tracks both clocks");
      expect(r.warnings[0]?.fix).toContain("loanmail compose owner-request");
    }
    // The owner-request itself, a notice of error and a letter that only mentions the owner in passing: no warning.
    const ask = letter("Please give me the name and address of the owner of my loan.");
    expect(codes(ask, { kind: "owner-request" })).toEqual([]);
    expect(codes(ask, { kind: "notice-of-error" })).toEqual([]);
    expect(codes(letter("Please send the payment history since my loan was sold."), rfi)).toEqual([]);
  });

  it("masks long numbers quoted in a warning", () => {
    const r = lintLetter(input(letter("YOU LOST MY CHECKING ACCOUNT 987654321 AGAIN")));
    for (const f of [...r.refusals, ...r.warnings]) {
      expect(f.message).not.toContain("987654321");
      expect(f.excerpt).not.toContain("987654321");
    }
    expect(r.warnings.map((f) => f.code)).toEqual(["shouting"]);
  });
});
