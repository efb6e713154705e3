/**
 * What sync asks the server before it looks at any message (docs/ARCHITECTURE.md, "Mail"): a SEARCH whose hits
 * are every message the planner (sync-plan.ts) could keep, and usually little more. The planner keeps a message
 * only for one of these reasons, each of which a search key covers with a substring of the header it reads
 * (IMAP SEARCH matches substrings, case-insensitively, RFC 3501 6.4.4):
 *  - its Message-ID is one of our letters': HEADER Message-ID with an anchor of each such ID;
 *  - its In-Reply-To or References names a message filed to a case: HEADER In-Reply-To / References with an
 *    anchor of each such ID (or, when there are too many anchors, any message that has the header at all);
 *  - its Subject carries our case tag: SUBJECT "LM-<prefix>-" (findCaseTags reads nothing without it);
 *  - it comes from a servicer's domain or a subdomain: FROM "<domain>".
 * An anchor is a substring every one of its IDs contains: "LM.<prefix>." for our own Message-IDs (compose.ts
 * builds them so), else "@host>" (the ID's right-hand side), else the whole ID. The hits are a superset of what
 * is kept: the planner still decides each one from its envelope.
 */
import type { ThreadIndex } from "./sync-plan.js";

/** More anchors than this and the query asks for any message with the header instead (one key, same hits or more). */
export const MAX_ANCHORS = 40;

export interface CandidateQuery {
  /** FROM each (servicer reply domains; a subdomain contains its parent). */
  fromDomains: string[];
  /** SUBJECT this (the case tag's fixed part), or null when the home has no case. */
  subjectTag: string | null;
  /** HEADER In-Reply-To and HEADER References each of these; null: any message that has either header. */
  threadAnchors: string[] | null;
  /** HEADER Message-ID each of these (our own letters' copies). */
  ownAnchors: string[];
}

/** A substring of a Message-ID that a header search for it can use, shared by IDs from one place. */
export function anchorOf(messageId: string): string {
  const ours = /^<(LM\.[A-Z0-9]{4}\.)\d+\./i.exec(messageId);
  if (ours?.[1]) return ours[1].toUpperCase();
  const at = messageId.lastIndexOf("@");
  return (at >= 0 ? messageId.slice(at) : messageId).toLowerCase();
}

/** The distinct anchors of some Message-IDs, in first-seen order. */
export function anchorsOf(ids: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const id of ids) out.add(anchorOf(id));
  return [...out];
}

/** The query whose hits include every message the planner could keep with this index (and these extra anchors). */
export function candidateQuery(index: ThreadIndex, extraThreadAnchors: readonly string[] = []): CandidateQuery {
  const ids = [...index.caseByMessageId.keys(), ...index.ownMessageIds];
  const anchors = [...new Set([...anchorsOf(ids), ...extraThreadAnchors])];
  return {
    fromDomains: [...index.servicerByDomain.keys()],
    subjectTag: index.caseIds.size > 0 ? `LM-${index.prefix}-` : null,
    threadAnchors: anchors.length > MAX_ANCHORS ? null : anchors,
    ownAnchors: anchorsOf(index.ownMessageIds),
  };
}

/** Does a query ask for nothing at all (a home with no servicer, no case and no letter)? */
export function queryIsEmpty(q: CandidateQuery): boolean {
  return (
    q.fromDomains.length === 0 &&
    q.subjectTag === null &&
    q.threadAnchors !== null &&
    q.threadAnchors.length === 0 &&
    q.ownAnchors.length === 0
  );
}

/**
 * Would the server's SEARCH for `q` find a message with these headers? The same substring rules, for the
 * in-process test server and for checking that a query covers what the planner keeps.
 */
export function queryMatches(
  q: CandidateQuery,
  h: {
    from: string | null;
    subject: string;
    messageId: string | null;
    inReplyTo: string | null;
    references: string | null;
  },
): boolean {
  const has = (value: string | null, part: string) => value?.toLowerCase().includes(part.toLowerCase());
  if (q.fromDomains.some((d) => has(h.from, d))) return true;
  if (q.subjectTag !== null && has(h.subject, q.subjectTag)) return true;
  if (q.ownAnchors.some((a) => has(h.messageId, a))) return true;
  if (q.threadAnchors === null) return h.inReplyTo !== null || h.references !== null;
  return q.threadAnchors.some((a) => has(h.inReplyTo, a) || has(h.references, a));
}
