/**
 * What the classifier's confidence does to the record (issue 11, "What"): a reply it is not sure of is stored as
 * needs-review, meets no clock, is listed first by `due`, and takes the class the user gives it; the user's class
 * is used for later replies in the same words from the same servicer; an escalation waits for it; `classify
 * --explain` and `show-message` say what decided. Replies come in as a sync does (prepareIncoming with the IMAP
 * INTERNALDATE, then commitIncoming), or through import.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { caseRowsInBatch } from "../../src/app/case-rows.js";
import { readCaseClockInput } from "../../src/app/clock-facts.js";
import { composeLetter } from "../../src/app/compose.js";
import { listDueClocks } from "../../src/app/due.js";
import { readEscalationInput } from "../../src/app/escalate.js";
import { importMessageFiles } from "../../src/app/import-files.js";
import { commitIncoming, prepareIncoming } from "../../src/app/ingest.js";
import { recordMailing } from "../../src/app/mailing.js";
import { classifyMessage, messageDetails } from "../../src/app/messages.js";
import { explainMessage } from "../../src/app/reply-explain.js";
import { readReplyHome } from "../../src/app/reply-home.js";
import type { Session } from "../../src/app/session.js";
import { computeClocks } from "../../src/domain/clocks.js";
import { UserError } from "../../src/errors.js";
import { requireCase } from "../../src/store/cases.js";
import { inTransaction } from "../../src/store/db.js";
import { listCaseEvents } from "../../src/store/events.js";
import { readThreadIndex } from "../../src/store/mail.js";
import { findMessage } from "../../src/store/messages.js";
import { eml, makeWorld, NOW, type World } from "./world.js";

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
 * A formal notice of error by post, mailed Mon 2026-08-03 and delivered Wed 2026-08-05: its acknowledgment is due
 * Wed 2026-08-12 (08-06, 07, 10, 11, 12; 12 C.F.R. 1024.35(d)), its response Thu 2026-09-17 (1024.35(e)(3)(i)(C)).
 */
async function mailedNotice(w: World): Promise<{ caseId: number; tag: string; body: string }> {
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
  await recordMailing(session(w), String(noe.caseRecord.id), {
    tracking: "9407111899223197428490",
    date: "2026-08-03",
    delivered: "2026-08-05",
  });
  const body = findMessage(w.db, noe.messageRowId)?.bodyText ?? "";
  return { caseId: noe.caseRecord.id, tag: noe.caseRecord.tag, body };
}

let uid = 0;

/** A reply from the servicer found by the sync, arrived (INTERNALDATE) at `arrived`, filed to the case by its tag. */
async function syncReply(w: World, caseId: number, tag: string, text: string, arrived: string): Promise<number> {
  uid++;
  const bytes = eml(
    ["From: Mr. Cooper <help@servicer.test>", `Subject: Re: Notice of Error [${tag}]`, `Message-ID: <r${uid}@x.test>`],
    text,
  );
  const prepared = await prepareIncoming(
    bytes,
    { action: "keep", caseId, servicerId: w.servicer.id, filedBy: "tag" },
    readThreadIndex(w.db, w.prefix),
    { internalDate: arrived, uid, home: readReplyHome(w.db) },
    { db: w.db, owner: { hosts: [], authservIds: [] }, now: NOW },
  );
  const origin = { account: "main", mailbox: "INBOX", uidvalidity: 1 };
  return inTransaction(w.db, () => commitIncoming(w.db, prepared, origin, NOW.toISOString())).messageRowId;
}

function receivedData(w: World, caseId: number, messageId: number): Record<string, unknown> {
  const e = listCaseEvents(w.db, caseId).find((x) => x.type === "received" && x.message_id === messageId);
  return JSON.parse(e?.data ?? "{}") as Record<string, unknown>;
}

/** The classifier reads this as an acknowledgment, but not surely enough (about 76%) to meet a clock. */
const UNSURE = "Regarding your account, a representative will call you.";

