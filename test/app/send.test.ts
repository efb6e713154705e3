/**
 * Sending, in process: a letter's outcome as the server states it (sent, 4xx, 5xx, refused recipients, lost
 * after DATA), recorded in the letter's state and the case's events, with fake servers and no network.
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type SendDeps, sendLetters } from "../../src/app/send.js";
import { UserError } from "../../src/errors.js";
import { acceptAll, FakeImap, FakeSmtp, fakeAccountMail, refuse } from "./fake-mail.js";
import {
  caseOf,
  composeEmailLetter,
  eventTypes,
  lastEventData,
  letterOf,
  openRecord,
  SERVICER_EMAIL,
  type TestRecord,
  USER_EMAIL,
} from "./record.js";

function sendDeps(r: TestRecord, smtp: FakeSmtp, imap: FakeImap): SendDeps {
  return {
    db: r.db,
    prefix: r.prefix,
    config: () => r.config,
    now: () => r.clock.tick(),
    lockDir: mkdtempSync(join(tmpdir(), "loanmail-send-")),
    mail: () => fakeAccountMail(r.account, smtp, imap),
  };
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("send", () => {
  it("sends a draft: the exact frozen bytes go to the servicer and the self copy, the case opens", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(acceptAll);
    const report = await sendLetters(sendDeps(r, smtp, new FakeImap()), String(caseId), { dryRun: false });

    expect(report.letters).toMatchObject([{ id: letterId, state: "sent", accepted: [SERVICER_EMAIL, USER_EMAIL] }]);
    expect(smtp.deliveries).toHaveLength(1);
    expect(smtp.deliveries[0]?.envelope).toEqual({ from: USER_EMAIL, to: [SERVICER_EMAIL, USER_EMAIL] });
    expect(letterOf(r, letterId).state).toBe("sent");
    expect(caseOf(r, caseId).status).toBe("open");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "sent"]);
    const delivered = smtp.deliveries[0]?.raw ?? Buffer.alloc(0);
    expect(lastEventData(r, caseId, "queued").sha256).toBe(sha256(delivered));
    expect(lastEventData(r, caseId, "sent")).toMatchObject({ sha256: sha256(delivered), rejected: [] });
  });

  it("a dry run shows the envelope and changes nothing", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    const report = await sendLetters(sendDeps(r, smtp, new FakeImap()), String(caseId), { dryRun: true });
    expect(report.letters).toMatchObject([{ id: letterId, state: "would-send" }]);
    expect(smtp.sessions).toBe(0);
    expect(letterOf(r, letterId).state).toBe("draft");
    expect(eventTypes(r, caseId)).toEqual(["composed"]);
  });

  it("a 4xx reply is a retryable failure: the next send tries the same bytes again", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({
      status: "failed",
      retryable: true,
      code: 451,
      response: "451 4.3.0 try again later",
      rejected: [],
    }));
    const deps = sendDeps(r, smtp, new FakeImap());
    const first = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(first.letters).toMatchObject([{ state: "failed", retryable: true, response: "451 4.3.0 try again later" }]);
    expect(letterOf(r, letterId).state).toBe("failed");
    expect(caseOf(r, caseId).status).toBe("draft");
    expect(lastEventData(r, caseId, "send-failed")).toEqual({
      code: 451,
      response: "451 4.3.0 try again later",
      retryable: true,
    });

    smtp.answer = acceptAll;
    const second = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(second.letters).toMatchObject([{ id: letterId, state: "sent" }]);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed", "sent"]);
    expect(smtp.deliveries[1]?.raw.equals(smtp.deliveries[0]?.raw ?? Buffer.alloc(0))).toBe(true);
  });

  it("a 5xx reply is permanent: the letter is not sent again", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({
      status: "failed",
      retryable: false,
      code: 554,
      response: "554 5.7.1 rejected by policy",
      rejected: [],
    }));
    const deps = sendDeps(r, smtp, new FakeImap());
    const report = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(report.letters).toMatchObject([{ state: "failed", retryable: false }]);
    expect(letterOf(r, letterId).state).toBe("failed");
    expect(lastEventData(r, caseId, "send-failed")).toMatchObject({ code: 554, retryable: false });

    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(/has nothing to send/);
    expect(smtp.deliveries).toHaveLength(1);
  });

  it("a connection refused before MAIL FROM makes the letter a draft again, for the next send (send-refused.test.ts)", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    smtp.refuseConnection = new UserError("SMTP smtp.example.test:587: cannot connect (ECONNREFUSED)", "check");
    const deps = sendDeps(r, smtp, new FakeImap());
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(/cannot connect/);
    expect(letterOf(r, letterId).state).toBe("draft");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed"]);

    smtp.refuseConnection = undefined;
    await sendLetters(deps, String(caseId), { dryRun: false });
    expect(letterOf(r, letterId).state).toBe("sent");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed", "queued", "sent"]);
  });

  it("a letter bigger than the server's SIZE fails permanently without being handed over", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    smtp.maxSize = 100;
    const report = await sendLetters(sendDeps(r, smtp, new FakeImap()), String(caseId), { dryRun: false });
    expect(report.letters[0]?.response).toMatch(/accepts at most 100 \(SIZE\)/);
    expect(smtp.deliveries).toHaveLength(0);
    expect(letterOf(r, letterId).state).toBe("failed");
    expect(lastEventData(r, caseId, "send-failed")).toMatchObject({ code: 552, retryable: false });
  });

  it("connection lost after DATA: unknown, never resent, settled when its Message-ID is found", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({ status: "unknown", error: "Connection closed unexpectedly" }));
    const imap = new FakeImap();
    const deps = sendDeps(r, smtp, imap);
    const first = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(first.letters).toMatchObject([{ state: "unknown", error: "Connection closed unexpectedly" }]);
    expect(letterOf(r, letterId).state).toBe("unknown");
    expect(lastEventData(r, caseId, "send-unknown")).toEqual({ error: "Connection closed unexpectedly" });

    // Not in the mailbox yet: sending again refuses, and hands nothing to the server.
    smtp.answer = acceptAll;
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(
      /sending is unknown and was not found in your mailbox/,
    );
    expect(smtp.deliveries).toHaveLength(1);

    // The self copy arrives: the next send finds it and marks the letter sent, still without resending.
    imap.deliver("INBOX", smtp.deliveries[0]?.raw ?? "");
    const settled = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(settled.resolved).toEqual([{ id: letterId, mailbox: "INBOX" }]);
    expect(settled.letters).toEqual([]);
    expect(smtp.deliveries).toHaveLength(1);
    expect(letterOf(r, letterId).state).toBe("sent");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-unknown", "sent"]);
    expect(lastEventData(r, caseId, "sent")).toMatchObject({ resolved_by: "imap-search", mailbox: "INBOX" });
  });

  it("--resend-unknown sends an unknown letter again on purpose, recording why", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({ status: "unknown", error: "Connection closed unexpectedly" }));
    const deps = sendDeps(r, smtp, new FakeImap());
    await sendLetters(deps, String(caseId), { dryRun: false });
    smtp.answer = acceptAll;
    const report = await sendLetters(deps, String(caseId), { dryRun: false, resendUnknown: String(letterId) });
    expect(report.letters).toMatchObject([{ id: letterId, state: "sent" }]);
    expect(smtp.deliveries).toHaveLength(2);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-unknown", "resend", "sent"]);
  });

  it("every real recipient refused: failed, even though the server took the self copy", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(refuse([SERVICER_EMAIL]));
    const report = await sendLetters(sendDeps(r, smtp, new FakeImap()), String(caseId), { dryRun: false });
    expect(report.letters).toMatchObject([{ state: "failed", retryable: false, rejected: [SERVICER_EMAIL] }]);
    expect(letterOf(r, letterId).state).toBe("failed");
    expect(caseOf(r, caseId).status).toBe("draft");
    expect(lastEventData(r, caseId, "send-failed")).toEqual({
      code: 550,
      response: `${SERVICER_EMAIL}: 550 5.1.1 no such user`,
      retryable: false,
    });
  });

  it("every recipient refused at RCPT TO, the self copy too: failed", async () => {
    const r = openRecord({ self_copy: false });
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(refuse([SERVICER_EMAIL]));
    const report = await sendLetters(sendDeps(r, smtp, new FakeImap()), String(caseId), { dryRun: false });
    expect(smtp.deliveries[0]?.envelope.to).toEqual([SERVICER_EMAIL]);
    expect(report.letters).toMatchObject([{ state: "failed", rejected: [SERVICER_EMAIL] }]);
    expect(letterOf(r, letterId).state).toBe("failed");
  });

  it("some recipients refused: sent to the others, the refusals recorded", async () => {
    const r = openRecord();
    const counselor = "counselor@example.org";
    const { caseId, letterId } = await composeEmailLetter(r, [counselor]);
    const smtp = new FakeSmtp(refuse([counselor]));
    const report = await sendLetters(sendDeps(r, smtp, new FakeImap()), String(caseId), { dryRun: false });
    expect(report.letters).toMatchObject([
      { state: "sent", accepted: [SERVICER_EMAIL, USER_EMAIL], rejected: [counselor] },
    ]);
    expect(letterOf(r, letterId).state).toBe("sent");
    expect(lastEventData(r, caseId, "sent")).toMatchObject({
      accepted: [SERVICER_EMAIL, USER_EMAIL],
      rejected: [counselor],
      rejected_errors: [{ recipient: counselor, code: 550, response: "550 5.1.1 no such user" }],
    });
  });
});
