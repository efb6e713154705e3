/**
 * The one ingest path, in process: saved .eml files (import), synced mail (commitIncoming with its origin) and a
 * reply on paper (received) each become a stored message with its exact bytes, its exhibits and a `received`
 * event; threading, deduplication and the parser seam are checked as a user would see them.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { composeLetter } from "../../src/app/compose.js";
import { importMessageFiles } from "../../src/app/import-files.js";
import {
  commitIncoming,
  type MessageParser,
  prepareIncoming,
  receivedRecordBytes,
  recordReceivedReply,
} from "../../src/app/ingest.js";
import { UserError } from "../../src/errors.js";
import { unparsed } from "../../src/mail/parse.js";
import { requireCase } from "../../src/store/cases.js";
import { inTransaction } from "../../src/store/db.js";
import { appendCaseEvent, type EventRow, listCaseEvents } from "../../src/store/events.js";
import { listUnfiled, readThreadIndex } from "../../src/store/mail.js";
import {
  findMessage,
  getBlob,
  listAttachments,
  readRaw,
  setMessageState,
  sha256Hex,
} from "../../src/store/messages.js";
import { eml, makeWorld, NOW, rowCounts, type World, writePdf } from "./world.js";

const ACK = "We have received your request and will respond within 30 business days.";

async function composeNoe(w: World, dated?: string) {
  return composeLetter(
    { db: w.db, config: w.config, prefix: w.prefix, now: NOW },
    {
      kind: "notice-of-error",
      loan: String(w.loan.id),
      set: ["error=the March 2026 payment of $1,500 was put in suspense"],
      summary: "On 2026-03-01 I paid $1,500.00 online; it sits in suspense.",
      attach: [],
      cc: [],
      allowSensitive: false,
      dated,
    },
  );
}

function importOne(w: World, name: string, bytes: Buffer) {
  const file = join(w.dir, name);
  writeFileSync(file, bytes);
  return importMessageFiles({ db: w.db, prefix: w.prefix, now: () => NOW, config: () => w.config }, [file]);
}

function receivedEvents(w: World, caseId: number): (EventRow & { parsed: Record<string, unknown> })[] {
  return listCaseEvents(w.db, caseId)
    .filter((e) => e.type === "received")
    .map((e) => ({ ...e, parsed: JSON.parse(e.data) }));
}

describe("ingest: replies threaded, deduplicated, or left unfiled", () => {
  it("files a reply by In-Reply-To to the case of the letter it answers, with its exact bytes", async () => {
    const w = makeWorld();
    const letter = await composeNoe(w);
    const bytes = eml(
      [
        "From: Mr. Cooper <help@servicer.test>",
        "To: jane@example.test",
        "Subject: Re: your letter",
        "Date: Tue, 13 Oct 2026 10:00:00 -0500",
        "Message-ID: <ack-1@servicer.test>",
        `In-Reply-To: ${letter.messageId}`,
      ],
      ACK,
    );
    const [r] = await importOne(w, "ack.eml", bytes);
    expect(r).toMatchObject({ isNew: true, caseId: letter.caseRecord.id, replyClass: "acknowledgment" });
    const m = findMessage(w.db, r?.messageRowId ?? 0);
    expect(m).toMatchObject({
      direction: "in",
      channel: "email",
      caseId: letter.caseRecord.id,
      from: "help@servicer.test",
      subject: "Re: your letter",
      inReplyTo: letter.messageId,
      date: "2026-10-13T15:00:00.000Z",
      replyClass: "acknowledgment",
      rawSha256: sha256Hex(bytes),
    });
    expect(readRaw(w.db, r?.messageRowId ?? 0).equals(bytes)).toBe(true);
    const [ev] = receivedEvents(w, letter.caseRecord.id);
    expect(ev).toMatchObject({ actor: "servicer", message_id: r?.messageRowId });
    expect(ev?.parsed).toMatchObject({
      via: "import",
      filed_by: "in-reply-to",
      message_id: "<ack-1@servicer.test>",
      sha256: sha256Hex(bytes),
      class: "acknowledgment",
      parse_error: null,
    });
  });

  it("files a reply by the case tag in its subject", async () => {
    const w = makeWorld();
    const letter = await composeNoe(w);
    const bytes = eml(
      [
        "From: Mr. Cooper <help@servicer.test>",
        `Subject: About your request [${letter.caseRecord.tag}]`,
        "Message-ID: <tagged@servicer.test>",
      ],
      ACK,
    );
    const [r] = await importOne(w, "tagged.eml", bytes);
    expect(r).toMatchObject({ isNew: true, caseId: letter.caseRecord.id });
    expect(receivedEvents(w, letter.caseRecord.id)[0]?.parsed).toMatchObject({ filed_by: "tag" });
  });

  it("records mail from a mail account's own address as the user's letter, sent on its Date, not as a reply", async () => {
    const w = makeWorld();
    w.config.accounts = { main: { email: "Jane.Doe@Mail.test", user: "jane.doe@mail.test" } };
    const letter = await composeNoe(w);
    const bytes = eml(
      [
        "From: Jane Q. Doe <jane.doe@mail.test>",
        "To: help@servicer.test",
        `Subject: More about my payment [${letter.caseRecord.tag}]`,
        // 23:00 CDT on Oct 12 is 04:00 UTC on Oct 13: it left on Oct 12 in the user's zone.
        "Date: Mon, 12 Oct 2026 23:00:00 -0500",
        "Message-ID: <own-1@mail.test>",
      ],
      "I also paid the October installment on time.",
    );
    const [r] = await importOne(w, "own.eml", bytes);
    expect(r).toMatchObject({
      isNew: true,
      caseId: letter.caseRecord.id,
      replyClass: "letter sent",
      sentOn: "2026-10-12",
    });
    expect(findMessage(w.db, r?.messageRowId ?? 0)).toMatchObject({
      direction: "out",
      state: "sent",
      kind: null,
      replyClass: null,
      date: "2026-10-13T04:00:00.000Z",
    });
    expect(receivedEvents(w, letter.caseRecord.id)).toEqual([]);
    const sent = listCaseEvents(w.db, letter.caseRecord.id).find((e) => e.type === "sent");
    expect(JSON.parse(sent?.data ?? "{}")).toMatchObject({ via: "email", sent_on: "2026-10-12", imported: true });
  });

  it("keeps one copy of the same bytes: a second import and a synced copy add no message and no event", async () => {
    const w = makeWorld();
    const letter = await composeNoe(w);
    const bytes = eml(
      ["From: help@servicer.test", `Subject: [${letter.caseRecord.tag}] received`, "Message-ID: <dup@servicer.test>"],
      ACK,
    );
    const [first] = await importOne(w, "a.eml", bytes);
    const counts = rowCounts(w.db);
    const [again] = await importOne(w, "b.eml", bytes);
    expect(again).toMatchObject({ messageRowId: first?.messageRowId, isNew: false, caseId: letter.caseRecord.id });
    expect(rowCounts(w.db)).toEqual(counts);

    // The same message found by the sync: it gains where it was seen, nothing else.
    const index = readThreadIndex(w.db, w.prefix);
    const prepared = await prepareIncoming(
      bytes,
      { action: "keep", caseId: letter.caseRecord.id, servicerId: w.servicer.id, filedBy: "tag" },
      index,
      { internalDate: "2026-10-13T15:00:05.000Z", uid: 7 },
      { db: w.db, owner: { hosts: [], authservIds: [] }, now: NOW },
    );
    const origin = { account: "main", mailbox: "INBOX", uidvalidity: 1 };
    const synced = inTransaction(w.db, () => commitIncoming(w.db, prepared, origin, NOW.toISOString()));
    expect(synced).toMatchObject({ messageRowId: first?.messageRowId, isNew: false });
    expect(rowCounts(w.db)).toEqual({ ...counts, message_origins: (counts.message_origins ?? 0) + 1 });
    expect(receivedEvents(w, letter.caseRecord.id)).toHaveLength(1);
  });

  it("keeps servicer mail that threads to nothing unfiled, for the user to file", async () => {
    const w = makeWorld();
    const bytes = eml(
      ["From: Mr. Cooper <statements@servicer.test>", "Subject: Your statement is ready", "Message-ID: <st@x.test>"],
      "Your monthly statement is available online.",
    );
    const [r] = await importOne(w, "statement.eml", bytes);
    expect(r).toMatchObject({ isNew: true, caseId: null });
    expect(listUnfiled(w.db)).toEqual([
      expect.objectContaining({ id: r?.messageRowId, subject: "Your statement is ready", servicerName: "Mr. Cooper" }),
    ]);
  });

  it("refuses a file that is not a message before storing any", async () => {
    const w = makeWorld();
    const good = join(w.dir, "good.eml");
    writeFileSync(good, eml(["From: help@servicer.test", "Subject: hi"], "text"));
    const bad = join(w.dir, "notes.txt");
    writeFileSync(bad, "just some notes\n");
    const counts = rowCounts(w.db);
    await expect(
      importMessageFiles({ db: w.db, prefix: w.prefix, now: () => NOW, config: () => w.config }, [good, bad]),
    ).rejects.toThrow(/notes\.txt does not look like an email message/);
    expect(rowCounts(w.db)).toEqual(counts);
  });

  it("takes any MessageParser: a message the parser cannot read is stored raw, with the error recorded", async () => {
    const w = makeWorld();
    const broken: MessageParser = async (raw) => unparsed(`cannot parse ${raw.length} bytes`);
    const bytes = Buffer.from("From: help@servicer.test\r\nSubject: garbled\r\n\r\n\u0000\u0001");
    const file = join(w.dir, "garbled.eml");
    writeFileSync(file, bytes);
    const [r] = await importMessageFiles(
      { db: w.db, prefix: w.prefix, now: () => NOW, config: () => w.config, parse: broken },
      [file],
    );
    expect(r).toMatchObject({ isNew: true, caseId: null });
    expect(readRaw(w.db, r?.messageRowId ?? 0).equals(bytes)).toBe(true);
    const ev = listCaseEvents(w.db, 0).find((e) => e.message_id === r?.messageRowId);
    expect(JSON.parse(ev?.data ?? "{}")).toMatchObject({ parse_error: `cannot parse ${bytes.length} bytes` });
  });
});

describe("ingest: a reply on paper through the received path", () => {
  const today = () => "2026-10-15";
  const timeZone = () => "America/Chicago";

  /** The notice, written on 2026-10-01 and recorded as sent by portal on 2026-10-02 (a reply answers a letter that left). */
  async function noeThatLeft(w: World) {
    const letter = await composeNoe(w, "2026-10-01");
    const c = requireCase(w.db, String(letter.caseRecord.id), w.prefix);
    inTransaction(w.db, () => {
      setMessageState(w.db, letter.messageRowId, "sent", NOW.toISOString());
      appendCaseEvent(w.db, c, {
        at: NOW.toISOString(),
        type: "sent",
        actor: "user",
        messageId: letter.messageRowId,
        data: { via: "portal", sent_on: "2026-10-02", sha256: "" },
      });
    });
    return letter;
  }

  it("stores the describing message, the scan as its exhibit, and a received event for the case", async () => {
    const w = makeWorld();
    const letter = await noeThatLeft(w);
    const scan = writePdf(join(w.dir, "scan.pdf"));
    const r = await recordReceivedReply(
      { db: w.db, prefix: w.prefix, now: NOW, today, timeZone },
      { caseRef: String(letter.caseRecord.id), date: "2026-10-09", file: scan, via: "post", class: "acknowledgment" },
    );
    expect(r).toMatchObject({ via: "post", on: "2026-10-09", replyClass: "acknowledgment", warnings: [] });
    const scanBytes = getBlob(w.db, listAttachments(w.db, r.messageRowId)[0]?.sha256 ?? "");
    expect(scanBytes).toBeDefined();
    const expected = receivedRecordBytes({
      via: "post",
      on: "2026-10-09",
      tag: letter.caseRecord.tag,
      scanName: "scan.pdf",
      scanSha256: sha256Hex(scanBytes ?? Buffer.alloc(0)),
      recordedAt: NOW.toISOString(),
    });
    expect(readRaw(w.db, r.messageRowId).equals(expected)).toBe(true);
    expect(expected.toString()).toContain(`Subject: Reply received by post on 2026-10-09 (${letter.caseRecord.tag})`);
    expect(findMessage(w.db, r.messageRowId)).toMatchObject({
      direction: "in",
      channel: "post",
      caseId: letter.caseRecord.id,
      subject: "Reply received by post on 2026-10-09",
      bodyText: "Scan: scan.pdf",
      date: "2026-10-09",
      replyClass: "acknowledgment",
      rawSha256: sha256Hex(expected),
    });
    expect(listAttachments(w.db, r.messageRowId)).toEqual([
      expect.objectContaining({ position: 0, fileName: "scan.pdf", label: "scan.pdf", contentType: "application/pdf" }),
    ]);
    const [ev] = receivedEvents(w, letter.caseRecord.id);
    expect(ev).toMatchObject({ actor: "servicer", loan_id: w.loan.id, message_id: r.messageRowId });
    expect(ev?.parsed).toEqual({
      via: "post",
      on: "2026-10-09",
      class: "acknowledgment",
      scan: "scan.pdf",
      scan_sha256: sha256Hex(scanBytes ?? Buffer.alloc(0)),
      sha256: sha256Hex(expected),
    });
  });

  it("warns when no class is given, and refuses a future date without writing anything", async () => {
    const w = makeWorld();
    const letter = await noeThatLeft(w);
    const scan = writePdf(join(w.dir, "scan.pdf"));
    const deps = { db: w.db, prefix: w.prefix, now: NOW, today, timeZone };
    const counts = rowCounts(w.db);
    await expect(
      recordReceivedReply(deps, { caseRef: letter.caseRecord.tag, date: "2026-10-16", file: scan }),
    ).rejects.toThrow(UserError);
    expect(rowCounts(w.db)).toEqual(counts);
    const r = await recordReceivedReply(deps, { caseRef: letter.caseRecord.tag, date: "2026-10-14", file: scan });
    expect(r.replyClass).toBe("other");
    expect(r.warnings).toEqual([expect.stringContaining('no --class given: recorded as "other"')]);
  });
});
