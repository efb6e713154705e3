/**
 * Every fact shown, against the chain (`verify --db`, after the chains and hashes of export/verify-db.ts): each
 * message's stored hash must be the one its last content event recorded (so bytes changed together with their
 * hash are caught); a reply's class and case must be what its `received`, `classified` and `filed` events say; its
 * arrival what its `received` event recorded; and a mail reply's subject, text and Date what its own bytes say
 * when parsed again. A message no event names, or an event naming a message that is gone, is a finding too,
 * except a message a purge in the agency log removed (src/store/purge-ledger.ts); a message a purge says it
 * removed that is still there, with events from before the purge, is a finding.
 */
import type { Progress } from "../domain/progress.js";
import type { MessageParser } from "../mail/parse.js";
import type { Db } from "../store/db.js";
import { type EventRow, parseEventRow, recordedMessageHash, type StoredEvent } from "../store/events.js";
import {
  type AttachmentFact,
  findMessageFacts,
  listAttachmentFacts,
  listMessageEvents,
  listMessageFacts,
  type MessageFacts,
} from "../store/evidence.js";
import { readPurgeLedger } from "../store/purge-ledger.js";

export interface RecordFinding {
  subject: string;
  detail: string;
}

/** What the events say a message should be. */
interface Expected {
  /** The hash the last event that carries one recorded for its bytes, and that event. */
  sha256?: { value: string; event: number };
  replyClass?: { value: string; event: number };
  /** The chain of its last `received` or `filed` event: its case (0 for none). */
  chain?: { value: number; event: number };
  arrivedAt?: { value: string; event: number };
  /** A mail reply (its `received` event has a From): its fields can be parsed again from its bytes. */
  mail: boolean;
  /** A letter of ours (a `composed` event names it): its subject, text and Date are in its bytes too. */
  letter: boolean;
  /** A reply recorded by hand (`received CASE`): its subject, text and day are those its event recorded. */
  paper?: { via: string; on: string; scan: string; event: number };
  /** A mail reply's sender, as its `received` event recorded it. */
  from?: { value: string | null; event: number };
  /** A letter's postal address, as its `composed` event recorded it. */
  postalAddress?: { value: string | null; event: number };
  /** The event by which a letter left (sent or mailed), if one did. */
  left?: number;
  /** Files the events recorded for the message: a letter's exhibits by file name, a paper reply's scan. */
  files: Map<string, { sha256: string; event: number }>;
}

function expectations(rows: readonly EventRow[]): Map<number, Expected> {
  const out = new Map<number, Expected>();
  for (const row of rows) {
    let e: StoredEvent;
    try {
      e = parseEventRow(row);
    } catch {
      continue; // an unreadable event was reported by the chain walk (its hash no longer matches)
    }
    const id = row.message_id as number;
    const x: Expected = out.get(id) ?? { mail: false, letter: false, files: new Map() };
    const sha = recordedMessageHash(row.type, e.data as Record<string, unknown>);
    if (sha !== undefined) x.sha256 = { value: sha, event: row.id };
    if (e.type === "received") {
      x.replyClass = { value: e.data.class, event: row.id };
      x.chain = { value: row.chain, event: row.id };
      if ("from" in e.data) {
        x.mail = true;
        x.from = { value: e.data.from, event: row.id };
        if (e.data.arrived) x.arrivedAt = { value: e.data.arrived.at, event: row.id };
      } else {
        const { via, on, scan } = e.data;
        if (typeof on === "string" && typeof scan === "string") x.paper = { via, on, scan, event: row.id };
        if (e.data.scan_sha256) x.files.set(scan, { sha256: e.data.scan_sha256, event: row.id });
      }
    }
    if (e.type === "composed") {
      x.letter = true;
      x.postalAddress = { value: e.data.postal_address, event: row.id };
    }
    if ((e.type === "composed" || e.type === "edited") && e.data.exhibits)
      for (const ex of e.data.exhibits) x.files.set(ex.file, { sha256: ex.sha256, event: row.id });
    if (e.type === "sent" || e.type === "mailed") x.left ??= row.id;
    if (e.type === "classified") x.replyClass = { value: e.data.to, event: row.id };
    if (e.type === "filed") x.chain = { value: row.chain, event: row.id };
    out.set(id, x);
  }
  return out;
}

