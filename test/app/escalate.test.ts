/**
 * Escalate, in process: a letter that left, a reply the user says does not resolve it, and the next step of the
 * ladder drafted as a child case whose letter cites the earlier letter by its day in words and its tag (the
 * Message-ID stays in the record). A formal notice whose acknowledgment is late gets a follow-up proposed, one
 * whose response is late the regulator; the proposal is asked about before anything is written.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeLetter } from "../../src/app/compose.js";
import { escalateCase, resolveCase } from "../../src/app/escalate.js";
import { recordReceivedReply } from "../../src/app/ingest.js";
import { recordMailing } from "../../src/app/mailing.js";
import type { Session } from "../../src/app/session.js";
import type { EscalationPlan } from "../../src/domain/escalation.js";
import { UserError } from "../../src/errors.js";
import { requireCase, setCaseStatus } from "../../src/store/cases.js";
import { inTransaction } from "../../src/store/db.js";
import { appendCaseEvent, listCaseEvents } from "../../src/store/events.js";
import { listChildCases } from "../../src/store/ladder.js";
import { listCaseMessages, setMessageState } from "../../src/store/messages.js";
import { makeWorld, NOW, rowCounts, type World, writePdf } from "./world.js";

const AS_OF = "2026-10-15";

/** What `sent CASE --via portal --date D` records: the letter left on that day. */
function recordSent(w: World, caseId: number, messageRowId: number, on: string): void {
  const c = requireCase(w.db, String(caseId), w.prefix);
  const at = NOW.toISOString();
  inTransaction(w.db, () => {
    setMessageState(w.db, messageRowId, "sent", at);
    setCaseStatus(w.db, c.id, "open", at);
    appendCaseEvent(w.db, c, {
      at,
      type: "sent",
      actor: "user",
      messageId: messageRowId,
      data: { via: "portal", sent_on: on, sha256: "" },
    });
  });
}

describe("escalate: the next step of the ladder", () => {
  it("drafts a follow-up as a child case citing the earlier letter, and records it on the parent", async () => {
    const w = makeWorld();
    const first = await composeLetter(
      { db: w.db, config: w.config, prefix: w.prefix, now: NOW },
      {
        kind: "payment-application",
        formal: false,
        loan: String(w.loan.id),
        set: ["payment-date=2026-03-01", "amount=1500"],
        summary: "On 2026-03-01 I paid $1,500.00 online (confirmation 88812); it sits in suspense.",
        attach: [],
        cc: [],
        allowSensitive: false,
        // Written before it was entered: it left on 2026-09-01.
        dated: "2026-08-31",
      },
    );
    const parentId = first.caseRecord.id;
    recordSent(w, parentId, first.messageRowId, "2026-09-01");
    const deps = { db: w.db, config: w.config, prefix: w.prefix, now: NOW, homeDir: w.dir, asOf: AS_OF };

    // Answered, and not yet judged unresolved: nothing to escalate.
    await recordReceivedReply(
      { db: w.db, prefix: w.prefix, now: NOW, today: () => AS_OF, timeZone: () => "America/Chicago" },
      {
        caseRef: String(parentId),
        date: "2026-09-08",
        file: writePdf(join(w.dir, "refusal.pdf")),
        via: "post",
        class: "exception",
      },
    );
    await expect(escalateCase(deps, String(parentId))).rejects.toBeInstanceOf(UserError);
    expect(listChildCases(w.db, parentId)).toEqual([]);

    resolveCase(w.db, requireCase(w.db, String(parentId), w.prefix), true, NOW, w.prefix);
    const r = await escalateCase(deps, String(parentId));
    expect(r.plan).toMatchObject({ ok: true, from: "inquiry", step: "follow-up" });
    expect(r.child?.caseRecord).toMatchObject({ parentId, step: "follow-up", status: "draft" });
    const childId = r.child?.caseRecord.id ?? 0;
    expect(listChildCases(w.db, parentId).map((c) => c.id)).toEqual([childId]);

    const [draft] = listCaseMessages(w.db, childId);
    expect(draft).toMatchObject({ direction: "out", state: "draft", kind: "follow-up" });
    const body = draft?.bodyText ?? "";
    // Written 2026-08-31, left on 2026-09-01; the refusal came by post on 2026-09-08.
    for (const cited of [
      // recordSent keeps the draft's email channel: the letter reads as emailed, on the day it left, and names the
      // day it was written (--dated 08-31), not only the day it left.
      `On September 1, 2026 I emailed my letter "Payment Clarification" (reference ${first.caseRecord.tag}), dated August 31, 2026, to your correspondence address.`,
      "On September 8, 2026 you replied by post: declining to answer.",
      "I dispute your answer of September 8, 2026 declining my request; the matter is not resolved.",
      // Written Mon 08-31, emailed Tue 09-01: cited by the day it bears and the day it left.
      `I have not received a complete answer to my letter of August 31, 2026, sent on September 1, 2026 (reference ${first.caseRecord.tag}).`,
    ]) {
      expect(body).toContain(cited);
    }
    // Said once: the request of the template is not repeated by the summary; no Message-ID, no ISO date in prose.
    expect(body.match(/complete answer/g)).toHaveLength(1);
    expect(body).not.toContain(first.messageId);
    expect(body).not.toContain("Message-ID");
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);

    const escalated = listCaseEvents(w.db, parentId).at(-1);
    expect(escalated?.type).toBe("escalated");
    expect(JSON.parse(escalated?.data ?? "{}")).toMatchObject({
      step: "follow-up",
      child: r.child?.caseRecord.tag,
      child_id: childId,
      child_message: draft?.id,
      cites: expect.arrayContaining([
        expect.objectContaining({ type: "letter", message: first.messageRowId, message_id: first.messageId }),
      ]),
    });
  });
});

