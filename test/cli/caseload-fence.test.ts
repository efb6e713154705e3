/**
 * A counselor's caseload through the CLI (issue 12, "Fenced by client"): two households at the same servicer in
 * one home. Fenced to one (`--client` or LOANMAIL_CLIENT), every command sees and touches only that household's
 * records: nothing of the other (names, account numbers, property addresses, message subjects and bodies, exhibit
 * file names) appears in its output or in the files it writes, and the other's ids are "not found for client"
 * (exit 1, NOT_FOUND_FOR_CLIENT) with the database unchanged. Without a fence, a command on one record says whose
 * it is, and every listing names each row's client. Replies of both households arriving in one mailbox are filed
 * to the right household's case (by thread, by case tag, by account number).
 *
 * The letters are written (--dated) 2026-09-30, mailed Thu 2026-10-01 and delivered Mon 2026-10-05: each notice of
 * error's acknowledgment is due 5 business days after delivery (12 C.F.R. 1024.35(d)): Tue 10-06, Wed 10-07,
 * Thu 10-08, Fri 10-09, (Mon 10-12 is Columbus Day, skipped), Tue 10-13.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, run, tempDir, writePdf } from "./helpers.js";

const A = "Nguyen household";
const B = "Johnson household";

/** Everything of household B that must never show under A's fence. */
const B_SECRETS = [
  "Johnson",
  "Marcus",
  "5550002222",
  "9 Birch Ct",
  "johnson-statement",
  "johnson-authorization",
  "JOHNSON-BODY-MARKER",
  "JOHNSON-NOTE-MARKER",
  "Escrow refund for the Birch",
];

type L = (...args: string[]) => RunResult;

let home: string;
let work: string;
let L: L;
/** Household A's fenced run. */
let LA: L;
let tagA: string;
let tagB: string;
/** Message numbers: B's reply, the unfiled message. */
let replyB: number;
let unfiled: number;

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** No secret of B in `text`, nor B's case tag (as a whole tag: LM-XXXX-2 is not LM-XXXX-21). */
function expectNothingOfB(text: string, what: string, typed: readonly string[] = []): void {
  // A refusal repeats the reference the user typed (a tag, an account number), and says nothing more of it.
  for (const secret of B_SECRETS.filter((x) => !typed.some((t) => t.includes(x)))) {
    if (text.includes(secret)) throw new Error(`${what} shows "${secret}" of ${B}:\n${text}`);
  }
  if (!typed.includes(tagB)) expect(new RegExp(`${tagB}(?!\\d)`).test(text), `${what} shows ${tagB}`).toBe(false);
}

function writeEml(name: string, headers: readonly string[], body: string): string {
  const file = join(work, name);
  writeFileSync(
    file,
    [
      "Received: from out.servicer.test (out.servicer.test [192.0.2.25])\r\n\tby mx.mail.test (Postfix) with ESMTPS id 4Q7;\r\n\tThu, 08 Oct 2026 10:00:09 -0500",
      "From: Mr. Cooper <help@servicer.test>",
      "To: pat@agency.test",
      "Date: Thu, 08 Oct 2026 10:00:00 -0500",
      ...headers,
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
      "",
    ].join("\r\n"),
  );
  return file;
}

