/**
 * Every foundation command, run as a script would run it: spawned with no TTY against a temporary home, checked
 * by its stdout, its --json document, its exit code and what it left in the database.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { isoDateIn } from "../../src/domain/time-zone.js";
import { verifyChains } from "../../src/store/events.js";
import { json, rowCounts, run, setupHome, tempDir, writePdf, writePng } from "./helpers.js";

const todayIn = (timeZone: string) => isoDateIn(new Date(), timeZone);

const PROOF = join(import.meta.dirname, "../../examples/proof-of-payment.pdf");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function openDb(home: string) {
  return new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
}

interface ComposeDoc {
  case: { id: number; tag: string; channel: string; formal: boolean };
  message: {
    id: number;
    subject: string;
    channel: string;
    to: string | null;
    sha256: string;
    messageId: string;
    formal: boolean;
  };
  warnings: string[];
}

describe("init", () => {
  it("says which time zone deadlines are counted in, and that it was not given when it was not", () => {
    const args = ["init", "--name", "Ann Lee", "--email", "ann@example.test", "--address", "1 Main St"];
    const given = run(["--home", join(tempDir(), "home"), ...args, "--timezone", "America/Chicago"]);
    expect(given.stdout).toContain("Deadlines are counted in America/Chicago.\n");
    const machine = run(["--home", join(tempDir(), "home"), ...args], { env: { TZ: "UTC" } });
    expect(machine.code, machine.stderr).toBe(0);
    expect(machine.stdout).toContain(
      "Deadlines are counted in UTC (not given: this machine's, or the home's; change it with loanmail init --timezone ZONE).",
    );
  });

  it("makes an owner-only home, config and database, and keeps the tag prefix on a second init", () => {
    const home = join(tempDir(), "home");
    const args = [
      "--home",
      home,
      "--json",
      "init",
      "--name",
      "Ann Lee",
      "--email",
      "ann@example.test",
      "--address",
      "1 Main St\\nTown, ST 00001",
    ];
    const first = run([...args, "--timezone", "America/New_York"]);
    expect(first.code).toBe(0);
    const doc = json<{ prefix: string; created: boolean }>(first);
    expect(doc.schema).toBe(1);
    expect(doc.created).toBe(true);
    expect(doc.prefix).toMatch(/^[A-HJ-NP-Z2-9]{4}$/);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    expect(statSync(join(home, "loanmail.db")).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, "config.toml")).mode & 0o777).toBe(0o600);
    const config = readFileSync(join(home, "config.toml"), "utf8");
    expect(config).toContain("schema = 1");
    expect(config).toContain('timezone = "America/New_York"');
    expect(config).toMatch(/address = "1 Main St\\nTown, ST 00001"/);

    const again = run(["--home", home, "--json", "init", "--phone", "555-000-1111"]);
    expect(again.code).toBe(0);
    const second = json<{ prefix: string; created: boolean; user: { phone: string; name: string } }>(again);
    expect(second.created).toBe(false);
    expect(second.prefix).toBe(doc.prefix);
    expect(second.user.phone).toBe("555-000-1111");
    expect(second.user.name).toBe("Ann Lee");
  });
});

describe("servicers, loans and kinds", () => {
  it("adds, changes and lists servicers and loans, as text and JSON", () => {
    const { L } = setupHome();
    const set = L(
      "--json",
      "servicer",
      "set",
      "Mr. Cooper",
      "--notice-email",
      "notices@servicer.test",
      "--sla-days",
      "5",
    );
    expect(set.code).toBe(0);
    const servicer = json<{ servicer: { noticeEmail: string; slaDays: number; domains: string[] } }>(set).servicer;
    expect(servicer).toMatchObject({ noticeEmail: "notices@servicer.test", slaDays: 5, domains: ["servicer.test"] });

    const list = L("servicer", "list");
    expect(list.stdout).toMatch(/Mr\. Cooper\s+help@servicer\.test\s+servicer\.test\s+email notices@servicer\.test/);

    const loanSet = L(
      "--json",
      "loan",
      "set",
      "1234567",
      "--borrower",
      "Jane Q. Doe",
      "--borrower",
      "John Doe",
      "--arm",
    );
    expect(loanSet.code).toBe(0);
    expect(json<{ loan: { borrowers: string[]; arm: boolean } }>(loanSet).loan).toMatchObject({
      borrowers: ["Jane Q. Doe", "John Doe"],
      arm: true,
    });
    const loans = json<{ loans: { accountNumber: string; servicerName: string }[] }>(L("--json", "loan", "list"));
    expect(loans.loans).toEqual([expect.objectContaining({ accountNumber: "1234567", servicerName: "Mr. Cooper" })]);
  });

  it("keeps a counselor's clients apart with --client", () => {
    const { L } = setupHome();
    expect(
      L(
        "--client",
        "Bo Client",
        "loan",
        "add",
        "--servicer",
        "Mr. Cooper",
        "--account",
        "7654321",
        "--property",
        "9 Oak Ave, Town",
        "--borrower",
        "Bo Client",
      ).code,
    ).toBe(0);
    const bo = json<{ loans: { accountNumber: string }[] }>(L("--json", "--client", "Bo Client", "loan", "list"));
    expect(bo.loans.map((l) => l.accountNumber)).toEqual(["7654321"]);
    const all = json<{ loans: unknown[] }>(L("--json", "loan", "list"));
    expect(all.loans).toHaveLength(2);
  });

  it("lists the 21 letter kinds", () => {
    const r = run(["--json", "kinds"]);
    expect(r.code).toBe(0);
    const kinds = json<{ kinds: { id: string; label: string }[] }>(r).kinds;
    expect(kinds).toHaveLength(21);
    expect(kinds.find((k) => k.id === "payment-application")?.label).toBe("Payment Clarification");
    expect(run(["kinds"]).stdout).toMatch(
      /late-fee-dispute\s+Late Fee Dispute\s+default\s+payment-date amount fee \[fee-date\] \[grace-ends\]/,
    );
  });
});

describe("compose", () => {
  let home: string;
  let L: ReturnType<typeof setupHome>["L"];
  beforeAll(() => {
    ({ home, L } = setupHome());
  });

  /**
   * Case 1 (payment-application, an error asserted under 1024.35(b)(2)) leaves and is answered before a letter
   * cites it: a follow-up or escalation request cites only a letter that left, and relied-documents needs the
   * servicer's recorded response. Both on today's date in the user's zone (the letter was composed today).
   */
  let case1Answered = false;
  function answerCase1(): void {
    if (case1Answered) return;
    const today = todayIn("America/Chicago");
    expect(L("sent", "1", "--via", "portal", "--date", today).code).toBe(0);
    const scan = writePdf(join(tempDir(), "answer.pdf"));
    expect(L("received", "1", "--date", today, "--class", "response", "--file", scan).code).toBe(0);
    case1Answered = true;
  }

  // One letter of every kind with its required fields; follow-up, escalation and relied-documents cite case 1.
  const cases: [string, string[], { channel: string; to?: string; formal?: boolean }][] = [
    ["payment-application", ["payment-date=2026-03-01", "amount=1500"], { channel: "post", formal: true }],
    ["balance-verification", ["as-of=2026-06-30"], { channel: "email" }],
    ["payment-history", ["from=2025-01-01", "to=2025-12-31"], { channel: "email" }],
    ["escrow-inquiry", ["year=2025"], { channel: "email" }],
    ["rate-adjustment", [], { channel: "email" }],
    ["late-fee-dispute", ["payment-date=2026-03-01", "amount=1500", "fee=75"], { channel: "post", formal: true }],
    ["payment-delay", ["payment-date=2026-03-01", "amount=1500", "method=online"], { channel: "post", formal: true }],
    ["partial-payment", ["amount=700"], { channel: "email" }],
    ["loss-mitigation", ["application-date=2026-05-01"], { channel: "email" }],
    ["payoff-statement", ["good-through=2026-12-31"], { channel: "email", to: "payoff@servicer.test" }],
    ["tax-form-1098", ["tax-year=2025"], { channel: "email" }],
    ["assumption", [], { channel: "email" }],
    ["successor-in-interest", ["how=death"], { channel: "post", formal: true }],
    ["notice-of-error", ["error=the March payment sits in suspense"], { channel: "post" }],
    ["information-request", ["information=the escrow disbursement ledger for 2025"], { channel: "post" }],
    ["owner-request", [], { channel: "post" }],
    ["relied-documents", ["case=1"], { channel: "post" }],
    ["insurance-proof", ["policy=HO-99812", "insurer=Acme Mutual"], { channel: "email" }],
    ["follow-up", ["case=1"], { channel: "email" }],
    ["escalation-request", ["case=1"], { channel: "email" }],
    // Signed on paper by every borrower: by post to the notice address.
    ["third-party-authorization", ["counselor=Dev Patel", "contact=555-222-3333"], { channel: "post" }],
  ];

  it.each(cases)("composes %s with its subject, details and channel", (kind, fields, expected) => {
    if (fields.includes("case=1")) answerCase1();
    const args = ["--json", "compose", kind, "--loan", "1", "--summary", `Summary for ${kind} on 2026-03-01.`];
    for (const f of fields) args.push("--set", f);
    const r = L(...args);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);
    const doc = json<ComposeDoc>(r);
    expect(doc.message.subject).toMatch(new RegExp(`^Account Number 1234567 \u2013 .+ \\[${doc.case.tag}\\]$`));
    expect(doc.message.channel).toBe(expected.channel);
    if (expected.to) expect(doc.message.to).toBe(expected.to);
    if (expected.formal) expect(doc.message.formal).toBe(true);

    const db = openDb(home);
    try {
      const row = db.prepare("SELECT raw, raw_sha256, body_text FROM messages WHERE id = ?").get(doc.message.id) as {
        raw: Buffer;
        raw_sha256: string;
        body_text: string;
      };
      // The stored hash is the hash of the stored bytes, which are CRLF MIME with our fixed Message-ID.
      expect(sha256(row.raw)).toBe(doc.message.sha256);
      expect(row.raw_sha256).toBe(doc.message.sha256);
      const raw = row.raw.toString("utf8");
      expect(raw).toContain(`Message-ID: ${doc.message.messageId}\r\n`);
      expect(raw).not.toMatch(/[^\r]\n/);
      for (const needed of [
        "Jane Q. Doe",
        "Account number: 1234567",
        "12 Elm St, Springfield, IL 62701",
        "Enclosures:",
      ]) {
        expect(row.body_text).toContain(needed);
      }
      if (kind === "notice-of-error") expect(row.body_text).toContain("12 C.F.R. 1024.35");
      if (["follow-up", "escalation-request", "relied-documents"].includes(kind)) {
        // The earlier letter by its day in words and its tag; its Message-ID stays in the record, not the prose.
        expect(row.body_text).toContain(`(reference ${doc.case.tag.replace(/-\d+$/, "-1")})`);
        expect(row.body_text).toMatch(
          /letter of [A-Z][a-z]+ \d{1,2}, \d{4} \(reference|notice of error of [A-Z][a-z]+ \d{1,2}, \d{4}/,
        );
        expect(row.body_text).not.toContain("Message-ID");
      }
    } finally {
      db.close();
    }
  });

  it("labels exhibits in order, continues the lettering in the same case, and stores each file once", () => {
    const png = writePng(join(tempDir(), "statement.png"));
    answerCase1();
    const first = json<ComposeDoc & { message: { exhibits: { fileName: string; contentType: string }[] } }>(
      L(
        "--json",
        "compose",
        "payment-delay",
        "--loan",
        "1",
        "--set",
        "payment-date=2026-04-01",
        "--set",
        "amount=1500",
        "--summary",
        "Paid April 1.",
        "--attach",
        `${PROOF}=Proof of payment 2026-04-01`,
        "--attach",
        png,
      ),
    );
    expect(first.message.exhibits.map((e) => [e.fileName, e.contentType])).toEqual([
      ["Exhibit A \u2013 Proof of payment 2026-04-01.pdf", "application/pdf"],
      ["Exhibit B \u2013 statement.png", "image/png"],
    ]);
    // The follow-up below cites this letter, so it leaves first.
    const today = todayIn("America/Chicago");
    expect(L("sent", String(first.case.id), "--via", "portal", "--date", today).code).toBe(0);
    const second = json<ComposeDoc & { message: { exhibits: { fileName: string }[] } }>(
      L(
        "--json",
        "compose",
        "follow-up",
        "--case",
        String(first.case.id),
        "--set",
        `case=${first.case.tag}`,
        "--summary",
        "No answer yet.",
        "--attach",
        `${PROOF}=Proof of payment 2026-04-01`,
      ),
    );
    expect(second.case.id).toBe(first.case.id);
    expect(second.message.subject).toContain(`[${first.case.tag}]`);
    expect(second.message.exhibits.map((e) => e.fileName)).toEqual([
      "Exhibit C \u2013 Proof of payment 2026-04-01.pdf",
    ]);
    const db = openDb(home);
    try {
      const proofSha = sha256(readFileSync(PROOF));
      expect(db.prepare("SELECT count(*) FROM blobs WHERE sha256 = ?").pluck().get(proofSha)).toBe(1);
      expect(db.prepare("SELECT count(*) FROM attachments WHERE sha256 = ?").pluck().get(proofSha)).toBe(2);
      const raw = (
        db.prepare("SELECT raw FROM messages WHERE id = ?").pluck().get(first.message.id) as Buffer
      ).toString();
      expect(raw).toContain("Exhibit A");
      expect(raw).toContain("Content-Type: application/pdf");
    } finally {
      db.close();
    }
  });

  it("goes to the designated notice email when the servicer has one, and honours --no-formal", () => {
    const { L: L2 } = setupHome();
    L2("servicer", "set", "Mr. Cooper", "--notice-email", "notices@servicer.test");
    const formal = json<ComposeDoc>(
      L2(
        "--json",
        "compose",
        "information-request",
        "--loan",
        "1",
        "--set",
        "information=the 2025 escrow ledger",
        "--summary",
        "x y z.",
      ),
    );
    expect(formal.message).toMatchObject({ channel: "notice-email", to: "notices@servicer.test" });
    expect(formal.case.formal).toBe(true);
    const informal = json<ComposeDoc>(
      L2(
        "--json",
        "compose",
        "information-request",
        "--loan",
        "1",
        "--no-formal",
        "--set",
        "information=the 2025 escrow ledger",
        "--summary",
        "x y z.",
      ),
    );
    expect(informal.message).toMatchObject({ channel: "email", to: "help@servicer.test" });
    const other = L2(
      "--json",
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--to",
      "someone@servicer.test",
      "--set",
      "error=wrong fee",
      "--summary",
      "x y z.",
    );
    expect(other.code).toBe(0);
    expect(other.stderr).toMatch(/not Mr\. Cooper's designated notice address/);
    expect(json<ComposeDoc>(other).message.channel).toBe("email");
  });

  it("warns (on stderr, not stdout) about an unprofessional tone but composes", () => {
    const r = L(
      "--json",
      "compose",
      "assumption",
      "--loan",
      "1",
      "--summary",
      "You people are incompetent. I will sue you.",
    );
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning:/);
    const doc = json<ComposeDoc>(r);
    expect(doc.warnings.length).toBeGreaterThanOrEqual(2);
  });

  it("reads the summary from --body-file", () => {
    const file = join(tempDir(), "summary.txt");
    execFileSync("sh", ["-c", `printf 'Paid on 2026-05-01.\\n' > ${file}`]);
    const r = L("--json", "compose", "assumption", "--loan", "1", "--body-file", file);
    expect(r.code).toBe(0);
  });
});

