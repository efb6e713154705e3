/**
 * The legal effect of a letter, decided at the moment it leaves (queued for SMTP, mailed, or recorded as sent
 * another way) and written into that event: did it reach a channel the servicer designated for notices?
 */
import type { LetterChannel } from "../domain/clock-types.js";
import { type Designation, designationOf } from "../domain/designation.js";
import { dayIn } from "../domain/time-zone.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { type Loan, listPastAccounts, type PastAccount, requireLoan } from "../store/loans.js";
import type { MessageRecord } from "../store/messages.js";
import { listServicerSnapshots, requireServicer, type Servicer } from "../store/servicers.js";
import { addresseeOf } from "./prior-servicer.js";
import type { DesignationField } from "./servicers.js";

/** Formal or not is the letter's own, decided when it was composed (an old record without it: its case's). */
export function letterIsFormal(db: Db, c: CaseRecord, messageId: number): boolean {
  const composed = readCaseEvents(db, c.id).find((e) => e.type === "composed" && e.message_id === messageId);
  return composed?.type === "composed" ? composed.data.formal : c.formal;
}

/**
 * The designations of the servicer a letter leaving today reaches: the one the loan has now, or the servicer before
 * a transfer that the letter is addressed to (`compose --prior-servicer`, prior-servicer.ts).
 */
export function currentDesignations(db: Db, c: CaseRecord, m?: Pick<MessageRecord, "letterInput">): Servicer {
  const current = requireLoan(db, String(c.loanId)).servicerId;
  return m ? addresseeOf(db, m, current) : requireServicer(db, current);
}

/**
 * Where a letter leaving by `channel` arrives, in Reg X terms, judged by the servicer's designations as recorded
 * now. `leftOn` (a letter recorded as having left on an earlier day): when the designation it reached was recorded
 * only after that day, the record cannot show it stood then, and the designation says so, unless the user dated it
 * from the servicer's notice (`servicer set --designated-since`) to that day or before.
 */
export function designationAtDeparture(
  db: Db,
  c: CaseRecord,
  m: Pick<MessageRecord, "id" | "to" | "postalAddress" | "letterInput">,
  channel: LetterChannel,
  leftOn?: { day: string; timeZone: string },
): Designation {
  const servicer = currentDesignations(db, c, m);
  const d = designationOf(
    { formal: letterIsFormal(db, c, m.id), channel, to: m.to[0] ?? null, postalAddress: m.postalAddress },
    servicer,
  );
  if (!d.designated || !leftOn) return d;
  const recorded = designationRecordedOn(db, servicer.id, channel);
  if (recorded === null) return d;
  const day = dayIn(recorded.at, leftOn.timeZone);
  if (day <= leftOn.day) return d;
  if (recorded.since !== null && recorded.since <= leftOn.day)
    return { designated: true, where: `${d.where} (designated since ${recorded.since}, as recorded on ${day})` };
  if (recorded.since !== null)
    return {
      designated: true,
      where: `${d.where}, designated only since ${recorded.since} (recorded on ${day}), after the letter left on ${leftOn.day} (keep proof of where the servicer took notices then)`,
    };
  return {
    designated: true,
    where: `${d.where}, recorded as designated only on ${day}, after the letter left on ${leftOn.day} (keep proof the servicer had designated it by then)`,
  };
}

/** Which of a servicer's fields a channel's designation is. */
const DESIGNATION_FIELD: Partial<Record<LetterChannel, DesignationField>> = {
  post: "noticeAddress",
  email: "noticeEmail",
  "notice-email": "noticeEmail",
  portal: "noticePortal",
};

/**
 * When the servicer's designation for `channel` was first recorded as it now stands (an event's time), and the
 * earliest day the user dated it from (`--designated-since`) while it stood so; null when none is recorded.
 */
function designationRecordedOn(
  db: Db,
  servicerId: number,
  channel: LetterChannel,
): { at: string; since: string | null } | null {
  const field = DESIGNATION_FIELD[channel];
  if (!field) return null;
  const rows = listServicerSnapshots(db, servicerId).map((r) => {
    try {
      return { at: r.at, data: JSON.parse(r.data) as Record<string, unknown> };
    } catch {
      return { at: r.at, data: {} }; // an unreadable row is verify --db's to report
    }
  });
  const now = rows.at(-1)?.data[field];
  if (now === undefined || now === null) return null;
  let run: { at: string; since: string | null } | null = null;
  for (const { at, data } of rows) {
    if (data[field] !== now) {
      run = null;
      continue;
    }
    run ??= { at, since: null };
    const dated = datedDay(data.designatedSince, field);
    if (dated !== null && (run.since === null || dated < run.since)) run.since = dated;
  }
  return run;
}

/** The day a snapshot's `designatedSince` gives `field` (app/servicers.ts), else null. */
function datedDay(value: unknown, field: DesignationField): string | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as { day?: unknown; fields?: unknown };
  return typeof v.day === "string" && Array.isArray(v.fields) && v.fields.includes(field) ? v.day : null;
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
