/**
 * The timeline of a case (and of its child cases, the escalations, grouped under it): one row per event of its
 * hash chain, with the clocks each event started, met or extended and a row for each clock that was missed.
 * `readTimelineSources` reads the facts from the store; everything else here is pure: the model
 * (`buildTimeline`), redaction (`buildRedactor`, `redactTimeline`) and the text, JSON and CSV renderers (the
 * HTML page is in html-report.ts). The evidence bundle (bundle.ts) renders the same model into its files.
 */
import type { Clock } from "../domain/clocks.js";
import { maskDigits } from "../domain/lint.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { type EventRow, GENESIS_HASH, listCaseEvents } from "../store/events.js";
import { listPastAccounts, requireLoan } from "../store/loans.js";
import type { AttachmentRecord, Channel, Direction, OutboxState } from "../store/messages.js";
import { listAttachments } from "../store/messages.js";
import { requireServicer } from "../store/servicers.js";

// ---------------------------------------------------------------------------------------------------------------
// Sources (read from the store)

/** A message of a case as the timeline needs it: metadata, a short excerpt of its text, never its bytes. */
export interface SourceMessage {
  id: number;
  caseId: number;
  direction: Direction;
  channel: Channel;
  kind: string | null;
  state: OutboxState | null;
  replyClass: string | null;
  messageId: string | null;
  from: string | null;
  to: string[];
  postalAddress: string | null;
  subject: string | null;
  date: string | null;
  createdAt: string;
  rawSha256: string;
  size: number;
  excerpt: string;
  attachments: AttachmentRecord[];
}

/** Everything about one case that its part of the timeline shows. */
export interface SourceCase {
  record: CaseRecord;
  /** 0 for the case asked for; 1 for its children (escalations), 2 for theirs, ... */
  depth: number;
  parentTag: string | null;
  servicerName: string;
  servicerNoticeAddress: string | null;
  borrowers: string[];
  propertyAddress: string;
  accountNumber: string;
  pastAccountNumbers: string[];
  events: EventRow[];
  messages: SourceMessage[];
  clocks: Clock[];
}

/** How much of a message's text the timeline keeps (the full text is in the .eml). */
export const EXCERPT_CHARS = 600;

interface MessageMetaRow {
  id: number;
  case_id: number;
  direction: Direction;
  channel: Channel;
  kind: string | null;
  state: OutboxState | null;
  reply_class: string | null;
  message_id: string | null;
  from_addr: string | null;
  to_addrs: string;
  postal_address: string | null;
  subject: string | null;
  date: string | null;
  created_at: string;
  raw_sha256: string;
  size: number;
  excerpt: string | null;
}

/** Messages of a case without their bytes and with only the start of their text, so a big case stays small. */
export function readCaseMessageMeta(db: Db, caseId: number): SourceMessage[] {
  const rows = db
    .prepare(
      `SELECT id, case_id, direction, channel, kind, state, reply_class, message_id, from_addr, to_addrs,
         postal_address, subject, date, created_at, raw_sha256, length(raw) AS size,
         substr(body_text, 1, ${EXCERPT_CHARS + 1}) AS excerpt
       FROM messages WHERE case_id = ? ORDER BY id`,
    )
    .all(caseId) as MessageMetaRow[];
  return rows.map((r) => ({
    id: r.id,
    caseId: r.case_id,
    direction: r.direction,
    channel: r.channel,
    kind: r.kind,
    state: r.state,
    replyClass: r.reply_class,
    messageId: r.message_id,
    from: r.from_addr,
    to: JSON.parse(r.to_addrs) as string[],
    postalAddress: r.postal_address,
    subject: r.subject,
    date: r.date,
    createdAt: r.created_at,
    rawSha256: r.raw_sha256,
    size: r.size,
    excerpt: excerptOf(r.excerpt ?? ""),
    attachments: listAttachments(db, r.id),
  }));
}

