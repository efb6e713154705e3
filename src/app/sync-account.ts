/**
 * Incremental, read-only sync of one account's mailboxes (docs/ARCHITECTURE.md, "Mail"). Per mailbox: STATUS, and
 * nothing more when UIDVALIDITY and UIDNEXT are unchanged; else the server is asked with one SEARCH which of the
 * UIDs above the cursor the planner could keep (src/domain/sync-search.ts), the envelopes and planner headers of
 * those only are fetched, and the full source of only the messages the pure planner keeps (sync-pass.ts, by
 * batches, and the search's later rounds). Each group commits its messages and origins in one synchronous
 * transaction (sync-batch.ts); the cursor moves when the pass is done, so a kill at any moment loses at most the
 * group in flight, and the next sync fetches the pass's candidates again (SHA-256 dedupe makes that harmless).
 */
import type { Account } from "../config/accounts.js";
import type { Progress } from "../domain/progress.js";
import { candidateQuery } from "../domain/sync-search.js";
import type { FetchCounts, MailboxReader } from "../mail/transport.js";
import { type Db, withSmallPageCache } from "../store/db.js";
import { getSyncState, readThreadIndex, setSyncState } from "../store/mail.js";
import type { DkimOption } from "./reply-checks.js";
import { takeInMailbox } from "./sync-pass.js";

export interface AccountSyncDeps {
  db: Db;
  prefix: string;
  account: Account;
  openMailbox: () => Promise<MailboxReader>;
  now: () => Date;
  /** A stage per mailbox with messages to fetch: the messages looked at so far. */
  progress?: Progress | undefined;
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

let ingest: Promise<typeof import("./sync-batch.js")> | undefined;

/**
 * The batch module with its parser and classifier loaded; started once, when there is news to take in (a sync
 * with nothing new never loads it). A failure to load surfaces where the chain is awaited.
 */
function ingestChain(): Promise<typeof import("./sync-batch.js")> {
  if (!ingest) {
    ingest = import("./sync-batch.js").then(async (m) => {
      await m.preloadIngest();
      return m;
    });
    ingest.catch(() => undefined);
  }
  return ingest;
}

/** Sync every configured mailbox of one account. */
export async function syncAccount(deps: AccountSyncDeps): Promise<AccountSyncReport> {
  const { db, account } = deps;
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
      report.scanned = uids.length;
      if (uids.length > 0) {
        // Only the server's candidates are looked at (or every new UID when the server refuses the search).
        const index = readThreadIndex(db, deps.prefix);
        const query = candidateQuery(index);
        const first = await session.searchCandidates(query, last);
        if (first === null || first.length > 0) {
          // News to take in: the batch module, the parser and the classifier load while the server answers.
          const chain = ingestChain();
          const place = { path, uidValidity: box.uidValidity, last };
          // The pages a sync writes (each message's bytes) are not read again: a small page cache keeps them
          // from filling SQLite's default one (16 MB of the first sync's peak memory).
          await withSmallPageCache(db, () =>
            takeInMailbox(deps, session, chain, place, { query, first, all: uids }, { index, report }),
          );
        }
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
