/**
 * One mailbox's pass of a sync once the server has news (docs/ARCHITECTURE.md, "Mail"). The candidates of the
 * first SEARCH are taken in by batches, each batch's summaries requested while the batch before it is parsed,
 * classified and committed (so they are not a wait of their own before the first message). The Message-IDs of what
 * came in then add anchors, and the server is asked for the answers to those alone; their hits are taken in the
 * same way, until a round brings nothing new.
 *
 * Decision: until the last round is done, the cursor stays where the pass began. An answer found by a later round
 * may have a lower UID than messages already committed; a kill must not leave the cursor above it. A sync killed
 * midway therefore fetches the pass's candidates again the next time (SHA-256 dedupe makes that harmless: a
 * message already held only gains its origin once).
 */
import type { ThreadIndex } from "../domain/sync-plan.js";
import { anchorsOf, type CandidateQuery, candidateQuery, MAX_ANCHORS } from "../domain/sync-search.js";
import type { MailboxReader, MessageSummary } from "../mail/transport.js";
import type { ReplyHome } from "./reply-home.js";
import type { AccountSyncDeps, MailboxReport } from "./sync-account.js";

type BatchModule = typeof import("./sync-batch.js");

/** The mailbox a pass reads: its path, UIDVALIDITY, and the cursor the pass began at. */
export interface PassPlace {
  path: string;
  uidValidity: number;
  last: number;
}

/**
 * Take in a mailbox's news: `first` holds the hits (ascending) of the first SEARCH, which asked `query`, or null
 * when the server refused the search, and then every new UID (`all`) is looked at by the planner and the cursor
 * moves with each group.
 */
export async function takeInMailbox(
  deps: AccountSyncDeps,
  session: MailboxReader,
  chain: Promise<BatchModule>,
  place: PassPlace,
  found: { query: CandidateQuery; first: readonly number[] | null; all: readonly number[] },
  start: { index: ThreadIndex; report: MailboxReport },
): Promise<void> {
  const progress = new PassProgress(deps, place.path);
  try {
    if (found.first === null) {
      await takeIn(deps, session, chain, place, found.all, { ...start, progress, hold: null, home: null });
      return;
    }
    const pass: Taking = { ...start, progress, hold: place.last, home: null };
    const taken = new Set<number>();
    const extra: string[] = [];
    let asked = found.query; // the query the last round asked
    let todo: readonly number[] = found.first;
    for (;;) {
      const fresh = todo.filter((u) => !taken.has(u));
      if (fresh.length === 0) return;
      for (const u of fresh) taken.add(u);
      const messageIds = await takeIn(deps, session, chain, place, fresh, pass);
      // A round that asked for any message with In-Reply-To or References leaves nothing to ask.
      if (asked.threadAnchors === null) return;
      const known = new Set(asked.threadAnchors);
      const added = anchorsOf(messageIds)
        .filter((a) => !known.has(a))
        .slice(0, MAX_ANCHORS + 1);
      if (added.length === 0) return;
      extra.push(...added);
      asked = candidateQuery(start.index, extra);
      const hits = await session.searchCandidates(newAnchorsQuery(asked, added), place.last);
      // A server that refuses a later round's search: the planner looks at every new message instead.
      todo = hits ?? found.all;
    }
  } finally {
    progress.stop();
  }
}

/**
 * The part of `full` that `added` (the anchors a round's hits brought) makes new: their In-Reply-To and References
 * keys, or, once the anchors are too many for `full` to list, any message that has either header.
 */
function newAnchorsQuery(full: CandidateQuery, added: readonly string[]): CandidateQuery {
  return { fromDomains: [], subjectTag: null, threadAnchors: full.threadAnchors && [...added], ownAnchors: [] };
}

interface Taking {
  /** The thread index as the record now reads, extended by each batch. */
  index: ThreadIndex;
  report: MailboxReport;
  progress: PassProgress;
  /** The cursor each group commits (null: the group's own last UID). */
  hold: number | null;
  /** The classifier's per-home context, read once per pass (when the first batch starts). */
  home: ReplyHome | null;
}

/**
 * Take in `uids` (ascending) by batches: each batch's summaries are requested once the batch before it has asked
 * for its first sources, so the server prepares them while that batch is parsed and committed. `t.index` gains
 * what was filed; returns the Message-IDs the summaries carried.
 */
async function takeIn(
  deps: AccountSyncDeps,
  session: MailboxReader,
  chain: Promise<BatchModule>,
  place: PassPlace,
  uids: readonly number[],
  t: Taking,
): Promise<string[]> {
  const size = deps.batchSize ?? 200;
  const batches: number[][] = [];
  for (let i = 0; i < uids.length; i += size) batches.push(uids.slice(i, i + size));
  const messageIds: string[] = [];
  const summariesOf = (i: number): Promise<MessageSummary[]> => {
    const p = i < batches.length ? session.fetchSummaries(batches[i] as number[]) : Promise.resolve([]);
    p.catch(() => undefined); // a request still under way when a batch fails is not waited for
    return p;
  };
  let next = summariesOf(0);
  const m = await chain;
  t.home ??= m.readReplyHome(deps.db);
  const home = t.home;
  t.progress.grow(uids.length);
  const where = { path: place.path, uidValidity: place.uidValidity };
  for (const [i, batch] of batches.entries()) {
    const summaries = await next;
    let requested = false;
    const requestNext = () => {
      if (requested) return;
      requested = true;
      next = summariesOf(i + 1);
    };
    for (const s of summaries) if (s.messageId) messageIds.push(s.messageId);
    const snapshot = { index: t.index, home };
    const opts = { cursor: t.hold, afterFirstRequest: requestNext };
    t.index = await m.syncBatch(deps, session, where, batch, summaries, t.report, snapshot, opts);
    requestNext(); // a batch with nothing to download asked for no sources
    t.progress.advance(batch.length, t.report.new);
  }
  return messageIds;
}

/** The pass's progress stage: its total grows when a later round finds more to take in. */
class PassProgress {
  private total = 0;
  private done = 0;
  constructor(
    private readonly deps: AccountSyncDeps,
    private readonly path: string,
  ) {}
  grow(n: number): void {
    this.total += n;
    this.deps.progress?.start(`${this.deps.account.name}/${this.path}`, this.total);
    if (this.done > 0) this.deps.progress?.update(this.done);
  }
  advance(n: number, newCount: number): void {
    this.done += n;
    this.deps.progress?.update(this.done, `${newCount} new`);
  }
  stop(): void {
    if (this.total > 0) this.deps.progress?.stop();
  }
}
