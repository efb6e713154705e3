/**
 * Letters are first-class inside a case: `show` lists each with its state, channel, recipient, exhibits, hash and
 * what its departure meant; every letter command takes --letter N and never guesses; a draft can be discarded on
 * its own and its exhibits changed. And a letter's Reg X effect is decided as it leaves: only a channel the
 * servicer designated starts the 1024.35/1024.36 duties (12 C.F.R. 1024.35(c), 1024.36(b)). No TTY; `--as-of`
 * and `--date` make the days, counted by hand in the comments.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, type RunResult, rowCounts, setupHome, tempDir, writePdf, writePng } from "./helpers.js";

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

type L = (...a: string[]) => RunResult;

const noe = (L: L, extra: string[] = []) =>
  ok(
    L(
      "compose",
      "notice-of-error",
      // Written before the days the tests mail it (a letter may not leave before it was written).
      "--dated",
      "2026-10-30",
      ...extra,
      "--set",
      "error=my payment of $1,500.00 made on 2026-10-01 was placed in suspense",
      "--summary",
      "The payment sits in suspense.",
    ),
  );

interface ShownLetter {
  id: number;
  state: string;
  channel: string;
  recipient: string | null;
  formal: boolean;
  exhibits: { exhibit: string | null; label: string; fileName: string; sha256: string }[];
  sha256: string;
  leftOn: string | null;
  tracking: string | null;
  deliveredOn: string | null;
  designation: { designated: boolean; where?: string; why?: string };
  designationFrozen: boolean;
}

interface ShowDoc {
  letters: ShownLetter[];
  clocks: { id: string; status: string; note: string | null; dueLenient: string | null }[];
}

const shown = (L: L, ...more: string[]) => json<ShowDoc>(ok(L("--json", "show", "1", ...more)));

describe("show lists every letter of a case", () => {
  it("with its number, state, channel, recipient, exhibits, hash and Reg X effect", () => {
    const { L } = setupHome();
    const dir = tempDir();
    noe(L, ["--loan", "1"]);
    noe(L, ["--case", "1", "--attach", `${writePdf(join(dir, "s.pdf"))}=Bank statement`]);
    ok(L("mailed", "1", "--letter", "1", "--tracking", "9407111899560000000101", "--date", "2026-11-02"));
    const doc = shown(L);
    expect(doc.letters.map((l) => [l.id, l.state, l.channel, l.recipient])).toEqual([
      [1, "mailed", "post", "Mr. Cooper, PO Box 619098, Dallas, TX 75261"],
      [2, "draft", "post", "Mr. Cooper, PO Box 619098, Dallas, TX 75261"],
    ]);
    expect(doc.letters[0]).toMatchObject({
      tracking: "9407111899560000000101",
      leftOn: "2026-11-02",
      designationFrozen: true,
      designation: { designated: true },
    });
    expect(doc.letters[1]?.exhibits.map((e) => e.fileName)).toEqual(["Exhibit A \u2013 Bank statement.pdf"]);
    expect(doc.letters[1]?.sha256).toMatch(/^[0-9a-f]{64}$/);
    const text = ok(L("show", "1")).stdout;
    expect(text).toMatch(/Letter 1 {2}notice-of-error \(formal\) {2}\[mailed\] {2}post to Mr\. Cooper, PO Box 619098/);
    expect(text).toMatch(/Letter 2 {2}notice-of-error \(formal\) {2}\[draft\]/);
    expect(text).toContain(
      "Reg X: reaches the designated notice address (Mr. Cooper, PO Box 619098, Dallas, TX 75261) (if it left now)",
    );
    expect(text).toContain("Exhibit A \u2013 Bank statement.pdf  sha256 ");
  });
});

describe("every letter command takes --letter and never guesses", () => {
  it("show --pdf, sent, edit and discard refuse two drafts by number and act on the one named", () => {
    const { L, home } = setupHome();
    const dir = tempDir();
    noe(L, ["--loan", "1"]);
    noe(L, ["--case", "1"]);
    const before = rowCounts(home);
    for (const args of [
      ["show", "1", "--pdf", join(dir, "x.pdf")],
      ["sent", "1", "--via", "fax", "--date", "2026-11-02"],
      ["edit", "1", "--attach", writePng(join(dir, "p.png"))],
      ["mailed", "1", "--tracking", "9407111899560000000102"],
    ]) {
      const r = L(...args);
      expect(r.code, args.join(" ")).toBe(1);
      expect(r.stderr).toMatch(/case LM-\w+-1 has 2 letters .*: letter 1, letter 2/);
      expect(r.stderr).toContain(`--letter 1`);
    }
    expect(rowCounts(home)).toEqual(before);

    const pdf = json<{ message: number }>(ok(L("--json", "show", "1", "--pdf", join(dir, "two.pdf"), "--letter", "2")));
    expect(pdf.message).toBe(2);
    const missing = L("show", "1", "--pdf", join(dir, "y.pdf"), "--letter", "9");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/case LM-\w+-1 has no letter 9/);
  });

  it("a draft is discarded on its own: the case and its letter that left stay, and clocks ignore the draft", () => {
    const { L, home } = setupHome();
    noe(L, ["--loan", "1"]);
    ok(L("mailed", "1", "--tracking", "9407111899560000000103", "--date", "2026-11-02", "--delivered", "2026-11-05"));
    noe(L, ["--case", "1"]);
    const whole = L("discard", "1");
    expect(whole.code).toBe(1);
    expect(whole.stderr).toContain("loanmail discard 1 --letter 2");
    const sentOne = L("discard", "1", "--letter", "1");
    expect(sentOne.code).toBe(1);
    expect(sentOne.stderr).toMatch(/letter 1 of LM-\w+-1 is not a letter that never left \(a draft/);
    const before = rowCounts(home);
    const r = json<{ letter: number; discarded: boolean }>(ok(L("--json", "discard", "1", "--letter", "2")));
    expect(r).toMatchObject({ letter: 2, discarded: true });
    // Nothing is deleted: one more event (letter-discarded), the same rows otherwise.
    expect(rowCounts(home)).toEqual({ ...before, events: (before.events ?? 0) + 1 });
    const doc = shown(L, "--as-of", "2026-11-20");
    expect(doc.letters.map((l) => [l.id, l.state])).toEqual([
      [1, "delivered"],
      [2, "discarded"],
    ]);
    // Delivered Thu 2026-11-05: acknowledgment due Fri 11-13 (Veterans Day, Wed 11-11, skipped); only letter 1's.
    expect(doc.clocks.filter((c) => c.id === "noe-ack").map((c) => c.dueLenient)).toEqual(["2026-11-13"]);
    // A delivery is recorded once.
    const counts = rowCounts(home);
    const twice = L("mailed", "1", "--delivered", "2026-11-06");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toMatch(/letter 1 of LM-\w+-1 is already recorded as delivered on 2026-11-05/);
    expect(rowCounts(home)).toEqual(counts);
    // The discarded draft cannot be printed, sent or edited any more.
    const again = L("sent", "1", "--via", "fax", "--date", "2026-11-06");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("has no unsent letter");
  });

  it("edit --attach / --detach change a draft's exhibits: re-lettered, enclosures rewritten, old bytes kept", () => {
    const { L, home } = setupHome();
    const dir = tempDir();
    const a = writePdf(join(dir, "a.pdf"));
    const b = writePng(join(dir, "b.png"));
    noe(L, ["--loan", "1", "--attach", `${a}=Statement`]);
    const before = shown(L).letters[0];
    const r = json<{ exhibits: { exhibit: string; fileName: string }[]; detached: string[]; fromSha256: string }>(
      ok(L("--json", "edit", "1", "--detach", "A", "--attach", `${b}=Receipt`, "--attach", `${a}=Statement again`)),
    );
    expect(r.detached).toEqual(["Exhibit A \u2013 Statement.pdf"]);
    expect(r.exhibits.map((e) => e.fileName)).toEqual([
      "Exhibit A \u2013 Receipt.png",
      "Exhibit B \u2013 Statement again.pdf",
    ]);
    const after = shown(L).letters[0];
    expect(after?.sha256).not.toBe(before?.sha256);
    const body = ok(L("show", "1")).stdout;
    expect(body).toContain("Enclosures:\nExhibit A \u2013 Receipt.png\nExhibit B \u2013 Statement again.pdf");
    expect(body).not.toContain("Exhibit A \u2013 Statement.pdf\n");

    // A bad exhibit changes nothing.
    const counts = rowCounts(home);
    const bad = L("edit", "1", "--detach", "Z");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/letter 1 has no exhibit "Z"/);
    expect(bad.stderr).toMatch(/Exhibit A \(Receipt\)/);
    const notFile = L("edit", "1", "--attach", join(dir, "missing.pdf"));
    expect(notFile.code).toBe(1);
    expect(rowCounts(home)).toEqual(counts);
  });
});

describe("the channel decides the legal effect, frozen when the letter leaves", () => {
  it("a portal letter starts no clock until the servicer's portal is recorded as designated", () => {
    const { L } = setupHome();
    noe(L, ["--loan", "1"]);
    const first = ok(L("sent", "1", "--via", "portal", "--date", "2026-11-02")).stdout;
    expect(first).toMatch(
      /Reg X clocks do not run: no portal of Mr\. Cooper for notices was on record when the letter was uploaded/,
    );
    const doc = shown(L, "--as-of", "2026-11-20");
    expect(doc.clocks.filter((c) => c.id.startsWith("noe-") || c.id.startsWith("suit-"))).toEqual([]);
    expect(doc.clocks.find((c) => c.id.startsWith("regx-"))?.note).toMatch(
      /^Reg X clocks do not run: no portal of Mr\. Cooper for notices was on record.*\(12 C\.F\.R\. 1024\.35\(c\), 1024\.36\(b\)\)$/,
    );
    const due = json<{ clocks: { case: string | null }[] }>(ok(L("--json", "due", "--as-of", "2026-11-20")));
    expect(due.clocks).toEqual([]);

    // The servicer designates its portal; a letter uploaded after that starts both clocks on its upload day.
    ok(L("servicer", "set", "Mr. Cooper", "--notice-portal", "https://servicer.test/notices"));
    noe(L, ["--case", "1"]);
    const second = ok(L("sent", "1", "--via", "portal", "--date", "2026-11-16")).stdout;
    expect(second).toContain("It reached the portal Mr. Cooper designated (https://servicer.test/notices)");
    // The portal was recorded today, after the day this letter was uploaded: the record cannot show it stood on
    // 2026-11-16, and says so (the same upload entered before the portal was recorded would start no clock).
    expect(second).toMatch(
      /recorded as designated only on \d{4}-\d{2}-\d{2}, after the letter left on 2026-11-16 \(keep proof/,
    );
    // Uploaded Mon 2026-11-16: acknowledgment d1 Tue 11-17 ... d5 Mon 11-23.
    const after = shown(L, "--as-of", "2026-11-20");
    expect(after.clocks.filter((c) => c.id === "noe-ack").map((c) => c.dueLenient)).toEqual(["2026-11-23"]);
    // The first letter's record is frozen: the later designation does not make it count.
    expect(after.letters[0]?.designation.designated).toBe(false);
  });

  it("a designation dated from the servicer's notice (--designated-since) judges a letter recorded as having left after that day", () => {
    const { L, home } = setupHome();
    noe(L, ["--loan", "1"]);
    // Refused, changing nothing: a day to come, and a day with no designation to date.
    const before = rowCounts(home);
    const future = L(
      "servicer",
      "set",
      "Mr. Cooper",
      "--notice-portal",
      "https://servicer.test/n",
      "--designated-since",
      "2999-01-01",
    );
    expect(future.code).toBe(1);
    expect(future.stderr).toContain("--designated-since 2999-01-01 is in the future");
    const bare = setupHome();
    ok(bare.L("servicer", "set", "Mr. Cooper", "--notice-address", ""));
    const none = bare.L("servicer", "set", "Mr. Cooper", "--designated-since", "2026-11-01");
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /--designated-since 2026-11-01: Mr\. Cooper has no designated notice address, email or portal/,
    );
    expect(rowCounts(home)).toEqual(before);

    // The portal, recorded today, dated from the servicer's notice of Nov 2; a letter uploaded Nov 16 reached it.
    const set = ok(
      L(
        "servicer",
        "set",
        "Mr. Cooper",
        "--notice-portal",
        "https://servicer.test/notices",
        "--designated-since",
        "2026-11-02",
      ),
    );
    expect(set.stdout).toContain("designated since 2026-11-02 (notice portal)");
    const sent = ok(L("sent", "1", "--via", "portal", "--date", "2026-11-16")).stdout;
    expect(sent).toMatch(
      /It reached the portal Mr\. Cooper designated \(https:\/\/servicer\.test\/notices\) \(designated since 2026-11-02, as recorded on \d{4}-\d{2}-\d{2}\)/,
    );
    expect(sent).not.toMatch(/keep proof/);
    // Uploaded Mon 2026-11-16: acknowledgment d1 Tue 11-17 ... d5 Mon 11-23 (12 C.F.R. 1024.35(d)).
    const after = shown(L, "--as-of", "2026-11-20");
    expect(after.clocks.filter((c) => c.id === "noe-ack").map((c) => c.dueLenient)).toEqual(["2026-11-23"]);

    // Dated after a second letter left: it says so, and what to keep.
    ok(
      L(
        "servicer",
        "set",
        "Mr. Cooper",
        "--notice-portal",
        "https://servicer.test/new",
        "--designated-since",
        "2026-11-20",
      ),
    );
    noe(L, ["--case", "1"]);
    const late = ok(L("sent", "1", "--via", "portal", "--date", "2026-11-18")).stdout;
    expect(late).toMatch(
      /designated only since 2026-11-20 \(recorded on \d{4}-\d{2}-\d{2}\), after the letter left on 2026-11-18 \(keep proof of where the servicer took notices then\)/,
    );
  });

  it("a formal letter sent --to another address never claims a designated address and starts no Reg X clock", () => {
    const { L } = setupHome();
    noe(L, ["--loan", "1", "--to", "customerservice@servicer.test"]);
    const text = ok(L("show", "1")).stdout;
    expect(text).toContain(
      "This letter is a notice of error under 12 C.F.R. 1024.35 (Regulation X, RESPA section 6(k)).",
    );
    expect(text).not.toMatch(/sent to your designated address/);
    expect(text).toMatch(
      /Reg X clocks do not run \(if it left now\): emailed to customerservice@servicer\.test, not an address Mr\. Cooper designated/,
    );
  });

  it("servicer set --notice-portal takes a web address and refuses anything else, changing nothing", () => {
    const { L, home } = setupHome();
    const before = rowCounts(home);
    const bad = L("servicer", "set", "Mr. Cooper", "--notice-portal", "servicer.test/notices");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("--notice-portal servicer.test/notices: not a web address");
    expect(rowCounts(home)).toEqual(before);
    const set = json<{ servicer: { noticePortal: string | null } }>(
      ok(L("--json", "servicer", "set", "Mr. Cooper", "--notice-portal", "https://servicer.test/notices")),
    );
    expect(set.servicer.noticePortal).toBe("https://servicer.test/notices");
  });
});

describe("error-asserting kinds go formal first", () => {
  const lateFee = [
    "compose",
    "late-fee-dispute",
    "--loan",
    "1",
    "--dated",
    "2026-10-30",
    "--set",
    "payment-date=2026-10-01",
  ];
  const rest = ["--set", "amount=1500", "--set", "fee=75", "--summary", "I paid on time; a fee was charged."];

  it("late-fee-dispute goes to the notice address by default, with an informal copy to customer service", () => {
    const { L } = setupHome();
    const r = json<{
      case: { id: number; tag: string };
      message: { id: number; channel: string; formal: boolean };
      copy: { id: number; channel: string; formal: boolean; to: string };
    }>(ok(L("--json", ...lateFee, ...rest, "--copy-to", "correspondence")));
    expect(r.message).toMatchObject({ channel: "post", formal: true });
    expect(r.copy).toMatchObject({ channel: "email", formal: false, to: "help@servicer.test" });
    const text = ok(L("show", "1")).stdout;
    expect(text).toContain("You charged this loan a late fee of $75.00");
    expect(text).toContain("is an error under 12 C.F.R. 1024.35(b)(5)");
    expect(text).toContain("That letter, not this copy, is my notice of error under 12 C.F.R. 1024.35.");

    // Only the formal letter starts the Reg X clocks: mailed Mon 2026-11-02, delivered Thu 11-05; acknowledgment
    // d1 Fri 11-06, d2 Mon 11-09, d3 Tue 11-10, (Wed 11-11 Veterans Day), d4 Thu 11-12, d5 Fri 11-13.
    ok(L("mailed", "1", "--tracking", "9407111899560000000104", "--date", "2026-11-02", "--delivered", "2026-11-05"));
    ok(L("sent", "1", "--letter", String(r.copy.id), "--via", "hand", "--date", "2026-11-02"));
    const doc = shown(L, "--as-of", "2026-11-10");
    expect(doc.clocks.filter((c) => c.id === "noe-ack").map((c) => c.dueLenient)).toEqual(["2026-11-13"]);
    expect(doc.letters.map((l) => [l.id, l.state, l.formal])).toEqual([
      [r.message.id, "delivered", true],
      [r.copy.id, "sent", false],
    ]);
  });

  it("--copy-to needs a formal letter and refuses otherwise, changing nothing", () => {
    const { L, home } = setupHome();
    const before = rowCounts(home);
    const informal = L(...lateFee, ...rest, "--no-formal", "--copy-to", "correspondence");
    expect(informal.code).toBe(1);
    expect(informal.stderr).toContain("--copy-to needs a formal letter to the designated channel");
    const ordinaryKind = L(
      "compose",
      "payoff-statement",
      "--loan",
      "1",
      "--summary",
      "Payoff, please.",
      "--copy-to",
      "correspondence",
    );
    expect(ordinaryKind.code).toBe(1);
    expect(rowCounts(home)).toEqual(before);
  });
});