/** The Session a command would pass: the world's database and config, at NOW. */
function session(w: World): Session {
  return {
    now: NOW,
    nowIso: NOW.toISOString(),
    db: () => w.db,
    config: () => w.config,
    prefix: () => w.prefix,
    timeZone: () => w.config.user.timezone,
  };
}

/**
 * A formal notice of error by post, mailed Mon 2026-08-03 and delivered Wed 2026-08-05. Its acknowledgment is due
 * 5 business days later, Wed 2026-08-12 (08-06, 07, 10, 11, 12), 12 C.F.R. 1024.35(d); its response 30 business
 * days later, Thu 2026-09-17 (Labor Day, Mon 09-07, closed), 12 C.F.R. 1024.35(e)(3)(i)(C).
 */
async function mailedNotice(w: World): Promise<number> {
  const noe = await composeLetter(
    { db: w.db, config: w.config, prefix: w.prefix, now: NOW },
    {
      kind: "notice-of-error",
      loan: String(w.loan.id),
      set: ["error=my March payment of $1,500.00 sits in suspense"],
      summary: "On March 1, 2026 I paid $1,500.00 online (confirmation 88812).",
      attach: [],
      cc: [],
      allowSensitive: false,
      // Written before it was entered: it is mailed on 2026-08-03.
      dated: "2026-07-31",
    },
  );
  expect(noe.decision).toMatchObject({ formal: true, channel: "post" });
  await recordMailing(session(w), String(noe.caseRecord.id), {
    tracking: "9407111899223197428490",
    date: "2026-08-03",
    delivered: "2026-08-05",
  });
  return noe.caseRecord.id;
}

