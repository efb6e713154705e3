/**
 * Walking events.jsonl (a bundle's copy of the hash chains) line by line: each line's hash recomputed, each link
 * to the line before it in its chain, and the hash of its raw bytes each event records for a message.
 */
import { StringDecoder } from "node:string_decoder";
import { computeEventHash, type EventRow, GENESIS_HASH, recordedMessageHash } from "../store/events.js";
import { digestEntry, type OpenZip, type ZipEntry, ZipFormatError } from "./zip-reader.js";

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

/**
 * Walk events.jsonl line by line as it is read (a bundle's copy may be hundreds of megabytes; it is never held
 * whole): each line's hash recomputed, each link to the line before it in its chain.
 */
/** How many findings of events.jsonl are listed one by one. */
const MAX_LISTED = 1000;

export class EventLineWalker {
  private readonly walk: ChainWalk = {
    findings: [],
    events: 0,
    heads: new Map(),
    messageHashes: new Map(),
    files: { byName: new Map(), printed: new Map(), scans: new Map() },
  };
  private lineNo = 0;
  /** Findings past MAX_LISTED, counted: a changed file of a million bad lines must not hold a million findings. */
  private unlisted = 0;
  constructor(private readonly caseTags: ReadonlyMap<number, string>) {}

  private fail(subject: string, detail: string): void {
    if (this.walk.findings.length < MAX_LISTED) this.walk.findings.push({ subject, ok: false, detail });
    else this.unlisted++;
  }

  /** A line too long to be an event: reported, not parsed. */
  tooLong(limit: number): void {
    this.lineNo++;
    this.fail(`events.jsonl line ${this.lineNo}`, `longer than ${limit} bytes: not an event (the line was changed)`);
  }

  line(line: string): void {
    this.lineNo++;
    const { heads, messageHashes, files } = this.walk;
    const where = `events.jsonl line ${this.lineNo}`;
    let row: EventRow;
    try {
      row = JSON.parse(line) as EventRow;
    } catch {
      this.fail(where, "not valid JSON (the line was changed)");
      return;
    }
    const tag = this.caseTags.get(row.chain);
    const label = `event ${row.id} (${where}${tag ? `, case ${tag}` : ""})`;
    if (
      typeof row.chain !== "number" ||
      typeof row.data !== "string" ||
      typeof row.hash !== "string" ||
      typeof row.prev_hash !== "string"
    ) {
      this.fail(label, "missing or mistyped fields");
      return;
    }
    const expectedPrev = heads.get(row.chain) ?? GENESIS_HASH;
    if (row.prev_hash !== expectedPrev) {
      const detail = `its link to the previous event is broken (prev_hash ${row.prev_hash}, previous event's hash ${expectedPrev})`;
      this.fail(label, detail);
    }
    const { id: _id, hash, ...rest } = row;
    const recomputed = computeEventHash(rest);
    if (recomputed !== hash) {
      this.fail(label, `its content does not match its hash (recorded ${hash}, content hashes to ${recomputed})`);
    }
    // Continue the walk from the recorded hash so that one changed event is reported once, not at every later link.
    heads.set(row.chain, hash);
    this.walk.events++;
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
  }

  result(): ChainWalk {
    if (this.unlisted > 0) {
      const detail = `${this.unlisted} more findings in events.jsonl, not listed (the first ${MAX_LISTED} are)`;
      this.walk.findings.push({ subject: "events.jsonl", ok: false, detail });
      this.unlisted = 0;
    }
    return this.walk;
  }
}

/** Walk a whole events.jsonl held as text (tests, and small copies). */
export function walkEventLines(text: string, caseTags: ReadonlyMap<number, string>): ChainWalk {
  const walker = new EventLineWalker(caseTags);
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  for (const line of lines) walker.line(line);
  return walker.result();
}

/** No event line is near this long; a longer one is reported without being held. */
const MAX_EVENT_LINE = 16 * 1024 * 1024;

/** events.jsonl walked as it inflates, line by line: memory stays at one line, whatever the entry's size. */
export async function walkEventEntry(
  zip: OpenZip,
  e: ZipEntry,
  caseTags: ReadonlyMap<number, string>,
  cap: number,
): Promise<ChainWalk> {
  if (e.size > cap) throw new ZipFormatError(`${e.name} is larger than ${cap} bytes`);
  const walker = new EventLineWalker(caseTags);
  const decoder = new StringDecoder("utf8");
  let pending = "";
  let skipping = false; // inside a line already reported as too long
  const take = (text: string) => {
    let from = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", from)) {
      if (skipping) skipping = false;
      else walker.line(pending + text.slice(from, nl));
      pending = "";
      from = nl + 1;
    }
    if (skipping) return;
    pending += text.slice(from);
    if (pending.length > MAX_EVENT_LINE) {
      walker.tooLong(MAX_EVENT_LINE);
      pending = "";
      skipping = true;
    }
  };
  await digestEntry(zip, e, (chunk) => take(decoder.write(chunk)));
  take(decoder.end());
  if (pending !== "" && !skipping) walker.line(pending);
  return walker.result();
}