describe("needs review: a reply the classifier is not sure of", () => {
  it("is stored as needs-review with its best guess and confidence, meets no clock, and due lists it first", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    // Fri 2026-08-07 10:00 in Chicago: before the acknowledgment's due date (Wed 08-12).
    const id = await syncReply(w, caseId, tag, UNSURE, "2026-08-07T15:00:00.000Z");
    expect(findMessage(w.db, id)?.replyClass).toBe("needs-review");
    const ev = receivedData(w, caseId, id);
    expect(ev).toMatchObject({ class: "needs-review", guess: "acknowledgment" });
    expect(ev.confidence).toBeGreaterThan(0.5);
    expect(ev.confidence).toBeLessThan(0.85);
    expect((ev.reasons as string[])[0]).toMatch(/^needs review: \d+% sure it is acknowledgment, below the 85% needed/);

    // Thu 08-13: the acknowledgment (due Wed 08-12) is late, since the unsure reply meets nothing.
    const due = listDueClocks(session(w), { asOf: "2026-08-13" });
    expect(due.needsReview).toEqual([
      { client: "Jane Q. Doe", case: tag, caseId, message: id, receivedOn: "2026-08-07" },
    ]);
    const ack = due.rows.find((r) => r.clock.id === "noe-ack");
    expect(ack?.clock).toMatchObject({ status: "late", dueLenient: "2026-08-12", metBy: null });
  });

  it("takes the class the user gives it: then it meets the clock, and due no longer lists it", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    const id = await syncReply(w, caseId, tag, UNSURE, "2026-08-07T15:00:00.000Z");
    classifyMessage(session(w), String(id), "acknowledgment");
    const due = listDueClocks(session(w), { asOf: "2026-08-13" });
    expect(due.needsReview).toEqual([]);
    // The acknowledgment clock is met (on Fri 08-07), so only the response clock (due Thu 09-17) is open.
    expect(due.rows.map((r) => [r.case, r.clock.id, r.clock.status, r.clock.dueLenient])).toEqual([
      [tag, "noe-response", "open", "2026-09-17"],
    ]);
    const classified = listCaseEvents(w.db, caseId).find((e) => e.type === "classified");
    expect(JSON.parse(classified?.data ?? "{}")).toEqual({ from: "needs-review", to: "acknowledgment" });
  });

  it("holds an escalation back until it is read and classified", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    const id = await syncReply(w, caseId, tag, UNSURE, "2026-08-07T15:00:00.000Z");
    const c = requireCase(w.db, String(caseId), w.prefix);
    const read = () => readEscalationInput(w.db, c, w.prefix, "America/Chicago", "2026-08-13");
    expect(read).toThrow(UserError);
    expect(read).toThrow(`message ${id} in ${tag} needs review`);
    try {
      read();
    } catch (err) {
      expect(err).toMatchObject({ code: "REPLY_NEEDS_REVIEW" });
    }
    classifyMessage(session(w), String(id), "acknowledgment");
    expect(read().chain[0]?.replies).toEqual([expect.objectContaining({ message: id, class: "acknowledgment" })]);
  });

  it("show-message and classify --explain say what decided, then and now", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    const id = await syncReply(w, caseId, tag, UNSURE, "2026-08-07T15:00:00.000Z");
    const shown = messageDetails(session(w), String(id)).classInfo;
    expect(shown).toMatchObject({
      stored: "needs-review",
      setBy: "classifier",
      atArrival: { class: "needs-review", guess: "acknowledgment", correctedBy: null },
      changes: [],
    });

    classifyMessage(session(w), String(id), "other");
    const x = await explainMessage(session(w), String(id));
    expect(x).toMatchObject({
      message: id,
      stored: "other",
      setBy: "user",
      changes: [{ from: "needs-review", to: "other" }],
    });
    expect(x.now).toMatchObject({ class: "needs-review", guess: "acknowledgment", correctedBy: null });
    expect(x.now.for.length).toBeGreaterThan(0);
    expect(x.thresholds).toEqual({ substantive: 0.8, acknowledging: 0.85, other: 0.3, answer: true });
    expect(x.model).toMatch(/^\d+ replies in test\/fixtures\/replies\/train/);
  });
});