describe("escalate: asks before it jumps", () => {
  it("a missed acknowledgment alone proposes a follow-up; declined, nothing is written; accepted, it is drafted", async () => {
    const w = makeWorld();
    const id = await mailedNotice(w);
    // On Thu 2026-08-13 the acknowledgment (due 08-12) is 1 business day late; the response (due 09-17) is open.
    const deps = { db: w.db, config: w.config, prefix: w.prefix, now: NOW, homeDir: w.dir, asOf: "2026-08-13" };
    const before = rowCounts(w.db);
    let asked: EscalationPlan | undefined;
    const declined = await escalateCase(deps, String(id), {
      decide: async (plan) => {
        asked = plan;
        return false;
      },
    });
    expect(declined).toMatchObject({ acted: false, child: null, packet: null, pdf: null });
    expect(rowCounts(w.db)).toEqual(before);
    expect(asked).toMatchObject({ from: "formal", step: "follow-up", chosen: false, letter: { kind: "follow-up" } });
    expect(declined.plan.trigger.text).toBe(
      "Notice of error: acknowledgment (12 C.F.R. 1024.35(d)) is 1 business day late",
    );
    expect(declined.plan.passedOver).toContain("is due 2026-09-17: not missed on 2026-08-13");
    expect(declined.plan.clocks.map((c) => [c.clock, c.rule, c.due, c.status])).toEqual([
      ["noe-ack", "12 C.F.R. 1024.35(d)", "2026-08-12", "late"],
      ["noe-response", "12 C.F.R. 1024.35(e)(3)(i)(C)", "2026-09-17", "open"],
    ]);

    const done = await escalateCase(deps, String(id), { decide: async () => true });
    expect(done.acted).toBe(true);
    expect(done.child?.caseRecord).toMatchObject({ parentId: id, step: "follow-up", kind: "follow-up" });
    const [draft] = listCaseMessages(w.db, done.child?.caseRecord.id ?? 0);
    const tag = requireCase(w.db, String(id), w.prefix).tag;
    for (const sentence of [
      // Written Fri 07-31 (--dated), mailed Mon 08-03: both days.
      `On August 3, 2026 I mailed my letter "Notice of Error" (reference ${tag}), dated July 31, 2026, by certified mail to your designated address, delivered August 5, 2026.`,
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due August 12, 2026 and had not arrived on August 13, 2026, 1 business day late.",
      "Your response to my notice of error is due by September 17, 2026 (12 C.F.R. 1024.35(e)(3)(i)(C)).",
      // Written Fri 07-31, mailed Mon 08-03: cited by the day it bears and the day it left.
      `I have not received a complete answer to my letter of July 31, 2026, sent on August 3, 2026 (reference ${tag}).`,
    ]) {
      expect(draft?.bodyText ?? "").toContain(sentence);
    }
    expect(draft?.bodyText ?? "").not.toMatch(/Message-ID|\d{4}-\d{2}-\d{2}/);
  });

  it("a missed response to a formal letter proposes the regulator; --to picks a rung, refused without its grounds", async () => {
    const w = makeWorld();
    const id = await mailedNotice(w);
    // On Thu 2026-10-15 the response (due 09-17) is 19 business days late: 09-18 .. 10-15, Columbus Day (10-12)
    // closed.
    const deps = { db: w.db, config: w.config, prefix: w.prefix, now: NOW, homeDir: w.dir, asOf: "2026-10-15" };
    const before = rowCounts(w.db);
    const no = { decide: async () => false };
    const proposal = await escalateCase(deps, String(id), no);
    expect(proposal.plan).toMatchObject({ from: "formal", step: "regulator", chosen: false, letter: null });
    expect(proposal.plan.clocks.find((c) => c.clock === "noe-response")).toMatchObject({
      due: "2026-09-17",
      status: "late",
      businessDaysLate: 19,
    });
    expect((await escalateCase(deps, String(id), { ...no, to: "legal" })).plan).toMatchObject({
      step: "legal",
      chosen: true,
    });
    expect((await escalateCase(deps, String(id), { ...no, to: "follow-up" })).plan.step).toBe("follow-up");
    // The notice itself is the formal letter: a second one would be duplicative (12 C.F.R. 1024.35(g)(1)(i)).
    await expect(escalateCase(deps, String(id), { ...no, to: "formal" })).rejects.toMatchObject({
      code: "RUNG_NOT_AVAILABLE",
    });
    expect(rowCounts(w.db)).toEqual(before);

    // Without a question (the caller has the user's yes): the packet is written and the event records the rung.
    const r = await escalateCase(deps, String(id));
    expect(r.acted).toBe(true);
    expect(r.packet?.dir).toBe(join(w.dir, "complaints", `${r.parent.tag}-cfpb`));
    const ev = listCaseEvents(w.db, id).at(-1);
    expect(ev?.type).toBe("escalated");
    expect(JSON.parse(ev?.data ?? "{}")).toMatchObject({ from: "formal", step: "regulator", chosen: false });
  });
});

describe("escalate: a day after today", () => {
  it("is looked at, never acted on: DATE_IN_FUTURE, nothing written", async () => {
    const w = makeWorld();
    const id = await mailedNotice(w);
    // NOW is Thu 2026-10-15 (in Chicago too); Fri 10-16 is a day to come. The response (due 09-17) is missed by
    // then as now, but what the record holds on 10-16 has not all happened yet: the proposal only.
    const deps = { db: w.db, config: w.config, prefix: w.prefix, now: NOW, homeDir: w.dir, asOf: "2026-10-16" };
    const before = rowCounts(w.db);
    const looked = await escalateCase(deps, String(id), { decide: async () => false });
    expect(looked).toMatchObject({ acted: false, plan: { step: "regulator" }, packet: null });
    await expect(escalateCase(deps, String(id), { decide: async () => true })).rejects.toMatchObject({
      code: "DATE_IN_FUTURE",
      message: "the escalation would be judged on 2026-10-16, after today (2026-10-15)",
    });
    await expect(escalateCase(deps, String(id))).rejects.toMatchObject({ code: "DATE_IN_FUTURE" });
    expect(rowCounts(w.db)).toEqual(before);
    expect(listChildCases(w.db, id)).toEqual([]);
    expect(listCaseEvents(w.db, id).some((e) => e.type === "escalated")).toBe(false);
  });
});
