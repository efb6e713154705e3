/**
 * The checks every incoming message gets on the one ingest path (docs/ARCHITECTURE.md, "Replies you can trust"):
 * who sent it (src/domain/reply-trust.ts: the servicer's address, nothing saying it is forged, optionally its
 * DKIM signature verified), when it reached the user's mailbox (src/domain/reply-arrival.ts: INTERNALDATE, the
 * user's own server's Received field, else not proven), and whether a message carrying one of our own
 * Message-IDs is really a copy of our letter (by its bytes, never by the id alone).
 */
import type { Account } from "../config/accounts.js";
import type { Config } from "../config/config.js";
import { type Arrival, arrivalOf, dateDiscrepancyDays, storedArrival } from "../domain/reply-arrival.js";
import {
  judgeReplyTrust,
  meetsClocks,
  type ReplyStanding,
  type ServicerIdentity,
  standingOf,
  type TrustVerdict,
} from "../domain/reply-trust.js";
import { type DnsResolver, verifyDkim } from "../mail/dkim.js";
import type { ParsedMail } from "../mail/parse.js";
import type { ReplyClockFacts } from "../store/clock-rows.js";
import type { Db } from "../store/db.js";
import { listOwnLetterBytes } from "../store/mail.js";
import type { ClockMessage } from "../store/messages.js";
import { firstInternalDate } from "../store/origins.js";
import { listCaseServicerIds, listServicers } from "../store/servicers.js";

/** What identifies the user's own mail provider: its host names and the authserv-id of its checks. */
export interface MailboxOwner {
  /** IMAP and SMTP hosts and authserv-ids: a Received field added by one of them (or their domain) is the user's. */
  hosts: string[];
  /** Authentication-Results fields are believed only from these authserv-ids. */
  authservIds: string[];
}

/** `--verify-dkim`: check DKIM signatures, through this resolver (tests) or DNS. */
export interface DkimOption {
  resolver?: DnsResolver | undefined;
}

const text = (v: unknown): string | undefined => (typeof v === "string" && v.trim() ? v.trim() : undefined);

/** The user's providers, from every account in config.toml (an import may come from any of them). */
export function ownerOfConfig(config: Config): MailboxOwner {
  const hosts: string[] = [];
  const authservIds: string[] = [];
  for (const raw of Object.values(config.accounts)) {
    const host = (t: unknown) => text((t as Record<string, unknown> | undefined)?.host);
    for (const h of [host(raw.imap), host(raw.smtp), text(raw.authserv_id)]) if (h) hosts.push(h);
    const id = text(raw.authserv_id);
    if (id) authservIds.push(id);
  }
  return { hosts, authservIds };
}

/** The provider of the account being synced. */
export function ownerOfAccount(account: Account): MailboxOwner {
  const id = account.authservId;
  return { hosts: [account.imap.host, account.smtp.host, ...(id ? [id] : [])], authservIds: id ? [id] : [] };
}

/** The servicers whose address may answer in a case: its loan's, now and before a transfer; unfiled, any. */
export function servicersFor(db: Db, caseId: number | null): ServicerIdentity[] {
  const ids = caseId === null ? null : new Set(listCaseServicerIds(db, caseId));
  return listServicers(db)
    .filter((s) => ids === null || ids.has(s.id))
    .map((s) => ({
      id: s.id,
      name: s.name,
      domains: s.domains,
      addresses: [s.email, s.noticeEmail, s.payoffEmail].filter((a): a is string => !!a),
    }));
}

/**
 * servicersFor, each case's answer read once: for a sync's batch of messages, during which nothing changes the
 * servicers or a case's loan (a query per message was a tenth of a first sync's time).
 */
export function servicersMemo(db: Db): (caseId: number | null) => ServicerIdentity[] {
  const byCase = new Map<number | null, ServicerIdentity[]>();
  return (caseId) => {
    let found = byCase.get(caseId);
    if (!found) {
      found = servicersFor(db, caseId);
      byCase.set(caseId, found);
    }
    return found;
  };
}

