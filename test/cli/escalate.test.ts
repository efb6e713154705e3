/**
 * `escalate` and `resolve`, run as a script would run them (no TTY, a temporary home, no mail server): letters
 * are recorded as sent through the portal or mailed with past dates, replies imported from .eml or recorded
 * from a scan, so that the clocks are late today (or on the day --as-of names). Without a TTY, escalate only
 * prints its proposal (exit 0, nothing written) unless --yes. One case climbs the whole ladder: inquiry →
 * follow-up → escalation request → formal notice (PDF for the post) → CFPB packet → legal.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { verifyChains } from "../../src/store/events.js";
import { addMailAccount, json, receivedByUserServer, rowCounts, setupHome, tempDir, writePdf } from "./helpers.js";

const PROOF = join(import.meta.dirname, "../../examples/proof-of-payment.pdf");
const REPLY_ID = "<20260908100000.8812345@servicer.test>";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

interface Cite {
  type: string;
  case: string;
  date: string;
  writtenOn?: string;
  subject: string;
  messageId: string | null;
  text: string;
}
interface EscalateDoc {
  acted: boolean;
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
  chosen: boolean;
  action: string;
  letter: { kind: string; formal: boolean } | null;
  reason: string;
  passedOver: string | null;
  clocks: { case: string; clock: string; rule: string; due: string; status: string; businessDaysLate: number | null }[];
  trigger: { kind: string; text: string };
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
      "--no-formal",
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
    // the classifier. It arrived on 09-08 by the Received field of the user's own server.
    addMailAccount(L);
    const eml = join(tempDir(), "reply.eml");
    writeFileSync(
      eml,
      [
        receivedByUserServer("Tue, 08 Sep 2026 10:00:09 -0500"),
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

    // Step 1: inquiry → follow-up. Without --yes (no TTY) only the proposal, and nothing is written.
    const before = rowCounts(home);
    const proposal = json<EscalateDoc>(ok("--json", "escalate", "1", "--as-of", "2026-09-14"));
    expect(proposal).toMatchObject({
      acted: false,
      from: "inquiry",
      step: "follow-up",
      child: null,
      letter: { kind: "follow-up", formal: false },
    });
    expect(proposal.next[0]).toBe("loanmail escalate 1 --as-of 2026-09-14 --yes");
    expect(rowCounts(home)).toEqual(before);
    // With --yes: a child case citing the letter and the reply, drafted as of Mon 09-14.
    const one = json<EscalateDoc>(ok("--json", "--yes", "escalate", "1", "--as-of", "2026-09-14"));
    expect(one).toMatchObject({
      schema: 1,
      acted: true,
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
    // The letter names the earlier letter by its day in words and its tag, the reply by its subject; the
    // Message-IDs stay in the record (cites above), never in the prose.
    const tag1 = first.subject.replace(/^.*\[(.+)\]$/, "$1");
    for (const needed of [
      // Written Mon 08-31 (--dated), uploaded Tue 09-01: cited on the day it left, with the day it was written.
      `On September 1, 2026 I sent my letter "Payment Clarification" (reference ${tag1}), dated August 31, 2026, through your portal.`,
      'On September 8, 2026 you replied with "Re: Your payment question": declining to answer.',
      `I have not received a complete answer to my letter of August 31, 2026, sent on September 1, 2026 (reference ${tag1}).`,
    ]) {
      expect(body2).toContain(needed);
    }
    for (const absent of [first.messageId, REPLY_ID, "Message-ID", "2026-09-01"]) expect(body2).not.toContain(absent);
    // The follow-up's own words cite the letter by the day it was written and the day it left, written out.
    expect(body2).toMatch(/my letter of August 31, 2026, sent on September 1, 2026 \(reference LM-[A-Z0-9]{4}-1\)/);
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
    const twice = L("--yes", "escalate", "1");
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain(`already escalated: ${one.child?.tag} (follow-up)`);

    // Step 2: the follow-up (written 09-14) leaves Tue 09-15 and climbs one more step as of Mon 09-21, citing
    // everything so far (text output).
    ok("sent", "2", "--via", "portal", "--date", "2026-09-15");
    ok("resolve", "2", "--unresolved");
    const two = ok("escalate", "2", "--as-of", "2026-09-21", "--yes");
    expect(two.stdout).toContain("from follow-up to escalation-request: drafted case 3");
    for (const needed of [first.messageId, REPLY_ID, letterOf(L, 2).messageId, "2026-09-15"]) {
      expect(two.stdout).toContain(needed);
    }
    expect(caseRow(home, 3)).toMatchObject({ parent_id: 2, step: "escalation-request" });

    // Step 3: the escalation request (written 09-21) leaves Tue 09-22; as of Thu 09-24 the formal notice of
    // error, by post to the designated address: a PDF beside the home.
    ok("sent", "3", "--via", "portal", "--date", "2026-09-22");
    ok("resolve", "3", "--unresolved");
    const three = json<EscalateDoc>(ok("--json", "escalate", "3", "--as-of", "2026-09-24", "--yes"));
    expect(three).toMatchObject({ from: "escalation-request", step: "formal" });
    expect(three.child).toMatchObject({ id: 4, kind: "notice-of-error", formal: true, channel: "post", parentId: 3 });
    expect(three.pdf).toBe(join(home, "letters", `${three.child?.tag}.pdf`));
    const pdf = three.pdf as string;
    expect(statSync(pdf).mode & 0o777).toBe(0o600);
    expect(three.next.join("\n")).toContain("loanmail mailed 4 --tracking");
    // pdfkit may wrap a line after a hyphen inside a tag (LM-⏎K7QX-1): join such breaks.
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" }).replace(/-\n\s*/g, "-");
    expect(text.replace(/\s+/g, " ")).toContain("On September 8, 2026 you replied with");
    expect(text).not.toContain(REPLY_ID);
    expect(text).not.toContain(first.messageId);
    expect(text).toContain("PO Box 619098");
    expect(text).toContain("Notice of Error");
    const prefix = join(tempDir(), "page");
    execFileSync("pdftoppm", ["-png", "-r", "40", "-f", "1", "-l", "1", pdf, prefix]);
    const png = readFileSync(`${prefix}-1.png`);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeGreaterThan(2000);
    expect(caseRow(home, 4)).toMatchObject({ parent_id: 3, step: "formal" });

    // Step 4: mailed 2026-09-25 and delivered Tue 2026-09-29, never answered. Acknowledgment due Tue 10-06
    // (09-30, 10-01, 02, 05, 06); response due Thu 2026-11-12 (30 business days; Columbus Day 10-12 and Veterans
    // Day 11-11 closed): missed today, so the CFPB complaint packet.
    ok("mailed", "4", "--tracking", "9407111899223197428490", "--date", "2026-09-25", "--delivered", "2026-09-29");
    const four = json<EscalateDoc>(ok("--json", "escalate", "4", "--yes"));
    expect(four.clocks.map((c) => [c.clock, c.due, c.status])).toEqual([
      ["noe-ack", "2026-10-06", "late"],
      ["noe-response", "2026-11-12", "late"],
    ]);
    expect(four).toMatchObject({
      acted: true,
      from: "formal",
      step: "regulator",
      child: null,
      pdf: null,
      trigger: { kind: "late-clock" },
    });
    expect(four.missed.map((m) => m.clock)).toEqual(["noe-ack", "noe-response"]);
    expect(four.missed[0]?.text).toMatch(
      /^The acknowledgment required by 12 C\.F\.R\. 1024\.35\(d\) was due October 6, 2026 and had not arrived on [A-Z][a-z]+ \d{1,2}, \d{4}, \d+ business days late\.$/,
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
    expect(narrative).toContain("The acknowledgment required by 12 C.F.R. 1024.35(d) was due October 6, 2026");
    expect(narrative).toMatch(/^1\. September 1, 2026: I sent Mr\. Cooper my letter /m);
    expect(narrative).toMatch(/^2\. September 8, 2026: Mr\. Cooper replied "Re: Your payment question"/m);
    const whatHappened = narrative.split("== What happened")[1]?.split("== What do you want")[0] ?? "";
    expect(whatHappened.length).toBeLessThan(2200);
    // Issue 10 item 16: the matter in the user's own words from the first letter, no full account number in the
    // narrative (the form has a field for it), and the form's choices proposed from the record.
    expect(whatHappened).not.toContain("1234567");
    expect(whatHappened).not.toMatch(/about .* \(.*with dates and amounts\)/);
    expect(narrative).toContain("Product: Mortgage");
    expect(narrative).toMatch(/^Sub-product: Conventional home mortgage/m);
    expect(narrative).toContain("Issue: Trouble during payment process");
    // The first letter was written Mon 08-31 (--dated) and uploaded Tue 09-01: "wrote" on the day it was written,
    // and how and when it left.
    expect(narrative).toMatch(
      /^Have you already tried to fix this problem with the company\? Yes\. I wrote to Mr\. Cooper \d+ times, first on August 31, 2026 \(sent by portal on September 1, 2026\)/m,
    );
    expect(narrative).toContain("Account number (its own field; it is left out of the text below): 1234567");
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
    const five = ok("escalate", "4", "--yes");
    expect(five.stdout).toContain("from regulator to legal");
    expect(five.stdout).toContain("loanmail export 4 --out");
    const top = L("escalate", "4", "--yes");
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
    for (const [date, cls] of [
      ["2026-09-08", "acknowledgment"],
      ["2026-09-20", "response"],
    ] as const) {
      const scan = writePdf(join(tempDir(), `${cls}.pdf`));
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

    // The user disagrees with the answer: now it climbs, but the notice was answered in time (acknowledged 09-08,
    // answered 09-20; delivered 09-03, so due 09-11 and 10-19): a follow-up, not the regulator.
    expect(L("resolve", "1", "--unresolved").code).toBe(0);
    const afterResolve = rowCounts(home);
    const doc = json<EscalateDoc>(L("--json", "escalate", "1"));
    expect(doc).toMatchObject({ acted: false, step: "follow-up", trigger: { kind: "unresolved" } });
    expect(doc.passedOver).toContain("the servicer answered LM-");
    expect(doc.passedOver).toContain("on 2026-09-20, within 12 C.F.R. 1024.35(e)(3)(i)(C) (due 2026-10-19)");
    // Picking the regulator on purpose is refused with the reason; nothing is written.
    const regulator = L("--yes", "escalate", "1", "--to", "regulator");
    expect(regulator.code).toBe(1);
    expect(regulator.stderr).toContain("no regulator complaint for LM-");
    expect(regulator.stderr).toContain("rests on a missed response to a formal letter");
    expect(regulator.stderr).toMatch(/hint: .*relied-documents.*loanmail escalate 1 --to legal/);
    expect(rowCounts(home)).toEqual(afterResolve);
    expect(existsSync(join(home, "complaints"))).toBe(false);
  });
});