describe("the user's classes are used for this home's later replies", () => {
  const form = (date: string, item: string) =>
    `Dear Borrower:\n\nThe Loan Integrity Desk of Mr. Cooper has logged item ${item} from your file dated ${date}. ` +
    "A desk officer will be in contact regarding the item in the ordinary course.\n\nLoan Integrity Desk";

  it("a later reply in the same form letter from the same servicer takes the class the user gave the first", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    const first = await syncReply(w, caseId, tag, form("August 3, 2026", "NE-118"), "2026-08-07T15:00:00.000Z");
    // The model alone reads this servicer's acknowledgment form as other (it meets no clock).
    expect(findMessage(w.db, first)?.replyClass).toBe("other");
    classifyMessage(session(w), String(first), "acknowledgment");

    const second = await syncReply(w, caseId, tag, form("August 10, 2026", "NE-2207"), "2026-08-11T15:00:00.000Z");
    expect(findMessage(w.db, second)?.replyClass).toBe("acknowledgment");
    const ev = receivedData(w, caseId, second);
    expect(ev).toMatchObject({ class: "acknowledgment", guess: "acknowledgment", corrected_by: first });
    expect((ev.reasons as string[])[0]).toMatch(
      new RegExp(`^like message ${first}, which you classified as acknowledgment \\(\\d+% the same wording`),
    );
    const x = await explainMessage(session(w), String(second));
    expect(x.now.correctedBy).toBe(first);
  });

  it("import uses them too; another servicer's mail does not", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    const first = await syncReply(w, caseId, tag, form("August 3, 2026", "NE-118"), "2026-08-07T15:00:00.000Z");
    classifyMessage(session(w), String(first), "acknowledgment");
    const file = (name: string, from: string) => {
      const path = join(w.dir, name);
      writeFileSync(
        path,
        eml(
          [`From: ${from}`, `Subject: Re: Notice of Error [${tag}]`, `Message-ID: <${name}@x.test>`],
          form("August 10, 2026", "NE-9"),
        ),
      );
      return path;
    };
    const [same, other] = await importMessageFiles(
      { db: w.db, prefix: w.prefix, now: () => NOW, config: () => w.config },
      [file("same", "Mr. Cooper <help@servicer.test>"), file("other", "Someone <desk@elsewhere.test>")],
    );
    expect(same).toMatchObject({ caseId, replyClass: "acknowledgment" });
    expect(other).toMatchObject({ caseId, replyClass: "other" });
  });
});

describe("our own letter pasted below a reply", () => {
  it("is part of the home's context, and its sentences are not read as the servicer's", async () => {
    const w = makeWorld();
    const { caseId, tag, body } = await mailedNotice(w);
    expect(readReplyHome(w.db).ownLetters).toEqual([body]);
    const text = `We have received your notice of error and will respond within 30 business days.\n\n${body}`;
    const id = await syncReply(w, caseId, tag, text, "2026-08-07T15:00:00.000Z");
    expect(findMessage(w.db, id)?.replyClass).toBe("acknowledgment");
    const x = await explainMessage(session(w), String(id));
    // "suspense" appears only in our letter: it plays no part.
    expect([...x.now.for, ...x.now.against].some((c) => c.label.includes("suspense"))).toBe(false);
  });
});

