/**
 * The referral a foreclosure sale date calls for (src/domain/referral.ts), said once per date in a case: when an
 * `event ... --sale-date` records it, or a letter gives it (`compose ... --set sale-date=D`), and neither an
 * earlier event nor another letter of the case already gave that date.
 */
import type { IsoDate } from "../domain/calendar.js";
import { type SaleReferral, saleDateSeenBefore, saleReferral } from "../domain/referral.js";
import { isoDateIn } from "../domain/time-zone.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { requireLoan } from "../store/loans.js";
import { listCaseMessages } from "../store/messages.js";
import { protectionsOfCase, readCaseClocks } from "./case-clocks.js";

/** The sale dates the case holds, in its events and its letters' fields, leaving out `except` (the new one). */
function saleDatesOf(db: Db, c: CaseRecord, except: { eventId?: number; messageId?: number }): (string | undefined)[] {
  const fromEvents = readCaseEvents(db, c.id)
    .filter((e) => e.id !== except.eventId)
    .map((e) => ("sale-date" in e.data ? (e.data["sale-date"] as string) : undefined));
  const fromLetters = listCaseMessages(db, c.id)
    .filter((m) => m.id !== except.messageId)
    .map((m) => m.letterInput?.fields?.["sale-date"]);
  return [...fromEvents, ...fromLetters];
}

/** Whether `saleDate` is new to the case (not counting the event or letter that just entered it). */
export function isNewSaleDate(
  db: Db,
  c: CaseRecord,
  saleDate: IsoDate,
  except: { eventId?: number; messageId?: number },
): boolean {
  return !saleDateSeenBefore(saleDatesOf(db, c, except), saleDate);
}

/** The referral for `saleDate` in case `c`, with the protections its record shows on the day `now` falls on. */
export function referralFor(db: Db, c: CaseRecord, saleDate: IsoDate, now: Date, timeZone: string): SaleReferral {
  const today = isoDateIn(now, timeZone);
  const protections = protectionsOfCase(readCaseClocks(db, c, timeZone, today), today);
  return saleReferral(saleDate, requireLoan(db, String(c.loanId)).propertyAddress, protections);
}
