/**
 * Reads the evidence export needs (timeline, bundle, `verify --db`): message metadata without the bytes, the
 * bytes of one message at a time, a case's tag, and the hashes to check stored bytes against. Reading one row's
 * bytes per call is what keeps an export or a check of any size out of memory.
 */
import type { ArrivalSource } from "../domain/reply-arrival.js";
import type { TrustStatus } from "../domain/reply-trust.js";
import type { Db } from "./db.js";
import type { EventRow } from "./events.js";
import type { Channel, Direction, OutboxState } from "./messages.js";

/** A message as the timeline lists it: metadata and the start of its text, never its bytes. */
export interface MessageMeta {
  id: number;
  caseId: number;
  direction: Direction;
  channel: Channel;
  kind: string | null;
  state: OutboxState | null;
  replyClass: string | null;
  messageId: string | null;
  from: string | null;
  to: string[];
  postalAddress: string | null;
  subject: string | null;
  date: string | null;
  createdAt: string;
  rawSha256: string;
  size: number;
  /** The first characters of the message's text ("" when it has none). */
  textStart: string;
  /** A reply's sender as judged on arrival, why, and when the user confirmed it (src/domain/reply-trust.ts). */
  trust: TrustStatus | null;
  trustWhy: string[];
  trustConfirmedAt: string | null;
  /** When a reply arrived (src/domain/reply-arrival.ts): the earliest INTERNALDATE, else as recorded. */
  internalDate: string | null;
  arrivedAt: string | null;
  arrival: ArrivalSource | null;
  arrivedBy: string | null;
  messageIdReused: boolean;
}

interface MessageMetaRow {
  id: number;
  case_id: number;
  direction: Direction;
  channel: Channel;
  kind: string | null;
  state: OutboxState | null;
  reply_class: string | null;
  message_id: string | null;
  from_addr: string | null;
  to_addrs: string;
  postal_address: string | null;
  subject: string | null;
  date: string | null;
  created_at: string;
  raw_sha256: string;
  size: number;
  excerpt: string | null;
  trust: TrustStatus | null;
  trust_why: string | null;
  trust_confirmed_at: string | null;
  internal_date: string | null;
  arrived_at: string | null;
  arrival: ArrivalSource | null;
  arrived_by: string | null;
  message_id_reused: number;
}

/** Messages of a case in id order, with at most `textChars` characters of their text. */
export function listCaseMessageMeta(db: Db, caseId: number, textChars: number): MessageMeta[] {
  const rows = db
    .prepare(
      `SELECT id, case_id, direction, channel, kind, state, reply_class, message_id, from_addr, to_addrs,
         postal_address, subject, date, created_at, raw_sha256, length(raw) AS size,
         substr(body_text, 1, ?) AS excerpt, trust, trust_why, trust_confirmed_at, arrived_at, arrival, arrived_by,
         message_id_reused, (SELECT min(o.internal_date) FROM message_origins o WHERE o.message_id = messages.id)
           AS internal_date
       FROM messages WHERE case_id = ? ORDER BY id`,
    )
    .all(textChars, caseId) as MessageMetaRow[];
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    direction: r.direction,
    channel: r.channel,
    kind: r.kind,
    state: r.state,
    replyClass: r.reply_class,
    messageId: r.message_id,
    from: r.from_addr,
    to: JSON.parse(r.to_addrs) as string[],
    postalAddress: r.postal_address,
    subject: r.subject,
    date: r.date,
    createdAt: r.created_at,
    rawSha256: r.raw_sha256,
    size: r.size,
    textStart: r.excerpt ?? "",
    trust: r.trust,
    trustWhy: r.trust_why ? (JSON.parse(r.trust_why) as string[]) : [],
    trustConfirmedAt: r.trust_confirmed_at,
    internalDate: r.internal_date,
    arrivedAt: r.arrived_at,
    arrival: r.arrival,
    arrivedBy: r.arrived_by,
    messageIdReused: r.message_id_reused === 1,
  }));
}

/** The tag of a case by id, if the case exists. */
export function findCaseTag(db: Db, caseId: number): string | undefined {
  return db.prepare("SELECT tag FROM cases WHERE id = ?").pluck().get(caseId) as string | undefined;
}

/** How many event chains the database holds. */
export function countEventChains(db: Db): number {
  return db.prepare("SELECT count(DISTINCT chain) FROM events").pluck().get() as number;
}

/** Every message's id and the SHA-256 stored for its bytes, in id order (without the bytes). */
export function listMessageHashes(db: Db): { id: number; rawSha256: string }[] {
  const rows = db.prepare("SELECT id, raw_sha256 FROM messages ORDER BY id").all() as {
    id: number;
    raw_sha256: string;
  }[];
  return rows.map((r) => ({ id: r.id, rawSha256: r.raw_sha256 }));
}

/** The hash of every stored file (blob), in order (without the bytes; getBlob reads one). */
export function listBlobHashes(db: Db): string[] {
  return db.prepare("SELECT sha256 FROM blobs ORDER BY sha256").pluck().all() as string[];
}