function excerptOf(text: string): string {
  const t = text.replace(/\r\n?/g, "\n").trim();
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS).trimEnd()}…` : t;
}

/** A case and its descendants (escalations), depth first, each child right under its parent. */
export function collectCaseTree(root: CaseRecord, all: readonly CaseRecord[]): { c: CaseRecord; depth: number }[] {
  const byParent = new Map<number, CaseRecord[]>();
  for (const c of all) {
    if (c.parentId === null) continue;
    const list = byParent.get(c.parentId) ?? [];
    list.push(c);
    byParent.set(c.parentId, list);
  }
  const out: { c: CaseRecord; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (c: CaseRecord, depth: number) => {
    if (seen.has(c.id)) return; // a parent loop in a damaged database must not recurse forever
    seen.add(c.id);
    out.push({ c, depth });
    for (const child of [...(byParent.get(c.id) ?? [])].sort((a, b) => a.id - b.id)) walk(child, depth + 1);
  };
  walk(root, 0);
  return out;
}

/**
 * Roots for `timeline --all`: every case whose parent is not in the list, in id order, each followed by its
 * descendants.
 */
export function orderCaseForest(cases: readonly CaseRecord[]): { c: CaseRecord; depth: number }[] {
  const ids = new Set(cases.map((c) => c.id));
  const roots = cases.filter((c) => c.parentId === null || !ids.has(c.parentId)).sort((a, b) => a.id - b.id);
  const out: { c: CaseRecord; depth: number }[] = [];
  const seen = new Set<number>();
  for (const r of roots) {
    for (const x of collectCaseTree(r, cases)) {
      if (!seen.has(x.c.id)) {
        seen.add(x.c.id);
        out.push(x);
      }
    }
  }
  // Anything left (a parent loop) still shows, at the top level.
  for (const c of [...cases].sort((a, b) => a.id - b.id)) if (!seen.has(c.id)) out.push({ c, depth: 0 });
  return out;
}

/** Read the facts of each case of an ordered tree; `clocksOf` computes a case's clocks (cli/commands/clocks). */
export function readTimelineSources(
  db: Db,
  tree: readonly { c: CaseRecord; depth: number }[],
  clocksOf: (c: CaseRecord) => Clock[],
): SourceCase[] {
  const tagOf = new Map(tree.map((x) => [x.c.id, x.c.tag]));
  return tree.map(({ c, depth }) => {
    const loan = requireLoan(db, String(c.loanId));
    const servicer = requireServicer(db, loan.servicerId);
    const parentTag =
      c.parentId === null
        ? null
        : (tagOf.get(c.parentId) ??
          ((db.prepare("SELECT tag FROM cases WHERE id = ?").pluck().get(c.parentId) as string | undefined) || null));
    return {
      record: c,
      depth,
      parentTag,
      servicerName: servicer.name,
      servicerNoticeAddress: servicer.noticeAddress,
      borrowers: loan.borrowers,
      propertyAddress: loan.propertyAddress,
      accountNumber: loan.accountNumber,
      pastAccountNumbers: listPastAccounts(db, loan.id).map((a) => a.accountNumber),
      events: listCaseEvents(db, c.id),
      messages: readCaseMessageMeta(db, c.id),
      clocks: clocksOf(c),
    };
  });
}

// ---------------------------------------------------------------------------------------------------------------
// The model

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

export interface TimelineMessage {
  id: number;
  case: string;
  direction: Direction;
  channel: string;
  state: string | null;
  replyClass: string | null;
  date: string | null;
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
}

export interface TimelineCase {
  id: number;
  tag: string;
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
  openedAt: string;
  closedAt: string | null;
  /** Hash of the last event of the case's chain (GENESIS when it has none); null in a redacted timeline. */
  chainHead: string | null;
  events: number;
  clocks: (Clock & { case: string })[];
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

/** Paths inside an evidence bundle, by message and attachment id (and by blob hash for confirmations). */
export interface BundlePaths {
  messages: ReadonlyMap<number, string>;
  attachments: ReadonlyMap<number, string>;
}

export interface BuildTimelineInput {
  cases: readonly SourceCase[];
  generatedAt: string;
  timeZone: string;
  asOf: string;
  paths?: BundlePaths;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const CASE_EVENT_TYPES = new Set(["paid-off", "application-complete", "denied", "cfpb-filed"]);
const LEAVING_TYPES = ["delivered", "mailed", "sent"];

/** Parse an event's data (stored as canonical JSON text). */
function dataOf(e: EventRow): Record<string, unknown> {
  try {
    const v = JSON.parse(e.data) as unknown;
    return v && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

/** A YYYY-MM-DD date in a time zone. */
export function localDate(iso: string, timeZone: string): string {
  if (DATE_ONLY.test(iso)) return iso;
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
    new Date(iso),
  );
}

/**
 * An instant in the user's time zone: `local` is ISO 8601 with the offset (2026-03-02T09:15:00-06:00), `display`
 * is for people (2026-03-02 09:15 CST (UTC-06:00)). A date alone is returned as it is.
 */
export function formatWhen(value: string, timeZone: string): { local: string; display: string } {
  if (DATE_ONLY.test(value)) return { local: value, display: value };
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return { local: value, display: value };
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
      timeZoneName: "longOffset",
    })
      .formatToParts(d)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const gmt = parts.timeZoneName ?? "GMT";
  const offset = gmt === "GMT" ? "+00:00" : gmt.replace("GMT", "");
  const abbr =
    new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "short" })
      .formatToParts(d)
      .find((p) => p.type === "timeZoneName")?.value ?? "";
  const date = `${parts.year}-${parts.month}-${parts.day}`;
  const hour = parts.hour === "24" ? "00" : parts.hour;
  return {
    local: `${date}T${hour}:${parts.minute}:${parts.second}${offset}`,
    display: `${date} ${hour}:${parts.minute} ${abbr && !abbr.startsWith("GMT") ? `${abbr} ` : ""}(UTC${offset})`,
  };
}

/** When an event happened (not when it was recorded): the mailing or delivery day, the call's time, ... */
function effectiveWhen(e: EventRow, data: Record<string, unknown>, message: SourceMessage | undefined): string {
  const pick = (v: unknown) => {
    const s = str(v);
    if (!s) return undefined;
    if (DATE_ONLY.test(s)) return s;
    return Number.isNaN(Date.parse(s)) ? undefined : new Date(s).toISOString();
  };
  switch (e.type) {
    case "call":
      return pick(data.call_at) ?? e.at;
    case "mailed":
      return pick(data.mailed_on) ?? e.at;
    case "delivered":
      return pick(data.delivered_on) ?? e.at;
    case "sent":
      return pick(data.sent_on) ?? e.at;
    case "received":
      return pick(data.on) ?? (message?.channel === "email" ? pick(message.date) : undefined) ?? e.at;
    default:
      return CASE_EVENT_TYPES.has(e.type) ? (pick(data.on) ?? e.at) : e.at;
  }
}

const list = (v: unknown): string =>
  Array.isArray(v) ? v.filter((x) => typeof x === "string").join(", ") : (str(v) ?? "");

/** A short account of an event for people, from its data. */
export function describeEvent(type: string, data: Record<string, unknown>): string {
  const d = data;
  switch (type) {
    case "composed":
      return [
        `${str(d.kind) ?? "letter"}${d.formal === true ? " (formal)" : ""} drafted`,
        str(d.to) ? `to ${d.to}` : str(d.postal_address) ? `to ${String(d.postal_address).replace(/\n/g, ", ")}` : "",
      ]
        .filter(Boolean)
        .join(" ");
    case "edited":
      return "draft edited (the earlier text is kept)";
    case "queued":
      return `queued to send${str(d.account) ? ` from account ${d.account}` : ""}`;
    case "sent":
      if (str(d.via))
        return `sent by ${d.via}${str(d.sent_on) ? ` on ${d.sent_on}` : ""}${
          d.proof && typeof d.proof === "object" ? `; confirmation ${(d.proof as { name?: string }).name ?? ""}` : ""
        }`;
      if (str(d.resolved_by)) return `found sent (${d.resolved_by}${str(d.mailbox) ? ` in ${d.mailbox}` : ""})`;
      return `sent by email${list(d.accepted) ? `; accepted for ${list(d.accepted)}` : ""}${
        list(d.rejected) ? `; refused for ${list(d.rejected)}` : ""
      }`;
    case "send-failed":
      return `send failed${str(d.response) ? `: ${d.response}` : ""}${d.retryable === true ? " (will retry)" : ""}`;
    case "send-unknown":
      return `outcome unknown${str(d.error) ? `: ${d.error}` : str(d.reason) ? `: ${d.reason}` : ""}`;
    case "resend":
      return `resent on purpose${str(d.reason) ? `: ${d.reason}` : ""}`;
    case "mailed":
      return `certified mail${str(d.tracking) ? `, tracking ${d.tracking}` : ""}${str(d.mailed_on) ? `, mailed ${d.mailed_on}` : ""}`;
    case "delivered":
      return `delivered${str(d.delivered_on) ? ` ${d.delivered_on}` : ""}${str(d.tracking) ? ` (tracking ${d.tracking})` : ""}`;
    case "received":
      if (str(d.via) && !String(d.via).startsWith("imap") && d.via !== "import")
        return `reply received by ${d.via}${str(d.on) ? ` on ${d.on}` : ""}${str(d.scan) ? `; scan ${d.scan}` : ""}${
          str(d.class) ? `; class ${d.class}` : ""
        }`;
      return [`reply received${str(d.from) ? ` from ${d.from}` : ""}`, str(d.class) ? `class ${d.class}` : ""]
        .filter(Boolean)
        .join("; ");
    case "filed":
      return `message filed to this case${str(d.subject) ? `: ${d.subject}` : ""}`;
    case "classified":
      return `reply class set to ${str(d.to) ?? "?"}${str(d.from) ? ` (was ${d.from})` : ""}`;
    case "call":
      return `call with ${str(d.with) ?? "?"}: ${str(d.summary) ?? ""}`.trim();
    case "note":
      return str(d.text) ?? "";
    case "cfpb-filed":
      return `CFPB complaint ${str(d["cfpb-id"]) ?? ""} sent to the company${str(d.on) ? ` on ${d.on}` : ""}`;
    case "paid-off":
      return `loan paid in full${str(d.on) ? ` on ${d.on}` : ""}`;
    case "application-complete":
      return `loss-mitigation application complete${str(d.on) ? ` on ${d.on}` : ""}${
        str(d["sale-date"]) ? `; sale date ${d["sale-date"]}` : ""
      }`;
    case "denied":
      return `loss-mitigation denial received${str(d.on) ? ` on ${d.on}` : ""}`;
    case "exported":
      return `evidence bundle ${str(d.file) ?? ""} made${str(d.manifest_sha256) ? ` (manifest SHA-256 ${d.manifest_sha256})` : ""}${
        d.redacted === true ? ", redacted" : ""
      }`;
    case "discarded":
      return "case discarded";
    default: {
      const simple = Object.entries(d)
        .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
        .slice(0, 6)
        .map(([k, v]) => `${k}: ${String(v)}`);
      return simple.join("; ");
    }
  }
}

function rowClock(c: Clock, role: ClockRole): RowClock {
  return {
    clock: c.id,
    name: c.name,
    rule: c.rule,
    party: c.party,
    role,
    due: c.dueLenient ?? c.dueStrict,
    businessDaysLate: c.businessDaysLate,
  };
}

/** The event that started a clock: the letter's delivery, mailing or sending on the clock's start day. */
function startingEvent(c: Clock, events: readonly EventRow[], whenOf: (e: EventRow) => string, tz: string) {
  const sb = c.startedBy;
  if (!sb) return undefined;
  if (sb.messageId !== undefined) {
    const mine = events.filter((e) => e.message_id === sb.messageId);
    const leaving = mine.filter((e) => LEAVING_TYPES.includes(e.type));
    return leaving.find((e) => localDate(whenOf(e), tz) === sb.on) ?? leaving.at(-1) ?? mine.at(-1);
  }
  const candidates = events.filter((e) => CASE_EVENT_TYPES.has(e.type));
  return candidates.find((e) => localDate(whenOf(e), tz) === sb.on);
}

/** The event by which a reply entered the case: its receipt, else its filing, else any event of it. */
function replyEvent(messageId: number, events: readonly EventRow[]) {
  const mine = events.filter((e) => e.message_id === messageId);
  return mine.find((e) => e.type === "received") ?? mine.find((e) => e.type === "filed") ?? mine[0];
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

function buildCase(sc: SourceCase, input: BuildTimelineInput, tz: string): TimelineCase {
  const c = sc.record;
  const messagesById = new Map(sc.messages.map((m) => [m.id, m]));
  const paths = input.paths;
  const exhibitOf = (a: AttachmentRecord): RowExhibit => ({
    name: a.fileName,
    label: a.exhibit ?? a.label,
    sha256: a.sha256,
    size: a.size,
    file: paths?.attachments.get(a.id) ?? null,
  });
  const datas = new Map(sc.events.map((e) => [e.id, dataOf(e)]));
  const whenCache = new Map<number, string>();
  const whenOf = (e: EventRow): string => {
    let w = whenCache.get(e.id);
    if (w === undefined) {
      w = effectiveWhen(e, datas.get(e.id) ?? {}, e.message_id === null ? undefined : messagesById.get(e.message_id));
      whenCache.set(e.id, w);
    }
    return w;
  };

  // Clocks attached to events: started, met (or met late), extended; missed clocks become rows of their own.
  const attached = new Map<number, RowClock[]>();
  const attach = (e: EventRow | undefined, rc: RowClock) => {
    if (!e) return;
    const l = attached.get(e.id) ?? [];
    l.push(rc);
    attached.set(e.id, l);
  };
  const missedRows: TimelineRow[] = [];
  for (const clock of sc.clocks) {
    if (clock.status === "not-applicable") continue;
    attach(startingEvent(clock, sc.events, whenOf, tz), rowClock(clock, "started"));
    if (clock.extendedBy) attach(replyEvent(clock.extendedBy.messageId, sc.events), rowClock(clock, "extended"));
    if (clock.metBy) {
      const late = (clock.businessDaysLate ?? 0) > 0;
      attach(replyEvent(clock.metBy.messageId, sc.events), rowClock(clock, late ? "met-late" : "met"));
    }
  }
  for (const clock of sc.clocks) {
    if (clock.status !== "late" || !clock.dueLenient) continue;
    const rc = rowClock(clock, "missed");
    const startedHere = sc.clocks
      .filter((x) => x.status !== "not-applicable" && x.id === `suit-${clock.id}`)
      .map((x) => rowClock(x, "started"));
    missedRows.push({
      case: c.tag,
      event: null,
      type: "clock-missed",
      when: clock.dueLenient,
      whenLocal: clock.dueLenient,
      whenDisplay: clock.dueLenient,
      recordedAt: null,
      actor: clock.party === "servicer" ? "servicer" : "borrower",
      channel: null,
      subject: null,
      message: null,
      exhibits: [],
      detail: `${clock.party === "servicer" ? "" : "your deadline: "}${clock.name} was due ${clock.dueLenient}${
        clock.dueStrict && clock.dueStrict !== clock.dueLenient ? ` (strictly ${clock.dueStrict})` : ""
      }; late by ${clock.businessDaysLate ?? "?"} business day${clock.businessDaysLate === 1 ? "" : "s"} on ${input.asOf}`,
      clocks: [rc, ...startedHere],
      hash: null,
    });
  }

  const eventRows: { row: TimelineRow; day: string; order: number }[] = sc.events.map((e) => {
    const data = datas.get(e.id) ?? {};
    const m = e.message_id === null ? undefined : messagesById.get(e.message_id);
    const when = whenOf(e);
    const f = formatWhen(when, tz);
    const showsExhibits = e.type === "composed" || e.type === "received" || e.type === "filed";
    const channel =
      e.type === "call"
        ? "phone"
        : e.type === "mailed" || e.type === "delivered"
          ? "post"
          : ((str(data.via) && !String(data.via).startsWith("imap") && data.via !== "import"
              ? String(data.via)
              : undefined) ??
            m?.channel ??
            null);
    const row: TimelineRow = {
      case: c.tag,
      event: e.id,
      type: e.type,
      when,
      whenLocal: f.local,
      whenDisplay: f.display,
      recordedAt: e.at,
      actor: e.actor,
      channel,
      subject: m?.subject ?? null,
      message: m
        ? { id: m.id, messageId: m.messageId, sha256: m.rawSha256, file: paths?.messages.get(m.id) ?? null }
        : null,
      exhibits: showsExhibits && m ? m.attachments.map(exhibitOf) : [],
      detail: describeEvent(e.type, data),
      clocks: attached.get(e.id) ?? [],
      hash: e.hash,
    };
    return { row, day: localDate(when, tz), order: e.id };
  });
  const all = [
    ...eventRows,
    ...missedRows.map((row, i) => ({ row, day: row.when, order: Number.MAX_SAFE_INTEGER - missedRows.length + i })),
  ].sort((a, b) => (a.day < b.day ? -1 : a.day > b.day ? 1 : a.order - b.order));

  const messages: TimelineMessage[] = sc.messages.map((m) => ({
    id: m.id,
    case: c.tag,
    direction: m.direction,
    channel: m.channel,
    state: m.state,
    replyClass: m.replyClass,
    date: m.date,
    from: m.from,
    to: m.to,
    postalAddress: m.postalAddress,
    subject: m.subject,
    messageId: m.messageId,
    sha256: m.rawSha256,
    size: m.size,
    excerpt: m.excerpt,
    file: paths?.messages.get(m.id) ?? null,
    exhibits: m.attachments.map((a) => ({ ...exhibitOf(a), exhibit: a.exhibit, contentType: a.contentType })),
  }));

  return {
    id: c.id,
    tag: c.tag,
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
    openedAt: c.openedAt,
    closedAt: c.closedAt,
    chainHead: sc.events.at(-1)?.hash ?? GENESIS_HASH,
    events: sc.events.length,
    clocks: sc.clocks.map((k) => ({ ...k, case: c.tag })),
    messages,
    rows: all.map((x) => x.row),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Redaction

const ACCOUNT_WORDS = String.raw`(?:account|acct|a\/c|loan\s+(?:no|number|#)|routing|aba)`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A function that masks SSNs and account numbers to their last 4 digits: the given account numbers (the loan's,
 * current and past) wherever they appear, written with or without spaces and dashes; SSNs written
 * ddd-dd-dddd or as nine digits after "SSN"/"social security"; and any number of 8 to 17 digits after an
 * account word. Hashes (long runs of hex) are never touched: every pattern needs a non-alphanumeric boundary.
 */
export function buildRedactor(accountNumbers: readonly string[]): (text: string) => string {
  const patterns: RegExp[] = [];
  const seen = new Set<string>();
  for (const raw of accountNumbers) {
    const a = raw.trim();
    if (!a || seen.has(a.toLowerCase())) continue;
    seen.add(a.toLowerCase());
    patterns.push(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(a)}(?![A-Za-z0-9])`, "gi"));
    const digits = a.replace(/\D/g, "");
    if (digits.length >= 6) {
      patterns.push(new RegExp(`(?<![A-Za-z0-9])${digits.split("").join("[ -]?")}(?![A-Za-z0-9])`, "g"));
    }
  }
  patterns.push(/(?<![A-Za-z0-9])\d{3}-\d{2}-\d{4}(?![A-Za-z0-9])/g);
  const ssnWords =
    /\b(ssn|ss#|social\s+security(?:\s+(?:no|number|#))?)([^\d\n]{0,20}?)(\d{3}[ -]?\d{2}[ -]?\d{4})(?!\d)/gi;
  const accountRuns = new RegExp(`(${ACCOUNT_WORDS}[^0-9\\n]{0,20}?)(\\d[\\d -]{6,20}\\d)(?![A-Za-z0-9])`, "gi");
  return (text: string): string => {
    let out = text;
    for (const p of patterns) out = out.replace(p, (m) => maskDigits(m));
    out = out.replace(ssnWords, (_m, w: string, gap: string, n: string) => `${w}${gap}${maskDigits(n)}`);
    out = out.replace(accountRuns, (m, w: string, n: string) =>
      n.replace(/\D/g, "").length >= 8 && n.replace(/\D/g, "").length <= 17 ? `${w}${maskDigits(n)}` : m,
    );
    return out;
  };
}

/** Keys whose values are hashes or times: never masked (masking would only break them). */
const KEEP_KEYS = new Set(["sha256", "hash", "chainHead", "when", "whenLocal", "recordedAt", "generatedAt"]);

/** Apply a redactor to every string of a value, except hashes and times. */
export function redactDeep<T>(value: T, redact: (s: string) => string, key = ""): T {
  if (typeof value === "string") return (KEEP_KEYS.has(key) ? value : redact(value)) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, key)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, redact, k);
    return out as T;
  }
  return value;
}

/**
 * The redacted timeline: every string masked, and the per-event hashes left out (an event's hash with its
 * other fields known would let someone test guesses of a masked number). Chain heads stay: they cover whole
 * chains, which the redacted document does not reveal.
 */
export function redactTimeline(doc: TimelineDoc, redact: (s: string) => string): TimelineDoc {
  const masked = redactDeep(doc, redact);
  return {
    ...masked,
    redacted: true,
    cases: masked.cases.map((c) => ({ ...c, rows: c.rows.map((r) => ({ ...r, hash: null })) })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Renderers: JSON, CSV, text

/** The JSON document, pretty-printed, ending in a newline. */
export function renderTimelineJson(doc: TimelineDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** One field of RFC 4180 CSV: quoted when it holds a comma, a double quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record (fields joined by commas; the caller ends it with CRLF). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}

/**
 * Text from mail that starts like a formula (=, +, -, @, tab, CR) would run as one when a spreadsheet opens the
 * file: such a cell gets a leading apostrophe, which spreadsheets show as plain text.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

export const CSV_HEADER = [
  "case",
  "parent case",
  "when (local)",
  "when",
  "recorded",
  "event",
  "actor",
  "channel",
  "subject",
  "message",
  "exhibits",
  "detail",
  "clock started",
  "met or missed",
  "rule",
  "event hash",
] as const;

function clockCell(r: TimelineRow, roles: readonly ClockRole[]): string {
  return r.clocks
    .filter((c) => roles.includes(c.role))
    .map((c) => {
      switch (c.role) {
        case "started":
          return `${c.name}${c.due ? ` (due ${c.due})` : ""}`;
        case "met":
          return `met: ${c.name}`;
        case "met-late":
          return `met late (${c.businessDaysLate} business days): ${c.name}`;
        case "extended":
          return `extended: ${c.name}`;
        case "missed":
          return `MISSED: ${c.name}${c.businessDaysLate !== null ? ` (late by ${c.businessDaysLate} business days)` : ""}`;
      }
      return "";
    })
    .join("; ");
}

/** The rules named by a row's clocks, each once. */
export function rowRules(r: TimelineRow): string {
  return [...new Set(r.clocks.map((c) => c.rule))].join("; ");
}

/** The message reference of a row: its file in a bundle, else "message N <Message-ID>". */
export function messageRef(m: RowMessage | null): string {
  if (!m) return "";
  return m.file ?? `message ${m.id}${m.messageId ? ` ${m.messageId}` : ""}`;
}

function exhibitsCell(r: TimelineRow): string {
  return r.exhibits
    .map((x) => x.file ?? (x.label === x.name || x.name.startsWith(x.label) ? x.name : `${x.label}: ${x.name}`))
    .join("; ");
}

/** CSV (RFC 4180: CRLF line ends, quoted fields) with a UTF-8 byte-order mark so spreadsheets read UTF-8. */
export function renderTimelineCsv(doc: TimelineDoc): string {
  const lines = [csvRecord(CSV_HEADER)];
  for (const c of doc.cases) {
    for (const r of c.rows) {
      const text = (s: string | null | undefined) => neutralizeFormula(s ?? "");
      lines.push(
        csvRecord([
          c.tag,
          c.parent ?? "",
          r.whenLocal,
          r.when,
          r.recordedAt ?? "",
          r.type,
          r.actor,
          r.channel ?? "",
          text(r.subject),
          text(messageRef(r.message)),
          text(exhibitsCell(r)),
          text(r.detail),
          text(clockCell(r, ["started"])),
          text(clockCell(r, ["met", "met-late", "extended", "missed"])),
          text(rowRules(r)),
          r.hash ?? "",
        ]),
      );
    }
  }
  return `\ufeff${lines.join("\r\n")}\r\n`;
}

/** Plain text for a terminal or a printout: one block per case (children indented under their parent). */
export function renderTimelineText(doc: TimelineDoc): string {
  const out: string[] = [];
  out.push(
    `Timeline as of ${doc.asOf}; times in ${doc.timeZone}${doc.redacted ? "; account numbers and SSNs masked" : ""}`,
  );
  if (doc.cases.length === 0) out.push("", "No cases.");
  for (const c of doc.cases) {
    const pad = "  ".repeat(c.depth);
    out.push("");
    out.push(
      `${pad}== ${c.tag}${c.parent ? ` (escalated from ${c.parent})` : ""}  ${c.kind}${c.formal ? " (formal)" : ""}  status ${c.status}  ${c.servicer}, account ${c.accountNumber}`,
    );
    if (c.rows.length === 0) out.push(`${pad}   (no events)`);
    for (const r of c.rows) {
      const head = [r.whenDisplay, r.type, r.actor, r.channel ?? ""].filter(Boolean).join("  ");
      out.push(`${pad}${head}${r.subject ? `  ${r.subject}` : ""}`);
      const sub = `${pad}    `;
      if (r.detail) out.push(`${sub}${r.detail.replace(/\s*\n\s*/g, " ")}`);
      const ref = messageRef(r.message);
      if (ref) out.push(`${sub}${ref}${r.message ? ` (sha256 ${r.message.sha256.slice(0, 16)}…)` : ""}`);
      for (const x of r.exhibits) out.push(`${sub}exhibit: ${x.file ?? x.name}`);
      const started = clockCell(r, ["started"]);
      if (started) out.push(`${sub}clock started: ${started}`);
      const outcome = clockCell(r, ["met", "met-late", "extended", "missed"]);
      if (outcome) out.push(`${sub}${outcome}`);
      const rules = rowRules(r);
      if (rules) out.push(`${sub}rule: ${rules}`);
    }
  }
  return `${out.join("\n")}\n`;
}
