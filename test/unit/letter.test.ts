import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { validateAccountNumber } from "../../src/domain/account-number.js";
import { cleanLabel, exhibitFileName, exhibitLetter } from "../../src/domain/exhibits.js";
import { validateFields } from "../../src/domain/fields.js";
import { type KindId, kindDef } from "../../src/domain/kinds.js";
import { buildLetterBody, formalParagraph, type LetterInput, templateValues } from "../../src/domain/letter.js";
import { longDate } from "../../src/domain/letter-dates.js";
import { renderTemplate } from "../../src/domain/template.js";
import { UserError } from "../../src/errors.js";

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");
const template = (id: KindId) => readFileSync(join(TEMPLATES, `${id}.en.md`), "utf8");

const TAG = "LM-K7QX-3";
const SUMMARY = "On 2026-03-01 I paid $1,500.00, but my statement shows only part of it applied to principal.";

function input(kindId: KindId, fields: Record<string, string>, overrides: Partial<LetterInput> = {}): LetterInput {
  const kind = kindDef(kindId);
  return {
    kind,
    fields: validateFields(kind, fields),
    formal: false,
    toDesignated: false,
    template: template(kindId),
    servicerName: "Acme Servicing",
    borrowers: ["Jane Q. Borrower"],
    account: "1234567",
    property: "742 Evergreen Terrace\nSpringfield, IL 62704\n",
    summary: SUMMARY,
    userName: "Jane Q. Borrower",
    tag: TAG,
    exhibits: [],
    ...overrides,
  };
}

describe("renderTemplate", () => {
  it("drops a line whose placeholder has no value, keeping the rest", () => {
    const t = "First {{a}}.\nOptional {{b}}.\nLast.";
    expect(renderTemplate(t, { a: "one" })).toBe("First one. Last.");
    expect(renderTemplate(t, { a: "one", b: "two" })).toBe("First one. Optional two. Last.");
  });

  it("treats an empty string as missing", () => {
    expect(renderTemplate("A {{a}}.\nB.", { a: "" })).toBe("B.");
  });

  it("drops a line if any one of its placeholders is missing", () => {
    expect(renderTemplate("From {{from}} to {{to}}.\nEnd.", { from: "2026-01-01" })).toBe("End.");
  });

  it("joins the lines of one paragraph with single spaces, trimming them", () => {
    expect(renderTemplate("  one  \ntwo\n\tthree", {})).toBe("one two three");
  });

  it("keeps paragraphs separated by blank lines, collapsing runs of blank lines", () => {
    expect(renderTemplate("p1 a\np1 b\n\np2\n \n\n\np3", {})).toBe("p1 a p1 b\n\np2\n\np3");
  });

  it("does not leave an empty paragraph where every line was dropped", () => {
    expect(renderTemplate("A.\n\n{{x}}\n\nB.", {})).toBe("A.\n\nB.");
  });

  it("accepts CRLF templates", () => {
    expect(renderTemplate("a {{x}}\r\nb\r\n\r\nc", { x: "1" })).toBe("a 1 b\n\nc");
  });

  it("inserts values literally (no $-patterns, no re-expansion)", () => {
    expect(renderTemplate("v={{a}}", { a: "$& {{b}}" })).toBe("v=$& {{b}}");
  });
});

