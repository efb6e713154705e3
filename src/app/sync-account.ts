/**
 * Incremental, read-only sync of one account's mailboxes (docs/ARCHITECTURE.md, "Mail"). Per mailbox: STATUS, and nothing more when UIDVALIDITY and UIDNEXT
 * are unchanged; else the UIDs above the cursor, their envelopes and planner headers, then the full source of
 * only the messages the pure planner keeps. Each batch commits its messages, origins and the cursor in one
 * synchronous transaction, so a kill at any moment loses at most the batch in flight, which the next sync
 * fetches again (SHA-256 dedupe makes that harmless).
 */
import type { Account } from "../config/accounts.js";
import { type PlanDecision, type PlanInput, planMessage, type ThreadIndex } from "../domain/sync-plan.js";
import type { FetchCounts, MailboxReader, MessageSource, MessageSummary } from "../mail/transport.js";
import { type Db, inTransaction } from "../store/db.js";
import { getSyncState, readThreadIndex, setSyncState } from "../store/mail.js";
import {
  commitIncoming,
  commitOwnCopy,
  type IngestContext,
  type PreparedIncoming,
  planReusedId,
  prepareIncoming,
} from "./ingest.js";
import { type DkimOption, ownerOfAccount, ownLetterCopyOf } from "./reply-checks.js";
import { type ReplyHome, readReplyHome } from "./reply-home.js";
import { groupBySize } from "./sync-groups.js";

export interface AccountSyncDeps {
  db: Db;
  prefix: string;
  account: Account;
  openMailbox: () => Promise<MailboxReader>;
  now: () => Date;
  progress?: ((line: string) => void) | undefined;
  /** UIDs whose envelopes are fetched at once (tests make it small). */
  batchSize?: number | undefined;
  /** `--verify-dkim`: check each new message's DKIM signatures. */
  dkim?: DkimOption | undefined;
}

export interface MailboxReport {
  mailbox: string;
  path: string | null;
  status: "unchanged" | "synced" | "missing";
  uidValidityChanged: boolean;
  scanned: number;
  new: number;
  filed: number;
  unfiled: number;
  ownCopies: number;
}

export interface AccountSyncReport {
  account: string;
  mailboxes: MailboxReport[];
  fetched: FetchCounts;
}

/** Sync every configured mailbox of one account. */
export async function syncAccount(deps: AccountSyncDeps): Promise<AccountSyncReport> {
  const { db, account } = deps;
  const batchSize = deps.batchSize ?? 200;
  const session = await deps.openMailbox();
  const reports: MailboxReport[] = [];
  try {
    for (const name of account.imap.mailboxes) {
      const path = await session.resolveMailbox(name);
      const report: MailboxReport = {
        mailbox: name,
        path,
        status: "missing",
        uidValidityChanged: false,
        scanned: 0,
        new: 0,
        filed: 0,
        unfiled: 0,
        ownCopies: 0,
      };
      reports.push(report);
      if (!path) continue;
      const st = await session.status(path);
      const state = getSyncState(db, account.name, path);
      if (state && state.uidvalidity === st.uidValidity && state.uidnext === st.uidNext) {
        report.status = "unchanged";
        continue;
      }
      report.status = "synced";
      let last = state?.lastUid ?? 0;
      if (state && state.uidvalidity !== st.uidValidity) {
        // The server renumbered the mailbox: keep everything, look at every message again; known bytes only
        // gain a new origin.
        report.uidValidityChanged = true;
        last = 0;
      }
      const box = await session.examine(path);
      const uids = await session.uidsAbove(last);
      for (let i = 0; i < uids.length; i += batchSize) {
        const batch = uids.slice(i, i + batchSize);
        deps.progress?.(`${account.name}/${path}: ${Math.min(i + batchSize, uids.length)} of ${uids.length}`);
        await syncBatch(deps, session, path, box.uidValidity, batch, report);
      }
      // The pass is complete: remember UIDNEXT so that the next sync can see from STATUS alone that nothing changed.
      const lastUid = Math.max(last, uids.at(-1) ?? 0);
      const uidnext = st.uidValidity === box.uidValidity ? st.uidNext : box.uidNext;
      setSyncState(
        db,
        account.name,
        path,
        { uidvalidity: box.uidValidity, lastUid, uidnext },
        deps.now().toISOString(),
      );
    }
  } finally {
    await session.close();
  }
  return { account: account.name, mailboxes: reports, fetched: { ...session.counts } };
}

async function syncBatch(
  deps: AccountSyncDeps,
  session: MailboxReader,
  path: string,
  uidValidity: number,
  batch: readonly number[],
  report: MailboxReport,
): Promise<void> {
  const { db, account } = deps;
  const index = readThreadIndex(db, deps.prefix);
  const home = readReplyHome(db);
  const summaries = await session.fetchSummaries(batch);
  const byUid = new Map(summaries.map((s) => [s.uid, s]));
  const decisions = new Map<number, PlanDecision>(summaries.map((s) => [s.uid, planMessage(planInputOf(s), index)]));
  const origin = { account: account.name, mailbox: path, uidvalidity: uidValidity };
  // Downloads are grouped so that the sources held in memory at once stay small whatever the mail holds
  // (a batch of large attachments would otherwise be kept whole until its commit).
  for (const group of groupBySize(batch, summaries, decisions)) {
    const sources = await session.fetchSources(group.keep);
    const now = deps.now();
    const { prepared, ownCopies } = await prepareGroup(
      group.keep,
      { sources, decisions, byUid, index, home },
      { db, owner: ownerOfAccount(account), now, dkim: deps.dkim },
    );
    const nowIso = now.toISOString();
    // One synchronous transaction: messages, origins, events and the cursor land together or not at all.
    inTransaction(db, () => {
      for (const c of ownCopies) {
        if (commitOwnCopy(db, c.ownId, { ...origin, uid: c.uid, internalDate: c.internalDate }, nowIso)) {
          report.ownCopies++;
        }
      }
      for (const p of prepared) {
        const r = commitIncoming(db, p, origin, nowIso);
        if (r.isNew) {
          report.new++;
          if (r.caseId !== null) report.filed++;
          else report.unfiled++;
        }
      }
      report.scanned += group.count;
      const cur = getSyncState(db, account.name, path);
      setSyncState(
        db,
        account.name,
        path,
        {
          uidvalidity: uidValidity,
          lastUid: group.last,
          uidnext: cur?.uidvalidity === uidValidity ? cur.uidnext : null,
        },
        nowIso,
      );
    });
  }
}

/** The planner's view of a message summary. */
function planInputOf(s: MessageSummary): PlanInput {
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
    prepared.push(await prepareIncoming(src.source, decision, got.index, { internalDate, uid, home: got.home }, ctx));
  }
  return { prepared, ownCopies };
}
