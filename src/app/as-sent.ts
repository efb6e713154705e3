/**
 * The record a letter carries when it leaves (`as_sent` of its `mailed`, `sent` or `queued` event): the
 * servicer's name, the account number and the borrowers of that day, and the address or email addresses used.
 * Taken at the moment it leaves, so that a servicing transfer, a rename or a later edit never changes it.
 */
import type { AsSentData } from "../domain/events.js";
import type { Db } from "../store/db.js";
import { requireLoan } from "../store/loans.js";
import type { MessageRecord } from "../store/messages.js";
import { addressedLoan } from "./prior-servicer.js";

/** What `m`, a letter of the case on loan `loanId`, is addressed to now, as it leaves by `channel`. */
export function asSentNow(
  db: Db,
  loanId: number,
  m: Pick<MessageRecord, "channel" | "postalAddress" | "to" | "cc" | "letterInput">,
  channel: string = m.channel,
): AsSentData {
  // A letter to the servicer before a transfer (compose --prior-servicer) names it and the account it had there.
  const loan = addressedLoan(requireLoan(db, String(loanId)), m.letterInput?.priorServicer);
  const byEmail = channel === "email" || channel === "notice-email";
  return {
    servicer: loan.servicerName,
    servicer_id: loan.servicerId,
    account_number: loan.accountNumber,
    borrowers: [...loan.borrowers],
    channel,
    address: channel === "post" ? m.postalAddress : null,
    email: byEmail ? [...m.to, ...m.cc] : [],
  };
}
