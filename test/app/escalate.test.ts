/**
 * Escalate, in process: a letter that left, a reply the user says does not resolve it, and the next step of the
 * ladder drafted as a child case whose letter cites the earlier letter by date, subject and Message-ID.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeLetter } from "../../src/app/compose.js";
import { escalateCase, resolveCase } from "../../src/app/escalate.js";
import { recordReceivedReply } from "../../src/app/ingest.js";
import { UserError } from "../../src/errors.js";
import { requireCase, setCaseStatus } from "../../src/store/cases.js";
import { inTransaction } from "../../src/store/db.js";
import { appendCaseEvent, listCaseEvents } from "../../src/store/events.js";
import { listChildCases } from "../../src/store/ladder.js";
import { listCaseMessages, setMessageState } from "../../src/store/messages.js";
import { makeWorld, NOW, type World, writePdf } from "./world.js";

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
    for (const cited of ["2026-09-01", first.subject, first.messageId]) expect(draft?.bodyText ?? "").toContain(cited);

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