/** A plain home (its user is the counselor), one servicer, a loan for each household (loans 1 and 2). */
function twoHouseholds(): void {
  home = join(tempDir(), "home");
  work = tempDir("loanmail-fence-");
  L = (...args) => run(["--home", home, ...args]);
  LA = (...args) => run(["--home", home, "--client", A, ...args]);
  ok(
    L(
      "init",
      "--name",
      "Pat Counselor",
      "--email",
      "pat@agency.test",
      "--address",
      "1 Main St\\nSpringfield, IL 62701",
      "--timezone",
      "America/Chicago",
    ),
  );
  ok(
    L(
      "servicer",
      "add",
      "Mr. Cooper",
      "--domain",
      "servicer.test",
      "--email",
      "help@servicer.test",
      "--notice-address",
      "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261",
    ),
  );
  const loan = (client: string, account: string, property: string, borrower: string) =>
    ok(
      L(
        "--client",
        client,
        "loan",
        "add",
        "--servicer",
        "Mr. Cooper",
        "--account",
        account,
        "--property",
        property,
        "--borrower",
        borrower,
      ),
    );
  loan(A, "5550001111", "41 Maple Ave, Springfield, IL 62704", "Linh Nguyen");
  loan(B, "5550002222", "9 Birch Ct, Springfield, IL 62711", "Marcus Johnson");
  ok(
    L(
      "account",
      "set",
      "--email",
      "pat@agency.test",
      "--smtp-host",
      "smtp.mail.test",
      "--smtp-port",
      "587",
      "--smtp-security",
      "starttls",
      "--imap-host",
      "imap.mail.test",
      "--imap-port",
      "993",
      "--imap-security",
      "tls",
      "--password-env",
      "LOANMAIL_TEST_PASSWORD",
    ),
  );
}

/** A notice of error on `loan`, written 09-30, mailed 10-01 and delivered 10-05; returns the case's tag and letter. */
function mailedNotice(loan: string, exhibit: string, tracking: string): { tag: string; messageId: string } {
  const composed = json<{ case: { id: number; tag: string }; message: { messageId: string } }>(
    ok(
      L(
        "--json",
        "compose",
        "notice-of-error",
        "--loan",
        loan,
        "--dated",
        "2026-09-30",
        "--set",
        "error=the March 2026 payment of $1,500 was put in suspense",
        "--summary",
        "On 2026-03-01 a payment of $1,500.00 was made online; it sits in suspense.",
        "--attach",
        writePdf(join(work, exhibit)),
      ),
    ),
  );
  const id = String(composed.case.id);
  ok(L("mailed", id, "--tracking", tracking, "--date", "2026-10-01", "--delivered", "2026-10-05"));
  return { tag: composed.case.tag, messageId: composed.message.messageId };
}

interface ImportDoc {
  imported: { message: number; case: number | null }[];
}

function importOne(file: string): ImportDoc["imported"][number] {
  const first = json<ImportDoc>(ok(L("--json", "import", file))).imported[0];
  if (!first) throw new Error("nothing imported");
  return first;
}

