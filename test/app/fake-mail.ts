/**
 * In-process mail servers for the use-case tests: an SMTP server whose answer each test scripts, and an IMAP
 * server holding mailboxes of raw messages. No sockets; they implement the interfaces of src/mail/transport.ts.
 */
import type { Account } from "../../src/config/accounts.js";
import { type CandidateQuery, queryMatches } from "../../src/domain/sync-search.js";
import { parseHeaderBlock } from "../../src/mail/imap.js";
import { parseMessageIds } from "../../src/mail/message-ids.js";
import type {
  AccountMail,
  Envelope,
  ExaminedMailbox,
  FetchCounts,
  MailboxReader,
  MailboxStatus,
  MessageSource,
  MessageSummary,
  SendOutcome,
  SmtpTransport,
} from "../../src/mail/transport.js";

export interface Delivery {
  envelope: Envelope;
  raw: Buffer;
}

/** An SMTP server: `answer` decides each outcome; `deliveries` is every letter handed over with DATA. */
export class FakeSmtp {
  readonly deliveries: Delivery[] = [];
  sessions = 0;
  maxSize: number | null = null;
  /** When set, opening a session fails (before MAIL FROM) with this error. */
  refuseConnection: Error | undefined;

  constructor(public answer: (envelope: Envelope) => SendOutcome = acceptAll) {}

  async open(): Promise<SmtpTransport> {
    if (this.refuseConnection) throw this.refuseConnection;
    this.sessions++;
    return {
      where: "smtp.example.test:587",
      maxSize: () => this.maxSize,
      send: async (envelope, raw) => {
        this.deliveries.push({ envelope, raw });
        return this.answer(envelope);
      },
      close: () => {},
    };
  }
}

export function acceptAll(envelope: Envelope): SendOutcome {
  return { status: "sent", accepted: envelope.to, rejected: [], rejectedErrors: [], response: "250 2.0.0 Ok: queued" };
}

/** The server accepts some recipients and refuses the others at RCPT TO with `code`. */
export function refuse(refused: readonly string[], code = 550): (envelope: Envelope) => SendOutcome {
  return (envelope) => {
    const rejected = envelope.to.filter((a) => refused.includes(a));
    const accepted = envelope.to.filter((a) => !refused.includes(a));
    if (accepted.length === 0) {
      return { status: "failed", retryable: code < 500, code, response: `${code} no such user`, rejected };
    }
    return {
      status: "sent",
      accepted,
      rejected,
      rejectedErrors: rejected.map((recipient) => ({ recipient, code, response: `${code} 5.1.1 no such user` })),
      response: "250 2.0.0 Ok: queued",
    };
  };
}

export interface StoredMessage {
  uid: number;
  raw: Buffer;
  internalDate: string;
}

export interface FakeMailbox {
  uidValidity: number;
  uidNext: number;
  specialUse: string | null;
  messages: StoredMessage[];
}

/** An IMAP server: named mailboxes of raw messages; counts what every session downloaded. */
export class FakeImap {
  readonly boxes = new Map<string, FakeMailbox>();
  readonly fetched: FetchCounts = { summaries: 0, sources: 0, sourceBytes: 0 };
  sessions = 0;
  /** Every candidate SEARCH the sessions sent. */
  readonly searches: CandidateQuery[] = [];
  /** When set, the server refuses the candidate SEARCH (the client then looks at every message itself). */
  refuseSearch = false;
  /** When set, a source FETCH fails (the connection lost) once this many sources were sent in all. */
  loseConnectionAfterSources: number | undefined;

  constructor() {
    this.boxes.set("INBOX", { uidValidity: 1, uidNext: 1, specialUse: null, messages: [] });
  }

  addMailbox(path: string, specialUse: string | null): void {
    this.boxes.set(path, { uidValidity: 1, uidNext: 1, specialUse, messages: [] });
  }

  /** Deliver a message into a mailbox; returns its UID. */
  deliver(path: string, raw: string | Buffer, internalDate = "2026-03-03T16:00:00.000Z"): number {
    const box = this.box(path);
    const uid = box.uidNext++;
    box.messages.push({ uid, raw: Buffer.from(raw), internalDate });
    return uid;
  }

  /** The server renumbers a mailbox: a new UIDVALIDITY, every message under a new UID. */
  renumber(path: string, uidValidity: number): void {
    const box = this.box(path);
    box.uidValidity = uidValidity;
    box.uidNext = 1;
    box.messages = box.messages.map((m) => ({ ...m, uid: box.uidNext++ }));
  }

  box(path: string): FakeMailbox {
    const box = this.boxes.get(path);
    if (!box) throw new Error(`no mailbox ${path}`);
    return box;
  }

