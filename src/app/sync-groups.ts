/** Splitting a batch of UIDs so that the message sources held in memory before a commit stay small. */
import type { PlanDecision } from "../domain/sync-plan.js";

/** At most this many bytes of message sources are downloaded and held before a commit. */
const GROUP_BYTES = 32 * 1024 * 1024;
const GROUP_MESSAGES = 50;

interface UidGroup {
  first: number;
  last: number;
  count: number;
  keep: number[];
}

/** Split a batch of UIDs, in order, into groups whose kept messages stay under the byte and count limits. */
export function groupBySize(
  batch: readonly number[],
  summaries: readonly { uid: number; size: number }[],
  decisions: ReadonlyMap<number, PlanDecision>,
): UidGroup[] {
  const sizes = new Map(summaries.map((s) => [s.uid, s.size]));
  const groups: UidGroup[] = [];
  let current: UidGroup | undefined;
  let bytes = 0;
  for (const uid of batch) {
    if (!current) {
      current = { first: uid, last: uid, count: 0, keep: [] };
      bytes = 0;
    }
    current.last = uid;
    current.count++;
    // Our own letter's copy is downloaded too: it is recognised by its bytes, never by its Message-ID alone.
    const action = decisions.get(uid)?.action;
    if (action === "keep" || action === "own-copy") {
      current.keep.push(uid);
      bytes += sizes.get(uid) ?? 0;
    }
    if (bytes >= GROUP_BYTES || current.keep.length >= GROUP_MESSAGES) {
      groups.push(current);
      current = undefined;
    }
  }
  if (current) groups.push(current);
  return groups;
}
