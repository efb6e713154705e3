/**
 * The timeline of a case (and of its child cases, the escalations, grouped under it): one row per event of its
 * hash chain, with the clocks each event started, met or extended and a row for each clock that was missed.
 * This is the model, and pure: the facts are read by timeline-sources.ts, redacted by redact.ts and rendered by
 * timeline-render.ts (text, JSON, CSV) and html-report.ts (HTML). The evidence bundle (bundle.ts) renders the
 * same model into its files.
 */
import type { PrintedCopy } from "../domain/departure.js";
import { dayOrInstant, statedWhen } from "../domain/event-when.js";
import { type ArrivalSource, storedArrival } from "../domain/reply-arrival.js";
import type { TrustStatus } from "../domain/reply-trust.js";
import { type EventRow, GENESIS_HASH, parseEventRow } from "../store/events.js";
import type { Direction } from "../store/messages.js";
import { describeEvent, presentString as str } from "./event-text.js";
import { type LetterRecord, letterRecords } from "./letter-records.js";
import { clocksByEvent, missedClockRows } from "./timeline-clocks.js";
import { exhibitOf, printingNote, recordExhibits, replyNote, rowActor, timelineMessage } from "./timeline-message.js";
import type { SourceCase, SourceClock, SourceMessage } from "./timeline-sources.js";
import { formatWhen, localDate } from "./timeline-when.js";

/** A clock's part in one row. */
export type ClockRole = "started" | "met" | "met-late" | "extended" | "missed";

export interface RowClock {
  clock: string;
  name: string;
  rule: string;
  party: "servicer" | "borrower";
  role: ClockRole;
  due: string | null;
  businessDaysLate: number | null;
}

export interface RowExhibit {
  name: string;
  label: string;
  sha256: string;
  size: number;
  /** Path inside an evidence bundle; null outside one or when left out. */
  file: string | null;
}

export interface RowMessage {
  id: number;
  messageId: string | null;
  sha256: string;
  file: string | null;
}

/** One row of the timeline: an event of a case's chain, or a clock that was missed. */
export interface TimelineRow {
  case: string;
  /** The event's id in the database; null for a missed-clock row. */
  event: number | null;
  /** The event type (composed, sent, mailed, delivered, received, call, note, ...) or "clock-missed". */
  type: string;
  /** When it happened: an ISO instant, or a YYYY-MM-DD date when only the day is known. */
  when: string;
  /** `when` in the user's time zone with its offset (2026-03-02T09:15:00-06:00), or the date. */
  whenLocal: string;
  /** The same for people: "2026-03-02 09:15 CST (UTC-06:00)". */
  whenDisplay: string;
  /** When loanmail recorded it (ISO instant); null for a missed-clock row. */
  recordedAt: string | null;
  actor: string;
  channel: string | null;
  subject: string | null;
  message: RowMessage | null;
  exhibits: RowExhibit[];
  detail: string;
  clocks: RowClock[];
  /** The event's hash in the chain; null for a missed-clock row and in a redacted timeline. */
  hash: string | null;
}

/** Whom a letter was addressed to when it left (its `as_sent` record). */
export interface SentTo {
  servicer: string;
  accountNumber: string;
  borrowers: string[];
  channel: string;
  address: string | null;
  email: string[];
  /** On one line: "Mr. Cooper, PO Box 619098, Dallas, TX 75261". */
  addressedTo: string;
  /** False for a letter that left before loanmail recorded this: the values are then the loan's as it is now. */
  recorded: boolean;
}

/** A proof-of-mailing file kept with a letter (PS 3800 receipt, PS 3811 green card, tracking page). */
export interface TimelineProof {
  kind: string;
  label: string;
  name: string;
  sha256: string;
  size: number;
  contentType: string;
  /** When it was added to the record (ISO instant). */
  addedAt: string;
  /** Path inside an evidence bundle; null outside one or when left out. */
  file: string | null;
}