describe("fenced by client: every command sees and touches only that household's records", () => {
  beforeAll(() => {
    twoHouseholds();
    // Case 1 is A's, case 2 is B's: both mailed to the designated address.
    tagA = mailedNotice("1", "nguyen-receipt.pdf", "9407111899560000000011").tag;
    tagB = mailedNotice("2", "johnson-statement.pdf", "9407111899560000000022").tag;
    // B's reply (by its case tag), and a message that threads to no case (no tag, no account number).
    replyB = importOne(
      writeEml(
        "johnson-reply.eml",
        [`Subject: Escrow refund for the Birch property [${tagB}]`, "Message-ID: <r-b@servicer.test>"],
        "JOHNSON-BODY-MARKER: we received your notice of error and will respond within 30 business days.",
      ),
    ).message;
    unfiled = importOne(
      writeEml(
        "shared.eml",
        ["Subject: UNFILED-SHARED-MARKER statement notice", "Message-ID: <u-1@servicer.test>"],
        "Your statement is available online.",
      ),
    ).message;
    ok(L("note", "2", "JOHNSON-NOTE-MARKER the borrower called about escrow"));
    ok(L("call", "2", "--with", "Agent 7", "--summary", "Johnson escrow question", "--date", "2026-10-02"));
    const auth = (loan: string, file: string) =>
      ok(
        L(
          "authorization",
          "add",
          "--loan",
          loan,
          "--file",
          writePdf(join(work, file)),
          "--authorized",
          "Springfield Housing Counseling",
          "--signed-on",
          "2026-09-20",
          "--expires-on",
          "2027-09-20",
        ),
      );
    auth("1", "nguyen-authorization.pdf");
    auth("2", "johnson-authorization.pdf");
    // A's draft (case 3), for show --pdf, edit, discard --letter and send.
    ok(
      L(
        "compose",
        "information-request",
        "--loan",
        "1",
        "--dated",
        "2026-09-30",
        "--set",
        "information=the escrow analysis of 2026",
        "--summary",
        "Please send the 2026 escrow analysis.",
      ),
    );
  });

  it("B's records are in the home, and shown unfenced with whose they are", () => {
    // Without a fence every client is reachable, and a command on one record says whose it is.
    const shown = ok(L("show", "2"));
    expect(shown.stdout).toContain("9 Birch Ct");
    expect(shown.stderr).toContain(`client: ${B}`);
    expect(json(ok(L("--json", "show", "2")))).toMatchObject({ client: B });
    expect(json(ok(L("--json", "show-message", String(replyB))))).toMatchObject({ client: B });
    // An unfiled message belongs to no client: nothing is said.
    expect(ok(L("show-message", String(unfiled))).stderr).not.toContain("client:");
  });

  it("every command fenced to A shows nothing of B, in its output and in the files it writes", {
    timeout: 300_000,
  }, () => {
    const out = (name: string) => join(work, name);
    const texts: [string, RunResult][] = [];
    const fenced = (...args: string[]) => {
      const r = LA(...args);
      texts.push([args.join(" "), r]);
      return r;
    };
    const okA = (...args: string[]) => ok(fenced(...args));
    // Unfiled mail belongs to no client: a fenced listing holds none (it is filed into A's case below).
    expect(okA("cases").stdout).not.toContain("UNFILED-SHARED-MARKER");
    expect(okA("--json", "cases").stdout).not.toContain("UNFILED-SHARED-MARKER");
    expect(ok(L("cases")).stdout).toContain("UNFILED-SHARED-MARKER");
    okA("show", "1");
    okA("--json", "show", "1");
    okA("show", "3", "--pdf", out("a-draft.pdf"));
    okA("timeline", "1");
    okA("timeline", "--all");
    for (const format of ["json", "csv", "html"]) {
      okA("timeline", "--all", "--format", format);
      okA("timeline", "--all", "--format", format, "--out", out(`a-timeline.${format}`));
    }
    okA("export", "1", "--out", out("a.zip"));
    okA("verify", out("a.zip"));
    // Against the database, fenced: the bundle is checked, and the database walk (every client's records) is named
    // as not run, never passed over in silence with "Everything matches".
    const fencedDb = okA("verify", out("a.zip"), "--db").stdout;
    expect(fencedDb).toContain("NOT CHECKED  the database walk (verify --db)");
    expect(fencedDb).not.toContain("Everything matches.");
    expect(fencedDb).toMatch(/ok +chain of LM-[A-Z0-9]{4}-1 in the database/);
    // B's bundle, verified under A's fence: its own files are checked, B's records in the database are not read.
    ok(L("export", "2", "--out", join(work, "b-bundle.zip")));
    const other = ok(LA("verify", join(work, "b-bundle.zip"), "--db")).stdout;
    expect(other).toMatch(/NOT CHECKED +chain of LM-[A-Z0-9]{4}-2 in the database: not a record of the client/);
    expect(other).not.toMatch(/ok +chain of LM-[A-Z0-9]{4}-2 in the database/);
    okA("due", "--as-of", "2026-12-01");
    okA("--json", "due", "--as-of", "2026-12-01");
    okA("stats", "--as-of", "2026-12-01");
    // The agency's outcome report, fenced, is the household's own (it listed every household before).
    for (const format of ["text", "csv", "json"])
      okA("report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31", "--format", format);
    okA("--json", "stats", "--as-of", "2026-12-01");
    okA("calendar", "--out", out("a.ics"), "--as-of", "2026-10-06");
    okA("loan", "list");
    okA("--json", "loan", "list");
    okA("authorization", "list");
    okA("--json", "authorization", "list");
    okA("authorization", "submitted", "1", "--date", "2026-09-21");
    okA("servicer", "list");
    okA("deadline", "notice-of-error", "--received", "2026-10-05");
    okA("loan", "set", "1", "--arm");
    okA("loan", "set", "5550001111", "--no-arm");
    okA("compose", "information-request", "--case", "3", "--set", "information=the payoff", "--summary", "Payoff.");
    okA("edit", "3", "--letter", "6", "--attach", writePdf(out("nguyen-more.pdf")));
    okA("--yes", "discard", "3", "--letter", "6");
    okA("note", "1", "A note about the Maple Ave escrow");
    okA("call", "1", "--with", "Agent 9", "--summary", "Asked about the refund", "--date", "2026-10-02");
    okA("compose", "loss-mitigation", "--case", "1", "--summary", "Please evaluate the household.");
    okA("event", "1", "application-complete", "--date", "2026-10-06");
    okA("filed", "1", "--cfpb-id", "261006-000001", "--date", "2026-10-20");
    const received = json<{ message: number }>(
      okA(
        "--json",
        "received",
        "1",
        "--date",
        "2026-10-09",
        "--via",
        "fax",
        "--file",
        writePdf(out("nguyen-scan.pdf")),
      ),
    );
    okA("show-message", String(received.message));
    okA("classify", String(received.message), "--explain");
    okA("classify", String(received.message), "response");
    okA("show-message", "1");
    okA("file", String(unfiled), "1");
    okA("classify", String(unfiled), "other");
    okA("resolve", "1", "--unresolved");
    okA("escalate", "1", "--as-of", "2026-12-01");
    okA("sent", "3", "--via", "portal", "--date", "2026-10-02");
    okA("mailed", "1", "--green-card", writePdf(out("nguyen-green-card.pdf")));
    // send has nothing to send by email here (the letters went by post and portal): refused, with nothing of B.
    expect(fenced("send", "3").code).toBe(1);
    // The commands that read or copy every household's records at once refuse a fence.
    for (const args of [
      ["sync"],
      ["import", out("shared.eml")],
      ["backup", "--out", out("b.db")],
      ["verify", "--db"],
    ]) {
      const r = fenced("--json", ...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(JSON.parse(r.stderr).error.code).toBe("FENCE_NOT_APPLICABLE");
    }
    for (const [what, r] of texts) expectNothingOfB(r.stdout + r.stderr, `loanmail --client "${A}" ${what}`);
    // Every file written under the fence, and every entry of the bundle.
    for (const name of readdirSync(work).filter((f) => f.startsWith("a"))) {
      expectNothingOfB(readFileSync(join(work, name), "latin1"), name);
    }
    const unzipped = join(work, "unzipped");
    execFileSync("unzip", ["-q", "-o", out("a.zip"), "-d", unzipped]);
    const entries = execFileSync("unzip", ["-Z1", out("a.zip")], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(entries.length).toBeGreaterThan(5);
    expect(entries.some((e) => e.includes("nguyen-receipt"))).toBe(true);
    for (const entry of entries.filter((e) => !e.endsWith("/"))) {
      expectNothingOfB(entry, `a.zip entry name ${entry}`);
      expectNothingOfB(readFileSync(join(unzipped, entry), "latin1"), `a.zip ${entry}`);
    }
    // What A saw is A's: the listings hold A's rows and no unfiled mail.
    const cases = json<{ cases: { id: number; client: string }[]; unfiled: unknown[] }>(ok(LA("--json", "cases")));
    expect(cases.cases.map((c) => [c.id, c.client])).toEqual([
      [3, A],
      [1, A],
    ]);
    expect(cases.unfiled).toEqual([]);
    // LOANMAIL_CLIENT fences as --client does.
    const env = run(["--home", home, "--json", "loan", "list"], { env: { LOANMAIL_CLIENT: A } });
    expect(json<{ loans: { id: number }[] }>(ok(env)).loans.map((l) => l.id)).toEqual([1]);
  });

  it("B's ids under A's fence: not found for client A, exit 1, and nothing written", { timeout: 180_000 }, () => {
    const pdf = writePdf(join(work, "x.pdf"));
    const refusals: string[][] = [
      ["show", "2"],
      ["show", tagB],
      ["show", "2", "--pdf", join(work, "x-out.pdf")],
      ["export", "2", "--out", join(work, "x.zip")],
      ["timeline", "2"],
      ["compose", "information-request", "--loan", "2", "--set", "information=x", "--summary", "x"],
      ["compose", "information-request", "--loan", "5550002222", "--set", "information=x", "--summary", "x"],
      ["compose", "information-request", "--case", "2", "--set", "information=x", "--summary", "x"],
      ["compose", "follow-up", "--loan", "1", "--set", "case=2", "--summary", "x"],
      ["edit", "2", "--attach", pdf],
      ["--yes", "discard", "2"],
      ["send", "2"],
      ["sent", "2", "--via", "portal", "--date", "2026-10-02"],
      ["mailed", "2", "--tracking", "9407111899560000000099", "--date", "2026-10-02"],
      ["note", "2", "x"],
      ["call", "2", "--with", "x", "--summary", "y"],
      ["event", "2", "denied", "--date", "2026-10-06"],
      ["filed", "2", "--cfpb-id", "261006-000002", "--date", "2026-10-20"],
      ["resolve", "2"],
      ["escalate", "2"],
      ["received", "2", "--date", "2026-10-09", "--via", "portal"],
      ["show-message", String(replyB)],
      ["classify", String(replyB), "response"],
      ["classify", String(replyB), "--explain"],
      ["file", String(replyB), "1"],
      ["loan", "set", "2", "--arm"],
      ["loan", "set", "5550002222", "--arm"],
      ["loan", "transfer", "2", "--to", "Mr. Cooper", "--account", "7777777", "--date", "2026-10-01"],
      ["authorization", "add", "--loan", "2", "--file", pdf, "--authorized", "X", "--signed-on", "2026-09-20"],
      ["authorization", "submitted", "2", "--date", "2026-09-21"],
      ["client", "close", B],
      ["client", "reopen", B],
      ["client", "purge", B, "--force", "--reason", "x", "--out", join(work, "purged.zip")],
    ];
    const before = rowCounts(home);
    for (const args of refusals) {
      const r = LA("--json", ...args);
      const what = args.join(" ");
      expect(r.code, what).toBe(1);
      expect(r.stdout, what).toBe("");
      const error = JSON.parse(r.stderr).error as { code: string; message: string };
      expect(error.code, `${what}: ${error.message}`).toBe("NOT_FOUND_FOR_CLIENT");
      expect(error.message).toMatch(new RegExp(`not found for client "${A}"$`));
      expectNothingOfB(r.stderr, what, args);
    }
    expect(rowCounts(home)).toEqual(before);
    // The text says it the same way.
    const text = LA("show", "2");
    expect(text.stderr).toContain(`loanmail: error: case 2 not found for client "${A}"`);
  });

  it("an id no record has reads under A's fence as one of another client does: nothing to probe", () => {
    for (const args of [
      ["show", "99"],
      ["show-message", "9999"],
      ["loan", "set", "9999999", "--arm"],
      ["authorization", "submitted", "99", "--date", "2026-09-21"],
      ["compose", "follow-up", "--loan", "1", "--set", "case=99", "--summary", "x"],
    ]) {
      const r = LA("--json", ...args);
      const error = JSON.parse(r.stderr).error as { code: string; message: string };
      expect(r.code, args.join(" ")).toBe(1);
      expect(error.code, `${args.join(" ")}: ${error.message}`).toBe("NOT_FOUND_FOR_CLIENT");
    }
    // Unfenced, the lookup says what it found: nothing.
    expect(JSON.parse(L("--json", "show", "99").stderr).error.code).toBe("CASE_NOT_FOUND");
  });

  it("the agency log under A's fence holds only A's entries; a fence is never lost or switched by --client", () => {
    ok(L("client", "close", B, "--on", "2026-10-30", "--reason", "JOHNSON-CLOSE-MARKER"));
    try {
      const log = LA("--json", "client", "log");
      expect(log.code).toBe(0);
      expect(JSON.parse(log.stdout).entries).toEqual([]);
      expectNothingOfB(log.stdout, "client log", ["client", "log"]);
      expect(ok(L("client", "log")).stdout).toContain("JOHNSON-CLOSE-MARKER");
    } finally {
      ok(L("client", "reopen", B));
    }
    const before = rowCounts(home);
    // An empty --client (a script's "$C" unset) would reach every client; two different ones switch the fence.
    const usage: [string[], string][] = [
      [["--client", "", "cases"], "EMPTY_VALUE"],
      [["--client=", "cases"], "EMPTY_VALUE"],
      [["--client", A, "--client", B, "cases"], "CONFLICTING_OPTIONS"],
      [["--client", A, "export", "--client", B, "--out", join(work, "b.zip")], "CONFLICTING_OPTIONS"],
    ];
    for (const [args, code] of usage) {
      const r = run(["--home", home, "--json", ...args]);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(JSON.parse(r.stderr).error.code, args.join(" ")).toBe(code);
    }
    expect(rowCounts(home)).toEqual(before);
    // The same client twice is one fence.
    expect(run(["--home", home, "--client", A, "--client", A, "cases"]).code).toBe(0);
    // init sets up the whole home (its user signs every export): no fence applies.
    const init = LA("--json", "init", "--name", "Someone Else");
    expect(init.code).toBe(1);
    expect(JSON.parse(init.stderr).error.code).toBe("FENCE_NOT_APPLICABLE");
    expect(rowCounts(home)).toEqual(before);
    // A fenced report's totals are the household's, not the agency's.
    const report = ok(LA("report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31")).stdout;
    expect(report).toContain(`Totals of ${A} (HUD-9902 outcome categories):`);
    expect(report).not.toContain("Agency totals");
    // A new draft of A's: counted as a draft, apart from the open cases (as cases shows them).
    ok(
      LA(
        "compose",
        "information-request",
        "--loan",
        "1",
        "--set",
        "information=the 2025 escrow analysis",
        "--summary",
        "x",
      ),
    );
    const mine = json<{ cases: { status: string }[] }>(ok(LA("--json", "cases"))).cases;
    const open = mine.filter((c) => c.status === "open" || c.status === "unresolved").length;
    const drafts = mine.filter((c) => c.status === "draft").length;
    expect(drafts).toBeGreaterThan(0);
    expect(ok(LA("client", "list")).stdout).toMatch(new RegExp(`${open} open, ${drafts} draft / \\d+`));
  });
});

describe("whose is it: listings name each row's client without a fence", () => {
  it("cases, due, loan list, authorization list, stats, calendar and timelines carry the client", {
    timeout: 180_000,
  }, () => {
    twoHouseholds();
    tagA = mailedNotice("1", "nguyen-receipt.pdf", "9407111899560000000011").tag;
    tagB = mailedNotice("2", "johnson-statement.pdf", "9407111899560000000022").tag;
    ok(
      L(
        "authorization",
        "add",
        "--loan",
        "2",
        "--file",
        writePdf(join(work, "johnson-authorization.pdf")),
        "--authorized",
        "Springfield Housing Counseling",
        "--signed-on",
        "2026-09-20",
        "--expires-on",
        "2026-10-30",
      ),
    );
    const header = (text: string) => text.split("\n")[0] ?? "";
    expect(header(ok(L("cases")).stdout)).toMatch(/^CASE\s+CLIENT\s+TAG/);
    expect(ok(L("cases")).stdout).toMatch(new RegExp(`2\\s+${B}\\s+${tagB}`));
    expect(json<{ cases: { client: string }[] }>(ok(L("--json", "cases"))).cases.map((c) => c.client)).toEqual([B, A]);
    expect(header(ok(L("loan", "list")).stdout)).toMatch(/^ID\s+CLIENT\s+ACCOUNT/);
    expect(json<{ loans: { client: string }[] }>(ok(L("--json", "loan", "list"))).loans.map((l) => l.client)).toEqual([
      A,
      B,
    ]);
    const auths = ok(L("authorization", "list")).stdout;
    expect(header(auths)).toMatch(/^ID\s+CLIENT\s+LOAN\s+ACCOUNT/);
    expect(json(ok(L("--json", "authorization", "list")))).toMatchObject({
      authorizations: [{ id: 1, client: B, loan: 2 }],
    });
    // Tue 10-06: the acknowledgments are open (due Tue 10-13, 5 business days after Mon 10-05 delivery with
    // Columbus Day Mon 10-12 skipped: 10-06, 07, 08, 09, 13); the authorization expires 10-30.
    const due = ok(L("due", "--as-of", "2026-10-06")).stdout;
    expect(header(due)).toMatch(/^DUE\s+DAYS LEFT\s+CLIENT\s+CASE\s+CLOCK/);
    // DAYS LEFT from 10-06: 7 to 10-13, 24 to 10-30.
    expect(due).toMatch(new RegExp(`2026-10-13\\s+7\\s+${A}\\s+${tagA}\\s+Notice of error: acknowledgment`));
    expect(due).toMatch(new RegExp(`2026-10-30\\s+24\\s+${B}\\s+authorization 1\\s+YOU: Renew`));
    const dueDoc = json<{ clocks: Record<string, unknown>[] }>(ok(L("--json", "due", "--as-of", "2026-10-06")));
    expect(dueDoc.clocks).toContainEqual(
      expect.objectContaining({ case: null, client: B, loan: 2, authorization: 1, dueLenient: "2026-10-30" }),
    );
    expect(dueDoc.clocks).toContainEqual(
      expect.objectContaining({ case: tagA, client: A, loan: 1, id: "noe-ack", dueLenient: "2026-10-13" }),
    );
    // Fri 10-02, before the delivery of Mon 10-05: both letters wait for it, each named with its client. Mailed
    // Thu 10-01, usually delivered 1 to 5 business days later: Fri 10-02 to Thu 10-08.
    const waiting = ok(L("due", "--as-of", "2026-10-02")).stdout;
    for (const [tag, client] of [
      [tagA, A],
      [tagB, B],
    ])
      expect(waiting).toContain(`  ${tag} (${client})  mailed 2026-10-01, usually delivered 2026-10-02 to 2026-10-08:`);
    const stats = json<{ rows: { client: string; servicer: string; letters: number }[] }>(
      ok(L("--json", "stats", "--as-of", "2026-10-06")),
    ).rows;
    expect(stats.map((r) => [r.client, r.servicer, r.letters])).toEqual([
      [B, "Mr. Cooper", 1],
      [A, "Mr. Cooper", 1],
    ]);
    expect(ok(L("stats", "--as-of", "2026-10-06")).stdout).toContain(`${B} · Mr. Cooper · notice-of-error`);
    ok(L("calendar", "--out", join(work, "all.ics"), "--as-of", "2026-10-06"));
    const ics = readFileSync(join(work, "all.ics"), "utf8").replace(/\r\n[ \t]/g, "");
    expect(ics).toContain(`Client: ${A}`);
    expect(ics).toContain(`Client: ${B}`);
    // Timelines in every format.
    expect(ok(L("timeline", "--all")).stdout).toContain(`client ${B}`);
    const tl = json<{ cases: { tag: string; client: string }[] }>(ok(L("timeline", "--all", "--format", "json")));
    expect(tl.cases.map((c) => [c.tag, c.client])).toEqual([
      [tagA, A],
      [tagB, B],
    ]);
    const csv = ok(L("timeline", "--all", "--format", "csv")).stdout.split("\r\n");
    expect(csv[0]?.endsWith(",event hash,client,servicer")).toBe(true);
    expect(csv.filter((l) => l.startsWith(tagB)).every((l) => l.endsWith(`,${B},Mr. Cooper`))).toBe(true);
    const html = ok(L("timeline", "--all", "--format", "html")).stdout;
    expect(html).toContain(`Client(s): ${A}; ${B}.`);
    expect(html).toContain(`Client ${B}; status open`);
    // A home of one client lists no CLIENT column, and says no client on stderr.
    const single = join(tempDir(), "home");
    const S = (...args: string[]) => run(["--home", single, ...args]);
    ok(S("init", "--name", "Jane Q. Doe", "--email", "jane@example.test", "--address", "12 Elm St\\nSpringfield, IL"));
    ok(S("servicer", "add", "Mr. Cooper", "--domain", "servicer.test", "--email", "help@servicer.test"));
    ok(
      S(
        "loan",
        "add",
        "--servicer",
        "Mr. Cooper",
        "--account",
        "1234567",
        "--property",
        "12 Elm St",
        "--borrower",
        "Jane",
      ),
    );
    expect(header(ok(S("loan", "list")).stdout)).toMatch(/^ID\s+ACCOUNT/);
    expect(ok(S("loan", "set", "1", "--arm")).stderr).not.toContain("client:");
    expect(json(ok(S("--json", "loan", "set", "1", "--no-arm")))).toMatchObject({ client: "Jane Q. Doe" });
  });
});

describe("one shared mailbox: each household's reply is filed to its own case", () => {
  it("by In-Reply-To, by the case tag in the subject, and by the account number in the body", {
    timeout: 180_000,
  }, () => {
    twoHouseholds();
    const a = mailedNotice("1", "nguyen-receipt.pdf", "9407111899560000000011");
    const b = mailedNotice("2", "johnson-statement.pdf", "9407111899560000000022");
    tagA = a.tag;
    tagB = b.tag;
    const threaded = importOne(
      writeEml(
        "threaded.eml",
        ["Subject: Re: your letter", "Message-ID: <t-1@servicer.test>", `In-Reply-To: ${a.messageId}`],
        "We received your notice of error and will respond within 30 business days.",
      ),
    );
    const tagged = importOne(
      writeEml(
        "tagged.eml",
        [`Subject: Your correspondence [${tagB}]`, "Message-ID: <t-2@servicer.test>"],
        "We received your notice of error and will respond within 30 business days.",
      ),
    );
    const byAccount = importOne(
      writeEml(
        "account.eml",
        ["Subject: Your correspondence", "Message-ID: <t-3@servicer.test>"],
        "Regarding loan number 5550001111: we received your notice of error and will respond within 30 business days.",
      ),
    );
    expect([threaded.case, tagged.case, byAccount.case]).toEqual([1, 2, 1]);
    // Each household sees its own replies, and not the other's.
    const messages = (client: string, id: string) =>
      json<{ messages: { id: number; direction: string }[] }>(ok(L("--client", client, "--json", "show", id)))
        .messages.filter((m) => m.direction === "in")
        .map((m) => m.id);
    expect(messages(A, "1")).toEqual([threaded.message, byAccount.message]);
    expect(messages(B, "2")).toEqual([tagged.message]);
    expect(L("--client", B, "--json", "show-message", String(threaded.message)).code).toBe(1);
  });
});

describe("mail naming two households' accounts belongs to no one household", () => {
  it("is not filed into one household's case under its fence (nothing of the other shown); unfenced, it may be", {
    timeout: 120_000,
  }, () => {
    twoHouseholds();
    mailedNotice("1", "nguyen-receipt.pdf", "9407111899560000000011");
    const both = importOne(
      writeEml(
        "both.eml",
        ["Subject: Escrow statements", "Message-ID: <both@servicer.test>"],
        "The escrow statements of accounts 5550001111 and 5550002222 are ready.",
      ),
    ).message;
    const caseOf = () =>
      json<{ message: { caseId: number | null } }>(ok(L("--json", "show-message", String(both)))).message.caseId;
    expect(caseOf(), "two households' accounts: filed to neither").toBeNull();
    const r = LA("--json", "file", String(both), "1");
    expect(r.code).toBe(1);
    const error = (JSON.parse(r.stderr) as { error: { code: string; message: string } }).error;
    expect(error.code).toBe("MESSAGE_NAMES_OTHER_CLIENT");
    expect(error.message).toBe(`message ${both} names an account number of another client's loan`);
    expect(r.stderr).not.toContain("5550002222");
    expect(caseOf()).toBeNull();
    ok(L("file", String(both), "1"));
    expect(caseOf()).toBe(1);
  });
});
