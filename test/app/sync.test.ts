/**
 * Syncing, in process: replies land in the case they answer, a mailbox with no news costs no download, a
 * renumbered mailbox (new UIDVALIDITY) is looked at again without duplicating anything, and letters whose sending
 * was unknown are settled by their copy in the mailbox. Fake servers, no network.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sendLetters } from "../../src/app/send.js";
import { type SyncDeps, syncAll } from "../../src/app/sync.js";
import { getSyncState, listUnfiled } from "../../src/store/mail.js";
import { listCaseMessages, readRaw } from "../../src/store/messages.js";
import { acceptAll, FakeImap, FakeSmtp, fakeAccountMail } from "./fake-mail.js";
import {
  composeEmailLetter,
  eventTypes,
  lastEventData,
  letterOf,
  openRecord,
  SERVICER_EMAIL,
  type TestRecord,
  USER_EMAIL,
} from "./record.js";

function syncDeps(r: TestRecord, imap: FakeImap, smtp = new FakeSmtp()): SyncDeps {
  return {
    db: r.db,
    prefix: r.prefix,
    lockDir: mkdtempSync(join(tmpdir(), "loanmail-sync-")),
    now: () => r.clock.tick(),
    mail: fakeAccountMail(r.account, smtp, imap),
    batchSize: 2,
  };
}

function reply(n: number, inReplyTo: string | null, from = "Customer Care <care@servicer.test>"): string {
  return [
    `From: ${from}`,
    `To: ${USER_EMAIL}`,
    `Subject: Your question about the loan (${n})`,
    "Date: Tue, 3 Mar 2026 10:00:00 -0600",
    `Message-ID: <reply${n}@servicer.test>`,
    ...(inReplyTo ? [`In-Reply-To: ${inReplyTo}`] : []),
    "",
    "We have received your request and will respond within 30 business days.",
    "",
  ].join("\r\n");
}

/** A third party's message n that answers `references` only (no tag, a domain that is no servicer's). */
function attorneyAnswer(n: number, references: string): string {
  return reply(n, null, "Attorney <lawyer@lawfirm.example>").replace(
    `Message-ID: <reply${n}@servicer.test>`,
    `Message-ID: <reply${n}@lawfirm.example>\r\nReferences: ${references}`,
  );
}

/** A case whose letter was sent (its self copy lands in INBOX, as a real server would put it). */
async function sentCase(
  r: TestRecord,
  imap: FakeImap,
): Promise<{ caseId: number; letterId: number; messageId: string }> {
  const letter = await composeEmailLetter(r);
  const smtp = new FakeSmtp(acceptAll);
  await sendLetters(
    {
      db: r.db,
      prefix: r.prefix,
      config: () => r.config,
      now: () => r.clock.tick(),
      lockDir: mkdtempSync(join(tmpdir(), "loanmail-send-")),
      mail: () => fakeAccountMail(r.account, smtp, imap),
    },
    String(letter.caseId),
    { dryRun: false },
  );
  imap.deliver("INBOX", smtp.deliveries[0]?.raw ?? "");
  return letter;
}

function incoming(r: TestRecord, caseId: number): { subject: string | null; replyClass: string | null }[] {
  return listCaseMessages(r.db, caseId)
    .filter((m) => m.direction === "in")
    .map((m) => ({ subject: m.subject, replyClass: m.replyClass }));
}