  async open(): Promise<MailboxReader> {
    this.sessions++;
    return new FakeImapSession(this);
  }
}

class FakeImapSession implements MailboxReader {
  readonly counts: FetchCounts = { summaries: 0, sources: 0, sourceBytes: 0 };
  private selected: FakeMailbox | undefined;

  constructor(private readonly server: FakeImap) {}

  async resolveMailbox(name: string): Promise<string | null> {
    for (const [path, box] of this.server.boxes) {
      if (name.startsWith("\\") ? box.specialUse === name : path.toUpperCase() === name.toUpperCase()) return path;
    }
    return null;
  }

  async status(path: string): Promise<MailboxStatus> {
    const box = this.server.box(path);
    return { path, uidValidity: box.uidValidity, uidNext: box.uidNext, messages: box.messages.length };
  }

  async examine(path: string): Promise<ExaminedMailbox> {
    this.selected = this.server.box(path);
    return {
      uidValidity: this.selected.uidValidity,
      uidNext: this.selected.uidNext,
      exists: this.selected.messages.length,
    };
  }

  async uidsAbove(last: number): Promise<number[]> {
    return this.open()
      .messages.map((m) => m.uid)
      .filter((u) => u > last);
  }

  /** SEARCH as Dovecot does it: case-insensitive substrings of the headers (RFC 3501 6.4.4). */
  async searchCandidates(q: CandidateQuery, last: number): Promise<number[] | null> {
    this.server.searches.push(q);
    if (this.server.refuseSearch) return null;
    return this.open()
      .messages.filter((m) => {
        if (m.uid <= last) return false;
        const h = headersOf(m.raw);
        return queryMatches(q, {
          from: h.get("from") ?? null,
          subject: h.get("subject") ?? "",
          messageId: h.get("message-id") ?? null,
          inReplyTo: h.get("in-reply-to") ?? null,
          references: h.get("references") ?? null,
        });
      })
      .map((m) => m.uid);
  }

  async fetchSummaries(uids: readonly number[]): Promise<MessageSummary[]> {
    const out = this.pick(uids).map(summarize);
    this.counts.summaries += out.length;
    this.server.fetched.summaries += out.length;
    return out;
  }

  async fetchSources(uids: readonly number[]): Promise<Map<number, MessageSource>> {
    const lost = this.server.loseConnectionAfterSources;
    if (lost !== undefined && this.server.fetched.sources >= lost) throw new Error("connection lost");
    const out = new Map<number, MessageSource>();
    for (const m of this.pick(uids)) {
      out.set(m.uid, { source: m.raw, internalDate: m.internalDate });
      for (const c of [this.counts, this.server.fetched]) {
        c.sources++;
        c.sourceBytes += m.raw.length;
      }
    }
    return out;
  }

  async containsMessageId(path: string, messageId: string, isCopy?: (source: Buffer) => boolean): Promise<boolean> {
    return this.server
      .box(path)
      .messages.some((m) => headersOf(m.raw).get("message-id") === messageId && (!isCopy || isCopy(m.raw)));
  }

  async close(): Promise<void> {}

  private open(): FakeMailbox {
    if (!this.selected) throw new Error("no mailbox is open (EXAMINE first)");
    return this.selected;
  }

  private pick(uids: readonly number[]): StoredMessage[] {
    return this.open().messages.filter((m) => uids.includes(m.uid));
  }
}

function headersOf(raw: Buffer): Map<string, string> {
  const text = raw.toString("latin1");
  const end = text.search(/\r?\n\r?\n/);
  return parseHeaderBlock(Buffer.from(end < 0 ? text : text.slice(0, end), "latin1"));
}

function summarize(m: StoredMessage): MessageSummary {
  const h = headersOf(m.raw);
  const from = h.get("from") ?? null;
  return {
    uid: m.uid,
    messageId: parseMessageIds(h.get("message-id"))[0] ?? null,
    inReplyTo: parseMessageIds(h.get("in-reply-to"))[0] ?? null,
    references: parseMessageIds(h.get("references")),
    subject: h.get("subject") ?? "",
    from: from === null ? null : (/<([^>]+)>/.exec(from)?.[1] ?? from),
    date: null,
    internalDate: m.internalDate,
    size: m.raw.length,
    autoSubmitted: h.get("auto-submitted") ?? null,
    xAutoreply: null,
    precedence: null,
  };
}

/** The account with these fake servers behind it, as the CLI's mail context gives the real ones. */
export function fakeAccountMail(account: Account, smtp: FakeSmtp, imap: FakeImap): AccountMail {
  return { account, openSmtp: () => smtp.open(), openMailbox: () => imap.open() };
}
