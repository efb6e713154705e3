/**
 * The pure half of sync: from what IMAP says about a message before its download (envelope and a few headers),
 * decide whether loanmail keeps it and to which case it belongs (docs/ARCHITECTURE.md, "Mail"): In-Reply-To/References to
 * a message we hold first, then the `[LM-<prefix>-<id>]` tag, then the loan's account number in mail from a
 * servicer's domain; other servicer mail is kept unfiled, everything else is left alone.
 */
import { namesAccount } from "./account-number.js";
import { findCaseTags } from "./subject.js";

export type FiledBy = "in-reply-to" | "references" | "tag" | "account-number" | "manual";

export interface ThreadIndex {
  prefix: string;
  /** Message-ID (with brackets) → case id, for every stored message that has both. */
  caseByMessageId: ReadonlyMap<string, number>;
  /** Message-IDs of our own letters (their copies in the user's mailbox are not replies). */
  ownMessageIds: ReadonlySet<string>;
  caseIds: ReadonlySet<number>;
  /** Reply domain → servicer id. */
  servicerByDomain: ReadonlyMap<string, number>;
  /** Account numbers known for each servicer, with the case mail about it is filed to (null: ask the user). */
  accounts: readonly { servicerId: number; account: string; caseId: number | null }[];
}

export interface PlanInput {
  messageId: string | null;
  inReplyTo: string | null;
  references: readonly string[];
  subject: string;
  from: string | null;
}

export type PlanDecision =
  | { action: "skip" }
  | { action: "own-copy"; messageId: string }
  | { action: "keep"; caseId: number | null; servicerId: number | null; filedBy: FiledBy | null };

/**
 * The index after more messages were stored: each filed one's Message-ID names its case, unless an earlier
 * message holds that ID already (as readThreadIndex reads them, the first stored wins).
 */
export function indexWithFiled(
  index: ThreadIndex,
  stored: Iterable<{ messageId: string | null; caseId: number | null }>,
): ThreadIndex {
  const caseByMessageId = new Map(index.caseByMessageId);
  for (const m of stored) {
    if (m.messageId !== null && m.caseId !== null && !caseByMessageId.has(m.messageId)) {
      caseByMessageId.set(m.messageId, m.caseId);
    }
  }
  return { ...index, caseByMessageId };
}

/** The servicer whose reply domain (or a subdomain of it) sent this address. */
export function servicerOfAddress(address: string | null, index: ThreadIndex): number | null {
  const domain = address?.split("@")[1]?.toLowerCase().replace(/>$/, "");
  if (!domain) return null;
  for (let d = domain; d.includes("."); d = d.slice(d.indexOf(".") + 1)) {
    const id = index.servicerByDomain.get(d);
    if (id !== undefined) return id;
  }
  return null;
}

/**
 * The case an account number in `text` points to, for mail from servicer `servicerId`. Mail that names two of the
 * servicer's accounts (two loans, perhaps two clients' households) is about neither alone: it stays unfiled for
 * the user to decide, rather than being filed by whichever account came first.
 */
export function caseByAccountNumber(
  text: string,
  servicerId: number,
  index: ThreadIndex,
): { found: boolean; caseId: number | null } {
  const named = index.accounts.filter((a) => a.servicerId === servicerId && namesAccount(text, a.account));
  const first = named[0];
  if (!first) return { found: false, caseId: null };
  if (named.some((a) => a.account !== first.account)) return { found: true, caseId: null };
  return { found: true, caseId: first.caseId };
}

/** Decide one message from its summary. */
export function planMessage(m: PlanInput, index: ThreadIndex): PlanDecision {
  if (m.messageId && index.ownMessageIds.has(m.messageId)) return { action: "own-copy", messageId: m.messageId };
  const servicerId = servicerOfAddress(m.from, index);
  if (m.inReplyTo) {
    const caseId = index.caseByMessageId.get(m.inReplyTo);
    if (caseId !== undefined) return { action: "keep", caseId, servicerId, filedBy: "in-reply-to" };
  }
  for (const ref of [...m.references].reverse()) {
    const caseId = index.caseByMessageId.get(ref);
    if (caseId !== undefined) return { action: "keep", caseId, servicerId, filedBy: "references" };
  }
  const tag = findCaseTags(m.subject).find((t) => t.prefix === index.prefix && index.caseIds.has(t.caseId));
  if (tag) return { action: "keep", caseId: tag.caseId, servicerId, filedBy: "tag" };
  if (servicerId === null) return { action: "skip" };
  const byAccount = caseByAccountNumber(m.subject, servicerId, index);
  if (byAccount.caseId !== null)
    return { action: "keep", caseId: byAccount.caseId, servicerId, filedBy: "account-number" };
  return { action: "keep", caseId: null, servicerId, filedBy: null };
}

/**
 * After download, an unfiled servicer message may still name the account in its body (statements do), or carry
 * the tag there (a reply that kept our text quoted).
 */
export function refineFiling(
  decision: Extract<PlanDecision, { action: "keep" }>,
  body: string,
  index: ThreadIndex,
): Extract<PlanDecision, { action: "keep" }> {
  if (decision.caseId !== null) return decision;
  const tag = findCaseTags(body).find((t) => t.prefix === index.prefix && index.caseIds.has(t.caseId));
  if (tag) return { ...decision, caseId: tag.caseId, filedBy: "tag" };
  if (decision.servicerId === null) return decision;
  const byAccount = caseByAccountNumber(body, decision.servicerId, index);
  if (byAccount.caseId !== null) return { ...decision, caseId: byAccount.caseId, filedBy: "account-number" };
  return decision;
}
