/**
 * Letters to the servicer a loan had before a transfer (`compose ... --prior-servicer`). After a transfer, a notice
 * of error or request for information about the old servicer's handling goes to the old servicer, which owes its
 * 1024.35 and 1024.36 duties for one received within a year of the transfer (12 C.F.R. 1024.35(g)(1)(iii)(A),
 * 1024.36(f)(1)(v)(A)). Such a letter is addressed, by its designated channel, to the transferor of record (the
 * servicer row keeps its designations; the `transfer` event keeps those of the transfer day), names the account
 * number the loan had there, and is judged by that servicer's designations when it leaves.
 */

import type { PriorServicerData } from "../domain/events.js";
import { UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import { type Loan, listPastAccounts } from "../store/loans.js";
import type { MessageRecord } from "../store/messages.js";
import { findServicer, requireServicer, type Servicer } from "../store/servicers.js";

/**
 * The servicer before a transfer that a letter is addressed to: `true` (the flag alone) names the one the loan
 * was transferred from last; a name or id names an earlier one. Refused when the loan was never transferred, or
 * the named servicer never serviced it before a transfer.
 */
export function resolvePriorServicer(db: Db, loan: Loan, ref: string | true): PriorServicerData {
  const past = listPastAccounts(db, loan.id);
  if (past.length === 0) {
    throw new UserError(`loan ${loan.id} has had no servicer but ${loan.servicerName}: there is no prior servicer`, {
      code: "NO_PRIOR_SERVICER",
      hint: "record the servicing transfer first (loan transfer LOAN --to NEW --account NUM --date D)",
    });
  }
  const wanted = ref === true ? undefined : findServicer(db, ref.trim());
  const match = ref === true ? past.at(-1) : [...past].reverse().find((p) => p.servicerId === wanted?.id);
  if (!match) {
    throw new UserError(`"${ref}" did not service loan ${loan.id} before a transfer`, {
      code: "PRIOR_SERVICER_NOT_FOUND",
      hint: `its servicers before a transfer: ${[...new Set(past.map((p) => p.servicerName))].join(", ")}`,
    });
  }
  return {
    servicer_id: match.servicerId,
    servicer: match.servicerName,
    account_number: match.accountNumber,
    transferred_on: match.until,
  };
}

/** The loan as a letter to its prior servicer names it: that servicer and the account number the loan had there. */
export function addressedLoan(loan: Loan, prior: PriorServicerData | undefined): Loan {
  return prior
    ? { ...loan, servicerId: prior.servicer_id, servicerName: prior.servicer, accountNumber: prior.account_number }
    : loan;
}

/** A letter's prior servicer as the clocks need it (its name and the transfer day), if it has one. */
export function priorServicerOf(
  m: Pick<MessageRecord, "letterInput">,
): { name: string; transferredOn: string } | undefined {
  const p = m.letterInput?.priorServicer;
  return p ? { name: p.servicer, transferredOn: p.transferred_on } : undefined;
}

/** The servicer a letter is addressed to: the prior servicer it names, else `current` (the loan's servicer now). */
export function addresseeOf(db: Db, m: Pick<MessageRecord, "letterInput">, current: number): Servicer {
  return requireServicer(db, m.letterInput?.priorServicer?.servicer_id ?? current);
}

/** Only a notice of error or a request for information reaches the old servicer's duties. */
export function checkPriorServicerKind(kindId: string, canBeFormal: boolean): void {
  if (!canBeFormal) {
    throw new UserError(`${kindId} cannot go to a prior servicer`, {
      code: "PRIOR_SERVICER_KIND",
      hint: "only a notice of error or a request for information goes to the servicer before a transfer (12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)); write to the servicer now instead",
    });
  }
}
