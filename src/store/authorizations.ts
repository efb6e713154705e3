/** Third-party authorizations: a borrower's signed form letting a counselor deal with the servicer. */
import { UserError } from "../errors.js";
import type { Db } from "./db.js";
import { putBlob } from "./messages.js";

export interface Authorization {
  id: number;
  loanId: number;
  accountNumber: string;
  servicerId: number;
  servicerName: string;
  /** Whose form it is: its loan's client. */
  clientId: number;
  clientName: string;
  authorized: string;
  signers: string[];
  fileName: string;
  fileSha256: string;
  signedOn: string;
  expiresOn: string | null;
  submittedOn: string | null;
  /** The day it was revoked (`authorization revoke`): from then on it lets nobody write for the borrowers. */
  revokedOn: string | null;
  createdAt: string;
}

interface Row {
  id: number;
  loan_id: number;
  account_number: string;
  servicer_id: number;
  servicer_name: string;
  client_id: number;
  client_name: string;
  authorized: string;
  signers: string;
  file_name: string;
  file_sha256: string;
  signed_on: string;
  expires_on: string | null;
  submitted_on: string | null;
  revoked_on: string | null;
  created_at: string;
}

const SELECT = `SELECT a.*, l.account_number, s.name AS servicer_name, l.client_id, c.name AS client_name
  FROM authorizations a JOIN loans l ON l.id = a.loan_id JOIN servicers s ON s.id = a.servicer_id
  JOIN clients c ON c.id = l.client_id`;

function toAuthorization(r: Row): Authorization {
  return {
    id: r.id,
    loanId: r.loan_id,
    accountNumber: r.account_number,
    servicerId: r.servicer_id,
    servicerName: r.servicer_name,
    clientId: r.client_id,
    clientName: r.client_name,
    authorized: r.authorized,
    signers: JSON.parse(r.signers) as string[],
    fileName: r.file_name,
    fileSha256: r.file_sha256,
    signedOn: r.signed_on,
    expiresOn: r.expires_on,
    submittedOn: r.submitted_on,
    revokedOn: r.revoked_on ?? null,
    createdAt: r.created_at,
  };
}

export interface NewAuthorization {
  loanId: number;
  servicerId: number;
  authorized: string;
  signers: string[];
  fileName: string;
  file: Uint8Array;
  signedOn: string;
  expiresOn: string | null;
}

/** Record a signed form (its file kept by hash). */
export function insertAuthorization(db: Db, a: NewAuthorization, now: string): Authorization {
  const sha = putBlob(db, a.file);
  const info = db
    .prepare(
      `INSERT INTO authorizations (loan_id, servicer_id, authorized, signers, file_name, file_sha256, signed_on, expires_on, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      a.loanId,
      a.servicerId,
      a.authorized,
      JSON.stringify(a.signers),
      a.fileName,
      sha,
      a.signedOn,
      a.expiresOn,
      now,
    );
  return requireAuthorization(db, String(info.lastInsertRowid));
}

/** Authorizations, optionally of one client's loans. */
export function listAuthorizations(db: Db, clientId?: number): Authorization[] {
  const rows = (
    clientId === undefined
      ? db.prepare(`${SELECT} ORDER BY a.id`).all()
      : db.prepare(`${SELECT} WHERE l.client_id = ? ORDER BY a.id`).all(clientId)
  ) as Row[];
  return rows.map(toAuthorization);
}

/** One authorization by id, or a user error. */
export function requireAuthorization(db: Db, ref: string): Authorization {
  const row = /^\d+$/.test(ref)
    ? (db.prepare(`${SELECT} WHERE a.id = ?`).get(Number(ref)) as Row | undefined)
    : undefined;
  if (!row) {
    throw new UserError(`no authorization "${ref}"`, {
      code: "AUTHORIZATION_NOT_FOUND",
      hint: "see them with: loanmail authorization list",
    });
  }
  return toAuthorization(row);
}

/** Record the day the form reached the servicer. */
export function setAuthorizationSubmitted(db: Db, id: number, on: string): void {
  db.prepare("UPDATE authorizations SET submitted_on = ? WHERE id = ?").run(on, id);
}

/** Record the day the borrowers revoked it. */
export function setAuthorizationRevoked(db: Db, id: number, on: string): void {
  db.prepare("UPDATE authorizations SET revoked_on = ? WHERE id = ?").run(on, id);
}

/** The authorizations of one loan for one servicer, newest first. */
export function listAuthorizationsFor(db: Db, loanId: number, servicerId: number): Authorization[] {
  return (
    db
      .prepare(`${SELECT} WHERE a.loan_id = ? AND a.servicer_id = ? ORDER BY a.id DESC`)
      .all(loanId, servicerId) as Row[]
  ).map(toAuthorization);
}

/** Whether any letter of the loan (not a discarded one) carries the file `sha256` among its exhibits. */
export function loanLetterCarries(db: Db, loanId: number, sha256: string): boolean {
  const hit = db
    .prepare(
      `SELECT 1 FROM attachments a JOIN messages m ON m.id = a.message_id JOIN cases c ON c.id = m.case_id
       WHERE c.loan_id = ? AND a.sha256 = ? AND m.direction = 'out' AND m.discarded_at IS NULL
         AND c.status != 'discarded' LIMIT 1`,
    )
    .get(loanId, sha256);
  return hit !== undefined;
}