describe("sync", () => {
  it("files a reply to the case it answers, keeps servicer mail it cannot file, ignores other mail", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    imap.deliver("INBOX", reply(1, messageId));
    imap.deliver("INBOX", reply(2, null, "Newsletter <news@elsewhere.test>"));
    imap.deliver("INBOX", reply(3, null, `Escrow Team <${SERVICER_EMAIL}>`));

    const report = await syncAll(syncDeps(r, imap));

    expect(report.account).toBe("home");
    expect(report.mailboxes).toEqual([
      expect.objectContaining({ mailbox: "INBOX", path: "INBOX", status: "synced", scanned: 4, new: 2, ownCopies: 1 }),
      expect.objectContaining({ mailbox: "\\Junk", path: null, status: "missing" }),
    ]);
    expect(report.totals).toEqual({ new: 2, filed: 1, unfiled: 1 });
    expect(incoming(r, caseId)).toEqual([
      { subject: "Your question about the loan (1)", replyClass: "acknowledgment" },
    ]);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "sent", "received"]);
    expect(lastEventData(r, caseId, "received")).toMatchObject({
      message_id: "<reply1@servicer.test>",
      filed_by: "in-reply-to",
      via: "imap home/INBOX",
    });
    expect(listUnfiled(r.db).map((m) => m.subject)).toEqual(["Your question about the loan (3)"]);
  });

  it("a mailbox with no news costs no download", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    imap.deliver("INBOX", reply(1, messageId));
    await syncAll(syncDeps(r, imap));
    const fetchedBefore = { ...imap.fetched };
    const eventsBefore = eventTypes(r, caseId);

    const again = await syncAll(syncDeps(r, imap));

    expect(again.mailboxes[0]).toMatchObject({ path: "INBOX", status: "unchanged", scanned: 0, new: 0 });
    expect(again.fetched).toEqual({ summaries: 0, sources: 0, sourceBytes: 0 });
    expect(again.totals).toEqual({ new: 0, filed: 0, unfiled: 0 });
    expect(imap.fetched).toEqual(fetchedBefore);
    expect(eventTypes(r, caseId)).toEqual(eventsBefore);
  });

  it("fetches only what is new since the last sync", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    imap.deliver("INBOX", reply(1, messageId));
    await syncAll(syncDeps(r, imap));
    imap.deliver("INBOX", reply(2, messageId));

    const report = await syncAll(syncDeps(r, imap));

    expect(report.mailboxes[0]).toMatchObject({ status: "synced", scanned: 1, new: 1, uidValidityChanged: false });
    expect(report.fetched.summaries).toBe(1);
    expect(incoming(r, caseId).map((m) => m.subject)).toEqual([
      "Your question about the loan (1)",
      "Your question about the loan (2)",
    ]);
  });

  it("a new UIDVALIDITY: every message looked at again, nothing duplicated or lost, new mail kept", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    imap.deliver("INBOX", reply(1, messageId));
    await syncAll(syncDeps(r, imap));
    imap.renumber("INBOX", 7);
    imap.deliver("INBOX", reply(2, messageId));

    const report = await syncAll(syncDeps(r, imap));

    expect(report.mailboxes[0]).toMatchObject({ status: "synced", uidValidityChanged: true, scanned: 3, new: 1 });
    expect(incoming(r, caseId).map((m) => m.subject)).toEqual([
      "Your question about the loan (1)",
      "Your question about the loan (2)",
    ]);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "sent", "received", "received"]);
    // The cursor moved to the new numbering: a further sync finds nothing to do.
    expect((await syncAll(syncDeps(r, imap))).mailboxes[0]?.status).toBe("unchanged");
  });

  it("asks the server which messages could matter: a stranger's answer and a tagged message are found, newsletters never read", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    const tag = `LM-${r.prefix}-${caseId}`;
    for (let i = 0; i < 5; i++) imap.deliver("INBOX", reply(10 + i, null, `News <news${i}@elsewhere.test>`));
    imap.deliver("INBOX", reply(1, messageId, "A Counselor <helper@agency.example>"));
    imap.deliver(
      "INBOX",
      reply(2, null, "Paralegal <clerk@lawfirm.example>").replace(/^Subject: (.*)$/m, `Subject: $1 [${tag}]`),
    );

    const report = await syncAll(syncDeps(r, imap));

    // 8 new UIDs; the server's SEARCH finds our letter's copy and the two that thread: only those are summarized.
    expect(report.mailboxes[0]).toMatchObject({ status: "synced", scanned: 8, new: 2, ownCopies: 1 });
    expect(report.fetched.summaries).toBe(3);
    expect(report.fetched.sources).toBe(3);
    expect(imap.searches[0]).toMatchObject({
      fromDomains: ["servicer.test"],
      subjectTag: `LM-${r.prefix}-`,
      threadAnchors: [`LM.${r.prefix}.`],
      ownAnchors: [`LM.${r.prefix}.`],
    });
    const filedBy = listCaseMessages(r.db, caseId)
      .filter((m) => m.direction === "in")
      .map((m) => m.subject);
    expect(filedBy).toEqual(["Your question about the loan (1)", `Your question about the loan (2) [${tag}]`]);
  });

  it("a message answering one that this same sync filed is found, though nothing in the record named its host", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    // The servicer answers from another mail system (its Message-ID's host is new to the record), and a third
    // party then answers that message only (References, no tag, a domain that is no servicer's).
    imap.deliver("INBOX", reply(1, messageId).replace("<reply1@servicer.test>", "<a1@mx.bankmail.example>"));
    imap.deliver("INBOX", reply(2, null, "News <news@elsewhere.test>"));
    imap.deliver("INBOX", attorneyAnswer(3, "<a1@mx.bankmail.example>"));

    const report = await syncAll(syncDeps(r, imap));

    // Asked three times: the record's anchors; then the servicer's new host alone (which finds the attorney's
    // answer: the first round's keys are not asked again); then the attorney's host, which finds nothing new.
    expect(imap.searches).toHaveLength(3);
    expect(imap.searches[1]).toMatchObject({ fromDomains: [], subjectTag: null, ownAnchors: [] });
    expect(imap.searches[1]?.threadAnchors).toEqual(["@mx.bankmail.example>"]);
    expect(imap.searches[2]?.threadAnchors).toEqual(["@lawfirm.example>"]);
    expect(report.fetched.summaries).toBe(3);
    expect(report.totals).toEqual({ new: 2, filed: 2, unfiled: 0 });
    expect(lastEventData(r, caseId, "received")).toMatchObject({
      message_id: "<reply3@lawfirm.example>",
      filed_by: "references",
    });
  });

  it("hits that bring more anchors than a query lists: the next round asks for any answer at all, once", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    // 41 answers to our letter from 41 mail hosts (MAX_ANCHORS is 40), then a stranger's answer to the last one.
    for (let n = 1; n <= 41; n++) {
      imap.deliver("INBOX", reply(n, messageId).replace(`<reply${n}@servicer.test>`, `<r${n}@mx${n}.servicer.test>`));
    }
    imap.deliver("INBOX", attorneyAnswer(42, "<r41@mx41.servicer.test>"));

    const report = await syncAll(syncDeps(r, imap));

    // The second round asks only for messages that have In-Reply-To or References (null anchors), and that is
    // the last: no anchor can narrow it further.
    expect(imap.searches).toHaveLength(2);
    expect(imap.searches[1]).toMatchObject({ fromDomains: [], subjectTag: null, threadAnchors: null, ownAnchors: [] });
    expect(report.fetched.summaries).toBe(43); // and our letter's self copy
    expect(report.totals).toEqual({ new: 42, filed: 42, unfiled: 0 });
    expect(lastEventData(r, caseId, "received")).toMatchObject({
      message_id: "<reply42@lawfirm.example>",
      filed_by: "references",
    });
  });

  it("a pass cut off midway leaves the cursor where it began; the next sync takes in the rest, nothing twice", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, messageId } = await sentCase(r, imap);
    for (let n = 1; n <= 5; n++) imap.deliver("INBOX", reply(n, messageId));
    // Batches of 2 (syncDeps): the self copy and reply 1 are committed, then the connection is lost.
    imap.loseConnectionAfterSources = 2;

    const failed = await syncAll(syncDeps(r, imap)).then(
      () => null,
      (err: unknown) => err,
    );

    expect(failed).toBeInstanceOf(Error);
    expect(incoming(r, caseId).map((m) => m.subject)).toEqual(["Your question about the loan (1)"]);
    // A later round of the search could still find an answer below the committed UIDs: the cursor is held.
    expect(getSyncState(r.db, r.account.name, "INBOX")?.lastUid).toBe(0);

    imap.loseConnectionAfterSources = undefined;
    const report = await syncAll(syncDeps(r, imap));

    expect(report.totals).toEqual({ new: 4, filed: 4, unfiled: 0 });
    expect(incoming(r, caseId)).toHaveLength(5);
    expect(getSyncState(r.db, r.account.name, "INBOX")?.lastUid).toBe(6);
    expect((await syncAll(syncDeps(r, imap))).totals.new).toBe(0);
  });

  it("a server that refuses the search: every new message is looked at, with the same result", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    imap.refuseSearch = true;
    const { caseId, messageId } = await sentCase(r, imap);
    imap.deliver("INBOX", reply(1, messageId, "A Counselor <helper@agency.example>"));
    imap.deliver("INBOX", reply(2, null, "Newsletter <news@elsewhere.test>"));
    imap.deliver("INBOX", reply(3, null, `Escrow Team <${SERVICER_EMAIL}>`));

    const report = await syncAll(syncDeps(r, imap));

    expect(report.fetched.summaries).toBe(4);
    expect(report.fetched.sources).toBe(3);
    expect(report.totals).toEqual({ new: 2, filed: 1, unfiled: 1 });
    expect(incoming(r, caseId).map((m) => m.subject)).toEqual(["Your question about the loan (1)"]);
    expect((await syncAll(syncDeps(r, imap))).mailboxes[0]?.status).toBe("unchanged");
  });

  it("settles a letter whose sending was unknown: by its self copy, or by searching \\Sent", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    imap.addMailbox("Sent Items", "\\Sent");
    const lost = new FakeSmtp(() => ({ status: "unknown", error: "Connection closed unexpectedly" }));
    const letters = [await composeEmailLetter(r), await composeEmailLetter(r)];
    for (const l of letters) {
      await sendLetters(
        {
          db: r.db,
          prefix: r.prefix,
          config: () => r.config,
          now: () => r.clock.tick(),
          lockDir: mkdtempSync(join(tmpdir(), "loanmail-send-")),
          mail: () => fakeAccountMail(r.account, lost, imap),
        },
        String(l.caseId),
        { dryRun: false },
      );
    }
    const [first, second] = letters;
    if (!first || !second) throw new Error("two letters were composed");
    expect(letterOf(r, first.letterId).state).toBe("unknown");
    // The first letter's self copy reached INBOX; the second only the server's Sent folder, which sync does not read.
    imap.deliver("INBOX", lost.deliveries[0]?.raw ?? "");
    imap.deliver("Sent Items", lost.deliveries[1]?.raw ?? "");

    const report = await syncAll(syncDeps(r, imap, lost));

    expect(report.mailboxes[0]).toMatchObject({ path: "INBOX", ownCopies: 1, new: 0 });
    expect(report.resolvedUnknown).toEqual([{ id: second.letterId, mailbox: "Sent Items" }]);
    expect(letterOf(r, first.letterId).state).toBe("sent");
    expect(lastEventData(r, first.caseId, "sent")).toMatchObject({ resolved_by: "sync", mailbox: "INBOX" });
    expect(letterOf(r, second.letterId).state).toBe("sent");
    expect(lastEventData(r, second.caseId, "sent")).toMatchObject({
      resolved_by: "imap-search",
      mailbox: "Sent Items",
    });
    expect(lost.deliveries).toHaveLength(2);
  });

  it("marks a letter left in `sending` by a dead sender as unknown, unless a send is running", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, letterId } = await composeEmailLetter(r);
    const deps = syncDeps(r, imap);
    // A sender that died between "sending" and the server's answer: its letter is still `sending`.
    const stuck = new FakeSmtp(() => {
      throw new Error("killed");
    });
    await expect(
      sendLetters(
        {
          db: r.db,
          prefix: r.prefix,
          config: () => r.config,
          now: () => r.clock.tick(),
          lockDir: deps.lockDir,
          mail: () => fakeAccountMail(r.account, stuck, imap),
        },
        String(caseId),
        { dryRun: false },
      ),
    ).rejects.toThrow("killed");
    expect(letterOf(r, letterId).state).toBe("sending");

    await syncAll(deps);

    expect(letterOf(r, letterId).state).toBe("unknown");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-unknown"]);
    expect(lastEventData(r, caseId, "send-unknown")).toEqual({
      reason: "found in sending state at start (the sender stopped)",
    });
  });
});

