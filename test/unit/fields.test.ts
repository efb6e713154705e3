import { describe, expect, it } from "vitest";
import {
  formatAmount,
  isValidIsoDate,
  normalizeAmount,
  parseSetOptions,
  validateFields,
} from "../../src/domain/fields.js";
import { kindDef } from "../../src/domain/kinds.js";
import { UserError } from "../../src/errors.js";

/** Run `fn`, expecting a UserError, and return it so message and hint can be checked. */
function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

describe("isValidIsoDate", () => {
  it.each(["2026-03-01", "2024-02-29", "2000-02-29", "2026-12-31", "1999-01-01"])("accepts %s", (d) => {
    expect(isValidIsoDate(d)).toBe(true);
  });

  it.each([
    ["2026-02-30", "no Feb 30"],
    ["2026-02-29", "2026 is not a leap year"],
    ["1900-02-29", "1900 is divisible by 100, not 400"],
    ["2026-13-01", "month 13"],
    ["2026-00-10", "month 0"],
    ["2026-04-31", "April has 30 days"],
    ["2026-01-00", "day 0"],
    ["2026-3-1", "not zero-padded"],
    ["03/01/2026", "US form"],
    ["2026-03-01T00:00:00Z", "a timestamp"],
    [" 2026-03-01", "leading space"],
    ["", "empty"],
  ])("refuses %s (%s)", (d) => {
    expect(isValidIsoDate(d)).toBe(false);
  });
});

describe("normalizeAmount", () => {
  it.each([
    ["$1,234.5", "1234.50"],
    ["1500", "1500.00"],
    ["1234.56", "1234.56"],
    ["$1234.50", "1234.50"],
    ["1,234,567.89", "1234567.89"],
    ["0.5", "0.50"],
    ["  42  ", "42.00"],
    ["007", "7.00"],
  ])("%s -> %s", (raw, want) => {
    expect(normalizeAmount(raw)).toBe(want);
  });

  it.each([
    ["12,34", "a European decimal comma is not a thousands separator"],
    ["-5", "negative"],
    ["1.234", "three decimals (maybe a European thousands dot)"],
    ["", "empty"],
    ["abc", "not a number"],
    ["$", "sign alone"],
    ["1.2.3", "two dots"],
    ["1e3", "exponent"],
    ["12,3456", "a comma not before exactly three digits"],
  ])("refuses %s (%s)", (raw) => {
    expect(normalizeAmount(raw)).toBeNull();
  });
});

describe("formatAmount", () => {
  it.each([
    ["1500.00", "$1,500.00"],
    ["1234567.89", "$1,234,567.89"],
    ["0.50", "$0.50"],
    ["999.99", "$999.99"],
    ["1000.00", "$1,000.00"],
  ])("%s -> %s", (n, want) => {
    expect(formatAmount(n)).toBe(want);
  });

  it("round-trips what normalizeAmount produces", () => {
    expect(formatAmount(normalizeAmount("$1,234.5") as string)).toBe("$1,234.50");
  });
});

describe("parseSetOptions", () => {
  it("splits name=value pairs and trims around them", () => {
    expect(parseSetOptions(["payment-date=2026-03-01", " amount = 1500 "])).toEqual({
      "payment-date": "2026-03-01",
      amount: "1500",
    });
  });

  it("keeps everything after the first = in the value", () => {
    expect(parseSetOptions(["information=balance where a=b"])).toEqual({ information: "balance where a=b" });
    expect(parseSetOptions(["x=="])).toEqual({ x: "=" });
  });

  it("allows an empty value (validateFields decides whether that is missing)", () => {
    expect(parseSetOptions(["as-of="])).toEqual({ "as-of": "" });
  });

  it("refuses a key given twice instead of silently overriding it", () => {
    const e = userError(() => parseSetOptions(["amount=1", "amount=2"]));
    expect(e.message).toContain("amount");
    expect(e.message).toContain("twice");
  });

  it.each(["amount", "=1500"])("refuses %j without a name=value form", (pair) => {
    const e = userError(() => parseSetOptions([pair]));
    expect(e.message).toContain("expected name=value");
    expect(e.hint).toContain("--set");
  });

  it("returns an empty map for no options", () => {
    expect(parseSetOptions([])).toEqual({});
  });
});

