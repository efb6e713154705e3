/** Clients (whose loans these are) and loans. */
import type { LetterLanguage } from "../domain/language.js";
import { UserError } from "../errors.js";
import type { Db } from "./db.js";

export type Product = "closed-end" | "heloc" | "reverse";

export interface Loan {
  id: number;
  clientId: number;
  clientName: string;
  servicerId: number;
  servicerName: string;
  accountNumber: string;
  propertyAddress: string;
  borrowers: string[];
  product: Product;
  principalResidence: boolean;
  arm: boolean;
  /** The due date of the oldest payment still unpaid (delinquency begins then, 12 C.F.R. 1024.31); null: current. */
  delinquentSince: string | null;
  /** The language its letters are written in (`loan set --lang`); null: as the client prefers, else English. */
  lang: LetterLanguage | null;
  createdAt: string;
}

export interface LoanInput {
  servicerId: number;
  accountNumber: string;
  propertyAddress: string;
  borrowers: string[];
  product: Product;
  principalResidence: boolean;
  arm: boolean;
  /** Absent: unchanged (or null when a loan is added); null: the loan is current. */
  delinquentSince?: string | null;
  /** Absent: unchanged (or null when a loan is added). */
  lang?: LetterLanguage | null;
}

interface LoanRow {
  id: number;
  client_id: number;
  client_name: string;
  servicer_id: number;
  servicer_name: string;
  account_number: string;
  property_address: string;
  borrowers: string;
  product: Product;
  principal_residence: number;
  arm: number;
  delinquent_since: string | null;
  lang: LetterLanguage | null;
  created_at: string;
}

const SELECT_LOAN = `SELECT l.*, c.name AS client_name, s.name AS servicer_name
  FROM loans l JOIN clients c ON c.id = l.client_id JOIN servicers s ON s.id = l.servicer_id`;

function toLoan(row: LoanRow): Loan {
  return {
    id: row.id,
    clientId: row.client_id,
    clientName: row.client_name,
    servicerId: row.servicer_id,
    servicerName: row.servicer_name,
    accountNumber: row.account_number,
    propertyAddress: row.property_address,
    borrowers: JSON.parse(row.borrowers) as string[],
    product: row.product,
    principalResidence: row.principal_residence === 1,
    arm: row.arm === 1,
    delinquentSince: row.delinquent_since ?? null,
    lang: row.lang ?? null,
    createdAt: row.created_at,
  };
}

/** The client named `name`, created on first use (a counselor adds clients simply by naming them). */
export function ensureClient(db: Db, name: string, now: string): number {
  const id = db.prepare("SELECT id FROM clients WHERE name = ?").pluck().get(name) as number | undefined;
  if (id !== undefined) return id;
  return Number(db.prepare("INSERT INTO clients (name, created_at) VALUES (?, ?)").run(name, now).lastInsertRowid);
}

/** The id of an existing client, or a user error. */
export function requireClient(db: Db, name: string): number {
  const id = db.prepare("SELECT id FROM clients WHERE name = ?").pluck().get(name) as number | undefined;
  if (id === undefined) {
    const names = db.prepare("SELECT name FROM clients ORDER BY name").pluck().all() as string[];
    throw new UserError(`no client "${name}"`, {
      code: "CLIENT_NOT_FOUND",
      hint: `known clients: ${names.join(", ") || "none"}`,
    });
  }
  return id;
}

/** Loans, optionally of one client. */
export function listLoans(db: Db, clientId?: number): Loan[] {
  const rows = (
    clientId === undefined
      ? db.prepare(`${SELECT_LOAN} ORDER BY l.id`).all()
      : db.prepare(`${SELECT_LOAN} WHERE l.client_id = ? ORDER BY l.id`).all(clientId)
  ) as LoanRow[];
  return rows.map(toLoan);
}

/** The loans a reference names: the loan of that id, and every loan of that account number. */
export function findLoans(db: Db, ref: string): Loan[] {
  const byId = /^\d+$/.test(ref) ? (db.prepare(`${SELECT_LOAN} WHERE l.id = ?`).all(Number(ref)) as LoanRow[]) : [];
  const byAccount = db.prepare(`${SELECT_LOAN} WHERE l.account_number = ?`).all(ref) as LoanRow[];
  return [...new Map([...byId, ...byAccount].map((r) => [r.id, r])).values()].map(toLoan);
}

/**
 * A loan by its id or its account number, among `candidates` (default: every loan the reference names); a
 * reference that fits two is refused as ambiguous.
 */
