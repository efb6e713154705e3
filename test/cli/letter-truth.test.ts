/**
 * Nothing false in a letter, nothing contradictory in the record (issue 9): a follow-up or escalation request
 * cites only a letter that left, by the day it left, written out ("June 1, 2026") and never by Message-ID;
 * relied-documents needs the servicer's recorded response to a notice of error; a date that contradicts the
 * record (mailed before written, delivered before mailed, a reply before the letter left) is refused with both
 * days named and nothing written. Recording history is not a contradiction: `compose --dated D` records a letter
 * written on D, and `import` of a letter the user emailed from elsewhere records it as sent.
 *
 * Run as a user would (spawned, no TTY). The user's zone is America/Chicago. The days are all in the past
 * (`--dated`, `--date`, `--as-of` make them); business days are counted by hand in the comments.
 */
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isoDateIn } from "../../src/domain/time-zone.js";
import { json, type RunResult, rowCounts, setupHome, tempDir, writePdf } from "./helpers.js";

type L = (...args: string[]) => RunResult;

interface ErrorDoc {
  error: { code: string; message: string; hint: string };
}

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** Run a command that must be refused: exit 1, the error code, and the database exactly as it was. */
function refused(home: string, L: L, code: string, ...args: string[]): ErrorDoc["error"] {
  const before = rowCounts(home);
  const r = L("--json", ...args);
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  const doc = JSON.parse(r.stderr) as ErrorDoc;
  expect(doc.error.code).toBe(code);
  expect(rowCounts(home)).toEqual(before);
  return doc.error;
}

const SUMMARY = "My payment of $1,500.00 sits in suspense.";
const today = () => isoDateIn(new Date(), "America/Chicago");

/** A notice of error on a new case; `dated` is the day it was written. */
function noe(L: L, dated?: string): void {
  ok(
    L(
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      ...(dated ? ["--dated", dated] : []),
      "--set",
      "error=my payment of $1,500.00 was placed in suspense",
      "--summary",
      SUMMARY,
    ),
  );
}

function bodyOf(L: L, caseId: number): string {
  const show = json<{ messages: { direction: string; bodyText: string }[] }>(ok(L("--json", "show", String(caseId))));
  return show.messages.filter((m) => m.direction === "out").at(-1)?.bodyText ?? "";
}

/** The words loanmail wrote: the body without the user's own summary paragraph. */
const ownWords = (body: string) => body.replace(SUMMARY, "");

describe("follow-up and escalation-request cite only a letter that left", () => {
  it("refuses them for a case whose letter is a draft, then cites the letter by the day it left", () => {
    const { home, L } = setupHome();
    noe(L, "2026-06-01");
    for (const kind of ["follow-up", "escalation-request"]) {
      const e = refused(home, L, "NO_LETTER_LEFT", "compose", kind, "--loan", "1", "--set", "case=1", "--summary", "x");
      expect(e.message).toMatch(/^case LM-[A-Z0-9]{4}-1 has no letter that left: it holds letter 1 \(draft\)$/);
      expect(e.hint).toContain("loanmail mailed 1 --tracking T --date D");
    }

    // Mailed Mon 2026-06-01, the day it was written.
    ok(L("mailed", "1", "--tracking", "9407111899560000001001", "--date", "2026-06-01"));
    const followUp = json<{ case: { id: number } }>(
      ok(L("--json", "compose", "follow-up", "--loan", "1", "--set", "case=1", "--summary", "No answer yet.")),
    );
    const body = bodyOf(L, followUp.case.id);
    expect(body).toMatch(
      /I have not received a complete answer to my letter of June 1, 2026 \(reference LM-[A-Z0-9]{4}-1\)\./,
    );
    expect(body).not.toMatch(/Message-ID|<LM\./);
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const escalation = json<{ case: { id: number } }>(
      ok(L("--json", "compose", "escalation-request", "--loan", "1", "--set", "case=1", "--summary", "Still none.")),
    );
    const esc = bodyOf(L, escalation.case.id);
    expect(esc).toMatch(/The matter of my letter of June 1, 2026 \(reference LM-[A-Z0-9]{4}-1\) is not resolved\./);
    expect(esc).not.toMatch(/Message-ID|<LM\./);

    // A follow-up written (--dated) Fri 2026-05-29 cannot cite a letter that left on 06-01.
    const early = refused(
      home,
      L,
      "DATES_OUT_OF_ORDER",
      "compose",
      "follow-up",
      "--loan",
      "1",
      "--dated",
      "2026-05-29",
      "--set",
      "case=1",
      "--summary",
      "x",
    );
    expect(early.message).toBe(`this follow-up is dated 2026-05-29, but letter 1 of ${caseTag(L)} left on 2026-06-01`);
  });
});

