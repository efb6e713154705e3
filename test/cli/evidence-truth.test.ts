/**
 * An evidence bundle states nothing the record does not show (an attorney's test of a release). The case, entered
 * on one day (today) after the fact, as most users arrive: a request for information written 2026-11-10, printed
 * by loanmail today (after it was mailed: not the paper that left), mailed 2026-11-12 and delivered 2026-11-16;
 * the servicer's acknowledgment, which reached the user's server (mx.mail.test) Mon 2026-11-30 09:30 CST and was
 * imported today; and an extension on paper received 2026-12-01, recorded by hand with its scan.
 *
 * The clocks (business days): the acknowledgment was due 5 business days from the delivery, 2026-11-23; the
 * response 30 business days from it, 2026-12-30 (Thanksgiving 11-26 and Christmas 12-25 not counted); the
 * extension of 12-01 came in time and added 15 business days: 2027-01-22 (New Year's Day and MLK Day not counted).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { addMailAccount, parseCsv, ROOT, type RunResult, receivedByUserServer, setupHome, tempDir } from "./helpers.js";

const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(new Date());
const LONG_TODAY = new Intl.DateTimeFormat("en-US", {
  timeZone: "UTC",
  year: "numeric",
  month: "long",
  day: "numeric",
}).format(new Date(`${TODAY}T12:00:00Z`));
const UTF8 = { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
const ok = (r: RunResult): RunResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
};
const oneLine = (s: string) => s.replace(/\s+/g, " ");

interface Row {
  type: string;
  when: string;
  actor: string;
  detail: string;
  message: { id: number } | null;
  clocks: { clock: string; role: string; due: string | null; rule: string }[];
}
interface TimelineJson {
  cases: {
    tag: string;
    messages: { id: number; date: string | null; writtenOn: string | null }[];
    clocks: { id: string; dueStrict: string; beforeExtension?: { dueStrict: string; rule: string } }[];
    rows: Row[];
  }[];
}

let L: (...args: string[]) => RunResult;
let dir: string;
let tag: string;
let doc: TimelineJson["cases"][number];
let html: string;

const row = (type: string, messageId: number) => doc.rows.find((r) => r.type === type && r.message?.id === messageId);

beforeAll(() => {
  ({ L } = setupHome());
  const work = tempDir("loanmail-truth-");
  const composed = ok(
    L(
      ...["--json", "compose", "information-request", "--loan", "1", "--set", "information=payment history"],
      ...["--summary", "Request.", "--dated", "2026-11-10"],
    ),
  );
  tag = (JSON.parse(composed.stdout) as { case: { tag: string } }).case.tag;
  ok(L("show", "1", "--pdf", join(work, "printed-today.pdf")));
  ok(L("mailed", "1", "--tracking", "9407111899560000000044", "--date", "2026-11-12"));
  ok(L("mailed", "1", "--delivered", "2026-11-16"));
  const scan = join(work, "scan.pdf");
  writeFileSync(scan, readFileSync(join(ROOT, "examples/proof-of-payment.pdf")));
  ok(L("received", "1", "--date", "2026-12-01", "--file", scan, "--via", "post", "--class", "extension"));
  addMailAccount(L);
  const eml = join(work, "ack.eml");
  writeFileSync(
    eml,
    [
      receivedByUserServer("Mon, 30 Nov 2026 09:30:00 -0600"),
      "From: Mr. Cooper <help@servicer.test>",
      "To: jane@example.test",
      `Subject: Re: [${tag}] Your request for information`,
      "Date: Mon, 30 Nov 2026 09:29:00 -0600",
      "Message-ID: <ack-truth@servicer.test>",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "We have received your request for information.",
      "",
    ].join("\r\n"),
  );
  ok(L("import", eml));
  ok(L("export", "1", "--out", join(work, "case.zip")));
  dir = join(work, "unzipped");
  mkdirSync(dir);
  execFileSync("unzip", ["-q", join(work, "case.zip"), "-d", dir], { env: UTF8 });
  const timeline = JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8")) as TimelineJson;
  doc = timeline.cases[0] as TimelineJson["cases"][number];
  html = readFileSync(join(dir, "index.html"), "utf8");
});

describe("a reply on paper, recorded by hand", () => {
  it("names no sender the record does not hold", () => {
    expect(row("received", 2)?.actor).toBe("servicer (by post; sender not recorded)");
    const csv = parseCsv(readFileSync(join(dir, "timeline.csv"), "utf8").slice(1));
    const actor = (csv[0] as string[]).indexOf("actor");
    expect(csv.find((r) => r[5] === "received" && r[9] === "messages/002-2026-12-01-in.eml")?.[actor]).toBe(
      "servicer (by post; sender not recorded)",
    );
    expect(html).not.toContain("unknown sender");
  });

  it("calls its .eml loanmail's record of it, never the original message; the scan is the reply", () => {
    const bates = html.slice(html.indexOf('<section id="bates">'), html.indexOf('<section id="messages">'));
    const placeholder = bates.split("\n").find((l) => l.includes("messages/002-2026-12-01-in.eml")) ?? "";
    expect(placeholder).toContain(
      `${tag}, reply 2 received by post on 2026-12-01 (sender not recorded): loanmail&#39;s record of it, not the reply itself (the scan kept of it is exhibits/received/002-scan.pdf)`,
    );
    expect(placeholder).not.toContain("original");
    const messages = html.slice(html.indexOf('<section id="messages">'));
    expect(messages).toContain(
      `loanmail's record of this reply, not the reply itself: <a href="messages/002-2026-12-01-in.eml">`,
    );
    expect(messages).not.toContain('original: <a href="messages/002-2026-12-01-in.eml">');
    const list = oneLine(
      execFileSync("pdftotext", ["-layout", join(dir, "exhibit-list.pdf"), "-"], { encoding: "utf8" }),
    );
    expect(list).toContain("loanmail's record of it, not the reply itself");
    expect(list).not.toContain("unknown sender");
  });
});

describe("a letter entered later (compose --dated)", () => {
  it("is given by its day only: no time of day is made up in the timeline's JSON, CSV or HTML", () => {
    expect(doc.messages[0]).toMatchObject({ id: 1, date: "2026-11-10", writtenOn: "2026-11-10" });
    // Noon in Chicago, the time its Date header holds (a time nobody gave), appears nowhere but in its .eml.
    for (const f of ["timeline.json", "timeline.csv", "index.html"]) {
      const text = readFileSync(join(dir, f), "utf8");
      expect(text, f).not.toMatch(/2026-11-10T18:00|2026-11-10T12:00|2026-11-10 12:00/);
    }
    expect(readFileSync(join(dir, "messages/001-2026-11-10-out.eml"), "utf8")).toContain(
      "Date: Tue, 10 Nov 2026 18:00:00 +0000",
    );
  });
});

describe("the declaration", () => {
  it("lists a reply imported days after it reached the mailbox among the steps entered later", () => {
    const text = oneLine(readFileSync(join(dir, "declaration.txt"), "utf8"));
    expect(text).toContain(`On November 30, 2026 I received an email from help@servicer.test`);
    expect(text).toContain(
      `the receipt of the reply (${tag}, message 3) on November 30, 2026, entered on ${LONG_TODAY}`,
    );
    expect(text).not.toContain("at or near the time");
  });
});

describe("an extended clock", () => {
  it("starts with the due date and rule of the day it started; the extension's row gives the new ones", () => {
    const started = row("delivered", 1)?.clocks.find((c) => c.clock === "rfi-response");
    expect(started).toMatchObject({ role: "started", due: "2026-12-30", rule: "12 C.F.R. 1024.36(d)(2)(i)(B)" });
    const extended = row("received", 2)?.clocks.find((c) => c.clock === "rfi-response");
    expect(extended).toMatchObject({
      role: "extended",
      due: "2027-01-22",
      rule: "12 C.F.R. 1024.36(d)(2)(i)(B), extended under 1024.36(d)(2)(ii)",
    });
    expect(doc.clocks.find((k) => k.id === "rfi-response")).toMatchObject({
      dueStrict: "2027-01-22",
      beforeExtension: { dueStrict: "2026-12-30", rule: "12 C.F.R. 1024.36(d)(2)(i)(B)" },
    });

    const text = ok(L("timeline", "1")).stdout;
    expect(text).toContain(
      "clock started: Request for information: acknowledgment (due 2026-11-23); Request for information: response (due 2026-12-30)",
    );
    expect(text).toContain("extended: Request for information: response (now due 2027-01-22)");
    expect(text).not.toMatch(/response \(due 2027-01-22\)/);
    const csv = parseCsv(readFileSync(join(dir, "timeline.csv"), "utf8").slice(1));
    const delivered = csv.find((r) => r[5] === "delivered") ?? [];
    expect(delivered[12]).toContain("Request for information: response (due 2026-12-30)");
    expect(delivered[14]).not.toContain("1024.36(d)(2)(ii)");
    const chronology = html.slice(html.indexOf('<section id="chronology">'), html.indexOf('<section id="clocks">'));
    expect(chronology).not.toContain('response <span class="due">(due 2027-01-22)');
    expect(chronology).toContain('extended: Request for information: response <span class="due">(now due 2027-01-22)');
  });
});

describe("a letter printed after the day it was mailed", () => {
  it("its printing is not called the copy that left, and the page says what the bundle holds", () => {
    const printed = doc.rows.find((r) => r.type === "printed");
    expect(printed?.detail).toMatch(
      new RegExp(
        `^printed as PDF \\(SHA-256 [0-9a-f]{64}\\); printed on ${TODAY}, after the letter left on 2026-11-12: not the copy that left; kept in the record, not in this bundle$`,
      ),
    );
    expect(html).not.toContain("the copy is kept");
    expect(html).toContain("Printed copy: not held.");
    expect(html).toMatch(
      /Printed by loanmail but not the copy that left \(kept in the record\): on \d{4}-\d{2}-\d{2}, SHA-256 .*, not in this bundle\./,
    );
    // The mailing says loanmail printed none by that day, not that it never printed one.
    expect(row("mailed", 1)?.detail).toContain(
      "loanmail printed no copy of it by the day it left: no printed copy of what left is held",
    );
    expect(html).not.toContain("not printed by loanmail");
  });
});
