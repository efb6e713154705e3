import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  addBusinessDays,
  addCalendarDays,
  addDays,
  businessDaysBetween,
  businessDaysLate,
  dayOfWeek,
  federalHolidays,
  type Holiday,
  isBusinessDay,
  isValidIsoDate,
  isWeekend,
  nextBusinessDay,
} from "../../src/domain/calendar.js";

/** Every .ts file under src/domain, however deep, with its text: a new module is checked without being listed. */
function domainSources(): [string, string][] {
  const domain = new URL("../../src/domain/", import.meta.url);
  const files = readdirSync(domain, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .sort();
  expect(files).toContain("calendar.ts");
  return files.map((f) => [f, readFileSync(new URL(f, domain), "utf8")]);
}

const NY = "New Year's Day";
const MLK = "Martin Luther King Jr. Day";
const WB = "Washington's Birthday";
const MEM = "Memorial Day";
const JUN = "Juneteenth National Independence Day";
const IND = "Independence Day";
const LAB = "Labor Day";
const COL = "Columbus Day";
const VET = "Veterans Day";
const THX = "Thanksgiving Day";
const XMAS = "Christmas Day";

const MON_SAT = [1, 2, 3, 4, 5, 6] as const;

/**
 * Every holiday 2021–2035, worked out by hand, NOT with the code under test. Method: Jan 1 weekdays (0 Sun .. 6 Sat)
 * 2021 Fri, 2022 Sat, 2023 Sun, 2024 Mon, 2025 Wed, 2026 Thu, 2027 Fri, 2028 Sat, 2029 Mon, 2030 Tue, 2031 Wed,
 * 2032 Thu, 2033 Sat, 2034 Sun, 2035 Mon (2024, 2028, 2032 leap). The first of each month is Jan 1 shifted by
 * Feb +3, May +1, Jun +4, Jul +6, Sep +5, Oct +0, Nov +3, Dec +5 (leap years one more from March on). Then
 * Jun 19 = Jun 1 + 4, Jul 4 = Jul 1 + 3, Nov 11 = Nov 1 + 3, Dec 25 = Dec 1 + 3, May 31 = May 1 + 2 weekdays, and
 * the first Monday is 1 + (1 - first + 7) mod 7. A Saturday holiday is observed the Friday before, a Sunday one the
 * Monday after. Same-calendar years agree, which cross-checks the work: 2027 = 2021 (non-leap, Fri), 2033 = 2022,
 * 2034 = 2023, 2035 = 2029, 2031 = 2025, and 2032 matches 2021 from March on.
 */
const EXPECTED: Record<number, readonly Holiday[]> = {
  2021: rows([
    ["2021-01-01", NY, null], // Fri
    ["2021-01-18", MLK, null], // Jan 1 Fri: first Monday Jan 4
    ["2021-02-15", WB, null], // Feb 1 Mon
    ["2021-05-31", MEM, null], // May 31 Mon
    ["2021-06-19", JUN, "2021-06-18"], // Sat
    ["2021-07-04", IND, "2021-07-05"], // Sun
    ["2021-09-06", LAB, null], // Sep 1 Wed
    ["2021-10-11", COL, null], // Oct 1 Fri: first Monday Oct 4
    ["2021-11-11", VET, null], // Thu
    ["2021-11-25", THX, null], // Nov 1 Mon: first Thursday Nov 4
    ["2021-12-25", XMAS, "2021-12-24"], // Sat
  ]),
  2022: rows([
    ["2022-01-01", NY, "2021-12-31"], // Sat: observed the Friday of the previous year
    ["2022-01-17", MLK, null],
    ["2022-02-21", WB, null], // Feb 1 Tue: first Monday Feb 7
    ["2022-05-30", MEM, null], // May 31 Tue
    ["2022-06-19", JUN, "2022-06-20"], // Sun
    ["2022-07-04", IND, null], // Mon
    ["2022-09-05", LAB, null], // Sep 1 Thu
    ["2022-10-10", COL, null], // Oct 1 Sat: first Monday Oct 3
    ["2022-11-11", VET, null], // Fri
    ["2022-11-24", THX, null], // Nov 1 Tue: first Thursday Nov 3
    ["2022-12-25", XMAS, "2022-12-26"], // Sun
  ]),
  2023: rows([
    ["2023-01-01", NY, "2023-01-02"], // Sun
    ["2023-01-16", MLK, null],
    ["2023-02-20", WB, null], // Feb 1 Wed
    ["2023-05-29", MEM, null], // May 31 Wed
    ["2023-06-19", JUN, null], // Mon
    ["2023-07-04", IND, null], // Tue
    ["2023-09-04", LAB, null], // Sep 1 Fri
    ["2023-10-09", COL, null], // Oct 1 Sun
    ["2023-11-11", VET, "2023-11-10"], // Sat
    ["2023-11-23", THX, null], // Nov 1 Wed: first Thursday Nov 2
    ["2023-12-25", XMAS, null], // Mon
  ]),
  2024: rows([
    ["2024-01-01", NY, null], // Mon
    ["2024-01-15", MLK, null],
    ["2024-02-19", WB, null], // Feb 1 Thu
    ["2024-05-27", MEM, null], // leap: May 1 Wed, May 31 Fri
    ["2024-06-19", JUN, null], // Wed
    ["2024-07-04", IND, null], // Thu
    ["2024-09-02", LAB, null], // Sep 1 Sun
    ["2024-10-14", COL, null], // Oct 1 Tue
    ["2024-11-11", VET, null], // Mon
    ["2024-11-28", THX, null], // Nov 1 Fri: first Thursday Nov 7
    ["2024-12-25", XMAS, null], // Wed
  ]),
  2025: rows([
    ["2025-01-01", NY, null], // Wed
    ["2025-01-20", MLK, null],
    ["2025-02-17", WB, null], // Feb 1 Sat
    ["2025-05-26", MEM, null], // May 31 Sat
    ["2025-06-19", JUN, null], // Thu
    ["2025-07-04", IND, null], // Fri
    ["2025-09-01", LAB, null], // Sep 1 Mon
    ["2025-10-13", COL, null], // Oct 1 Wed
    ["2025-11-11", VET, null], // Tue
    ["2025-11-27", THX, null], // Nov 1 Sat: first Thursday Nov 6
    ["2025-12-25", XMAS, null], // Thu
  ]),
  2026: rows([
    ["2026-01-01", NY, null], // Thu
    ["2026-01-19", MLK, null],
    ["2026-02-16", WB, null], // Feb 1 Sun
    ["2026-05-25", MEM, null], // May 31 Sun
    ["2026-06-19", JUN, null], // Fri
    ["2026-07-04", IND, "2026-07-03"], // Sat
    ["2026-09-07", LAB, null], // Sep 1 Tue
    ["2026-10-12", COL, null], // Oct 1 Thu
    ["2026-11-11", VET, null], // Wed
    ["2026-11-26", THX, null], // Nov 1 Sun: first Thursday Nov 5
    ["2026-12-25", XMAS, null], // Fri
  ]),
  2027: rows([
    ["2027-01-01", NY, null], // Fri (same calendar as 2021)
    ["2027-01-18", MLK, null],
    ["2027-02-15", WB, null],
    ["2027-05-31", MEM, null],
    ["2027-06-19", JUN, "2027-06-18"], // Sat
    ["2027-07-04", IND, "2027-07-05"], // Sun
    ["2027-09-06", LAB, null],
    ["2027-10-11", COL, null],
    ["2027-11-11", VET, null], // Thu
    ["2027-11-25", THX, null],
    ["2027-12-25", XMAS, "2027-12-24"], // Sat
  ]),
  2028: rows([
    ["2028-01-01", NY, "2027-12-31"], // Sat: observed the Friday of the previous year
    ["2028-01-17", MLK, null],
    ["2028-02-21", WB, null], // Feb 1 Tue
    ["2028-05-29", MEM, null], // leap: May 1 Mon, May 31 Wed
    ["2028-06-19", JUN, null], // Mon
    ["2028-07-04", IND, null], // Tue
    ["2028-09-04", LAB, null], // Sep 1 Fri
    ["2028-10-09", COL, null], // Oct 1 Sun
    ["2028-11-11", VET, "2028-11-10"], // Sat
    ["2028-11-23", THX, null], // Nov 1 Wed
    ["2028-12-25", XMAS, null], // Mon
  ]),
  2029: rows([
    ["2029-01-01", NY, null], // Mon
    ["2029-01-15", MLK, null],
    ["2029-02-19", WB, null], // Feb 1 Thu
    ["2029-05-28", MEM, null], // May 31 Thu
    ["2029-06-19", JUN, null], // Tue
    ["2029-07-04", IND, null], // Wed
    ["2029-09-03", LAB, null], // Sep 1 Sat
    ["2029-10-08", COL, null], // Oct 1 Mon
    ["2029-11-11", VET, "2029-11-12"], // Sun
    ["2029-11-22", THX, null], // Nov 1 Thu
    ["2029-12-25", XMAS, null], // Tue
  ]),
  2030: rows([
    ["2030-01-01", NY, null], // Tue
    ["2030-01-21", MLK, null], // first Monday Jan 7
    ["2030-02-18", WB, null], // Feb 1 Fri
    ["2030-05-27", MEM, null], // May 31 Fri
    ["2030-06-19", JUN, null], // Wed
    ["2030-07-04", IND, null], // Thu
    ["2030-09-02", LAB, null], // Sep 1 Sun
    ["2030-10-14", COL, null], // Oct 1 Tue
    ["2030-11-11", VET, null], // Mon
    ["2030-11-28", THX, null], // Nov 1 Fri
    ["2030-12-25", XMAS, null], // Wed
  ]),
  2031: rows([
    ["2031-01-01", NY, null], // Wed (same calendar as 2025)
    ["2031-01-20", MLK, null],
    ["2031-02-17", WB, null],
    ["2031-05-26", MEM, null],
    ["2031-06-19", JUN, null], // Thu
    ["2031-07-04", IND, null], // Fri
    ["2031-09-01", LAB, null],
    ["2031-10-13", COL, null],
    ["2031-11-11", VET, null], // Tue
    ["2031-11-27", THX, null],
    ["2031-12-25", XMAS, null], // Thu
  ]),
  2032: rows([
    ["2032-01-01", NY, null], // Thu
    ["2032-01-19", MLK, null],
    ["2032-02-16", WB, null], // Feb 1 Sun
    ["2032-05-31", MEM, null], // leap: May 1 Sat, May 31 Mon
    ["2032-06-19", JUN, "2032-06-18"], // Sat
    ["2032-07-04", IND, "2032-07-05"], // Sun
    ["2032-09-06", LAB, null], // Sep 1 Wed
    ["2032-10-11", COL, null], // Oct 1 Fri
    ["2032-11-11", VET, null], // Thu
    ["2032-11-25", THX, null], // Nov 1 Mon
    ["2032-12-25", XMAS, "2032-12-24"], // Sat
  ]),
  2033: rows([
    ["2033-01-01", NY, "2032-12-31"], // Sat (same calendar as 2022)
    ["2033-01-17", MLK, null],
    ["2033-02-21", WB, null],
    ["2033-05-30", MEM, null],
    ["2033-06-19", JUN, "2033-06-20"], // Sun
    ["2033-07-04", IND, null], // Mon
    ["2033-09-05", LAB, null],
    ["2033-10-10", COL, null],
    ["2033-11-11", VET, null], // Fri
    ["2033-11-24", THX, null],
    ["2033-12-25", XMAS, "2033-12-26"], // Sun
  ]),
  2034: rows([
    ["2034-01-01", NY, "2034-01-02"], // Sun (same calendar as 2023)
    ["2034-01-16", MLK, null],
    ["2034-02-20", WB, null],
    ["2034-05-29", MEM, null],
    ["2034-06-19", JUN, null], // Mon
    ["2034-07-04", IND, null], // Tue
    ["2034-09-04", LAB, null],
    ["2034-10-09", COL, null],
    ["2034-11-11", VET, "2034-11-10"], // Sat
    ["2034-11-23", THX, null],
    ["2034-12-25", XMAS, null], // Mon
  ]),
  2035: rows([
    ["2035-01-01", NY, null], // Mon (same calendar as 2029)
    ["2035-01-15", MLK, null],
    ["2035-02-19", WB, null],
    ["2035-05-28", MEM, null],
    ["2035-06-19", JUN, null], // Tue
    ["2035-07-04", IND, null], // Wed
    ["2035-09-03", LAB, null],
    ["2035-10-08", COL, null],
    ["2035-11-11", VET, "2035-11-12"], // Sun
    ["2035-11-22", THX, null],
    ["2035-12-25", XMAS, null], // Tue
  ]),
};

function rows(list: readonly (readonly [string, string, string | null])[]): Holiday[] {
  return list.map(([date, name, observed]) => ({ date, name, observed }));
}

const ALL_ROWS = Object.values(EXPECTED).flat();

describe("federalHolidays: hand-checked table 2021–2035", () => {
  it("has 11 × 15 = 165 rows", () => {
    expect(ALL_ROWS).toHaveLength(165);
  });

  it.each(Object.keys(EXPECTED).map(Number))("%i: every holiday, in calendar order, with its observed day", (year) => {
    expect(federalHolidays(year)).toEqual(EXPECTED[year]);
  });

  it.each(ALL_ROWS.map((h) => [h.date, h.name, h.observed] as const))(
    "%s %s (observed %s): closed under both rules; the observed day only under lenient",
    (date, _name, observed) => {
      expect(isBusinessDay(date, "strict")).toBe(false);
      expect(isBusinessDay(date, "lenient")).toBe(false);
      if (observed === null) {
        expect(isWeekend(date)).toBe(false);
      } else {
        expect(isWeekend(date)).toBe(true);
        expect(dayOfWeek(observed)).toBe(dayOfWeek(date) === 6 ? 5 : 1);
        expect(isBusinessDay(observed, "strict")).toBe(true);
        expect(isBusinessDay(observed, "lenient")).toBe(false);
      }
    },
  );

  it("has no Juneteenth before 2021 (10 holidays), and refuses years whose rules it does not model", () => {
    const h2020 = federalHolidays(2020);
    expect(h2020).toHaveLength(10);
    expect(h2020.map((h) => h.name)).not.toContain(JUN);
    expect(isBusinessDay("2020-06-19", "strict")).toBe(true); // a Friday, not yet a holiday
    expect(() => federalHolidays(1985)).toThrow(RangeError);
    expect(() => federalHolidays(1985)).toThrow(/1986/);
    expect(() => federalHolidays(2026.5)).toThrow(RangeError);
    expect(() => isBusinessDay("1985-12-31", "strict")).toThrow(/No federal holiday rules for 1985/);
  });

  it("returns fresh objects, so a caller editing them cannot change later answers", () => {
    const first = federalHolidays(2026);
    (first[0] as Holiday).date = "1999-01-01";
    expect(federalHolidays(2026)[0]?.date).toBe("2026-01-01");
  });
});

describe("dates", () => {
  it("knows each Jan 1 weekday 2021–2035 (0 Sunday .. 6 Saturday)", () => {
    const jan1 = [5, 6, 0, 1, 3, 4, 5, 6, 1, 2, 3, 4, 6, 0, 1];
    expect(jan1.map((_, i) => dayOfWeek(`${2021 + i}-01-01`))).toEqual(jan1);
  });

  it("adds days across month ends, leap days and century rules", () => {
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29"); // 2028 is a leap year
    expect(addDays("2027-02-28", 1)).toBe("2027-03-01");
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01"); // divisible by 100, not by 400: no leap day
    expect(addDays("2000-02-28", 1)).toBe("2000-02-29"); // divisible by 400: leap day
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2027-01-01", -1)).toBe("2026-12-31");
    expect(addDays("2026-01-01", 365)).toBe("2027-01-01");
    expect(addDays("0001-01-01", -1)).toBe("0000-12-31");
    expect(() => addDays("9999-12-31", 1)).toThrow(RangeError);
    expect(() => addDays("2026-01-01", 1.5)).toThrow(RangeError);
  });

  it("isWeekend", () => {
    expect(isWeekend("2026-03-07")).toBe(true); // Sat
    expect(isWeekend("2026-03-08")).toBe(true); // Sun
    expect(isWeekend("2026-03-09")).toBe(false); // Mon
  });

  it("validates YYYY-MM-DD strictly", () => {
    for (const ok of ["2026-01-01", "2028-02-29", "2000-02-29", "2026-12-31", "0000-01-01", "9999-12-31"]) {
      expect(isValidIsoDate(ok), ok).toBe(true);
    }
    for (const bad of [
      "2026-02-29", // 2026 is not a leap year
      "2100-02-29", // nor is 2100
      "2026-02-30",
      "2026-04-31",
      "2026-13-01",
      "2026-00-10",
      "2026-01-00",
      "2026-1-5",
      "26-01-05",
      "2026/01/05",
      "2026-01-05T00:00:00Z",
      " 2026-01-05",
      "",
    ]) {
      expect(isValidIsoDate(bad), bad).toBe(false);
    }
  });

  it("gives the same answers whatever the machine's time zone", () => {
    const saved = process.env.TZ;
    const answers = (): unknown[] => [
      dayOfWeek("2026-03-08"), // the US daylight-saving change
      addDays("2026-03-07", 2),
      addDays("2026-11-01", 1),
      addBusinessDays("2026-12-18", 30, "lenient"),
      federalHolidays(2027),
    ];
    try {
      process.env.TZ = "UTC";
      const utc = answers();
      for (const tz of ["America/Adak", "Pacific/Kiritimati", "Pacific/Pago_Pago", "Europe/London"]) {
        process.env.TZ = tz;
        expect(answers(), tz).toEqual(utc);
      }
    } finally {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    }
  });

  it("never reads the clock (the domain is pure: callers pass dates)", () => {
    for (const [file, source] of domainSources()) {
      expect(source, file).not.toMatch(/Date\.now|new Date\(\s*\)|performance\.now|process\.env/);
    }
  });

  it("does no I/O: the domain imports only its own modules and the project's, never node: or a package", () => {
    for (const [file, source] of domainSources()) {
      expect(source, file).not.toMatch(/\brequire\(|\bimport\(/);
      const specifiers = [...source.matchAll(/\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm)].map((m) => m[1] ?? m[2]);
      for (const specifier of specifiers) expect(specifier, file).toMatch(/^\.\.?\//);
    }
  });
});

describe("isBusinessDay", () => {
  it("closes weekends and holidays; the two rules differ only on observed days", () => {
    expect(isBusinessDay("2026-11-25", "strict")).toBe(true); // Wed before Thanksgiving
    expect(isBusinessDay("2026-11-26", "strict")).toBe(false); // Thanksgiving
    expect(isBusinessDay("2026-11-27", "lenient")).toBe(true); // day after Thanksgiving is not a legal holiday
    expect(isBusinessDay("2026-11-28", "lenient")).toBe(false); // Sat
  });

  it("crosses the year boundary: Jan 1 on a Saturday closes Friday Dec 31 of the previous year under lenient", () => {
    expect(isBusinessDay("2021-12-31", "strict")).toBe(true);
    expect(isBusinessDay("2021-12-31", "lenient")).toBe(false);
    expect(isBusinessDay("2027-12-31", "lenient")).toBe(false);
    expect(isBusinessDay("2032-12-31", "lenient")).toBe(false);
    expect(isBusinessDay("2026-12-31", "lenient")).toBe(true); // Jan 1 2027 is a Friday: nothing moves
    // Received Thu Dec 30 2021, 1 business day. Strict: Fri Dec 31. Lenient: Dec 31 closed, Sat Jan 1 and Sun Jan 2
    // closed, so Mon Jan 3 2022.
    expect(addBusinessDays("2021-12-30", 1, "strict")).toBe("2021-12-31");
    expect(addBusinessDays("2021-12-30", 1, "lenient")).toBe("2022-01-03");
  });

  it("uses a servicer's own open weekdays when given, still closing holidays", () => {
    expect(isBusinessDay("2026-03-07", "strict")).toBe(false); // Sat
    expect(isBusinessDay("2026-03-07", "strict", MON_SAT)).toBe(true);
    expect(isBusinessDay("2026-07-04", "strict", MON_SAT)).toBe(false); // Independence Day on a Saturday
    expect(isBusinessDay("2026-07-03", "strict", MON_SAT)).toBe(true);
    expect(isBusinessDay("2026-07-03", "lenient", MON_SAT)).toBe(false);
    expect(isBusinessDay("2026-03-08", "strict", [0])).toBe(true); // Sunday-only office
    expect(() => isBusinessDay("2026-03-07", "strict", [])).toThrow(RangeError);
    expect(() => isBusinessDay("2026-03-07", "strict", [7])).toThrow(/open weekday 7/);
  });
});

describe("worked deadlines", () => {
  it("5 X-bd acknowledgment received Wed Nov 25 2026, the day before Thanksgiving", () => {
    // Day of receipt does not count. Thu Nov 26 Thanksgiving: closed. Fri Nov 27 = day 1 (not a legal holiday).
    // Sat 28, Sun 29 closed. Mon Nov 30 = 2, Tue Dec 1 = 3, Wed Dec 2 = 4, Thu Dec 3 = 5. Thanksgiving is always a
    // Thursday, so no observed day: both rules agree.
    expect(addBusinessDays("2026-11-25", 5, "strict")).toBe("2026-12-03");
    expect(addBusinessDays("2026-11-25", 5, "lenient")).toBe("2026-12-03");
  });

  it("30 X-bd response received Fri Dec 18 2026, across Christmas, New Year and MLK Day", () => {
    // Dec 21–24 (Mon–Thu) = days 1–4; Fri Dec 25 Christmas closed; Dec 28–31 (Mon–Thu) = 5–8; Fri Jan 1 2027 New
    // Year closed; Jan 4–8 = 9–13; Jan 11–15 = 14–18; Mon Jan 18 MLK Day closed; Jan 19–22 = 19–22;
    // Jan 25–29 = 23–27; Mon Feb 1 = 28, Tue Feb 2 = 29, Wed Feb 3 = 30. Christmas and New Year fall on Fridays,
    // so no observed days and the rules agree.
    expect(addBusinessDays("2026-12-18", 30, "strict")).toBe("2027-02-03");
    expect(addBusinessDays("2026-12-18", 30, "lenient")).toBe("2027-02-03");
  });

  it("7 X-bd clock received Wed June 16 2027, across Juneteenth on a Saturday: the rules differ by one day", () => {
    // Strict closes only Sat Jun 19 (closed anyway), so Fri Jun 18 counts: Thu 17 = 1, Fri 18 = 2, Mon 21 = 3,
    // Tue 22 = 4, Wed 23 = 5, Thu 24 = 6, Fri 25 = 7.
    expect(addBusinessDays("2027-06-16", 7, "strict")).toBe("2027-06-25");
    // Lenient also closes the observed Fri Jun 18: Thu 17 = 1, Mon 21 = 2, ..., Fri 25 = 6, Mon 28 = 7.
    expect(addBusinessDays("2027-06-16", 7, "lenient")).toBe("2027-06-28");
  });

  it("receipt on a Saturday (Mar 7 2026)", () => {
    // Strict counts from the Saturday itself: day 1 is Mon Mar 9, day 5 Fri Mar 13.
    expect(addBusinessDays("2026-03-07", 1, "strict")).toBe("2026-03-09");
    expect(addBusinessDays("2026-03-07", 5, "strict")).toBe("2026-03-13");
    // Lenient treats it as received Mon Mar 9: day 1 Tue Mar 10, day 5 Mon Mar 16.
    expect(addBusinessDays("2026-03-07", 1, "lenient")).toBe("2026-03-10");
    expect(addBusinessDays("2026-03-07", 5, "lenient")).toBe("2026-03-16");
  });

  it("receipt on an observed holiday: Fri July 3 2026 (July 4 is a Saturday)", () => {
    expect(isBusinessDay("2026-07-03", "strict")).toBe(true);
    expect(isBusinessDay("2026-07-03", "lenient")).toBe(false);
    // Strict: Jul 3 is an ordinary business day, the day of receipt, so day 1 Mon Jul 6 ... day 5 Fri Jul 10.
    expect(addBusinessDays("2026-07-03", 5, "strict")).toBe("2026-07-10");
    // Lenient: received Mon Jul 6, day 1 Tue Jul 7 ... day 5 Mon Jul 13.
    expect(addBusinessDays("2026-07-03", 5, "lenient")).toBe("2026-07-13");
    // Received Thu Jul 2, 1 day: strict counts Fri Jul 3; lenient skips it (and the weekend) to Mon Jul 6.
    expect(addBusinessDays("2026-07-02", 1, "strict")).toBe("2026-07-03");
    expect(addBusinessDays("2026-07-02", 1, "lenient")).toBe("2026-07-06");
  });

  it("15-calendar-day clock ending on a Sunday", () => {
    // 15 = 2 weeks + 1 day, so a Sunday end means a Saturday start; the start is never shifted for calendar days.
    // Sat Mar 7 2026 + 15 = Sun Mar 22. Strict: Mar 22. Lenient: rolled to Mon Mar 23.
    expect(addCalendarDays("2026-03-07", 15, "strict")).toBe("2026-03-22");
    expect(addCalendarDays("2026-03-07", 15, "lenient")).toBe("2026-03-23");
    // Sat Aug 22 2026 + 15 = Sun Sep 6 (Aug has 31 days). Mon Sep 7 is Labor Day, so lenient rolls to Tue Sep 8.
    expect(addCalendarDays("2026-08-22", 15, "strict")).toBe("2026-09-06");
    expect(addCalendarDays("2026-08-22", 15, "lenient")).toBe("2026-09-08");
  });

  it("30-calendar-day clock (loss-mitigation decision)", () => {
    // Application complete Mon Nov 2 2026: Nov has 30 days, so +28 = Nov 30, +30 = Wed Dec 2. Both rules agree.
    expect(addCalendarDays("2026-11-02", 30, "strict")).toBe("2026-12-02");
    expect(addCalendarDays("2026-11-02", 30, "lenient")).toBe("2026-12-02");
    // Wed Nov 25 2026 + 30 = Fri Dec 25, Christmas. Strict: Dec 25. Lenient: Sat, Sun closed too, so Mon Dec 28.
    expect(addCalendarDays("2026-11-25", 30, "strict")).toBe("2026-12-25");
    expect(addCalendarDays("2026-11-25", 30, "lenient")).toBe("2026-12-28");
  });

  it("Form 1098: January 31 rolled to the next business day", () => {
    // Jan 1 2027 is a Friday, so Jan 29 is a Friday and Jan 31 a Sunday: next business day Mon Feb 1 2027.
    expect(dayOfWeek("2027-01-31")).toBe(0);
    expect(nextBusinessDay("2027-01-31", "strict")).toBe("2027-02-01");
    expect(nextBusinessDay("2027-01-31", "lenient")).toBe("2027-02-01");
    // Jan 1 2032 is a Thursday, so Jan 29 is a Thursday and Jan 31 a Saturday; Feb 1 is a Sunday, Feb 2 a Monday.
    expect(dayOfWeek("2032-01-31")).toBe(6);
    expect(dayOfWeek("2032-02-02")).toBe(1);
    expect(nextBusinessDay("2032-01-31", "lenient")).toBe("2032-02-02");
    // Already a business day: unchanged (Fri Jan 31 2025).
    expect(nextBusinessDay("2025-01-31", "strict")).toBe("2025-01-31");
    // On or after a Saturday holiday's observed Friday: strict stays, lenient moves past the weekend.
    expect(nextBusinessDay("2026-07-03", "strict")).toBe("2026-07-03");
    expect(nextBusinessDay("2026-07-03", "lenient")).toBe("2026-07-06");
  });
});

describe("businessDaysLate and businessDaysBetween", () => {
  it("counts lateness under the lenient rule across Memorial Day weekend 2026", () => {
    // Due Fri May 22. Sat 23, Sun 24, Mon 25 (Memorial Day) closed; Tue 26 is the first day late.
    expect(businessDaysLate("2026-05-22", "2026-05-25")).toBe(0);
    expect(businessDaysLate("2026-05-22", "2026-05-26")).toBe(1);
    expect(businessDaysLate("2026-05-22", "2026-05-29")).toBe(4); // Tue–Fri
    expect(businessDaysLate("2026-05-22", "2026-05-22")).toBe(0);
    expect(businessDaysLate("2026-05-22", "2026-05-01")).toBe(0); // not yet due
    // A servicer open Mon–Sat: Saturday May 23 also counts.
    expect(businessDaysLate("2026-05-22", "2026-05-26", MON_SAT)).toBe(2);
  });

  it("counts lateness lenient-only across an observed holiday (Independence Day 2026 on a Saturday)", () => {
    // Due Thu Jul 2; as of Mon Jul 6. Lenient closes Fri Jul 3 (observed), Sat, Sun, so only Mon Jul 6 counts.
    expect(businessDaysLate("2026-07-02", "2026-07-06")).toBe(1);
    // Strict statistics count Fri Jul 3 too.
    expect(businessDaysBetween("2026-07-02", "2026-07-06", "strict")).toBe(2);
    expect(businessDaysBetween("2026-07-02", "2026-07-06", "lenient")).toBe(1);
  });

  it("is antisymmetric and counts (from, to]", () => {
    expect(businessDaysBetween("2026-07-06", "2026-07-02", "strict")).toBe(-2);
    expect(businessDaysBetween("2026-07-06", "2026-07-06", "strict")).toBe(0);
    // 30 X-bd from Dec 18 2026 lands on Feb 3 2027: the count back is 30 under both rules.
    expect(businessDaysBetween("2026-12-18", "2027-02-03", "strict")).toBe(30);
    expect(businessDaysBetween("2026-12-18", "2027-02-03", "lenient")).toBe(30);
  });

  it("changes with openWeekdays (a servicer open Monday to Saturday)", () => {
    // Fri Mar 6 2026 to Mon Mar 9: Mon–Fri counts only Monday; Mon–Sat counts Saturday Mar 7 as well.
    expect(businessDaysBetween("2026-03-06", "2026-03-09", "strict")).toBe(1);
    expect(businessDaysBetween("2026-03-06", "2026-03-09", "strict", MON_SAT)).toBe(2);
    // Memorial Day weekend: Sat May 23 open, Mon May 25 closed for both.
    expect(businessDaysBetween("2026-05-22", "2026-05-26", "strict", MON_SAT)).toBe(2);
    expect(businessDaysBetween("2026-05-22", "2026-05-26", "strict")).toBe(1);
    // Reg Z payoff statement, 7 business days, received Mon Mar 2 2026.
    // Mon–Fri: Mar 3, 4, 5, 6, 9, 10, 11 → Wed Mar 11. Mon–Sat: Mar 3, 4, 5, 6, 7 (Sat), 9, 10 → Tue Mar 10.
    expect(addBusinessDays("2026-03-02", 7, "strict")).toBe("2026-03-11");
    expect(addBusinessDays("2026-03-02", 7, "strict", MON_SAT)).toBe("2026-03-10");
  });
});

describe("edges", () => {
  it("throws a RangeError naming the bad date", () => {
    expect(() => addBusinessDays("2026-02-30", 5, "strict")).toThrow(RangeError);
    expect(() => addBusinessDays("2026-02-30", 5, "strict")).toThrow(
      'Invalid start date "2026-02-30": expected a real calendar date written YYYY-MM-DD',
    );
    expect(() => isBusinessDay("2026-13-01", "lenient")).toThrow(/Invalid date "2026-13-01"/);
    expect(() => dayOfWeek("tomorrow")).toThrow(RangeError);
    expect(() => addDays("2026-1-5", 1)).toThrow(RangeError);
    expect(() => addCalendarDays("", 15, "strict")).toThrow(RangeError);
    expect(() => businessDaysLate("2026-05-22", "2026-05-32")).toThrow(/Invalid as-of date "2026-05-32"/);
    expect(() => businessDaysBetween("2026/05/22", "2026-05-26", "strict")).toThrow(/Invalid from date/);
    expect(() => nextBusinessDay("2026-04-31", "strict")).toThrow(RangeError);
  });

  it("refuses negative or fractional counts and unknown rules", () => {
    expect(() => addBusinessDays("2026-03-02", -1, "strict")).toThrow(RangeError);
    expect(() => addBusinessDays("2026-03-02", 1.5, "strict")).toThrow(/whole number/);
    expect(() => addCalendarDays("2026-03-02", -3, "lenient")).toThrow(RangeError);
    expect(() => addBusinessDays("2026-03-02", 5, "loose" as "strict")).toThrow(/Invalid day rule "loose"/);
  });

  it("adding 0 business days returns the start unchanged, under both rules, even on a closed day", () => {
    // Choice: nothing is counted, so nothing moves; the lenient receipt shift only decides where counting begins.
    expect(addBusinessDays("2026-03-04", 0, "strict")).toBe("2026-03-04");
    expect(addBusinessDays("2026-03-07", 0, "strict")).toBe("2026-03-07");
    expect(addBusinessDays("2026-03-07", 0, "lenient")).toBe("2026-03-07");
    expect(addCalendarDays("2026-03-04", 0, "strict")).toBe("2026-03-04");
    // A zero-day calendar clock on a Saturday still rolls under lenient: rolling applies to the due date itself.
    expect(addCalendarDays("2026-03-07", 0, "lenient")).toBe("2026-03-09");
  });
});

describe("day numbers", () => {
  it("addDays agrees with Date for every day from 1986 to 2199 (the arithmetic of dayToCivil)", () => {
    // Walk one day at a time and compare each ISO day with what Date.UTC gives for the same instant.
    let iso = "1986-01-01";
    let ms = Date.UTC(1986, 0, 1);
    const end = Date.UTC(2199, 11, 31);
    let checked = 0;
    while (ms <= end) {
      expect(iso).toBe(new Date(ms).toISOString().slice(0, 10));
      iso = addDays(iso, 1);
      ms += 86_400_000;
      checked++;
    }
    // 214 years of days, 52 leap years among 1986..2199 (2100 is not one).
    expect(checked).toBe(214 * 365 + 52);
    expect(addDays("2100-02-28", 1)).toBe("2100-03-01");
    expect(addDays("2000-02-28", 1)).toBe("2000-02-29");
    expect(addDays("1999-12-31", 1)).toBe("2000-01-01");
  });
});

describe("counting business days in whole weeks", () => {
  it("gives the day-by-day count for 3,000 spans of up to five years, both rules, three servicer weeks", () => {
    // The definition: a day in (from, to] counts when isBusinessDay says it is open. A fixed-seed generator keeps
    // the spans the same on every run.
    let seed = 20261202;
    const next = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const weeks: (number[] | undefined)[] = [undefined, [1, 2, 3, 4, 5, 6], [2, 3, 4]];
    for (let i = 0; i < 3000; i++) {
      const from = addDays("1986-01-01", next(78_000));
      const to = addDays(from, next(i % 10 === 0 ? 1800 : 400));
      const rule = i % 2 === 0 ? "strict" : "lenient";
      const open = weeks[i % 3];
      let expected = 0;
      for (let d = addDays(from, 1); d <= to; d = addDays(d, 1)) if (isBusinessDay(d, rule, open)) expected++;
      expect(businessDaysBetween(from, to, rule, open), `${from}..${to} ${rule}`).toBe(expected);
    }
  });
});
