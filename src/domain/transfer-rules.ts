/**
 * A servicing transfer (12 C.F.R. 1024.33) gives the borrower two things, both computed from the transfer's
 * effective date (`loan transfer --date`):
 *
 * - for 60 days, a payment sent on time to the old servicer may not be charged a late fee nor treated as late
 *   for any other purpose (1024.33(c)(1)): "during the 60-day period beginning on the effective date of transfer",
 *   so the transfer day is day 1 and the period ends 59 days after it;
 * - for one year, the old servicer still owes its 1024.35 and 1024.36 duties for a notice of error or request for
 *   information about its own handling, delivered to it (1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)); the
 *   borrower writes to the old servicer's designated address (`compose ... --prior-servicer`).
 *
 * Both are Regulation X: a HELOC (not a "mortgage loan" under 1024.31) has neither.
 */
import { addYears, borrowerDeadline } from "./borrower-deadlines.js";
import { addDays, type IsoDate } from "./calendar.js";
import type { Clock } from "./clock-types.js";

/** One servicing transfer: from whom, to whom, on which effective date. */
export interface TransferFacts {
  from: string;
  to: string;
  on: IsoDate;
}

/** A protection the borrower has for a while (not a deadline anyone owes): what, its rule, its first and last day. */
export interface Protection {
  id: string;
  name: string;
  rule: string;
  from: IsoDate;
  until: IsoDate;
  note: string | null;
}

/** The transfers of a loan, oldest first, from its past accounts (each kept `until` its transfer) and its servicer now. */
export function transfersOf(
  past: readonly { servicerName: string; until: IsoDate }[],
  current: string,
): TransferFacts[] {
  return past.map((p, i) => ({ from: p.servicerName, to: past[i + 1]?.servicerName ?? current, on: p.until }));
}

/** The last day of the 60-day period of 1024.33(c)(1) that begins on the transfer's effective date. */
export function latePaymentProtectionEnds(on: IsoDate): IsoDate {
  return addDays(on, 59);
}

/** The 60-day late-payment protection after a transfer, while it lasts on `asOf`; null before or after it. */
export function transferProtection(t: TransferFacts, asOf: IsoDate): Protection | null {
  const until = latePaymentProtectionEnds(t.on);
  if (asOf < t.on || asOf > until) return null;
  return {
    id: "transfer-payment-protection",
    name: `A payment you send to ${t.from} by its due date (grace period included) may not be charged a late fee or treated as late`,
    rule: "12 C.F.R. 1024.33(c)(1) (60 days from the transfer)",
    from: t.on,
    until,
    note: `servicing moved from ${t.from} to ${t.to} on ${t.on}`,
  };
}

/** The borrower's year to send the old servicer a notice of error or request for information about its handling. */
export function transferDeadline(t: TransferFacts, asOf: IsoDate): Clock {
  const due = addYears(t.on, 1);
  return {
    ...borrowerDeadline(
      "noe-window-transfer",
      `Send a notice of error (or request for information) about ${t.from} to ${t.from} by ${due}`,
      "12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)",
      { what: `servicing transferred from ${t.from} to ${t.to}`, on: t.on },
      due,
      asOf,
    ),
    note: `to ${t.from}'s designated address, not ${t.to}'s: loanmail compose notice-of-error --loan LOAN --prior-servicer "${t.from}"`,
  };
}

/**
 * What a loan's transfers give the borrower on `asOf`: each one's year to write to the old servicer, and the 60-day
 * payment protection while it lasts. None for a HELOC: 1024.33, 1024.35 and 1024.36 are Regulation X, whose
 * "mortgage loan" excludes an open-end line of credit (12 C.F.R. 1024.31).
 */
export function loanTransferRules(
  product: string,
  transfers: readonly TransferFacts[],
  asOf: IsoDate,
): { deadlines: Clock[]; protections: Protection[] } {
  if (product === "heloc") return { deadlines: [], protections: [] };
  return {
    deadlines: transfers.map((t) => transferDeadline(t, asOf)),
    protections: transfers.flatMap((t) => transferProtection(t, asOf) ?? []),
  };
}