describe("buildLetterBody: payment-application", () => {
  const exhibits = ["Exhibit A \u2013 Bank statement.pdf", "Exhibit B \u2013 Mortgage statement.pdf"];
  const body = buildLetterBody(
    input("payment-application", { "payment-date": "2026-03-01", amount: "1500" }, { exhibits }),
  );

  it("opens with the servicer and states borrower, account and the property on one line", () => {
    expect(body.startsWith("Dear Acme Servicing:\n\n")).toBe(true);
    expect(body).toContain("Borrower: Jane Q. Borrower\n");
    expect(body).toContain("Account number: 1234567\n");
    expect(body).toContain("Property address: 742 Evergreen Terrace, Springfield, IL 62704\n");
  });

  it("contains the summary, the error asserted with the amount as dollars, the date and the rule", () => {
    expect(body).toContain(SUMMARY);
    expect(body).toContain("You failed to apply my payment of $1,500.00, made on March 1, 2026, to this loan");
    expect(body).toContain("is an error under 12 C.F.R. 1024.35(b)(2)");
    expect(body).not.toContain("{{");
  });

  it("asks for the tag in the reply and signs off", () => {
    expect(body).toContain(`Please include the reference ${TAG} in your reply`);
    expect(body).toContain("Sincerely,\n\nJane Q. Borrower");
  });

  it("puts the parts in order: details, summary, request, tag, signature, enclosures", () => {
    const order = ["Borrower:", SUMMARY, "You failed to apply", TAG, "Sincerely,", "Enclosures:"].map((s) =>
      body.indexOf(s),
    );
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("ends with Enclosures: and the exhibits in order", () => {
    expect(body.endsWith(`\n\nEnclosures:\n${exhibits[0]}\n${exhibits[1]}\n`)).toBe(true);
  });

  it('says "Enclosures: none" without exhibits', () => {
    const plain = buildLetterBody(input("payment-application", { "payment-date": "2026-03-01", amount: "1500" }));
    expect(plain.endsWith("\n\nEnclosures: none\n")).toBe(true);
  });

  it("sent informally (--no-formal): no notice-of-error paragraph, though the error is still asserted", () => {
    expect(body).not.toContain("This letter is a notice of error");
  });

  it("an informal copy of the formal letter says it is not the notice", () => {
    const copy = buildLetterBody(
      input("payment-application", { "payment-date": "2026-03-01", amount: "1500" }, { copyOfFormal: true }),
    );
    expect(copy).toContain(
      "This is a copy, for your customer service team, of a letter addressed to your designated address for such notices. That letter, not this copy, is my notice of error under 12 C.F.R. 1024.35.",
    );
  });

  it("names several borrowers and adds phone and email under the signature", () => {
    const b = buildLetterBody(
      input(
        "payment-application",
        { "payment-date": "2026-03-01", amount: "1500" },
        {
          borrowers: ["Jane Q. Borrower", "John Borrower"],
          userPhone: "(217) 555-0134",
          userEmail: "jane@example.com",
        },
      ),
    );
    expect(b).toContain("Borrowers: Jane Q. Borrower, John Borrower\n");
    expect(b).toContain("Sincerely,\n\nJane Q. Borrower\n(217) 555-0134\njane@example.com\n\nEnclosures: none");
  });
});

describe("buildLetterBody: notice-of-error", () => {
  it("a formal notice carries the 12 C.F.R. 1024.35 paragraph", () => {
    const body = buildLetterBody(
      input("notice-of-error", { error: "A late fee was charged" }, { formal: true, toDesignated: true }),
    );
    expect(body).toContain("12 C.F.R. 1024.35");
    expect(body).toContain(formalParagraph(kindDef("notice-of-error"), true) as string);
    expect(body).toContain("sent to your designated address for such notices.");
  });

  it("a formal notice sent elsewhere (compose --to) never claims the designated address", () => {
    const body = buildLetterBody(
      input("notice-of-error", { error: "A late fee was charged" }, { formal: true, toDesignated: false }),
    );
    expect(body).toContain(
      "This letter is a notice of error under 12 C.F.R. 1024.35 (Regulation X, RESPA section 6(k)). This letter is also a qualified written request under 12 U.S.C. 2605(e). Please",
    );
    expect(body).not.toContain("designated");
  });

  it("an informal one does not", () => {
    const body = buildLetterBody(input("notice-of-error", { error: "A late fee was charged" }, { formal: false }));
    expect(body).not.toContain("1024.35");
    expect(body).not.toContain("Regulation X");
  });

  it("adds a full stop to the error only when it is missing", () => {
    const add = buildLetterBody(input("notice-of-error", { error: "A late fee was charged" }));
    expect(add).toContain("occurred on this loan: A late fee was charged.");
    expect(add).not.toContain("charged..");
    for (const done of [
      "A late fee was charged.",
      "Why was a late fee charged?",
      "A late fee was charged!",
      'The statement said "paid."',
    ]) {
      const body = buildLetterBody(input("notice-of-error", { error: done }));
      expect(body).toContain(`occurred on this loan: ${done} `);
    }
  });

  it("leaves out the lines of optional fields that were not given", () => {
    const body = buildLetterBody(input("notice-of-error", { error: "x" }));
    expect(body).not.toContain("The error occurred on");
    expect(body).not.toContain("A foreclosure sale");
    const full = buildLetterBody(
      input("notice-of-error", { error: "x", "error-date": "2026-02-01", amount: "75", "sale-date": "2026-06-01" }),
    );
    expect(full).toContain("The error occurred on February 1, 2026.");
    expect(full).toContain("The amount involved is $75.00.");
    expect(full).toContain("A foreclosure sale is scheduled for June 1, 2026.");
  });

  it("formalParagraph is null for kinds that are not NOE/RFI", () => {
    expect(formalParagraph(kindDef("follow-up"), true)).toBeNull();
    expect(formalParagraph(kindDef("payoff-statement"), true)).toBeNull();
    expect(formalParagraph(kindDef("owner-request"), true)).toContain("1024.36(d)(2)(i)(A)");
    expect(formalParagraph(kindDef("relied-documents"), true)).toContain("1024.35(e)(4)");
  });
});

describe("templateValues", () => {
  it("fills the ref-* placeholders from a referenced letter: its day in words, never its Message-ID", () => {
    const v = templateValues(
      input(
        "follow-up",
        { case: "2" },
        { reference: { tag: "LM-K7QX-2", subject: "S", date: "2026-03-01", messageId: "<a@b>" } },
      ),
    );
    expect(v).toMatchObject({
      "ref-tag": "LM-K7QX-2",
      "ref-subject": "S",
      "ref-date": "March 1, 2026",
      borrowers: "Jane Q. Borrower",
      property: "742 Evergreen Terrace, Springfield, IL 62704",
    });
    expect(Object.values(v)).not.toContain("<a@b>");
    expect(v["ref-response-date"]).toBeUndefined();
  });

  it("the follow-up cites the letter by tag and the day it left, never by Message-ID", () => {
    const reference = { tag: "LM-K7QX-2", subject: "S", date: "2026-06-01", messageId: "<a.b@c>" };
    const body = buildLetterBody(input("follow-up", { case: "2" }, { reference }));
    expect(body).toContain("my letter of June 1, 2026 (reference LM-K7QX-2)");
    expect(body).not.toContain("<a.b@c>");
    expect(body).not.toContain("Message-ID");
    // The user's own summary may say what it likes; loanmail's words carry no ISO date.
    expect(body.replace(SUMMARY, "")).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("relied-documents names the day the response arrived and the day the notice left", () => {
    const reference = {
      tag: "LM-K7QX-2",
      subject: "S",
      date: "2026-06-01",
      messageId: "<a@b>",
      responseDate: "2026-07-15",
    };
    const body = buildLetterBody(input("relied-documents", { case: "2" }, { reference }));
    expect(body).toContain(
      "This request concerns your response of July 15, 2026 to my notice of error of June 1, 2026 (reference LM-K7QX-2).",
    );
  });
});

describe("longDate", () => {
  it.each([
    ["2026-06-01", "June 1, 2026"],
    ["2026-01-31", "January 31, 2026"],
    ["2026-12-09", "December 9, 2026"],
    ["2024-02-29", "February 29, 2024"],
    // A timestamp prints its calendar day as written (the caller passes a day in the user's zone).
    ["2026-03-01T23:30:00.000Z", "March 1, 2026"],
  ])("%s → %s", (iso, expected) => {
    expect(longDate(iso)).toBe(expected);
  });

  it("refuses what is not an ISO date (a bug in the caller, not a user error)", () => {
    for (const bad of ["", "June 1, 2026", "2026-13-01", "2026-00-10", "2026-06-00", "2026-02-30"]) {
      expect(() => longDate(bad), bad).toThrow(/not an ISO date/);
    }
  });
});

describe("exhibits", () => {
  it.each([
    [0, "A"],
    [1, "B"],
    [25, "Z"],
    [26, "AA"],
    [27, "AB"],
    [51, "AZ"],
    [52, "BA"],
    [701, "ZZ"],
    [702, "AAA"],
  ])("exhibitLetter(%i) = %s", (n, want) => {
    expect(exhibitLetter(n)).toBe(want);
  });

  it("exhibitFileName uses the en dash", () => {
    expect(exhibitFileName(0, "Proof of payment", "pdf")).toBe("Exhibit A \u2013 Proof of payment.pdf");
    expect(exhibitFileName(26, "scan", "png")).toBe("Exhibit AA \u2013 scan.png");
  });

  it.each([
    ["a/b\\c", "a b c"],
    ["../../etc/passwd", "etc passwd"],
    ["..\\..\\boot.ini", "boot.ini"],
    ["..", "document"],
    [".hidden", "hidden"],
    ["...x", "x"],
    ["name.", "name"],
    ["tab\there\nnew\u0000line\u007f", "tab here new line"],
    ['a:b*c?d"e<f>g|h', "a b c d e f g h"],
    ["   ", "document"],
    ["", "document"],
    ["Proof of payment 2026-03-01", "Proof of payment 2026-03-01"],
  ])("cleanLabel(%j) = %j", (raw, want) => {
    expect(cleanLabel(raw)).toBe(want);
  });

  it("leaves no separator or traversal in the result", () => {
    for (const raw of ["../x", "a/../b", "..\\..", "./.", "/etc/passwd", "C:\\Windows"]) {
      const out = cleanLabel(raw);
      expect(out).not.toMatch(/[/\\]/);
      expect(out.startsWith(".")).toBe(false);
      expect(out).not.toBe("..");
    }
  });

  it("caps the label at 120 characters", () => {
    expect(cleanLabel("x".repeat(500))).toHaveLength(120);
  });

  it("removes every control character, C1 (U+0080–U+009F) included", () => {
    // The doc comment promises "no ... control characters"; NEL (U+0085) and CSI (U+009B) are controls too.
    const out = cleanLabel("a\u0085b\u009bc");
    expect(out).not.toMatch(/\p{Cc}/u);
  });
});

describe("validateAccountNumber", () => {
  it.each([
    ["1234567", "1234567"],
    ["0012-3456-78", "0012-3456-78"],
    ["  1234567 ", "1234567"],
    ["AB12345", "AB12345"],
    ["1234 5678", "12345678"],
  ])("accepts %j as %j", (raw, want) => {
    expect(validateAccountNumber(raw)).toBe(want);
  });

  it.each(["", "   ", "12", "abc", "12 34!", "-1234567", "1234567-", "ABCDEFG1", "1".repeat(31)])(
    "refuses %j with a UserError",
    (raw) => {
      expect(() => validateAccountNumber(raw)).toThrow(UserError);
    },
  );
});
