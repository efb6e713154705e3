/**
 * The parsing thread (parsing-thread.ts starts it): each message's bytes in, its parse out (parseMail, which never
 * rejects), the attachments' memory handed over rather than copied.
 */
import { parentPort } from "node:worker_threads";
import { parseMail } from "../mail/parse.js";
import { freeDeadBuffers } from "./dead-buffers.js";

/**
 * One message at a time, in the order they came: parsed side by side, each would hold its parts' buffers until the
 * last finished (a group's worth of memory at once).
 */
let queue: Promise<void> = Promise.resolve();

parentPort?.on("message", (req: { id: number; raw: Uint8Array }) => {
  // A message whose parse cannot be sent back (it cannot be copied, say) is parsed by the main thread instead; the
  // messages after it go on.
  queue = queue.then(() => answer(req.id, req.raw)).catch(() => parentPort?.postMessage({ id: req.id, parsed: null }));
});

/** Memory figures are looked at once this many bytes have come in (reading them costs a system call). */
const CHECK_AFTER_BYTES = 2 * 1024 * 1024;
let sinceCheck = 0;

async function answer(id: number, raw: Uint8Array): Promise<void> {
  const parsed = await parseMail(Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength));
  // An attachment that owns its whole memory is moved to the main thread; one in Node's shared pool (a small
  // part) is copied.
  const moved = parsed.attachments
    .map((a) => a.data)
    .filter((d) => d.byteOffset === 0 && d.byteLength === d.buffer.byteLength)
    .map((d) => d.buffer as ArrayBuffer);
  parentPort?.postMessage({ id, parsed }, [...new Set(moved)]);
  // This thread's dead buffers (each message's bytes, its decoded parts) are freed as the main thread's are.
  sinceCheck += raw.byteLength;
  if (sinceCheck >= CHECK_AFTER_BYTES) {
    sinceCheck = 0;
    freeDeadBuffers();
  }
}
