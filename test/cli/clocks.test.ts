/**
 * The clock commands run as a user would run them (spawned, no TTY, no mail server): letters leave by certified
 * post (`mailed --delivered`) or a portal (`sent --via portal`), replies come on paper (`received`) or as a saved
 * .eml (`import`). Every due date below is counted by hand in the comments (d1 = the first business day after the
 * receipt); test/unit/clocks.test.ts has the same counts for every rule. `--as-of` makes each result independent
 * of the day the tests run; the dates used are all in the past, since loanmail refuses future receipts.
 */
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import {
  addMailAccount,
  json,
  type RunResult,
  receivedByUserServer,
  rowCounts,
  setupHome,
  tempDir,
  writePdf,
} from "./helpers.js";

interface ClockDoc {
  id: string;
  name: string;
  rule: string;
  party: "servicer" | "borrower";
  status: string;
  startedBy: { what: string; on: string; messageId?: number } | null;
  dueStrict: string | null;
  dueLenient: string | null;
  metBy: { messageId: number; on: string; class: string } | null;
  businessDaysLate: number | null;
  extendedBy: { messageId: number; on: string } | null;
  note: string | null;
}

interface DueDoc {
  asOf: string;
  late: number;
  clocks: (ClockDoc & { case: string | null; caseId: number | null })[];
}

type L = (...args: string[]) => RunResult;

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/**
 * Compose a letter on a new case; returns the case tag. Each is recorded as written on 2026-03-02 (`--dated`):
 * the tests record mailings and replies in the past, and a letter cannot leave before it was written.
 */
function compose(run: L, kind: string, fields: string[] = [], loan = "1"): string {
  const args = [
    "--json",
    "compose",
    kind,
    "--loan",
    loan,
    "--dated",
    "2026-03-02",
    "--summary",
    `About ${kind}: payment of $1,500 on 2026-03-01.`,
  ];
  for (const f of fields) args.push("--set", f);
  return json<{ case: { tag: string } }>(ok(run(...args))).case.tag;
}

const NOE = ["error=the March 2026 payment of $1,500 was put in suspense"];
const RFI = ["information=the escrow disbursement ledger for 2025"];

function scan(): string {
  return writePdf(join(tempDir(), "scan.pdf"));
}

const due = (run: L, ...args: string[]) => json<DueDoc>(ok(run("--json", "due", ...args)));

function clockOf(doc: DueDoc | { clocks: ClockDoc[] }, id: string, tag?: string): ClockDoc {
  const found = (doc.clocks as (ClockDoc & { case?: string | null })[]).filter(
    (c) => c.id === id && (tag === undefined || c.case === tag),
  );
  if (found.length !== 1)
    throw new Error(`expected one ${id} clock, got ${JSON.stringify(doc.clocks.map((c) => c.id))}`);
  return found[0] as ClockDoc;
}

