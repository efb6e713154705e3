/**
 * A housing counselor's home, run as a counselor would run it (spawned, no TTY): `init --counselor`, a client
 * household with its intake, its action plan in `due`, letters refused without the borrowers' signed
 * authorization (and the first one carrying it as Exhibit A), the "on behalf of" signature, and the referral a
 * foreclosure sale date calls for. Dates are fixed and in the past (the tests run on 2026-12-01 or later);
 * `--as-of` makes `due` independent of the day they run.
 */
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, run, tempDir, writePdf } from "./helpers.js";

const FORM = join(import.meta.dirname, "../../examples/proof-of-payment.pdf");
const FORM_SHA = createHash("sha256").update(readFileSync(FORM)).digest("hex");
const CLIENT = "Tran household";

type L = (...args: string[]) => RunResult;

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** Run `init` with Maria Lopez's details in a fresh home: a counselor's, or (`counselor` false) a borrower's. */
function initHome(counselor = true): { home: string; L: L; init: RunResult } {
  const home = join(tempDir(), "home");
  const L: L = (...args) => run(["--home", home, ...args]);
  const init = L(
    "init",
    "--name",
    "Maria Lopez",
    "--email",
    "maria@shc.test",
    "--address",
    "1 Main St\\nSpringfield, IL 62701",
    "--phone",
    "555-010-2000",
    "--timezone",
    "America/Chicago",
    ...(counselor ? ["--counselor", "--agency", "Springfield Housing Counseling", "--agency-id", "81234"] : []),
  );
  return { home, L, init };
}

/** A counselor's home with one servicer, the Tran household (no intake) and its loan 1 (account 1234567). */
function counselorHome(): { home: string; L: L } {
  const { home, L, init } = initHome();
  ok(init);
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
  ok(L("client", "add", CLIENT, "--member", "Tran Thi Mai", "--member", "Nguyen Van Hung"));
  ok(
    L(
      "--client",
      CLIENT,
      "loan",
      "add",
      "--servicer",
      "Mr. Cooper",
      "--account",
      "1234567",
      "--property",
      "12 Elm St, Springfield, IL 62701",
      "--borrower",
      "Tran Thi Mai",
      "--borrower",
      "Nguyen Van Hung",
    ),
  );
  return { home, L };
}