function caseTag(L: L, id = 1): string {
  return json<{ case: { tag: string } }>(ok(L("--json", "show", String(id)))).case.tag;
}

describe("relied-documents needs the servicer's recorded response to a notice of error", () => {
  it("is refused until a reply classified response is recorded, then names the response's day", () => {
    const { home, L } = setupHome();
    // The notice: written and mailed Mon 2026-06-01, delivered Thu 06-04.
    noe(L, "2026-06-01");
    ok(L("mailed", "1", "--tracking", "9407111899560000002001", "--date", "2026-06-01", "--delivered", "2026-06-04"));
    const ask = [
      "compose",
      "relied-documents",
      "--loan",
      "1",
      "--set",
      "case=1",
      "--summary",
      "Your answer said no error occurred.",
    ];

    const none = refused(home, L, "NO_ERROR_RESPONSE", ...ask);
    expect(none.message).toContain("no response to the notice of error of");
    expect(none.message).toContain("(sent 2026-06-01)");
    expect(none.hint).toContain("--class response");

    // An acknowledgment (Mon 06-08) is not the answer.
    const scan = writePdf(join(tempDir(), "scan.pdf"));
    ok(L("received", "1", "--date", "2026-06-08", "--class", "acknowledgment", "--file", scan));
    refused(home, L, "NO_ERROR_RESPONSE", ...ask);

    // The response, Wed 2026-07-15.
    ok(
      L(
        "received",
        "1",
        "--date",
        "2026-07-15",
        "--class",
        "response",
        "--file",
        writePdf(join(tempDir(), "answer.pdf")),
      ),
    );
    // A request written (--dated) Fri 07-10 cannot concern a response that came on 07-15.
    const early = refused(home, L, "DATES_OUT_OF_ORDER", ...ask, "--dated", "2026-07-10");
    expect(early.message).toContain("is dated 2026-07-10, but the servicer's response in");
    expect(early.message).toContain("arrived on 2026-07-15");

    const doc = json<{ case: { id: number }; message: { channel: string } }>(ok(L("--json", ...ask)));
    expect(doc.message.channel).toBe("post");
    const body = bodyOf(L, doc.case.id);
    expect(body).toMatch(
      /This request concerns your response of July 15, 2026 to my notice of error of June 1, 2026 \(reference LM-[A-Z0-9]{4}-1\)\./,
    );
    expect(body).not.toMatch(/Message-ID|<LM\./);
  });

  it("is refused for a case that holds no notice of error", () => {
    const { home, L } = setupHome();
    ok(L("compose", "assumption", "--loan", "1", "--dated", "2026-06-01", "--summary", "Can my son assume it?"));
    ok(L("sent", "1", "--via", "portal", "--date", "2026-06-01"));
    const e = refused(
      home,
      L,
      "NO_ERROR_RESPONSE",
      "compose",
      "relied-documents",
      "--loan",
      "1",
      "--set",
      "case=1",
      "--summary",
      "x",
    );
    expect(e.message).toMatch(/^case LM-[A-Z0-9]{4}-1 holds no notice of error that left$/);
  });
});

