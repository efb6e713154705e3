/** Messages (letters out, replies in), their exhibits, and content-addressed blobs. */
import { createHash } from "node:crypto";
import type { PriorServicerData } from "../domain/events.js";
import type { LetterLanguage } from "../domain/language.js";
import type { ArrivalSource } from "../domain/reply-arrival.js";
import type { TrustStatus } from "../domain/reply-trust.js";
import type { Db } from "./db.js";

export type Direction = "out" | "in";
export type Channel = "email" | "notice-email" | "post" | "portal" | "fax" | "hand";
export type OutboxState = "draft" | "queued" | "sending" | "sent" | "unknown" | "failed" | "discarded";

/** What a letter was composed from, kept so that an edit can rebuild and re-lint it. */
export interface LetterInputRecord {
  fields: Record<string, string>;
  summary: string;
  /** Addressed to the loan's servicer before a transfer (`compose --prior-servicer`), not its servicer now. */
  priorServicer?: PriorServicerData;
  /** The language it is written in (absent: English, as every letter written before letters had one). */
  lang?: LetterLanguage;
}

export interface MessageRecord {
  id: number;
  caseId: number | null;
  direction: Direction;
  channel: Channel;
  kind: string | null;
  letterInput: LetterInputRecord | null;
  messageId: string | null;
  inReplyTo: string | null;
  from: string | null;
  to: string[];
  cc: string[];
  postalAddress: string | null;
  subject: string | null;
  bodyText: string | null;
  date: string | null;
  rawSha256: string;
  size: number;
  state: OutboxState | null;
  replyClass: string | null;
  /** A reply's sender as judged on arrival (src/domain/reply-trust.ts); null for a letter out. */
  trust: TrustStatus | null;
  trustWhy: string[];
  /** When the user confirmed a suspect or unverified reply (`classify --confirm`); it then meets clocks. */
  trustConfirmedAt: string | null;
  /** When a reply reached the user's mailbox and how that is known (src/domain/reply-arrival.ts). */
  arrivedAt: string | null;
  arrival: ArrivalSource | null;
  arrivedBy: string | null;
  /** Its Message-ID was already held by another message with other bytes. */
  messageIdReused: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface AttachmentRecord {
  id: number;
  messageId: number;
  position: number;
  exhibit: string | null;
  label: string;
  fileName: string;
  contentType: string;
  size: number;
  sha256: string;
}

/**
 * A message row is read as an array (better-sqlite3's raw mode), in the order of these columns, and turned into
 * a record once: building an object per row twice (the driver's, then ours) was half the cost of reading a
 * caseload's 20,000 messages for `due`. The clocks' columns come first, so one mapping serves both reads.
 */
const CLOCK_COLUMNS = [
  "id",
  "case_id",
  "direction",
  "channel",
  "kind",
  "letter_input",
  "from_addr",
  "to_addrs",
  "postal_address",
  "subject",
  "date",
  "state",
  "discarded_at",
  "reply_class",
  "trust",
  "trust_why",
  "trust_confirmed_at",
  "arrived_at",
  "arrival",
  "arrived_by",
  "message_id_reused",
  "created_at",
] as const;
const OTHER_COLUMNS = [
  "message_id",
  "in_reply_to",
  "cc_addrs",
  "body_text",
  "raw_sha256",
  "length(raw)",
  "updated_at",
] as const;
/** The columns toClockMessage reads, in its order (src/store/clock-rows.ts reads letters by them). */
export const CLOCK_MESSAGE_COLUMNS = CLOCK_COLUMNS.join(", ");
const MESSAGE_COLUMNS = [...CLOCK_COLUMNS, ...OTHER_COLUMNS].join(", ");
export type RawRow = unknown[];
const col = Object.fromEntries([...CLOCK_COLUMNS, ...OTHER_COLUMNS].map((name, i) => [name, i])) as Record<
  (typeof CLOCK_COLUMNS)[number] | (typeof OTHER_COLUMNS)[number],
  number
>;

/**
 * What the clocks read of a message (src/app/clock-facts.ts, due's held replies): no body, no header ids, no
 * bytes. A listing over a caseload reads only these columns of its letters (src/store/clock-rows.ts).
 */
export type ClockMessage = Omit<
  MessageRecord,
  "messageId" | "inReplyTo" | "cc" | "bodyText" | "rawSha256" | "size" | "updatedAt"
>;

const text = (v: unknown) => v as string;
const textOrNull = (v: unknown) => v as string | null;

export function toClockMessage(a: RawRow): ClockMessage {
  const letterInput = textOrNull(a[col.letter_input]);
  const trustWhy = textOrNull(a[col.trust_why]);
  return {
    id: a[col.id] as number,
    caseId: a[col.case_id] as number | null,
    direction: a[col.direction] as Direction,
    channel: a[col.channel] as Channel,
    kind: textOrNull(a[col.kind]),
    letterInput: letterInput ? (JSON.parse(letterInput) as LetterInputRecord) : null,
    from: textOrNull(a[col.from_addr]),
    to: JSON.parse(text(a[col.to_addrs])) as string[],
    postalAddress: textOrNull(a[col.postal_address]),
    subject: textOrNull(a[col.subject]),
    date: textOrNull(a[col.date]),
    // A draft discarded on its own keeps its row and its CHECKed state; it reads as discarded everywhere.
    state: a[col.discarded_at] !== null ? "discarded" : (a[col.state] as OutboxState | null),
    replyClass: textOrNull(a[col.reply_class]),
    trust: a[col.trust] as TrustStatus | null,
    trustWhy: trustWhy ? (JSON.parse(trustWhy) as string[]) : [],
    trustConfirmedAt: textOrNull(a[col.trust_confirmed_at]),
    arrivedAt: textOrNull(a[col.arrived_at]),
    arrival: a[col.arrival] as ArrivalSource | null,
    arrivedBy: textOrNull(a[col.arrived_by]),
    messageIdReused: a[col.message_id_reused] === 1,
    createdAt: text(a[col.created_at]),
  };
}

function toMessage(a: RawRow): MessageRecord {
  return {
    ...toClockMessage(a),
    messageId: textOrNull(a[col.message_id]),
    inReplyTo: textOrNull(a[col.in_reply_to]),
    cc: JSON.parse(text(a[col.cc_addrs])) as string[],
    bodyText: textOrNull(a[col.body_text]),
    rawSha256: text(a[col.raw_sha256]),
    size: a[col["length(raw)"]] as number,
    updatedAt: text(a[col.updated_at]),
  };
}

/** Discard one letter that never left (its case stays): a draft, queued or failed; a letter that left is history. */
export function discardDraft(db: Db, id: number, now: string): boolean {
  // A queued letter whose sends all failed before the server took it, or one refused for good, never left.
  const info = db
    .prepare(
      `UPDATE messages SET discarded_at = ?, updated_at = ?
       WHERE id = ? AND state IN ('draft', 'queued', 'failed') AND discarded_at IS NULL`,
    )
    .run(now, now, id);
  return info.changes === 1;
}

/** SHA-256 of bytes, hex. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash("sha256").update(data).digest("hex");
}

/** Store bytes once under their hash; returns the hash. */
export function putBlob(db: Db, data: Uint8Array): string {
  const sha = sha256Hex(data);
  db.prepare("INSERT OR IGNORE INTO blobs (sha256, size, data) VALUES (?, ?, ?)").run(sha, data.length, data);
  return sha;
}

/** Bytes of a stored blob. */
export function getBlob(db: Db, sha256: string): Buffer | undefined {
  return db.prepare("SELECT data FROM blobs WHERE sha256 = ?").pluck().get(sha256) as Buffer | undefined;
}

export interface NewOutgoing {
  caseId: number;
  channel: Channel;
  kind: string;
  fields: Record<string, string>;
  summary: string;
  priorServicer?: PriorServicerData | undefined;
  lang?: LetterLanguage | undefined;
  messageId: string;
  inReplyTo?: string | null;
  from: string;
  to: string[];
  cc: string[];
  postalAddress: string | null;
  subject: string;
  bodyText: string;
  date: string;
  raw: Buffer;
  now: string;
}

/** Insert a draft letter with its exact bytes. */
export function insertDraft(db: Db, m: NewOutgoing): number {
  const info = db
    .prepare(
      `INSERT INTO messages (case_id, direction, channel, kind, letter_input, message_id, in_reply_to, from_addr, to_addrs, cc_addrs,
         postal_address, subject, body_text, date, raw, raw_sha256, state, created_at, updated_at)
       VALUES (?, 'out', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
    )
    .run(
      m.caseId,
      m.channel,
      m.kind,
      JSON.stringify({
        fields: m.fields,
        summary: m.summary,
        ...(m.priorServicer ? { priorServicer: m.priorServicer } : {}),
        ...(m.lang ? { lang: m.lang } : {}),
      } satisfies LetterInputRecord),
      m.messageId,
      m.inReplyTo ?? null,
      m.from,
      JSON.stringify(m.to),
      JSON.stringify(m.cc),
      m.postalAddress,
      m.subject,
      m.bodyText,
      m.date,
      m.raw,
      sha256Hex(m.raw),
      m.now,
      m.now,
    );
  return Number(info.lastInsertRowid);
}

/** Replace a draft's body and bytes after an edit; the caller keeps the old bytes as a blob for the record. */
export function updateDraft(db: Db, id: number, bodyText: string, date: string, raw: Buffer, now: string): void {
  db.prepare(
    "UPDATE messages SET body_text = ?, date = ?, raw = ?, raw_sha256 = ?, updated_at = ? WHERE id = ? AND state = 'draft' AND discarded_at IS NULL",
  ).run(bodyText, date, raw, sha256Hex(raw), now, id);
}

/** Messages of a case in order. */
export function listCaseMessages(db: Db, caseId: number): MessageRecord[] {
  const rows = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE case_id = ? ORDER BY id`).raw(true);
  return (rows.all(caseId) as RawRow[]).map(toMessage);
}

/** One message by row id. */
export function findMessage(db: Db, id: number): MessageRecord | undefined {
  const row = db.prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE id = ?`).raw(true).get(id) as
    | RawRow
    | undefined;
  return row ? toMessage(row) : undefined;
}

/** A message by its Message-ID header (for threading replies). */
export function findMessageByMessageId(db: Db, messageId: string): MessageRecord | undefined {
  const row = db
    .prepare(`SELECT ${MESSAGE_COLUMNS} FROM messages WHERE message_id = ? ORDER BY id LIMIT 1`)
    .raw(true)
    .get(messageId) as RawRow | undefined;
  return row ? toMessage(row) : undefined;
}

/** The exact stored bytes of a message the caller knows exists. */
export function readRaw(db: Db, id: number): Buffer {
  const raw = findMessageRaw(db, id);
  if (!raw) throw new Error(`message ${id} has no stored bytes`);
  return raw;
}

/** The stored bytes of one message (one row, one query), if the message exists. */
export function findMessageRaw(db: Db, id: number): Buffer | undefined {
  return db.prepare("SELECT raw FROM messages WHERE id = ?").pluck().get(id) as Buffer | undefined;
}

/** File a received message to a case by hand. */
export function fileMessageByHand(db: Db, id: number, caseId: number, now: string): void {
  db.prepare("UPDATE messages SET case_id = ?, filed_by = 'manual', updated_at = ? WHERE id = ?").run(caseId, now, id);
}

/** Record that the user confirmed a suspect or unverified reply: from now on it meets clocks. */
export function setTrustConfirmed(db: Db, id: number, now: string): void {
  db.prepare("UPDATE messages SET trust_confirmed_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
}

/** Whether any stored message carries this Message-ID (with other bytes, since the bytes were not found). */
export function isMessageIdHeld(db: Db, messageId: string): boolean {
  return db.prepare("SELECT 1 FROM messages WHERE message_id = ? LIMIT 1").pluck().get(messageId) !== undefined;
}

/** Set a reply's class as corrected by the user, and say so in the row. */
export function setReplyClassByUser(db: Db, id: number, replyClass: string, now: string): void {
  db.prepare("UPDATE messages SET reply_class = ?, class_set_by = 'user', updated_at = ? WHERE id = ?").run(
    replyClass,
    now,
    id,
  );
}

export interface NewAttachment {
  position: number;
  exhibit: string | null;
  label: string;
  fileName: string;
  contentType: string;
  data: Uint8Array;
}

/** Record a message's attachments, storing each file's bytes once by hash. */
export function insertAttachments(db: Db, messageId: number, attachments: readonly NewAttachment[]): void {
  const insert = db.prepare(
    `INSERT INTO attachments (message_id, position, exhibit, label, file_name, content_type, size, sha256)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const a of attachments) {
    const sha = putBlob(db, a.data);
    insert.run(messageId, a.position, a.exhibit, a.label, a.fileName, a.contentType, a.data.length, sha);
  }
}