describe("edit, discard, note, call, show and the PDF", () => {
  it("edits a draft in $EDITOR, keeps the Message-ID and the old bytes, and records the event", () => {
    const { home, L } = setupHome();
    const doc = json<ComposeDoc>(
      L("--json", "compose", "assumption", "--loan", "1", "--summary", "We may sell the house."),
    );
    const r = run(["--home", home, "--json", "edit", "1"], {
      env: { EDITOR: "sed -i 's/We may sell the house./We plan to sell the house in 2027./'" },
    });
    expect(r.code).toBe(0);
    const edited = json<{ changed: boolean; fromSha256: string; toSha256: string }>(r);
    expect(edited.changed).toBe(true);
    expect(edited.fromSha256).toBe(doc.message.sha256);
    expect(edited.toSha256).not.toBe(doc.message.sha256);

    const show = json<{
      messages: { bodyText: string; messageId: string; rawSha256: string }[];
      events: { type: string; data: { previous_blob: string } }[];
    }>(L("--json", "show", "1"));
    expect(show.messages[0]?.bodyText).toContain("We plan to sell the house in 2027.");
    expect(show.messages[0]?.messageId).toBe(doc.message.messageId);
    expect(show.messages[0]?.rawSha256).toBe(edited.toSha256);
    const ev = show.events.find((e) => e.type === "edited");
    expect(ev?.data.previous_blob).toBe(doc.message.sha256);
    const db = openDb(home);
    try {
      expect(db.prepare("SELECT count(*) FROM blobs WHERE sha256 = ?").pluck().get(doc.message.sha256)).toBe(1);
    } finally {
      db.close();
    }
    // An editor that changes nothing records nothing.
    const before = rowCounts(home);
    const same = run(["--home", home, "edit", "1"], { env: { EDITOR: "true" } });
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/No changes/);
    expect(rowCounts(home)).toEqual(before);
  });

  it("discards a case but keeps its rows; notes and calls join a verifiable event chain", () => {
    const { home, L } = setupHome();
    L("compose", "assumption", "--loan", "1", "--summary", "We may sell the house.");
    expect(L("note", "1", "Called the branch; they had no record.").code).toBe(0);
    expect(
      L(
        "call",
        "1",
        "--with",
        "Agent Smith, ID 4411",
        "--summary",
        "Promised an answer in 5 days",
        "--date",
        "2026-11-02T15:30",
      ).code,
    ).toBe(0);
    const before = rowCounts(home);
    const d = L("--json", "discard", "1");
    expect(d.code).toBe(0);
    expect(json(d)).toMatchObject({ status: "discarded" });
    const after = rowCounts(home);
    expect(after.messages).toBe(before.messages);
    expect(after.events).toBe((before.events ?? 0) + 1);
    expect(json<{ cases: { status: string }[] }>(L("--json", "cases", "--status", "discarded")).cases).toHaveLength(1);
    expect(json<{ cases: unknown[] }>(L("--json", "cases", "--status", "draft")).cases).toHaveLength(0);

    const show = json<{ events: { type: string; data: Record<string, string> }[] }>(L("--json", "show", "1"));
    expect(show.events.map((e) => e.type)).toEqual(["composed", "note", "call", "discarded"]);
    expect(show.events[2]?.data).toMatchObject({ with: "Agent Smith, ID 4411", call_at: "2026-11-02T21:30:00.000Z" });
    const db = new Database(join(home, "loanmail.db"), { fileMustExist: true });
    try {
      expect(verifyChains(db)).toMatchObject({ ok: true });
    } finally {
      db.close();
    }
  });

  it("writes a printable PDF of a post letter that pdftoppm renders, and records mailing and delivery", () => {
    const { home, L } = setupHome();
    // Written on Fri 2026-10-30 (recorded later with --dated), mailed Mon 11-02, delivered Thu 11-05.
    L(
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--dated",
      "2026-10-30",
      "--set",
      "error=the March payment sits in suspense",
      "--summary",
      "Paid 2026-03-01.",
      "--attach",
      `${PROOF}=Proof of payment`,
    );
    const pdf = join(tempDir(), "letter.pdf");
    const r = L("show", "1", "--pdf", pdf);
    expect(r.code).toBe(0);
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text).toContain("Account Number 1234567 \u2013 Notice of Error");
    expect(text).toContain("PO Box 619098");
    expect(text).toContain("Exhibit A \u2013 Proof of payment.pdf");
    expect(text).toContain("VIA CERTIFIED MAIL");
    // The letter is dated the day it was written, as a letter writes it.
    expect(text).toContain("October 30, 2026");
    const prefix = join(tempDir(), "page");
    execFileSync("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "1", pdf, prefix]);
    const png = readFileSync(`${prefix}-1.png`);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeGreaterThan(2000);

    const mailed = L("--json", "mailed", "1", "--tracking", "9407111899223197428490", "--date", "2026-11-02");
    expect(mailed.code).toBe(0);
    expect(json(mailed)).toMatchObject({ mailedOn: "2026-11-02", deliveredOn: null });
    expect(L("--json", "mailed", "1", "--delivered", "2026-11-05").code).toBe(0);
    const show = json<{ case: { status: string }; messages: { state: string }[]; events: { type: string }[] }>(
      L("--json", "show", "1"),
    );
    expect(show.case.status).toBe("open");
    expect(show.messages[0]?.state).toBe("sent");
    // The printing is part of the record: the PDF mailed is the one kept (test/cli/letter-proof.test.ts).
    expect(show.events.map((e) => e.type)).toEqual(["composed", "printed", "mailed", "delivered"]);
    // A sent letter can no longer be edited or discarded.
    expect(run(["--home", home, "edit", "1"], { env: { EDITOR: "true" } }).code).toBe(1);
    expect(L("discard", "1").code).toBe(1);
  });
});

