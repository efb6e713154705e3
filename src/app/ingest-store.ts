/**
 * Storing what comes in (the second half of the one ingest path, ingest.ts): a new message with its exact bytes,
 * attachments, who sent it, when it arrived and its `received` event; a message already held (same SHA-256) only
 * gains the new place it was seen; our own letter's copy records where it was found. Each call runs inside the
 * caller's transaction.
 */
import type { EventDataByType } from "../domain/events.js";
import type { ParsedMail } from "../mail/parse.js";
import type { Db } from "../store/db.js";
import { appendEvent, type EventActor } from "../store/events.js";
import {
  addOrigin,
  findMessageIdBySha,
  insertIncoming,
  type NewIncoming,
  type Origin,
  setOutboxState,
} from "../store/mail.js";
import { findMessage, insertAttachments, isMessageIdHeld, type NewAttachment } from "../store/messages.js";
import type { PreparedIncoming } from "./ingest.js";

/** A mail message's attachments as stored rows: in order, named as sent, no exhibit letter (not ours). */
export function mailAttachments(parsed: Pick<ParsedMail, "attachments">): NewAttachment[] {
  return parsed.attachments.map((a, i) => ({
    position: i,
    exhibit: null,
    label: a.fileName,
    fileName: a.fileName,
    contentType: a.contentType,
    data: a.data,
  }));
}

/** A new incoming message as stored: its row, its attachments, and what its `received` event says. */
interface IncomingRecord {
  row: NewIncoming;
  attachments: readonly NewAttachment[];
  event: { caseId: number | null; loanId: number | null; actor: EventActor; data: EventDataByType["received"] };
}

/** Store a new incoming message, its attachments and its `received` event; call inside a transaction. */
export function storeIncoming(db: Db, r: IncomingRecord): number {
  const id = insertIncoming(db, r.row);
  insertAttachments(db, id, r.attachments);
  appendEvent(db, {
    caseId: r.event.caseId,
    loanId: r.event.loanId,
    at: r.row.now,
    type: "received",
    actor: r.event.actor,
    messageId: id,
    data: r.event.data,
  });
  return id;
}

export interface CommitResult {
  messageRowId: number;
  isNew: boolean;
  caseId: number | null;
}

/**
 * Store one prepared message (deduplicated by SHA-256) and its origin; call inside a transaction. A message
 * already held gains only the new origin. A new message whose Message-ID another message already carries (with
 * other bytes, or the SHA-256 would have matched) is stored as its own and flagged: a Message-ID is not proof
 * of identity.
 */
export function commitIncoming(
  db: Db,
  p: PreparedIncoming,
  origin: Omit<Origin, "messageId" | "uid" | "internalDate"> | null,
  now: string,
): CommitResult {
  const existing = findMessageIdBySha(db, p.sha256);
  const reused = existing === undefined && p.parsed.messageId !== null && isMessageIdHeld(db, p.parsed.messageId);
  const { trust, arrival } = p.checks;
  const id =
    existing ??
    storeIncoming(db, {
      row: {
        caseId: p.decision.caseId,
        servicerId: p.decision.servicerId,
        filedBy: p.decision.filedBy,
        account: origin?.account ?? null,
        messageId: p.parsed.messageId,
        inReplyTo: p.parsed.inReplyTo,
        references: p.parsed.references,
        from: p.parsed.from,
        to: p.parsed.to,
        cc: p.parsed.cc,
        subject: p.parsed.subject || null,
        bodyText: p.parsed.text || null,
        date: p.parsed.date ?? p.internalDate,
        raw: p.raw,
        sha256: p.sha256,
        replyClass: p.classification.class,
        autoSubmitted: p.parsed.autoSubmitted,
        trust,
        arrival,
        messageIdReused: reused,
        now,
      },
      attachments: mailAttachments(p.parsed),
      event: {
        caseId: p.decision.caseId,
        loanId: null,
        actor: p.decision.servicerId !== null ? "servicer" : "other",
        data: {
          from: p.parsed.from,
          subject: p.parsed.subject,
          date: p.parsed.date,
          message_id: p.parsed.messageId,
          sha256: p.sha256,
          class: p.classification.class,
          guess: p.classification.guess,
          confidence: Math.round(p.classification.confidence * 1000) / 1000,
          ...(p.classification.correctedBy !== undefined ? { corrected_by: p.classification.correctedBy } : {}),
          reasons: p.classification.reasons,
          filed_by: p.decision.filedBy,
          via: origin ? `imap ${origin.account}/${origin.mailbox}` : "import",
          parse_error: p.parsed.parseError,
          trust: { status: trust.status, why: trust.why },
          arrived: { at: arrival.at, source: arrival.source, ...(arrival.by ? { by: arrival.by } : {}) },
          ...(reused ? { message_id_reused: true } : {}),
        },
      },
    });
  if (origin && p.uid !== null)
    addOrigin(db, { ...origin, messageId: id, uid: p.uid, internalDate: p.internalDate }, now);
  return { messageRowId: id, isNew: existing === undefined, caseId: p.decision.caseId };
}

/**
 * Our own letter seen in a mailbox (the self copy, recognised by its bytes: ownLetterCopyOf): record where, and
 * if its send outcome was unknown, this copy proves it left.
 */
export function commitOwnCopy(db: Db, ownRowId: number, origin: Omit<Origin, "messageId">, now: string): boolean {
  const own = findMessage(db, ownRowId);
  if (own?.direction !== "out") return false;
  addOrigin(db, { ...origin, messageId: own.id }, now);
  // Only an unknown outcome is settled here; a letter still `sending` belongs to the sender that is running.
  if (own.state === "unknown") {
    setOutboxState(db, own.id, "sent", now, { response: `found in ${origin.mailbox} by sync` });
    appendEvent(db, {
      caseId: own.caseId,
      at: now,
      type: "sent",
      actor: "loanmail",
      messageId: own.id,
      data: { resolved_by: "sync", mailbox: origin.mailbox, message_id: own.messageId },
    });
  }
  return true;
}
