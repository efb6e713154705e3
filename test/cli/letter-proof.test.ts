/**
 * The record of a letter that left, as a user and a lawyer would check it (issue 9): what was printed is what is
 * kept (`show --pdf` keeps the PDF, `mailed` names the one printed last, the export holds those very bytes), the
 * proof of mailing (PS 3800 receipt, PS 3811 green card, a tracking page) is kept by hash and shown everywhere,
 * and what a letter was addressed to when it left does not change with a later servicing transfer.
 *
 * The days are today's in the home's time zone (America/Chicago): loanmail refuses a mailing dated in the future,
 * and a letter cannot be mailed before it was written. No clock's due date is asserted here (test/cli/clocks.test.ts
 * and letter-formality.test.ts work those out by hand); the clocks are checked to start from this letter's delivery.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { appendEvent } from "../../src/store/events.js";
import { json, ROOT, type RunResult, rowCounts, run, setupHome, tempDir, writePdf, writePng } from "./helpers.js";

const PROOF = join(ROOT, "examples/proof-of-payment.pdf");
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const UTF8 = { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
/** Today in the home's time zone, YYYY-MM-DD. */
const today = () => new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(new Date());

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** The error code of a refused --json command. */
function errorCode(r: RunResult): string {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stdout).toBe("");
  return (JSON.parse(r.stderr) as { error: { code: string } }).error.code;
}

function unzip(zip: string): string {
  const dir = join(tempDir("loanmail-proof-unzip-"), "bundle");
  mkdirSync(dir);
  execFileSync("unzip", ["-o", "-q", zip, "-d", dir], { env: UTF8 });
  return dir;
}

function filesUnder(dir: string, sub: string): string[] {
  const path = join(dir, sub);
  return existsSync(path) ? readdirSync(path).map((n) => `${sub}/${n}`) : [];
}

interface ShowDoc {
  messages: {
    id: number;
    state: string;
    letterState: string | null;
    departure: {
      type: string;
      printedCopy: { state: string; sha256?: string };
      asSent: { servicer: string; account_number: string; address: string | null; borrowers: string[] } | null;
    } | null;
    printings: { sha256: string }[];
    proofs: { kind: string; name: string; sha256: string }[];
  }[];
  events: { type: string; message: number | null; data: Record<string, unknown> }[];
  clocks: { id: string; startedBy: { on: string; messageId?: number } | null }[];
}

interface Manifest {
  files: { path: string; size: number; sha256: string }[];
  notes: string[];
}

interface TimelineJson {
  cases: {
    servicer: string;
    accountNumber: string;
    lettersSentTo: { servicer: string; accountNumber: string }[];
    messages: {
      id: number;
      sentTo: { servicer: string; accountNumber: string; recorded: boolean } | null;
      printedCopy: { state: string; sha256: string | null; file: string | null } | null;
      proofs: { kind: string; sha256: string; file: string | null }[];
    }[];
    rows: { type: string; detail: string; message: { id: number } | null; exhibits: { file: string | null }[] }[];
  }[];
}

const NOE = ["compose", "notice-of-error", "--set", "error=my March payment of $1,500.00 sits in suspense"];

