/** Servicers and their reply domains. */
import { UserError } from "../errors.js";
import type { Db } from "./db.js";

export interface Servicer {
  id: number;
  name: string;
  email: string;
  slaDays: number;
  noticeAddress: string | null;
  noticeEmail: string | null;
  /** The servicer's portal, recorded only when the servicer designated it for notices. */
  noticePortal: string | null;
  payoffEmail: string | null;
  payoffAddress: string | null;
  small: boolean;
  domains: string[];
  createdAt: string;
}

export type ServicerInput = Partial<Omit<Servicer, "id" | "createdAt" | "name">>;

interface ServicerRow {
  id: number;
  name: string;
  email: string;
  sla_days: number;
  notice_address: string | null;
  notice_email: string | null;
  notice_portal: string | null;
  payoff_email: string | null;
  payoff_address: string | null;
  small: number;
  created_at: string;
}

function toServicer(db: Db, row: ServicerRow): Servicer {
  const domains = db
    .prepare("SELECT domain FROM servicer_domains WHERE servicer_id = ? ORDER BY domain")
    .pluck()
    .all(row.id) as string[];
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    slaDays: row.sla_days,
    noticeAddress: row.notice_address,
    noticeEmail: row.notice_email,
    noticePortal: row.notice_portal,
    payoffEmail: row.payoff_email,
    payoffAddress: row.payoff_address,
    small: row.small === 1,
    domains,
    createdAt: row.created_at,
  };
}

/** All servicers by name. */
export function listServicers(db: Db): Servicer[] {
  return (db.prepare("SELECT * FROM servicers ORDER BY name").all() as ServicerRow[]).map((r) => toServicer(db, r));
}

/** A servicer by name (case-insensitive) or numeric id, or undefined. */
export function findServicer(db: Db, nameOrId: string | number): Servicer | undefined {
  const row = (
    typeof nameOrId === "number" || /^\d+$/.test(nameOrId)
      ? db.prepare("SELECT * FROM servicers WHERE id = ?").get(Number(nameOrId))
      : db.prepare("SELECT * FROM servicers WHERE name = ?").get(nameOrId)
  ) as ServicerRow | undefined;
  return row ? toServicer(db, row) : undefined;
}

/** Like findServicer, but a missing servicer is a user error that lists the known ones. */
export function requireServicer(db: Db, nameOrId: string | number): Servicer {
  const found = findServicer(db, nameOrId);
  if (found) return found;
  const names = listServicers(db).map((s) => s.name);
  throw new UserError(`no servicer "${nameOrId}"`, {
    code: "SERVICER_NOT_FOUND",
    hint:
      names.length > 0
        ? `known servicers: ${names.join(", ")}`
        : 'add one first: loanmail servicer add "Mr. Cooper" --domain mrcooper.com --email ADDR',
  });
}

function setDomains(db: Db, servicerId: number, domains: readonly string[]): void {
  for (const domain of domains) {
    const owner = db.prepare("SELECT servicer_id FROM servicer_domains WHERE domain = ?").pluck().get(domain) as
      | number
      | undefined;
    if (owner !== undefined && owner !== servicerId) {
      const other = findServicer(db, owner);
      throw new UserError(`the domain ${domain} already belongs to ${other?.name ?? `servicer ${owner}`}`, {
        code: "DOMAIN_TAKEN",
        hint: "a reply domain can name only one servicer",
      });
    }
  }
  db.prepare("DELETE FROM servicer_domains WHERE servicer_id = ?").run(servicerId);
  const insert = db.prepare("INSERT INTO servicer_domains (domain, servicer_id) VALUES (?, ?)");
  for (const domain of domains) insert.run(domain.toLowerCase(), servicerId);
}

/** Add a servicer; its name must be new. Call inside a transaction with the event that records it. */
export function insertServicer(db: Db, name: string, input: ServicerInput & { email: string }, now: string): Servicer {
  if (findServicer(db, name)) {
    throw new UserError(`a servicer named "${name}" already exists`, {
      code: "SERVICER_EXISTS",
      hint: `change it with: loanmail servicer set "${name}" ...`,
    });
  }
  const info = db
    .prepare(
      `INSERT INTO servicers (name, email, sla_days, notice_address, notice_email, notice_portal, payoff_email,
         payoff_address, small, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      name,
      input.email,
      input.slaDays ?? 3,
      input.noticeAddress ?? null,
      input.noticeEmail ?? null,
      input.noticePortal ?? null,
      input.payoffEmail ?? null,
      input.payoffAddress ?? null,
      input.small ? 1 : 0,
      now,
    );
  const id = Number(info.lastInsertRowid);
  setDomains(db, id, input.domains ?? []);
  return findServicer(db, id) as Servicer;
}

/** Change the given fields of a servicer; fields left undefined keep their value. */
export function updateServicer(db: Db, servicer: Servicer, input: ServicerInput): Servicer {
  const merged = { ...servicer, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
  db.prepare(
    `UPDATE servicers SET email = ?, sla_days = ?, notice_address = ?, notice_email = ?, notice_portal = ?,
       payoff_email = ?, payoff_address = ?, small = ? WHERE id = ?`,
  ).run(
    merged.email,
    merged.slaDays,
    merged.noticeAddress,
    merged.noticeEmail,
    merged.noticePortal,
    merged.payoffEmail,
    merged.payoffAddress,
    merged.small ? 1 : 0,
    servicer.id,
  );
  if (input.domains !== undefined) setDomains(db, servicer.id, input.domains);
  return findServicer(db, servicer.id) as Servicer;
}

/** The servicers of a case's loan: the one now and every one before a transfer. */
export function listCaseServicerIds(db: Db, caseId: number): number[] {
  return db
    .prepare(
      `SELECT l.servicer_id FROM cases c JOIN loans l ON l.id = c.loan_id WHERE c.id = ?
       UNION SELECT a.servicer_id FROM cases c JOIN loan_accounts a ON a.loan_id = c.loan_id WHERE c.id = ?`,
    )
    .pluck()
    .all(caseId, caseId) as number[];
}

/** A servicer's rows as its `servicer-added` and `servicer-changed` events recorded them, oldest first. */
export function listServicerSnapshots(db: Db, servicerId: number): { at: string; data: string }[] {
  return db
    .prepare(
      `SELECT at, data FROM events WHERE type IN ('servicer-added', 'servicer-changed')
         AND json_extract(data, '$.id') = ? ORDER BY id`,
    )
    .all(servicerId) as { at: string; data: string }[];
}
