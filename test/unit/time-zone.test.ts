import { describe, expect, it } from "vitest";
import { isoDateIn } from "../../src/domain/time-zone.js";

/** The day Intl gives for each instant (no cache of days): what isoDateIn must always agree with. */
const formats = new Map<string, Intl.DateTimeFormat>();
function fresh(instant: Date, timeZone: string): string {
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formats.set(timeZone, format);
  }
  return format.format(instant);
}

describe("isoDateIn (cached by quarter hour)", () => {
  // Zones with quarter- and half-hour offsets and a half-hour daylight-saving shift (Lord Howe), besides the usual.
  const zones = [
    "America/Chicago",
    "America/St_Johns",
    "Asia/Kathmandu",
    "Australia/Eucla",
    "Australia/Lord_Howe",
    "Pacific/Chatham",
    "UTC",
  ];

  it("agrees with Intl every few minutes around midnights and daylight-saving changes", () => {
    for (const zone of zones) {
      // Every 7 minutes (and 37 s, then 1 ms later) of 2026-03-07 through 2026-03-10 and 2026-10-31 through 2026-11-03 (US and other DST changes),
      // and 2026-04-04 through 2026-04-06 (the southern hemisphere's), each asked twice: the second from the cache.
      const spans = [
        ["2026-03-07T00:00:00Z", 4],
        ["2026-10-31T00:00:00Z", 4],
        ["2026-04-04T00:00:00Z", 3],
        ["2026-09-26T00:00:00Z", 3],
      ] as const;
      for (const [start, days] of spans) {
        const wrong: string[] = [];
        for (let m = 0; m < days * 1440; m += 7) {
          for (const at of [Date.parse(start) + m * 60_000 + 37_000, Date.parse(start) + m * 60_000 + 37_001]) {
            const instant = new Date(at);
            if (isoDateIn(instant, zone) !== fresh(instant, zone)) wrong.push(`${zone} ${instant.toISOString()}`);
          }
        }
        expect(wrong).toEqual([]);
      }
    }
  });

  it("asks Intl directly before 1980, when some zones' offsets were not whole quarter hours", () => {
    // Liberia kept UTC-0:44:30 until 1972: local midnight of 1971-06-01 was 00:44:30Z, so 00:40Z is still
    // 1971-05-31 there (23:55:30) and 00:50Z is 1971-06-01 (00:05:30): both inside one UTC quarter hour.
    expect(isoDateIn(new Date("1971-06-01T00:40:00Z"), "Africa/Monrovia")).toBe("1971-05-31");
    expect(isoDateIn(new Date("1971-06-01T00:50:00Z"), "Africa/Monrovia")).toBe("1971-06-01");
  });
});
