/**
 * Dated facts the user records on a case because they start or stop clocks: the loan paid off, a loss-mitigation
 * application complete, the servicer's decision on it (a denial or an offer), the borrower's appeal or answer to
 * an offer, a CFPB complaint sent to the company.
 */
import type { IsoDate } from "../domain/calendar.js";
import type { Clock } from "../domain/clocks.js";
import { type CaseEventType, LOSS_MITIGATION_EVENT_TYPES } from "../domain/events.js";
import type { Protection } from "../domain/protections.js";
import type { SaleReferral } from "../domain/referral.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { type CaseRecord, listCases } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, type EventRow, eventOf, readCaseEvents } from "../store/events.js";
import { listCaseMessages } from "../store/messages.js";
import { protectionsOfCase, readCaseClocks } from "./case-clocks.js";
import { isNewSaleDate, referralFor } from "./sale-referral.js";
import type { Session } from "./session.js";

/** The case events a user records with `event` (a CFPB complaint and its response have their own command, `filed`). */
export type RecordedEventType = Exclude<CaseEventType, "cfpb-filed" | "cfpb-response">;

/** What goes with some events: the scheduled sale (application-complete, denied, offer), the offer's answer date. */
export interface CaseEventDetails {
  saleDate?: IsoDate | undefined;
  acceptBy?: IsoDate | undefined;
}

/** The recorded event, and the loss-mitigation clocks and protections of the case today, after it. */
export interface RecordedCaseEvent {
  event: EventRow;
  clocks: Clock[];
  protections: Protection[];
  /**
   * A foreclosure sale date entered for the first time in the case: the referral to an attorney, said once
   * (src/domain/referral.ts). Undefined when no sale date was given, or the case already had that one.
   */
  referral?: SaleReferral | undefined;
}

/** An appeal needs a denial to appeal, and an answer needs an offer to answer, on or before its day. */
function checkSequence(s: Session, c: CaseRecord, type: RecordedEventType, on: IsoDate): void {
  const needs = type === "appealed" ? "denied" : type === "accepted" || type === "rejected" ? "offer" : null;
  if (!needs) return;
  const found = readCaseEvents(s.db(), c.id).some((e) => e.type === needs && e.data.on <= on);
  if (found) return;
  if (needs === "denied")
    throw new UserError(`${c.tag} has no denial recorded on or before ${on} to appeal`, {
      code: "NO_DENIAL_TO_APPEAL",
      hint: "record the servicer's denial notice first, by the date it bears",
    });
  throw new UserError(
    `${c.tag} has no offer recorded on or before ${on} to ${type === "accepted" ? "accept" : "reject"}`,
    {
      code: "NO_OFFER_TO_ANSWER",
      hint: "record the servicer's offer first, by the date it bears",
    },
  );
}

const LOSS_MITIGATION_EVENTS: ReadonlySet<string> = new Set(LOSS_MITIGATION_EVENT_TYPES);

/**
 * A denial, an offer or an appeal starts 1024.41's clocks in the case it is recorded on: a notice-of-error or
 * escrow case would carry an appeal deadline for an application it does not hold. The case, or one it came from
 * (a follow-up, an escalation), must hold a loss-mitigation letter.
 */
function checkLossMitigationCase(s: Session, c: CaseRecord, type: RecordedEventType): void {
  if (!LOSS_MITIGATION_EVENTS.has(type)) return;
  const db = s.db();
  const byId = new Map(listCases(db).map((x) => [x.id, x]));
  const seen = new Set<number>();
  for (let x: CaseRecord | undefined = c; x && !seen.has(x.id); x = byId.get(x.parentId ?? -1)) {
    seen.add(x.id);
    const holds = listCaseMessages(db, x.id).some(
      (m) => m.direction === "out" && m.kind === "loss-mitigation" && m.state !== "discarded",
    );
    if (x.kind === "loss-mitigation" || holds) return;
  }
  throw new UserError(
    `${c.tag} is a ${c.kind} case and holds no loss-mitigation application: "${type}" is not for it`,
    {
      code: "NOT_LOSS_MITIGATION_CASE",
      hint: "record it on the case of the application (loanmail cases); an application sent outside loanmail: loanmail compose loss-mitigation --loan LOAN --dated YYYY-MM-DD, then loanmail sent CASE --via portal --date YYYY-MM-DD",
    },
  );
}

/** Record that `type` happened on `on` (with a scheduled foreclosure sale and an offer's answer date, when given). */
export function recordCaseEvent(
  s: Session,
  c: CaseRecord,
  type: RecordedEventType,
  on: IsoDate,
  details: CaseEventDetails = {},
): RecordedCaseEvent {
  checkLossMitigationCase(s, c, type);
  checkSequence(s, c, type, on);
  const db = s.db();
  // Asked before the event is appended: a letter of the case may have given this sale date already.
  const firstSale = details.saleDate !== undefined && isNewSaleDate(db, c, details.saleDate, {});
  const data: { on: string; "sale-date"?: string; "accept-by"?: string } = { on };
  if (details.saleDate !== undefined) data["sale-date"] = details.saleDate;
  if (details.acceptBy !== undefined) data["accept-by"] = details.acceptBy;
  const event = inTransaction(db, () =>
    appendCaseEvent(db, c, { at: s.nowIso, actor: "user", ...eventOf(type, data as { on: string }) }),
  );
  const today = isoDateIn(s.now, s.timeZone());
  const cc = readCaseClocks(db, c, s.timeZone(), today);
  const protections = protectionsOfCase(cc, today);
  return {
    event,
    clocks: cc.clocks.filter((k) => k.id.startsWith("lossmit-")),
    protections,
    referral: firstSale && details.saleDate ? referralFor(db, c, details.saleDate, s.now, s.timeZone()) : undefined,
  };
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