function query<T>(home: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

/** A notice of error on loan 1 (or into case `into`), written `dated`, with extra compose options. */
function compose(L: L, dated: string, extra: string[] = []): RunResult {
  return L(
    "--json",
    "compose",
    "notice-of-error",
    ...(extra.includes("--case") ? [] : ["--loan", "1"]),
    "--dated",
    dated,
    "--set",
    "error=the March 2026 payment of $1,500 was put in suspense",
    "--summary",
    "On 2026-03-01 the household paid $1,500.00 online; it sits in suspense.",
    ...extra,
  );
}

/** The signed form of the Tran household for Mr. Cooper, signed 2026-10-15. */
function addAuthorization(L: L, expires?: string): void {
  ok(
    L(
      "authorization",
      "add",
      "--loan",
      "1",
      "--file",
      FORM,
      "--authorized",
      "Maria Lopez, Springfield Housing Counseling",
      "--signed-on",
      "2026-10-15",
      ...(expires ? ["--expires-on", expires] : []),
    ),
  );
}

interface Composed {
  case: { id: number };
  message: { id: number; exhibits: { exhibit: string; fileName: string }[] };
}

describe("init --counselor", () => {
  it("records the agency and the counselor as rows, makes no client of the counselor, and says so in the init event", () => {
    const { home, L, init } = initHome();
    const doc = json<{ kind: string; agency: { name: string; hudAgencyId: string }; counselor: { name: string } }>(
      ok(L("--json", "init")),
    );
    expect(init.stdout).toContain("A housing counselor's home: Maria Lopez of Springfield Housing Counseling");
    expect(doc).toMatchObject({
      kind: "counselor",
      agency: { name: "Springfield Housing Counseling", hudAgencyId: "81234" },
      counselor: { name: "Maria Lopez" },
    });
    // Run again without --counselor, the home stays a counselor's and still has no client.
    const counts = rowCounts(home);
    expect(counts).toMatchObject({ agencies: 1, counselors: 1, clients: 0 });
    expect(query(home, "SELECT value FROM meta WHERE key = 'home_kind'")).toEqual([{ value: "counselor" }]);
    const [first] = query<{ data: string }>(home, "SELECT data FROM events WHERE type = 'init'");
    expect(JSON.parse(first?.data ?? "{}").counselor).toEqual({
      home: "counselor",
      agency_id: 1,
      agency: "Springfield Housing Counseling",
      hud_agency_id: "81234",
      counselor_id: 1,
    });
    expect(L("client", "list").stdout).toContain("No clients yet");
  });

  it("keeps a borrower's home as it was: one client, the user; it is never turned into a counselor's", () => {
    const { home, L, init } = initHome(false);
    ok(init);
    expect(rowCounts(home)).toMatchObject({ clients: 1, agencies: 0, counselors: 0 });
    const before = rowCounts(home);
    const turned = L("init", "--counselor", "--agency", "Springfield Housing Counseling");
    expect(turned.code).toBe(1);
    expect(turned.stderr).toContain("this home is a borrower's");
    expect(rowCounts(home)).toEqual(before);
    const stray = L("init", "--agency", "Springfield Housing Counseling");
    expect(stray.code).toBe(2);
    expect(stray.stderr).toContain("--agency goes with --counselor");
    const client = L("client", "add", "Someone");
    expect(client.code).toBe(1);
    expect(client.stderr).toContain("this is a borrower's home");
    expect(rowCounts(home)).toEqual(before);
  });

  it("adds a loan only for a client added first, named with --client", () => {
    const { home, L } = counselorHome();
    const before = rowCounts(home);
    const args = [
      "loan",
      "add",
      "--servicer",
      "Mr. Cooper",
      "--account",
      "7654321",
      "--property",
      "9 Oak St, Springfield, IL 62702",
      "--borrower",
      "Ana Ruiz",
    ];
    const none = L(...args);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("name the client with --client NAME");
    expect(none.stderr).toContain("loanmail client add");
    const unknown = L("--client", "Ruiz household", ...args);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('loanmail client add "Ruiz household"');
    expect(rowCounts(home)).toEqual(before);
    ok(L("client", "add", "Ruiz household"));
    expect(
      json<{ loan: { clientName: string } }>(ok(L("--json", "--client", "Ruiz household", ...args))).loan.clientName,
    ).toBe("Ruiz household");
  });
});

describe("client add, set, show, list", () => {
  it("records every intake field, shows it, and writes each change on the client's own chain", () => {
    const { home, L } = counselorHome();
    const added = json<{ client: { id: number; counselor: { name: string } } }>(
      ok(
        L(
          "--json",
          "client",
          "add",
          "Okafor household",
          "--member",
          "Chidi Okafor",
          "--member",
          "Ada Okafor",
          "--email",
          "okafor@example.test",
          "--phone",
          "555-0142",
          "--address",
          "40 Pine St\\nSpringfield, IL 62703",
          "--language",
          "es",
          "--ami-band",
          "50-79%",
          "--agreement-signed",
          "2026-10-01",
          "--privacy-signed",
          "2026-10-02",
          "--referral",
          "Springfield 211",
        ),
      ),
    ).client;
    expect(added.counselor.name).toBe("Maria Lopez");
    const intake = {
      members: ["Chidi Okafor", "Ada Okafor"],
      email: "okafor@example.test",
      phone: "555-0142",
      address: "40 Pine St\nSpringfield, IL 62703",
      language: "es",
      amiBand: "50-79",
      agreementSigned: "2026-10-01",
      privacySigned: "2026-10-02",
      referral: "Springfield 211",
    };
    const shown = json<{ client: { name: string; intake: unknown }; loans: unknown[]; plan: unknown[] }>(
      ok(L("--json", "client", "show", "okafor HOUSEHOLD")),
    );
    expect(shown.client).toMatchObject({ name: "Okafor household", intake });
    expect(shown.loans).toEqual([]);
    const text = ok(L("client", "show", "Okafor household")).stdout;
    expect(text).toContain("income:     50-79% of area median income (HUD 9902 band 50-79)");
    expect(text).toContain("counseling agreement signed 2026-10-01");

    const changed = json<{ changed: string[] }>(
      ok(L("--json", "client", "set", "Okafor household", "--phone", "555-0199")),
    );
    expect(changed.changed).toEqual(["phone"]);
    const events = query<{ type: string; chain: number; data: string }>(
      home,
      "SELECT type, chain, data FROM events WHERE type LIKE 'client-%' AND chain = ? ORDER BY id",
      -added.id,
    );
    expect(events.map((e) => e.type)).toEqual(["client-added", "client-changed"]);
    expect(JSON.parse(events[1]?.data ?? "{}").intake.phone).toBe("555-0199");

    const list = json<{ clients: { name: string; counselor: string; status: string; loans: number; cases: number }[] }>(
      ok(L("--json", "client", "list")),
    );
    expect(list.clients.map((c) => [c.name, c.counselor, c.status, c.loans, c.cases])).toEqual([
      ["Okafor household", "Maria Lopez", "open", 0, 0],
      [CLIENT, "Maria Lopez", "open", 1, 0],
    ]);
  });

  it("refuses a future date, an unknown band, an empty name and a duplicate name, changing nothing", () => {
    const { home, L } = counselorHome();
    const before = rowCounts(home);
    const refused: [string[], string][] = [
      [
        ["client", "add", "Lee household", "--agreement-signed", "2099-01-01"],
        "--agreement-signed 2099-01-01 is in the future",
      ],
      [["client", "add", "Lee household", "--ami-band", "40-60"], "--ami-band 40-60: not an income band"],
      [["client", "add", "   "], "the client's name is empty"],
      [["client", "add", "tran HOUSEHOLD"], `a client "${CLIENT}" already exists`],
      [["client", "set", CLIENT, "--privacy-signed", "2099-01-01"], "--privacy-signed 2099-01-01 is in the future"],
      [["client", "set", "Nobody"], 'no client "Nobody"'],
    ];
    for (const [args, message] of refused) {
      const r = L(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toContain(message);
    }
    expect(L("client", "add", "Lee household", "--ami-band", "40-60").stderr).toContain(
      "<30, 30-49, 50-79, 80-100, >100",
    );
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("client plan", () => {
  it("lists open items in due with the client, the text and the day, LATE once the day has passed", () => {
    const { L } = counselorHome();
    ok(L("client", "plan", CLIENT, "--add", "Gather 2025 tax return and pay stubs", "--by", "2026-11-20"));
    ok(L("client", "plan", CLIENT, "--add", "Call Mr. Cooper about the appeal", "--by", "2027-03-01"));
    interface PlanDoc {
      plan: { client: string; number: number; text: string; by: string; status: string }[];
    }
    // As of 2026-11-25: 11-20 has passed (late), 2027-03-01 has not (open).
    const due = json<PlanDoc>(ok(L("--json", "due", "--as-of", "2026-11-25")));
    expect(due.plan.map((p) => [p.client, p.number, p.text, p.by, p.status])).toEqual([
      [CLIENT, 1, "Gather 2025 tax return and pay stubs", "2026-11-20", "late"],
      [CLIENT, 2, "Call Mr. Cooper about the appeal", "2027-03-01", "open"],
    ]);
    // As of 2026-11-15, nothing is late; --within 30 reaches 2026-12-15, so 2027-03-01 is left out.
    const soon = json<PlanDoc>(ok(L("--json", "due", "--as-of", "2026-11-15", "--within", "30")));
    expect(soon.plan.map((p) => [p.by, p.status])).toEqual([["2026-11-20", "open"]]);
    const text = ok(L("due", "--as-of", "2026-11-25")).stdout;
    expect(text).toContain(`  2026-11-20  ${CLIENT}: 1. Gather 2025 tax return and pay stubs  LATE`);
    expect(text).toContain(`  2027-03-01  ${CLIENT}: 2. Call Mr. Cooper about the appeal\n`);
    // A late item is the counselor's own follow-up, not a late servicer: cron's check stays quiet.
    expect(L("due", "--as-of", "2026-11-25", "--check").code).toBe(0);

    ok(L("client", "plan", CLIENT, "--done", "1"));
    expect(json<PlanDoc>(ok(L("--json", "due", "--as-of", "2026-11-25"))).plan.map((p) => p.number)).toEqual([2]);
    const shown = json<{ plan: { number: number; status: string; doneOn: string | null }[] }>(
      ok(L("--json", "client", "show", CLIENT)),
    );
    expect(shown.plan.map((p) => [p.number, p.status])).toEqual([
      [1, "done"],
      [2, "open"],
    ]);
    const again = L("client", "plan", CLIENT, "--done", "1");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`plan item 1 of "${CLIENT}" was done on`);
    expect(L("client", "plan", CLIENT, "--done", "9").stderr).toContain("has no plan item 9");
  });
});

describe("authorization enforced", () => {
  it("refuses a letter without a valid authorization, changing nothing, and names the command that fixes it", () => {
    const { home, L } = counselorHome();
    const before = rowCounts(home);
    const refused = compose(L, "2026-10-20");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      "no valid authorization for loan 1 (account 1234567) at Mr. Cooper on 2026-10-20: none is on file",
    );
    expect(refused.stderr).toContain("loanmail authorization add --loan 1 --file");
    expect(rowCounts(home)).toEqual(before);
    // Signed after the day the letter was written: no authority on that day either.
    addAuthorization(L);
    const early = compose(L, "2026-10-10");
    expect(early.code).toBe(1);
    expect(early.stderr).toContain("authorization 1 was signed on 2026-10-15, after 2026-10-10");
  });

  it("puts the signed form first on the first letter to the servicer, not on the next, and refuses after a revocation", () => {
    const { home, L } = counselorHome();
    addAuthorization(L);
    const dir = tempDir();
    const stub = writePdf(join(dir, "statement.pdf"));
    const first = json<Composed>(ok(compose(L, "2026-10-20", ["--attach", `${stub}=March statement`])));
    expect(first.message.exhibits.map((e) => e.fileName)).toEqual([
      "Exhibit A – Third-party authorization signed 2026-10-15.pdf",
      "Exhibit B – March statement.pdf",
    ]);
    const [exhibitA] = query<{ sha256: string }>(
      home,
      "SELECT sha256 FROM attachments WHERE message_id = ? AND position = 0",
      first.message.id,
    );
    expect(exhibitA?.sha256).toBe(FORM_SHA);
    const body = ok(L("show", String(first.case.id))).stdout;
    expect(body).toContain(
      "I am a housing counselor at Springfield Housing Counseling and write on behalf of Tran Thi Mai and Nguyen Van Hung, under their written authorization signed on October 15, 2026, enclosed as Exhibit A.",
    );
    expect(body).toContain(
      "Sincerely,\n\nMaria Lopez, Housing Counselor, Springfield Housing Counseling (HUD agency ID 81234), on behalf of Tran Thi Mai and Nguyen Van Hung\n555-010-2000",
    );
    const [composed] = query<{ data: string }>(
      home,
      "SELECT data FROM events WHERE type = 'composed' ORDER BY id LIMIT 1",
    );
    expect(JSON.parse(composed?.data ?? "{}").authorization).toEqual({ id: 1, form_exhibit: "Exhibit A" });

    // A second letter to the same servicer for the same loan (a new case): the servicer has the form already.
    const second = json<Composed>(ok(compose(L, "2026-10-22", ["--attach", `${stub}=March statement`])));
    expect(second.message.exhibits.map((e) => e.fileName)).toEqual(["Exhibit A – March statement.pdf"]);
    const secondBody = ok(L("show", String(second.case.id))).stdout;
    expect(secondBody).toContain("under their written authorization signed on October 15, 2026.");
    expect(secondBody).not.toContain("enclosed as Exhibit A");

    // Mailed on 2026-10-25, before the revocation below: the authorization was valid on the day it left.
    ok(L("mailed", String(first.case.id), "--tracking", "9407111899562047000001", "--date", "2026-10-25"));

    // An email letter, composed while the authorization held, and a mail account to send it with (no server used).
    const email = json<Composed>(
      ok(
        L(
          "--json",
          "compose",
          "information-request",
          "--loan",
          "1",
          "--no-formal",
          "--set",
          "information=the payment history since January 2026",
          "--summary",
          "The household asks for its payment history.",
        ),
      ),
    );
    ok(
      L(
        "account",
        "set",
        "--email",
        "maria@shc.test",
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

    ok(L("authorization", "revoke", "1"));
    const list = json<{ authorizations: { state: string; revokedOn: string }[] }>(
      ok(L("--json", "authorization", "list")),
    );
    expect(list.authorizations[0]?.state).toBe("revoked");
    const before = rowCounts(home);
    const pdf = join(dir, "letter.pdf");
    const refusals = [
      compose(L, today()),
      L("show", String(second.case.id), "--pdf", pdf),
      L("mailed", String(second.case.id), "--tracking", "9407111899562047000002"),
      L("sent", String(second.case.id), "--via", "portal", "--date", today()),
      L("send", String(email.case.id)),
    ];
    for (const r of refusals) {
      expect(r.code).toBe(1);
      expect(r.stderr).toContain(`authorization 1 was revoked on ${today()}`);
      expect(r.stderr).toContain("loanmail authorization add --loan 1");
    }
    expect(existsSync(pdf)).toBe(false);
    expect(rowCounts(home)).toEqual(before);
    expect(L("authorization", "revoke", "1").stderr).toContain(`authorization 1 was revoked on ${today()}`);
  });

  it("shows an expiry in due from 30 days before it, and not once revoked", () => {
    const { L } = counselorHome();
    addAuthorization(L, "2026-12-15");
    interface DueDoc {
      clocks: { id: string; name: string; dueLenient: string; status: string }[];
    }
    const renew = (asOf: string) =>
      json<DueDoc>(ok(L("--json", "due", "--as-of", asOf))).clocks.filter((c) => c.id === "authorization-1");
    // 2026-11-14 + 30 days = 2026-12-14, the day before the expiry: not yet listed.
    expect(renew("2026-11-14")).toEqual([]);
    // 2026-11-15 + 30 days = 2026-12-15, the expiry itself: listed, open.
    expect(renew("2026-11-15")).toEqual([
      expect.objectContaining({
        name: "Renew the third-party authorization for Maria Lopez, Springfield Housing Counseling",
        dueLenient: "2026-12-15",
        status: "open",
      }),
    ]);
    ok(L("authorization", "revoke", "1", "--on", "2026-11-20"));
    expect(renew("2026-11-25")).toEqual([]);
  });
});

describe("the referral a foreclosure sale date calls for", () => {
  it("gives the sale date, the protections, talk to an attorney and the legal-aid finders, once per sale date", () => {
    const { L } = counselorHome();
    addAuthorization(L);
    const application = L(
      ...["--json", "compose", "loss-mitigation", "--loan", "1", "--dated", "2026-10-20"],
      ...["--summary", "The household asks to be evaluated for every loss mitigation option."],
    );
    const c = json<Composed>(ok(application)).case.id;
    // Complete 2026-11-02, sale 2027-01-15: 74 days before the sale, so 1024.41(g) bars the sale until a decision.
    const first = ok(
      L("event", String(c), "application-complete", "--date", "2026-11-02", "--sale-date", "2027-01-15"),
    );
    expect(first.stdout).toContain("── A foreclosure sale is scheduled for 2027-01-15: talk to an attorney");
    expect(first.stdout).toContain("Talk to an attorney now");
    expect(first.stdout).toContain("[12 C.F.R. 1024.41(g)]");
    expect(first.stdout).toContain("Free legal help in Illinois:");
    expect(first.stdout).toContain("LawHelp.org: https://www.lawhelp.org/find-help (choose Illinois)");
    expect(first.stdout).toContain(
      "Legal Services Corporation: https://www.lsc.gov/about-lsc/what-legal-aid/get-legal-help",
    );
    // The same sale date again (the denial notice names it): the referral is not repeated.
    const again = json<{ referral: unknown }>(
      ok(L("--json", "event", String(c), "denied", "--date", "2026-11-20", "--sale-date", "2027-01-15")),
    );
    expect(again.referral).toBeNull();
    expect(
      ok(L("event", String(c), "offer", "--date", "2026-11-23", "--sale-date", "2027-01-15")).stdout,
    ).not.toContain("talk to an attorney");
    // A new sale date is news: said again.
    const moved = json<{ referral: { saleDate: string; state: { code: string } } }>(
      ok(L("--json", "event", String(c), "offer", "--date", "2026-11-24", "--sale-date", "2027-02-01")),
    );
    expect(moved.referral).toMatchObject({ saleDate: "2027-02-01", state: { code: "IL" } });
  });

  it("is said when a letter gives the sale date (compose --set sale-date), and not again by an event", () => {
    const { L } = counselorHome();
    addAuthorization(L);
    const letter = ok(
      L(
        ...["compose", "loss-mitigation", "--loan", "1", "--dated", "2026-11-02"],
        ...["--set", "application-date=2026-10-30", "--set", "sale-date=2027-03-01"],
        ...["--summary", "The household sent its complete application on 2026-10-30."],
      ),
    );
    expect(letter.stdout).toContain("── A foreclosure sale is scheduled for 2027-03-01: talk to an attorney");
    expect(letter.stdout).toContain("Free legal help in Illinois:");
    const c = json<{ cases: { id: number }[] }>(ok(L("--json", "cases"))).cases[0]?.id;
    // The same date in an event afterwards: already said by the letter.
    const event = json<{ referral: unknown }>(
      ok(L("--json", "event", String(c), "application-complete", "--date", "2026-11-03", "--sale-date", "2027-03-01")),
    );
    expect(event.referral).toBeNull();
    // A second letter of the case with that date: not said again either.
    const second = json<{ referral?: unknown }>(
      ok(
        L(
          ...["--json", "compose", "loss-mitigation", "--case", String(c), "--dated", "2026-11-04"],
          ...["--set", "sale-date=2027-03-01", "--summary", "Following up on the application."],
        ),
      ),
    );
    expect(second.referral).toBeUndefined();
  });
});

/** Today in America/Chicago, the homes' zone. */
function today(): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(new Date());
}
