/**
 * Incremental, read-only sync of one account's mailboxes (docs/ARCHITECTURE.md, "Mail"). Per mailbox: STATUS, and nothing more when UIDVALIDITY and UIDNEXT
 * are unchanged; else the UIDs above the cursor, their envelopes and planner headers, then the full source of
 * only the messages the pure planner keeps. Each batch commits its messages, origins and the cursor in one
 * synchronous transaction, so a kill at any moment loses at most the batch in flight, which the next sync
 * fetches again (SHA-256 dedupe makes that harmless).
 */
import type { Account } from "../config/accounts.js";
import { type PlanDecision, planMessage } from "../domain/sync-plan.js";
import type { FetchCounts, MailboxReader } from "../mail/transport.js";
import { type Db, inTransaction } from "../store/db.js";
import { getSyncState, readThreadIndex, setSyncState } from "../store/mail.js";
import { commitIncoming, commitOwnCopy, type PreparedIncoming, prepareIncoming } from "./ingest.js";
import { readReplyHome } from "./reply-home.js";
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
  const decisions = new Map<number, PlanDecision>(
    summaries.map((s) => [
      s.uid,
      planMessage(
        { messageId: s.messageId, inReplyTo: s.inReplyTo, references: s.references, subject: s.subject, from: s.from },
        index,
      ),
    ]),
  );
  const origin = { account: account.name, mailbox: path, uidvalidity: uidValidity };
  // Downloads are grouped so that the sources held in memory at once stay small whatever the mail holds
  // (a batch of large attachments would otherwise be kept whole until its commit).
  for (const group of groupBySize(batch, summaries, decisions)) {
    const sources = await session.fetchSources(group.keep);
    const prepared: PreparedIncoming[] = [];
    for (const uid of group.keep) {
      const src = sources.get(uid);
      const decision = decisions.get(uid);
      if (!src || decision?.action !== "keep") continue;
      prepared.push(await prepareIncoming(src.source, decision, index, { internalDate: src.internalDate, uid, home }));
    }
    const nowIso = deps.now().toISOString();
    // One synchronous transaction: messages, origins, events and the cursor land together or not at all.
    inTransaction(db, () => {
      for (const s of summaries.filter((x) => x.uid >= group.first && x.uid <= group.last)) {
        const d = decisions.get(s.uid);
        if (
          d?.action === "own-copy" &&
          commitOwnCopy(db, d.messageId, { ...origin, uid: s.uid, internalDate: s.internalDate }, nowIso)
        ) {
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
