/**
 * A client's action plan (docs/ARCHITECTURE.md, "Clients"): dated follow-ups the counselor and the household agree
 * on (`client plan C --add TEXT --by D`, `--done N`). Rows in client_plan; each change a `plan-added` or
 * `plan-done` event on the client's chain. Open items show in `due` (late once their day has passed) and in
 * `client show`. They are nobody's legal deadline: no rule is cited and `due --check` ignores them.
 */
import type { IsoDate } from "../domain/calendar.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { insertPlanItem, listOpenPlan, listPlan, type PlanRow, setPlanDone } from "../store/clients.js";
import { inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import type { Session } from "./session.js";

export interface PlanItem {
  /** Its number within the client's plan (1, 2, ...), as `--done N` takes it. */
  number: number;
  id: number;
  text: string;
  by: IsoDate;
  doneOn: IsoDate | null;
  /** open, late (its day has passed and it is not done), or done. */
  status: "open" | "late" | "done";
}

/** An open plan item as `due` lists it, with its client. */
export interface DuePlanItem extends PlanItem {
  client: string;
  clientId: number;
}

function itemOf(row: PlanRow, number: number, asOf: IsoDate): PlanItem {
  return {
    number,
    id: row.id,
    text: row.text,
    by: row.by_date,
    doneOn: row.done_on,
    status: row.done_on !== null ? "done" : row.by_date < asOf ? "late" : "open",
  };
}

/** A client's plan on `asOf`, numbered in the order written. */
export function planOf(s: Session, clientId: number, asOf: IsoDate): PlanItem[] {
  return listPlan(s.db(), clientId).map((row, i) => itemOf(row, i + 1, asOf));
}

/** Open plan items of every client (or one) on `asOf`, soonest first. */
export function openPlanItems(s: Session, asOf: IsoDate, clientId?: number): DuePlanItem[] {
  const db = s.db();
  const numbers = new Map<number, number>();
  const numberOf = (row: PlanRow) => {
    if (!numbers.has(row.client_id))
      for (const [i, r] of listPlan(db, row.client_id).entries()) numbers.set(r.id, i + 1);
    return numbers.get(row.id) ?? 0;
  };
  return listOpenPlan(db, clientId).map((row) => ({
    ...itemOf(row, numberOf(row), asOf),
    client: row.client_name,
    clientId: row.client_id,
  }));
}

/**
 * Add an item to do by `by`. A day already past is taken (a plan agreed earlier, entered late): the item is late
 * at once.
 */
export function addPlanItem(s: Session, client: { id: number; name: string }, text: string, by: IsoDate): PlanItem {
  const today = isoDateIn(s.now, s.timeZone());
  const db = s.db();
  return inTransaction(db, () => {
    const id = insertPlanItem(db, client.id, text, by, s.nowIso);
    appendEvent(db, {
      caseId: null,
      clientId: client.id,
      at: s.nowIso,
      type: "plan-added",
      actor: "user",
      data: { id, text, by },
    });
    const item = planOf(s, client.id, today).find((p) => p.id === id);
    if (!item) throw new Error("plan item vanished");
    return item;
  });
}

/** Mark item `number` of the client's plan done today. */
export function markPlanDone(s: Session, client: { id: number; name: string }, number: number): PlanItem {
  const today = isoDateIn(s.now, s.timeZone());
  const plan = planOf(s, client.id, today);
  const item = plan.find((p) => p.number === number);
  if (!item)
    throw new UserError(`"${client.name}" has no plan item ${number}`, {
      code: "PLAN_ITEM_NOT_FOUND",
      hint: `its items are numbered 1 to ${plan.length}: loanmail client plan "${client.name}"`,
    });
  if (item.doneOn !== null)
    throw new UserError(`plan item ${number} of "${client.name}" was done on ${item.doneOn}`, {
      code: "PLAN_ITEM_DONE",
      hint: `see the plan: loanmail client plan "${client.name}"`,
    });
  const db = s.db();
  inTransaction(db, () => {
    setPlanDone(db, item.id, today);
    appendEvent(db, {
      caseId: null,
      clientId: client.id,
      at: s.nowIso,
      type: "plan-done",
      actor: "user",
      data: { id: item.id, text: item.text, on: today },
    });
  });
  return { ...item, doneOn: today, status: "done" };
}