/** Replace a draft's exhibits (their bytes stay as blobs, so earlier versions of the letter remain readable). */
export function replaceAttachments(db: Db, messageId: number, attachments: readonly NewAttachment[]): void {
  db.prepare("DELETE FROM attachments WHERE message_id = ?").run(messageId);
  insertAttachments(db, messageId, attachments);
}

/** Attachments of a message in order. */
export function listAttachments(db: Db, messageId: number): AttachmentRecord[] {
  return db
    .prepare(
      `SELECT id, message_id AS messageId, position, exhibit, label, file_name AS fileName,
         content_type AS contentType, size, sha256 FROM attachments WHERE message_id = ? ORDER BY position`,
    )
    .all(messageId) as AttachmentRecord[];
}

/** Move an outgoing letter to a new outbox state. */
export function setMessageState(db: Db, id: number, state: OutboxState, now: string): void {
  db.prepare("UPDATE messages SET state = ?, updated_at = ? WHERE id = ?").run(state, now, id);
}

/** A reply already held whose attachment has given bytes: the earlier record of a scan given again. */
export interface HeldScan {
  messageId: number;
  caseId: number;
  date: string | null;
  channel: string;
  fileName: string;
}

/**
 * Replies filed to a case of this client that hold an attachment of this SHA-256 (a scan recorded before, or the
 * same file attached to an email reply), oldest first. Another client's replies are never named (the fence).
 */
export function findRepliesHoldingFile(db: Db, sha256: string, clientId: number): HeldScan[] {
  return db
    .prepare(
      `SELECT m.id AS messageId, m.case_id AS caseId, m.date AS date, m.channel AS channel, a.file_name AS fileName
         FROM attachments a JOIN messages m ON m.id = a.message_id
         JOIN cases c ON c.id = m.case_id JOIN loans l ON l.id = c.loan_id
        WHERE a.sha256 = ? AND m.direction = 'in' AND l.client_id = ?
        ORDER BY m.id`,
    )
    .all(sha256, clientId) as HeldScan[];
}
