/**
 * What the use cases need of the mail servers, as interfaces: the real sessions (nodemailer's SMTPConnection in
 * smtp.ts, imapflow in imap.ts) implement them, and tests give in-process fakes. Opening a session is the
 * factory's business (connect.ts), so a use case never knows a host, a port or a password.
 */
import type { Account } from "../config/accounts.js";
import type { CandidateQuery } from "../domain/sync-search.js";

/** The SMTP envelope: MAIL FROM and one RCPT TO each. */
export interface Envelope {
  from: string;
  to: string[];
}

/** A recipient the server refused while accepting others. */
export interface RecipientError {
  recipient: string;
  code: number | null;
  response: string;
}

/**
 * How a letter handed to the server ended, by phase: `sent` once the server replied to DATA (with the
 * recipients it refused at RCPT TO, if any); `failed` when it answered with a code (4xx retryable, 5xx
 * permanent; all recipients refused at RCPT TO is such a failure); `unknown` when the connection was lost
 * without a reply, after which the letter may have been delivered.
 */
export type SendOutcome =
  | { status: "sent"; accepted: string[]; rejected: string[]; response: string; rejectedErrors: RecipientError[] }
  | { status: "failed"; retryable: boolean; code: number; response: string; rejected: string[] }
  | { status: "unknown"; error: string };

/**
 * One connected, authenticated SMTP session. Opening it (connect, TLS, login) throws a UserError when it fails,
 * before MAIL FROM: then nothing left and the letter goes back to draft (src/app/send-outcome.ts).
 */
export interface SmtpTransport {
  /** host:port, for messages. */
  readonly where: string;
  /** The SIZE the server announced in EHLO, or null when it announced none. */
  maxSize(): number | null;
  /** MAIL FROM, RCPT TO, DATA with exactly these bytes; never throws, the outcome says what happened. */
  send(envelope: Envelope, raw: Buffer): Promise<SendOutcome>;
  /** QUIT; the outcomes are already known. */
  close(): void;
}

export interface MailboxStatus {
  path: string;
  uidValidity: number;
  uidNext: number;
  messages: number;
}

/** A mailbox opened read-only (EXAMINE). */
export interface ExaminedMailbox {
  uidValidity: number;
  uidNext: number;
  exists: number;
}

/** What the planner sees of a message before deciding to download it. */
export interface MessageSummary {
  uid: number;
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  subject: string;
  from: string | null;
  date: string | null;
  internalDate: string | null;
  size: number;
  autoSubmitted: string | null;
  xAutoreply: string | null;
  precedence: string | null;
}

/** A message's full bytes as the server holds them. */
export interface MessageSource {
  source: Buffer;
  internalDate: string | null;
}

/** What a session downloaded, so that a sync can show that a mailbox with no news cost no download. */
export interface FetchCounts {
  summaries: number;
  sources: number;
  sourceBytes: number;
}

/**
 * One connected, authenticated, read-only IMAP session: it never sets a flag, moves or deletes. Opening it
 * throws a UserError when it fails.
 */
export interface MailboxReader {
  readonly counts: FetchCounts;
  /** A configured mailbox name, where `\\Junk`, `\\Sent`, `\\All` name special-use folders. Null if absent. */
  resolveMailbox(name: string): Promise<string | null>;
  /** STATUS: UIDVALIDITY and UIDNEXT, enough to know that nothing changed. */
  status(path: string): Promise<MailboxStatus>;
  /** Open a mailbox read-only; the calls below apply to it. */
  examine(path: string): Promise<ExaminedMailbox>;
  /** UIDs above `last` in the open mailbox, ascending. */
  uidsAbove(last: number): Promise<number[]>;
  /**
   * UIDs above `last` in the open mailbox that the server's SEARCH for `q` finds, ascending (src/domain/sync-search.ts);
   * null when the server refuses that search.
   */
  searchCandidates(q: CandidateQuery, last: number): Promise<number[] | null>;
  /** Envelopes and the planner's headers (no body) of these UIDs in the open mailbox, by UID. */
  fetchSummaries(uids: readonly number[]): Promise<MessageSummary[]>;
  /** Full sources of these UIDs in the open mailbox. */
  fetchSources(uids: readonly number[]): Promise<Map<number, MessageSource>>;
  /**
   * Does the mailbox at `path` hold a message with exactly this Message-ID (and, when `isCopy` is given, whose
   * bytes it accepts: a Message-ID alone proves nothing)?
   */
  containsMessageId(path: string, messageId: string, isCopy?: (source: Buffer) => boolean): Promise<boolean>;
  /** LOGOUT. */
  close(): Promise<void>;
}

/** The servers of one mail account; each call opens a new session. */
export interface MailServers {
  openSmtp(): Promise<SmtpTransport>;
  openMailbox(): Promise<MailboxReader>;
}

/** The account a command uses and its servers. */
export interface AccountMail extends MailServers {
  account: Account;
}