/** A home with a formal notice of error (case 1) mailed Tue 2026-09-01 and delivered Thu 2026-09-03. */
function mailedNotice(): ReturnType<typeof setupHome> {
  const h = setupHome();
  const steps = [
    [
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--dated",
      "2026-08-31",
      "--set",
      "error=the March payment sits in suspense",
      "--summary",
      "x y z.",
    ],
    ["mailed", "1", "--tracking", "9407111899223197428490", "--date", "2026-09-01", "--delivered", "2026-09-03"],
  ];
  for (const args of steps) {
    const r = h.L(...args);
    if (r.code !== 0) throw new Error(`${args.join(" ")}: ${r.stderr}`);
  }
  return h;
}

describe("escalate: asks before it jumps", () => {
  // Delivered Thu 2026-09-03. Acknowledgment (12 C.F.R. 1024.35(d), 5 business days): 09-04, 08, 09, 10, 11 (Labor
  // Day, Mon 09-07, closed) -> due Fri 2026-09-11. Response (12 C.F.R. 1024.35(e)(3)(i)(C), 30 business days;
  // Columbus Day, Mon 10-12, closed) -> due Mon 2026-10-19.

  it("a missed acknowledgment alone proposes a follow-up, not a CFPB complaint; no TTY: the proposal only", () => {
    const { home, L } = mailedNotice();
    const before = rowCounts(home);
    // Mon 2026-09-14: the acknowledgment is 1 business day late, the response still open.
    const text = L("escalate", "1", "--as-of", "2026-09-14");
    expect(text.code).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^Proposal for LM-[A-Z0-9]{4}-1: formal → follow-up$/m);
    expect(text.stdout).toContain("draft a follow-up letter as a new case continuing LM-");
    expect(text.stdout).toContain(
      "Why: Notice of error: acknowledgment (12 C.F.R. 1024.35(d)) is 1 business day late.",
    );
    expect(text.stdout).toContain(
      "Not the regulator rung: a regulator complaint rests on a missed response to a formal letter, and the response to",
    );
    expect(text.stdout).toContain(
      "Notice of error: acknowledgment [12 C.F.R. 1024.35(d)]: due 2026-09-11; LATE by 1 business day on 2026-09-14",
    );
    expect(text.stdout).toContain("Notice of error: response [12 C.F.R. 1024.35(e)(3)(i)(C)]: due 2026-10-19; open");
    expect(text.stdout).toContain("Nothing changed. To do it: loanmail escalate 1 --as-of 2026-09-14 --yes");
    expect(rowCounts(home)).toEqual(before);

    const doc = json<EscalateDoc>(L("--json", "escalate", "1", "--as-of", "2026-09-14"));
    expect(doc).toMatchObject({
      acted: false,
      from: "formal",
      step: "follow-up",
      chosen: false,
      child: null,
      pdf: null,
      packet: null,
      letter: { kind: "follow-up", formal: false },
      reason: "Notice of error: acknowledgment (12 C.F.R. 1024.35(d)) is 1 business day late",
    });
    expect(doc.clocks.map((c) => [c.clock, c.rule, c.due, c.status, c.businessDaysLate])).toEqual([
      ["noe-ack", "12 C.F.R. 1024.35(d)", "2026-09-11", "late", 1],
      ["noe-response", "12 C.F.R. 1024.35(e)(3)(i)(C)", "2026-10-19", "open", null],
    ]);
    expect(rowCounts(home)).toEqual(before);

    // The regulator on purpose: refused, saying why; nothing written.
    const regulator = L("--yes", "escalate", "1", "--as-of", "2026-09-14", "--to", "regulator");
    expect(regulator.code).toBe(1);
    expect(regulator.stderr).toContain("is due 2026-10-19: not missed on 2026-09-14");
    expect(regulator.stderr).toContain("hint: escalate after 2026-10-19 if it has not come");
    expect(rowCounts(home)).toEqual(before);
    expect(existsSync(join(home, "complaints"))).toBe(false);

    // --yes acts on the proposal: the follow-up is drafted as case 2, its letter in dates in words.
    const done = L("--yes", "escalate", "1", "--as-of", "2026-09-14");
    expect(done.code).toBe(0);
    expect(done.stdout).toContain("from formal to follow-up: drafted case 2");
    expect(caseRow(home, 2)).toMatchObject({ parent_id: 1, step: "follow-up", status: "draft" });
    const body = json<{ messages: { bodyText: string }[] }>(L("--json", "show", "2")).messages[0]?.bodyText ?? "";
    expect(body).toContain(
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due September 11, 2026 and had not arrived on September 14, 2026, 1 business day late.",
    );
    expect(body).toContain(
      "Your response to my notice of error is due by October 19, 2026 (12 C.F.R. 1024.35(e)(3)(i)(C)).",
    );
    // The notice was written Mon 08-31 and mailed Tue 09-01: cited by both days, never as "of September 1" alone.
    expect(body).toMatch(
      /On September 1, 2026 I mailed my letter "Notice of Error" \(reference LM-[A-Z0-9]{4}-1\), dated August 31, 2026, by certified mail to your designated address, delivered September 3, 2026\./,
    );
    expect(body).not.toMatch(/Message-ID|\d{4}-\d{2}-\d{2}/);
  });

  it("a missed response of the formal letter proposes the regulator; --to picks another rung on purpose", () => {
    const { home, L } = mailedNotice();
    const before = rowCounts(home);
    // Tue 2026-10-20: the response (due 10-19) is 1 business day late.
    const doc = json<EscalateDoc>(L("--json", "escalate", "1", "--as-of", "2026-10-20"));
    expect(doc).toMatchObject({ acted: false, from: "formal", step: "regulator", passedOver: null, letter: null });
    expect(doc.action).toContain("write the CFPB complaint packet");
    expect(doc.clocks.find((c) => c.clock === "noe-response")).toMatchObject({
      rule: "12 C.F.R. 1024.35(e)(3)(i)(C)",
      due: "2026-10-19",
      status: "late",
      businessDaysLate: 1,
    });
    expect(rowCounts(home)).toEqual(before);
    expect(existsSync(join(home, "complaints"))).toBe(false);

    // A second formal notice on the same matter is refused (duplicative: 12 C.F.R. 1024.35(g)(1)(i)).
    const formal = L("--yes", "escalate", "1", "--as-of", "2026-10-20", "--to", "formal");
    expect(formal.code).toBe(1);
    expect(formal.stderr).toContain("is already the formal letter of this matter (it left on 2026-09-01)");
    expect(rowCounts(home)).toEqual(before);

    // The attorney instead, on purpose and with --yes: the case goes to the legal rung, the event says it was chosen.
    const legal = json<EscalateDoc>(L("--json", "--yes", "escalate", "1", "--as-of", "2026-10-20", "--to", "legal"));
    expect(legal).toMatchObject({ acted: true, from: "formal", step: "legal", chosen: true });
    expect(legal.next.join("\n")).toContain("loanmail export 1 --out");
    expect(caseRow(home, 1).step).toBe("legal");
    const events = json<{ events: { type: string; data: Record<string, unknown> }[] }>(L("--json", "show", "1")).events;
    expect(events.at(-1)).toMatchObject({
      type: "escalated",
      data: { step: "legal", chosen: true, as_of: "2026-10-20" },
    });
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

describe("escalate: what has happened, and what has not", () => {
  // mailedNotice: written Mon 2026-08-31, mailed Tue 09-01 by certified mail, delivered Thu 09-03. Acknowledgment
  // due Fri 09-11, response Mon 10-19 (counted above, "asks before it jumps").

  it("a day after today only looks: --yes with it is refused (exit 2) and nothing is written", () => {
    const { home, L } = mailedNotice();
    const before = rowCounts(home);
    // 2099-01-05 is after any day these tests run on: the record on that day holds only what happened by today.
    const future = "2099-01-05";
    for (const args of [
      ["--yes", "escalate", "1", "--as-of", future],
      ["--yes", "escalate", "1", "--as-of", future, "--to", "regulator"],
    ]) {
      const r = L(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain(`--as-of ${future} is after today`);
      expect(r.stderr).toContain("escalate acts only on what has happened");
    }
    const refused = L("--json", "--yes", "escalate", "1", "--as-of", future);
    expect(JSON.parse(refused.stderr).error.code).toBe("CONFLICTING_OPTIONS");
    // Without --yes it shows what the record would call for then, and says it only looks.
    const look = L("escalate", "1", "--as-of", future);
    expect(look.code).toBe(0);
    expect(look.stdout).toMatch(/^Proposal for LM-[A-Z0-9]{4}-1: formal → regulator$/m);
    expect(look.stdout).toContain(`Nothing changed (--as-of ${future} is after today: it only looks`);
    expect(look.stdout).toContain(
      `To do it: on or after ${future}, if the record still calls for it: loanmail escalate 1 --yes`,
    );
    const doc = json<EscalateDoc>(L("--json", "escalate", "1", "--as-of", future));
    expect(doc).toMatchObject({ acted: false, step: "regulator", packet: null, child: null });
    expect(doc.next[0]).not.toContain("--as-of");
    expect(rowCounts(home)).toEqual(before);
    expect(caseRow(home, 1).step).not.toBe("regulator");
    expect(existsSync(join(home, "complaints"))).toBe(false);
  });

  it("an acknowledgment met late: the refusal names it and says what would warrant escalation", () => {
    // Acknowledged Fri 09-18 (due 09-11): 5 business days late (09-14, 15, 16, 17, 18). On Wed 09-30 the response
    // (due 10-19) is still open.
    const { home, L } = mailedNotice();
    const ack = writePdf(join(tempDir(), "ack.pdf"));
    expect(L("received", "1", "--date", "2026-09-18", "--file", ack, "--class", "acknowledgment").code).toBe(0);
    const before = rowCounts(home);
    const r = L("escalate", "1", "--as-of", "2026-09-30");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "the servicer acknowledged it on 2026-09-18; its response is due 2026-10-19 (12 C.F.R. 1024.35(e)(3)(i)(C)), so nothing is late yet on 2026-09-30; Notice of error: acknowledgment (12 C.F.R. 1024.35(d)) was met 5 business days late, and a late acknowledgment alone, once it came, does not warrant escalation",
    );
    expect(r.stderr).toContain(
      "hint: escalation is warranted once the response is late: escalate after 2026-10-19 if it has not come",
    );
    expect(rowCounts(home)).toEqual(before);

    // Met late by an extension instead (the acknowledgment clock counts it): the response is extended by 15
    // business days from 10-19 (10-20 .. 10-23, 10-26 .. 10-30, 11-02 .. 11-06, 11-09): due Mon 11-09.
    const other = mailedNotice();
    const ext = writePdf(join(tempDir(), "extension.pdf"));
    expect(other.L("received", "1", "--date", "2026-09-18", "--file", ext, "--class", "extension").code).toBe(0);
    const r2 = other.L("escalate", "1", "--as-of", "2026-09-30");
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("no clock is late yet on 2026-09-30: Notice of error: response (");
    expect(r2.stderr).toContain(
      "is due 2026-11-09; Notice of error: acknowledgment (12 C.F.R. 1024.35(d)) was met 5 business days late, and a late acknowledgment alone",
    );
    expect(r2.stderr).toContain(
      "hint: escalation is warranted once Notice of error: response is late: escalate after 2026-11-09",
    );
  });

  it("cites a letter by the day it was written and how and when it left; a Message-ID only for email", () => {
    const { home, L } = mailedNotice();
    // Tue 2026-10-20: the response (due 10-19) is missed; the packet is written as the record stood that day.
    const four = json<EscalateDoc>(L("--json", "--yes", "escalate", "1", "--as-of", "2026-10-20"));
    expect(four).toMatchObject({ acted: true, step: "regulator" });
    const tag = four.parent.tag;
    expect(four.cites[0]).toMatchObject({ type: "letter", date: "2026-09-01", writtenOn: "2026-08-31" });
    const narrative = readFileSync(join(home, "complaints", `${tag}-cfpb`, "narrative.txt"), "utf8");
    expect(narrative).toContain("On August 31, 2026 I wrote to Mr. Cooper (notice of error)");
    expect(narrative).not.toContain("On September 1, 2026 I wrote");
    expect(narrative).toMatch(
      /^1\. September 1, 2026: I sent Mr\. Cooper my letter ".*Notice of Error.*", dated August 31, 2026, by certified mail to its designated address, delivered September 3, 2026\.$/m,
    );
    // Certified mail carries no Message-ID: none is given to the CFPB (the record keeps it: exhibits.txt).
    expect(narrative).not.toContain("Message-ID");
    expect(narrative).toContain(
      "I wrote to Mr. Cooper once, first on August 31, 2026 (sent by certified mail on September 1, 2026)",
    );

    // The CFPB complaint was sent to the company no earlier than the packet was written (as of 10-20).
    const before = rowCounts(home);
    const early = L("--json", "filed", "1", "--cfpb-id", "261020-1234567", "--date", "2026-10-19");
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stderr).error).toMatchObject({
      code: "DATES_OUT_OF_ORDER",
      message: `the complaint's day 2026-10-19 is before loanmail wrote the complaint packet of ${tag} (2026-10-20)`,
    });
    expect(rowCounts(home)).toEqual(before);
    expect(L("filed", "1", "--cfpb-id", "261020-1234567", "--date", "2026-10-20").code).toBe(0);
  });
});
