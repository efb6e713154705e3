/**
 * Walking events.jsonl (a bundle's copy of the hash chains) line by line: each line's hash recomputed, each link
 * to the line before it in its chain, and the hash of its raw bytes each event records for a message.
 */
import { computeEventHash, type EventRow, GENESIS_HASH, recordedMessageHash } from "../store/events.js";

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
  /**
   * Files the chain records by their name and hash: a letter's exhibits (composed, edited), proof of mailing
   * (mail-proof), the PDFs printed of a letter (printed, by message) and a paper reply's scan (received, by
   * message). A bundle's copy must be one of them.
   */
  files: RecordedFiles;
}

export interface RecordedFiles {
  byName: Map<string, { sha256: string; event: number }[]>;
  printed: Map<number, { sha256: string; event: number }[]>;
  /** The scan of a reply recorded by hand (`received CASE`), by its message. */
  scans: Map<number, { sha256: string; event: number }[]>;
}

/** What one event records of the files that go with its message. */
function recordFiles(row: EventRow, d: Record<string, unknown>, files: RecordedFiles): void {
  const add = <K>(map: Map<K, { sha256: string; event: number }[]>, key: K, sha256: unknown) => {
    if (typeof sha256 !== "string" || !HEX64.test(sha256)) return;
    map.set(key, [...(map.get(key) ?? []), { sha256, event: row.id }]);
  };
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]) : []);
  if (row.type === "composed" || row.type === "edited")
    for (const x of list(d.exhibits)) if (typeof x.file === "string") add(files.byName, x.file, x.sha256);
  if (row.type === "mail-proof")
    for (const x of list(d.files)) if (typeof x.name === "string") add(files.byName, x.name, x.sha256);
  if (row.type === "printed" && typeof row.message_id === "number") add(files.printed, row.message_id, d.sha256);
  if (row.type === "received" && typeof row.message_id === "number") add(files.scans, row.message_id, d.scan_sha256);
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Walk events.jsonl: each line's hash recomputed, each link to the line before it in its chain. */
export function walkEventLines(text: string, caseTags: ReadonlyMap<number, string>): ChainWalk {
  const findings: Finding[] = [];
  const heads = new Map<number, string>();
  const messageHashes = new Map<number, { sha256: string; event: number }>();
  const files: RecordedFiles = { byName: new Map(), printed: new Map(), scans: new Map() };
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
        recordFiles(row, d, files);
        const h = recordedMessageHash(row.type, d);
        if (h) messageHashes.set(row.message_id, { sha256: h, event: row.id });
      } catch {
        // data that is not JSON records no hash
      }
    }
  });
  return { findings, events, heads, messageHashes, files };
}