export function requireLoan(db: Db, ref: string, candidates: Loan[] = findLoans(db, ref)): Loan {
  const [only, ...more] = candidates;
  if (only && more.length === 0) return only;
  if (only) {
    throw new UserError(`"${ref}" names several loans (${candidates.map((m) => m.id).join(", ")})`, {
      code: "LOAN_AMBIGUOUS",
      hint: "give the loan's id from: loanmail loan list",
    });
  }
  const count = db.prepare("SELECT count(*) FROM loans").pluck().get() as number;
  throw new UserError(`no loan "${ref}"`, {
    code: "LOAN_NOT_FOUND",
    hint:
      count > 0 ? "give a loan id or account number from: loanmail loan list" : "add one first: loanmail loan add ...",
  });
}

/** Add a loan. */
export function insertLoan(db: Db, clientId: number, input: LoanInput, now: string): Loan {
  const clash = db
    .prepare("SELECT id FROM loans WHERE servicer_id = ? AND account_number = ?")
    .pluck()
    .get(input.servicerId, input.accountNumber) as number | undefined;
  if (clash !== undefined) {
    throw new UserError(`loan ${input.accountNumber} at this servicer already exists (loan ${clash})`, {
      code: "LOAN_EXISTS",
      hint: `change it with: loanmail loan set ${clash} ...`,
    });
  }
  const info = db
    .prepare(
      `INSERT INTO loans (client_id, servicer_id, account_number, property_address, borrowers, product,
         principal_residence, arm, delinquent_since, lang, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      clientId,
      input.servicerId,
      input.accountNumber,
      input.propertyAddress,
      JSON.stringify(input.borrowers),
      input.product,
      input.principalResidence ? 1 : 0,
      input.arm ? 1 : 0,
      input.delinquentSince ?? null,
      input.lang ?? null,
      now,
    );
  return requireLoan(db, String(info.lastInsertRowid));
}

/** Change the given fields of a loan. */
export function updateLoan(db: Db, loan: Loan, input: Partial<LoanInput>): Loan {
  const m = { ...loan, ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) } as Loan &
    Partial<LoanInput>;
  db.prepare(
    `UPDATE loans SET servicer_id = ?, account_number = ?, property_address = ?, borrowers = ?, product = ?,
       principal_residence = ?, arm = ?, delinquent_since = ?, lang = ? WHERE id = ?`,
  ).run(
    m.servicerId,
    m.accountNumber,
    m.propertyAddress,
    JSON.stringify(m.borrowers),
    m.product,
    m.principalResidence ? 1 : 0,
    m.arm ? 1 : 0,
    input.delinquentSince === undefined ? loan.delinquentSince : input.delinquentSince,
    input.lang === undefined ? loan.lang : input.lang,
    loan.id,
  );
  return requireLoan(db, String(loan.id));
}

export interface PastAccount {
  servicerId: number;
  servicerName: string;
  accountNumber: string;
  until: string;
}

/** Account numbers the loan had before servicing transfers, oldest first. */
export function listPastAccounts(db: Db, loanId: number): PastAccount[] {
  return db
    .prepare(
      `SELECT a.servicer_id AS servicerId, s.name AS servicerName, a.account_number AS accountNumber, a.until
       FROM loan_accounts a JOIN servicers s ON s.id = a.servicer_id WHERE a.loan_id = ? ORDER BY a.id`,
    )
    .all(loanId) as PastAccount[];
}

/** listPastAccounts of every loan in one read, by loan id. */
export function listAllPastAccounts(db: Db): Map<number, PastAccount[]> {
  const rows = db
    .prepare(
      `SELECT a.loan_id AS loanId, a.servicer_id AS servicerId, s.name AS servicerName,
       a.account_number AS accountNumber, a.until
       FROM loan_accounts a JOIN servicers s ON s.id = a.servicer_id ORDER BY a.loan_id, a.id`,
    )
    .all() as (PastAccount & { loanId: number })[];
  const out = new Map<number, PastAccount[]>();
  for (const { loanId, ...account } of rows) {
    const list = out.get(loanId);
    if (list) list.push(account);
    else out.set(loanId, [account]);
  }
  return out;
}

/** Move a loan to a new servicer and account number, keeping the old pair in its history. */
export function transferLoan(db: Db, loan: Loan, servicerId: number, accountNumber: string, on: string): Loan {
  db.prepare("INSERT INTO loan_accounts (loan_id, servicer_id, account_number, until) VALUES (?, ?, ?, ?)").run(
    loan.id,
    loan.servicerId,
    loan.accountNumber,
    on,
  );
  return updateLoan(db, loan, { servicerId, accountNumber });
}