function compareFacts(m: MessageFacts, x: Expected, files: readonly AttachmentFact[], findings: RecordFinding[]): void {
  const say = (detail: string) => findings.push({ subject: `message ${m.id}`, detail });
  if (x.sha256 && x.sha256.value !== m.rawSha256)
    say(
      `its stored SHA-256 ${m.rawSha256} is not the ${x.sha256.value} event ${x.sha256.event} recorded for its bytes`,
    );
  compareFiles(x, files, say);
  if (m.direction !== "in") {
    if (x.letter) compareLetter(m, x, say);
    return;
  }
  if (x.replyClass && x.replyClass.value !== m.replyClass)
    say(`its class reads "${m.replyClass ?? ""}", but event ${x.replyClass.event} says "${x.replyClass.value}"`);
  if (x.chain && (x.chain.value === 0 ? null : x.chain.value) !== m.caseId)
    say(
      `it is filed to ${m.caseId === null ? "no case" : `case ${m.caseId}`}, but event ${x.chain.event} files it to ${x.chain.value === 0 ? "no case" : `case ${x.chain.value}`}`,
    );
  if (x.arrivedAt && x.arrivedAt.value !== m.arrivedAt)
    say(`its arrival reads ${m.arrivedAt ?? "(none)"}, but event ${x.arrivedAt.event} recorded ${x.arrivedAt.value}`);
  if (x.paper) comparePaper(m, x.paper, say);
  if (x.from && (x.from.value ?? null) !== m.fromAddr)
    say(`its sender reads ${m.fromAddr ?? "(none)"}, but event ${x.from.event} recorded ${x.from.value ?? "(none)"}`);
}

/** A letter's address and state against its events. */
function compareLetter(m: MessageFacts, x: Expected, say: (detail: string) => void): void {
  if (x.postalAddress && (x.postalAddress.value ?? null) !== m.postalAddress)
    say(
      `its postal address reads ${JSON.stringify(m.postalAddress)}, but event ${x.postalAddress.event} recorded ${JSON.stringify(x.postalAddress.value ?? null)}`,
    );
  if (x.left !== undefined && m.state === "draft") say(`it reads as a draft, but event ${x.left} records it leaving`);
  if (x.left === undefined && m.state === "sent") say("it reads as sent, but no event records it leaving");
}

/** Each stored file of a message against the hash the event that recorded it (an exhibit, a scan) gave. */
function compareFiles(x: Expected, files: readonly AttachmentFact[], say: (d: string) => void): void {
  for (const f of files) {
    const recorded = x.files.get(f.fileName);
    if (recorded && recorded.sha256 !== f.sha256)
      say(`its file "${f.fileName}" is ${f.sha256}, but event ${recorded.event} recorded ${recorded.sha256}`);
  }
}

/** A reply recorded by hand: the subject, text and day ingest.ts derives from its `received` event. */
function comparePaper(m: MessageFacts, p: NonNullable<Expected["paper"]>, say: (detail: string) => void): void {
  const want: [string, string | null, string][] = [
    ["subject", m.subject, `Reply received by ${p.via} on ${p.on}`],
    ["text", m.bodyText, `Scan: ${p.scan}`],
    ["Date", m.date, p.on],
    ["arrival", m.arrivedAt, p.on],
  ];
  for (const [what, stored, recorded] of want)
    if (stored !== recorded)
      say(
        `its ${what} reads ${JSON.stringify(short(stored))}, but event ${p.event} recorded ${JSON.stringify(recorded)}`,
      );
}

