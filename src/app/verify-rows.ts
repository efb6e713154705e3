/**
 * Servicers, loans and cases against the events that made and changed them (`verify --db`, with verify-record.ts):
 * a servicer's name, addresses and designations must be those of its last snapshot event; a loan's
 * fields must be those of its last `loan-added` or `loan-changed` snapshot (its account number after a `transfer`
 * the one transferred to); a case's loan, kind, formality, channel, opening time and tag those of the `composed`
 * event that opened it, and its status what its events allow: resolved, unresolved or discarded only by the last
 * such event of its chain, and still a draft only while no letter of it has left.
 */
import { caseTag } from "../domain/subject.js";
import { listCaseColumns } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { type EventRow, parseEventRow } from "../store/events.js";
import { listRowEvents } from "../store/evidence.js";
import { type Loan, listLoans } from "../store/loans.js";
import { getMeta } from "../store/meta.js";
import { listServicers, type Servicer } from "../store/servicers.js";
import type { RecordFinding } from "./verify-record.js";

/** The fields of a loan that its events record and the record shows. */
const LOAN_FIELDS = [
  "clientId",
  "servicerId",
  "accountNumber",
  "propertyAddress",
  "borrowers",
  "product",
  "principalResidence",
  "arm",
  "delinquentSince",
  "lang",
] as const satisfies readonly (keyof Loan)[];

/** Statuses that only an event of the same name sets. */
const CLOSING = new Set(["resolved", "unresolved", "discarded"]);
/** Events by which a letter of a case leaves (or is recorded as having left): a draft case is open after one. */
const LEFT = new Set(["sent", "mailed"]);

function dataOf(row: EventRow): Record<string, unknown> | undefined {
  try {
    return parseEventRow(row).data as Record<string, unknown>;
  } catch {
    return undefined; // an unreadable event was reported by the chain walk (its hash no longer matches)
  }
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const shown = (v: unknown) => JSON.stringify(v ?? null);

/**
 * A row against the last snapshot an event recorded of it: each of `fields` the snapshot holds (one of an earlier
 * release may lack some; a transfer drops the servicer, which it names only by name) must read the same.
 */
function againstSnapshot<R extends object>(
  subject: string,
  row: R,
  fields: readonly (keyof R & string)[],
  x: { fields: Record<string, unknown>; event: number } | undefined,
): RecordFinding[] {
  if (!x) return [{ subject, detail: "no event records it: it was added outside loanmail" }];
  return fields
    .filter((f) => f in x.fields && !same(row[f], x.fields[f]))
    .map((f) => ({
      subject,
      detail: `its ${f} reads ${shown(row[f])}, but event ${x.event} recorded ${shown(x.fields[f])}`,
    }));
}

function loanFindings(db: Db, events: readonly EventRow[]): RecordFinding[] {
  const findings: RecordFinding[] = [];
  const expected = new Map<number, { fields: Record<string, unknown>; event: number }>();
  for (const row of events) {
    if (row.loan_id === null) continue;
    const d = dataOf(row);
    if (!d) continue;
    if (row.type === "loan-added" || row.type === "loan-changed")
      expected.set(row.loan_id, { fields: d, event: row.id });
    const x = expected.get(row.loan_id);
    // A transfer names the new servicer by name (which may change since): its account number is what it fixes.
    if (row.type === "transfer" && x) {
      const { servicerId: _dropped, ...fields } = x.fields;
      expected.set(row.loan_id, { fields: { ...fields, accountNumber: d.to_account }, event: row.id });
    }
  }
  for (const loan of listLoans(db))
    findings.push(...againstSnapshot(`loan ${loan.id}`, loan, LOAN_FIELDS, expected.get(loan.id)));
  return findings;
}

interface CaseExpected {
  opened?: { row: EventRow; data: Record<string, unknown> };
  /** The last event that set a closing status. */
  closing?: EventRow;
  left: boolean;
}

function caseFindings(db: Db, events: readonly EventRow[]): RecordFinding[] {
  const byCase = new Map<number, CaseExpected>();
  for (const row of events) {
    if (row.chain <= 0) continue;
    const x = byCase.get(row.chain) ?? { left: false };
    if (row.type === "composed" && x.opened === undefined) {
      const d = dataOf(row);
      if (d?.new_case === true) x.opened = { row, data: d };
    }
    if (CLOSING.has(row.type)) x.closing = row;
    if (LEFT.has(row.type)) x.left = true;
    byCase.set(row.chain, x);
  }
  const prefix = getMeta(db, "tag_prefix");
  const findings: RecordFinding[] = [];
  const rows = listCaseColumns(db);
  const held = new Set(rows.map((c) => c.id));
  for (const [id, x] of byCase)
    if (x.opened && !held.has(id))
      findings.push({ subject: `case ${id}`, detail: "its events name it, but its row is gone" });
  for (const c of rows) {
    const say = (detail: string) => findings.push({ subject: `case ${c.id}`, detail });
    const x = byCase.get(c.id);
    if (!x?.opened) {
      say("no composed event opened it: it was added outside loanmail");
      continue;
    }
    const { row, data } = x.opened;
    const want: [string, unknown, unknown][] = [
      ["loan", c.loanId, row.loan_id],
      ["kind", c.kind, data.kind],
      ["formality", c.formal, data.formal],
      ["channel", c.channel, data.channel],
      ["opening time", c.openedAt, row.at],
    ];
    for (const [what, has, recorded] of want)
      if (!same(has, recorded)) say(`its ${what} reads ${shown(has)}, but event ${row.id} recorded ${shown(recorded)}`);
    if (prefix !== undefined && c.tag !== caseTag(prefix, c.id))
      say(`its tag reads ${c.tag}, but this home tags case ${c.id} ${caseTag(prefix, c.id)}`);
    if (x.closing && c.status !== x.closing.type)
      say(`its status reads ${c.status}, but event ${x.closing.id} made it ${x.closing.type}`);
    else if (!x.closing && CLOSING.has(c.status)) say(`its status reads ${c.status}, but no event made it so`);
    else if (!x.closing && c.status === "draft" && x.left)
      say("its status reads draft, but a letter of it left (its sent or mailed event)");
  }
  return findings;
}

/** The fields of a servicer that its events record and the record shows (its designations above all). */
const SERVICER_FIELDS = [
  "name",
  "email",
  "slaDays",
  "noticeAddress",
  "noticeEmail",
  "noticePortal",
  "payoffEmail",
  "payoffAddress",
  "small",
  "domains",
] as const satisfies readonly (keyof Servicer)[];

/** Each servicer against its last `servicer-added` or `servicer-changed` snapshot (fields a snapshot lacks, of an
 * earlier release, are not compared). */
function servicerFindings(db: Db, events: readonly EventRow[]): RecordFinding[] {
  const expected = new Map<number, { fields: Record<string, unknown>; event: number }>();
  for (const row of events) {
    if (row.type !== "servicer-added" && row.type !== "servicer-changed") continue;
    const d = dataOf(row);
    if (typeof d?.id === "number") expected.set(d.id, { fields: d, event: row.id });
  }
  return listServicers(db).flatMap((v) => againstSnapshot(`servicer ${v.id}`, v, SERVICER_FIELDS, expected.get(v.id)));
}

/** Every servicer, loan and case row against its events. */
export function rowFindings(db: Db): RecordFinding[] {
  const events = listRowEvents(db);
  return [...servicerFindings(db, events), ...loanFindings(db, events), ...caseFindings(db, events)];
}
