/**
 * A send that never reached a server (connection refused, DNS, TLS, login: all before MAIL FROM) delivered nothing:
 * the letter is a draft again, with a `send-failed` event naming the error and the server, so that `show` and
 * `cases` agree, `edit` and `discard` work, and the next `send` tries again with fresh bytes (issue 14: "a failed
 * send leaves the letter queued while cases says draft"). A letter that may have arrived (`unknown`) is never
 * turned into a failure or a draft. In process, with the fake servers of fake-mail.ts.
 */
import { createHash } from "node:crypto";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readCaseLetters } from "../../src/app/case-letters.js";
import { discardLetter, findDiscardableLetter } from "../../src/app/case-records.js";
import { editDraft } from "../../src/app/edit.js";
import { type SendDeps, sendLetters } from "../../src/app/send.js";
import type { Session } from "../../src/app/session.js";
import { EXIT, UserError } from "../../src/errors.js";
import { acceptAll, FakeImap, FakeSmtp, fakeAccountMail } from "./fake-mail.js";
import {
  caseOf,
  composeEmailLetter,
  eventTypes,
  lastEventData,
  letterOf,
  openRecord,
  type TestRecord,
} from "./record.js";

function sendDeps(r: TestRecord, smtp: FakeSmtp): SendDeps {
  return {
    db: r.db,
    prefix: r.prefix,
    config: () => r.config,
    now: () => r.clock.tick(),
    lockDir: mkdtempSync(join(tmpdir(), "loanmail-send-")),
    mail: () => fakeAccountMail(r.account, smtp, new FakeImap()),
  };
}

