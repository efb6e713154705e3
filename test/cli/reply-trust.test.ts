/**
 * Replies you can trust, through the CLI as a user meets them (no TTY): a stranger's mail that threads to a case
 * is filed as unverified and meets no clock until the user confirms it; a copy from the servicer's own domain
 * that the user's provider marked dmarc=fail is suspect (the same mark written by any other server is ignored);
 * a reply's day is when it reached the mailbox, never its Date header; a Message-ID held by another message does
 * not make two messages one.
 *
 * Every home: Jane in America/Chicago, Mr. Cooper (replies from servicer.test, help@servicer.test), and a notice
 * of error mailed Thu 2026-10-01 and delivered Mon 2026-10-05 to the designated notice address. Its clocks
 * (12 C.F.R. 1024.35(d), (e)): acknowledgment 5 business days after receipt, Tue 6 (1), Wed 7 (2), Thu 8 (3),
 * Fri 9 (4), Mon 12 Columbus Day (a legal public holiday, skipped), Tue 13 (5): due Tue 2026-10-13; response 30
 * business days, due Wed 2026-11-18.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeEach, describe, expect, it } from "vitest";
import { addMailAccount, json, mailedNoticeOfError, type RunResult, rowCounts, setupHome, tempDir } from "./helpers.js";

interface ClockDoc {
  id: string;
  status: string;
  dueLenient: string | null;
  metBy: { messageId: number; on: string; class: string } | null;
  businessDaysLate: number | null;
}

interface MessageDoc {
  id: number;
  direction: string;
  from: string | null;
  trust: string | null;
  trustWhy: string[];
  trustConfirmedAt: string | null;
  arrivedAt: string | null;
  arrival: string | null;
  messageIdReused: boolean;
  heldFromClocks?: boolean;
  dateDiscrepancyDays?: number | null;
  messageId: string | null;
}

interface ShowDoc {
  case: { tag: string };
  clocks: ClockDoc[];
  messages: MessageDoc[];
  events: { type: string; message: number | null; data: Record<string, unknown> }[];
}

interface ImportDoc {
  imported: {
    message: number;
    new: boolean;
    case: number | null;
    class: string;
    trust: string | null;
    trustWhy: string[];
    arrival: string | null;
    messageIdReused: boolean;
  }[];
}

const ok = (r: RunResult): RunResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
};

let home: string;
let L: (...args: string[]) => RunResult;
let tag: string;
let work: string;

/** A notice of error mailed 10-01 and delivered 10-05; the user's mail account, and its provider's authserv-id. */
function mailedNotice(): void {
  ({ home, L } = setupHome());
  work = tempDir("loanmail-trust-");
  tag = mailedNoticeOfError(L, "9407111899560000000013");
  addMailAccount(L, ["--authserv-id", "mx.mail.test"]);
}

/** Write an .eml (CRLF) and return its path. */
function writeEml(name: string, headers: readonly string[], body: string): string {
  const file = join(work, name);
  writeFileSync(file, [...headers, "Content-Type: text/plain; charset=utf-8", "", body, ""].join("\r\n"));
  return file;
}

/** The Received field the user's server (mx.mail.test) adds, at 09:30 Chicago time on `day` (e.g. "Thu, 8 Oct 2026"). */
const receivedOn = (day: string) =>
  `Received: from out.example.net (out.example.net [192.0.2.66])\r\n\tby mx.mail.test (Postfix) with ESMTPS id 9Z1;\r\n\t${day} 09:30:00 -0500`;

const NO_ERROR = "We have completed our research and determined that no error occurred on your account.";

function show(asOf: string): ShowDoc {
  return json<ShowDoc>(ok(L("--json", "show", "1", "--as-of", asOf)));
}

const clock = (doc: ShowDoc, id: string) => doc.clocks.find((c) => c.id === id);

function importOne(file: string): ImportDoc["imported"][number] {
  const doc = json<ImportDoc>(ok(L("--json", "import", file)));
  const first = doc.imported[0];
  if (!first) throw new Error("nothing imported");
  return first;
}

