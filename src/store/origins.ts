/** Reading where and when a received message was seen in a mailbox (rows written by the sync's `addOrigin`). */
import { REPLY_COUNTS_TERM } from "./clock-rows.js";
import type { Db } from "./db.js";

/** The earliest INTERNALDATE any mailbox gave this message: when the server first held it, or null if never seen. */
export function firstInternalDate(db: Db, messageRowId: number): string | null {
  const first: unknown = db
    .prepare("SELECT min(internal_date) FROM message_origins WHERE message_id = ?")
    .pluck()
    .get(messageRowId);
  return typeof first === "string" ? first : null;
}

/**
 * firstInternalDate for the replies of many cases that a listing reads (those that can count: REPLY_COUNTS_TERM,
 * found in their covering index), in one read: message row id to its earliest date.
 */
export const FIRST_INTERNAL_DATES_OF_CASES_SQL = `SELECT o.message_id AS id, min(o.internal_date) AS first
  FROM message_origins o
  WHERE o.message_id IN (SELECT id FROM messages
    WHERE direction = 'in' AND ${REPLY_COUNTS_TERM} AND case_id IN (SELECT value FROM json_each(?)))
  GROUP BY o.message_id`;

export function firstInternalDatesOfCases(db: Db, caseIds: readonly number[]): Map<number, string> {
  const rows = db.prepare(FIRST_INTERNAL_DATES_OF_CASES_SQL).all(JSON.stringify(caseIds)) as {
    id: number;
    first: string | null;
  }[];
  return new Map(rows.flatMap((r) => (r.first === null ? [] : [[r.id, r.first] as [number, string]])));
}
