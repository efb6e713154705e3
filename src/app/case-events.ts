/**
 * Dated facts the user records on a case because they start clocks: the loan paid off, a loss-mitigation
 * application complete or denied, a CFPB complaint sent to the company.
 */
import type { IsoDate } from "../domain/calendar.js";
import type { CaseEventType } from "../domain/events.js";
import { UserError } from "../errors.js";
import type { CaseRecord } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, type EventRow, eventOf, readCaseEvents } from "../store/events.js";
import type { Session } from "./session.js";

/** The case events a user records with `event` (a CFPB complaint and its response have their own command, `filed`). */
export type RecordedEventType = Exclude<CaseEventType, "cfpb-filed" | "cfpb-response">;

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

/**
 * Record the company's response to a CFPB complaint of the case (`filed --response-date`): the one numbered
 * `cfpbId`, else the case's latest. `inProgress`: the company said its work is "in progress", and owes a final
 * response within 60 days of the complaint (src/domain/cfpb-clocks.ts). Refused before the complaint's day.
 */
export function recordCfpbResponse(
  s: Session,
  c: CaseRecord,
  on: IsoDate,
  inProgress: boolean,
  cfpbId: string | undefined,
): { cfpbId: string; filedOn: IsoDate; event: EventRow } {
  const db = s.db();
  const filings = readCaseEvents(db, c.id).flatMap((e) => (e.type === "cfpb-filed" ? [e.data] : []));
  const filing = cfpbId === undefined ? filings.at(-1) : filings.find((f) => f["cfpb-id"] === cfpbId);
  if (!filing) {
    throw new UserError(
      cfpbId === undefined
        ? `${c.tag} has no CFPB complaint recorded`
        : `${c.tag} has no CFPB complaint ${cfpbId} (it has: ${filings.map((f) => f["cfpb-id"]).join(", ") || "none"})`,
      { code: "NO_CFPB_COMPLAINT", hint: "record the complaint sent to the company first" },
    );
  }
  if (on < filing.on) {
    throw new UserError(
      `the response date ${on} is before complaint ${filing["cfpb-id"]} was sent to the company on ${filing.on}`,
      { code: "DATES_OUT_OF_ORDER", hint: "give the day the company's response arrived" },
    );
  }
  const id = filing["cfpb-id"];
  const event = inTransaction(db, () =>
    appendCaseEvent(db, c, {
      at: s.nowIso,
      type: "cfpb-response",
      actor: "user",
      data: { on, "cfpb-id": id, in_progress: inProgress },
    }),
  );
  return { cfpbId: id, filedOn: filing.on, event };
}
