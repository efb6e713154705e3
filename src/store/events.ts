/**
 * The append-only, hash-chained event log. Each row's hash covers the previous row's hash and the row's own
 * content, so an edit anywhere breaks every later link (walked by verifyChain, and by `verify --db` later).
 */
import { createHash } from "node:crypto";
import {
  CLOCK_EVENT_TYPES,
  type EventActor,
  type EventDataByType,
  type EventType,
  isEventType,
  type LogEvent,
} from "../domain/events.js";
import type { Progress } from "../domain/progress.js";
import { UserError } from "../errors.js";
import type { Db } from "./db.js";
import { readPurgeLedger } from "./purge-ledger.js";

export type { EventActor } from "../domain/events.js";

export const GENESIS_HASH = "0".repeat(64);

/** Where an event belongs and who did it. */
export interface EventPlace {
  caseId: number | null;
  loanId?: number | null;
  /** The client an event of no case belongs to (client-added, plan, ...); a loan's event finds it by its loan. */
  clientId?: number | null;
  at: string;
  actor: EventActor;
  messageId?: number | null;
}

/** An event to append: where it belongs, who did it, and its typed data. */
export type NewEvent = EventPlace & LogEvent;

/** One event of the log as stored (data still as its hashed JSON text): what chains and bundles are made of. */

export interface EventRow {
  id: number;
  chain: number;
  case_id: number | null;
  loan_id: number | null;
  at: string;
  type: string;
  actor: EventActor;
  message_id: number | null;
  data: string;
  prev_hash: string;
  hash: string;
}

/** Deterministic JSON (sorted keys) so a hash never depends on property order. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  // Like JSON.stringify: an undefined or function inside an array is written as null, never left out.
  if (Array.isArray(value)) {
    return `[${value.map((v) => (v === undefined || typeof v === "function" ? "null" : canonicalJson(v))).join(",")}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined && typeof v !== "function")
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
}

/** The hash of one event row given its predecessor's hash. */
export function computeEventHash(row: Omit<EventRow, "id" | "hash">): string {
  const content = canonicalJson([
    row.prev_hash,
    row.chain,
    row.case_id,
    row.loan_id,
    row.at,
    row.type,
    row.actor,
    row.message_id,
    row.data,
  ]);
  return createHash("sha256").update(content).digest("hex");
}

/**
 * Which chain an event joins: its case's (the case id); else its client's (minus the client id: a client's
 * loans, authorizations, intake and plan, so that a purge removes whole chains); else chain 0, the home's own
 * (init, servicers, mail not yet filed, purges). Events written before release 0.3 put loan events on chain 0.
 */
function chainOf(db: Db, ev: EventPlace): number {
  if (ev.caseId !== null) return ev.caseId;
  if (ev.clientId) return -ev.clientId;
  if (ev.loanId) {
    const client = db.prepare("SELECT client_id FROM loans WHERE id = ?").pluck().get(ev.loanId) as number | undefined;
    if (client !== undefined) return -client;
  }
  return 0;
}

/** Append one event to its case's chain. Call inside the caller's transaction so it commits with the change. */
export function appendEvent(db: Db, ev: NewEvent): EventRow {
  return appendToChain(db, ev);
}

/**
 * The chain mechanism itself, for any type and data: appendEvent is its typed door. Exported for the chain's own
 * tests, which hash arbitrary content; application code appends through appendEvent or appendCaseEvent.
 */
