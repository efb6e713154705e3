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
import { findMessageFacts, listMessageEvents, listMessageFacts, type MessageFacts } from "../store/evidence.js";
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
    const x = out.get(id) ?? { mail: false };
    const sha = recordedMessageHash(row.type, e.data as Record<string, unknown>);
    if (sha !== undefined) x.sha256 = { value: sha, event: row.id };
    if (e.type === "received") {
      x.replyClass = { value: e.data.class, event: row.id };
      x.chain = { value: row.chain, event: row.id };
      if ("from" in e.data) {
        x.mail = true;
        if (e.data.arrived) x.arrivedAt = { value: e.data.arrived.at, event: row.id };
      }
    }
    if (e.type === "classified") x.replyClass = { value: e.data.to, event: row.id };
    if (e.type === "filed") x.chain = { value: row.chain, event: row.id };
    out.set(id, x);
  }
  return out;
}

function compareFacts(m: MessageFacts, x: Expected, findings: RecordFinding[]): void {
  const say = (detail: string) => findings.push({ subject: `message ${m.id}`, detail });
  if (x.sha256 && x.sha256.value !== m.rawSha256)
    say(
      `its stored SHA-256 ${m.rawSha256} is not the ${x.sha256.value} event ${x.sha256.event} recorded for its bytes`,
    );
  if (m.direction !== "in") return;
  if (x.replyClass && x.replyClass.value !== m.replyClass)
    say(`its class reads "${m.replyClass ?? ""}", but event ${x.replyClass.event} says "${x.replyClass.value}"`);
  if (x.chain && (x.chain.value === 0 ? null : x.chain.value) !== m.caseId)
    say(
      `it is filed to ${m.caseId === null ? "no case" : `case ${m.caseId}`}, but event ${x.chain.event} files it to ${x.chain.value === 0 ? "no case" : `case ${x.chain.value}`}`,
    );
  if (x.arrivedAt && x.arrivedAt.value !== m.arrivedAt)
    say(`its arrival reads ${m.arrivedAt ?? "(none)"}, but event ${x.arrivedAt.event} recorded ${x.arrivedAt.value}`);
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
      if (!expected.get(id)?.mail) return;
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
    compareFacts(m, x, findings);
    findings.push(...(parsedFindings.get(m.id) ?? []));
  }
  progress?.stop();
  reportGone(Number.POSITIVE_INFINITY);
  return findings;
}