describe("what was printed is what is kept", () => {
  it("two drafts, one printed around an edit, mailed and delivered: the record, the clocks and the bundle name the same letter and PDF", () => {
    const { home, L } = setupHome();
    const work = tempDir("loanmail-proof-");
    const d = today();
    // Letter 1: the notice of error with its exhibit, printed, edited, printed again.
    ok(L(...NOE, "--loan", "1", "--summary", "I paid $1,500.00 on March 1, 2026.", "--attach", `${PROOF}=Proof`));
    const first = json<{ message: number; source: string; sha256: string }>(
      ok(L("--json", "show", "1", "--pdf", join(work, "first.pdf"), "--letter", "1")),
    );
    expect(first).toMatchObject({ message: 1, source: "printed" });
    expect(first.sha256).toBe(sha256(readFileSync(join(work, "first.pdf"))));
    ok(
      run(["--home", home, "edit", "1"], {
        env: { EDITOR: "sed -i 's/I paid \\$1,500.00 on March 1, 2026./On March 1, 2026 I paid $1,500.00 on time./'" },
      }),
    );
    const second = json<{ sha256: string }>(
      ok(L("--json", "show", "1", "--pdf", join(work, "second.pdf"), "--letter", "1")),
    );
    const printedBytes = readFileSync(join(work, "second.pdf"));
    expect(second.sha256).toBe(sha256(printedBytes));
    expect(second.sha256).not.toBe(first.sha256);
    // The same PDF of the same text printed again is kept once.
    ok(L("show", "1", "--pdf", join(work, "again.pdf"), "--letter", "1"));
    expect(sha256(readFileSync(join(work, "again.pdf")))).toBe(second.sha256);
    // Letter 2: a second draft in the same case, printed last of all; it is not the one mailed.
    ok(L(...NOE, "--case", "1", "--summary", "A second notice, not mailed."));
    const other = json<{ message: number; sha256: string }>(
      ok(L("--json", "show", "1", "--pdf", join(work, "other.pdf"), "--letter", "2")),
    );
    expect(other.message).toBe(2);

    const receipt = writePng(join(work, "receipt.png"));
    const mailed = json<{ message: number; printedPdf: string; proofs: { kind: string; sha256: string }[] }>(
      ok(
        L(
          "--json",
          "mailed",
          "1",
          "--letter",
          "1",
          "--tracking",
          "9407111899560000000011",
          "--date",
          d,
          "--receipt",
          receipt,
        ),
      ),
    );
    expect(mailed.message).toBe(1);
    expect(mailed.printedPdf).toBe(second.sha256);
    expect(mailed.proofs).toEqual([
      expect.objectContaining({ kind: "receipt", sha256: sha256(readFileSync(receipt)) }),
    ]);
    // The delivery needs nothing but its day: letter 1 is the only one mailed and not yet delivered.
    expect(json<{ message: number }>(ok(L("--json", "mailed", "1", "--delivered", d))).message).toBe(1);

    // The record: letter 1 sent with the second printing kept; letter 2 still a draft.
    const show = json<ShowDoc>(ok(L("--json", "show", "1")));
    const [one, two] = show.messages;
    // The outbox says the letter left ("sent"); the letter itself was mailed and delivered, as `show` says.
    expect(one?.state).toBe("sent");
    expect(one?.letterState).toBe("delivered");
    expect(one?.departure?.printedCopy).toEqual({ state: "held", sha256: second.sha256 });
    expect(one?.printings.map((p) => p.sha256)).toEqual([first.sha256, second.sha256]);
    expect(two?.state).toBe("draft");
    expect(two?.letterState).toBe("draft");
    expect(two?.departure).toBeNull();
    expect(show.events.map((e) => [e.type, e.message])).toEqual([
      ["composed", 1],
      ["printed", 1],
      ["edited", 1],
      ["printed", 1],
      ["composed", 2],
      ["printed", 2],
      ["mailed", 1],
      ["mail-proof", 1],
      ["delivered", 1],
    ]);
    // The Reg X clocks that run, run from letter 1's delivery (12 C.F.R. 1024.35(d), (e)); letter 2 starts none.
    const started = show.clocks.filter((c) => /^noe-(ack|response)/.test(c.id) && c.startedBy !== null);
    expect(started).toHaveLength(2);
    for (const c of started)
      expect(c.startedBy).toEqual({ what: expect.any(String), on: d, messageId: 1, by: "delivered" });

    // A mailed letter's PDF is the kept copy, byte for byte, not a new rendering.
    const back = json<{ source: string; sha256: string }>(
      ok(L("--json", "show", "1", "--pdf", join(work, "back.pdf"), "--letter", "1")),
    );
    expect(back.source).toBe("kept");
    expect(readFileSync(join(work, "back.pdf")).equals(printedBytes)).toBe(true);

    // The bundle holds exactly those bytes, and names them as letter 1's.
    ok(L("export", "1", "--out", join(work, "case.zip")));
    const dir = unzip(join(work, "case.zip"));
    const letters = filesUnder(dir, "letters");
    expect(letters).toHaveLength(1);
    expect(sha256(readFileSync(join(dir, letters[0] as string)))).toBe(second.sha256);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.files.find((f) => f.path === letters[0])?.sha256).toBe(second.sha256);
    const timeline = JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8")) as TimelineJson;
    const m1 = timeline.cases[0]?.messages.find((m) => m.id === 1);
    expect(m1?.printedCopy).toEqual({ state: "held", sha256: second.sha256, file: letters[0] });
    const mailedRow = timeline.cases[0]?.rows.find((r) => r.type === "mailed");
    expect(mailedRow?.message?.id).toBe(1);
    expect(mailedRow?.exhibits.map((x) => x.file)).toEqual([letters[0]]);
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).toContain(second.sha256);
    expect(html).toContain(`href="${letters[0]}"`);
    // The draft is left out, and so is its printing (the chain still records that it was printed).
    expect(manifest.files.map((f) => f.sha256)).not.toContain(other.sha256);
    const chain = readFileSync(join(dir, "events.jsonl"), "utf8").trim().split("\n");
    const mailedLine = chain
      .map((l) => JSON.parse(l) as { type: string; data: string })
      .find((e) => e.type === "mailed");
    expect(JSON.parse(mailedLine?.data ?? "{}")).toMatchObject({ pdf_sha256: second.sha256 });
  });

  it("a letter mailed without loanmail printing it: recorded so, and no printed copy is invented", () => {
    const { home, L } = setupHome();
    const work = tempDir("loanmail-proof-");
    ok(L(...NOE, "--loan", "1", "--summary", "Printed elsewhere."));
    const r = ok(L("--json", "mailed", "1", "--tracking", "9407111899560000000022", "--date", today()));
    expect(json<{ printedPdf: string | null }>(r).printedPdf).toBeNull();
    expect(r.stderr).toMatch(/did not print letter 1/);
    const mailed = json<ShowDoc>(ok(L("--json", "show", "1"))).events.find((e) => e.type === "mailed");
    expect(mailed?.data.pdf_sha256).toBeNull();
    expect(ok(L("show", "1")).stdout).toMatch(/Printed copy: none held/);

    const before = rowCounts(home);
    const pdf = join(work, "copy.pdf");
    expect(errorCode(L("--json", "show", "1", "--pdf", pdf))).toBe("NO_PRINTED_COPY");
    expect(existsSync(pdf)).toBe(false);
    expect(rowCounts(home)).toEqual(before);

    ok(L("export", "1", "--out", join(work, "case.zip")));
    const dir = unzip(join(work, "case.zip"));
    expect(filesUnder(dir, "letters")).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    expect(manifest.notes.join("\n")).toMatch(
      /Letter 1 .* was mailed with no copy printed by loanmail by that day: its printed copy is not held/,
    );
    expect(readFileSync(join(dir, "index.html"), "utf8")).toMatch(/Printed copy: not held/);
  });

  it("a letter printed after the day it is recorded as mailed: that PDF is not called the copy mailed", () => {
    // Written 2026-10-20, entered and printed today, recorded as mailed 2026-10-21: the PDF printed today cannot be
    // the paper that left on 2026-10-21, so the record holds no copy of it and the declaration claims none.
    const { L } = setupHome();
    const work = tempDir("loanmail-proof-");
    ok(L(...NOE, "--loan", "1", "--dated", "2026-10-20", "--summary", "Entered later."));
    ok(L("show", "1", "--pdf", join(work, "printed-today.pdf")));
    const r = ok(L("--json", "mailed", "1", "--tracking", "9407111899560000000033", "--date", "2026-10-21"));
    expect(json<{ printedPdf: string | null }>(r).printedPdf).toBeNull();
    expect(r.stderr).toMatch(
      /printed letter 1 on \d{4}-\d{2}-\d{2}, after the day it was mailed \(2026-10-21\): that PDF/,
    );
    const mailed = json<ShowDoc>(ok(L("--json", "show", "1"))).events.find((e) => e.type === "mailed");
    expect(mailed?.data.pdf_sha256).toBeNull();
    // show says both: no copy of what left, and the later printing, kept as such.
    const text = ok(L("show", "1")).stdout;
    expect(text).toContain("Printed copy: none held (loanmail printed none by the day it left)");
    expect(text).toMatch(/Printed later: 1 time\(s\), not the copy that left; last PDF sha256 [0-9a-f]{16}…/);
    ok(L("export", "1", "--out", join(work, "case.zip")));
    const dir = unzip(join(work, "case.zip"));
    expect(filesUnder(dir, "letters")).toEqual([]);
    const declaration = readFileSync(join(dir, "declaration.txt"), "utf8").replace(/\s+/g, " ");
    expect(declaration).toContain("A copy of the letter as I mailed it is not in this bundle.");
    expect(declaration).toContain("the letter's text as my record holds it (not the paper itself)");
    expect(declaration).not.toContain("at or near the time");
    expect(declaration).toMatch(/the mailing \(LM-[A-Z0-9]+-1, message 1\) on October 21, 2026, entered on /);
  });
});

