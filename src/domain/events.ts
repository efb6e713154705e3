/**
 * The event log's vocabulary: every event type loanmail writes, with the shape of its data. The store appends and
 * reads events only through these types (src/store/events.ts), so a reader narrows on `type` instead of casting.
 *
 * The data objects are hashed as written (canonical JSON, see docs/ARCHITECTURE.md "The record"), so a field is
 * never renamed or dropped here: a new need gets a new optional field or a new event type.
 */

import type { Designation } from "./designation.js";
import type { LetterLanguage } from "./language.js";

export type EventActor = "user" | "servicer" | "loanmail" | "other";

/** A JSON value as stored in an event's data. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined };

/** A copy of a row as it was when the event was written (servicer, loan). */
export type RowSnapshot = { readonly [key: string]: unknown };

/**
 * What happened to a loss-mitigation application after it was complete (12 C.F.R. 1024.41): the servicer's offer,
 * the borrower's appeal of a denial, the borrower's acceptance or rejection of an offer.
 */
export type LossMitigationEventType = "offer" | "appealed" | "accepted" | "rejected";

/** Dated borrower-side events the user records with `event` or `filed`; they start or stop clocks. */
export type CaseEventType =
  | "paid-off"
  | "application-complete"
  | "denied"
  | "cfpb-filed"
  | "cfpb-response"
  | LossMitigationEventType;

/**
 * What a letter was addressed to at the moment it left (`mailed`, `sent`, `queued`): the servicer's name, the
 * account number and the borrowers of that day, and the postal address or the email addresses used. Kept with the
 * event so that a servicing transfer, a rename or a later edit never changes the record of a letter that left.
 * Events written before this field existed have none: readers fall back to the loan as it is now, and say so.
 */
export interface AsSentData {
  servicer: string;
  servicer_id: number;
  account_number: string;
  borrowers: string[];
  channel: string;
  /** The postal address the letter was mailed to (post), else null. */
  address: string | null;
  /** The addresses it was emailed to (To, then Cc); empty for a letter that did not go by email. */
  email: string[];
}

/** The servicer a letter is addressed to when it is not the loan's current one: the transferor of record. */
export interface PriorServicerData {
  servicer_id: number;
  servicer: string;
  account_number: string;
  /** The transfer's effective date: the old servicer's duties last for notices received within a year of it. */
  transferred_on: string;
}

/** A file kept as proof that a letter was mailed or delivered (`mail-proof`). */
export type ProofKind = "receipt" | "green-card" | "tracking-proof";

export interface ProofFileData {
  kind: ProofKind;
  /** The file's name as the user gave it (without its folder). */
  name: string;
  sha256: string;
  size: number;
  content_type: string;
}

export interface SmtpSentData {
  channel: string;
  accepted: string[];
  rejected: string[];
  rejected_errors?: unknown;
  response?: string;
  sha256: string;
  as_sent?: AsSentData;
}

/** An `unknown` send settled later: the letter was found in a mailbox (by search or by sync). */
export interface ResolvedSentData {
  resolved_by: "imap-search" | "sync";
  mailbox: string;
  message_id?: string | null;
}

/**
 * A letter the user sent outside loanmail and recorded: with `sent` (portal, fax, hand delivery), or by `import`
 * of a letter they emailed from another program (via "email", imported).
 */
export interface ManualSentData {
  via: string;
  sent_on?: string;
  proof?: { name: string; sha256: string } | null;
  sha256: string;
  /** Whether it reached a channel the servicer designated for notices, decided as it left (absent before 0.2). */
  designation?: Designation;
  as_sent?: AsSentData;
  /** The PDF loanmail printed last before it left (`printed`); null when loanmail never printed it. */
  pdf_sha256?: string | null;
  /** A letter the user emailed from elsewhere, recorded by `import` of its .eml (via "email"). */
  imported?: boolean;
}

/** A reply that came in by mail (sync or import). */
export interface MailReceivedData {
  from: string | null;
  subject: string | null;
  date: string | null;
  message_id: string | null;
  sha256: string;
  /** As stored: one of the reply classes, or needs-review. */
  class: string;
  /** The classifier's best class and how sure it was (0 to 1); absent in events of earlier releases. */
  guess?: string;
  confidence?: number;
  /** The message whose class the user set, when its wording decided this one (a per-home correction). */
  corrected_by?: number;
  reasons: string[];
  filed_by: string | null;
  via: string;
  parse_error?: string | null;
  /** Who sent it, as judged on arrival (absent before sender checks): trusted, suspect or unverified, and why. */
  trust?: { status: string; why: string[] };
  /** When it reached the user's mailbox and how that is known (absent before arrival checks). */
  arrived?: { at: string; source: string; by?: string };
  /** Its Message-ID was already held by another message with other bytes. */
  message_id_reused?: boolean;
}

