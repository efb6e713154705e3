/**
 * `escalate` and `resolve`, run as a script would run them (no TTY, a temporary home, no mail server): letters
 * are recorded as sent through the portal or mailed with past dates, replies imported from .eml or recorded
 * from a scan, so that the clocks are late today. One case climbs the whole ladder: inquiry → follow-up →
 * escalation request → formal notice (PDF for the post) → CFPB packet → legal.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { verifyChains } from "../../src/store/events.js";
import { json, rowCounts, setupHome, tempDir, writePdf } from "./helpers.js";

const PROOF = join(import.meta.dirname, "../../examples/proof-of-payment.pdf");
const REPLY_ID = "<20260908100000.8812345@servicer.test>";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

interface Cite {
  type: string;
  case: string;
  date: string;
  subject: string;
  messageId: string | null;
  text: string;
}
interface EscalateDoc {
  parent: { id: number; tag: string; step: string; status: string };
  child: {
    id: number;
    tag: string;
    step: string;
    parentId: number;
    kind: string;
    channel: string;
    formal: boolean;
  } | null;
  from: string;
  step: string;
  trigger: { kind: string };
  cites: Cite[];
  missed: { clock: string; rule: string; businessDaysLate: number; text: string }[];
  summary: string;
  pdf: string | null;
  packet: { dir: string; files: { name: string; sha256: string }[] } | null;
  next: string[];
}

function caseRow(home: string, id: number): { parent_id: number | null; step: string; status: string } {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT parent_id, step, status FROM cases WHERE id = ?").get(id) as {
      parent_id: number | null;
      step: string;
      status: string;
    };
  } finally {
    db.close();
  }
}

function letterOf(L: ReturnType<typeof setupHome>["L"], id: number): { subject: string; messageId: string } {
  const show = json<{ messages: { direction: string; subject: string; messageId: string }[] }>(
    L("--json", "show", String(id)),
  );
  const m = show.messages.find((x) => x.direction === "out");
  if (!m) throw new Error(`case ${id} has no letter`);
  return m;
}

describe("escalate: the ladder, one step at a time", () => {
  it("climbs from an inquiry to the regulator and legal, citing the whole history each time", {
    timeout: 120_000,
  }, () => {
    const { home, L } = setupHome();
    const ok = (...args: string[]) => {
      const r = L(...args);
      if (r.code !== 0) throw new Error(`${args.join(" ")} exited ${r.code}: ${r.stderr}`);
      return r;
    };
    // The history is recorded after the fact: each letter is written (--dated, or escalate --as-of) on a day
    // before it left. Case 1 written Mon 2026-08-31, uploaded Tue 09-01.
    ok(
      "compose",
      "payment-application",
      "--loan",
      "1",
      "--dated",
      "2026-08-31",
      "--set",
      "payment-date=2026-03-01",
      "--set",
      "amount=1500",
      "--summary",
      "On 2026-03-01 I paid $1,500.00 online (confirmation 88812); it sits in suspense.",
      "--attach",
      `${PROOF}=Proof of payment`,
    );
    ok("sent", "1", "--via", "portal", "--date", "2026-09-01");
    const first = letterOf(L, 1);
    // An ordinary letter through a portal starts no clock: nothing to escalate until the user says so.
    const early = L("escalate", "1");
    expect(early.code).toBe(1);
    expect(early.stderr).toMatch(/no deadline runs for LM-[A-Z0-9]{4}-1 and it is not marked unresolved/);

    // The servicer's reply, threaded by In-Reply-To; its class is set by hand so the test does not lean on
    // the classifier.
    const eml = join(tempDir(), "reply.eml");
    writeFileSync(
      eml,
      [
        "From: Mr. Cooper <help@servicer.test>",
        "To: jane@example.test",
        "Subject: Re: Your payment question",
        "Date: Tue, 08 Sep 2026 10:00:00 -0500",
        `Message-ID: ${REPLY_ID}`,
        `In-Reply-To: ${first.messageId}`,
        "Content-Type: text/plain; charset=utf-8",
        "",
        "We are unable to provide this information because the request is overbroad.",
        "",
      ].join("\r\n"),
    );
    ok("import", eml);
    const reply = json<{ messages: { id: number; direction: string; caseId: number }[] }>(
      L("--json", "show", "1"),
    ).messages.find((m) => m.direction === "in");
    expect(reply?.caseId).toBe(1);
    ok("classify", String(reply?.id), "exception");

    // An answer, even a refusal, is not a trigger by itself: the user says whether it resolves the matter.
    const answered = L("escalate", "1");
    expect(answered.code).toBe(1);
    expect(answered.stderr).toContain("the servicer answered on 2026-09-08 (exception) and no clock is late");
    expect(answered.stderr).toMatch(/hint: .*loanmail resolve 1 --unresolved/);

    expect(json(ok("--json", "resolve", "1", "--unresolved"))).toMatchObject({ status: "unresolved" });

    // Step 1: inquiry → follow-up, a child case citing the letter and the reply, drafted as of Mon 09-14.
    const one = json<EscalateDoc>(ok("--json", "escalate", "1", "--as-of", "2026-09-14"));
    expect(one).toMatchObject({
      schema: 1,
      from: "inquiry",
      step: "follow-up",
      trigger: { kind: "exception-disputed" },
    });
    expect(one.child).toMatchObject({ id: 2, step: "follow-up", parentId: 1, kind: "follow-up", channel: "email" });
    expect(one.cites.map((c) => [c.type, c.date, c.subject, c.messageId])).toEqual([
      ["letter", "2026-09-01", first.subject, first.messageId],
      ["reply", "2026-09-08", "Re: Your payment question", REPLY_ID],
    ]);
    expect(caseRow(home, 2)).toMatchObject({ parent_id: 1, step: "follow-up", status: "draft" });
    const body2 = json<{ messages: { bodyText: string }[] }>(L("--json", "show", "2")).messages[0]?.bodyText ?? "";
    for (const needed of [
      "2026-09-01",
      first.subject,
      first.messageId,
      "2026-09-08",
      "Re: Your payment question",
      REPLY_ID,
    ]) {
      expect(body2).toContain(needed);
    }
    // The follow-up's own words cite the letter by the day it left, written out.
    expect(body2).toContain(first.subject);
    expect(body2).toMatch(/\(LM-[A-Z0-9]{4}-1\), sent on September 1, 2026, to which/);
    const child2 = json<{ messages: { written?: { writtenOn: string } }[] }>(L("--json", "show", "2"));
    expect(child2.messages[0]?.written?.writtenOn).toBe("2026-09-14");
    const events1 = json<{ events: { type: string; data: Record<string, unknown> }[] }>(
      L("--json", "show", "1"),
    ).events;
    expect(events1.at(-1)).toMatchObject({
      type: "escalated",
      data: { step: "follow-up", child: one.child?.tag, trigger: "exception-disputed" },
    });

    // The same case is not escalated twice: its child carries on.
    const twice = L("escalate", "1");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`already escalated: ${one.child?.tag} (follow-up)`);

    // Step 2: the follow-up (written 09-14) leaves Tue 09-15 and climbs one more step as of Mon 09-21, citing
    // everything so far (text output).
    ok("sent", "2", "--via", "portal", "--date", "2026-09-15");
    ok("resolve", "2", "--unresolved");
    const two = ok("escalate", "2", "--as-of", "2026-09-21");
    expect(two.stdout).toContain("from follow-up to escalation-request: drafted case 3");
    for (const needed of [first.messageId, REPLY_ID, letterOf(L, 2).messageId, "2026-09-15"]) {
      expect(two.stdout).toContain(needed);
    }
    expect(caseRow(home, 3)).toMatchObject({ parent_id: 2, step: "escalation-request" });

    // Step 3: the escalation request (written 09-21) leaves Tue 09-22; as of Thu 09-24 the formal notice of
    // error, by post to the designated address: a PDF beside the home.
    ok("sent", "3", "--via", "portal", "--date", "2026-09-22");
    ok("resolve", "3", "--unresolved");
    const three = json<EscalateDoc>(ok("--json", "escalate", "3", "--as-of", "2026-09-24"));
    expect(three).toMatchObject({ from: "escalation-request", step: "formal" });
    expect(three.child).toMatchObject({ id: 4, kind: "notice-of-error", formal: true, channel: "post", parentId: 3 });
    expect(three.pdf).toBe(join(home, "letters", `${three.child?.tag}.pdf`));
    const pdf = three.pdf as string;
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
    expect(three.next.join("\n")).toContain("loanmail mailed 4 --tracking");
    // pdfkit may wrap a line after a hyphen inside a Message-ID (<LM-⏎K7QX-1...>): join such breaks.
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).replace(/-\n\s*/g, "-");
    expect(text).toContain(REPLY_ID);
    expect(text).toContain(first.messageId);
    expect(text).toContain("PO Box 619098");
    expect(text).toContain("Notice of Error");
    const prefix = join(tempDir(), "page");
    execFileSync("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "1", pdf, prefix]);
    const png = readFileSync(`${prefix}-1.png`);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeGreaterThan(2000);
    expect(caseRow(home, 4)).toMatchObject({ parent_id: 3, step: "formal" });

    // Step 4: mailed and delivered long ago, never answered: the CFPB complaint packet.
    ok("mailed", "4", "--tracking", "9407111899223197428490", "--date", "2026-09-25", "--delivered", "2026-09-29");
    const four = json<EscalateDoc>(ok("--json", "escalate", "4"));
    expect(four).toMatchObject({
      from: "formal",
      step: "regulator",
      child: null,
      pdf: null,
      trigger: { kind: "late-clock" },
    });
    expect(four.missed.map((m) => m.clock)).toEqual(["noe-ack", "noe-response"]);
    expect(four.missed[0]?.text).toMatch(
      /^The acknowledgment required by 12 C\.F\.R\. 1024\.35\(d\) was due 2026-10-06 and had not arrived on \d{4}-\d{2}-\d{2}, \d+ business days late\.$/,
    );
    expect(four.cites).toHaveLength(5);
    const dir = join(home, "complaints", `${four.parent.tag}-cfpb`);
    expect(four.packet?.dir).toBe(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    const files = readdirSync(dir);
    expect(files).toEqual(expect.arrayContaining(["narrative.txt", "desired-resolution.txt", "exhibits.txt"]));
    const narrative = readFileSync(join(dir, "narrative.txt"), "utf8");
    expect(narrative).toContain("== What happened");
    expect(narrative).toContain("== What do you want the company to do");
    expect(narrative).toContain("The acknowledgment required by 12 C.F.R. 1024.35(d) was due 2026-10-06");
    expect(narrative).toMatch(/^1\. 2026-09-01: I sent Mr\. Cooper my letter /m);
    expect(narrative).toMatch(/^2\. 2026-09-08: Mr\. Cooper replied "Re: Your payment question"/m);
    const whatHappened = narrative.split("== What happened")[1]?.split("== What do you want")[0] ?? "";
    expect(whatHappened.length).toBeLessThan(2200);
    expect(readFileSync(join(dir, "desired-resolution.txt"), "utf8")).toContain("Apply my payment of $1,500.00");
    // The exhibit is copied from the blobs table byte for byte, and listed with its hash.
    const proofSha = sha256(readFileSync(PROOF));
    const exhibitName = files.find((f) => f.includes("Exhibit A") && f.endsWith(".pdf")) as string;
    expect(exhibitName).toBeDefined();
    expect(sha256(readFileSync(join(dir, exhibitName)))).toBe(proofSha);
    const exhibits = readFileSync(join(dir, "exhibits.txt"), "utf8");
    expect(exhibits).toContain(proofSha);
    expect(exhibits).toContain(REPLY_ID);
    for (const f of files) expect(statSync(join(dir, f)).mode & 0o777).toBe(0o600);
    expect(four.next.join("\n")).toContain("loanmail filed 4 --cfpb-id ID --date");
    expect(caseRow(home, 4).step).toBe("regulator");

    // Step 5: legal, which points to the evidence bundle; then the top of the ladder.
    const five = ok("escalate", "4");
    expect(five.stdout).toContain("from regulator to legal");
    expect(five.stdout).toContain("loanmail export 4 --out");
    const top = L("escalate", "4");
    expect(top.code).toBe(1);
    expect(top.stderr).toContain("top of the ladder");

    const db = new Database(join(home, "loanmail.db"), { fileMustExist: true });
    try {
      expect(verifyChains(db)).toMatchObject({ ok: true });
      const steps = db
        .prepare("SELECT json_extract(data, '$.step') FROM events WHERE type = 'escalated' ORDER BY id")
        .pluck()
        .all();
      expect(steps).toEqual(["follow-up", "escalation-request", "formal", "regulator", "legal"]);
    } finally {
      db.close();
    }
  });
});

