/** Client households: who a loan, case, letter or reply belongs to (docs/ARCHITECTURE.md, "Clients"). */
import type { Db } from "./db.js";

export interface ClientRow {
  id: number;
  name: string;
  counselor_id: number | null;
  intake: string;
  closed_on: string | null;
  closed_reason: string | null;
  created_at: string;
}

/** One client by id, or undefined. */
export function getClientRow(db: Db, id: number): ClientRow | undefined {
  return db.prepare("SELECT * FROM clients WHERE id = ?").get(id) as ClientRow | undefined;
}

/** How many clients the home holds: a listing names each row's client when there are several. */
export function countClients(db: Db): number {
  return db.prepare("SELECT count(*) FROM clients").pluck().get() as number;
}
