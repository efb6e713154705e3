/** Dates in a letter's words. */
import { describe, expect, it } from "vitest";
import { longDate } from "../../src/domain/letter-dates.js";

describe("longDate", () => {
  it("writes the month in words, the day without a leading zero, then the year", () => {
    expect(longDate("2026-06-01")).toBe("June 1, 2026");
    expect(longDate("2026-09-08")).toBe("September 8, 2026");
    expect(longDate("2026-12-31")).toBe("December 31, 2026");
    expect(longDate("2028-02-29")).toBe("February 29, 2028"); // 2028 is a leap year
  });

  it("refuses what is not a calendar date", () => {
    for (const bad of ["2026-02-30", "2027-02-29", "2026-13-01", "June 1, 2026", "2026-6-1", ""]) {
      expect(() => longDate(bad)).toThrow(RangeError);
    }
  });
});
