/**
 * A sync's messages parsed on a thread of their own (issue 13). postal-mime decodes every part line by line in
 * JavaScript: over the bench's 1,030 servicer letters (20 MB, mostly PDF attachments, 0.6 MB of text) a third of
 * the main thread's time, queued behind the IMAP client, the classifier and the store. On its own thread it
 * parses one group while the main thread classifies, files and commits the group before. The thread runs the same
 * parseMail; where it cannot run (the sources run by a test, without the compiled worker file) or stops, messages
 * are parsed on this thread.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { type MessageParser, type ParsedMail, parseMail } from "../mail/parse.js";

/** The compiled worker beside this module (dist/app/, or the bundle's folder); absent when run from sources. */
const WORKER_FILE = new URL("./parsing-thread-worker.js", import.meta.url);

/** The parser of a sync: on the parsing thread while `onThread`, else here. */
export interface ParsingThread {
  parse: MessageParser;
  /** Whether messages go to the thread: false when run from the sources, or once the thread failed or stopped. */
  readonly onThread: boolean;
  /** Stop the thread: what it was parsing, and everything after, is parsed here. */
  close(): Promise<void>;
}

/** Start the parsing thread, or parse on this one when the worker file is not there. */
export function startParsingThread(): ParsingThread {
  const here = { parse: parseMail, onThread: false, close: async () => undefined };
  if (!existsSync(fileURLToPath(WORKER_FILE))) return here;
  let worker: Worker;
  try {
    // Not the options this process was started with: under `--input-type=module -e` (a script that runs the
    // command line) the worker refused to start, and every message was parsed here after all.
    worker = new Worker(WORKER_FILE, { execArgv: [] });
  } catch {
    return here; // a runtime that refuses threads: the same parse, here
  }
  const pending = new Map<number, { raw: Buffer; resolve: (m: ParsedMail) => void }>();
  let nextId = 0;
  let broken = false;
  const settle = (id: number, m: ParsedMail) => {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    if (pending.size === 0) worker.unref();
    p.resolve(m);
  };
  /** A message the thread did not parse, parsed here. */
  const parseHere = (id: number, raw: Buffer) => void parseMail(raw).then((m) => settle(id, m));
  // A thread that fails (out of memory on a hostile message, say) leaves its messages to be parsed here.
  const fallBack = () => {
    broken = true;
    for (const [id, p] of pending) parseHere(id, p.raw);
  };
  worker.on("message", (m: { id: number; parsed: ParsedMail | null }) => {
    const p = pending.get(m.id);
    if (m.parsed) settle(m.id, revive(m.parsed));
    else if (p) parseHere(m.id, p.raw); // the thread could not send this parse back
  });
  worker.on("error", fallBack);
  worker.on("exit", fallBack);
  // The thread holds the process only while it has work: a command that ends does not wait for it. (After the
  // listeners: adding a "message" listener holds the process again.)
  worker.unref();
  const parse: MessageParser = (raw) => {
    if (broken) return parseMail(raw);
    const id = nextId++;
    return new Promise<ParsedMail>((resolve) => {
      pending.set(id, { raw, resolve });
      if (pending.size === 1) worker.ref();
      // A copy of the message's own bytes is moved (a source may share a larger buffer with others).
      const copy = new Uint8Array(raw);
      worker.postMessage({ id, raw: copy }, [copy.buffer]);
    });
  };
  return {
    parse,
    get onThread() {
      return !broken;
    },
    close: async () => {
      broken = true;
      await worker.terminate();
    },
  };
}

/** Attachments arrive as Uint8Arrays: Buffers again, over the same memory. */
function revive(parsed: ParsedMail): ParsedMail {
  const attachments = parsed.attachments.map((a) => ({
    ...a,
    data: Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength),
  }));
  return { ...parsed, attachments };
}