export function appendToChain(db: Db, ev: EventPlace & { type: string; data?: object }): EventRow {
  const chain = chainOf(db, ev);
  const last = db.prepare("SELECT hash FROM events WHERE chain = ? ORDER BY id DESC LIMIT 1").get(chain) as
    | { hash: string }
    | undefined;
  const row = {
    chain,
    case_id: ev.caseId,
    loan_id: ev.loanId ?? null,
    at: ev.at,
    type: ev.type,
    actor: ev.actor,
    message_id: ev.messageId ?? null,
    data: canonicalJson(ev.data ?? {}),
    prev_hash: last?.hash ?? GENESIS_HASH,
  };
  const hash = computeEventHash(row);
  const info = db
    .prepare(
      `INSERT INTO events (chain, case_id, loan_id, at, type, actor, message_id, data, prev_hash, hash)
       VALUES (@chain, @case_id, @loan_id, @at, @type, @actor, @message_id, @data, @prev_hash, @hash)`,
    )
    .run({ ...row, hash });
  // The chain's head and length move with it (verify --db tells a chain cut short from one that is whole).
  db.prepare(
    `INSERT INTO chain_heads (chain, head, events) VALUES (?, ?, 1)
     ON CONFLICT(chain) DO UPDATE SET head = excluded.head, events = events + 1`,
  ).run(chain, hash);
  return { id: Number(info.lastInsertRowid), ...row, hash };
}

/**
 * The hash of its message's bytes an event records, if it records one: `sha256` (`to_sha256` after an edit); a
 * `printed` event's sha256 is the PDF's, not the message's. The one rule for "what the chain says a message's
 * bytes are" (verify --db and a bundle's verify both read it).
 */
export function recordedMessageHash(type: string, data: Record<string, unknown>): string | undefined {
  if (type === "printed") return undefined;
  const h =
    typeof data.to_sha256 === "string" ? data.to_sha256 : typeof data.sha256 === "string" ? data.sha256 : undefined;
  return h !== undefined && /^[0-9a-f]{64}$/.test(h) ? h : undefined;
}

/** Events of one case in order, as stored (for chains and bundles; readers want readCaseEvents). */
export function listCaseEvents(db: Db, caseId: number): EventRow[] {
  return db.prepare("SELECT * FROM events WHERE chain = ? ORDER BY id").all(caseId) as EventRow[];
}

/**
 * The clocks' events of many cases, from the partial covering index events_clock_facts (migration 170) that holds
 * every column of exactly those events: a case's clock events are a tenth of its events, scattered among its
 * replies' `received` ones, and reading them from the table touched nearly every page of it. The IN list must be
 * the index's own, term for term, for SQLite to use it.
 */
export const CLOCK_EVENTS_OF_CASES_SQL = `SELECT * FROM events INDEXED BY events_clock_facts
  WHERE chain IN (SELECT value FROM json_each(?))
  AND type IN (${CLOCK_EVENT_TYPES.map((t) => `'${t}'`).join(", ")}) ORDER BY chain, id`;

/** readCaseEvents for many cases in one read, only their events of CLOCK_EVENT_TYPES: each case's in id order. */
export function readClockEventsOfCases(db: Db, caseIds: readonly number[]): Map<number, StoredEvent[]> {
  const rows = db.prepare(CLOCK_EVENTS_OF_CASES_SQL).all(JSON.stringify(caseIds)) as EventRow[];
  const out = new Map<number, StoredEvent[]>();
  for (const row of rows) {
    const list = out.get(row.chain);
    const e = parseEventRow(row);
    if (list) list.push(e);
    else out.set(row.chain, [e]);
  }
  return out;
}

/** An event read back: the stored row with its type and data parsed once into the typed union. */
export type StoredEvent = Omit<EventRow, "type" | "data"> & LogEvent;

/** Pair a type with its data: the one place where TypeScript cannot follow the correlation by itself. */
export function eventOf<T extends EventType>(type: T, data: EventDataByType[T]): LogEvent {
  return { type, data } as LogEvent;
}

