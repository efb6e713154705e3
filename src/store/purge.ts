/**
 * Removing a client's whole file (`client purge`, 24 C.F.R. 214.315; docs/ARCHITECTURE.md "Clients", Retention):
 * in ONE transaction, the purge's own `client-purged` event is appended to chain 0 (linked to the real head),
 * then every row of the client goes: its events (its own chain, each of its case chains, and the chain-0 events
 * that name its loans, cases or messages), the kept heads of the removed chains, its messages and their origins
 * and attachments, its authorizations, plan, past account numbers, cases, loans, the client row, and the blobs
 * nothing references any more. The events and chain_heads triggers refuse any DELETE of a row not listed in
 * purge_pending (migration 110): the purge fills it, deletes, and empties it, inside the same transaction.
 *
 * SQLite's secure_delete is on for the purge (freed pages are zeroed, not left readable in the file); after the
 * commit the file is rebuilt (VACUUM) and the WAL checkpointed and truncated, so that the client's name and
 * account numbers are no longer in loanmail.db or loanmail.db-wal (tested by grepping both).
 */
import { namesAccount } from "../domain/account-number.js";
import type { PurgeData } from "../domain/events.js";
import { type Db, inTransaction } from "./db.js";
import { appendEvent, type EventRow, type NewEvent } from "./events.js";

/** What a purge will remove, computed inside its transaction. */
export interface PurgePlan {
  clientId: number;
  loanIds: number[];
  caseIds: number[];
  messageIds: number[];
  events: Pick<EventRow, "id" | "chain" | "prev_hash" | "hash">[];
  chain0: PurgeData["chain0"];
  chains: PurgeData["chains"];
  messageRuns: [number, number][];
  /** The stored files only this client's rows and events name. */
  blobs: string[];
}

const json = (ids: readonly number[]) => JSON.stringify(ids);
const IN = "(SELECT value FROM json_each(?))";

/** Consecutive ids as [first, last] runs: a client's events are few runs, not thousands of numbers. */
export function idRuns(ids: readonly number[]): [number, number][] {
  const sorted = [...ids].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const id of sorted) {
    const last = runs.at(-1);
    if (last && id === last[1] + 1) last[1] = id;
    else runs.push([id, id]);
  }
  return runs;
}

/**
 * Unfiled mail that is only this client's: received messages filed to no case whose subject or text names one of
 * the client's account numbers (current or past) and no other client's. A purge would leave them behind, the
 * client's accounts still in the file and outside its export; `client purge` asks for them to be filed first.
 * A message that names another client's account too is theirs as well, and stays.
 */
export function unfiledMailOfClient(db: Db, clientId: number): number[] {
  const accounts = db
    .prepare(
      `SELECT client_id, account_number FROM loans
       UNION SELECT l.client_id, a.account_number FROM loan_accounts a JOIN loans l ON l.id = a.loan_id`,
    )
    .raw(true)
    .all() as [number, string][];
  const own = accounts.filter(([c]) => c === clientId).map(([, a]) => a);
  const others = accounts.filter(([c]) => c !== clientId).map(([, a]) => a);
  if (own.length === 0) return [];
  const unfiled = db
    .prepare("SELECT id, subject, body_text FROM messages WHERE case_id IS NULL AND direction = 'in' ORDER BY id")
    .raw(true)
    .all() as [number, string | null, string | null][];
  return unfiled
    .filter(([, subject, body]) => {
      const text = `${subject ?? ""}\n${body ?? ""}`;
      return own.some((a) => namesAccount(text, a)) && !others.some((a) => namesAccount(text, a));
    })
    .map(([id]) => id);
}

/** The rows of one client a purge removes (read inside the purge's transaction). */
export function planPurge(db: Db, clientId: number): PurgePlan {
  const ids = (sql: string, ...args: unknown[]) =>
    db
      .prepare(sql)
      .pluck()
      .all(...args) as number[];
  const loanIds = ids("SELECT id FROM loans WHERE client_id = ? ORDER BY id", clientId);
  const caseIds = ids(`SELECT id FROM cases WHERE loan_id IN ${IN} ORDER BY id`, json(loanIds));
  const messageIds = ids(`SELECT id FROM messages WHERE case_id IN ${IN} ORDER BY id`, json(caseIds));
  const events = db
    .prepare(
      `SELECT id, chain, prev_hash, hash FROM events
       WHERE chain = ? OR chain IN ${IN}
          OR (chain = 0 AND (loan_id IN ${IN} OR case_id IN ${IN} OR message_id IN ${IN}))
       ORDER BY id`,
    )
    .all(-clientId, json(caseIds), json(loanIds), json(caseIds), json(messageIds)) as PurgePlan["events"];
  const chain0 = events.filter((e) => e.chain === 0).map((e) => ({ id: e.id, prev_hash: e.prev_hash, hash: e.hash }));
  const byChain = new Map<number, PurgePlan["events"]>();
  for (const e of events) if (e.chain !== 0) byChain.set(e.chain, [...(byChain.get(e.chain) ?? []), e]);
  const chains = [...byChain].map(([chain, list]) => ({
    chain,
    head: list.at(-1)?.hash ?? "",
    events: list.length,
    ids: idRuns(list.map((e) => e.id)),
  }));
  const plan = { clientId, loanIds, caseIds, messageIds, events, chain0, chains, messageRuns: idRuns(messageIds) };
  return { ...plan, blobs: removableBlobs(db, { ...plan, blobs: [] }) };
}