describe("sync: who sent it, when it arrived, and a Message-ID is not proof", () => {
  it("a reply's arrival is its INTERNALDATE; its sender is judged; our letter's copy is known by its bytes", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    const { caseId, letterId, messageId } = await sentCase(r, imap);
    const ours = letterOf(r, letterId);
    // The servicer's answer, dated by its sender ten days before the server stored it.
    imap.deliver(
      "INBOX",
      reply(1, messageId).replace("Tue, 3 Mar 2026 10:00:00 -0600", "Sat, 21 Feb 2026 10:00:00 -0600"),
      "2026-03-03T16:00:00.000Z",
    );
    // The self copy as a server delivers it: our exact bytes under the trace fields it added.
    const sent = listCaseMessages(r.db, caseId).find((m) => m.id === letterId);
    const copy = `Return-Path: <${USER_EMAIL}>\r\nReceived: from submit by mx.example.test; Tue, 3 Mar 2026 10:00:00 -0600\r\n`;
    imap.deliver("INBOX", Buffer.concat([Buffer.from(copy), readRaw(r.db, letterId)]));
    // A message that only carries our letter's Message-ID: other bytes, another sender.
    imap.deliver(
      "INBOX",
      [
        "From: Billing <billing@evil.test>",
        `To: ${USER_EMAIL}`,
        `Subject: ${sent?.subject ?? ""}`,
        `Message-ID: ${messageId}`,
        "",
        "Pay now at https://evil.test/pay",
        "",
      ].join("\r\n"),
    );

    const report = await syncAll(syncDeps(r, imap));

    // Two self copies (the one sentCase delivered, and the one under trace fields); the reused id is new mail.
    expect(report.mailboxes[0]).toMatchObject({ ownCopies: 2, new: 2 });
    const replies = listCaseMessages(r.db, caseId).filter((m) => m.direction === "in");
    expect(replies.map((m) => [m.from, m.trust, m.arrival, m.arrivedAt, m.messageIdReused])).toEqual([
      ["care@servicer.test", "trusted", "internaldate", "2026-03-03T16:00:00.000Z", false],
      ["billing@evil.test", "unverified", "internaldate", "2026-03-03T16:00:00.000Z", true],
    ]);
    expect(ours.state).toBe("sent");
  });
});