/** A paper or portal reply recorded with `received`. */
export interface PaperReceivedData {
  via: string;
  on: string;
  class: string;
  scan: string;
  scan_sha256: string;
  sha256: string;
}

export interface EscalatedData {
  from: string;
  step: string;
  /** The user picked the rung on purpose (`escalate --to`); absent in events written before it existed. */
  chosen?: boolean;
  as_of?: string;
  trigger: string;
  triggers: { kind: string; text: string }[];
  missed: unknown[];
  cites: unknown[];
  /** The foreclosure protections in force that the escalation cited (12 C.F.R. 1024.41(f), (g), (j)). */
  protections?: { id: string; rule: string; until: string | null }[];
  child?: string | null;
  child_id?: number;
  child_message?: number;
  kind?: string;
  formal?: boolean;
  channel?: string;
  packet?: { dir: string; files: { name: string; sha256: string; size: number }[] } | null;
}

/** A counselor's home (`init --counselor`): the agency and counselor rows it made or kept. */
export interface CounselorHomeData {
  home: "counselor";
  agency_id: number;
  agency: string;
  hud_agency_id: string | null;
  counselor_id: number;
}

/** A client household's intake as recorded (src/domain/intake.ts), on the client's own chain. */
export interface ClientIntakeData {
  id: number;
  name: string;
  counselor_id: number | null;
  intake: { [key: string]: JsonValue | undefined };
}

