/**
 * What the clocks read of the messages of many cases in one go: a listing over a caseload (`due`, `client list`)
 * reads every open case's letters and replies (issue 12: 1,500 cases, 20,000 messages, under half a second).
 *
 * A letter is read whole (its kind, input, addresses and state decide its clocks); a reply only by what decides
 * when it arrived, its class and its standing, and only if it can count (REPLY_COUNTS_TERM). Each of the two reads
 * comes from its own covering index (migrations 150 and 180), never a row: a message's bytes sit inside its row. A
 * reply held back from the clocks is named by its sender and subject in `due`; those few are read one by one
 * (replyHeldFacts).
 */
import type { ArrivalSource } from "../domain/reply-arrival.js";
import type { TrustStatus } from "../domain/reply-trust.js";
import type { Db } from "./db.js";
import { type Channel, CLOCK_MESSAGE_COLUMNS, type ClockMessage, type RawRow, toClockMessage } from "./messages.js";

/** What the clocks read of a reply: when it arrived (src/domain/reply-arrival.ts), its class and its standing. */
export type ReplyClockFacts = Pick<
  ClockMessage,
  | "id"
  | "caseId"
  | "channel"
  | "date"
  | "replyClass"
  | "trust"
  | "trustConfirmedAt"
  | "arrivedAt"
  | "arrival"
  | "arrivedBy"
  | "createdAt"
>;

/** From the partial covering index messages_letter_clock_facts (migration 150). */
export const LETTERS_OF_CASES_SQL = `SELECT ${CLOCK_MESSAGE_COLUMNS} FROM messages
  WHERE direction = 'out' AND case_id IN (SELECT value FROM json_each(?)) ORDER BY case_id, id`;

/**
 * The replies that can count for a listing: any class but other (none yet and needs-review included), and every
 * reply held back as suspect or unverified (src/domain/reply-trust.ts, meetsClocks). A reply of class other that
 * meets its clocks is left out: no clock lists other among the classes that meet it, only an extension extends
 * one (src/domain/run-clock.ts), and due lists only replies needing review or held back. Most of a caseload's
 * replies are such; leaving them out spares decoding 17,000 of 18,500. The term is the partial index's
 * (migration 180), word for word, or SQLite would not use it.
 */
export const REPLY_COUNTS_TERM =
  "(reply_class IS NOT 'other' OR (trust IS NOT NULL AND trust <> 'trusted' AND trust_confirmed_at IS NULL))";

/** From the partial covering index messages_reply_clock_counts (migration 180), in the order toReplyFacts reads. */
export const REPLIES_OF_CASES_SQL = `SELECT id, case_id, channel, date, reply_class, trust, trust_confirmed_at,
  arrived_at, arrival, arrived_by, created_at FROM messages
  WHERE direction = 'in' AND ${REPLY_COUNTS_TERM} AND case_id IN (SELECT value FROM json_each(?))
  ORDER BY case_id, id`;

function toReplyFacts(a: RawRow): ReplyClockFacts {
  return {
    id: a[0] as number,
    caseId: a[1] as number | null,
    channel: a[2] as Channel,
    date: a[3] as string | null,
    replyClass: a[4] as string | null,
    trust: a[5] as TrustStatus | null,
    trustConfirmedAt: a[6] as string | null,
    arrivedAt: a[7] as string | null,
    arrival: a[8] as ArrivalSource | null,
    arrivedBy: a[9] as string | null,
    createdAt: a[10] as string,
  };
}

/** The letters (messages out) of many cases, each case's in id order; a case with none has no entry. */
export function listLettersOfCases(db: Db, caseIds: readonly number[]): Map<number, ClockMessage[]> {
  const rows = db.prepare(LETTERS_OF_CASES_SQL).raw(true).all(JSON.stringify(caseIds)) as RawRow[];
  return groupByCase(rows.map(toClockMessage));
}

/** The replies (messages in) of many cases that can count (REPLY_COUNTS_TERM), each case's in id order. */
export function listRepliesOfCases(db: Db, caseIds: readonly number[]): Map<number, ReplyClockFacts[]> {
  const rows = db.prepare(REPLIES_OF_CASES_SQL).raw(true).all(JSON.stringify(caseIds)) as RawRow[];
  return groupByCase(rows.map(toReplyFacts));
}

/** Who a reply says it is from, its subject and why it is not trusted: what `due` shows of a held reply. */
export interface ReplyHeldFacts {
  from: string | null;
  subject: string | null;
  trustWhy: string[];
}

export function replyHeldFacts(db: Db, id: number): ReplyHeldFacts {
  const row = db.prepare("SELECT from_addr, subject, trust_why FROM messages WHERE id = ?").raw(true).get(id) as
    | [string | null, string | null, string | null]
    | undefined;
  // The caller read this id from the same database a moment ago, in the same command: no row is a bug.
  if (!row) throw new Error(`message ${id} vanished while due read it`);
  return { from: row[0], subject: row[1], trustWhy: row[2] ? (JSON.parse(row[2]) as string[]) : [] };
}

function groupByCase<T extends { caseId: number | null }>(items: readonly T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const item of items) {
    const k = item.caseId ?? 0;
    const list = out.get(k);
    if (list) list.push(item);
    else out.set(k, [item]);
  }
  return out;
}