/** Who sent it and when it arrived. */
export interface IncomingChecks {
  trust: TrustVerdict;
  arrival: Arrival;
}

/** Judge an incoming message filed to `caseId` (or unfiled): its sender and its arrival. */
export async function checkIncoming(
  db: Db,
  raw: Buffer,
  parsed: ParsedMail,
  caseId: number | null,
  at: {
    internalDate: string | null;
    now: Date;
    owner: MailboxOwner;
    dkim?: DkimOption | undefined;
    /** The servicers that may answer in a case (servicersMemo for a batch); read for this message otherwise. */
    servicers?: ((caseId: number | null) => ServicerIdentity[]) | undefined;
  },
): Promise<IncomingChecks> {
  const arrival = arrivalOf({
    internalDate: at.internalDate,
    received: parsed.received,
    ownHosts: at.owner.hosts,
    now: at.now,
  });
  const dkim = at.dkim ? await verifyDkim(raw, { resolver: at.dkim.resolver, at: new Date(arrival.at) }) : undefined;
  const trust = judgeReplyTrust({
    from: parsed.from,
    servicers: (at.servicers ?? ((id) => servicersFor(db, id)))(caseId),
    authResults: parsed.authResults,
    trustedAuthservIds: at.owner.authservIds,
    dkim,
  });
  return { trust, arrival };
}

/**
 * Whether `raw` is a copy of one of our letters with this Message-ID: the same bytes, or the same bytes under
 * header fields a server added on the way (Received, Return-Path, Delivered-To, ...). Returns that letter's row
 * id; a message that only carries the id is not our letter.
 */
export function ownLetterCopyOf(db: Db, messageId: string, raw: Buffer): number | undefined {
  for (const own of listOwnLetterBytes(db, messageId)) {
    if (raw.equals(own.raw)) return own.id;
    if (raw.length > own.raw.length && raw.subarray(raw.length - own.raw.length).equals(own.raw)) {
      const added = raw.subarray(0, raw.length - own.raw.length).toString("latin1");
      // Only whole header fields may sit above our bytes: a name, a colon, and folded continuation lines.
      if (/^(?:[\x21-\x39\x3b-\x7e]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)+$/.test(added)) return own.id;
    }
  }
  return undefined;
}

/** A received message as `show`, `due` and the timeline present it: when it arrived, and its standing. */
export interface ReplyView {
  arrival: Arrival;
  /** Whole days its Date header is before its arrival, when more than one (a discrepancy); else null. */
  dateDiscrepancyDays: number | null;
  /** Who sent it as judged on arrival, and whether the user confirmed it; null for a reply recorded by hand. */
  standing: ReplyStanding | null;
  /** It meets no clock: suspect or unverified, and not confirmed. */
  held: boolean;
}

/** The view of a received message (null for a letter out). */
export function replyViewOf(
  db: Db,
  m: ClockMessage,
  /** Its earliest INTERNALDATE when the caller read it already (null: never seen in a mailbox); else it is read. */
  internalDate?: string | null,
): ReplyView | null {
  return m.direction === "in" ? viewOfReply(db, m, internalDate) : null;
}

/** The view of a reply read by its clock facts alone (a listing over a caseload, src/store/clock-rows.ts). */
export function viewOfReply(db: Db, m: ReplyClockFacts, internalDate?: string | null): ReplyView {
  const email = m.channel === "email";
  const firstSeen = !email ? null : internalDate !== undefined ? internalDate : firstInternalDate(db, m.id);
  const arrival = storedArrival({ ...m, internalDate: firstSeen });
  const standing = standingOf(m) ?? null;
  return {
    arrival,
    dateDiscrepancyDays: m.channel === "email" ? dateDiscrepancyDays(m.date, arrival) : null,
    standing,
    held: !meetsClocks({ trust: standing ?? undefined }),
  };
}
