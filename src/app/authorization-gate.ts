/**
 * Authorization enforced (docs/ARCHITECTURE.md, "Clients"). In a counselor's home a letter for a client goes to a
 * servicer only under the borrowers' signed third-party authorization for that loan and that servicer, valid on
 * the day (signed, not expired, not revoked: src/domain/authorization-state.ts). Without one the letter is refused
 * before it is composed, queued, sent, printed or recorded as mailed or sent, and nothing is written. A
 * borrower writing for themself needs none, and the authorization form itself (a letter every borrower signs)
 * is how the counselor gets one.
 *
 * The first letter of a loan to a servicer under an authorization carries its signed form as its first exhibit:
 * the servicer then has it on file. A later letter does not repeat it (the form's hash is among the exhibits of an
 * earlier letter of the loan that was not discarded).
 */
import { type AuthorizationState, authorizationState, authorizes } from "../domain/authorization-state.js";
import type { IsoDate } from "../domain/calendar.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import { UserError } from "../errors.js";
import { type Authorization, listAuthorizationsFor, loanLetterCarries } from "../store/authorizations.js";
import type { Db } from "../store/db.js";
import { requireLoan } from "../store/loans.js";
import { getBlob, type MessageRecord } from "../store/messages.js";
import { counselorHome } from "./counselor-home.js";
import { addresseeOf } from "./prior-servicer.js";

/** The loan as a letter addresses it: its id and the servicer written to (a prior servicer, if named). */
export interface AddressedLoan {
  id: number;
  accountNumber: string;
  servicerId: number;
  servicerName: string;
}

/** A letter every borrower signs (the authorization itself) needs no authorization. */
function signedByBorrowers(kind: string | null): boolean {
  return kind !== null && isKindId(kind) && kindDef(kind).signedByBorrowers === true;
}

/** Why no authorization covers the day: none on file, or each one's state. */
function whyNone(found: readonly Authorization[], on: IsoDate): string {
  if (found.length === 0) return "none is on file";
  const says = (a: Authorization, state: AuthorizationState) =>
    state === "revoked"
      ? `authorization ${a.id} was revoked on ${a.revokedOn}`
      : state === "expired"
        ? `authorization ${a.id} expired on ${a.expiresOn}`
        : `authorization ${a.id} was signed on ${a.signedOn}, after ${on}`;
  return found.map((a) => says(a, authorizationState(a, on))).join("; ");
}

/** The authorization on file for the loan and servicer that is valid on `on` (signed, not expired or revoked). */
export function authorizationValidOn(
  db: Db,
  loanId: number,
  servicerId: number,
  on: IsoDate,
): { valid: Authorization | undefined; found: Authorization[] } {
  const found = listAuthorizationsFor(db, loanId, servicerId);
  return { valid: found.find((a) => authorizes(authorizationState(a, on))), found };
}

/**
 * The authorization a counselor's letter of `kind` on `loan` goes under on `on`, or undefined when none is needed
 * (a borrower's home, or the authorization form itself). `doing` names the refused step ("compose", "send").
 */
export function requireAuthority(
  db: Db,
  loan: AddressedLoan,
  kind: string | null,
  on: IsoDate,
  doing: string,
): Authorization | undefined {
  if (signedByBorrowers(kind) || !counselorHome(db)) return undefined;
  const { valid, found } = authorizationValidOn(db, loan.id, loan.servicerId, on);
  if (valid) return valid;
  throw new UserError(
    `no valid authorization for loan ${loan.id} (account ${loan.accountNumber}) at ${loan.servicerName} on ${on}: ${whyNone(found, on)}; a counselor may not ${doing} a letter for the borrowers without one`,
    {
      code: "AUTHORIZATION_REQUIRED",
      hint: `record the borrowers' signed third-party authorization for ${loan.servicerName}: loanmail authorization add --loan ${loan.id} --file SIGNED.pdf --authorized NAME --signed-on D (to write the form: loanmail compose third-party-authorization --loan ${loan.id} ...)`,
    },
  );
}

/** The same check for a stored letter about to leave or be printed, addressed as it was composed. */
export function requireLetterAuthority(
  db: Db,
  loan: AddressedLoan,
  m: Pick<MessageRecord, "kind" | "letterInput" | "direction">,
  on: IsoDate,
  doing: string,
): Authorization | undefined {
  if (m.direction !== "out") return undefined;
  const servicer = addresseeOf(db, m, loan.servicerId);
  return requireAuthority(db, { ...loan, servicerId: servicer.id, servicerName: servicer.name }, m.kind, on, doing);
}

/** `requireLetterAuthority` for a letter of case `c`, by the case's loan. */
export function requireCaseLetterAuthority(
  db: Db,
  c: { loanId: number },
  m: Pick<MessageRecord, "kind" | "letterInput" | "direction">,
  on: IsoDate,
  doing: string,
): Authorization | undefined {
  return requireLetterAuthority(db, requireLoan(db, String(c.loanId)), m, on, doing);
}

/** The signed form to carry as the letter's first exhibit: only when no earlier letter of the loan carries it. */
export function formToCarry(
  db: Db,
  loanId: number,
  a: Authorization,
): { fileName: string; data: Buffer; sha256: string } | undefined {
  if (loanLetterCarries(db, loanId, a.fileSha256)) return undefined;
  const data = getBlob(db, a.fileSha256);
  if (!data)
    throw new UserError(`the signed form of authorization ${a.id} (sha256 ${a.fileSha256}) is missing`, {
      code: "STORED_FILE_MISSING",
      hint: "the database was changed outside loanmail; check it with loanmail verify --db",
    });
  return { fileName: a.fileName, data, sha256: a.fileSha256 };
}