describe("a listing over many cases reads their rows in one batch", () => {
  it("gives each case the same clock facts as reading it alone (letters, replies, arrivals, trust)", async () => {
    const w = makeWorld();
    const first = await mailedNotice(w);
    const second = await mailedNotice(w);
    // Replies of every standing the clocks tell apart: unsure (needs review), a plain acknowledgment, and one from
    // a stranger's address, each with its own INTERNALDATE (Fri 08-07 and Mon 08-10 in Chicago).
    await syncReply(w, first.caseId, first.tag, UNSURE, "2026-08-07T15:00:00.000Z");
    await syncReply(w, first.caseId, first.tag, "We received your notice of error.", "2026-08-10T15:00:00.000Z");
    uid++;
    const stranger = eml(
      [
        "From: Help <help@elsewhere.test>",
        `Subject: Re: Notice of Error [${second.tag}]`,
        `Message-ID: <s${uid}@x.test>`,
      ],
      "We received your notice of error.",
    );
    const prepared = await prepareIncoming(
      stranger,
      { action: "keep", caseId: second.caseId, servicerId: w.servicer.id, filedBy: "tag" },
      readThreadIndex(w.db, w.prefix),
      { internalDate: "2026-08-10T16:00:00.000Z", uid, home: readReplyHome(w.db) },
      { db: w.db, owner: { hosts: [], authservIds: [] }, now: NOW },
    );
    const origin = { account: "main", mailbox: "INBOX", uidvalidity: 1 };
    inTransaction(w.db, () => commitIncoming(w.db, prepared, origin, NOW.toISOString()));

    const cases = [
      requireCase(w.db, String(first.caseId), w.prefix),
      requireCase(w.db, String(second.caseId), w.prefix),
    ];
    const batch = caseRowsInBatch(w.db, cases);
    const tz = w.config.user.timezone;
    for (const c of cases) {
      const alone = readCaseClockInput(w.db, c, tz);
      expect(alone.letters).toHaveLength(1);
      expect(readCaseClockInput(w.db, c, tz, batch)).toEqual(alone);
    }
    const [one, two] = cases.map((c) => readCaseClockInput(w.db, c, tz));
    expect(one?.replies.map((r) => r.class)).toEqual(["needs-review", "acknowledgment"]);
    expect(two?.replies[0]?.trust?.status).not.toBe("trusted");
  });

  it("leaves out only the replies of class other that meet their clocks: clocks and due come out the same", async () => {
    const w = makeWorld();
    const { caseId, tag } = await mailedNotice(w);
    // The notice was delivered Wed 2026-08-05: acknowledgment due in 5 business days (Wed 08-12), response in 30.
    const chatter = await syncReply(w, caseId, tag, "We received your notice of error.", "2026-08-06T15:00:00.000Z");
    classifyMessage(session(w), String(chatter), "other");
    const ack = await syncReply(w, caseId, tag, "We received your notice of error.", "2026-08-10T15:00:00.000Z");
    classifyMessage(session(w), String(ack), "acknowledgment");
    // From a stranger's address and called other: held back, so due lists it and the batch must read it.
    uid++;
    const stranger = eml(
      ["From: Help <help@elsewhere.test>", `Subject: Re: Notice of Error [${tag}]`, `Message-ID: <s${uid}@x.test>`],
      "Please call us about your account.",
    );
    const prepared = await prepareIncoming(
      stranger,
      { action: "keep", caseId, servicerId: w.servicer.id, filedBy: "tag" },
      readThreadIndex(w.db, w.prefix),
      { internalDate: "2026-08-11T16:00:00.000Z", uid, home: readReplyHome(w.db) },
      { db: w.db, owner: { hosts: [], authservIds: [] }, now: NOW },
    );
    const origin = { account: "main", mailbox: "INBOX", uidvalidity: 1 };
    const held = inTransaction(w.db, () => commitIncoming(w.db, prepared, origin, NOW.toISOString())).messageRowId;
    classifyMessage(session(w), String(held), "other");

    const c = requireCase(w.db, String(caseId), w.prefix);
    const tz = w.config.user.timezone;
    const alone = readCaseClockInput(w.db, c, tz);
    const batched = readCaseClockInput(w.db, c, tz, caseRowsInBatch(w.db, [c]));
    expect(alone.replies.map((r) => r.messageId)).toEqual([chatter, ack, held]);
    expect(batched.replies.map((r) => r.messageId)).toEqual([ack, held]);
    expect(batched).toEqual({ ...alone, replies: alone.replies.filter((r) => r.messageId !== chatter) });
    expect(computeClocks(batched, "2026-09-30")).toEqual(computeClocks(alone, "2026-09-30"));
    const due = listDueClocks(session(w), { asOf: "2026-09-30" });
    expect(due.held.map((h) => h.message)).toEqual([held]);
  });
});