export interface EventDataByType {
  /** `counselor` is present only in a counselor's home (absent: a borrower's home, as before 0.4). */
  init: { name: string; email: string; timezone: string; counselor?: CounselorHomeData };
  reinit: { name: string; email: string; timezone: string; counselor?: CounselorHomeData };
  "servicer-added": RowSnapshot;
  "servicer-changed": RowSnapshot;
  "loan-added": RowSnapshot;
  "loan-changed": RowSnapshot;
  transfer: {
    on: string;
    from_servicer: string;
    from_account: string;
    to_servicer: string;
    to_account: string;
    /** The old servicer's designations for notices that day (absent before 0.3): where a late notice still goes. */
    from_notice_address?: string | null;
    from_notice_email?: string | null;
  };
  "authorization-added": {
    id: number;
    authorized: string;
    signers: string[];
    signed_on: string;
    expires_on: string | null;
    file_sha256: string;
  };
  "authorization-submitted": { id: number; on: string };
  /** The authorization no longer lets the counselor write for the client from `on` (`authorization revoke`). */
  "authorization-revoked": { id: number; on: string };
  "client-added": ClientIntakeData;
  /** The intake after the change, and the names of the fields changed. */
  "client-changed": ClientIntakeData & { changed: string[] };
  /** An item of the client's action plan (`client plan C --add TEXT --by D`), and one marked done. */
  "plan-added": { id: number; text: string; by: string };
  "plan-done": { id: number; text: string; on: string };
  composed: {
    kind: string;
    new_case: boolean;
    formal: boolean;
    channel: string;
    to: string | null;
    cc: string[];
    postal_address: string | null;
    subject: string;
    message_id: string;
    sha256: string;
    exhibits: { exhibit: string; file: string; sha256: string }[];
    warnings: unknown[];
    allow_sensitive: boolean;
    /** The day the letter was written (YYYY-MM-DD), when it was entered later (`compose --dated`); `at` is entry. */
    dated?: string;
    /** Addressed to the servicer before a transfer (`compose --prior-servicer`): who, its old account, the day. */
    prior_servicer?: PriorServicerData;
    /**
     * In a counselor's home: the authorization the letter was written under, and the exhibit that carries its
     * signed form (null when an earlier letter to that servicer carried it).
     */
    authorization?: { id: number; form_exhibit: string | null };
    /** The language the letter is written in (absent: English; its subject is English either way). */
    lang?: LetterLanguage;
  };
  edited: {
    from_sha256: string;
    to_sha256: string;
    previous_blob: string;
    warnings: unknown[];
    allow_sensitive: boolean;
    /** The draft's exhibits after an `edit --attach/--detach`, re-lettered (absent for a text edit). */
    exhibits?: { exhibit: string; file: string; sha256: string }[];
    detached?: string[];
  };
  discarded: { previous_status: string };
  /** One draft of a case discarded on its own; its bytes stay in the record. */
  "letter-discarded": { sha256: string; kind: string | null };
  resolved: {
    previous_status: string;
    last_reply: { message: number; class: string } | null;
    /** The case's outcome in HUD form 9902's categories (`resolve --outcome`, src/domain/outcomes.ts). */
    outcome?: string;
  };
  unresolved: { previous_status: string; last_reply: { message: number; class: string } | null };
  note: { text: string };
  call: { with: string; summary: string; call_at: string; recorded_at: string };
  queued: {
    sha256: string;
    account: string;
    envelope: { from: string; to: string[] };
    /** Whether it reached a channel the servicer designated for notices, decided as it left (absent before 0.2). */
    designation?: Designation;
    as_sent?: AsSentData;
  };
  resend: { reason: string };
  sent: SmtpSentData | ResolvedSentData | ManualSentData;
  /**
   * A send that delivered nothing: the server answered with a code (4xx retryable, 5xx permanent), or (phase
   * `connect`) no session opened at all (connection refused, DNS, TLS, login: before MAIL FROM), after which the
   * letter went back to `returned_to` (docs/ARCHITECTURE.md, "Mail"). `code` is the server's reply code or, for
   * `connect`, loanmail's error code; `server` is host:port. Never a password.
   */
  "send-failed": {
    code: number | string | null;
    response: string | null;
    retryable: boolean;
    server?: string;
    phase?: "connect";
    returned_to?: "draft" | "failed";
  };
  "send-unknown": { reason?: string; error?: string };
  mailed: {
    tracking: string;
    mailed_on: string;
    sha256: string;
    postal_address: string | null;
    /** Whether it was mailed to the servicer's designated notice address (absent before 0.2). */
    designation?: Designation;
    as_sent?: AsSentData;
    /** The PDF loanmail printed last before the mailing (`printed`); null when loanmail never printed it. */
    pdf_sha256?: string | null;
  };
  /** `show --pdf` of an unsent letter: the PDF's bytes are kept (blobs) under this hash. */
  printed: { sha256: string; size: number; letter_sha256: string };
  /** Proof of mailing or delivery kept with a mailed letter (PS 3800 receipt, PS 3811 green card, tracking). */
  "mail-proof": { tracking: string; files: ProofFileData[] };
  delivered: { tracking: string; delivered_on: string };
  received: MailReceivedData | PaperReceivedData;
  filed: { previous_case: number | null; subject: string | null; sha256: string };
  classified: {
    from: string | null;
    to: string;
    /** A suspect or unverified reply the user confirmed (`classify --confirm`): from then on it meets clocks. */
    confirmed?: { trust: string; why: string[] };
  };
  "paid-off": { on: string; "sale-date"?: string };
  "application-complete": { on: string; "sale-date"?: string };
  /** `on`: the date of the servicer's decision notice (the day it provided the denial, 1024.41(c)(1)(ii)). */
  denied: { on: string; "sale-date"?: string };
  /** `on`: the date of the offer notice; `accept-by`: the answer date the offer names, if any (1024.41(e)(1)). */
  offer: { on: string; "sale-date"?: string; "accept-by"?: string };
  /** The borrower appealed a denial (1024.41(h)): `on` is the day the appeal reached the servicer. */
  appealed: { on: string };
  /** The borrower accepted or rejected an offer on `on` (1024.41(e)(2)). */
  accepted: { on: string };
  rejected: { on: string };
  "cfpb-filed": { on: string; "cfpb-id": string };
  /** The company's response to a CFPB complaint arrived (`filed --response-date`): final, or "in progress". */
  "cfpb-response": { on: string; "cfpb-id": string; in_progress: boolean };
  escalated: EscalatedData;
  exported: {
    file: string;
    manifest_sha256: string;
    chain_head: string;
    chain_heads: Record<string, string>;
    /**
     * Events appended to the chain after `chain_head` while the bundle was written (another command's): verify
     * --db requires the head to stand exactly that many events before this one. Absent in earlier exports.
     */
    appended_since?: number;
    redacted: boolean;
    files: number;
    omitted: unknown;
    bytes: number;
    /** A client's whole file (`export --client`): the client's id and every chain of the bundle (case tags and "client"). */
    client_id?: number;
    /** Who exported it (the user's name from config.toml). */
    by?: string;
  };
  /** A client's file closed (24 C.F.R. 214.315: kept three years after this day), on the client's chain. */
  "client-closed": { on: string; reason: string | null; by: string };
  "client-reopened": { closed_on: string; by: string };
  /** A client's whole file removed (`client purge`), on chain 0 (the agency log): see PurgeData. */
  "client-purged": PurgeData;
}

