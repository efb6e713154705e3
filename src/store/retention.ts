/** A client's file as retention needs it: closing and reopening, the plan rows, the agency log's events. */
import type { Db } from "./db.js";
import type { EventRow } from "./events.js";

/** Record the day a client's file closed (and why), or clear it (reopen). */
export function setClientClosed(db: Db, clientId: number, on: string | null, reason: string | null): void {
  db.prepare("UPDATE clients SET closed_on = ?, closed_reason = ? WHERE id = ?").run(on, reason, clientId);
}

export interface PlanRow {
  id: number;
  text: string;
  by_date: string;
  done_on: string | null;
  created_at: string;
}

/** One client's action plan, in order. */
export function listClientPlanRows(db: Db, clientId: number): PlanRow[] {
  return db
    .prepare("SELECT id, text, by_date, done_on, created_at FROM client_plan WHERE client_id = ? ORDER BY by_date, id")
    .all(clientId) as PlanRow[];
}

/** The agency log: every close, reopen and purge recorded, in order (purges on chain 0 outlive their client). */
export function listRetentionEvents(db: Db): EventRow[] {
  return db
    .prepare("SELECT * FROM events WHERE type IN ('client-closed', 'client-reopened', 'client-purged') ORDER BY id")
    .all() as EventRow[];
}

/** The events of one chain (a client's own chain is minus its id), in order. */
export function listChainEvents(db: Db, chain: number): EventRow[] {
  return db.prepare("SELECT * FROM events WHERE chain = ? ORDER BY id").all(chain) as EventRow[];
}