/** A mail reply's subject, text and Date against its own bytes parsed again (the way ingest stored them). */
async function compareParsed(m: MessageFacts, raw: Buffer, parse: MessageParser): Promise<RecordFinding[]> {
  const findings: RecordFinding[] = [];
  const p = await parse(raw);
  // A message the parser refused is threaded by its header read on its own (parse.ts); releases before that
  // stored it with no subject and no text, which its bytes parsed today would not give back.
  if (p.parseError && m.subject === null && m.bodyText === null) return findings;
  const say = (what: string, stored: string | null, parsed: string | null) =>
    findings.push({
      subject: `message ${m.id}`,
      detail: `its ${what} reads ${JSON.stringify(short(stored))}, but its bytes say ${JSON.stringify(short(parsed))}`,
    });
  if ((p.subject || null) !== m.subject) say("subject", m.subject, p.subject || null);
  if (m.direction === "out") {
    // A letter's stored text is the text it was composed from (the MIME body ends with one more line break), and
    // its Date header gives the second of the time stored to the millisecond.
    const text = (t: string | null) => (t ?? "").replace(/\n+$/, "");
    if (text(p.text) !== text(m.bodyText)) say("text", m.bodyText, p.text || null);
    if (p.date !== null && p.date.slice(0, 19) !== m.date?.slice(0, 19)) say("Date", m.date, p.date);
    return findings;
  }
  if ((p.text || null) !== m.bodyText) say("text", m.bodyText, p.text || null);
  if (p.date !== null && p.date !== m.date) say("Date", m.date, p.date);
  return findings;
}

const short = (s: string | null) => (s !== null && s.length > 80 ? `${s.slice(0, 77)}...` : s);

/**
 * Every message's derived facts against its events and bytes, in two steps so that each message's bytes are read
 * once (export/verify-db.ts reads them to check their hash): `reread` takes a message's bytes and parses a mail
 * reply again, keeping only what it found; `findings` then walks every message's facts, in message order.
 */
export function recordFactsCheck(db: Db, parse: MessageParser) {
  const rows = listMessageEvents(db);
  const expected = expectations(rows);
  const parsedFindings = new Map<number, RecordFinding[]>();
  return {
    async reread(id: number, raw: Buffer): Promise<void> {
      const x = expected.get(id);
      if (!x?.mail && !x?.letter) return;
      const m = findMessageFacts(db, id);
      if (!m) return;
      const found = await compareParsed(m, raw, parse);
      if (found.length > 0) parsedFindings.set(id, found);
    },
    findings(progress?: Progress): RecordFinding[] {
      return factFindings(db, rows, expected, parsedFindings, progress);
    },
  };
}

function factFindings(
  db: Db,
  rows: readonly EventRow[],
  expected: ReadonlyMap<number, Expected>,
  parsedFindings: ReadonlyMap<number, RecordFinding[]>,
  progress?: Progress,
): RecordFinding[] {
  const findings: RecordFinding[] = [];
  const messages = listMessageFacts(db);
  const filesOf = new Map<number, AttachmentFact[]>();
  for (const f of listAttachmentFacts(db)) filesOf.set(f.messageId, [...(filesOf.get(f.messageId) ?? []), f]);
  const held = new Set(messages.map((m) => m.id));
  // A message a purge removed may still be named by another client's events (it was filed away from them).
  const purged = readPurgeLedger(db).removedMessages;
  // In message order: a row that is gone is reported where it stood.
  const gone = [...expected.keys()].filter((id) => !held.has(id) && !purged.has(id)).sort((a, b) => a - b);
  const reportGone = (before: number) => {
    while (gone.length > 0 && (gone[0] as number) < before)
      findings.push({ subject: `message ${gone.shift()}`, detail: "its events name it, but its row is gone" });
  };
  progress?.start("facts of each message", messages.length);
  let done = 0;
  for (const m of messages) {
    progress?.update(++done);
    reportGone(m.id);
    const x = expected.get(m.id);
    const purgedBy = purged.get(m.id);
    if (purgedBy !== undefined && rows.some((r) => r.message_id === m.id && r.id < purgedBy)) {
      findings.push({
        subject: `message ${m.id}`,
        detail: `purge event ${purgedBy} says it removed it, but it is still there`,
      });
      continue;
    }
    if (!x) {
      findings.push({ subject: `message ${m.id}`, detail: "no event records it: it was added outside loanmail" });
      continue;
    }
    compareFacts(m, x, filesOf.get(m.id) ?? [], findings);
    findings.push(...(parsedFindings.get(m.id) ?? []));
  }
  progress?.stop();
  reportGone(Number.POSITIVE_INFINITY);
  return findings;
}