/** Parse a stored row's data. Every row was written through appendEvent, so its data has its type's shape. */
export function parseEventRow(row: EventRow): StoredEvent {
  // Only an edit of the file outside loanmail makes a row unreadable: the user's to look into, not a crash.
  const unreadable = (why: string) =>
    new UserError(`event ${row.id} of the record ${why}`, {
      code: "EVENT_UNREADABLE",
      hint: "the database was changed outside loanmail; its verification names the first changed row",
    });
  if (!isEventType(row.type)) throw unreadable(`has a type this loanmail does not know: ${row.type}`);
  let data: unknown;
  try {
    data = JSON.parse(row.data);
  } catch {
    throw unreadable("has data that is not JSON");
  }
  if (data === null || typeof data !== "object") throw unreadable("has data that is not an object");
  // Written out rather than spread: a listing parses thousands, and a literal of fixed shape is several times faster.
  return {
    id: row.id,
    chain: row.chain,
    case_id: row.case_id,
    loan_id: row.loan_id,
    at: row.at,
    actor: row.actor,
    message_id: row.message_id,
    prev_hash: row.prev_hash,
    hash: row.hash,
    // Every row was written through appendEvent, so its data has its type's shape (as eventOf pairs them).
    type: row.type,
    data,
  } as StoredEvent;
}

/** Events of one case in order, typed. */
export function readCaseEvents(db: Db, caseId: number): StoredEvent[] {
  return listCaseEvents(db, caseId).map(parseEventRow);
}

export interface ChainReport {
  ok: boolean;
  checked: number;
  /** The first row whose link or hash does not match, if any. */
  broken?: { id: number; chain: number; reason: BrokenReason };
  /** A chain whose kept head or length (chain_heads) differs from its events: cut short, gone, or not kept. */
  cut?: { chain: number; detail: string };
}

/** The chain head an `exported` event says its bundle anchors, when its data is readable. */
function exportedHead(row: EventRow): { head: string; appendedSince: number | null } | undefined {
  if (row.type !== "exported") return undefined;
  try {
    const d = JSON.parse(row.data) as { chain_head?: unknown; appended_since?: unknown };
    if (typeof d.chain_head !== "string") return undefined;
    return { head: d.chain_head, appendedSince: typeof d.appended_since === "number" ? d.appended_since : null };
  } catch {
    return undefined;
  }
}

/**
 * Whether an `exported` event's recorded head is the chain as it stood when the bundle was made: the event just
 * before it, or as many before as the export recorded were appended while it wrote the bundle (`appended_since`).
 * An export of a release before that field only had to name an earlier event of its chain. Other events: true.
 * `earlier` holds the chain's hashes so far with their positions; `before` is how many events precede this one.
 */
function anchorsItsChain(row: EventRow, earlier: ReadonlyMap<string, number>, before: number): boolean {
  const anchored = exportedHead(row);
  if (anchored === undefined) return true;
  const at = earlier.get(anchored.head);
  if (at === undefined) return false;
  return anchored.appendedSince === null || at === before - anchored.appendedSince;
}

/**
 * How many events a chain holds after the one with hash `head` (all of them for the genesis hash): what an export
 * records as appended while it wrote its bundle (normally none).
 */
export function eventsAfterHead(db: Db, chain: number, head: string): number {
  return db
    .prepare(
      `SELECT count(*) FROM events WHERE chain = ?
         AND id > coalesce((SELECT id FROM events WHERE chain = ? AND hash = ?), 0)`,
    )
    .pluck()
    .get(chain, chain, head) as number;
}

/** Each chain's kept head and length against the chains walked. */
function checkKeptHeads(db: Db, walked: ReadonlyMap<number, { head: string; events: number }>): ChainReport["cut"] {
  const kept = db.prepare("SELECT chain, head, events FROM chain_heads ORDER BY chain").all() as {
    chain: number;
    head: string;
    events: number;
  }[];
  for (const k of kept) {
    const w = walked.get(k.chain);
    if (!w) return { chain: k.chain, detail: `all ${k.events} of its events are gone` };
    if (w.head !== k.head || w.events !== k.events)
      return {
        chain: k.chain,
        detail:
          w.events < k.events
            ? `it ends after ${w.events} events, but ${k.events} were recorded: its last ${k.events - w.events} are gone`
            : `it has ${w.events} events ending at ${w.head}, but ${k.events} ending at ${k.head} were recorded`,
      };
  }
  const keptChains = new Set(kept.map((k) => k.chain));
  for (const [chain, w] of walked)
    if (!keptChains.has(chain)) return { chain, detail: `its ${w.events} events were added outside loanmail` };
  return undefined;
}