describe("dates that contradict the record are refused, with the dates named", () => {
  it("mailed before the letter was composed or written, delivered before mailed", () => {
    const { home, L } = setupHome();
    // Composed today, without --dated: it cannot have been mailed on 2026-06-01.
    noe(L);
    const composedToday = refused(
      home,
      L,
      "DATES_OUT_OF_ORDER",
      "mailed",
      "1",
      "--tracking",
      "T1",
      "--date",
      "2026-06-01",
    );
    expect(composedToday.message).toBe(
      `--date 2026-06-01: the letter cannot have been mailed before it existed (letter 1 was composed on ${today()})`,
    );
    expect(composedToday.hint).toContain("--dated YYYY-MM-DD");

    // Written Mon 2026-06-01 (--dated): mailed Fri 05-29 is before it; delivered Sat 05-30 before a 06-01 mailing.
    noe(L, "2026-06-01");
    const before = refused(home, L, "DATES_OUT_OF_ORDER", "mailed", "2", "--tracking", "T2", "--date", "2026-05-29");
    expect(before.message).toBe(
      "--date 2026-05-29: the letter cannot have been mailed before it existed (letter 2 was written on 2026-06-01)",
    );
    const delivered = refused(
      home,
      L,
      "DATES_OUT_OF_ORDER",
      "mailed",
      "2",
      "--tracking",
      "T2",
      "--date",
      "2026-06-01",
      "--delivered",
      "2026-05-30",
    );
    expect(delivered.message).toBe("--delivered 2026-05-30 is before the mailing date 2026-06-01");
    ok(L("mailed", "2", "--tracking", "T2", "--date", "2026-06-01"));
    const later = refused(home, L, "DATES_OUT_OF_ORDER", "mailed", "2", "--delivered", "2026-05-31");
    expect(later.message).toBe("--delivered 2026-05-31 is before the mailing date 2026-06-01");
  });

  it("sent by portal before the letter was written", () => {
    const { home, L } = setupHome();
    ok(L("compose", "assumption", "--loan", "1", "--dated", "2026-06-01", "--summary", "Can my son assume it?"));
    const e = refused(home, L, "DATES_OUT_OF_ORDER", "sent", "1", "--via", "portal", "--date", "2026-05-31");
    expect(e.message).toBe(
      "--date 2026-05-31: the letter cannot have been sent before it existed (letter 1 was written on 2026-06-01)",
    );
  });

  it("a reply typed in for a case whose letter has not left, or dated before it left", () => {
    const { home, L } = setupHome();
    noe(L, "2026-06-01");
    const scan = writePdf(join(tempDir(), "scan.pdf"));
    const reply = (date: string) => ["received", "1", "--date", date, "--class", "acknowledgment", "--file", scan];
    const draft = refused(home, L, "NO_LETTER_LEFT", ...reply("2026-06-08"));
    expect(draft.message).toMatch(/has no letter that left \(it holds letter 1 \(draft\)\): a reply on 2026-06-08/);

    ok(L("mailed", "1", "--tracking", "T3", "--date", "2026-06-03"));
    const early = refused(home, L, "DATES_OUT_OF_ORDER", ...reply("2026-06-02"));
    expect(early.message).toMatch(/^--date 2026-06-02 is before letter 1 of LM-[A-Z0-9]{4}-1 left on 2026-06-03$/);
    // The day it left is fine: a reply can come the same day (by hand, by fax).
    ok(L(...reply("2026-06-03")));
    // Delivered Mon 06-08: a reply of Fri 06-05 came before the servicer had the letter. Kept, and said: the
    // clocks run from the delivery, so it meets none of them.
    ok(L("mailed", "1", "--delivered", "2026-06-08"));
    const second = writePdf(join(tempDir(), "scan-2.pdf"));
    const between = ok(L("received", "1", "--date", "2026-06-05", "--class", "acknowledgment", "--file", second));
    expect(between.stderr).toContain(
      "letter 1 was delivered on 2026-06-08, after this reply's day (2026-06-05): the clocks it started run from its delivery, so this reply meets none of them",
    );
  });

  it("mail imported from outside is kept as it came, even dated before the letter left", () => {
    const { L } = setupHome();
    noe(L, "2026-06-01");
    ok(L("mailed", "1", "--tracking", "T4", "--date", "2026-06-03"));
    const tag = caseTag(L);
    const eml = join(tempDir(), "early.eml");
    writeFileSync(
      eml,
      [
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        `Subject: Re: your letter [${tag}]`,
        "Date: Mon, 1 Jun 2026 09:00:00 -0500",
        "Message-ID: <early-1@servicer.test>",
        "",
        "We have received your request.",
        "",
      ].join("\r\n"),
    );
    const doc = json<{ imported: { case: number; class: string }[] }>(ok(L("--json", "import", eml)));
    expect(doc.imported[0]).toMatchObject({ case: 1 });
  });

  it("--dated must be a real day, not in the future", () => {
    const { home, L } = setupHome();
    const compose = (d: string) => ["compose", "assumption", "--loan", "1", "--dated", d, "--summary", "x y z."];
    expect(refused(home, L, "INVALID_DATE", ...compose("2026-02-30")).message).toBe("--dated 2026-02-30: not a date");
    const future = refused(home, L, "DATE_IN_FUTURE", ...compose("2999-01-01"));
    expect(future.message).toBe(`--dated 2999-01-01 is in the future (today is ${today()})`);
  });
});