describe("backup", () => {
  it("writes an owner-only, consistent copy of the database with every row", () => {
    const { home, L } = setupHome();
    L("compose", "assumption", "--loan", "1", "--summary", "We may sell the house.");
    const out = join(tempDir(), "copy.db");
    const r = L("--json", "backup", "--out", out);
    expect(r.code).toBe(0);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    const copy = new Database(out, { readonly: true });
    try {
      expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(copy.prepare("SELECT count(*) FROM messages").pluck().get()).toBe(rowCounts(home).messages);
      expect(verifyChains(copy)).toMatchObject({ ok: true });
    } finally {
      copy.close();
    }
    expect(L("backup").code).toBe(1);
    const nowhere = L("backup", "--out", join(tempDir(), "missing", "copy.db"));
    expect(nowhere.code).toBe(1);
    expect(nowhere.stderr).toMatch(/does not exist/);
    expect(nowhere.stderr).not.toMatch(/internal error/);
  });
});

describe("cases gives days in the user's time zone", () => {
  it("a case opened at 10:30 PM in Chicago (03:30 UTC the next day) is opened that evening's day", () => {
    const { home, L } = setupHome(); // timezone America/Chicago
    const r = L("compose", "balance-verification", "--loan", "1", "--summary", "Please confirm my balance.");
    expect(r.code, r.stderr).toBe(0);
    const db = new Database(join(home, "loanmail.db"));
    try {
      // 2026-10-02T03:30Z is Thu 2026-10-01, 10:30 PM CDT.
      db.prepare("UPDATE cases SET opened_at = '2026-10-02T03:30:00.000Z'").run();
    } finally {
      db.close();
    }
    const table = L("cases").stdout;
    expect(table).toMatch(/ 2026-10-01\s*$/m);
    expect(table).not.toContain("2026-10-02");
  });
});