/** What verify --db compares of each message with its events and its own bytes (one row at a time: no bytes). */
export interface MessageFacts {
  id: number;
  caseId: number | null;
  direction: string;
  channel: string;
  rawSha256: string;
  subject: string | null;
  bodyText: string | null;
  date: string | null;
  replyClass: string | null;
  arrivedAt: string | null;
  fromAddr: string | null;
  postalAddress: string | null;
  /** A letter's: draft, queued, sent, ... (null for a reply). */
  state: string | null;
}

interface MessageFactsRow {
  id: number;
  case_id: number | null;
  direction: string;
  channel: string;
  raw_sha256: string;
  subject: string | null;
  body_text: string | null;
  date: string | null;
  reply_class: string | null;
  arrived_at: string | null;
  from_addr: string | null;
  postal_address: string | null;
  state: string | null;
}

const MESSAGE_FACTS_SQL = `SELECT id, case_id, direction, channel, raw_sha256, subject, body_text, date, reply_class,
  arrived_at, from_addr, postal_address, state FROM messages`;

/** One message's facts (verify --db compares a reply's parsed fields while its bytes are at hand). */
export function findMessageFacts(db: Db, id: number): MessageFacts | undefined {
  const row = db.prepare(`${MESSAGE_FACTS_SQL} WHERE id = ?`).get(id) as MessageFactsRow | undefined;
  return row ? toMessageFacts(row) : undefined;
}

export function listMessageFacts(db: Db): MessageFacts[] {
  return (db.prepare(`${MESSAGE_FACTS_SQL} ORDER BY id`).all() as MessageFactsRow[]).map(toMessageFacts);
}

function toMessageFacts(r: MessageFactsRow): MessageFacts {
  return {
    id: r.id,
    caseId: r.case_id,
    direction: r.direction,
    channel: r.channel,
    rawSha256: r.raw_sha256,
    subject: r.subject,
    bodyText: r.body_text,
    date: r.date,
    replyClass: r.reply_class,
    arrivedAt: r.arrived_at,
    fromAddr: r.from_addr,
    postalAddress: r.postal_address,
    state: r.state,
  };
}

/** Every event that names a message, in order (rows as stored). */
export function listMessageEvents(db: Db): EventRow[] {
  return db.prepare("SELECT * FROM events WHERE message_id IS NOT NULL ORDER BY id").all() as EventRow[];
}

/** The event with this hash, if the database holds one, and how many events its chain has up to it. */
export function findChainPoint(db: Db, hash: string): { chain: number; id: number; position: number } | undefined {
  const row = db.prepare("SELECT id, chain FROM events WHERE hash = ?").get(hash) as
    | { id: number; chain: number }
    | undefined;
  if (!row) return undefined;
  const position = db
    .prepare("SELECT count(*) FROM events WHERE chain = ? AND id <= ?")
    .pluck()
    .get(row.chain, row.id) as number;
  return { ...row, position };
}

/** Bytes the store keeps: a message's original (messages.raw) or a stored file (blobs.data). */
export type StoredBytes = { kind: "message"; id: number } | { kind: "blob"; sha256: string };

const SIZE_SQL = {
  message: "SELECT length(raw) FROM messages WHERE id = ?",
  blob: "SELECT length(data) FROM blobs WHERE sha256 = ?",
} as const;
// substr() of a BLOB counts bytes, from 1.
const PART_SQL = {
  message: "SELECT substr(raw, ?, ?) FROM messages WHERE id = ?",
  blob: "SELECT substr(data, ?, ?) FROM blobs WHERE sha256 = ?",
} as const;

const keyOf = (at: StoredBytes) => (at.kind === "message" ? at.id : at.sha256);

/** How many bytes are stored there (length() of a BLOB reads none of its bytes); undefined when the row is gone. */
export function storedSize(db: Db, at: StoredBytes): number | undefined {
  return db.prepare(SIZE_SQL[at.kind]).pluck().get(keyOf(at)) as number | undefined;
}

/**
 * `length` of the stored bytes from `offset` (fewer at the end); undefined when the row is gone. better-sqlite3
 * has no incremental BLOB reading, so this is how a large value is handed on in parts: SQLite still reads the
 * whole value for each part, so callers take few, large parts (bundle-content.ts).
 */
export function readStoredPart(db: Db, at: StoredBytes, offset: number, length: number): Buffer | undefined {
  const part = db
    .prepare(PART_SQL[at.kind])
    .pluck()
    .get(offset + 1, length, keyOf(at)) as Buffer | null | undefined;
  return part ?? undefined;
}

/** The events that make and change servicers, loans and cases, and set a case's status (verify --db's rows check). */
export function listRowEvents(db: Db): EventRow[] {
  return db
    .prepare(
      `SELECT * FROM events WHERE type IN ('servicer-added', 'servicer-changed', 'loan-added', 'loan-changed',
         'transfer', 'composed', 'resolved', 'unresolved', 'discarded', 'sent', 'mailed') ORDER BY id`,
    )
    .all() as EventRow[];
}

/** A stored attachment's place and hash (verify --db compares them with the events that recorded them). */
export interface AttachmentFact {
  messageId: number;
  position: number;
  fileName: string;
  sha256: string;
}

/** Every stored attachment, by message and position. */
export function listAttachmentFacts(db: Db): AttachmentFact[] {
  return db
    .prepare(
      `SELECT message_id AS messageId, position, file_name AS fileName, sha256 FROM attachments
       ORDER BY message_id, position`,
    )
    .all() as AttachmentFact[];
}
