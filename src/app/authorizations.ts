/**
 * Third-party authorizations: the borrower's signed form that lets a counselor speak with the servicer. The form is
 * kept by hash; adding one and submitting it are events on the loan.
 */
import { basename } from "node:path";
import { cleanLabel } from "../domain/exhibits.js";
import { UserError } from "../errors.js";
import {
  type Authorization,
  insertAuthorization,
  listAuthorizations as listStored,
  requireAuthorization,
  setAuthorizationRevoked,
  setAuthorizationSubmitted,
} from "../store/authorizations.js";
import { inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import type { Loan } from "../store/loans.js";
import { readExhibits } from "./attachments.js";
import { actOnRecordOf, fenceId, lookupWithinFence, requireLoanFor } from "./client-scope.js";
import type { Session } from "./session.js";

export type { Authorization } from "../store/authorizations.js";

export interface NewAuthorization {
  loanRef: string;
  file: string;
  authorized: string;
  signers?: string[];
  signedOn: string;
  expiresOn: string | null;
}

/** Record a signed form; signers default to the loan's borrowers. */
export async function addAuthorization(
  s: Session,
  input: NewAuthorization,
  fileFlag = "--file",
): Promise<{ authorization: Authorization; loan: Loan; signers: string[] }> {
  const db = s.db();
  const loan = requireLoanFor(s, input.loanRef);
  const [form] = await readExhibits([input.file], s.config().limits, 0, fileFlag);
  if (!form)
    throw new UserError(`${fileFlag} ${input.file}: nothing to read`, {
      code: "FILE_UNREADABLE",
      hint: "give the signed form (PDF, JPEG or PNG)",
    });
  const signers = input.signers?.map((x) => x.trim()).filter(Boolean) ?? loan.borrowers;
  const authorization = inTransaction(db, () => {
    const a = insertAuthorization(
      db,
      {
        loanId: loan.id,
        servicerId: loan.servicerId,
        authorized: input.authorized,
        signers,
        fileName: cleanLabel(basename(input.file)),
        file: form.data,
        signedOn: input.signedOn,
        expiresOn: input.expiresOn,
      },
      s.nowIso,
    );
    appendEvent(db, {
      caseId: null,
      loanId: loan.id,
      at: s.nowIso,
      type: "authorization-added",
      actor: "user",
      data: {
        id: a.id,
        authorized: input.authorized,
        signers,
        signed_on: input.signedOn,
        expires_on: input.expiresOn,
        file_sha256: a.fileSha256,
      },
    });
    return a;
  });
  return { authorization, loan, signers };
}

/** The fenced client's authorizations, or every client's. */
export function listAuthorizations(s: Session): Authorization[] {
  return listStored(s.db(), fenceId(s));
}

/** An authorization by id, within the client fence (its client is its loan's). */
export function findAuthorization(s: Session, ref: string): Authorization {
  const a = lookupWithinFence(s, `authorization ${ref}`, () => requireAuthorization(s.db(), ref));
  actOnRecordOf(s, a.clientId, `authorization ${ref}`);
  return a;
}

export function recordAuthorizationSubmitted(s: Session, a: Authorization, on: string): void {
  const db = s.db();
  inTransaction(db, () => {
    setAuthorizationSubmitted(db, a.id, on);
    appendEvent(db, {
      caseId: null,
      loanId: a.loanId,
      at: s.nowIso,
      type: "authorization-submitted",
      actor: "user",
      data: { id: a.id, on },
    });
  });
}

/**
 * The borrowers revoked the authorization on `on`: from that day it lets nobody write for them (a letter under it
 * is refused; src/app/authorization-gate.ts). Refused twice, and before the day it was signed.
 */
export function revokeAuthorization(s: Session, a: Authorization, on: string): void {
  if (a.revokedOn !== null)
    throw new UserError(`authorization ${a.id} was revoked on ${a.revokedOn}`, {
      code: "ALREADY_REVOKED",
      hint: "see them with: loanmail authorization list",
    });
  if (on < a.signedOn)
    throw new UserError(`--on ${on} is before the form was signed (${a.signedOn})`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "give the day the borrowers revoked it",
    });
  const db = s.db();
  inTransaction(db, () => {
    setAuthorizationRevoked(db, a.id, on);
    appendEvent(db, {
      caseId: null,
      loanId: a.loanId,
      at: s.nowIso,
      type: "authorization-revoked",
      actor: "user",
      data: { id: a.id, on },
    });
  });
}
