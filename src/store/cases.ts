/** Cases: one matter with a servicer, holding letters out, replies in, and events. */
import { caseTag, parseCaseTag } from "../domain/subject.js";
import { UserError } from "../errors.js";
import type { Db } from "./db.js";

export type CaseStatus = "draft" | "open" | "discarded" | "resolved" | "unresolved";

export interface CaseRecord {
  id: number;
  loanId: number;
  kind: string;
  formal: boolean;
  channel: string;
  tag: string;
  status: CaseStatus;
  step: string;
  parentId: number | null;
  openedAt: string;
  closedAt: string | null;
  accountNumber: string;
  servicerName: string;
  /** Whose case it is: its loan's client. */
  clientId: number;
  clientName: string;
  subject: string | null;
}

interface CaseRow {
  id: number;
  loan_id: number;
  kind: string;
  formal: number;
  channel: string;
  tag: string;
  status: CaseStatus;
  step: string;
  parent_id: number | null;
  opened_at: string;
  closed_at: string | null;
  account_number: string;
  servicer_name: string;
  client_id: number;
  client_name: string;
  subject: string | null;
}

const SELECT_CASE = `SELECT c.*, l.account_number, s.name AS servicer_name, l.client_id, cl.name AS client_name,
    (SELECT m.subject FROM messages m WHERE m.case_id = c.id AND m.direction = 'out' ORDER BY m.id LIMIT 1) AS subject
  FROM cases c JOIN loans l ON l.id = c.loan_id JOIN servicers s ON s.id = l.servicer_id
  JOIN clients cl ON cl.id = l.client_id`;

/** A case's own columns, as stored. */
export type CaseColumns = Pick<
  CaseRecord,
  "id" | "loanId" | "kind" | "formal" | "channel" | "tag" | "status" | "step" | "parentId" | "openedAt" | "closedAt"
>;

function caseColumns(r: CaseRow): CaseColumns {
  return {
    id: r.id,
    loanId: r.loan_id,
    kind: r.kind,
    formal: r.formal === 1,
    channel: r.channel,
    tag: r.tag,
    status: r.status,
    step: r.step,
    parentId: r.parent_id,
    openedAt: r.opened_at,
    closedAt: r.closed_at,
  };
}

/** Every case row by id, not joined to its loan (verify --db: a row pointing at no loan is still listed). */
export function listCaseColumns(db: Db): CaseColumns[] {
  return (db.prepare("SELECT * FROM cases ORDER BY id").all() as CaseRow[]).map(caseColumns);
}

function toCase(r: CaseRow): CaseRecord {
  return {
    ...caseColumns(r),
    accountNumber: r.account_number,
    servicerName: r.servicer_name,
    clientId: r.client_id,
    clientName: r.client_name,
    subject: r.subject,
  };
}

/** Cases, newest first, optionally filtered by status and client. */
export function listCases(db: Db, filter: { status?: string; clientId?: number } = {}): CaseRecord[] {
  const where: string[] = [];
  const args: (string | number)[] = [];
  if (filter.status) {
    where.push("c.status = ?");
    args.push(filter.status);
  }
  if (filter.clientId !== undefined) {
    where.push("l.client_id = ?");
    args.push(filter.clientId);
  }
  const sql = `${SELECT_CASE} ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY c.id DESC`;
  return (db.prepare(sql).all(...args) as CaseRow[]).map(toCase);
}

/**
 * A case by number (`3`) or tag (`LM-K7QX-3`). A tag from another home (another prefix) is refused: it names a
 * case this database does not hold.
 */
export function requireCase(db: Db, ref: string, homePrefix: string): CaseRecord {
  const trimmed = ref.trim();
  let id: number | undefined;
  if (/^\d+$/.test(trimmed)) id = Number(trimmed);
  else {
    const tag = parseCaseTag(trimmed);
    if (tag && tag.prefix === homePrefix) id = tag.caseId;
    else if (tag) {
      throw new UserError(
        `case ${trimmed} belongs to another loanmail home (this one's tags start LM-${homePrefix}-)`,
        { code: "CASE_IN_OTHER_HOME", hint: "pass --home for the home that holds it" },
      );
    }
  }
  const row =
    id === undefined ? undefined : (db.prepare(`${SELECT_CASE} WHERE c.id = ?`).get(id) as CaseRow | undefined);
  if (!row) {
    throw new UserError(`no case "${ref}"`, {
      code: "CASE_NOT_FOUND",
      hint: "give a case number or tag from: loanmail cases",
    });
  }
  return toCase(row);
}

export interface NewCase {
  loanId: number;
  kind: string;
  formal: boolean;
  channel: string;
  parentId?: number | null;
  openedAt: string;
}

/**
 * The id the next inserted case gets (max + 1): a letter's tag names its case before the case is written. Never
 * the id of a case a purge removed (meta case_id_floor, src/store/purge.ts): a tag names one client's case only.
 */
export function nextCaseId(db: Db): number {
  const next: unknown = db
    .prepare(
      `SELECT max(coalesce((SELECT max(id) FROM cases), 0),
         coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'case_id_floor'), 0)) + 1`,
    )
    .pluck()
    .get();
  if (typeof next !== "number") throw new Error("cases: the next id is not a number");
  return next;
}

/** Insert a case tagged `LM-<prefix>-<id>`; call inside the caller's write transaction so the id is stable. */
export function insertCase(db: Db, input: NewCase, prefix: string): CaseRecord {
  const id = nextCaseId(db);
  db.prepare(
    `INSERT INTO cases (id, loan_id, kind, formal, channel, tag, status, parent_id, opened_at)
     VALUES (?, ?, ?, ?, ?, ?, 'draft', ?, ?)`,
  ).run(
    id,
    input.loanId,
    input.kind,
    input.formal ? 1 : 0,
    input.channel,
    caseTag(prefix, id),
    input.parentId ?? null,
    input.openedAt,
  );
  return requireCase(db, String(id), prefix);
}

/** Set a case's status (and close time for terminal states). */
export function setCaseStatus(db: Db, caseId: number, status: CaseStatus, now: string): void {
  const closed = status === "discarded" || status === "resolved" ? now : null;
  db.prepare("UPDATE cases SET status = ?, closed_at = ? WHERE id = ?").run(status, closed, caseId);
}

/** A case's outcome in HUD form 9902's categories (`resolve --outcome`), set with its `resolved` event. */
export function setCaseOutcome(db: Db, caseId: number, outcome: string): void {
  db.prepare("UPDATE cases SET outcome = ? WHERE id = ?").run(outcome, caseId);
}
