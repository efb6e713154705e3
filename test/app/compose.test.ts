/**
 * Compose, in process: a letter is stored with the exact bytes it will send, their hash, its exhibits and a
 * `composed` event; a letter that lint refuses leaves the record as it was.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type ComposeRequest, composeLetter } from "../../src/app/compose.js";
import { UserError } from "../../src/errors.js";
import { parseMail } from "../../src/mail/parse.js";
import { listCases, requireCase } from "../../src/store/cases.js";
import { listCaseEvents } from "../../src/store/events.js";
import { getBlob, listAttachments, listCaseMessages, readRaw, sha256Hex } from "../../src/store/messages.js";
import { makeWorld, NOW, rowCounts, type World, writePdf } from "./world.js";

function request(w: World, over: Partial<ComposeRequest> = {}): ComposeRequest {
  return {
    kind: "payment-application",
    formal: false,
    loan: String(w.loan.id),
    set: ["payment-date=2026-03-01", "amount=1500"],
    summary: "On 2026-03-01 I paid $1,500.00 online (confirmation 88812); it sits in suspense.",
    attach: [],
    cc: [],
    allowSensitive: false,
    ...over,
  };
}

describe("compose: a letter on the record", () => {
  it("stores the exact bytes with their hash, the exhibit, and a composed event naming both", async () => {
    const w = makeWorld();
    const proof = writePdf(join(w.dir, "receipt.pdf"));
    const r = await composeLetter(
      { db: w.db, config: w.config, prefix: w.prefix, now: NOW },
      request(w, { attach: [`${proof}=Proof of payment`] }),
    );
    expect(r.newCase).toBe(true);
    expect(r.caseRecord).toMatchObject({ id: 1, tag: "LM-K7QX-1", status: "draft", loanId: w.loan.id });

    const raw = readRaw(w.db, r.messageRowId);
    expect(sha256Hex(raw)).toBe(r.sha256);
    expect(raw.length).toBe(r.size);
    const [letter] = listCaseMessages(w.db, r.caseRecord.id);
    expect(letter).toMatchObject({
      id: r.messageRowId,
      direction: "out",
      state: "draft",
      kind: "payment-application",
      messageId: r.messageId,
      subject: r.subject,
      rawSha256: r.sha256,
    });
    expect(r.subject).toContain("[LM-K7QX-1]");

    // The stored bytes are the message a servicer will get: our Message-ID, the subject, the exhibit.
    const parsed = await parseMail(raw);
    expect(parsed).toMatchObject({ messageId: r.messageId, subject: r.subject, from: "jane@example.test" });
    const pdf = readFileSync(proof);
    expect(parsed.attachments.map((a) => sha256Hex(a.data))).toEqual([sha256Hex(pdf)]);
    expect(parsed.text).toContain("Exhibit A");

    const [exhibit] = listAttachments(w.db, r.messageRowId);
    expect(exhibit).toMatchObject({
      position: 0,
      exhibit: "Exhibit A",
      label: "Proof of payment",
      sha256: sha256Hex(pdf),
    });
    expect(getBlob(w.db, exhibit?.sha256 ?? "")?.equals(pdf)).toBe(true);
    expect(r.exhibits).toEqual([expect.objectContaining({ exhibit: "Exhibit A", fileName: exhibit?.fileName })]);

    const events = listCaseEvents(w.db, r.caseRecord.id);
    expect(events.map((e) => e.type)).toEqual(["composed"]);
    expect(events[0]).toMatchObject({ actor: "user", message_id: r.messageRowId, loan_id: w.loan.id });
    expect(JSON.parse(events[0]?.data ?? "{}")).toMatchObject({
      kind: "payment-application",
      new_case: true,
      message_id: r.messageId,
      subject: r.subject,
      sha256: r.sha256,
      exhibits: [{ exhibit: "Exhibit A", file: exhibit?.fileName, sha256: sha256Hex(pdf) }],
    });
  });

  it("adds a second letter to an existing case, its exhibits lettered after the first's", async () => {
    const w = makeWorld();
    const deps = { db: w.db, config: w.config, prefix: w.prefix, now: NOW };
    const first = await composeLetter(deps, request(w, { attach: [writePdf(join(w.dir, "a.pdf"))] }));
    const second = await composeLetter(
      deps,
      request(w, { loan: undefined, case: first.caseRecord.tag, attach: [writePdf(join(w.dir, "b.pdf"))] }),
    );
    expect(second).toMatchObject({ newCase: false, caseRecord: { id: first.caseRecord.id } });
    expect(listAttachments(w.db, second.messageRowId).map((a) => a.exhibit)).toEqual(["Exhibit B"]);
    expect(listCases(w.db)).toHaveLength(1);
  });

  it("a letter lint refuses is not saved: no case, message, blob or event", async () => {
    const w = makeWorld();
    const counts = rowCounts(w.db);
    const refused = composeLetter(
      { db: w.db, config: w.config, prefix: w.prefix, now: NOW },
      request(w, { kind: "assumption", set: [], summary: "My SSN is 123-45-6789", attach: [] }),
    );
    await expect(refused).rejects.toBeInstanceOf(UserError);
    await expect(refused).rejects.toThrow(/not saved[\s\S]*Social Security number \(\*\*\*-\*\*-6789\)/);
    expect(rowCounts(w.db)).toEqual(counts);
    expect(() => requireCase(w.db, "1", w.prefix)).toThrow(UserError);
  });
});
