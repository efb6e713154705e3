/**
 * Client households of a counselor's home (docs/ARCHITECTURE.md, "Clients"): `client add`, `set`, `list`, `show`.
 * A client's intake is JSON in clients.intake (src/domain/intake.ts), each change a `client-added` or
 * `client-changed` event on the client's own chain (-client id), with the counselor who keeps the file.
 */
import { authorizationState } from "../domain/authorization-state.js";
import type { IsoDate } from "../domain/calendar.js";
import {
  changedFields,
  checkClientName,
  checkIntake,
  type Intake,
  type IntakeInput,
  mergeIntake,
  readIntake,
} from "../domain/intake.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { type Authorization, listAuthorizations } from "../store/authorizations.js";
import { type CaseRecord, listCases } from "../store/cases.js";
import {
  type ClientRow,
  clientCounts,
  findClientByName,
  getClientRow,
  getCounselor,
  insertClient,
  listClientRows,
  setClientIntake,
} from "../store/clients.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendEvent, readCaseEvents } from "../store/events.js";
import { type Loan, listLoans } from "../store/loans.js";
import { type PlanItem, planOf } from "./client-plan.js";
import { checkFence, fenceId } from "./client-scope.js";
import { counselorHome } from "./counselor-home.js";
import { listDueClocks } from "./due.js";
import type { Session } from "./session.js";

export interface Client {
  id: number;
  name: string;
  counselor: { id: number; name: string } | null;
  intake: Intake;
  closedOn: string | null;
  createdAt: string;
}

function today(s: Session): IsoDate {
  return isoDateIn(s.now, s.timeZone());
}

function toClient(db: Db, row: ClientRow): Client {
  const counselor = row.counselor_id === null ? undefined : getCounselor(db, row.counselor_id);
  return {
    id: row.id,
    name: row.name,
    counselor: counselor ? { id: counselor.id, name: counselor.name } : null,
    intake: readIntake(row.intake),
    closedOn: row.closed_on,
    createdAt: row.created_at,
  };
}

/** The client named `name` (any case), or CLIENT_NOT_FOUND naming the clients there are. */
export function requireClientByName(s: Session, name: string): Client {
  const db = s.db();
  const row = findClientByName(db, name.trim());
  if (!row) {
    const names = listClientRows(db).map((c) => c.name);
    throw new UserError(`no client "${name}"`, {
      code: "CLIENT_NOT_FOUND",
      hint: `known clients: ${names.join(", ") || "none"} (add one: loanmail client add NAME)`,
    });
  }
  // Under --client C, another client's file is not there to see or change.
  checkFence(s, row.id, `client "${row.name}"`);
  return toClient(db, row);
}

/** Client commands are a counselor's: a borrower's home has one implicit client, the user. */
function requireCounselorHome(s: Session) {
  const home = counselorHome(s.db());
  if (!home)
    throw new UserError("this is a borrower's home: its one client is you", {
      code: "NOT_A_COUNSELOR_HOME",
      hint: "a housing counselor sets up a home of their own: loanmail --home DIR init --counselor --agency NAME ...",
    });
  return home;
}

function intakeData(c: Client) {
  return { id: c.id, name: c.name, counselor_id: c.counselor?.id ?? null, intake: { ...c.intake } };
}

/** Add a client household with what intake recorded. Refused: an empty or taken name, a bad field. */
export function addClient(s: Session, name: string, input: IntakeInput): Client {
  const home = requireCounselorHome(s);
  const db = s.db();
  const clean = checkClientName(name);
  const intake = checkIntake(input, today(s));
  const taken = findClientByName(db, clean);
  if (taken)
    throw new UserError(`a client "${taken.name}" already exists`, {
      code: "CLIENT_EXISTS",
      hint: `change it with: loanmail client set "${taken.name}" ...; or give this household another name`,
    });
  return inTransaction(db, () => {
    const id = insertClient(
      db,
      { name: clean, counselorId: home.counselor.id, intake: JSON.stringify(intake) },
      s.nowIso,
    );
    const client = toClient(db, getClientRow(db, id) as ClientRow);
    appendEvent(db, {
      caseId: null,
      clientId: id,
      at: s.nowIso,
      type: "client-added",
      actor: "user",
      data: intakeData(client),
    });
    return client;
  });
}