describe("the record of a letter at departure", () => {
  it("after a servicing transfer, the export shows the servicer and account of the day the letter left", () => {
    const { L } = setupHome();
    const work = tempDir("loanmail-proof-");
    ok(
      L(
        "servicer",
        "add",
        "Lakeview Loan Servicing",
        "--domain",
        "lakeview.test",
        "--email",
        "care@lakeview.test",
        "--notice-address",
        "Lakeview Loan Servicing\\nPO Box 4242\\nCoral Gables, FL 33146",
      ),
    );
    ok(L(...NOE, "--loan", "1", "--summary", "Sent before the transfer."));
    ok(L("show", "1", "--pdf", join(work, "printed.pdf")));
    ok(L("mailed", "1", "--tracking", "9407111899560000000033", "--date", today()));
    ok(L("loan", "transfer", "1", "--to", "Lakeview Loan Servicing", "--account", "7654321", "--date", today()));

    // The record itself: the mailed event holds the servicer, address, account and borrowers of that day.
    const asSent = json<ShowDoc>(ok(L("--json", "show", "1"))).messages[0]?.departure?.asSent;
    expect(asSent).toMatchObject({
      servicer: "Mr. Cooper",
      account_number: "1234567",
      address: "Mr. Cooper\nPO Box 619098\nDallas, TX 75261",
      borrowers: ["Jane Q. Doe"],
    });

    ok(L("export", "1", "--out", join(work, "case.zip")));
    const dir = unzip(join(work, "case.zip"));
    const [letter] = filesUnder(dir, "letters");
    const text = execFileSync("pdftotext", ["-layout", join(dir, letter as string), "-"], { encoding: "utf8" });
    expect(text).toContain("PO Box 619098");
    expect(text).toContain("Account Number 1234567");
    expect(text).not.toMatch(/Lakeview|7654321/);

    const timeline = JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8")) as TimelineJson;
    const c = timeline.cases[0];
    expect(c?.messages[0]?.sentTo).toMatchObject({ servicer: "Mr. Cooper", accountNumber: "1234567", recorded: true });
    expect(c?.lettersSentTo).toEqual([{ servicer: "Mr. Cooper", accountNumber: "1234567" }]);
    expect(c).toMatchObject({ servicer: "Lakeview Loan Servicing", accountNumber: "7654321" });
    expect(c?.rows.find((r) => r.type === "mailed")?.detail).toMatch(/to Mr\. Cooper, PO Box 619098.*account 1234567/);

    const html = readFileSync(join(dir, "index.html"), "utf8");
    const sentTo = /<p class="meta sent-to">([^<]*)<\/p>/.exec(html)?.[1] ?? "";
    expect(sentTo).toMatch(/^Addressed when it left: Mr\. Cooper, PO Box 619098, Dallas, TX 75261; account 1234567/);
    // The heading says both: whom the letter went to, and where the loan is now.
    expect(html).toContain(
      "letters addressed to Mr. Cooper, account 1234567 when they left; the loan is now with Lakeview Loan Servicing, account 7654321",
    );
    expect(ok(L("timeline", "1")).stdout).toMatch(
      /certified mail to Mr\. Cooper, PO Box 619098, Dallas, TX 75261, account 1234567/,
    );
  });

  it("a letter recorded before loanmail kept that record falls back to the loan as it is now, and says so", () => {
    const { home, L } = setupHome();
    const work = tempDir("loanmail-proof-");
    ok(L(...NOE, "--loan", "1", "--summary", "An old record."));
    // A mailing as an older loanmail wrote it: no as_sent, no pdf_sha256.
    const db = new Database(join(home, "loanmail.db"));
    try {
      const now = new Date().toISOString();
      db.prepare("UPDATE messages SET state = 'sent' WHERE id = 1").run();
      db.transaction(() =>
        appendEvent(db, {
          caseId: 1,
          loanId: 1,
          at: now,
          type: "mailed",
          actor: "user",
          messageId: 1,
          data: {
            tracking: "9407111899560000000044",
            mailed_on: today(),
            sha256: "0".repeat(64),
            postal_address: null,
          },
        }),
      )();
    } finally {
      db.close();
    }
    const shown = ok(L("show", "1")).stdout;
    expect(shown).toMatch(/Sent to: not recorded when it left/);
    const pdf = ok(L("--json", "show", "1", "--pdf", join(work, "old.pdf")));
    expect(json<{ source: string }>(pdf).source).toBe("regenerated");
    expect(pdf.stderr).toMatch(/left before loanmail kept printed copies/);

    ok(L("export", "1", "--out", join(work, "case.zip")));
    const dir = unzip(join(work, "case.zip"));
    const timeline = JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8")) as TimelineJson;
    expect(timeline.cases[0]?.messages[0]?.sentTo).toMatchObject({ servicer: "Mr. Cooper", recorded: false });
    expect(timeline.cases[0]?.messages[0]?.printedCopy?.state).toBe("not-recorded");
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).toMatch(/was not recorded when it left \(an older record\); shown as the loan is now/);
    expect(html).toMatch(/PDF made at export from the stored text: it left before loanmail kept printed copies/);
    expect(filesUnder(dir, "letters")).toHaveLength(1);
  });
});