describe("who: a stranger's reply is unverified and meets nothing until confirmed", () => {
  beforeEach(mailedNotice);

  it("a stranger's reply carrying the case tag: filed, unverified, shown with why, and no clock is met", () => {
    // Arrived Thu 2026-10-08 (inside the acknowledgment window) from noreply@evil.test.
    const file = writeEml(
      "stranger.eml",
      [
        receivedOn("Thu, 8 Oct 2026"),
        "From: Mr. Cooper Support <noreply@evil.test>",
        "To: jane@example.test",
        `Subject: Re: [${tag}] Your notice of error`,
        "Date: Thu, 8 Oct 2026 09:29:00 -0500",
        "Message-ID: <stranger-1@evil.test>",
      ],
      NO_ERROR,
    );
    const imported = importOne(file);
    expect(imported).toMatchObject({ case: 1, trust: "unverified", arrival: "received" });
    expect(imported.trustWhy).toEqual(["From noreply@evil.test is not an address or reply domain of Mr. Cooper"]);
    const n = String(imported.message);

    // On Fri 10-16 the acknowledgment (due 10-13) is late by Wed 14, Thu 15, Fri 16 = 3 business days: the
    // stranger's "no error occurred" met neither clock.
    const before = show("2026-10-16");
    expect(clock(before, "noe-ack")).toMatchObject({ status: "late", metBy: null, businessDaysLate: 3 });
    expect(clock(before, "noe-response")).toMatchObject({ status: "open", metBy: null });
    expect(before.messages.find((m) => m.id === imported.message)).toMatchObject({
      from: "noreply@evil.test",
      trust: "unverified",
      heldFromClocks: true,
    });
    const text = ok(L("show", "1", "--as-of", "2026-10-16")).stdout;
    expect(text).toContain("From:    noreply@evil.test");
    expect(text).toContain(
      `UNVERIFIED: From noreply@evil.test is not an address or reply domain of Mr. Cooper. It meets no clock until you confirm it came from the servicer: loanmail classify ${n} response --confirm`,
    );

    // due lists the held reply first and keeps alerting: --check exits 3 on the late acknowledgment.
    const due = json<{ held: { message: number; trust: string; arrivedOn: string }[]; late: number }>(
      ok(L("--json", "due", "--as-of", "2026-10-16")),
    );
    expect(due.held).toEqual([
      expect.objectContaining({ message: imported.message, trust: "unverified", arrivedOn: "2026-10-08" }),
    ]);
    expect(due.late).toBe(1);
    const dueText = L("due", "--as-of", "2026-10-16");
    expect(dueText.stdout.split("\n")[0]).toBe(
      "Replies held back from the clocks (1): check with the servicer before trusting them",
    );
    expect(dueText.stdout).toContain(`if it is the servicer's: loanmail classify ${n} response --confirm`);
    expect(L("due", "--as-of", "2026-10-16", "--check").code).toBe(3);

    // The timeline names the sender and says why it is held back.
    const timeline = ok(L("timeline", "1")).stdout;
    expect(timeline).toContain("reply received from noreply@evil.test");
    expect(timeline).toContain(
      "UNVERIFIED sender: From noreply@evil.test is not an address or reply domain of Mr. Cooper",
    );

    // The user checked with the servicer: confirmed, it meets both clocks on the day it arrived, Thu 10-08.
    const confirmed = ok(L("classify", n, "response", "--confirm"));
    expect(confirmed.stdout).toContain("You confirmed it came from the servicer (it was unverified:");
    const after = show("2026-10-16");
    expect(clock(after, "noe-ack")).toMatchObject({
      status: "met",
      metBy: { messageId: imported.message, on: "2026-10-08" },
    });
    expect(clock(after, "noe-response")).toMatchObject({
      status: "met",
      metBy: { on: "2026-10-08", class: "response" },
    });
    expect(after.events.find((e) => e.type === "classified")?.data).toEqual({
      from: "response",
      to: "response",
      confirmed: {
        trust: "unverified",
        why: ["From noreply@evil.test is not an address or reply domain of Mr. Cooper"],
      },
    });
    expect(json<{ held: unknown[] }>(ok(L("--json", "due", "--as-of", "2026-10-16"))).held).toEqual([]);
  });

  it("a reply from outside the servicer's domains that answers our Message-ID is unverified too", () => {
    const ours = show("2026-10-16").messages[0]?.messageId ?? "";
    expect(ours).toMatch(/^<LM\./);
    // A look-alike domain: servicer.test.support.test is not a subdomain of servicer.test.
    const file = writeEml(
      "lookalike.eml",
      [
        receivedOn("Fri, 9 Oct 2026"),
        "From: Customer Care <care@servicer.test.support.test>",
        "To: jane@example.test",
        "Subject: Re: your letter",
        "Date: Fri, 9 Oct 2026 09:00:00 -0500",
        "Message-ID: <reply-2@servicer.test.support.test>",
        `In-Reply-To: ${ours}`,
      ],
      "We have received your notice of error and will respond within 30 business days.",
    );
    const imported = importOne(file);
    expect(imported).toMatchObject({ case: 1, class: "acknowledgment", trust: "unverified" });
    const doc = show("2026-10-16");
    expect(clock(doc, "noe-ack")).toMatchObject({ status: "late", metBy: null });
    // The servicer's own acknowledgment, by its reply domain, meets it (arrived Mon 10-12, inside the window).
    const real = writeEml(
      "real.eml",
      [
        receivedOn("Mon, 12 Oct 2026"),
        "From: Mr. Cooper <help@servicer.test>",
        "To: jane@example.test",
        "Subject: Re: your letter",
        "Date: Mon, 12 Oct 2026 09:00:00 -0500",
        "Message-ID: <reply-3@servicer.test>",
        `In-Reply-To: ${ours}`,
      ],
      "We have received your notice of error and will respond within 30 business days.",
    );
    expect(importOne(real)).toMatchObject({ trust: "trusted", class: "acknowledgment" });
    expect(clock(show("2026-10-16"), "noe-ack")).toMatchObject({ status: "met", metBy: { on: "2026-10-12" } });
  });

  it("--confirm is refused for a trusted reply and for a letter out, changing nothing", () => {
    const real = writeEml(
      "real.eml",
      [
        receivedOn("Mon, 12 Oct 2026"),
        "From: Mr. Cooper <help@servicer.test>",
        `Subject: Re: [${tag}]`,
        "Message-ID: <reply-4@servicer.test>",
      ],
      "We have received your notice of error and will respond within 30 business days.",
    );
    const n = String(importOne(real).message);
    const before = rowCounts(home);
    const trusted = L("classify", n, "acknowledgment", "--confirm");
    expect(trusted.code).toBe(1);
    expect(trusted.stderr).toContain(`message ${n} is from help@servicer.test and nothing says it is forged`);
    expect(trusted.stderr).toContain(`loanmail classify ${n} acknowledgment`);
    const letter = L("classify", "1", "response", "--confirm");
    expect(letter.code).toBe(1);
    expect(letter.stderr).toContain("message 1 is a letter you wrote");
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("who: Authentication-Results of the user's own provider, and only those", () => {
  beforeEach(mailedNotice);

  it("a dmarc=fail copy from the servicer's domain is suspect; the same field by another authserv-id is ignored", () => {
    const forged = writeEml(
      "forged.eml",
      [
        "Authentication-Results: mx.mail.test;\r\n dkim=fail (signature did not verify) header.d=servicer.test;\r\n spf=fail smtp.mailfrom=help@servicer.test;\r\n dmarc=fail (p=REJECT) header.from=servicer.test",
        receivedOn("Thu, 8 Oct 2026"),
        "From: Mr. Cooper <help@servicer.test>",
        `Subject: Re: [${tag}] Your notice of error`,
        "Date: Thu, 8 Oct 2026 09:29:00 -0500",
        "Message-ID: <forged-1@servicer.test>",
      ],
      `${NO_ERROR} Confirm your details at https://secure.evil.test/login or www.evil.test today.`,
    );
    const suspect = importOne(forged);
    expect(suspect).toMatchObject({ case: 1, trust: "suspect" });
    // (A parenthesised comment in the field is not part of its value, RFC 8601 section 2.2.)
    expect(suspect.trustWhy).toEqual([
      "dmarc=fail in the Authentication-Results written by your provider (mx.mail.test)",
      "spf=fail in the Authentication-Results written by your provider (mx.mail.test)",
      "dkim=fail in the Authentication-Results written by your provider (mx.mail.test): header.d=servicer.test",
      "From help@servicer.test is Mr. Cooper's (address help@servicer.test)",
    ]);
    expect(clock(show("2026-10-16"), "noe-ack")).toMatchObject({ status: "late", metBy: null });

    // The same failing field, written by a server that is not the user's provider (the sender can write one).
    const other = writeEml(
      "other.eml",
      [
        "Authentication-Results: mx.evil.test; dkim=fail header.d=servicer.test; dmarc=fail header.from=servicer.test",
        receivedOn("Fri, 9 Oct 2026"),
        "From: Mr. Cooper <help@servicer.test>",
        `Subject: Re: [${tag}] Your notice of error`,
        "Date: Fri, 9 Oct 2026 09:00:00 -0500",
        "Message-ID: <genuine-1@servicer.test>",
      ],
      "We have received your notice of error and will respond within 30 business days.",
    );
    expect(importOne(other)).toMatchObject({ trust: "trusted", class: "acknowledgment" });
    // The trusted acknowledgment (Fri 10-09) meets the acknowledgment clock; the suspect "response" meets nothing.
    const doc = show("2026-10-16");
    expect(clock(doc, "noe-ack")).toMatchObject({
      status: "met",
      metBy: { on: "2026-10-09", class: "acknowledgment" },
    });
    expect(clock(doc, "noe-response")).toMatchObject({ status: "open", metBy: null });

    // The HTML timeline never makes the suspect message's links clickable: its addresses are defanged.
    const out = join(work, "timeline.html");
    ok(L("timeline", "1", "--format", "html", "--out", out));
    const html = readFileSync(out, "utf8");
    expect(html).toContain("hxxps://secure[.]evil[.]test/login");
    expect(html).toContain("www[.]evil[.]test");
    expect(html).not.toContain("secure.evil.test");
    expect(html).toContain(
      "SUSPECT sender</strong>: dmarc=fail in the Authentication-Results written by your provider",
    );
  });
});

describe("when: the day a reply reached the mailbox, never its Date header", () => {
  beforeEach(mailedNotice);

  it("a Date ten days before the arrival does not meet the acknowledgment in time, and is flagged", () => {
    // The servicer's acknowledgment reached the user's server Mon 2026-10-19 09:30 CDT; its Date header says Fri
    // 2026-10-09, inside the window. The clock is due Tue 10-13: by the arrival it is met 4 business days late
    // (Wed 14, Thu 15, Fri 16, Mon 19), and on Fri 10-16 it was still late.
    const file = writeEml(
      "backdated.eml",
      [
        receivedOn("Mon, 19 Oct 2026"),
        "From: Mr. Cooper <help@servicer.test>",
        `Subject: Re: [${tag}] Your notice of error`,
        "Date: Fri, 9 Oct 2026 09:30:00 -0500",
        "Message-ID: <backdated-1@servicer.test>",
      ],
      "We have received your notice of error and will respond within 30 business days.",
    );
    expect(importOne(file)).toMatchObject({ trust: "trusted", arrival: "received", class: "acknowledgment" });
    expect(clock(show("2026-10-16"), "noe-ack")).toMatchObject({ status: "late", metBy: null, businessDaysLate: 3 });
    const doc = show("2026-10-20");
    expect(clock(doc, "noe-ack")).toMatchObject({
      status: "met",
      metBy: { on: "2026-10-19", class: "acknowledgment" },
      businessDaysLate: 4,
    });
    expect(doc.messages[1]).toMatchObject({
      arrived: { at: "2026-10-19T14:30:00.000Z", source: "received", by: "mx.mail.test" },
      dateDiscrepancyDays: 10,
    });
    const text = ok(L("show", "1", "--as-of", "2026-10-20")).stdout;
    expect(text).toContain(
      "Arrived: Oct 19, 2026, 9:30 AM CDT (reached your server mx.mail.test, by its Received field)",
    );
    expect(text).toContain(
      "Date:    Oct 9, 2026, 9:30 AM CDT (DISCREPANCY: 10 days before it arrived; the Date header is written by the sender and decides no clock)",
    );
    expect(ok(L("timeline", "1")).stdout).toContain(
      "its Date header (2026-10-09T14:30:00.000Z) is 10 days before it arrived",
    );
  });

  it("imported today with no Received field of the user's server: it arrived today, arrival not proven", () => {
    // The same backdated Date (Fri 10-09, inside the window), and only the sender's own Received field. Its
    // arrival is the import (today, after 2026-11-30), so the acknowledgment due 10-13 stays late until today and
    // is never met "on 10-09".
    const file = writeEml(
      "today.eml",
      [
        "Received: by out.servicer.test (Postfix); Fri, 9 Oct 2026 09:30:00 -0500",
        "From: Mr. Cooper <help@servicer.test>",
        `Subject: Re: [${tag}] Your notice of error`,
        "Date: Fri, 9 Oct 2026 09:30:00 -0500",
        "Message-ID: <today-1@servicer.test>",
      ],
      "We have received your notice of error and will respond within 30 business days.",
    );
    const imported = importOne(file);
    expect(imported).toMatchObject({ trust: "trusted", arrival: "recorded" });
    expect(clock(show("2026-11-30"), "noe-ack")).toMatchObject({ status: "late", metBy: null });
    const now = clock(json<ShowDoc>(ok(L("--json", "show", "1"))), "noe-ack");
    expect(now?.status).toBe("met");
    expect(now?.metBy?.on).not.toBe("2026-10-09");
    expect(now?.businessDaysLate).toBeGreaterThan(30);
    expect(ok(L("import", file)).stdout).toContain("(already held)");
    const text = ok(L("show", "1")).stdout;
    expect(text).toContain(
      "(when loanmail recorded it; arrival not proven: no INTERNALDATE and no Received field of your server)",
    );
  });
});

describe("Message-IDs are not trusted to be unique", () => {
  beforeEach(mailedNotice);

  it("a second message with a held Message-ID and other bytes is stored as its own, flagged", () => {
    const headers = (day: string) => [
      receivedOn(day),
      "From: Mr. Cooper <help@servicer.test>",
      `Subject: Re: [${tag}] Your notice of error`,
      "Message-ID: <same-id@servicer.test>",
    ];
    const first = importOne(writeEml("a.eml", headers("Thu, 8 Oct 2026"), "We have received your notice of error."));
    const second = importOne(writeEml("b.eml", headers("Fri, 9 Oct 2026"), NO_ERROR));
    expect(first).toMatchObject({ new: true, messageIdReused: false });
    expect(second).toMatchObject({ new: true, messageIdReused: true });
    expect(second.message).not.toBe(first.message);
    const messages = show("2026-10-16").messages.filter((m) => m.direction === "in");
    expect(messages.map((m) => [m.messageId, m.messageIdReused])).toEqual([
      ["<same-id@servicer.test>", false],
      ["<same-id@servicer.test>", true],
    ]);
    expect(ok(L("show", "1", "--as-of", "2026-10-16")).stdout).toContain(
      "Message-ID reused: another message already held this Message-ID with other bytes; both are kept",
    );
  });

  it("our letter is recognised by its bytes, not by its Message-ID: a stranger's copy of the id is kept apart", () => {
    const db = new Database(join(home, "loanmail.db"), { readonly: true });
    const letter = db.prepare("SELECT raw, message_id FROM messages WHERE id = 1").get() as {
      raw: Buffer;
      message_id: string;
    };
    db.close();
    // The exact bytes, and the bytes under the trace fields a server adds: our own letter.
    const exact = join(work, "ours.eml");
    writeFileSync(exact, letter.raw);
    expect(importOne(exact)).toMatchObject({ message: 1, new: false, class: "own letter" });
    const traced = join(work, "ours-traced.eml");
    writeFileSync(
      traced,
      Buffer.concat([
        Buffer.from("Return-Path: <jane@example.test>\r\nDelivered-To: jane@example.test\r\n"),
        letter.raw,
      ]),
    );
    expect(importOne(traced)).toMatchObject({ message: 1, new: false, class: "own letter" });
    // Other bytes under our Message-ID: stored as a message of its own, flagged, and unverified (a stranger).
    const before = rowCounts(home).messages ?? 0;
    const fake = writeEml(
      "fake.eml",
      [
        receivedOn("Thu, 8 Oct 2026"),
        "From: Billing <billing@evil.test>",
        `Subject: Re: [${tag}]`,
        `Message-ID: ${letter.message_id}`,
      ],
      NO_ERROR,
    );
    const imported = importOne(fake);
    expect(imported).toMatchObject({ new: true, case: 1, trust: "unverified", messageIdReused: true });
    expect(imported.message).not.toBe(1);
    expect(rowCounts(home).messages).toBe(before + 1);
    expect(clock(show("2026-10-16"), "noe-response")).toMatchObject({ status: "open", metBy: null });
  });
});

describe("account set --authserv-id and import --verify-dkim", () => {
  it("stores the authserv-id in config.toml, refuses one that is not, and checks DKIM on request", () => {
    ({ home, L } = setupHome());
    work = tempDir("loanmail-trust-");
    addMailAccount(L, ["--authserv-id", "mx.google.com"]);
    expect(readFileSync(join(home, "config.toml"), "utf8")).toContain('authserv_id = "mx.google.com"');
    const config = readFileSync(join(home, "config.toml"), "utf8");
    const bad = L("account", "set", "--authserv-id", "mx.google.com; dkim=pass");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--authserv-id mx.google.com; dkim=pass: not an authserv-id");
    expect(readFileSync(join(home, "config.toml"), "utf8")).toBe(config);

    // A message with no DKIM signature needs no DNS lookup: the record says it had none.
    const file = writeEml(
      "unsigned.eml",
      ["From: Mr. Cooper <help@servicer.test>", "Subject: Your statement", "Message-ID: <unsigned@servicer.test>"],
      "Your statement is ready.",
    );
    const imported = json<ImportDoc>(ok(L("--json", "import", "--verify-dkim", file))).imported[0];
    expect(imported).toMatchObject({ trust: "trusted", case: null });
    expect(imported?.trustWhy).toEqual([
      "From help@servicer.test is Mr. Cooper's (address help@servicer.test)",
      "no DKIM signature",
    ]);
  });
});