describe("compose --dated records a letter written before it was entered", () => {
  it("shows both days, prints the written day, and starts the clocks only from delivery", () => {
    const { L } = setupHome();
    const composed = ok(
      L(
        "compose",
        "notice-of-error",
        "--loan",
        "1",
        "--dated",
        "2026-06-01",
        "--set",
        "error=my payment of $1,500.00 was placed in suspense",
        "--set",
        "error-date=2026-05-15",
        "--summary",
        SUMMARY,
      ),
    );
    expect(composed.stdout).toContain("written 2026-06-01, entered today: later dates are checked against 2026-06-01");
    // Field dates in the letter's words are written out.
    expect(ownWords(bodyOf(L, 1))).toContain("The error occurred on May 15, 2026.");
    expect(ownWords(bodyOf(L, 1))).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const show = json<{
      messages: { date: string; written?: { writtenOn: string; enteredOn: string } }[];
      events: { type: string; at: string; data: { dated?: string } }[];
    }>(ok(L("--json", "show", "1")));
    expect(show.messages[0]?.written).toEqual({ writtenOn: "2026-06-01", enteredOn: today() });
    // The letter's Date is noon of the written day in the user's zone (17:00 UTC in June, CDT).
    expect(show.messages[0]?.date).toBe("2026-06-01T17:00:00.000Z");
    const composedEvent = show.events.find((e) => e.type === "composed");
    expect(composedEvent?.data.dated).toBe("2026-06-01");
    expect(isoDateIn(new Date(composedEvent?.at ?? ""), "America/Chicago")).toBe(today());
    expect(ok(L("show", "1")).stdout).toContain(
      `Written: 2026-06-01 (entered ${today()}; recorded later than written)`,
    );
    // Its Date header's noon is no time anyone gave: show gives the day it was written, not "12:00 PM".
    expect(ok(L("show", "1")).stdout).not.toMatch(/^Date: .*12:00/m);

    // The printed letter carries the day it was written.
    const pdf = join(tempDir(), "letter.pdf");
    ok(L("show", "1", "--pdf", pdf));
    expect(execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" })).toContain("June 1, 2026");

    // Mailed Wed 06-03, delivered Mon 06-08: the clocks run from delivery, not from the written day.
    //   acknowledgment (5): d1 Tue 06-09, d2 Wed 06-10, d3 Thu 06-11, d4 Fri 06-12, d5 Mon 06-15.
    ok(L("mailed", "1", "--tracking", "T5", "--date", "2026-06-03", "--delivered", "2026-06-08"));
    const clocks = json<{ clocks: { id: string; startedBy: { on: string } | null; dueLenient: string | null }[] }>(
      ok(L("--json", "show", "1", "--as-of", "2026-06-10")),
    ).clocks;
    expect(clocks.find((c) => c.id === "noe-ack")).toMatchObject({
      startedBy: { on: "2026-06-08", by: "delivered" },
      dueLenient: "2026-06-15",
    });
    // Every event was recorded today; show lists each at that time and names the day the user gave for it, and
    // the letter's own header says what became of it (delivered, not "sent").
    const text = ok(L("show", "1")).stdout;
    expect(text).toMatch(/ composed {2}\(user\) {2}written on 2026-06-01\n/);
    expect(text).toMatch(/ mailed {2}\(user\) {2}mailed on 2026-06-03\n/);
    expect(text).toMatch(/ delivered {2}\(user\) {2}delivered on 2026-06-08(\n|$)/);
    expect(text).toContain("── Message 1  letter out  [delivered]");
  });
});

describe("import of a letter the user emailed from elsewhere", () => {
  it("records it as a letter out, sent on its Date, in the case its account number names, and a follow-up cites it", () => {
    const { L } = setupHome();
    // Case 1: today's draft; the user had already written to the servicer from webmail on Mon 2026-05-04.
    ok(L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?"));
    const eml = join(tempDir(), "my-letter.eml");
    writeFileSync(
      eml,
      [
        // The user's own address (the one given to init), in other letters' case.
        "From: Jane Q. Doe <JANE@example.test>",
        "To: Mr. Cooper <help@servicer.test>",
        "Subject: My payment of March 1",
        // 21:30 CDT on May 4 is 02:30 UTC on May 5: it left on May 4 in the user's zone.
        "Date: Mon, 4 May 2026 21:30:00 -0500",
        "Message-ID: <webmail-1@example.test>",
        "",
        "Loan 1234567: my payment of $1,500.00 on March 1 was not applied. Please correct it.",
        "",
      ].join("\r\n"),
    );
    const imported = json<{ imported: { message: number; case: number | null; class: string; sentOn: string }[] }>(
      ok(L("--json", "import", eml)),
    ).imported[0];
    expect(imported).toMatchObject({ case: 1, class: "letter sent", sentOn: "2026-05-04" });
    const text = ok(L("import", eml)).stdout;
    expect(text).toContain("(already held)");

    const msg = json<{ message: { direction: string; state: string; channel: string; kind: string | null } }>(
      ok(L("--json", "show-message", String(imported?.message))),
    ).message;
    expect(msg).toMatchObject({ direction: "out", state: "sent", channel: "email", kind: null });
    const show = json<{
      case: { status: string };
      clocks: { id: string; startedBy: { messageId?: number } | null }[];
      events: { type: string; message: number | null; data: Record<string, unknown> }[];
    }>(ok(L("--json", "show", "1", "--as-of", "2026-05-20")));
    expect(show.case.status).toBe("open");
    expect(show.events.find((e) => e.type === "sent" && e.message === imported?.message)?.data).toMatchObject({
      via: "email",
      sent_on: "2026-05-04",
      imported: true,
    });
    expect(show.events.some((e) => e.type === "received")).toBe(false);
    // Not composed here: loanmail does not decide what it legally started, so no clock runs from it.
    // (The draft beside it has only its own clock, not started.)
    expect(show.clocks.map((c) => c.id)).toEqual(["promise-1"]);
    expect(show.clocks.filter((c) => c.startedBy?.messageId === imported?.message)).toEqual([]);

    const followUp = json<{ case: { id: number } }>(
      ok(L("--json", "compose", "follow-up", "--loan", "1", "--set", "case=1", "--summary", "No answer yet.")),
    );
    expect(bodyOf(L, followUp.case.id)).toContain("to my letter of May 4, 2026 (reference LM-");
  });

  it("lands unfiled when nothing names its case, and is filed by hand like a reply", () => {
    const { L } = setupHome();
    ok(L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?"));
    const eml = join(tempDir(), "note.eml");
    writeFileSync(
      eml,
      [
        "From: jane@example.test",
        "To: someone@elsewhere.test",
        "Subject: About my house",
        "Date: Tue, 5 May 2026 10:00:00 -0500",
        "Message-ID: <webmail-2@example.test>",
        "",
        "A note.",
        "",
      ].join("\r\n"),
    );
    const row = json<{ imported: { message: number; case: number | null; sentOn: string }[] }>(
      ok(L("--json", "import", eml)),
    ).imported[0];
    expect(row).toMatchObject({ case: null, sentOn: "2026-05-05" });
    expect(json<{ case: { status: string } }>(ok(L("--json", "show", "1"))).case.status).toBe("draft");
    ok(L("file", String(row?.message), "1"));
    // A letter that left now sits in case 1, which is no longer a draft; it cannot be filed again elsewhere.
    expect(json<{ case: { status: string } }>(ok(L("--json", "show", "1"))).case.status).toBe("open");
    expect(L("file", String(row?.message), "1").code).toBe(1);
  });

  it("unfiled mail is listed by the day it reached the mailbox, not by the Date its sender wrote", () => {
    const { L } = setupHome();
    const eml = join(tempDir(), "reply.eml");
    const lines = ["From: Mr. Cooper <help@servicer.test>", "To: jane@example.test", "Subject: Your account"];
    // Dated 2026-05-05 by its sender; imported today with no Received field of the user's server: it arrived (as
    // far as the record can tell) when it was recorded, today.
    lines.push("Date: Tue, 5 May 2026 10:00:00 -0500", "Message-ID: <unfiled-1@servicer.test>", "", "Hello.", "");
    writeFileSync(eml, lines.join("\r\n"));
    ok(L("import", eml));
    const doc = json<{ unfiled: { date: string; arrivedAt: string }[] }>(ok(L("--json", "cases")));
    expect(doc.unfiled[0]?.date).toBe("2026-05-05T15:00:00.000Z");
    expect(isoDateIn(new Date(doc.unfiled[0]?.arrivedAt ?? ""), "America/Chicago")).toBe(today());
    const table = ok(L("cases")).stdout;
    expect(table).toContain(today());
    expect(table).not.toContain("2026-05-05");
  });
});
