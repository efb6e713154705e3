/**
 * IMAP through imapflow, read-only: mailboxes are opened with EXAMINE and messages fetched with BODY.PEEK, so
 * loanmail never sets a flag, moves or deletes anything in the user's mailbox. The session counts what it
 * fetched, so a sync can prove that a mailbox with no news cost no message download.
 */
import { ImapFlow } from "imapflow";
import type { Credentials } from "../config/accounts.js";
import { type CandidateQuery, queryIsEmpty } from "../domain/sync-search.js";
import { parseMessageIds } from "./message-ids.js";
import { serverRefused } from "./tls-errors.js";
import type {
  ExaminedMailbox,
  FetchCounts,
  MailboxReader,
  MailboxStatus,
  MessageSource,
  MessageSummary,
} from "./transport.js";

export interface ImapEndpoint {
  host: string;
  port: number;
  security: "starttls" | "tls";
  ca?: Buffer | undefined;
}

const PLANNER_HEADERS = ["references", "in-reply-to", "auto-submitted", "x-autoreply", "x-autorespond", "precedence"];

/** Unfold and split the few headers fetched with HEADER.FIELDS. */
export function parseHeaderBlock(block: Buffer | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (!block) return out;
  const text = block.toString("latin1").replace(/\r?\n[ \t]+/g, " ");
  for (const line of text.split(/\r?\n/)) {
    const m = /^([!-9;-~]+):\s*(.*)$/.exec(line);
    if (m?.[1] && m[2] !== undefined && !out.has(m[1].toLowerCase())) out.set(m[1].toLowerCase(), m[2].trim());
  }
  return out;
}