/** Why a row fails the walk (verify-db.ts words each for the user). */
export type BrokenReason =
  | "link to previous event"
  | "content changed"
  | "exported head"
  | "missing event"
  | "purged event present"
  | "purged chain present";

/**
 * Walk every chain in the database and recompute each hash; an `exported` event must name as its chain head an
 * event before it in its chain; each chain must end at the head and length kept for it. Rows a purge removed
 * (src/store/purge-ledger.ts) are accepted exactly: a gap in chain 0 only where the purge's list of removed
 * chain-0 events bridges it, a whole chain gone only where a purge names it, an event id missing only where a
 * purge lists it; a purge naming an event still there, or a chain with events left from before it, fails.
 */
export function verifyChains(db: Db, progress?: Progress): ChainReport {
  progress?.start("events", db.prepare("SELECT count(*) FROM events").pluck().get() as number);
  try {
    const report = walkChains(db, progress);
    progress?.update(report.checked);
    return report;
  } finally {
    progress?.stop();
  }
}

/** verifyChains's walk, row by row in id order. */
function walkChains(db: Db, progress: Progress | undefined): ChainReport {
  const ledger = readPurgeLedger(db);
  const heads = new Map<number, { head: string; events: number }>();
  /** Each chain's event hashes so far, with their position in it (the genesis hash at 0). */
  const seen = new Map<number, Map<string, number>>();
  let checked = 0;
  let lastId = 0;
  let lastChain0 = 0;
  let bridged = 0;
  let firstGap: number | undefined;
  const fail = (id: number, chain: number, reason: BrokenReason): ChainReport => ({
    ok: false,
    checked,
    broken: { id, chain, reason },
  });
  for (const row of db.prepare("SELECT * FROM events ORDER BY id").iterate() as IterableIterator<EventRow>) {
    for (let gap = lastId + 1; gap < row.id && firstGap === undefined; gap++)
      if (!ledger.accountsFor(gap)) firstGap = gap;
    lastId = row.id;
    if (ledger.accountsFor(row.id)) return fail(row.id, row.chain, "purged event present");
    const expectedPrev = heads.get(row.chain)?.head ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      const n = row.chain === 0 ? ledger.bridge(expectedPrev, row.prev_hash, lastChain0, row.id) : -1;
      if (n < 0) return fail(row.id, row.chain, "link to previous event");
      bridged += n;
    }
    const { id: _id, hash, ...rest } = row;
    if (computeEventHash(rest) !== hash) return fail(row.id, row.chain, "content changed");
    const before = heads.get(row.chain)?.events ?? 0;
    const earlier = seen.get(row.chain) ?? new Map<string, number>([[GENESIS_HASH, 0]]);
    if (!anchorsItsChain(row, earlier, before)) return fail(row.id, row.chain, "exported head");
    earlier.set(hash, before + 1);
    seen.set(row.chain, earlier);
    heads.set(row.chain, { head: hash, events: before + 1 });
    if (row.chain === 0) lastChain0 = row.id;
    checked++;
    if (checked % 256 === 0) progress?.update(checked);
    // A purge removed these chains whole: none of their events may remain, and a chain of that number begun
    // later (a new client given the same id) starts again from the genesis hash.
    for (const chain of ledger.chainsAt.get(row.id) ?? []) {
      if (heads.has(chain)) return fail(row.id, chain, "purged chain present");
      seen.delete(chain);
    }
  }
  const zero = heads.get(0);
  if (zero) heads.set(0, { ...zero, events: zero.events + bridged });
  const cut = checkKeptHeads(db, heads);
  if (cut) return { ok: false, checked, cut };
  return firstGap === undefined ? { ok: true, checked } : fail(firstGap, -1, "missing event");
}

/** Append an event to a case's own chain, naming the case's loan: how most commands record what they did. */
export function appendCaseEvent(
  db: Db,
  c: { id: number; loanId: number },
  ev: Omit<EventPlace, "caseId" | "loanId"> & LogEvent,
): EventRow {
  return appendEvent(db, { ...ev, caseId: c.id, loanId: c.loanId });
}
