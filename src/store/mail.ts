/** Storage for the mail layer: outbox transitions, incoming messages, origins, sync cursors, the thread index. */
import type { Arrival, ArrivalSource } from "../domain/reply-arrival.js";
import type { TrustVerdict } from "../domain/reply-trust.js";
import type { ThreadIndex } from "../domain/sync-plan.js";
import type { Db } from "./db.js";
import { type Channel, sha256Hex } from "./messages.js";

export interface SyncState {
  uidvalidity: number;
  lastUid: number;
  uidnext: number | null;
}

/** The cursor of one mailbox, if it was ever synced. */
export function getSyncState(db: Db, account: string, mailbox: string): SyncState | undefined {
  const r = db
    .prepare("SELECT uidvalidity, last_uid AS lastUid, uidnext FROM sync_state WHERE account = ? AND mailbox = ?")
    .get(account, mailbox) as SyncState | undefined;
  return r;
}

/** Move the cursor (inside the batch's transaction). */
export function setSyncState(db: Db, account: string, mailbox: string, s: SyncState, now: string): void {
  db.prepare(
    `INSERT INTO sync_state (account, mailbox, uidvalidity, last_uid, uidnext, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT(account, mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, last_uid = excluded.last_uid,
       uidnext = excluded.uidnext, updated_at = excluded.updated_at`,
  ).run(account, mailbox, s.uidvalidity, s.lastUid, s.uidnext, now);
}

/** The id of a stored message with these exact bytes. */
export function findMessageIdBySha(db: Db, sha: string): number | undefined {
  return db.prepare("SELECT id FROM messages WHERE raw_sha256 = ?").pluck().get(sha) as number | undefined;
}

/** The stored bytes of every letter of ours with this Message-ID (a copy of one of them is recognised by them). */
export function listOwnLetterBytes(db: Db, messageId: string): { id: number; raw: Buffer }[] {
  return db
    .prepare("SELECT id, raw FROM messages WHERE message_id = ? AND direction = 'out' ORDER BY id")
    .all(messageId) as { id: number; raw: Buffer }[];
}

/** The row id of our own letter with this Message-ID. */
export function findOwnLetter(
  db: Db,
  messageId: string,
): { id: number; state: string | null; caseId: number | null } | undefined {
  return db
    .prepare(
      "SELECT id, state, case_id AS caseId FROM messages WHERE message_id = ? AND direction = 'out' ORDER BY id LIMIT 1",
    )
    .get(messageId) as { id: number; state: string | null; caseId: number | null } | undefined;
}

export interface Origin {
  messageId: number;
  account: string;
  mailbox: string;
  uidvalidity: number;
  uid: number;
  internalDate: string | null;
}