describe("escalate: refusals", () => {
  it("refuses with exit 1, saying why, when every clock was met; nothing is written", () => {
    const { home, L } = setupHome();
    // Written and mailed Tue 2026-09-01 (recorded later: --dated).
    L(
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--dated",
      "2026-09-01",
      "--set",
      "error=the March payment sits in suspense",
      "--summary",
      "x y z.",
    );
    expect(
      L("mailed", "1", "--tracking", "9407111899223197428490", "--date", "2026-09-01", "--delivered", "2026-09-03")
        .code,
    ).toBe(0);
    const scan = writePdf(join(tempDir(), "scan.pdf"));
    for (const [date, cls] of [
      ["2026-09-08", "acknowledgment"],
      ["2026-09-20", "response"],
    ] as const) {
      expect(L("received", "1", "--date", date, "--file", scan, "--class", cls).code).toBe(0);
    }
    const before = rowCounts(home);
    const r = L("escalate", "1");
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("the servicer answered on 2026-09-20 (response) and no clock is late");
    expect(r.stderr).toContain("loanmail resolve 1 --unresolved");
    expect(rowCounts(home)).toEqual(before);
    expect(existsSync(join(home, "complaints"))).toBe(false);
    expect(existsSync(join(home, "letters"))).toBe(false);

    // The user disagrees with the answer: now it climbs (a formal notice goes to the regulator).
    expect(L("resolve", "1", "--unresolved").code).toBe(0);
    const doc = json<EscalateDoc>(L("--json", "escalate", "1"));
    expect(doc).toMatchObject({ step: "regulator", trigger: { kind: "unresolved" } });
  });
});

