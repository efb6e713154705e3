/** Reading where and when a received message was seen in a mailbox (rows written by the sync's `addOrigin`). */
import type { Db } from "./db.js";

/** The earliest INTERNALDATE any mailbox gave this message: when the server first held it, or null if never seen. */
export function firstInternalDate(db: Db, messageRowId: number): string | null {
  const first: unknown = db
    .prepare("SELECT min(internal_date) FROM message_origins WHERE message_id = ?")
    .pluck()
    .get(messageRowId);
  return typeof first === "string" ? first : null;
}