/** Record where a message was seen; seeing it again is not an error. Returns whether the row is new. */
export function addOrigin(db: Db, o: Origin, now: string): boolean {
  const info = db
    .prepare(
      `INSERT OR IGNORE INTO message_origins (message_id, account, mailbox, uidvalidity, uid, internal_date, seen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(o.messageId, o.account, o.mailbox, o.uidvalidity, o.uid, o.internalDate, now);
  return info.changes > 0;
}

/** One place a message was seen. */
export type MessageOrigin = Omit<Origin, "messageId">;

/** Where one message was seen, in the order the places were recorded. */
export function listOrigins(db: Db, messageId: number): MessageOrigin[] {
  return db
    .prepare(
      "SELECT account, mailbox, uidvalidity, uid, internal_date AS internalDate FROM message_origins WHERE message_id = ? ORDER BY id",
    )
    .all(messageId) as MessageOrigin[];
}

export interface NewIncoming {
  /** How it came: email unless recorded by hand from paper, a portal or a fax. */
  channel?: Channel;
  /** Who chose its reply class: the classifier, unless the user named it. */
  classSetBy?: "loanmail" | "user";
  caseId: number | null;
  servicerId: number | null;
  filedBy: string | null;
  account: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  bodyText: string | null;
  date: string | null;
  raw: Buffer;
  /** The SHA-256 of `raw` when the caller has it already (a sync hashes each message once); else computed here. */
  sha256?: string;
  replyClass: string;
  autoSubmitted: string | null;
  /** Who sent it, as judged on arrival. */
  trust: TrustVerdict;
  /** When it reached the user's mailbox, and how that is known. */
  arrival: Arrival;
  /** Its Message-ID is already held by another message with other bytes. */
  messageIdReused?: boolean;
  now: string;
}

/** Insert a received message (mail, or the record of a paper or portal reply) with its exact bytes. */
export function insertIncoming(db: Db, m: NewIncoming): number {
  const info = db
    .prepare(
      `INSERT INTO messages (case_id, direction, channel, message_id, in_reply_to, refs, from_addr, to_addrs, cc_addrs,
         subject, body_text, date, raw, raw_sha256, reply_class, class_set_by, account, servicer_id, filed_by,
         auto_submitted, trust, trust_why, arrived_at, arrival, arrived_by, message_id_reused, created_at, updated_at)
       VALUES (?, 'in', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      m.caseId,
      m.channel ?? "email",
      m.messageId,
      m.inReplyTo,
      m.references.join(" ") || null,
      m.from,
      JSON.stringify(m.to),
      JSON.stringify(m.cc),
      m.subject,
      m.bodyText,
      m.date,
      m.raw,
      m.sha256 ?? sha256Hex(m.raw),
      m.replyClass,
      m.classSetBy ?? "loanmail",
      m.account,
      m.servicerId,
      m.filedBy,
      m.autoSubmitted,
      m.trust.status,
      JSON.stringify(m.trust.why),
      m.arrival.at,
      m.arrival.source,
      m.arrival.by ?? null,
      m.messageIdReused ? 1 : 0,
      m.now,
      m.now,
    );
  return Number(info.lastInsertRowid);
}

/** A letter the user emailed from another program, imported from its .eml: stored as a letter out, sent. */
export interface NewOwnLetter {
  caseId: number | null;
  servicerId: number | null;
  filedBy: string | null;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  bodyText: string | null;
  date: string;
  raw: Buffer;
  now: string;
}

/** Insert the user's own letter sent elsewhere, with its exact bytes; it has no kind (it was not composed here). */
export function insertOwnLetter(db: Db, m: NewOwnLetter): number {
  const info = db
    .prepare(
      `INSERT INTO messages (case_id, direction, channel, message_id, in_reply_to, refs, from_addr, to_addrs, cc_addrs,
         subject, body_text, date, raw, raw_sha256, state, servicer_id, filed_by, created_at, updated_at)
       VALUES (?, 'out', 'email', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sent', ?, ?, ?, ?)`,
    )
    .run(
      m.caseId,
      m.messageId,
      m.inReplyTo,
      m.references.join(" ") || null,
      m.from,
      JSON.stringify(m.to),
      JSON.stringify(m.cc),
      m.subject,
      m.bodyText,
      m.date,
      m.raw,
      sha256Hex(m.raw),
      m.servicerId,
      m.filedBy,
      m.now,
      m.now,
    );
  return Number(info.lastInsertRowid);
}

/** Everything the pure planner needs to thread replies. */
export function readThreadIndex(db: Db, prefix: string): ThreadIndex {
  const caseByMessageId = new Map<string, number>();
  const ownMessageIds = new Set<string>();
  for (const r of db
    .prepare("SELECT message_id, case_id, direction FROM messages WHERE message_id IS NOT NULL")
    .iterate() as IterableIterator<{ message_id: string; case_id: number | null; direction: string }>) {
    if (r.case_id !== null && !caseByMessageId.has(r.message_id)) caseByMessageId.set(r.message_id, r.case_id);
    if (r.direction === "out") ownMessageIds.add(r.message_id);
  }
  const caseIds = new Set(db.prepare("SELECT id FROM cases").pluck().all() as number[]);
  const servicerByDomain = new Map(
    (
      db.prepare("SELECT domain, servicer_id FROM servicer_domains").all() as { domain: string; servicer_id: number }[]
    ).map((r) => [r.domain.toLowerCase(), r.servicer_id]),
  );
  // Mail that names an account is filed only when the loan has exactly one case still open: else the user chooses.
  const accounts = (
    db
      .prepare(
        `WITH numbers AS (
           SELECT id AS loan_id, servicer_id, account_number FROM loans
           UNION SELECT loan_id, servicer_id, account_number FROM loan_accounts)
         SELECT n.servicer_id AS servicerId, n.account_number AS account,
           (SELECT CASE WHEN count(*) = 1 THEN max(c.id) END FROM cases c
             WHERE c.loan_id = n.loan_id AND c.status IN ('draft', 'open', 'unresolved')) AS caseId
         FROM numbers n`,
      )
      .all() as { servicerId: number; account: string; caseId: number | null }[]
  ).sort((a, b) => b.account.length - a.account.length);
  return { prefix, caseByMessageId, ownMessageIds, caseIds, servicerByDomain, accounts };
}

export interface UnfiledMessage {
  id: number;
  from: string | null;
  subject: string | null;
  /** The Date header: the sender's claim, never when it arrived. */
  date: string | null;
  servicerName: string | null;
  replyClass: string | null;
}

/** An unfiled message with the facts its arrival is read from (src/domain/reply-arrival.ts, storedArrival). */
export type UnfiledRow = UnfiledMessage & {
  channel: string;
  internalDate: string | null;
  arrivedAt: string | null;
  arrival: ArrivalSource | null;
  arrivedBy: string | null;
  createdAt: string;
};

/** Received mail from a servicer that belongs to no case yet. */
export function listUnfiled(db: Db): UnfiledRow[] {
  return db
    .prepare(
      `SELECT m.id, m.from_addr AS "from", m.subject, m.date, s.name AS servicerName, m.reply_class AS replyClass,
              m.channel, (SELECT min(o.internal_date) FROM message_origins o WHERE o.message_id = m.id) AS internalDate,
              m.arrived_at AS arrivedAt, m.arrival, m.arrived_by AS arrivedBy, m.created_at AS createdAt
       FROM messages m LEFT JOIN servicers s ON s.id = m.servicer_id
       WHERE m.direction = 'in' AND m.case_id IS NULL ORDER BY m.id`,
    )
    .all() as UnfiledRow[];
}

/** Outgoing letters in one outbox state (for the account, when given). */
export function listOutboxByState(
  db: Db,
  state: string,
): { id: number; caseId: number; messageId: string; account: string | null }[] {
  return db
    .prepare(
      "SELECT id, case_id AS caseId, message_id AS messageId, account FROM messages WHERE direction = 'out' AND state = ? ORDER BY id",
    )
    .all(state) as { id: number; caseId: number; messageId: string; account: string | null }[];
}

/** Freeze a letter for sending: its final bytes, hash, account and queue time. */
export function markQueued(db: Db, id: number, raw: Buffer, date: string, account: string, now: string): void {
  db.prepare(
    `UPDATE messages SET raw = ?, raw_sha256 = ?, date = ?, account = ?, state = 'queued', retryable = NULL,
       queued_at = ?, updated_at = ? WHERE id = ?`,
  ).run(raw, sha256Hex(raw), date, account, now, now, id);
}

export interface SmtpResult {
  accepted?: string[];
  rejected?: string[];
  response?: string;
  retryable?: boolean | null;
}

/** What the SMTP server said about a letter, and when it was queued and sent. */
export interface SmtpOutcome {
  retryable: boolean | null;
  accepted: string[] | null;
  rejected: string[] | null;
  response: string | null;
  queuedAt: string | null;
  sentAt: string | null;
}

/** The SMTP outcome of an outgoing letter (all null while it is a draft). */
export function readSmtpOutcome(db: Db, id: number): SmtpOutcome {
  const r = db
    .prepare(
      "SELECT retryable, smtp_accepted, smtp_rejected, smtp_response, queued_at, sent_at FROM messages WHERE id = ?",
    )
    .get(id) as {
    retryable: number | null;
    smtp_accepted: string | null;
    smtp_rejected: string | null;
    smtp_response: string | null;
    queued_at: string | null;
    sent_at: string | null;
  };
  return {
    retryable: r.retryable === null ? null : r.retryable === 1,
    accepted: r.smtp_accepted ? (JSON.parse(r.smtp_accepted) as string[]) : null,
    rejected: r.smtp_rejected ? (JSON.parse(r.smtp_rejected) as string[]) : null,
    response: r.smtp_response,
    queuedAt: r.queued_at,
    sentAt: r.sent_at,
  };
}

/** Move a letter along the outbox: sending, sent, failed, unknown; or back to draft when nothing left. */
export function setOutboxState(
  db: Db,
  id: number,
  state: "sending" | "sent" | "failed" | "unknown" | "queued" | "draft",
  now: string,
  r: SmtpResult = {},
): void {
  db.prepare(
    `UPDATE messages SET state = ?, updated_at = ?,
       smtp_accepted = coalesce(?, smtp_accepted), smtp_rejected = coalesce(?, smtp_rejected),
       smtp_response = coalesce(?, smtp_response), retryable = ?,
       sent_at = CASE WHEN ? = 'sent' THEN coalesce(sent_at, ?) ELSE sent_at END
     WHERE id = ?`,
  ).run(
    state,
    now,
    r.accepted ? JSON.stringify(r.accepted) : null,
    r.rejected ? JSON.stringify(r.rejected) : null,
    r.response ?? null,
    r.retryable === undefined || r.retryable === null ? null : r.retryable ? 1 : 0,
    state,
    now,
    id,
  );
}
