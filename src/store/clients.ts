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

/** Every client, by name (case-insensitively ordered). */
export function listClientRows(db: Db): ClientRow[] {
  return db.prepare("SELECT * FROM clients ORDER BY name COLLATE NOCASE, id").all() as ClientRow[];
}

/** One client by name (any case), or undefined. */
export function findClientByName(db: Db, name: string): ClientRow | undefined {
  return db.prepare("SELECT * FROM clients WHERE name = ?").get(name) as ClientRow | undefined;
}

/** Add a client household with its counselor and intake (JSON); its id. */
export function insertClient(
  db: Db,
  c: { name: string; counselorId: number | null; intake: string },
  now: string,
): number {
  return Number(
    db
      .prepare("INSERT INTO clients (name, counselor_id, intake, created_at) VALUES (?, ?, ?, ?)")
      .run(c.name, c.counselorId, c.intake, now).lastInsertRowid,
  );
}

/** Replace a client's intake (JSON). */
export function setClientIntake(db: Db, id: number, intake: string): void {
  db.prepare("UPDATE clients SET intake = ? WHERE id = ?").run(intake, id);
}

/** How much of the record is a client's: loans, cases (and of them open ones, not resolved or discarded). */
export interface ClientCounts {
  clientId: number;
  loans: number;
  cases: number;
  /** Cases whose letters have left and that are not closed (open, unresolved). */
  openCases: number;
  /** Cases whose letters have not left yet. */
  draftCases: number;
}

/** Loans and cases per client, in one pass. */
export function clientCounts(db: Db): Map<number, ClientCounts> {
  const rows = db
    .prepare(
      `SELECT c.id AS clientId,
         (SELECT count(*) FROM loans l WHERE l.client_id = c.id) AS loans,
         (SELECT count(*) FROM cases k JOIN loans l ON l.id = k.loan_id WHERE l.client_id = c.id) AS cases,
         (SELECT count(*) FROM cases k JOIN loans l ON l.id = k.loan_id
            WHERE l.client_id = c.id AND k.status IN ('open', 'unresolved')) AS openCases,
         (SELECT count(*) FROM cases k JOIN loans l ON l.id = k.loan_id
            WHERE l.client_id = c.id AND k.status = 'draft') AS draftCases
       FROM clients c`,
    )
    .all() as ClientCounts[];
  return new Map(rows.map((r) => [r.clientId, r]));
}

// ── Agencies and counselors: a counselor's home (init --counselor) ──

export interface AgencyRow {
  id: number;
  name: string;
  hud_id: string | null;
  created_at: string;
}

export interface CounselorRow {
  id: number;
  agency_id: number | null;
  name: string;
  email: string | null;
  created_at: string;
}

export function insertAgency(db: Db, name: string, hudId: string | null, now: string): number {
  return Number(
    db.prepare("INSERT INTO agencies (name, hud_id, created_at) VALUES (?, ?, ?)").run(name, hudId, now)
      .lastInsertRowid,
  );
}

export function updateAgency(db: Db, id: number, name: string, hudId: string | null): void {
  db.prepare("UPDATE agencies SET name = ?, hud_id = ? WHERE id = ?").run(name, hudId, id);
}

export function getAgency(db: Db, id: number): AgencyRow | undefined {
  return db.prepare("SELECT * FROM agencies WHERE id = ?").get(id) as AgencyRow | undefined;
}

export function insertCounselor(
  db: Db,
  c: { agencyId: number; name: string; email: string | null },
  now: string,
): number {
  return Number(
    db
      .prepare("INSERT INTO counselors (agency_id, name, email, created_at) VALUES (?, ?, ?, ?)")
      .run(c.agencyId, c.name, c.email, now).lastInsertRowid,
  );
}

export function updateCounselor(db: Db, id: number, name: string, email: string | null): void {
  db.prepare("UPDATE counselors SET name = ?, email = ? WHERE id = ?").run(name, email, id);
}

export function getCounselor(db: Db, id: number): CounselorRow | undefined {
  return db.prepare("SELECT * FROM counselors WHERE id = ?").get(id) as CounselorRow | undefined;
}

// ── The action plan: dated follow-ups of one client ──

export interface PlanRow {
  id: number;
  client_id: number;
  text: string;
  by_date: string;
  done_on: string | null;
  created_at: string;
}

export function insertPlanItem(db: Db, clientId: number, text: string, by: string, now: string): number {
  return Number(
    db
      .prepare("INSERT INTO client_plan (client_id, text, by_date, created_at) VALUES (?, ?, ?, ?)")
      .run(clientId, text, by, now).lastInsertRowid,
  );
}

/** A client's plan, in the order it was written. */
export function listPlan(db: Db, clientId: number): PlanRow[] {
  return db.prepare("SELECT * FROM client_plan WHERE client_id = ? ORDER BY id").all(clientId) as PlanRow[];
}

/** Open plan items of every client (or one), soonest first, with the client's name. */
export function listOpenPlan(db: Db, clientId?: number): (PlanRow & { client_name: string })[] {
  const sql = `SELECT p.*, c.name AS client_name FROM client_plan p JOIN clients c ON c.id = p.client_id
    WHERE p.done_on IS NULL ${clientId === undefined ? "" : "AND p.client_id = ?"} ORDER BY p.by_date, p.id`;
  const stmt = db.prepare(sql);
  return (clientId === undefined ? stmt.all() : stmt.all(clientId)) as (PlanRow & { client_name: string })[];
}

export function setPlanDone(db: Db, id: number, on: string): void {
  db.prepare("UPDATE client_plan SET done_on = ? WHERE id = ?").run(on, id);
}