describe("validateFields", () => {
  const paymentApplication = kindDef("payment-application");

  it("normalises values and returns only known fields", () => {
    expect(validateFields(paymentApplication, { "payment-date": "2026-03-01", amount: "$1,500" })).toEqual({
      "payment-date": "2026-03-01",
      amount: "1500.00",
    });
  });

  it("lists every missing required field, with --set flags in the hint", () => {
    const e = userError(() => validateFields(paymentApplication, {}));
    expect(e.message).toContain("payment-application");
    expect(e.message).toContain("payment-date");
    expect(e.message).toContain("amount");
    expect(e.hint).toContain("--set payment-date=<date>");
    expect(e.hint).toContain("--set amount=<amount>");
  });

  it("treats a blank required value as missing", () => {
    const e = userError(() => validateFields(paymentApplication, { "payment-date": "  ", amount: "10" }));
    expect(e.message).toContain("payment-date");
    expect(e.hint).toContain("--set payment-date=<date>");
  });

  it("refuses a date field outside the days loanmail works with, as every typed date is", () => {
    for (const day of ["0000-01-01", "9999-12-31"]) {
      const e = userError(() => validateFields(paymentApplication, { "payment-date": day, amount: "10" }));
      expect(e.code).toBe("DATE_OUT_OF_RANGE");
      expect(e.message).toBe(
        `--set payment-date ${day} is outside the days loanmail works with (1986-01-01 to 2199-12-31)`,
      );
    }
  });

  it("refuses an unknown field, naming the kind's fields", () => {
    const e = userError(() =>
      validateFields(paymentApplication, { "payment-date": "2026-03-01", amount: "1", fee: "3" }),
    );
    expect(e.message).toContain('"fee"');
    expect(e.hint).toContain("payment-date, amount");
  });

  it('says "none" when a kind has no fields at all', () => {
    const e = userError(() => validateFields(kindDef("assumption"), { foo: "bar" }));
    expect(e.hint).toContain("none");
  });

  it("fills an enum's default (its first value) when not given, and checks a given one", () => {
    const noe = kindDef("notice-of-error");
    expect(validateFields(noe, { error: "Fee charged twice" })).toEqual({
      error: "Fee charged twice",
      type: "general",
    });
    expect(validateFields(noe, { error: "x", type: "foreclosure" }).type).toBe("foreclosure");
    const e = userError(() => validateFields(noe, { error: "x", type: "urgent" }));
    expect(e.hint).toContain("general, payoff, foreclosure");
  });

  it("does not invent values for optional non-enum fields", () => {
    expect(validateFields(kindDef("balance-verification"), {})).toEqual({});
  });

  it.each([
    ["2025", true],
    ["1970", true],
    ["2100", true],
    ["25", false],
    ["1969", false],
    ["2101", false],
    ["20255", false],
    ["abcd", false],
    ["2025.0", false],
  ])("tax-year %s valid=%s", (year, ok) => {
    const kind = kindDef("tax-form-1098");
    if (ok) expect(validateFields(kind, { "tax-year": year })).toEqual({ "tax-year": year });
    else expect(userError(() => validateFields(kind, { "tax-year": year })).message).toContain("not a year");
  });

  it.each(["3", "LM-AB12-3", "lm-ab12-3"])("accepts case ref %s", (ref) => {
    expect(validateFields(kindDef("follow-up"), { case: ref })).toEqual({ case: ref });
  });

  it.each(["LM-ABC-3", "LM-AB12", "three", "#3", "LM-AB12-3x"])("refuses case ref %s", (ref) => {
    const e = userError(() => validateFields(kindDef("follow-up"), { case: ref }));
    expect(e.message).toContain("not a case");
    expect(e.hint).toContain("LM-K7QX-3");
  });

  it("refuses a bad date or amount, naming the field", () => {
    expect(
      userError(() => validateFields(paymentApplication, { "payment-date": "2026-02-30", amount: "1" })).message,
    ).toContain("--set payment-date=2026-02-30");
    expect(
      userError(() => validateFields(paymentApplication, { "payment-date": "2026-02-28", amount: "12,34" })).message,
    ).toContain("--set amount=12,34");
  });

  it("refuses text longer than 2000 characters", () => {
    const e = userError(() => validateFields(kindDef("notice-of-error"), { error: "x".repeat(2001) }));
    expect(e.hint).toContain("--summary");
  });
});