export interface TimelineMessage {
  id: number;
  case: string;
  direction: Direction;
  channel: string;
  state: string | null;
  replyClass: string | null;
  /**
   * Its Date header (ISO), a reply recorded by hand's day, or for a letter entered later the day it was written
   * (YYYY-MM-DD, as `writtenOn`): never a time the record does not hold.
   */
  date: string | null;
  /**
   * A letter entered later (`compose --dated`): the day it was written (its Date header holds noon of that day, a
   * time nobody gave, so the day is shown instead); null otherwise.
   */
  writtenOn: string | null;
  from: string | null;
  to: string[];
  postalAddress: string | null;
  subject: string | null;
  messageId: string | null;
  sha256: string;
  size: number;
  excerpt: string;
  /** The .eml inside an evidence bundle; null outside one or when left out. */
  file: string | null;
  exhibits: (RowExhibit & { exhibit: string | null; contentType: string })[];
  /** A reply's sender as judged on arrival (trusted, suspect, unverified), why, and whether the user confirmed it. */
  trust: TrustStatus | null;
  trustWhy: string[];
  trustConfirmed: boolean;
  /** It meets no clock: suspect or unverified and not confirmed. */
  heldFromClocks: boolean;
  /** When a reply reached the user's mailbox and how that is known (null for a letter out). */
  arrivedAt: string | null;
  arrival: ArrivalSource | null;
  /** Whole days its Date header is before its arrival, when more than one; else null. */
  dateDiscrepancyDays: number | null;
  messageIdReused: boolean;
  /** For a letter that left: whom it was addressed to then; null otherwise. */
  sentTo: SentTo | null;
  /**
   * For a letter that left: its printed copy, "held" (the PDF loanmail printed, kept when it left), "not-printed"
   * (loanmail printed no copy of it by the day it left: none is held), "not-recorded" (it left before loanmail kept printed
   * copies) or "email" (the letter is its .eml); null for a letter that has not left or a reply.
   */
  printedCopy: { state: PrintedCopy["state"]; sha256: string | null; file: string | null } | null;
  /**
   * Every PDF loanmail printed of it (`show --pdf`, kept in the record), oldest first, with its file in a bundle
   * when the bundle holds it: only the copy that left is (`printedCopy`); a later printing is not that copy.
   */
  printings: { sha256: string; size: number; printedAt: string; file: string | null }[];
  proofs: TimelineProof[];
}

export interface TimelineCase {
  id: number;
  tag: string;
  /** Whose case it is: its loan's client (household). */
  client: string;
  parent: string | null;
  depth: number;
  kind: string;
  formal: boolean;
  channel: string;
  status: string;
  step: string;
  servicer: string;
  accountNumber: string;
  borrowers: string[];
  property: string;
  /** Each servicer and account the case's letters were addressed to when they left (as recorded then). */
  lettersSentTo: { servicer: string; accountNumber: string }[];
  openedAt: string;
  closedAt: string | null;
  /** Hash of the last event of the case's chain (GENESIS when it has none); null in a redacted timeline. */
  chainHead: string | null;
  events: number;
  clocks: (SourceClock & { case: string })[];
  messages: TimelineMessage[];
  rows: TimelineRow[];
}

/** The versioned timeline document (`timeline --format json`, timeline.json in a bundle). */
export interface TimelineDoc {
  schema: 1;
  generatedAt: string;
  timeZone: string;
  asOf: string;
  redacted: boolean;
  cases: TimelineCase[];
}

/** Paths inside an evidence bundle, by message and attachment id, and by hash for kept files (PDFs, proof). */
export interface BundlePaths {
  messages: ReadonlyMap<number, string>;
  attachments: ReadonlyMap<number, string>;
  files?: ReadonlyMap<string, string>;
}

export interface BuildTimelineInput {
  cases: readonly SourceCase[];
  generatedAt: string;
  timeZone: string;
  asOf: string;
  paths?: BundlePaths;
}