/** Every table column that holds a blob's hash (declared REFERENCES blobs), found from the schema. */
function blobColumns(db: Db): { table: string; column: string }[] {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
    .pluck()
    .all() as string[];
  const out: { table: string; column: string }[] = [];
  for (const table of tables) {
    const fks = db.prepare("SELECT * FROM pragma_foreign_key_list(?)").all(table) as { table: string; from: string }[];
    for (const fk of fks) if (fk.table === "blobs") out.push({ table, column: fk.from });
  }
  return out;
}

/** The blobs the client's rows and events name (candidates to remove once nothing else names them). */
function blobCandidates(db: Db, plan: PurgePlan): Set<string> {
  const found = new Set<string>();
  for (const { table, column } of blobColumns(db)) {
    const where =
      table === "attachments" ? `message_id IN ${IN}` : table === "authorizations" ? `loan_id IN ${IN}` : undefined;
    if (!where) continue;
    const arg = table === "attachments" ? json(plan.messageIds) : json(plan.loanIds);
    for (const h of db.prepare(`SELECT "${column}" FROM "${table}" WHERE ${where}`).pluck().all(arg) as string[])
      found.add(h);
  }
  const data = db.prepare("SELECT data FROM events WHERE id = ?").pluck();
  for (const e of plan.events) for (const h of String(data.get(e.id)).match(/[0-9a-f]{64}/g) ?? []) found.add(h);
  return found;
}

/**
 * The candidates that are stored blobs and that nothing outside the purge names (a row of another client, an
 * event that stays): computed before anything is deleted, so that the purge event can count them.
 */
function removableBlobs(db: Db, plan: PurgePlan): string[] {
  const columns = blobColumns(db);
  const stored = db.prepare("SELECT 1 FROM blobs WHERE sha256 = ?").pluck();
  const eventIds = json(plan.events.map((e) => e.id));
  const named = db.prepare(`SELECT 1 FROM events WHERE instr(data, ?) > 0 AND id NOT IN ${IN} LIMIT 1`).pluck();
  const keptBy = columns.map(({ table, column }) => {
    const own =
      table === "attachments"
        ? [`AND message_id NOT IN ${IN}`, json(plan.messageIds)]
        : table === "authorizations"
          ? [`AND loan_id NOT IN ${IN}`, json(plan.loanIds)]
          : ["", undefined];
    const stmt = db.prepare(`SELECT 1 FROM "${table}" WHERE "${column}" = ? ${own[0]} LIMIT 1`).pluck();
    return (h: string) => (own[1] === undefined ? stmt.get(h) : stmt.get(h, own[1])) !== undefined;
  });
  return [...blobCandidates(db, plan)].filter(
    (h) => stored.get(h) !== undefined && named.get(h, eventIds) === undefined && !keptBy.some((k) => k(h)),
  );
}

/** Delete the planned rows (purge_pending lets the triggers pass exactly these events and chains). */
function deleteRows(db: Db, plan: PurgePlan): Record<string, number> {
  const pend = db.prepare("INSERT INTO purge_pending (what, id) VALUES (?, ?)");
  for (const e of plan.events) pend.run("event", e.id);
  for (const c of plan.chains) pend.run("chain", c.chain);
  const run = (sql: string, ...args: unknown[]) => db.prepare(sql).run(...args).changes;
  const counts: Record<string, number> = {};
  counts.events = run("DELETE FROM events WHERE id IN (SELECT id FROM purge_pending WHERE what = 'event')");
  counts.chains = run("DELETE FROM chain_heads WHERE chain IN (SELECT id FROM purge_pending WHERE what = 'chain')");
  counts.message_origins = run(`DELETE FROM message_origins WHERE message_id IN ${IN}`, json(plan.messageIds));
  counts.attachments = run(`DELETE FROM attachments WHERE message_id IN ${IN}`, json(plan.messageIds));
  counts.messages = run(`DELETE FROM messages WHERE id IN ${IN}`, json(plan.messageIds));
  counts.authorizations = run(`DELETE FROM authorizations WHERE loan_id IN ${IN}`, json(plan.loanIds));
  counts.loan_accounts = run(`DELETE FROM loan_accounts WHERE loan_id IN ${IN}`, json(plan.loanIds));
  counts.cases = run(`DELETE FROM cases WHERE id IN ${IN}`, json(plan.caseIds));
  counts.client_plan = run("DELETE FROM client_plan WHERE client_id = ?", plan.clientId);
  counts.loans = run(`DELETE FROM loans WHERE id IN ${IN}`, json(plan.loanIds));
  counts.clients = run("DELETE FROM clients WHERE id = ?", plan.clientId);
  const blob = db.prepare("DELETE FROM blobs WHERE sha256 = ?");
  counts.blobs = plan.blobs.reduce((n, h) => n + blob.run(h).changes, 0);
  run("DELETE FROM purge_pending");
  return counts;
}