describe("due", () => {
  let L: L;
  let noe: string;
  let owner: string;
  beforeAll(() => {
    ({ L } = setupHome());
    // Case 1: a notice of error delivered Mon 2026-10-05.
    //   acknowledgment (5): d1 Tue 10-06, d2 Wed 10-07, d3 Thu 10-08, d4 Fri 10-09, Mon 10-12 Columbus Day (skip),
    //   d5 Tue 10-13.
    //   response (30): Oct 6-9 d1-d4, Oct 13-16 d5-d8, Oct 19-23 d9-d13, Oct 26-30 d14-d18, Nov 2-6 d19-d23,
    //   Mon 11-09 d24, Tue 11-10 d25, Wed 11-11 Veterans Day (skip), Thu 11-12 d26, Fri 11-13 d27, Mon 11-16 d28,
    //   Tue 11-17 d29, Wed 11-18 d30.
    noe = compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000001", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    // Case 2: an owner request delivered Thu 2026-11-05.
    //   acknowledgment (5): d1 Fri 11-06, d2 Mon 11-09, d3 Tue 11-10, Wed 11-11 Veterans Day (skip), d4 Thu 11-12,
    //   d5 Fri 11-13. Owner (10): d6 Mon 11-16, d7 Tue 11-17, d8 Wed 11-18, d9 Thu 11-19, d10 Fri 11-20.
    owner = compose(L, "owner-request");
    ok(L("mailed", "2", "--tracking", "9407111899560000000002", "--date", "2026-11-02", "--delivered", "2026-11-05"));
  });

  it("lists open clocks soonest first, late ones with the business days late", () => {
    // On Mon 11-16: case 1's acknowledgment (due 10-13) is late by Oct 14-16 (3), Oct 19-23 (8), Oct 26-30 (13),
    // Nov 2-6 (18), Nov 9-10 (20), Nov 12-13 (22; the 11th is Veterans Day), Nov 16 (23) = 23 business days;
    // case 2's acknowledgment (due Fri 11-13) by Mon 11-16 = 1.
    const doc = due(L, "--as-of", "2026-11-16");
    expect(doc.asOf).toBe("2026-11-16");
    expect(doc.late).toBe(2);
    const rows = doc.clocks.map((c) => [c.case, c.id, c.dueLenient, c.status, c.businessDaysLate]);
    expect(rows).toEqual([
      [noe, "noe-ack", "2026-10-13", "late", 23],
      [owner, "rfi-ack", "2026-11-13", "late", 1],
      [noe, "noe-response", "2026-11-18", "open", null],
      [owner, "owner-response", "2026-11-20", "open", null],
    ]);
    const text = ok(L("due", "--as-of", "2026-11-16")).stdout.split("\n");
    expect(text[0]).toMatch(/^DUE\s+DAYS LEFT\s+CASE\s+CLOCK\s+RULE\s+STATUS$/);
    // DAYS LEFT counts calendar days from 11-16: 10-13 is 34 days ago, 11-13 3 ago, 11-18 in 2, 11-20 in 4.
    expect(text[1]).toMatch(
      new RegExp(
        `^2026-10-13\\s+34 ago\\s+${noe}\\s+Notice of error: acknowledgment\\s+12 C\\.F\\.R\\. 1024\\.35\\(d\\)\\s+LATE by 23 business days$`,
      ),
    );
    expect(text[2]).toMatch(/^2026-11-13\s+3 ago\s.*LATE by 1 business day$/);
    expect(text[3]).toMatch(/^2026-11-18\s+2\s.*12 C\.F\.R\. 1024\.35\(e\)\(3\)\(i\)\(C\)\s+open$/);
    expect(doc.clocks.map((c) => (c as { daysLeft?: number }).daysLeft)).toEqual([-34, -3, 2, 4]);
    // No colour without a TTY (and under NO_COLOR): nothing but text reaches a pipe.
    expect(text.join("\n")).not.toContain("\u001b");
    // A missed clock is no lawsuit due: the options come after the table, under their own heading.
    expect(text.slice(0, 6).join("\n")).not.toMatch(/Sue under/);
    expect(text).toContain("── Your options (not deadlines anyone owes; for an attorney to judge)");
  });

  it("--check exits 3 when a servicer clock is late, 0 when none is (the lenient due date itself is not late)", () => {
    const onDueDate = L("due", "--check", "--as-of", "2026-10-13");
    expect(onDueDate.code).toBe(0);
    expect(onDueDate.stdout).toMatch(/2026-10-13\s.*open/);
    const dayAfter = L("due", "--check", "--as-of", "2026-10-14");
    expect(dayAfter.code).toBe(3);
    expect(dayAfter.stdout).toMatch(/LATE by 1 business day\b/);
    expect(L("--json", "due", "--check", "--as-of", "2026-10-14").code).toBe(3);
    // Without --check a late clock is only reported.
    expect(L("due", "--as-of", "2026-10-14").code).toBe(0);
  });

  it("--within keeps late clocks and those due within N days", () => {
    // 3 days after Mon 11-16 is Thu 11-19: the 11-18 response stays, the 11-20 owner clock and 2029 go.
    const doc = due(L, "--within", "3", "--as-of", "2026-11-16");
    expect(doc.clocks.map((c) => [c.id, c.dueLenient])).toEqual([
      ["noe-ack", "2026-10-13"],
      ["rfi-ack", "2026-11-13"],
      ["noe-response", "2026-11-18"],
    ]);
    expect(due(L, "--within", "4", "--as-of", "2026-11-16").clocks.map((c) => c.id)).toContain("owner-response");
    expect(L("due", "--within", "0", "--as-of", "2026-11-16").code).toBe(1);
  });

  it("calendar --out writes one all-day VEVENT per open clock on its lenient due date, mode 0600", () => {
    const dir = tempDir();
    const file = join(dir, "deadlines.ics");
    writeFileSync(file, "old", { mode: 0o644 });
    // An existing file is replaced only when the user says so (--force); the old bytes stay otherwise.
    const refused = L("calendar", "--out", file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/--out .*deadlines\.ics already exists/);
    expect(refused.stderr).toMatch(/--force/);
    expect(readFileSync(file, "utf8")).toBe("old");
    const r = ok(L("--json", "calendar", "--out", file, "--force"));
    const listed = due(L).clocks; // the same day (today) as calendar
    expect(json<{ out: string; events: number }>(r)).toEqual({ schema: 1, out: file, events: listed.length });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const raw = readFileSync(file, "utf8");
    expect(raw.startsWith("BEGIN:VCALENDAR\r\n")).toBe(true);
    expect(raw.trimEnd().endsWith("END:VCALENDAR")).toBe(true);
    // Unfold continuation lines (RFC 5545 3.1) before reading properties.
    const ics = raw.replace(/\r\n[ \t]/g, "");
    const events = ics.split("BEGIN:VEVENT").slice(1);
    expect(events).toHaveLength(listed.length);
    // The four servicer clocks of the two cases (a lawsuit's limit is an option, never a calendar deadline).
    expect(events.length).toBeGreaterThanOrEqual(4);
    const starts = events.map((e) => /\r\nDTSTART;VALUE=DATE:(\d{8})\r\n/.exec(e)?.[1]).sort();
    expect(starts).toEqual(listed.map((c) => (c.dueLenient ?? "").replaceAll("-", "")).sort());
    const ack = events.find((e) =>
      e.includes(`SUMMARY:${noe} due: Notice of error: acknowledgment (12 C.F.R. 1024.35(d))`),
    );
    expect(ack).toBeDefined();
    expect(ack).toContain("DTSTART;VALUE=DATE:20261013\r\n");
    expect(ack).toContain("DTEND;VALUE=DATE:20261014\r\n");
    // Two reminders at 9:00 (issue 14): 3 business days before Tue 10-13 is Wed 10-07 (Mon 10-12 Columbus Day,
    // the weekend skipped), 5 days 15 hours before midnight of 10-13; and the day before, 15 hours before it.
    const alarms = (ack ?? "").split("BEGIN:VALARM").slice(1);
    expect(alarms.map((a) => /\r\nTRIGGER:([^\r]+)\r\n/.exec(`\r\n${a}`)?.[1])).toEqual(["-P5DT15H", "-PT15H"]);
    expect(alarms.every((a) => a.includes("ACTION:DISPLAY"))).toBe(true);
    expect(ics).toContain(`SUMMARY:${noe} due: Notice of error: response (12 C.F.R. 1024.35(e)(3)(i)(C))`);
    const uids = events.map((e) => /\r\nUID:([^\r]+)\r\n/.exec(`\r\n${e}`)?.[1]);
    expect(new Set(uids).size).toBe(events.length);
    expect(uids.every((u) => u?.startsWith("LM-"))).toBe(true);

    // The same clocks get the same UIDs next time, so re-importing the file updates the events.
    const again = join(dir, "again.ics");
    expect(ok(L("calendar", "--out", again)).stdout).toMatch(new RegExp(`^Wrote ${listed.length} events to `));
    const uidsAgain = readFileSync(again, "utf8")
      .replace(/\r\n[ \t]/g, "")
      .split("BEGIN:VEVENT")
      .slice(1)
      .map((e) => /\r\nUID:([^\r]+)\r\n/.exec(`\r\n${e}`)?.[1]);
    expect(uidsAgain).toEqual(uids);
  });

  it("calendar refuses to run without --out, naming it", () => {
    const r = L("calendar");
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/--out/);
    expect(r.stdout).toBe("");
  });
});

