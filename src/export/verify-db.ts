/** Checking the chains inside a database (`verify --db`), and the stored bytes' hashes, one row at a time. */
import { createHash } from "node:crypto";
import type { Progress } from "../domain/progress.js";
import type { Db } from "../store/db.js";
import { type BrokenReason, verifyChains } from "../store/events.js";
import { countEventChains, listBlobHashes, listMessageHashes } from "../store/evidence.js";
import { findMessageRaw, getBlob } from "../store/messages.js";

export interface DbReport {
  ok: boolean;
  events: number;
  chains: number;
  messages: number;
  blobs: number;
  first: { subject: string; detail: string } | null;
}

const BROKEN_TEXT: Record<BrokenReason, string> = {
  "content changed": "its content does not match its hash",
  "exported head": "the chain head it says its bundle anchors is not the head its chain had when the bundle was made",
  "link to previous event": "its link to the previous event is broken",
  "missing event": "it is missing, and no purge in the agency log (client log) removed it",
  "purged event present": "a purge in the agency log says it removed this event, but it is still there",
  "purged chain present": "this purge says it removed a chain whose earlier events are still there",
};

type MessageVisit = (id: number, raw: Buffer) => Promise<void>;

/**
 * Walk every event chain in the database, then check each stored message's and file's bytes against their
 * stored SHA-256 (one row at a time).
 */
export function verifyDatabase(db: Db, tagOf: (caseId: number) => string | undefined, progress?: Progress): DbReport {
  const pass = new StoredPass(db, tagOf, progress);
  const chainFailure = pass.chains();
  if (chainFailure) return chainFailure;
  for (const m of pass.messageList()) {
    const raw = pass.message(m);
    if (!raw) return pass.failure;
  }
  return pass.files();
}

/**
 * verifyDatabase, with `visit` given each message's bytes once their hash matched: the facts of verify --db are
 * checked on that same read, so each message's bytes are read from the database once (and held one at a time).
 */
export async function verifyDatabaseReading(
  db: Db,
  tagOf: (caseId: number) => string | undefined,
  visit: MessageVisit,
  progress?: Progress,
): Promise<DbReport> {
  const pass = new StoredPass(db, tagOf, progress);
  const chainFailure = pass.chains();
  if (chainFailure) return chainFailure;
  for (const m of pass.messageList()) {
    const raw = pass.message(m);
    if (!raw) return pass.failure;
    await visit(m.id, raw);
  }
  return pass.files();
}

const hashOf = (b: Buffer) => createHash("sha256").update(b).digest("hex");
// A row listed a moment ago cannot vanish within this check unless the file is changed under it.
const vanished = (what: string) => new Error(`${what} disappeared from the database during the check`);

/** The steps of the check, in order: the chains, each stored message, then each stored file. */
class StoredPass {
  private events = 0;
  private chainCount = 0;
  private messages = 0;
  /** The report of the first mismatch found (set when message() gives null). */
  failure: DbReport = { ok: false, events: 0, chains: 0, messages: 0, blobs: 0, first: null };

  constructor(
    private readonly db: Db,
    private readonly tagOf: (caseId: number) => string | undefined,
    private readonly progress: Progress | undefined,
  ) {}

  private mismatch(subject: string, detail: string, blobs = 0): DbReport {
    const { events, chainCount: chains, messages } = this;
    return { ok: false, events, chains, messages, blobs, first: { subject, detail } };
  }

  /** Walk every chain; the report when one is broken, else undefined. */
  chains(): DbReport | undefined {
    this.chainCount = countEventChains(this.db);
    const chainReport = verifyChains(this.db, this.progress);
    this.events = chainReport.checked;
    const chainName = (chain: number) =>
      chain === 0 ? "no case (chain 0)" : chain < 0 ? `client ${-chain}` : (this.tagOf(chain) ?? `case ${chain}`);
    if (!chainReport.ok && chainReport.broken) {
      const b = chainReport.broken;
      return this.mismatch(
        b.chain === -1 ? `event ${b.id}` : `event ${b.id} (${chainName(b.chain)})`,
        BROKEN_TEXT[b.reason],
      );
    }
    if (!chainReport.ok && chainReport.cut)
      return this.mismatch(`chain of ${chainName(chainReport.cut.chain)}`, chainReport.cut.detail);
    return undefined;
  }

  /** Every message's id and stored hash (without the bytes), with the progress stage started. */
  messageList(): { id: number; rawSha256: string }[] {
    const hashes = listMessageHashes(this.db);
    this.progress?.start("stored messages", hashes.length);
    return hashes;
  }

  /** One message's bytes when they match its stored hash; null (the mismatch in `failure`) when not. */
  message(m: { id: number; rawSha256: string }): Buffer | null {
    const raw = findMessageRaw(this.db, m.id);
    if (!raw) throw vanished(`message ${m.id}`);
    this.messages++;
    this.progress?.update(this.messages);
    if (hashOf(raw) === m.rawSha256) return raw;
    this.progress?.stop();
    this.failure = this.mismatch(`message ${m.id}`, "its stored bytes do not match its stored SHA-256");
    return null;
  }

  /** Each stored file against the hash it is stored under (after the messages); the final report. */
  files(): DbReport {
    this.progress?.stop(); // the messages' stage
    let blobs = 0;
    const blobHashes = listBlobHashes(this.db);
    this.progress?.start("stored files", blobHashes.length);
    for (const sha of blobHashes) {
      blobs++;
      this.progress?.update(blobs);
      const data = getBlob(this.db, sha);
      if (!data) throw vanished(`file ${sha}`);
      if (hashOf(data) !== sha) {
        this.progress?.stop();
        return this.mismatch(`file ${sha}`, "its stored bytes do not match the hash it is stored under", blobs);
      }
    }
    this.progress?.stop();
    const { events, chainCount: chains, messages } = this;
    return { ok: true, events, chains, messages, blobs, first: null };
  }
}
