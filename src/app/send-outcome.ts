/** Recording what the server said about a letter: the outbox state and the case event, in one transaction. */
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