describe("deadline", () => {
  const deadline = (...args: string[]) =>
    json<{ kind: string; received: string; clocks: ClockDoc[] }>(ok(H("--json", "deadline", ...args)));
  let H: L;
  beforeAll(() => {
    ({ L: H } = setupHome());
  });
  const dates = (doc: { clocks: ClockDoc[] }) => doc.clocks.map((c) => [c.id, c.dueStrict, c.dueLenient]);

  it("notice-of-error: acknowledgment 5 and response 30 business days", () => {
    // Received Mon 2026-06-01. Ack: d1 Tue 06-02 .. d4 Fri 06-05, d5 Mon 06-08.
    // Response: Jun 2-5 d1-d4, Jun 8-12 d5-d9, Jun 15-18 d10-d13, Fri 06-19 Juneteenth (skip), Jun 22-26 d14-d18,
    // Jun 29-30 d19-d20, Jul 1-2 d21-d22; Fri 07-03 (observed Independence Day) counts only under strict:
    // strict d23 Jul 3, d24-d28 Jul 6-10, d29 Jul 13, d30 Tue 07-14; lenient d23-d27 Jul 6-10, d28 Jul 13,
    // d29 Jul 14, d30 Wed 07-15.
    expect(dates(deadline("notice-of-error", "--received", "2026-06-01"))).toEqual([
      ["noe-ack", "2026-06-08", "2026-06-08"],
      ["noe-response", "2026-07-14", "2026-07-15"],
    ]);
    const text = ok(H("deadline", "notice-of-error", "--received", "2026-06-01")).stdout;
    expect(text).toContain("If a notice-of-error letter is received at the designated channel on 2026-06-01:");
    expect(text).toContain(
      "Notice of error: response [12 C.F.R. 1024.35(e)(3)(i)(C)]: due 2026-07-14 (lenient 2026-07-15)",
    );
  });

  it("notice-of-error about a payoff balance: 7 business days", () => {
    // Received Tue 2026-11-24: d1 Wed 11-25, Thu 11-26 Thanksgiving (skip), d2 Fri 11-27, d3 Mon 11-30,
    // d4 Tue 12-01, d5 Wed 12-02, d6 Thu 12-03, d7 Fri 12-04.
    const doc = deadline("notice-of-error", "--received", "2026-11-24", "--set", "type=payoff");
    expect(clockOf(doc, "noe-response")).toMatchObject({
      dueStrict: "2026-12-04",
      dueLenient: "2026-12-04",
      rule: "12 C.F.R. 1024.35(e)(3)(i)(A)",
    });
  });

  it("information-request: acknowledgment 5 and response 30 business days", () => {
    // Received Thu 2026-10-08. Ack: d1 Fri 10-09, Mon 10-12 Columbus Day (skip), d2-d5 Tue 10-13..Fri 10-16.
    // Response: d1 Oct 9, d2-d5 Oct 13-16, d6-d10 Oct 19-23, d11-d15 Oct 26-30, d16-d20 Nov 2-6, d21 Nov 9,
    // d22 Nov 10, Wed 11-11 Veterans Day (skip), d23 Nov 12, d24 Nov 13, d25-d29 Nov 16-20, d30 Mon 11-23.
    expect(dates(deadline("information-request", "--received", "2026-10-08"))).toEqual([
      ["rfi-ack", "2026-10-16", "2026-10-16"],
      ["rfi-response", "2026-11-23", "2026-11-23"],
    ]);
  });

  it("owner-request: acknowledgment 5 and answer 10 business days", () => {
    // Received Fri 2026-12-18: d1-d4 Mon 12-21..Thu 12-24, Fri 12-25 Christmas (skip), d5 Mon 12-28, d6 Tue 12-29,
    // d7 Wed 12-30, d8 Thu 12-31, Fri 2027-01-01 New Year's Day (skip), d9 Mon 01-04, d10 Tue 01-05.
    expect(dates(deadline("owner-request", "--received", "2026-12-18"))).toEqual([
      ["rfi-ack", "2026-12-28", "2026-12-28"],
      ["owner-response", "2027-01-05", "2027-01-05"],
    ]);
  });

  it("relied-documents: 15 business days", () => {
    // Received Wed 2026-05-20: d1 Thu 05-21, d2 Fri 05-22, Mon 05-25 Memorial Day (skip), d3-d6 Tue 05-26..Fri 05-29,
    // d7-d11 Jun 1-5, d12-d15 Mon 06-08..Thu 06-11.
    expect(dates(deadline("relied-documents", "--received", "2026-05-20"))).toEqual([
      ["relied-documents", "2026-06-11", "2026-06-11"],
    ]);
  });

  it("payoff-statement: 7 business days, and no servicer promise in a plan", () => {
    // Received Thu 2026-12-31: Fri 2027-01-01 New Year's Day (skip), d1-d5 Mon 01-04..Fri 01-08, d6 Mon 01-11,
    // d7 Tue 01-12.
    const doc = deadline("payoff-statement", "--received", "2026-12-31");
    expect(dates(doc)).toEqual([["payoff-statement", "2027-01-12", "2027-01-12"]]);
    expect(doc.clocks[0]?.rule).toBe("12 C.F.R. 1026.36(c)(3) (business days: 1026.2(a)(6))");
  });

  it("refuses an unknown kind and a missing or bad date", () => {
    expect(H("deadline", "letter-to-santa", "--received", "2026-06-01").code).toBe(1);
    const missing = H("deadline", "notice-of-error");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--received/);
    expect(H("deadline", "notice-of-error", "--received", "2026-02-30").code).toBe(1);
  });
});