/** Change intake fields of a client; the others stay. Refused when nothing changes. */
export function changeClient(s: Session, name: string, input: IntakeInput): { client: Client; changed: string[] } {
  requireCounselorHome(s);
  const db = s.db();
  const current = requireClientByName(s, name);
  const next = mergeIntake(current.intake, checkIntake(input, today(s)));
  const changed = changedFields(current.intake, next);
  if (changed.length === 0)
    throw new UserError(`nothing to change for "${current.name}"`, {
      code: "NOTHING_TO_CHANGE",
      hint: "give an intake field with a new value, e.g. --phone 555-0100 (loanmail client show NAME shows them)",
    });
  return inTransaction(db, () => {
    setClientIntake(db, current.id, JSON.stringify(next));
    const client = { ...current, intake: next };
    appendEvent(db, {
      caseId: null,
      clientId: current.id,
      at: s.nowIso,
      type: "client-changed",
      actor: "user",
      data: { ...intakeData(client), changed },
    });
    return { client, changed };
  });
}

export interface ClientSummary {
  id: number;
  name: string;
  counselor: string | null;
  status: "open" | "closed";
  closedOn: string | null;
  cases: number;
  /** Open or unresolved (its letters left); drafts are counted apart, as `cases` shows them. */
  openCases: number;
  draftCases: number;
  loans: number;
  /** The soonest open due item of the client (a clock, an authorization's expiry, a plan item), else null. */
  nextDue: string | null;
}

/**
 * The soonest due day of each client among its open clocks and plan items on `asOf`, by client name: one `due`
 * over the whole caseload (or the fenced client), not one per client.
 */
function nextDueByClient(s: Session, asOf: IsoDate): Map<string, string> {
  const due = listDueClocks(s, { asOf });
  const soonest = new Map<string, string>();
  const consider = (client: string, day: string | null) => {
    const held = soonest.get(client);
    if (day !== null && (held === undefined || day < held)) soonest.set(client, day);
  };
  for (const r of due.rows) consider(r.client, r.clock.dueLenient);
  for (const p of due.plan) consider(p.client, p.by);
  return soonest;
}

/** Every client with its counts and next due day. */
export function listClients(s: Session): ClientSummary[] {
  const db = s.db();
  const counts = clientCounts(db);
  const nextDue = nextDueByClient(s, today(s));
  const fence = fenceId(s);
  const rows = listClientRows(db).filter((row) => fence === undefined || row.id === fence);
  return rows.map((row) => {
    const c = toClient(db, row);
    const n = counts.get(row.id);
    return {
      id: c.id,
      name: c.name,
      counselor: c.counselor?.name ?? null,
      status: c.closedOn ? "closed" : "open",
      closedOn: c.closedOn,
      cases: n?.cases ?? 0,
      openCases: n?.openCases ?? 0,
      draftCases: n?.draftCases ?? 0,
      loans: n?.loans ?? 0,
      nextDue: nextDue.get(c.name) ?? null,
    };
  });
}

export interface ClientNote {
  case: string;
  caseId: number;
  at: string;
  type: "note" | "call";
  text: string;
}

export interface ClientFile {
  client: Client;
  loans: Loan[];
  cases: CaseRecord[];
  authorizations: (Authorization & { state: string })[];
  plan: PlanItem[];
  notes: ClientNote[];
}

/** The notes and calls recorded in the client's cases, oldest first. */
function notesOf(db: Db, cases: readonly CaseRecord[]): ClientNote[] {
  const notes = cases.flatMap((c) =>
    readCaseEvents(db, c.id).flatMap((e): ClientNote[] => {
      if (e.type === "note") return [{ case: c.tag, caseId: c.id, at: e.at, type: "note", text: e.data.text }];
      if (e.type === "call")
        return [
          { case: c.tag, caseId: c.id, at: e.data.call_at, type: "call", text: `${e.data.with}: ${e.data.summary}` },
        ];
      return [];
    }),
  );
  return notes.sort((a, b) => a.at.localeCompare(b.at));
}

/** A client's whole file as `client show` prints it. */
export function showClient(s: Session, name: string): ClientFile {
  const db = s.db();
  const client = requireClientByName(s, name);
  const asOf = today(s);
  const cases = listCases(db, { clientId: client.id }).reverse();
  return {
    client,
    loans: listLoans(db, client.id),
    cases,
    authorizations: listAuthorizations(db, client.id).map((a) => ({ ...a, state: authorizationState(a, asOf) })),
    plan: planOf(s, client.id, asOf),
    notes: notesOf(db, cases),
  };
}
