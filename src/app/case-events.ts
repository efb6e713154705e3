/**
 * Dated facts the user records on a case because they start clocks: the loan paid off, a loss-mitigation
 * application complete or denied, a CFPB complaint sent to the company.
 */
import type { IsoDate } from "../domain/calendar.js";
import type { CaseEventType } from "../domain/events.js";
import type { CaseRecord } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, type EventRow, eventOf } from "../store/events.js";
import type { Session } from "./session.js";

/** The case events a user records with `event` (a CFPB complaint has its own command, `filed`). */
export type RecordedEventType = Exclude<CaseEventType, "cfpb-filed">;

/** Record that `type` happened on `on` (with a scheduled foreclosure sale date, when there is one). */
export function recordCaseEvent(
  s: Session,
  c: CaseRecord,
  type: RecordedEventType,
  on: IsoDate,
  saleDate: IsoDate | undefined,
): EventRow {
  const db = s.db();
  const data: { on: string; "sale-date"?: string } = { on };
  if (saleDate !== undefined) data["sale-date"] = saleDate;
  return inTransaction(db, () => appendCaseEvent(db, c, { at: s.nowIso, actor: "user", ...eventOf(type, data) }));
}

/** Record a CFPB complaint `cfpbId` sent to the company on `on`: the CFPB's process clocks start. */
export function recordCfpbFiling(s: Session, c: CaseRecord, cfpbId: string, on: IsoDate): EventRow {
  const db = s.db();
  return inTransaction(db, () =>
    appendCaseEvent(db, c, { at: s.nowIso, type: "cfpb-filed", actor: "user", data: { on, "cfpb-id": cfpbId } }),
  );
}
