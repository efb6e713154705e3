/**
 * The legal effect of a letter, decided at the moment it leaves (queued for SMTP, mailed, or recorded as sent
 * another way) and written into that event: did it reach a channel the servicer designated for notices?
 */
import type { LetterChannel } from "../domain/clock-types.js";
import { type Designation, designationOf, type NoticeDesignations } from "../domain/designation.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { type Loan, listPastAccounts, type PastAccount, requireLoan } from "../store/loans.js";
import type { MessageRecord } from "../store/messages.js";
import { requireServicer, type Servicer } from "../store/servicers.js";
import { addresseeOf } from "./prior-servicer.js";

/** Formal or not is the letter's own, decided when it was composed (an old record without it: its case's). */
export function letterIsFormal(db: Db, c: CaseRecord, messageId: number): boolean {
  const composed = readCaseEvents(db, c.id).find((e) => e.type === "composed" && e.message_id === messageId);
  return composed?.type === "composed" ? composed.data.formal : c.formal;
}

/**
 * The designations of the servicer a letter leaving today reaches: the one the loan has now, or the servicer before
 * a transfer that the letter is addressed to (`compose --prior-servicer`, prior-servicer.ts).
 */
export function currentDesignations(db: Db, c: CaseRecord, m?: Pick<MessageRecord, "letterInput">): NoticeDesignations {
  const current = requireLoan(db, String(c.loanId)).servicerId;
  return m ? addresseeOf(db, m, current) : requireServicer(db, current);
}

/** Where a letter leaving now by `channel` arrives, in Reg X terms. */
export function designationAtDeparture(
  db: Db,
  c: CaseRecord,
  m: Pick<MessageRecord, "id" | "to" | "postalAddress" | "letterInput">,
  channel: LetterChannel,
): Designation {
  return designationOf(
    { formal: letterIsFormal(db, c, m.id), channel, to: m.to[0] ?? null, postalAddress: m.postalAddress },
    currentDesignations(db, c, m),
  );
}

/** Whoever serviced the loan when the case opened: its promised days and small-servicer status judge the case. */
export function servicerWhenOpened(db: Db, c: CaseRecord): Servicer {
  const loan = requireLoan(db, String(c.loanId));
  return requireServicer(db, servicerIdWhenOpened(c, loan, listPastAccounts(db, loan.id)));
}

/** The id of whoever serviced `loan` when the case opened: the first past servicer it left after that day, or today's. */
export function servicerIdWhenOpened(c: CaseRecord, loan: Loan, past: readonly PastAccount[]): number {
  const openedOn = c.openedAt.slice(0, 10);
  return past.find((a) => a.until > openedOn)?.servicerId ?? loan.servicerId;
}

/**
 * The designation of a letter whose departure froze none: a draft is judged as if it left now (the servicer the
 * loan has today); a letter recorded before designations were frozen, by the servicer of its case's opening.
 */
export function presumedDesignation(
  db: Db,
  c: CaseRecord,
  m: Pick<MessageRecord, "state" | "channel" | "to" | "postalAddress" | "letterInput">,
  formal: boolean,
  /** The servicer of the case's opening, when the caller has it at hand (else it is read). */
  openedBy?: Servicer,
): Designation {
  const servicer = m.state === "sent" ? (openedBy ?? servicerWhenOpened(db, c)) : currentDesignations(db, c, m);
  return designationOf({ formal, channel: m.channel, to: m.to[0] ?? null, postalAddress: m.postalAddress }, servicer);
}