describe("show, received, event, filed, loan transfer", () => {
  it("show --as-of --json carries each clock's rule, start, due dates and what met it", () => {
    const { L } = setupHome();
    compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000003", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    // Delivered Mon 10-05: acknowledgment due Tue 10-13, response Wed 11-18 (see "due" above).
    const before = json<{ asOf: string; clocks: ClockDoc[] }>(ok(L("--json", "show", "1", "--as-of", "2026-10-09")));
    expect(before.asOf).toBe("2026-10-09");
    const ack = clockOf(before, "noe-ack");
    expect(ack).toMatchObject({
      rule: "12 C.F.R. 1024.35(d)",
      status: "open",
      startedBy: { on: "2026-10-05", what: expect.stringContaining("designated") },
      dueStrict: "2026-10-13",
      dueLenient: "2026-10-13",
      metBy: null,
    });
    expect(clockOf(before, "noe-response")).toMatchObject({ dueStrict: "2026-11-18", dueLenient: "2026-11-18" });

    const rec = ok(
      L(
        "--json",
        "received",
        "1",
        "--date",
        "2026-10-09",
        "--file",
        scan(),
        "--via",
        "post",
        "--class",
        "acknowledgment",
      ),
    );
    const msg = json<{ message: number }>(rec).message;
    const after = json<{ clocks: ClockDoc[] }>(ok(L("--json", "show", "1", "--as-of", "2026-10-09")));
    expect(clockOf(after, "noe-ack")).toMatchObject({
      status: "met",
      metBy: { messageId: msg, on: "2026-10-09", class: "acknowledgment" },
      businessDaysLate: null,
    });
    expect(clockOf(after, "noe-response").status).toBe("open");
    // The text view names each rule and both outcomes.
    const text = ok(L("show", "1", "--as-of", "2026-10-09")).stdout;
    expect(text).toContain("── Clocks on 2026-10-09");
    expect(text).toContain(`Notice of error: acknowledgment [12 C.F.R. 1024.35(d)]: met 2026-10-09 by message ${msg}`);
    expect(text).toContain("due 2026-11-18");
  });

  it("a posted letter without a delivery date shows its clocks not started, with the expected window", () => {
    const { L } = setupHome();
    compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000004", "--date", "2026-10-01"));
    // Mailed Thu 10-01; expected 1 to 5 business days later: Fri 10-02 to Thu 10-08.
    const doc = json<{ clocks: ClockDoc[] }>(ok(L("--json", "show", "1", "--as-of", "2026-10-03")));
    const ack = clockOf(doc, "noe-ack");
    expect(ack.status).toBe("not-started");
    expect(ack.note).toContain("expected 2026-10-02 to 2026-10-08");
    // due has no clock to count yet, but names the letter, its window and the command that starts its clocks.
    const waiting = json<{ clocks: ClockDoc[]; awaitingDelivery: Record<string, unknown>[] }>(
      ok(L("--json", "due", "--as-of", "2026-10-03")),
    );
    expect(waiting.clocks).toEqual([]);
    expect(waiting.awaitingDelivery).toEqual([
      {
        case: expect.stringMatching(/^LM-\w+-1$/),
        caseId: 1,
        client: "Jane Q. Doe",
        message: 1,
        mailedOn: "2026-10-01",
        expectedFrom: "2026-10-02",
        expectedTo: "2026-10-08",
        clocks: ["Notice of error: acknowledgment", "Notice of error: response"],
      },
    ]);
    const text = ok(L("due", "--as-of", "2026-10-03")).stdout;
    expect(text).toContain("No open clocks on 2026-10-03.");
    expect(text).toMatch(/LM-\w+-1 {2}mailed 2026-10-01, usually delivered 2026-10-02 to 2026-10-08: Notice of error/);
    expect(text).toMatch(/loanmail mailed LM-\w+-1 --delivered DATE/);
    // Delivered Mon 10-05: the clocks run (acknowledgment due 5 business days later, Mon 10-12 Columbus Day
    // skipped: d1 Tue 10-06 .. d4 Fri 10-09, d5 Tue 10-13) and the letter leaves the list.
    ok(L("mailed", "1", "--delivered", "2026-10-05"));
    const running = json<DueDoc & { awaitingDelivery: unknown[] }>(ok(L("--json", "due", "--as-of", "2026-10-06")));
    expect(running.awaitingDelivery).toEqual([]);
    expect(clockOf(running, "noe-ack")).toMatchObject({ status: "open", startedBy: { on: "2026-10-05" } });
  });

  it("received --class extension on the due date adds 15 business days; the day after, it does not", () => {
    const { L } = setupHome();
    // Two information requests, both delivered Thu 2026-10-08: response due Mon 11-23 (see deadline above).
    const first = compose(L, "information-request", RFI);
    ok(L("mailed", "1", "--tracking", "9407111899560000000005", "--date", "2026-10-05", "--delivered", "2026-10-08"));
    const second = compose(L, "information-request", RFI);
    ok(L("mailed", "2", "--tracking", "9407111899560000000006", "--date", "2026-10-05", "--delivered", "2026-10-08"));
    ok(L("received", "1", "--date", "2026-10-12", "--file", scan(), "--via", "post", "--class", "acknowledgment"));
    ok(L("received", "2", "--date", "2026-10-12", "--file", scan(), "--via", "post", "--class", "acknowledgment"));
    // Case 1: the extension comes ON the due date, Mon 11-23: + 15 business days = d1 Tue 11-24, d2 Wed 11-25,
    // Thu 11-26 Thanksgiving (skip), d3 Fri 11-27, d4 Mon 11-30, d5-d8 Tue 12-01..Fri 12-04,
    // d9-d13 Mon 12-07..Fri 12-11, d14 Mon 12-14, d15 Tue 12-15.
    const ext = json<{ message: number }>(
      ok(
        L("--json", "received", "1", "--date", "2026-11-23", "--file", scan(), "--via", "post", "--class", "extension"),
      ),
    ).message;
    // Case 2: the extension comes the day AFTER, Tue 11-24: too late to extend.
    ok(L("received", "2", "--date", "2026-11-24", "--file", scan(), "--via", "portal", "--class", "extension"));

    const doc = due(L, "--as-of", "2026-11-24");
    const extended = clockOf(doc, "rfi-response", first);
    expect(extended).toMatchObject({
      status: "open",
      dueStrict: "2026-12-15",
      dueLenient: "2026-12-15",
      extendedBy: { messageId: ext, on: "2026-11-23" },
    });
    const notExtended = clockOf(doc, "rfi-response", second);
    expect(notExtended).toMatchObject({
      status: "late",
      dueLenient: "2026-11-23",
      extendedBy: null,
      businessDaysLate: 1,
    });
    expect(L("due", "--check", "--as-of", "2026-11-24").code).toBe(3);
    expect(ok(L("show", "1", "--as-of", "2026-11-24")).stdout).toContain(`extended by message ${ext} of 2026-11-23`);
  });

  it("event paid-off starts the escrow refund clock and the borrower's 1-year window", () => {
    const { L } = setupHome();
    const tag = compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000007", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    const r = ok(L("--json", "event", "1", "paid-off", "--date", "2026-11-13"));
    expect(json(r)).toMatchObject({ case: tag, event: { type: "paid-off", on: "2026-11-13" } });
    // Paid off Fri 11-13: Nov 16-20 d1-d5, Nov 23-25 d6-d8, Thu 11-26 Thanksgiving (skip), Fri 11-27 d9, Mon 11-30
    // d10, Dec 1-4 d11-d14, Dec 7-11 d15-d19, Mon 12-14 d20.
    const doc = due(L, "--as-of", "2026-11-27");
    expect(clockOf(doc, "escrow-refund")).toMatchObject({
      case: tag,
      rule: "12 C.F.R. 1024.34(b)",
      status: "open",
      startedBy: { on: "2026-11-13" },
      dueStrict: "2026-12-14",
      dueLenient: "2026-12-14",
    });
    expect(clockOf(doc, "noe-window-payoff")).toMatchObject({ party: "borrower", dueLenient: "2027-11-13" });
    expect(L("event", "1", "refinanced", "--date", "2026-11-13").code).toBe(1);
    expect(L("event", "1", "paid-off", "--date", "2999-01-01").code).toBe(1);
  });

  it("filed --cfpb-id starts the CFPB company-response clock (15 calendar days)", () => {
    const { L } = setupHome();
    const tag = compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000008", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    const r = ok(L("--json", "filed", "1", "--cfpb-id", "261009-1234567", "--date", "2026-10-09"));
    expect(json(r)).toMatchObject({ case: tag, cfpbId: "261009-1234567", on: "2026-10-09" });
    // Fri 10-09 + 15 = Sat 10-24 (strict), rolled to Mon 10-26 (lenient). The 60-day final response is owed
    // only after an "in progress" reply (test/cli/clock-options.test.ts).
    const doc = due(L, "--as-of", "2026-10-20");
    const response = clockOf(doc, "cfpb-response");
    expect(response).toMatchObject({ status: "open", dueStrict: "2026-10-24", dueLenient: "2026-10-26" });
    expect(response.startedBy?.what).toContain("261009-1234567");
    expect(doc.clocks.some((c) => c.id === "cfpb-final" || c.id === "cfpb-closed")).toBe(false);
    expect(L("filed", "1", "--date", "2026-10-09").code).toBe(1);
  });

  it("filed refuses a complaint sent before the case's first letter left; a CFPB clock is late in calendar days", () => {
    const { home, L } = setupHome();
    const tag = compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000018", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    // The letter left Thu 2026-10-01: a complaint sent to the company on 2026-01-05 (or 09-30) would precede it.
    const before = rowCounts(home);
    const early = L("filed", "1", "--cfpb-id", "261005-1234567", "--date", "2026-01-05");
    expect(early.code).toBe(1);
    expect(early.stderr).toContain(
      `the complaint's day 2026-01-05 is before the first letter of ${tag} left (2026-10-01)`,
    );
    expect(early.stderr).toContain("hint: give the day the CFPB sent the complaint to the company");
    const json1 = L("--json", "filed", "1", "--cfpb-id", "261005-1234567", "--date", "2026-09-30");
    expect(JSON.parse(json1.stderr).error.code).toBe("DATES_OUT_OF_ORDER");
    expect(rowCounts(home)).toEqual(before);

    // Sent to the company Fri 10-09: + 15 calendar days = Sat 10-24 (strict), rolled to Mon 10-26 (lenient). On
    // Thu 11-05 it is late by 10 calendar days (Oct 27-31, Nov 1-5), which is 8 business days (Oct 27, 28, 29, 30,
    // Nov 2, 3, 4, 5): the clock counts calendar days, so it says days.
    ok(L("filed", "1", "--cfpb-id", "261009-1234567", "--date", "2026-10-09"));
    const shown = json<{ clocks: (ClockDoc & { calendarDaysLate?: number | null })[] }>(
      ok(L("--json", "show", "1", "--as-of", "2026-11-05")),
    );
    expect(clockOf(shown, "cfpb-response")).toMatchObject({
      status: "late",
      businessDaysLate: 8,
      calendarDaysLate: 10,
    });
    const text = ok(L("show", "1", "--as-of", "2026-11-05")).stdout;
    expect(text).toContain(
      "CFPB: company response [CFPB complaint process (not a regulation): 15 calendar days]: LATE by 10 days\n",
    );
    expect(text).not.toMatch(/CFPB: company response .*business day/);
    expect(ok(L("due", "--notify", "--as-of", "2026-11-05")).stdout).toContain(
      "CFPB: company response [CFPB complaint process (not a regulation): 15 calendar days] due 2026-10-24 (lenient 2026-10-26), LATE by 10 days",
    );
    // The response Mon 11-02: met 7 days late (Oct 27-31, Nov 1, 2), 5 business days (Oct 27-30, Nov 2).
    ok(L("filed", "1", "--response-date", "2026-11-02"));
    const met = ok(L("show", "1", "--as-of", "2026-11-05")).stdout;
    expect(met).toContain(
      "CFPB: company response [CFPB complaint process (not a regulation): 15 calendar days]: met, 7 days late\n",
    );
  });

  it("loan transfer adds the borrower's 1-year window to due", () => {
    const { L } = setupHome();
    ok(L("servicer", "add", "Rocket", "--domain", "rocket.test", "--email", "help@rocket.test"));
    ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654321", "--date", "2026-03-02"));
    const doc = due(L, "--as-of", "2026-11-27");
    const window = clockOf(doc, "noe-window-transfer");
    expect(window).toMatchObject({
      case: null,
      party: "borrower",
      status: "open",
      startedBy: { on: "2026-03-02" },
      dueStrict: "2027-03-02",
      dueLenient: "2027-03-02",
    });
    expect(window.rule).toContain("1024.35(g)(1)(iii)");
    expect(ok(L("due", "--as-of", "2026-11-27")).stdout).toMatch(
      // 2026-11-27 to 2027-03-02: 4 + 31 + 31 + 28 + 2 = 95 days left.
      /2027-03-02\s+95\s+loan 1\s+YOU: Send a notice of error \(or request for information\) about Mr\. Cooper to Mr\. Cooper by 2027-03-02/,
    );
    // A day after the anniversary the window has closed (a borrower's deadline never makes --check fail).
    const later = L("due", "--check", "--as-of", "2027-03-03");
    expect(later.code).toBe(0);
    expect(later.stdout).toMatch(/LATE by 1 business day/);
  });
});

