/** Recording what the server said about a letter: the outbox state and the case event, in one transaction. */
import { UserError } from "../errors.js";
import type { Envelope, SendOutcome } from "../mail/transport.js";
import { type CaseRecord, setCaseStatus } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent } from "../store/events.js";
import { setOutboxState } from "../store/mail.js";
import { type MessageRecord, readRaw, sha256Hex } from "../store/messages.js";
import { asSentNow } from "./as-sent.js";

/**
 * The server's SIZE is a promise to refuse bigger mail: a letter above it fails permanently with a plain
 * explanation instead of being sent to be refused. Null when the letter fits (or no SIZE was announced).
 */
export function sizeRefusal(
  bytes: number,
  maxSize: number | null,
  where: string,
  envelope: Envelope,
): SendOutcome | null {
  if (maxSize === null || bytes <= maxSize) return null;
  return {
    status: "failed",
    retryable: false,
    code: 552,
    response: `the letter is ${bytes} bytes; ${where} accepts at most ${maxSize} (SIZE): send fewer or smaller exhibits`,
    rejected: envelope.to,
  };
}

/**
 * The server's answer judged for the letter itself: the self copy is ours, so a letter that every real recipient
 * refused has failed even though the server accepted the copy to the user's own address.
 */
export function judgeForLetter(outcome: SendOutcome, letter: Pick<MessageRecord, "to" | "cc">): SendOutcome {
  if (outcome.status !== "sent") return outcome;
  const own = new Set([...letter.to, ...letter.cc].map((a) => a.toLowerCase()));
  if (outcome.accepted.some((a) => own.has(a.toLowerCase()))) return outcome;
  const refusals = outcome.rejectedErrors.filter((r) => own.has(r.recipient.toLowerCase()));
  const codes = refusals.map((r) => r.code ?? 500);
  return {
    status: "failed",
    retryable: codes.length > 0 && codes.every((c) => c >= 400 && c < 500),
    code: codes[0] ?? 550,
    response: refusals.map((r) => `${r.recipient}: ${r.response}`).join("; ") || "every recipient was refused",
    rejected: refusals.map((r) => r.recipient),
  };
}

/** Store the outcome of sending `m`: `sent` (opening a draft case), `failed` or `unknown`, with its event. */
export function recordOutcome(db: Db, c: CaseRecord, m: MessageRecord, outcome: SendOutcome, now: string): void {
  inTransaction(db, () => {
    if (outcome.status === "sent") {
      setOutboxState(db, m.id, "sent", now, {
        accepted: outcome.accepted,
        rejected: outcome.rejected,
        response: outcome.response,
      });
      if (c.status === "draft") setCaseStatus(db, c.id, "open", now);
      appendCaseEvent(db, c, {
        at: now,
        type: "sent",
        actor: "loanmail",
        messageId: m.id,
        data: {
          channel: m.channel,
          accepted: outcome.accepted,
          rejected: outcome.rejected,
          rejected_errors: outcome.rejectedErrors,
          response: outcome.response,
          sha256: sha256Hex(readRaw(db, m.id)),
          as_sent: asSentNow(db, c.loanId, m),
        },
      });
    } else if (outcome.status === "failed") {
      setOutboxState(db, m.id, "failed", now, {
        rejected: outcome.rejected,
        response: outcome.response,
        retryable: outcome.retryable,
      });
      appendCaseEvent(db, c, {
        at: now,
        type: "send-failed",
        actor: "loanmail",
        messageId: m.id,
        data: { code: outcome.code, response: outcome.response, retryable: outcome.retryable },
      });
    } else {
      setOutboxState(db, m.id, "unknown", now, { response: outcome.error });
      appendCaseEvent(db, c, {
        at: now,
        type: "send-unknown",
        actor: "loanmail",
        messageId: m.id,
        data: { error: outcome.error },
      });
    }
  });
}

/**
 * No SMTP session opened (connection refused, DNS, TLS, login, a password source): this happens before MAIL FROM,
 * so nothing left. The letter goes back where a user can act on it: a draft again (edit, discard, send retries it
 * with fresh bytes), or, when it had already failed with a 4xx, failed and still retryable; both with a
 * `send-failed` event naming the error and the server. An `unknown` letter (`--resend-unknown`) stays unknown with
 * no event: it may have arrived, and nothing new is known of it. Returns the error to throw, saying so.
 */
export function recordNotConnected(
  db: Db,
  c: CaseRecord,
  m: MessageRecord,
  server: string,
  err: unknown,
  now: string,
): unknown {
  const back = m.state === "unknown" ? "unknown" : m.state === "failed" ? "failed" : "draft";
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = err instanceof UserError ? err.code : typeof e?.code === "string" ? e.code : null;
  inTransaction(db, () => {
    if (back === "unknown") {
      setOutboxState(db, m.id, "unknown", now);
      return;
    }
    setOutboxState(db, m.id, back, now, back === "failed" ? { retryable: true } : {});
    appendCaseEvent(db, c, {
      at: now,
      type: "send-failed",
      actor: "loanmail",
      messageId: m.id,
      data: {
        code,
        response: typeof e?.message === "string" ? e.message : String(err),
        retryable: true,
        server,
        phase: "connect",
        returned_to: back,
      },
    });
  });
  if (!(err instanceof UserError)) return err;
  const state = back === "draft" ? `letter ${m.id} is a draft again` : `letter ${m.id} stays ${back}, as it was`;
  const again = back === "unknown" ? `loanmail send ${c.id} --resend-unknown ${m.id}` : `loanmail send ${c.id}`;
  return new UserError(`${err.message}: nothing was sent; ${state}`, {
    code: err.code,
    exitCode: err.exitCode,
    hint: `${err.hint ? `${err.hint}; ` : ""}then try again: ${again}`,
  });
}
