/** What the reply classifier learns from this home: the user's own classifications, and our letters' text. */
import type { Db } from "./db.js";
import type { EventRow } from "./events.js";

/** A received reply whose class the user set (`classify MSG CLASS`). */
export interface UserClassifiedReply {
  id: number;
  servicerId: number | null;
  replyClass: string;
  bodyText: string;
}

/** Every received reply the user classified, oldest first. */
export function listUserClassified(db: Db): UserClassifiedReply[] {
  return db
    .prepare(
      `SELECT id, servicer_id AS servicerId, reply_class AS replyClass, body_text AS bodyText FROM messages
       WHERE direction = 'in' AND class_set_by = 'user' AND reply_class IS NOT NULL AND body_text IS NOT NULL
       ORDER BY id`,
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

/** Who set a reply's class and which servicer it came from (for explaining it). */
export function readClassOrigin(db: Db, id: number): { servicerId: number | null; classSetBy: string | null } {
  return (
    (db.prepare("SELECT servicer_id AS servicerId, class_set_by AS classSetBy FROM messages WHERE id = ?").get(id) as
      | { servicerId: number | null; classSetBy: string | null }
      | undefined) ?? { servicerId: null, classSetBy: null }
  );
}

/** The `received` and `classified` events of one message, oldest first (rows as stored). */
export function listClassEvents(db: Db, messageId: number): EventRow[] {
  return db
    .prepare("SELECT * FROM events WHERE message_id = ? AND type IN ('received', 'classified') ORDER BY id")
    .all(messageId) as EventRow[];
}
