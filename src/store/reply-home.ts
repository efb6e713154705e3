/** What the reply classifier learns from this home: the user's own classifications, and our letters' text. */
import type { Db } from "./db.js";
import type { EventRow } from "./events.js";

/** A received reply whose class the user set (`classify MSG CLASS`). */
export interface UserClassifiedReply {
  id: number;
  servicerId: number | null;
  /** Whose file it is in: its case's client (null while unfiled). */
  clientId: number | null;
  replyClass: string;
  bodyText: string;
}

/** Every received reply the user classified, oldest first. */
export function listUserClassified(db: Db): UserClassifiedReply[] {
  return db
    .prepare(
      `SELECT m.id, m.servicer_id AS servicerId, l.client_id AS clientId, m.reply_class AS replyClass,
       m.body_text AS bodyText FROM messages m
       LEFT JOIN cases c ON c.id = m.case_id LEFT JOIN loans l ON l.id = c.loan_id
       WHERE m.direction = 'in' AND m.class_set_by = 'user' AND m.reply_class IS NOT NULL AND m.body_text IS NOT NULL
       ORDER BY m.id`,
    )
    .all() as UserClassifiedReply[];
}

/** The text of our letters that left or may have (a servicer may paste them below its answer), newest first. */
export function listOwnLetterTexts(db: Db, limit = 200): string[] {
  return db
    .prepare(
      `SELECT body_text FROM messages
       WHERE direction = 'out' AND body_text IS NOT NULL AND discarded_at IS NULL
         AND state IN ('queued', 'sending', 'sent', 'unknown')
       ORDER BY id DESC LIMIT ?`,
    )
    .pluck()
    .all(limit) as string[];
}

/** Who set a reply's class, which servicer it came from and whose file it is in (for explaining it). */
export function readClassOrigin(
  db: Db,
  id: number,
): { servicerId: number | null; classSetBy: string | null; clientId: number | null } {
  return (
    (db
      .prepare(
        `SELECT m.servicer_id AS servicerId, m.class_set_by AS classSetBy, l.client_id AS clientId FROM messages m
         LEFT JOIN cases c ON c.id = m.case_id LEFT JOIN loans l ON l.id = c.loan_id WHERE m.id = ?`,
      )
      .get(id) as { servicerId: number | null; classSetBy: string | null; clientId: number | null } | undefined) ?? {
      servicerId: null,
      classSetBy: null,
      clientId: null,
    }
  );
}

/** Each case's client: whose file a reply filed to the case goes into. */
export function listCaseClients(db: Db): Map<number, number> {
  const rows = db.prepare("SELECT c.id, l.client_id FROM cases c JOIN loans l ON l.id = c.loan_id").raw(true).all() as [
    number,
    number,
  ][];
  return new Map(rows);
}

/** The `received` and `classified` events of one message, oldest first (rows as stored). */
export function listClassEvents(db: Db, messageId: number): EventRow[] {
  return db
    .prepare("SELECT * FROM events WHERE message_id = ? AND type IN ('received', 'classified') ORDER BY id")
    .all(messageId) as EventRow[];
}
