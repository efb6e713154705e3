/**
 * Returning the memory of dead buffers during a long pass over messages: a sync's groups, an export's parts.
 *
 * A message's bytes live in Buffers whose memory sits outside the JavaScript heap. A group's sources are held
 * while the next group downloads, so they outlive two young-generation collections and move to the old
 * generation; dead there, they are freed only by a full collection, which V8 starts by the growth of its own heap
 * (small: a Buffer's object is a few bytes) or when outside memory passes a limit of its own (about 64 MB). A first
 * sync of 1,030 messages held 50 MB of such dead buffers at its end (measured: 57 MB of ArrayBuffers before a full
 * collection, 7 MB after). A full collection of the ingest's live heap (about 25 MB) takes a few milliseconds, so
 * one is asked for whenever the buffers outside the heap have grown by FREE_AFTER_BYTES since the last: a few per
 * thousand messages.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/** Outside-heap growth (ArrayBuffers) after which a full collection is asked for. */
const FREE_AFTER_BYTES = 12 * 1024 * 1024;

let collect: (() => void) | null | undefined;

/**
 * V8's own collector, made reachable once: `--expose-gc` is set for contexts created after it (the main context,
 * already made, does not get `gc`), and a new context hands its `gc` back. Null when the runtime refuses.
 */
function collector(): (() => void) | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString("--expose-gc");
    const gc = runInNewContext("gc") as unknown;
    collect = typeof gc === "function" ? () => (gc as () => void)() : null;
  } catch {
    collect = null;
  }
  return collect;
}

let baseline = 0;

/** Call after a group of messages is committed and its buffers dropped: frees them when they have piled up. */
export function freeDeadBuffers(afterBytes = FREE_AFTER_BYTES): void {
  const outside = process.memoryUsage().arrayBuffers;
  if (outside - baseline < afterBytes) return;
  const gc = collector();
  if (!gc) return;
  gc();
  baseline = process.memoryUsage().arrayBuffers;
}

/**
 * For an export, which holds little but the parts it streams (2 MB each): freed every 6 MB. Its heap is small, so
 * each collection is quick; the 318 MB case's export peaked at 138 to 145 MB this way, 145 to 154 MB at 12 MB.
 */
export function freeDeadExportParts(): void {
  freeDeadBuffers(6 * 1024 * 1024);
}