describe("proof of mailing", () => {
  it("keeps the receipt, the green card and the tracking page by hash, in show, the timeline and the bundle", () => {
    const { L } = setupHome();
    const work = tempDir("loanmail-proof-");
    const d = today();
    ok(L(...NOE, "--loan", "1", "--summary", "Mailed with proof."));
    ok(L("show", "1", "--pdf", join(work, "letter.pdf")));
    const receipt = writePng(join(work, "PS3800 receipt.png"));
    const green = writePdf(join(work, "green card.pdf"));
    const tracking = join(work, "tracking.pdf");
    writeFileSync(tracking, `${readFileSync(PROOF).toString("latin1")}\n% saved tracking page\n`, "latin1");
    ok(L("mailed", "1", "--tracking", "9407111899560000000055", "--date", d, "--receipt", receipt));
    // The green card comes back later: kept with the letter, the mailing is not recorded again.
    const later = json<{ recorded: string; message: number }>(ok(L("--json", "mailed", "1", "--green-card", green)));
    expect(later).toMatchObject({ recorded: "proof", message: 1 });
    ok(L("mailed", "1", "--delivered", d, "--tracking-proof", tracking));

    const show = json<ShowDoc>(ok(L("--json", "show", "1")));
    expect(show.events.filter((e) => e.type === "mailed")).toHaveLength(1);
    const hashes = [receipt, green, tracking].map((f) => sha256(readFileSync(f)));
    expect(show.messages[0]?.proofs.map((p) => [p.kind, p.name, p.sha256])).toEqual([
      ["receipt", "PS3800 receipt.png", hashes[0]],
      ["green-card", "green card.pdf", hashes[1]],
      ["tracking-proof", "tracking.pdf", hashes[2]],
    ]);
    const text = ok(L("show", "1")).stdout;
    expect(text).toMatch(/Proof: {3}certified mail receipt \(PS Form 3800\) {2}PS3800 receipt\.png/);
    expect(text).toMatch(/Proof: {3}return receipt \(PS Form 3811, green card\) {2}green card\.pdf/);
    expect(text).toMatch(/Proof: {3}USPS tracking page {2}tracking\.pdf/);
    const timeline = ok(L("timeline", "1")).stdout;
    expect(timeline).toMatch(/proof kept: certified mail receipt \(PS Form 3800\) PS3800 receipt\.png/);
    expect(timeline).toMatch(/proof kept: return receipt \(PS Form 3811, green card\) green card\.pdf/);
    expect(timeline).toMatch(/proof kept: USPS tracking page tracking\.pdf/);

    ok(L("export", "1", "--out", join(work, "case.zip")));
    const dir = unzip(join(work, "case.zip"));
    const proofs = filesUnder(dir, "exhibits/proof").sort();
    expect(proofs).toEqual([
      "exhibits/proof/001-green-card-green card.pdf",
      "exhibits/proof/001-receipt-PS3800 receipt.png",
      "exhibits/proof/001-tracking-proof-tracking.pdf",
    ]);
    expect(proofs.map((p) => sha256(readFileSync(join(dir, p)))).sort()).toEqual([...hashes].sort());
    const html = readFileSync(join(dir, "index.html"), "utf8");
    for (const p of proofs) expect(html).toContain(`href="${p.split("/").map(encodeURIComponent).join("/")}"`);
    const tj = JSON.parse(readFileSync(join(dir, "timeline.json"), "utf8")) as TimelineJson;
    expect(tj.cases[0]?.messages[0]?.proofs.map((p) => p.file).sort()).toEqual(proofs);
  });

  it("refuses a missing, non-regular, wrong-type, too big or repeated proof file, and changes nothing", () => {
    const { home, L } = setupHome();
    const work = tempDir("loanmail-proof-");
    ok(L(...NOE, "--loan", "1", "--summary", "Mailed, then bad proof."));
    const fifo = join(work, "pipe.pdf");
    execFileSync("mkfifo", [fifo]);
    const text = join(work, "receipt.pdf");
    writeFileSync(text, "this is not a scan\n");
    const big = join(work, "big.pdf");
    // 10 MB is the default limit for one file (limits.attachment_mb); this one is a byte over.
    writeFileSync(big, Buffer.concat([Buffer.from("%PDF-1.4\n"), Buffer.alloc(10 * 1024 * 1024 - 8)]));
    const receipt = writePng(join(work, "receipt.png"));
    const tracking = ["--tracking", "9407111899560000000066", "--date", today()];
    const cases: [string[], string][] = [
      [["--receipt", join(work, "missing.png")], "FILE_NOT_FOUND"],
      [["--receipt", fifo], "NOT_A_FILE"],
      [["--green-card", "/dev/null"], "NOT_A_FILE"],
      [["--green-card", work], "NOT_A_FILE"],
      [["--tracking-proof", text], "UNSUPPORTED_FILE_TYPE"],
      [["--tracking-proof", big], "PROOF_FILE_TOO_LARGE"],
      [["--receipt", receipt, "--green-card", receipt], "PROOF_ALREADY_KEPT"],
    ];
    // With the mailing: a bad file refuses the mailing too.
    let before = rowCounts(home);
    for (const [args, code] of cases) {
      expect(errorCode(L("--json", "mailed", "1", ...tracking, ...args)), args.join(" ")).toBe(code);
      expect(rowCounts(home)).toEqual(before);
    }
    // Proof alone for a letter not mailed yet.
    expect(errorCode(L("--json", "mailed", "1", "--receipt", receipt))).toBe("NOT_MAILED_YET");
    expect(rowCounts(home)).toEqual(before);

    // After the mailing: the same refusals, and a file kept already is not kept twice.
    ok(L("mailed", "1", ...tracking, "--receipt", receipt));
    before = rowCounts(home);
    for (const [args, code] of [...cases, [["--green-card", receipt], "PROOF_ALREADY_KEPT"]] as [string[], string][]) {
      expect(errorCode(L("--json", "mailed", "1", ...args)), args.join(" ")).toBe(code);
      expect(rowCounts(home)).toEqual(before);
    }
  });
});
