/**
 * Walking events.jsonl (a bundle's copy of the hash chains) line by line: each line's hash recomputed, each link
 * to the line before it in its chain, and the hash of its raw bytes each event records for a message.
 */
import { computeEventHash, type EventRow, GENESIS_HASH } from "../store/events.js";

export interface Finding {
  /** The file (path inside the zip) or event the finding is about. */
  subject: string;
  ok: boolean;
  detail: string;
}

export interface ChainWalk {
  findings: Finding[];
  events: number;
  heads: Map<number, string>;
  /** The last raw-bytes hash the chain records for each message row (composed, queued, sent, edited, ...). */
  messageHashes: Map<number, { sha256: string; event: number }>;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Walk events.jsonl: each line's hash recomputed, each link to the line before it in its chain. */
export function walkEventLines(text: string, caseTags: ReadonlyMap<number, string>): ChainWalk {
  const findings: Finding[] = [];
  const heads = new Map<number, string>();
  const messageHashes = new Map<number, { sha256: string; event: number }>();
  let events = 0;
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  lines.forEach((line, i) => {
    const where = `events.jsonl line ${i + 1}`;
    let row: EventRow;
    try {
      row = JSON.parse(line) as EventRow;
    } catch {
      findings.push({ subject: where, ok: false, detail: "not valid JSON (the line was changed)" });
      return;
    }
    const label = `event ${row.id} (${where}${caseTags.get(row.chain) ? `, case ${caseTags.get(row.chain)}` : ""})`;
    if (
      typeof row.chain !== "number" ||
      typeof row.data !== "string" ||
      typeof row.hash !== "string" ||
      typeof row.prev_hash !== "string"
    ) {
      findings.push({ subject: label, ok: false, detail: "missing or mistyped fields" });
      return;
    }
    const expectedPrev = heads.get(row.chain) ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      findings.push({
        subject: label,
        ok: false,
        detail: `its link to the previous event is broken (prev_hash ${row.prev_hash}, previous event's hash ${expectedPrev})`,
      });
    }
    const { id: _id, hash, ...rest } = row;
    const recomputed = computeEventHash(rest);
    if (recomputed !== hash) {
      findings.push({
        subject: label,
        ok: false,
        detail: `its content does not match its hash (recorded ${hash}, content hashes to ${recomputed})`,
      });
    }
    // Continue the walk from the recorded hash so that one changed event is reported once, not at every later link.
    heads.set(row.chain, hash);
    events++;
    if (row.message_id !== null && typeof row.message_id === "number") {
      try {
        const d = JSON.parse(row.data) as Record<string, unknown>;
        // Events that name a message record its raw bytes' hash as sha256 (to_sha256 after an edit).
        const h = typeof d.to_sha256 === "string" ? d.to_sha256 : typeof d.sha256 === "string" ? d.sha256 : undefined;
        if (h && HEX64.test(h)) messageHashes.set(row.message_id, { sha256: h, event: row.id });
      } catch {
        // data that is not JSON records no hash
      }
    }
  });
  return { findings, events, heads, messageHashes };
}