/**
 * What a purge removed, recorded on chain 0 before the rows go (so that it links to the real head), so that
 * verify --db can tell the gaps it leaves from rows removed outside loanmail: every chain-0 event removed (its id,
 * link and hash, to bridge the gap in chain 0) and every whole chain removed (its head, length and event ids).
 * It names no client by name or account number: the point of the purge is that none remains.
 */
export interface PurgeData {
  client_id: number;
  by: string;
  closed_on: string;
  /** The whole-file export written first (its SHA-256 and size), or null when none was (`--no-export`). */
  export: { sha256: string; bytes: number; manifest_sha256: string } | null;
  /** The reason given with `--force` before the three years were over; null when they were over. */
  forced_reason: string | null;
  /** The day the retention period ended (close + 3 years), or would have. */
  retained_until: string;
  counts: Record<string, number>;
  chain0: { id: number; prev_hash: string; hash: string }[];
  /** Each removed chain (a case, or the client's own chain: minus its id); `ids` as [first, last] runs. */
  chains: { chain: number; head: string; events: number; ids: [number, number][] }[];
  /** The client's messages removed, as [first, last] runs of ids (another client's chain may still name one). */
  messages: [number, number][];
}

export type EventType = keyof EventDataByType;

/** One event's type with its data: narrow on `type` to read `data`. */
export type LogEvent = { [T in EventType]: { type: T; data: EventDataByType[T] } }[EventType];

export const EVENT_TYPES: readonly EventType[] = [
  "init",
  "reinit",
  "servicer-added",
  "servicer-changed",
  "loan-added",
  "loan-changed",
  "transfer",
  "authorization-added",
  "authorization-submitted",
  "authorization-revoked",
  "client-added",
  "client-changed",
  "plan-added",
  "plan-done",
  "composed",
  "edited",
  "discarded",
  "letter-discarded",
  "resolved",
  "unresolved",
  "note",
  "call",
  "queued",
  "resend",
  "sent",
  "send-failed",
  "send-unknown",
  "mailed",
  "delivered",
  "printed",
  "mail-proof",
  "received",
  "filed",
  "classified",
  "paid-off",
  "application-complete",
  "denied",
  "cfpb-filed",
  "cfpb-response",
  "offer",
  "appealed",
  "accepted",
  "rejected",
  "escalated",
  "exported",
  "client-closed",
  "client-reopened",
  "client-purged",
];

/** The events of a loss-mitigation application (12 C.F.R. 1024.41): recorded only on the case that holds one. */
export const LOSS_MITIGATION_EVENT_TYPES = [
  "application-complete",
  "denied",
  "offer",
  "appealed",
  "accepted",
  "rejected",
] as const satisfies readonly CaseEventType[];

/** The dated case events that start or stop clocks (read by src/app/clock-facts.ts). */
export const CASE_EVENT_TYPES: readonly CaseEventType[] = [
  "paid-off",
  "application-complete",
  "denied",
  "cfpb-filed",
  "cfpb-response",
  "offer",
  "appealed",
  "accepted",
  "rejected",
];

/**
 * The event types the clocks read (src/app/clock-facts.ts): a letter's composing and leaving, and the dated case
 * events. The others (a reply's `received`, notes, exports...) change no clock, so a listing over a caseload reads
 * only these, from an index that holds only these (migration 170, whose list is this one, in this order; a test
 * checks the listing still uses it).
 */
export const CLOCK_EVENT_TYPES: readonly EventType[] = [
  "composed",
  "queued",
  "sent",
  "mailed",
  "delivered",
  ...CASE_EVENT_TYPES,
];

export function isCaseEventType(value: string): value is CaseEventType {
  return (CASE_EVENT_TYPES as readonly string[]).includes(value);
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** Events that say a letter left: its day is the one a clock runs from. */
export const LEAVING_EVENT_TYPES = ["delivered", "mailed", "sent"] as const satisfies readonly EventType[];

/** The day a `sent` event says a letter left, when the user stated one (portal, fax, hand delivery). */
export function sentOnOf(data: EventDataByType["sent"]): string | undefined {
  return "sent_on" in data ? data.sent_on : undefined;
}