/** What a command (edit, discard) gets as its Session, at the record's next tick. */
function session(r: TestRecord): Session {
  const now = r.clock.tick();
  return {
    now,
    nowIso: now.toISOString(),
    db: () => r.db,
    config: () => r.config,
    prefix: () => r.prefix,
    timeZone: () => "America/Chicago",
  };
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

/** The errors SmtpSession.open gives (src/mail/tls-errors.ts), each before MAIL FROM. */
const REFUSALS: [string, UserError][] = [
  [
    "connection refused",
    new UserError("SMTP smtp.example.test:587: cannot connect (connect ECONNREFUSED 127.0.0.1:587 ESOCKET)", {
      code: "MAIL_CONNECT_FAILED",
      hint: "check the host and port of the account and that the server is up (loanmail account test)",
    }),
  ],
  [
    "a name that does not resolve",
    new UserError("SMTP smtp.example.test:587: cannot connect (getaddrinfo ENOTFOUND smtp.example.test EDNS)", {
      code: "MAIL_CONNECT_FAILED",
      hint: "check the host and port of the account",
    }),
  ],
  [
    "an untrusted certificate",
    new UserError("SMTP smtp.example.test:587: the server's certificate is not trusted (CERT_HAS_EXPIRED)", {
      code: "TLS_CERTIFICATE_UNTRUSTED",
      hint: "if the server uses a private CA, give the account that CA's certificate",
    }),
  ],
  [
    "a refused login",
    new UserError("SMTP smtp.example.test:587: login refused (535 5.7.8 authentication failed)", {
      code: "MAIL_LOGIN_REFUSED",
      hint: "check the user name and the password source of the account",
    }),
  ],
];

describe("a send that reached no server", () => {
  it.each(REFUSALS)("%s: the letter is a draft again, the failure on the record", async (_what, refusal) => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    smtp.refuseConnection = refusal;
    const err = await sendLetters(sendDeps(r, smtp), String(caseId), { dryRun: false }).catch((e: unknown) => e);

    // The command still fails as the server did (exit 4, same code), and says where the letter is now.
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).code).toBe(refusal.code);
    expect((err as UserError).exitCode).toBe(EXIT.mailServer);
    expect((err as UserError).message).toBe(
      `${refusal.message}: nothing was sent; letter ${letterId} is a draft again`,
    );
    expect((err as UserError).hint).toMatch(new RegExp(`then try again: loanmail send ${caseId}$`));
    expect(smtp.sessions).toBe(0);

    expect(letterOf(r, letterId).state).toBe("draft");
    expect(caseOf(r, caseId).status).toBe("draft");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed"]);
    expect(lastEventData(r, caseId, "send-failed")).toEqual({
      code: refusal.code,
      response: refusal.message,
      retryable: true,
      server: "smtp.example.test:587",
      phase: "connect",
      returned_to: "draft",
    });
    // `show` reads the same: a draft, whose departure is not decided yet, with the failure shown.
    const [letter] = readCaseLetters(r.db, caseOf(r, caseId), r.config.user.timezone);
    expect(letter).toMatchObject({ id: letterId, state: "draft", designationFrozen: false, leftOn: null });
    expect(letter?.lastFailure).toMatchObject({ code: refusal.code, server: "smtp.example.test:587" });
  });

  it("the next send freezes the draft again and sends those bytes; the failure is history", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    smtp.refuseConnection = REFUSALS[0]?.[1];
    const deps = sendDeps(r, smtp);
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(/a draft again/);
    const firstFrozen = lastEventData(r, caseId, "queued").sha256;

    smtp.refuseConnection = undefined;
    const report = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(report.letters).toMatchObject([{ id: letterId, state: "sent" }]);
    expect(smtp.deliveries).toHaveLength(1);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed", "queued", "sent"]);
    // Frozen again (a new Date): the bytes that left are the second `queued` event's, not the first's.
    const delivered = sha256(smtp.deliveries[0]?.raw ?? Buffer.alloc(0));
    expect(lastEventData(r, caseId, "queued").sha256).toBe(delivered);
    expect(delivered).not.toBe(firstFrozen);
    expect(letterOf(r, letterId).state).toBe("sent");
    expect(caseOf(r, caseId).status).toBe("open");
    const [letter] = readCaseLetters(r.db, caseOf(r, caseId), r.config.user.timezone);
    expect(letter).toMatchObject({ state: "sent", designationFrozen: true, lastFailure: null });
  });

  it("show's letter line gives the day it left in the user's time zone, as the clocks count it", async () => {
    const r = openRecord();
    const { caseId } = await composeEmailLetter(r);
    // 2026-03-03T03:30Z is Mon 2026-03-02, 9:30 PM CST (UTC-6 until the switch to CDT on Sun 03-08).
    r.clock.now = new Date("2026-03-03T03:30:00.000Z");
    await sendLetters(sendDeps(r, new FakeSmtp()), String(caseId), { dryRun: false });
    const [letter] = readCaseLetters(r.db, caseOf(r, caseId), r.config.user.timezone);
    expect(letter).toMatchObject({ state: "sent", leftOn: "2026-03-02" });
  });

  it("the draft again can be edited and discarded, and is then never sent", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    smtp.refuseConnection = REFUSALS[0]?.[1];
    const deps = sendDeps(r, smtp);
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(/a draft again/);

    const edited = await editDraft(session(r), String(caseId), {
      editor: "sed -i 's/Can my son assume the loan?/May my son assume the loan?/'",
      allowSensitive: false,
    });
    expect(edited).toMatchObject({ changed: true, messageRowId: letterId });
    expect(letterOf(r, letterId).bodyText).toContain("May my son assume the loan?");

    const s = session(r);
    const { c, draft } = findDiscardableLetter(s, String(caseId), letterId);
    discardLetter(s, c, draft);
    expect(letterOf(r, letterId).state).toBe("discarded");
    smtp.refuseConnection = undefined;
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(/has nothing to send/);
    expect(smtp.sessions).toBe(0);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed", "edited", "letter-discarded"]);
  });

  it("a letter that failed with a 4xx and then reaches no server stays failed, retried with the same bytes", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({
      status: "failed",
      retryable: true,
      code: 451,
      response: "451 4.3.0 try again later",
      rejected: [],
    }));
    const deps = sendDeps(r, smtp);
    await sendLetters(deps, String(caseId), { dryRun: false });
    expect(letterOf(r, letterId).state).toBe("failed");

    smtp.refuseConnection = REFUSALS[0]?.[1];
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(
      `nothing was sent; letter ${letterId} stays failed, as it was`,
    );
    expect(letterOf(r, letterId).state).toBe("failed");
    expect(lastEventData(r, caseId, "send-failed")).toMatchObject({ phase: "connect", returned_to: "failed" });

    smtp.refuseConnection = undefined;
    smtp.answer = acceptAll;
    await sendLetters(deps, String(caseId), { dryRun: false });
    expect(letterOf(r, letterId).state).toBe("sent");
    expect(smtp.deliveries[1]?.raw.equals(smtp.deliveries[0]?.raw ?? Buffer.alloc(0))).toBe(true);
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed", "send-failed", "sent"]);
  });

  it("an unknown letter resent on purpose that reaches no server stays unknown, with no failure recorded", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({ status: "unknown", error: "Connection closed unexpectedly" }));
    const deps = sendDeps(r, smtp);
    await sendLetters(deps, String(caseId), { dryRun: false });
    expect(letterOf(r, letterId).state).toBe("unknown");

    smtp.refuseConnection = REFUSALS[0]?.[1];
    const err = await sendLetters(deps, String(caseId), { dryRun: false, resendUnknown: String(letterId) }).catch(
      (e: unknown) => e,
    );
    expect((err as UserError).message).toMatch(`letter ${letterId} stays unknown, as it was`);
    expect((err as UserError).hint).toMatch(`loanmail send ${caseId} --resend-unknown ${letterId}`);
    expect(letterOf(r, letterId).state).toBe("unknown");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-unknown"]);
  });

  it("refused first, then lost after DATA: unknown, never a failure or a draft (it may have arrived)", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp(() => ({ status: "unknown", error: "Connection closed unexpectedly" }));
    smtp.refuseConnection = REFUSALS[0]?.[1];
    const deps = sendDeps(r, smtp);
    await expect(sendLetters(deps, String(caseId), { dryRun: false })).rejects.toThrow(/a draft again/);
    smtp.refuseConnection = undefined;
    const report = await sendLetters(deps, String(caseId), { dryRun: false });
    expect(report.letters).toMatchObject([{ id: letterId, state: "unknown" }]);
    expect(letterOf(r, letterId).state).toBe("unknown");
    expect(eventTypes(r, caseId)).toEqual(["composed", "queued", "send-failed", "queued", "send-unknown"]);
    const [letter] = readCaseLetters(r.db, caseOf(r, caseId), r.config.user.timezone);
    expect(letter).toMatchObject({ state: "unknown", lastFailure: null });
    // Discard refuses it: it may have left.
    const s = session(r);
    expect(() => findDiscardableLetter(s, String(caseId), letterId)).toThrow(/is not a letter that never left/);
  });

  it("an error that is not a UserError is recorded by its code and thrown as it was", async () => {
    const r = openRecord();
    const { caseId, letterId } = await composeEmailLetter(r);
    const smtp = new FakeSmtp();
    const raw = Object.assign(new Error("getaddrinfo ENOTFOUND smtp.example.test"), { code: "ENOTFOUND" });
    smtp.refuseConnection = raw;
    await expect(sendLetters(sendDeps(r, smtp), String(caseId), { dryRun: false })).rejects.toBe(raw);
    expect(letterOf(r, letterId).state).toBe("draft");
    expect(lastEventData(r, caseId, "send-failed")).toMatchObject({
      code: "ENOTFOUND",
      server: "smtp.example.test:587",
      returned_to: "draft",
    });
  });
});