function toIso(d: Date | string | undefined): string | null {
  if (!d) return null;
  const date = d instanceof Date ? d : new Date(d);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** What sync asks of a mailbox's STATUS. */
const STATUS_QUERY = { uidNext: true, uidValidity: true, messages: true } as const;

function statusOf(
  path: string,
  s: { uidValidity?: bigint | number; uidNext?: number; messages?: number },
): MailboxStatus {
  return {
    path,
    uidValidity: Number(s.uidValidity ?? 0),
    uidNext: Number(s.uidNext ?? 0),
    messages: Number(s.messages ?? 0),
  };
}

export class ImapSession implements MailboxReader {
  readonly client: ImapFlow;
  readonly where: string;
  readonly counts: FetchCounts = { summaries: 0, sources: 0, sourceBytes: 0 };

  private constructor(client: ImapFlow, where: string) {
    this.client = client;
    this.where = where;
  }

  /** Connect with TLS or required STARTTLS, certificate checked, and log in. Failures exit 4. */
  static async open(ep: ImapEndpoint, creds: Credentials): Promise<ImapSession> {
    const where = `${ep.host}:${ep.port}`;
    const client = new ImapFlow({
      host: ep.host,
      port: ep.port,
      secure: ep.security === "tls",
      doSTARTTLS: ep.security === "starttls" ? true : undefined,
      auth: creds.accessToken
        ? { user: creds.user, accessToken: creds.accessToken }
        : { user: creds.user, pass: creds.pass ?? "" },
      tls: ep.ca ? { ca: [ep.ca], rejectUnauthorized: true } : { rejectUnauthorized: true },
      logger: false,
      disableAutoIdle: true,
      connectionTimeout: 20_000,
      greetingTimeout: 20_000,
      socketTimeout: 300_000,
    } as ConstructorParameters<typeof ImapFlow>[0]);
    client.on("error", () => {
      // Surfaced through the pending command; this only keeps a late socket error from crashing the process.
    });
    try {
      await client.connect();
    } catch (err) {
      client.close();
      throw serverRefused("IMAP", where, err);
    }
    return new ImapSession(client, where);
  }

  /** Capabilities the server announced. */
  capabilities(): string[] {
    return [...(this.client.capabilities?.keys() ?? [])];
  }

  private mailboxList: { path: string; specialUse: string | null }[] | undefined;
  /** Each mailbox's STATUS as the LIST answered it (LIST-STATUS, RFC 5819), until `status` takes it. */
  private readonly listedStatus = new Map<string, MailboxStatus>();

  /**
   * All mailboxes with their special-use flag (LISTed once per session). A server that has LIST-STATUS answers
   * each one's STATUS with it: a sync with no news then costs one round trip instead of a LIST and a STATUS per
   * mailbox. (Without it, imapflow would ask STATUS of every mailbox: only the synced ones are asked.)
   */
  async listMailboxes(): Promise<{ path: string; specialUse: string | null }[]> {
    if (!this.mailboxList) {
      const withStatus = this.client.capabilities?.has("LIST-STATUS") === true;
      const list = await this.client.list(withStatus ? { statusQuery: STATUS_QUERY } : {});
      for (const m of list) if (m.status) this.listedStatus.set(m.path, statusOf(m.path, m.status));
      this.mailboxList = list.map((m) => ({ path: m.path, specialUse: m.specialUse ?? null }));
    }
    return this.mailboxList;
  }

  /** A configured mailbox name, where `\\Junk`, `\\Sent`, `\\All` name special-use folders. Null if absent. */
  async resolveMailbox(name: string): Promise<string | null> {
    const list = await this.listMailboxes();
    if (name.startsWith("\\"))
      return list.find((m) => m.specialUse?.toLowerCase() === name.toLowerCase())?.path ?? null;
    return (
      list.find((m) => m.path === name || (name.toUpperCase() === "INBOX" && m.path.toUpperCase() === "INBOX"))?.path ??
      null
    );
  }

  /** STATUS: cheap, and enough to know that nothing changed. The LIST's answer is used once, then it is asked. */
  async status(path: string): Promise<MailboxStatus> {
    const listed = this.listedStatus.get(path);
    if (listed) {
      this.listedStatus.delete(path);
      return listed;
    }
    const s = await this.client.status(path, STATUS_QUERY);
    if (!s) throw new Error(`STATUS ${path} failed`);
    return statusOf(path, s);
  }

  /** EXAMINE (read-only). */
  async examine(path: string): Promise<ExaminedMailbox> {
    const box = await this.client.mailboxOpen(path, { readOnly: true });
    return { uidValidity: Number(box.uidValidity), uidNext: Number(box.uidNext), exists: box.exists };
  }

  /** UIDs above `last` in the open mailbox. `UID SEARCH n:*` also returns the top message, so filter. */
  async uidsAbove(last: number): Promise<number[]> {
    const found = await this.client.search({ uid: `${last + 1}:*` }, { uid: true });
    return (found || []).filter((u) => u > last).sort((a, b) => a - b);
  }

  /**
   * UIDs above `last` in the open mailbox that the candidate query finds (the server reads the headers, we read
   * nothing); null when the server refuses the search, and then the caller looks at every message itself.
   */
  async searchCandidates(q: CandidateQuery, last: number): Promise<number[] | null> {
    if (queryIsEmpty(q)) return [];
    const or: Record<string, unknown>[] = [
      ...q.fromDomains.map((d) => ({ from: d })),
      ...(q.subjectTag === null ? [] : [{ subject: q.subjectTag }]),
      ...q.ownAnchors.map((a) => ({ header: { "message-id": a } })),
      ...(q.threadAnchors ?? [""]).flatMap((a) => [{ header: { "in-reply-to": a } }, { header: { references: a } }]),
    ];
    const found = await this.client.search({ uid: `${last + 1}:*`, or }, { uid: true });
    if (!found) return null;
    return found.filter((u) => u > last).sort((a, b) => a - b);
  }

  /** ENVELOPE and the planner's headers for a set of UIDs (no body). */
  async fetchSummaries(uids: readonly number[]): Promise<MessageSummary[]> {
    if (uids.length === 0) return [];
    const out: MessageSummary[] = [];
    for await (const msg of this.client.fetch(
      uids.join(","),
      { uid: true, envelope: true, internalDate: true, size: true, headers: PLANNER_HEADERS },
      { uid: true },
    )) {
      const h = parseHeaderBlock(msg.headers);
      const env = msg.envelope;
      const from = env?.from?.[0]?.address ?? null;
      out.push({
        uid: msg.uid,
        messageId: env?.messageId ?? null,
        inReplyTo: parseMessageIds(env?.inReplyTo ?? h.get("in-reply-to"))[0] ?? null,
        references: parseMessageIds(h.get("references")),
        subject: env?.subject ?? "",
        from,
        date: toIso(env?.date),
        internalDate: toIso(msg.internalDate),
        size: msg.size ?? 0,
        autoSubmitted: h.get("auto-submitted") ?? null,
        xAutoreply: h.get("x-autoreply") ?? h.get("x-autorespond") ?? null,
        precedence: h.get("precedence") ?? null,
      });
    }
    this.counts.summaries += out.length;
    return out.sort((a, b) => a.uid - b.uid);
  }

  /** Full sources (BODY.PEEK[]) of a set of UIDs. */
  async fetchSources(uids: readonly number[]): Promise<Map<number, MessageSource>> {
    const out = new Map<number, MessageSource>();
    if (uids.length === 0) return out;
    for await (const msg of this.client.fetch(
      uids.join(","),
      { uid: true, source: true, internalDate: true },
      { uid: true },
    )) {
      if (!msg.source) continue;
      out.set(msg.uid, { source: msg.source, internalDate: toIso(msg.internalDate) });
      this.counts.sources++;
      this.counts.sourceBytes += msg.source.length;
    }
    return out;
  }

  /**
   * Is a message with this Message-ID in the mailbox? Dovecot matches header searches by substring, so each hit
   * is re-checked against the exact header value.
   */
  async containsMessageId(path: string, messageId: string, isCopy?: (source: Buffer) => boolean): Promise<boolean> {
    await this.examine(path);
    const hits = await this.client.search({ header: { "message-id": messageId } }, { uid: true });
    if (!hits || hits.length === 0) return false;
    const query = { uid: true, headers: ["message-id"], ...(isCopy ? { source: true } : {}) };
    for await (const msg of this.client.fetch(hits.join(","), query, { uid: true })) {
      const value = parseHeaderBlock(msg.headers).get("message-id");
      if (!value || parseMessageIds(value)[0] !== messageId) continue;
      if (!isCopy || (msg.source && isCopy(msg.source))) return true;
    }
    return false;
  }

  /** LOGOUT. */
  async close(): Promise<void> {
    try {
      await this.client.logout();
    } catch {
      this.client.close();
    }
  }
}
