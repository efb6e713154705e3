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
  "exported head": "the chain head it says its bundle anchors is not an event before it in its chain",
  "link to previous event": "its link to the previous event is broken",
  "missing event": "it is missing, and no purge in the agency log (client log) removed it",
  "purged event present": "a purge in the agency log says it removed this event, but it is still there",
  "purged chain present": "this purge says it removed a chain whose earlier events are still there",
};

/**
 * Walk every event chain in the database, then check each stored message's and file's bytes against their
 * stored SHA-256 (one row at a time).
 */
export function verifyDatabase(db: Db, tagOf: (caseId: number) => string | undefined, progress?: Progress): DbReport {
  const chains = countEventChains(db);
  const chainReport = verifyChains(db, progress);
  const chainName = (chain: number) =>
    chain === 0 ? "no case (chain 0)" : chain < 0 ? `client ${-chain}` : (tagOf(chain) ?? `case ${chain}`);
  const mismatch = (subject: string, detail: string): DbReport => ({
    ok: false,
    events: chainReport.checked,
    chains,
    messages: 0,
    blobs: 0,
    first: { subject, detail },
  });
  if (!chainReport.ok && chainReport.broken) {
    const b = chainReport.broken;
    return mismatch(b.chain === -1 ? `event ${b.id}` : `event ${b.id} (${chainName(b.chain)})`, BROKEN_TEXT[b.reason]);
  }
  if (!chainReport.ok && chainReport.cut)
    return mismatch(`chain of ${chainName(chainReport.cut.chain)}`, chainReport.cut.detail);
  const hashOf = (b: Buffer) => createHash("sha256").update(b).digest("hex");
  // A row listed a moment ago cannot vanish within this check unless the file is changed under it.
  const vanished = (what: string) => new Error(`${what} disappeared from the database during the check`);
  let messages = 0;
  const hashes = listMessageHashes(db);
  progress?.start("stored messages", hashes.length);
  for (const m of hashes) {
    const raw = findMessageRaw(db, m.id);
    if (!raw) throw vanished(`message ${m.id}`);
    messages++;
    progress?.update(messages);
    if (hashOf(raw) !== m.rawSha256) {
      progress?.stop();
      return {
        ok: false,
        events: chainReport.checked,
        chains,
        messages,
        blobs: 0,
        first: { subject: `message ${m.id}`, detail: "its stored bytes do not match its stored SHA-256" },
      };
    }
  }
  progress?.stop();
  let blobs = 0;
  const blobHashes = listBlobHashes(db);
  progress?.start("stored files", blobHashes.length);
  for (const sha of blobHashes) {
    blobs++;
    progress?.update(blobs);
    const data = getBlob(db, sha);
    if (!data) throw vanished(`file ${sha}`);
    if (hashOf(data) !== sha) {
      progress?.stop();
      return {
        ok: false,
        events: chainReport.checked,
        chains,
        messages,
        blobs,
        first: { subject: `file ${sha}`, detail: "its stored bytes do not match the hash it is stored under" },
      };
    }
  }
  progress?.stop();
  return { ok: true, events: chainReport.checked, chains, messages, blobs, first: null };
}
