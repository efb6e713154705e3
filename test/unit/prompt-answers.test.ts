/** The checks a prompt runs on each answer before it asks again (src/cli/validate.ts): pure, so tested directly. */
import { describe, expect, it } from "vitest";
import {
  addressProblem,
  checkPhone,
  emailProblem,
  localeDateOrder,
  phoneProblem,
  readAmountAnswer,
  readDateAnswer,
  timeZoneProblem,
} from "../../src/cli/validate.js";
import { UserError } from "../../src/errors.js";

describe("answers checked on the spot", () => {
  it("an email needs a domain with a dot", () => {
    expect(emailProblem("rosa@example.com")).toBe(true);
    expect(emailProblem(" rosa@example.com ")).toBe(true);
    expect(emailProblem("rosa@example")).toMatch(/"rosa@example" is not an email address; write it like/);
    expect(emailProblem("Rosa <rosa@example.com>")).not.toBe(true);
  });

  it("a phone is a full number: 10 US digits, 1 + 10, or + and 8 to 15, with an optional extension", () => {
    for (const ok of ["555-867-5309", "(555) 867-5309", "555.867.5309", "1 555 867 5309", "+44 20 7946 0958"])
      expect(phoneProblem(ok), ok).toBe(true);
    expect(phoneProblem("555-867-5309 x 12")).toBe(true);
    expect(phoneProblem("555-867-5309 ext. 4")).toBe(true);
    expect(phoneProblem("867-5309")).toMatch(/has 7 digits, not a full number; write it with its area code/);
    expect(phoneProblem("555-CALL-NOW")).toMatch(/is not a phone number/);
    expect(phoneProblem("2 555 867 5309")).toMatch(/has 11 digits/);
    expect(phoneProblem("+1234")).not.toBe(true);
  });

  it("--phone is held to the same rule, with its own code", () => {
    expect(checkPhone(" 555-867-5309 ", "--phone")).toBe("555-867-5309");
    expect(() => checkPhone("867-5309", "--phone")).toThrow(UserError);
    try {
      checkPhone("867-5309", "--phone");
    } catch (err) {
      expect((err as UserError).code).toBe("INVALID_PHONE");
      expect((err as UserError).message).toMatch(/^--phone "867-5309" has 7 digits/);
    }
  });

  it("a time zone is an IANA name this machine knows, not an offset", () => {
    expect(timeZoneProblem("America/Chicago")).toBe(true);
    expect(timeZoneProblem("America/Argentina/Buenos_Aires")).toBe(true);
    expect(timeZoneProblem("UTC")).toBe(true);
    expect(timeZoneProblem("Mars/Base")).toMatch(/"Mars\/Base" is not a time zone this machine knows/);
    expect(timeZoneProblem("+05:00")).toMatch(/is not a time zone name/);
    expect(timeZoneProblem("central")).not.toBe(true);
  });

  it("an address has at least a street line and a city line", () => {
    expect(addressProblem(["1 Main St", "Town, ST 00001"])).toBe(true);
    expect(addressProblem(["1 Main St"])).toMatch(/at least two lines/);
    expect(addressProblem([])).not.toBe(true);
  });
});

describe("dates and amounts typed at a prompt", () => {
  it("a date in ISO or the locale's numeric form, with its order", () => {
    expect(localeDateOrder("en-US")).toBe("mdy");
    expect(localeDateOrder("es-MX")).toBe("dmy");
    expect(localeDateOrder("en-GB")).toBe("dmy");
    expect(readDateAnswer("2026-06-01", "mdy")).toEqual({ iso: "2026-06-01" });
    expect(readDateAnswer("06/01/2026", "mdy")).toEqual({ iso: "2026-06-01" });
    expect(readDateAnswer("6/1/2026", "mdy")).toEqual({ iso: "2026-06-01" });
    expect(readDateAnswer("06/01/2026", "dmy")).toEqual({ iso: "2026-01-06" });
    expect(readDateAnswer("1.6.2026", "dmy")).toEqual({ iso: "2026-06-01" });
    expect(readDateAnswer("13/01/2026", "mdy")).toEqual({
      problem: '"13/01/2026" is not a day of the calendar (read as MM/DD/YYYY); write it as MM/DD/YYYY or YYYY-MM-DD',
    });
    expect(readDateAnswer("2026-02-30", "mdy")).toHaveProperty("problem");
    expect(readDateAnswer("6/1/26", "mdy")).toEqual({
      problem: '"6/1/26": give the year in four digits; write it as MM/DD/YYYY or YYYY-MM-DD',
    });
    expect(readDateAnswer("June first", "mdy")).toHaveProperty("problem");
  });

  it("an amount with $ and commas", () => {
    expect(readAmountAnswer("$1,500")).toEqual({ amount: "1500.00" });
    expect(readAmountAnswer("1500.5")).toEqual({ amount: "1500.50" });
    expect(readAmountAnswer("fifteen hundred")).toEqual({
      problem: '"fifteen hundred" is not an amount in dollars; write it like 1,500.00 or $1500',
    });
  });
});
