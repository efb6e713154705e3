/**
 * What the purges recorded on chain 0 account for (`client-purged` events, src/store/purge.ts), as verifyChains
 * needs it: the event ids they removed, the chain-0 links they bridge, the whole chains they removed. A gap a
 * purge does not account for, or a purge that names a row still there, is a finding (docs/ARCHITECTURE.md,
 * "The record").
 */
import type { Db } from "./db.js";
import type { EventRow } from "./events.js";

interface RemovedChain0 {
  id: number;
  hash: string;
}

export class PurgeLedger {
  /** Removed event id -> the purge event that removed it. */
  readonly removedIds = new Map<number, number>();
  /** Removed chain-0 events by the hash they linked to. */
  private readonly chain0ByPrev = new Map<string, RemovedChain0>();
  /** The purge event id -> the chains (other than 0) it removed. */
  readonly chainsAt = new Map<number, number[]>();
  /** Removed message id -> the purge event that removed it. */
  readonly removedMessages = new Map<number, number>();

  /** Whether an id missing from the events table is one a purge removed. */
  accountsFor(id: number): boolean {
    return this.removedIds.has(id);
  }

  /**
   * Bridge a gap in chain 0: follow removed events from `from` (the last hash walked) to `to` (the prev_hash of
   * the row found), each with an id between `afterId` and `beforeId`. Returns how many were bridged, or -1.
   */
  bridge(from: string, to: string, afterId: number, beforeId: number): number {
    let cur = from;
    let n = 0;
    while (cur !== to) {
      const r = this.chain0ByPrev.get(cur);
      if (!r || r.id <= afterId || r.id >= beforeId) return -1;
      cur = r.hash;
      afterId = r.id;
      n++;
    }
    return n;
  }

  add(purgeId: number, data: unknown): void {
    if (data === null || typeof data !== "object") return;
    const d = data as { chain0?: unknown; chains?: unknown; messages?: unknown };
    const runs = (v: unknown): [number, number][] =>
      Array.isArray(v) ? v.filter((r): r is [number, number] => Array.isArray(r) && r.length === 2) : [];
    const each = (v: unknown, fn: (id: number) => void) => {
      for (const [a, b] of runs(v)) {
        if (!Number.isInteger(a) || !Number.isInteger(b) || b < a) continue;
        for (let id = a; id <= b && id < purgeId; id++) fn(id);
      }
    };
    if (Array.isArray(d.chain0)) {
      for (const e of d.chain0 as { id?: unknown; prev_hash?: unknown; hash?: unknown }[]) {
        if (typeof e.id !== "number" || typeof e.prev_hash !== "string" || typeof e.hash !== "string") continue;
        if (e.id >= purgeId) continue;
        this.removedIds.set(e.id, purgeId);
        this.chain0ByPrev.set(e.prev_hash, { id: e.id, hash: e.hash });
      }
    }
    const chains: number[] = [];
    if (Array.isArray(d.chains)) {
      for (const c of d.chains as { chain?: unknown; ids?: unknown }[]) {
        if (typeof c.chain !== "number" || c.chain === 0) continue;
        chains.push(c.chain);
        each(c.ids, (id) => this.removedIds.set(id, purgeId));
      }
    }
    this.chainsAt.set(purgeId, chains);
    each(d.messages, (id) => this.removedMessages.set(id, purgeId));
  }
}

/** The purges recorded in the database (their data as stored; an unreadable one accounts for nothing). */
export function readPurgeLedger(db: Db): PurgeLedger {
  const ledger = new PurgeLedger();
  const rows = db
    .prepare("SELECT id, data FROM events WHERE chain = 0 AND type = 'client-purged' ORDER BY id")
    .all() as Pick<EventRow, "id" | "data">[];
  for (const r of rows) {
    try {
      ledger.add(r.id, JSON.parse(r.data));
    } catch {
      // data that is not JSON accounts for nothing; the chain walk reports the changed row
    }
  }
  return ledger;
}

/** A purge as recorded, for checking a bundle of a purged client against the database. */
export interface PurgeRecord {
  id: number;
  at: string;
  manifestSha256: string | null;
  chains: { chain: number; head: string; events: number }[];
}

/** Every purge in the agency log (an unreadable one is left out; the chain walk reports it). */
export function listPurgeRecords(db: Db): PurgeRecord[] {
  const rows = db
    .prepare("SELECT id, at, data FROM events WHERE chain = 0 AND type = 'client-purged' ORDER BY id")
    .all() as Pick<EventRow, "id" | "at" | "data">[];
  const out: PurgeRecord[] = [];
  for (const r of rows) {
    try {
      const d = JSON.parse(r.data) as { export?: { manifest_sha256?: unknown } | null; chains?: unknown };
      const chains = Array.isArray(d.chains) ? (d.chains as PurgeRecord["chains"]) : [];
      const m = d.export?.manifest_sha256;
      out.push({ id: r.id, at: r.at, manifestSha256: typeof m === "string" ? m : null, chains });
    } catch {
      // not JSON: accounts for nothing
    }
  }
  return out;
}
