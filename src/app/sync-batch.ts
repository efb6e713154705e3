/**
 * One batch of a mailbox's sync (docs/ARCHITECTURE.md, "Mail"): the planner decides each message from its
 * summary, only what it keeps is downloaded, in groups whose sources stay small, and each group is parsed,
 * classified, checked and committed with the cursor in one synchronous transaction. Loaded by sync-account.ts
 * only when a mailbox has news, so a sync with nothing new never loads the parser or the classifier.
 */

import { loadReplyModel } from "../domain/classify.js";
import {
  indexWithFiled,
  type PlanDecision,
  type PlanInput,
  planMessage,
  type ThreadIndex,
} from "../domain/sync-plan.js";
import { loadParser, type MessageParser, type ParsedMail } from "../mail/parse.js";
import type { MailboxReader, MessageSource, MessageSummary } from "../mail/transport.js";
import { inTransaction } from "../store/db.js";
import { getSyncState, setSyncState } from "../store/mail.js";
import { freeDeadBuffers } from "./dead-buffers.js";
import {
  commitIncoming,
  commitOwnCopy,
  type IngestContext,
  type PreparedIncoming,
  planReusedId,
  prepareIncoming,
} from "./ingest.js";
import { type ParsingThread, startParsingThread } from "./parsing-thread.js";
import { ownerOfAccount, ownLetterCopyOf, servicersMemo } from "./reply-checks.js";
import type { ReplyHome } from "./reply-home.js";
import type { AccountSyncDeps, MailboxReport } from "./sync-account.js";
import { groupBySize } from "./sync-groups.js";

// The pass reads the classifier's context through this module, which sync-account.ts loads only when there is news.
export { readReplyHome } from "./reply-home.js";

/**
 * Load what a batch parses and classifies with (the parser, the classifier's weights) ahead of the first message:
 * the sync starts this when its search has hits, so that the loading overlaps the server's answers.
 */
export async function preloadIngest(): Promise<void> {
  parsingThread();
  loadReplyModel();
  // A parser that fails to load is not this sync's end: each message then records the error (parseMail).
  await loadParser().catch(() => undefined);
}

/** The parsing thread, started with the batch module and kept for the process (idle, it does not hold it). */
let parser: ParsingThread | undefined;

function parsingThread(): ParsingThread {
  parser ??= startParsingThread();
  return parser;
}

/**
 * What a mailbox's pass reads of the record once, not at every batch: the thread index (which each batch extends
 * with what it filed) and the classifier's per-home context. A `classify` or a new case made while a sync runs
 * counts from the next sync.
 */
export interface PassSnapshot {
  index: ThreadIndex;
  home: ReplyHome;
}

export interface BatchOptions {
  /** The cursor each group commits: null for the group's last UID (sync-pass.ts holds it while rounds remain). */
  cursor: number | null;
  /** Called once the batch has asked for its first group's sources (the caller's next request then queues). */
  afterFirstRequest?: () => void;
}

/**
 * Plan, download, parse and commit one batch of UIDs (ascending), from their summaries (fetched by the caller,
 * sync-pass.ts; a message expunged meanwhile has none and is left). Returns the thread index with what the batch
 * filed, for the next batch.
 */
export async function syncBatch(
  deps: AccountSyncDeps,
  session: MailboxReader,
  where: { path: string; uidValidity: number },
  batch: readonly number[],
  fetched: readonly MessageSummary[],
  report: MailboxReport,
  snapshot: PassSnapshot,
  opts: BatchOptions = { cursor: null },
): Promise<ThreadIndex> {
  const { db, account } = deps;
  const { path, uidValidity } = where;
  const { index, home } = snapshot;
  const summaries = [...fetched].sort((a, b) => a.uid - b.uid);
  const byUid = new Map(summaries.map((s) => [s.uid, s]));
  const decisions = new Map<number, PlanDecision>(summaries.map((s) => [s.uid, planMessage(planInputOf(s), index)]));
  const origin = { account: account.name, mailbox: path, uidvalidity: uidValidity };
  // Downloads are grouped so that the sources held in memory at once stay small whatever the mail holds
  // (a batch of large attachments would otherwise be kept whole until its commit).
  const groups = groupBySize(batch, summaries, decisions);
  const servicers = servicersMemo(db);
  // The next group downloads while this one is parsed, classified and committed: the server's time and ours
  // overlap instead of adding up (two groups' sources are held at most, each under GROUP_BYTES).
  const stored: StoredMessage[] = [];
  const parse = parsingThread().parse;
  let next = prefetch(session, groups[0]?.keep, decisions, parse);
  opts.afterFirstRequest?.();
  for (const [i, group] of groups.entries()) {
    const { sources, parses } = await next;
    next = prefetch(session, groups[i + 1]?.keep, decisions, parse);
    const now = deps.now();
    const { prepared, ownCopies } = await prepareGroup(
      group.keep,
      { sources, parses, parse, decisions, byUid, index, home },
      { db, owner: ownerOfAccount(account), now, dkim: deps.dkim, servicers },
    );
    const cursor = opts.cursor ?? group.last;
    stored.push(...commitGroup(deps, { ...origin, last: cursor }, { prepared, ownCopies }, now.toISOString(), report));
    freeDeadBuffers();
  }
  return indexWithFiled(index, stored);
}