/**
 * An event's data as named fields, for display. Read through the typed log; a row it cannot read (its data edited
 * into something that is not an event's) shows no details rather than stopping the timeline: `verify` reports it.
 */
function dataOf(e: EventRow): Record<string, unknown> {
  try {
    return Object.fromEntries(Object.entries(parseEventRow(e).data));
  } catch {
    return {};
  }
}

/** When an event happened (not when it was recorded): the mailing or delivery day, the call's time, ... */
function effectiveWhen(e: EventRow, data: Record<string, unknown>, message: SourceMessage | undefined): string {
  // A letter entered later (`compose --dated`) is placed on the day it was written; recordedAt keeps the entry.
  const stated = statedWhen(e.type, data);
  if (stated) return stated.value;
  // A reply by mail: when it reached the mailbox, never the sender's Date header.
  if (e.type === "received" && message?.channel === "email") return dayOrInstant(storedArrival(message).at) ?? e.at;
  return e.at;
}

/** Build the timeline model. Pure: the sources carry every fact; `paths` names files inside a bundle. */
export function buildTimeline(input: BuildTimelineInput): TimelineDoc {
  const tz = input.timeZone;
  const cases: TimelineCase[] = input.cases.map((sc) => buildCase(sc, input, tz));
  return {
    schema: 1,
    generatedAt: input.generatedAt,
    timeZone: tz,
    asOf: input.asOf,
    redacted: false,
    cases,
  };
}

/** How an event reached its recipient: phone for a call, post for mailing and delivery, else its own channel. */
function eventChannel(e: EventRow, data: Record<string, unknown>, m: SourceMessage | undefined): string | null {
  if (e.type === "call") return "phone";
  if (e.type === "mailed" || e.type === "delivered") return "post";
  return (
    (str(data.via) && !String(data.via).startsWith("imap") && data.via !== "import" ? String(data.via) : undefined) ??
    m?.channel ??
    null
  );
}

interface EventRowFacts {
  tag: string;
  /** The record of the event's letter (how it left, its printings, its proof), when it has one. */
  record: LetterRecord | undefined;
  data: Record<string, unknown>;
  message: SourceMessage | undefined;
  when: string;
  tz: string;
  paths: BundlePaths | undefined;
  clocks: RowClock[];
  /** The day the event's letter left, in the user's zone; undefined while it has not. */
  leftOn: string | undefined;
}

/** The row of one event of a case's chain. */
function eventRow(e: EventRow, f: EventRowFacts): TimelineRow {
  const m = f.message;
  const local = formatWhen(f.when, f.tz);
  const showsExhibits = e.type === "composed" || e.type === "received" || e.type === "filed";
  const exhibits = showsExhibits && m ? m.attachments.map((a) => exhibitOf(a, f.paths)) : [];
  return {
    case: f.tag,
    event: e.id,
    type: e.type,
    when: f.when,
    whenLocal: local.local,
    whenDisplay: local.display,
    recordedAt: e.at,
    actor: rowActor(e, m),
    channel: eventChannel(e, f.data, m),
    subject: m?.subject ?? null,
    message: m
      ? { id: m.id, messageId: m.messageId, sha256: m.rawSha256, file: f.paths?.messages.get(m.id) ?? null }
      : null,
    exhibits: [...exhibits, ...recordExhibits(e, f.record, f.paths)],
    detail: [
      e.type === "printed"
        ? printingNote(f.data, f.record, f.paths, localDate(e.at, f.tz), f.leftOn)
        : describeEvent(e.type, f.data),
      // Every message names its sender: a reply's is in its event; a letter's is the user's address it left from.
      e.type === "composed" && m?.from ? `from ${m.from}` : "",
      e.type === "received" && m ? replyNote(m) : "",
    ]
      .filter(Boolean)
      .join("; "),
    clocks: f.clocks,
    hash: e.hash,
  };
}

/**
 * A case's rows in time order: its events by the day they happened (then by id), each missed clock on its due
 * day after that day's events.
 */