/**
 * A foreign key left dangling by the purge may only be another client's event naming a message of this client
 * (filed to this client's case after arriving in another's): the purge event lists those messages, and verify
 * --db accepts exactly them. Anything else means a table this purge does not know holds the client's rows.
 */
function checkDangling(db: Db, plan: PurgePlan): void {
  const removed = new Set(plan.messageIds);
  const rows = db.prepare("PRAGMA foreign_key_check").all() as { table: string; rowid: number; parent: string }[];
  const event = db.prepare("SELECT message_id FROM events WHERE id = ?").pluck();
  for (const r of rows) {
    if (r.table === "events" && r.parent === "messages" && removed.has(event.get(r.rowid) as number)) continue;
    throw new Error(`purge: ${r.table} row ${r.rowid} still references a removed ${r.parent} row`);
  }
}

/** The highest case id a purge removed is never given again: a case's tag must not come back for another client. */
const CASE_FLOOR_KEY = "case_id_floor";

function raiseCaseFloor(db: Db, caseIds: readonly number[]): void {
  const top = Math.max(0, ...caseIds);
  db.prepare(
    `INSERT INTO meta (key, value) VALUES (?, ?)
     ON CONFLICT(key) DO UPDATE SET value = max(CAST(value AS INTEGER), CAST(excluded.value AS INTEGER))`,
  ).run(CASE_FLOOR_KEY, String(top));
}

export interface PurgeResult {
  plan: PurgePlan;
  event: EventRow;
  counts: Record<string, number>;
}

/**
 * Purge one client in one transaction: plan, append the purge event `makeEvent(plan, counts)` to chain 0 (counts
 * are what the plan will remove), delete, check. foreign_keys is off for the transaction (another client's event
 * may name a removed message; checkDangling allows exactly that) and secure_delete on.
 */
export function purgeClient(
  db: Db,
  clientId: number,
  makeEvent: (plan: PurgePlan, counts: Record<string, number>) => NewEvent,
): PurgeResult {
  db.pragma("foreign_keys = OFF");
  db.pragma("secure_delete = ON");
  try {
    const result = inTransaction(db, () => {
      const plan = planPurge(db, clientId);
      const counts = expectedCounts(db, plan);
      const event = appendEvent(db, makeEvent(plan, counts));
      const removed = deleteRows(db, plan);
      for (const [k, n] of Object.entries(counts))
        if (removed[k] !== n) throw new Error(`purge: removed ${removed[k]} ${k}, planned ${n}`);
      checkDangling(db, plan);
      raiseCaseFloor(db, plan.caseIds);
      return { plan, event, counts };
    });
    return result;
  } finally {
    db.pragma("foreign_keys = ON");
  }
}

/** What the plan removes, counted before the purge event is written (it records them). */
function expectedCounts(db: Db, plan: PurgePlan): Record<string, number> {
  const count = (sql: string, arg: unknown) => db.prepare(sql).pluck().get(arg) as number;
  return {
    events: plan.events.length,
    chains: count(`SELECT count(*) FROM chain_heads WHERE chain IN ${IN}`, json(plan.chains.map((c) => c.chain))),
    message_origins: count(`SELECT count(*) FROM message_origins WHERE message_id IN ${IN}`, json(plan.messageIds)),
    attachments: count(`SELECT count(*) FROM attachments WHERE message_id IN ${IN}`, json(plan.messageIds)),
    messages: plan.messageIds.length,
    authorizations: count(`SELECT count(*) FROM authorizations WHERE loan_id IN ${IN}`, json(plan.loanIds)),
    loan_accounts: count(`SELECT count(*) FROM loan_accounts WHERE loan_id IN ${IN}`, json(plan.loanIds)),
    cases: plan.caseIds.length,
    client_plan: count("SELECT count(*) FROM client_plan WHERE client_id = ?", plan.clientId),
    loans: plan.loanIds.length,
    clients: 1,
    blobs: plan.blobs.length,
  };
}

/**
 * After a purge has committed: rebuild the file (VACUUM: only live rows are copied, so no copy of the client's
 * rows stays in free space of a page or a free page, even one left by an UPDATE made before secure_delete was on)
 * and write the WAL back and truncate it. Either may find another command reading (SQLITE_BUSY after the busy
 * timeout): the purge stands, and the report says the old pages remain until the next purge or VACUUM.
 */
export function scrubAfterPurge(db: Db): { vacuumed: boolean; walBusy: boolean } {
  let vacuumed = true;
  try {
    db.exec("VACUUM");
  } catch (err) {
    if ((err as { code?: string }).code !== "SQLITE_BUSY") throw err;
    vacuumed = false;
  }
  const r = db.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
  return { vacuumed, walBusy: (r[0]?.busy ?? 0) !== 0 };
}