/** A group's downloaded sources, and the parse of each message it keeps, under way on the parsing thread. */
interface Downloaded {
  sources: ReadonlyMap<number, MessageSource>;
  parses: ReadonlyMap<number, Promise<ParsedMail>>;
}

/**
 * Start downloading a group's sources, and parsing the messages it keeps as soon as they are in. A download
 * still under way when the batch stops on an error is not waited for: its rejection is marked handled here, so
 * only the error that stopped the batch is reported.
 */
function prefetch(
  session: MailboxReader,
  uids: readonly number[] | undefined,
  decisions: ReadonlyMap<number, PlanDecision>,
  parse: MessageParser,
): Promise<Downloaded> {
  if (uids === undefined) return Promise.resolve({ sources: new Map(), parses: new Map() });
  const p = session.fetchSources(uids).then((sources) => {
    const parses = new Map<number, Promise<ParsedMail>>();
    for (const [uid, src] of sources) {
      if (decisions.get(uid)?.action === "keep") parses.set(uid, parse(src.source));
    }
    return { sources, parses };
  });
  p.catch(() => undefined);
  return p;
}

/** A message a group stored (not one already held): its Message-ID and the case it was filed to. */
interface StoredMessage {
  messageId: string | null;
  caseId: number | null;
}

/**
 * One synchronous transaction: a group's messages, origins, events and the cursor land together or not at all.
 * Returns the messages it stored.
 */
function commitGroup(
  deps: AccountSyncDeps,
  where: { account: string; mailbox: string; uidvalidity: number; last: number },
  group: Awaited<ReturnType<typeof prepareGroup>>,
  nowIso: string,
  report: MailboxReport,
): StoredMessage[] {
  const stored: StoredMessage[] = [];
  const { db, account } = deps;
  const origin = { account: where.account, mailbox: where.mailbox, uidvalidity: where.uidvalidity };
  inTransaction(db, () => {
    for (const c of group.ownCopies) {
      if (commitOwnCopy(db, c.ownId, { ...origin, uid: c.uid, internalDate: c.internalDate }, nowIso)) {
        report.ownCopies++;
      }
    }
    for (const p of group.prepared) {
      const r = commitIncoming(db, p, origin, nowIso);
      if (r.isNew) {
        stored.push({ messageId: p.parsed.messageId, caseId: r.caseId });
        report.new++;
        if (r.caseId !== null) report.filed++;
        else report.unfiled++;
      }
    }
    const cur = getSyncState(db, account.name, where.mailbox);
    setSyncState(
      db,
      account.name,
      where.mailbox,
      {
        uidvalidity: where.uidvalidity,
        lastUid: where.last,
        uidnext: cur?.uidvalidity === where.uidvalidity ? cur.uidnext : null,
      },
      nowIso,
    );
  });
  return stored;
}

/** The planner's view of a message summary. */
export function planInputOf(s: MessageSummary): PlanInput {
  return { messageId: s.messageId, inReplyTo: s.inReplyTo, references: s.references, subject: s.subject, from: s.from };
}

/**
 * The downloaded messages of one group, ready to commit: our own letters' copies (recognised by their bytes, not
 * by the Message-ID alone) and everything else kept, parsed, filed and checked. A message that carries our
 * Message-ID with other bytes is kept as its own (commitIncoming flags the reuse).
 */
async function prepareGroup(
  uids: readonly number[],
  got: {
    sources: ReadonlyMap<number, MessageSource>;
    /** The parse of each message planned to keep, started as the sources came in. */
    parses: ReadonlyMap<number, Promise<ParsedMail>>;
    /** For a message planned otherwise and kept after all (a reused Message-ID). */
    parse: MessageParser;
    decisions: ReadonlyMap<number, PlanDecision>;
    byUid: ReadonlyMap<number, MessageSummary>;
    index: ThreadIndex;
    /** The classifier's per-home context (the user's corrections, our own letters), read once per batch. */
    home: ReplyHome;
  },
  ctx: IngestContext,
): Promise<{ prepared: PreparedIncoming[]; ownCopies: { uid: number; ownId: number; internalDate: string | null }[] }> {
  const prepared: PreparedIncoming[] = [];
  const ownCopies: { uid: number; ownId: number; internalDate: string | null }[] = [];
  for (const uid of uids) {
    const src = got.sources.get(uid);
    const summary = got.byUid.get(uid);
    let decision = got.decisions.get(uid);
    if (!src || !summary || !decision) continue;
    const internalDate = src.internalDate ?? summary.internalDate;
    if (decision.action === "own-copy") {
      const ownId = ownLetterCopyOf(ctx.db, decision.messageId, src.source);
      if (ownId !== undefined) {
        ownCopies.push({ uid, ownId, internalDate });
        continue;
      }
      decision = planReusedId(planInputOf(summary), got.index);
    }
    if (decision.action !== "keep") continue;
    const parsing = got.parses.get(uid);
    const parse = parsing ? () => parsing : got.parse;
    const extra = { internalDate, uid, home: got.home };
    prepared.push(await prepareIncoming(src.source, decision, got.index, extra, ctx, parse));
  }
  return { prepared, ownCopies };
}