describe("stats", () => {
  it("medians of business days to acknowledgment and to response, and the share of clocks met on time", () => {
    const { L } = setupHome();
    ok(
      L(
        "servicer",
        "add",
        "Rocket",
        "--domain",
        "rocket.test",
        "--email",
        "help@rocket.test",
        "--notice-address",
        "Rocket Mortgage\\nPO Box 442359\\nDetroit, MI 48244",
      ),
    );
    ok(
      L(
        "loan",
        "add",
        "--servicer",
        "Rocket",
        "--account",
        "7654321",
        "--property",
        "9 Oak Ave, Springfield, IL 62702",
        "--borrower",
        "Jane Q. Doe",
      ),
    );
    // Each reply its own scan (the same file twice is refused as a duplicate).
    const reply = (ref: string, date: string, cls: string) =>
      ok(L("received", ref, "--date", date, "--file", scan(), "--via", "post", "--class", cls));

    // Mr. Cooper, notice of error 1: delivered Wed 06-03. Ack Fri 06-05: Thu 4, Fri 5 = 2 business days.
    // Response Wed 06-24: Jun 4-5 (2), Jun 8-12 (7), Jun 15-18 (11), Fri 06-19 Juneteenth (skip), Jun 22-24 (14) = 14.
    // Clocks: ack due d5 Wed 06-10, response far later: both met on time.
    compose(L, "notice-of-error", NOE);
    ok(L("mailed", "1", "--tracking", "9407111899560000000011", "--date", "2026-06-01", "--delivered", "2026-06-03"));
    reply("1", "2026-06-05", "acknowledgment");
    reply("1", "2026-06-24", "response");
    // Notice of error 2: delivered Fri 09-04. Ack Thu 09-10: Mon 09-07 Labor Day (skip), Tue 8, Wed 9, Thu 10 = 3.
    // Response Fri 10-16: Sep 8-11 (4), 14-18 (9), 21-25 (14), Sep 28-Oct 2 (19), Oct 5-9 (24), Mon 10-12 Columbus
    // Day (skip), Oct 13-16 (28) = 28. Ack due d5 Mon 09-14, response d30 Tue 10-20: both met on time.
    compose(L, "notice-of-error", NOE);
    ok(L("mailed", "2", "--tracking", "9407111899560000000012", "--date", "2026-09-01", "--delivered", "2026-09-04"));
    reply("2", "2026-09-10", "acknowledgment");
    reply("2", "2026-10-16", "exception");
    // Notice of error 3: delivered Mon 10-05. Ack Wed 10-14: Oct 6-9 (4), Mon 10-12 Columbus Day (skip), Tue 13 (5),
    // Wed 14 (6) = 6, one day after its due date (d5 Tue 10-13): met late. No response: due Wed 11-18, late today.
    compose(L, "notice-of-error", NOE);
    ok(L("mailed", "3", "--tracking", "9407111899560000000013", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    reply("3", "2026-10-14", "acknowledgment");
    // Medians for Mr. Cooper's notices of error: ack [2, 3, 6] -> 3; response [14, 28] -> 21.
    // Decided clocks: 3 acks + 2 responses met + 1 response late = 6; on time: 2 acks + 2 responses = 4 -> 0.667.

    // Mr. Cooper, an information request uploaded to the portal Mon 11-02; acknowledged by email on Wed 11-04 (an
    // imported .eml: Tue 3, Wed 4 = 2) and answered on paper Fri 11-20: Nov 3-6 (4), Nov 9-10 (6), Wed 11-11
    // Veterans Day (skip), Nov 12-13 (8), Nov 16-20 (13) = 13. Ack due d5 Mon 11-09, response in December: on time.
    // Mr. Cooper designated its portal for notices (only then does an upload start Reg X clocks: 1024.36(b)).
    ok(L("servicer", "set", "Mr. Cooper", "--notice-portal", "https://servicer.test/notices"));
    // The email's arrival is the Received field of the user's own server (its Date header decides nothing).
    const rfiTag = compose(L, "information-request", RFI);
    ok(L("sent", "4", "--via", "portal", "--date", "2026-11-02"));
    addMailAccount(L);
    const eml = join(tempDir(), "ack.eml");
    writeFileSync(
      eml,
      [
        receivedByUserServer("Wed, 4 Nov 2026 10:00:07 -0600"),
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        `Subject: Re: Request for Information [${rfiTag}]`,
        "Date: Wed, 4 Nov 2026 10:00:00 -0600",
        "Message-ID: <ack-4@servicer.test>",
        "",
        "We have received your request and will respond within 30 business days.",
        "",
      ].join("\r\n"),
    );
    const imported = json<{ imported: { case: number | null; class: string }[] }>(ok(L("--json", "import", eml)));
    expect(imported.imported[0]).toMatchObject({ case: 4, class: "acknowledgment" });
    reply("4", "2026-11-20", "response");

    // Rocket, an owner request delivered Thu 11-05, answered Thu 11-19 and never acknowledged otherwise:
    // Fri 6 (1), Mon 9 (2), Tue 10 (3), Wed 11-11 Veterans Day (skip), Thu 12 (4), Fri 13 (5), Nov 16-19 (9) = 9 to
    // both. The answer meets the owner clock (d10 Fri 11-20) on time, and the acknowledgment (d5 Fri 11-13) 4 days late.
    compose(L, "owner-request", [], "2");
    ok(L("mailed", "5", "--tracking", "9407111899560000000015", "--date", "2026-11-02", "--delivered", "2026-11-05"));
    reply("5", "2026-11-19", "response");

    // Servicing of loan 1 moves to Rocket afterwards: letters that went to Mr. Cooper stay his.
    ok(L("loan", "transfer", "1", "--to", "Rocket", "--account", "7654322", "--date", "2026-11-25"));

    const doc = json<{ asOf: string; rows: Record<string, unknown>[] }>(ok(L("--json", "stats")));
    expect(doc.schema).toBe(1);
    expect(doc.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(doc.rows).toEqual([
      {
        client: "Jane Q. Doe",
        servicer: "Mr. Cooper",
        kind: "information-request",
        letters: 1,
        medianDaysToAck: 2,
        medianDaysToResponse: 13,
        onTimeShare: 1,
        clocks: 2,
      },
      {
        client: "Jane Q. Doe",
        servicer: "Mr. Cooper",
        kind: "notice-of-error",
        letters: 3,
        medianDaysToAck: 3,
        medianDaysToResponse: 21,
        onTimeShare: 0.667,
        clocks: 6,
      },
      {
        client: "Jane Q. Doe",
        servicer: "Rocket",
        kind: "owner-request",
        letters: 1,
        medianDaysToAck: 9,
        medianDaysToResponse: 9,
        onTimeShare: 0.5,
        clocks: 2,
      },
    ]);

    // One line per servicer over every kind: Mr. Cooper's 4 letters (the information request and the 3 notices);
    // days to answer [2 (request), 2, 3, 6] -> median 2.5; to response [13 (request), 14, 28] -> 14; clocks
    // 2 + 6 = 8 decided, 2 + 4 = 6 on time -> 0.75. Rocket: its one owner request (9, 9; 1 of 2 clocks on time).
    expect(json<{ servicers: unknown[] }>(ok(L("--json", "stats"))).servicers).toEqual([
      {
        client: "Jane Q. Doe",
        servicer: "Mr. Cooper",
        letters: 4,
        medianDaysToAnswer: 2.5,
        medianDaysToResponse: 14,
        onTimeShare: 0.75,
        clocks: 8,
        onTime: 6,
      },
      {
        client: "Jane Q. Doe",
        servicer: "Rocket",
        letters: 1,
        medianDaysToAnswer: 9,
        medianDaysToResponse: 9,
        onTimeShare: 0.5,
        clocks: 2,
        onTime: 1,
      },
    ]);

    const text = ok(L("stats")).stdout;
    // Wider than 80 columns (no terminal): the medians go on a line of their own.
    expect(text).toContain(
      "Mr. Cooper, all kinds: 4 letters · 75% on time (6 of 8 clocks)\n  median 2.5 business days to answer, 14 to response\n",
    );
    expect(text).toContain(
      "Rocket, all kinds: 1 letter · 50% on time (1 of 2 clocks)\n  median 9 business days to answer, 9 to response\n",
    );
    expect(text).toContain("Mr. Cooper · notice-of-error · 3 letters");
    expect(text).toMatch(/to response\s+█+[▏▎▍▌▋▊▉]?\s+21 business days/);
    expect(text).toMatch(/on time\s+█+[▏▎▍▌▋▊▉]?░+\s+67% \(4 of 6 clocks\)/);
    expect(text).toContain("Rocket · owner-request · 1 letter");
    expect(Math.max(...text.split("\n").map((l) => l.length))).toBeLessThanOrEqual(120);
  });

  it("says so when nothing has left yet", () => {
    const { L } = setupHome();
    compose(L, "notice-of-error", NOE);
    expect(json<{ rows: unknown[]; servicers: unknown[] }>(ok(L("--json", "stats")))).toMatchObject({
      rows: [],
      servicers: [],
    });
    expect(ok(L("stats")).stdout).toMatch(/No letter has left yet/);
  });
});

describe("a servicing transfer after a case opened", () => {
  it("keeps judging the case by the servicer that had the loan when it opened", () => {
    const { L } = setupHome();
    // The old servicer is small (exempt from 1024.41's deadlines); the new one is not.
    ok(L("servicer", "set", "Mr. Cooper", "--small"));
    ok(L("servicer", "add", "New Servicer", "--domain", "new.test", "--email", "help@new.test"));
    // Written (--dated) and uploaded on Fri 2026-11-27.
    ok(
      L(
        "compose",
        "loss-mitigation",
        "--loan",
        "1",
        "--dated",
        "2026-11-27",
        "--summary",
        "Please evaluate my application.",
      ),
    );
    ok(L("sent", "1", "--via", "portal", "--date", "2026-11-27"));
    // A notice of transfer names an effective date ahead of time.
    ok(L("loan", "transfer", "1", "--to", "New Servicer", "--account", "99887766", "--date", "2026-12-15"));
    const show = json<{ clocks: ClockDoc[] }>(ok(L("--json", "show", "1", "--as-of", "2026-12-31")));
    const ack = show.clocks.find((c) => c.id === "lossmit-ack");
    expect(ack?.status).toBe("not-applicable");
    expect(ack?.note).toMatch(/small servicer/);
  });
});