function caseRows(
  sc: SourceCase,
  input: BuildTimelineInput,
  tz: string,
  recordOf: (id: number) => LetterRecord,
): TimelineRow[] {
  const tag = sc.record.tag;
  const messagesById = new Map(sc.messages.map((m) => [m.id, m]));
  const messageOf = (e: EventRow) => (e.message_id === null ? undefined : messagesById.get(e.message_id));
  const datas = new Map(sc.events.map((e) => [e.id, dataOf(e)]));
  const whenCache = new Map<number, string>();
  const whenOf = (e: EventRow): string => {
    let w = whenCache.get(e.id);
    if (w === undefined) {
      w = effectiveWhen(e, datas.get(e.id) ?? {}, messageOf(e));
      whenCache.set(e.id, w);
    }
    return w;
  };

  const attached = clocksByEvent(sc.clocks, sc.events, whenOf, tz);
  const missedRows = missedClockRows(sc.clocks, tag, input.asOf);
  const eventsById = new Map(sc.events.map((e) => [e.id, e]));
  const eventRows = sc.events.map((e) => {
    const when = whenOf(e);
    const record = e.message_id === null ? undefined : recordOf(e.message_id);
    const leaving = record?.departure ? eventsById.get(record.departure.eventId) : undefined;
    const row = eventRow(e, {
      tag,
      record,
      data: datas.get(e.id) ?? {},
      message: messageOf(e),
      when,
      tz,
      paths: input.paths,
      clocks: attached.get(e.id) ?? [],
      leftOn: leaving ? localDate(whenOf(leaving), tz) : undefined,
    });
    return { row, day: localDate(when, tz), order: e.id };
  });
  return [
    ...eventRows,
    ...missedRows.map((row, i) => ({ row, day: row.when, order: Number.MAX_SAFE_INTEGER - missedRows.length + i })),
  ]
    .sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.order - b.order))
    .map((x) => x.row);
}

function buildCase(sc: SourceCase, input: BuildTimelineInput, tz: string): TimelineCase {
  const c = sc.record;
  const recordOf = letterRecords(sc.events);
  const messages = sc.messages.map((m) => timelineMessage(m, sc, recordOf(m.id), input.paths));
  const pairs = new Map<string, { servicer: string; accountNumber: string }>();
  for (const t of messages.flatMap((m) => (m.sentTo?.recorded ? [m.sentTo] : [])))
    pairs.set(JSON.stringify([t.servicer, t.accountNumber]), { servicer: t.servicer, accountNumber: t.accountNumber });
  return {
    id: c.id,
    tag: c.tag,
    client: c.clientName,
    parent: sc.parentTag,
    depth: sc.depth,
    kind: c.kind,
    formal: c.formal,
    channel: c.channel,
    status: c.status,
    step: c.step,
    servicer: sc.servicerName,
    accountNumber: sc.accountNumber,
    borrowers: sc.borrowers,
    property: sc.propertyAddress,
    lettersSentTo: [...pairs.values()],
    openedAt: c.openedAt,
    closedAt: c.closedAt,
    chainHead: sc.events.at(-1)?.hash ?? GENESIS_HASH,
    events: sc.events.length,
    clocks: sc.clocks.map((k) => ({ ...k, case: c.tag })),
    messages,
    rows: caseRows(sc, input, tz, recordOf),
  };
}

/**
 * The servicer and account of a case for a heading: as it is now, and, when its letters were addressed otherwise
 * (a transfer or a rename since), those too, so that no letter reads as sent to the servicer of today.
 */
export function servicerSummary(c: Pick<TimelineCase, "servicer" | "accountNumber" | "lettersSentTo">): string {
  const now = `${c.servicer}, account ${c.accountNumber}`;
  const sent = c.lettersSentTo.map((p) => `${p.servicer}, account ${p.accountNumber}`);
  if (sent.every((x) => x === now)) return now;
  return `letters addressed to ${sent.join("; ")} when they left; the loan is now with ${now}`;
}