describe("resolve", () => {
  it("closes a case, marks it unresolved, and refuses a draft, a repeat and a discarded case", () => {
    const { home, L } = setupHome();
    // Written and mailed Tue 2026-09-01 (recorded later: --dated).
    L(
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--dated",
      "2026-09-01",
      "--set",
      "error=the March payment sits in suspense",
      "--summary",
      "x y z.",
    );
    const draft = L("resolve", "1");
    expect(draft.code).toBe(1);
    expect(draft.stderr).toContain("has no letter that left yet");
    expect(L("mailed", "1", "--tracking", "9407111899223197428490", "--date", "2026-09-01").code).toBe(0);

    const done = L("--json", "resolve", "1");
    expect(done.code).toBe(0);
    const doc = json<{ status: string; previousStatus: string; closedAt: string | null }>(done);
    expect(doc).toMatchObject({ status: "resolved", previousStatus: "open" });
    expect(doc.closedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    const again = L("resolve", "1");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("is already resolved");
    // A resolved case is not escalated.
    const esc = L("escalate", "1");
    expect(esc.code).toBe(1);
    expect(esc.stderr).toContain("is resolved");

    const un = L("--json", "resolve", "1", "--unresolved");
    expect(un.code).toBe(0);
    expect(json(un)).toMatchObject({ status: "unresolved", previousStatus: "resolved", closedAt: null });
    expect(L("resolve", "1", "--unresolved").code).toBe(1);
    expect(caseRow(home, 1).status).toBe("unresolved");
    const types = json<{ events: { type: string }[] }>(L("--json", "show", "1")).events.map((e) => e.type);
    expect(types).toEqual(["composed", "mailed", "resolved", "unresolved"]);

    L("compose", "assumption", "--loan", "1", "--summary", "We may sell the house.");
    expect(L("discard", "2").code).toBe(0);
    for (const args of [
      ["resolve", "2"],
      ["resolve", "2", "--unresolved"],
      ["escalate", "2"],
    ]) {
      const r = L(...args);
      expect(r.code).toBe(1);
      expect(r.stderr).toContain("was discarded");
    }
  });
});
