/** Reads for `report outcomes` (src/app/report.ts): the cases active in a period and their `resolved` events. */
import type { Db } from "./db.js";

export interface ActiveCase {
  id: number;
  tag: string;
  kind: string;
  status: string;
  client_id: number;
  client: string;
  events: number;
}

/**
 * Every case with at least one event in [fromIso, toIso) (its own chain), with its client: the households served
 * in the period. One pass over the events of the period (index events_at, migration 120).
 */
export function listCasesActiveBetween(db: Db, fromIso: string, toIso: string): ActiveCase[] {
  return db.prepare(ACTIVE_CASES_SQL).all(fromIso, toIso) as ActiveCase[];
}

/** The queries of the report, exported for the store test that checks their plans use indexes. */
export const ACTIVE_CASES_SQL = `SELECT c.id, c.tag, c.kind, c.status, l.client_id, cl.name AS client, a.events
  FROM (SELECT chain, count(*) AS events FROM events WHERE at >= ? AND at < ? AND chain > 0 GROUP BY chain) a
  JOIN cases c ON c.id = a.chain JOIN loans l ON l.id = c.loan_id JOIN clients cl ON cl.id = l.client_id
  ORDER BY cl.name, c.id`;
export const RESOLVED_SQL =
  "SELECT chain, at, data FROM events WHERE type = 'resolved' AND at >= ? AND at < ? AND chain > 0 ORDER BY id";

/** The `resolved` events of the period, in order (their data as stored: the outcome is read by the app). */
export function listResolvedBetween(
  db: Db,
  fromIso: string,
  toIso: string,
): { chain: number; at: string; data: string }[] {
  return db.prepare(RESOLVED_SQL).all(fromIso, toIso) as { chain: number; at: string; data: string }[];
}