describe("sync: an unknown send is settled by the letter's bytes, not its Message-ID alone", () => {
  it("a message in \\Sent that only carries the letter's Message-ID does not make it sent", async () => {
    const r = openRecord();
    const imap = new FakeImap();
    imap.addMailbox("Sent Items", "\\Sent");
    const lost = new FakeSmtp(() => ({ status: "unknown", error: "Connection closed unexpectedly" }));
    const letter = await composeEmailLetter(r);
    await sendLetters(
      {
        db: r.db,
        prefix: r.prefix,
        config: () => r.config,
        now: () => r.clock.tick(),
        lockDir: mkdtempSync(join(tmpdir(), "loanmail-send-")),
        mail: () => fakeAccountMail(r.account, lost, imap),
      },
      String(letter.caseId),
      { dryRun: false },
    );
    expect(letterOf(r, letter.letterId).state).toBe("unknown");
    const forged = (lost.deliveries[0]?.raw ?? "")
      .toString()
      .replace(/\r\n\r\n[\s\S]*$/, "\r\n\r\nSomething else.\r\n");
    imap.deliver("Sent Items", forged);

    const report = await syncAll(syncDeps(r, imap, lost));

    expect(report.resolvedUnknown).toEqual([]);
    expect(letterOf(r, letter.letterId).state).toBe("unknown");
    // Its true copy settles it.
    imap.deliver("Sent Items", lost.deliveries[0]?.raw ?? "");
    expect((await syncAll(syncDeps(r, imap, lost))).resolvedUnknown).toEqual([
      { id: letter.letterId, mailbox: "Sent Items" },
    ]);
  });
});
