/**
 * `loanmail sync` as one use case (docs/ARCHITECTURE.md, "Mail"): under the sync lock, mark sends orphaned by a dead
 * sender, sync the account's mailboxes into the record (sync-account.ts), then settle the account's letters whose
 * sending is unknown by looking for their Message-IDs.
 */
import type { Progress } from "../domain/progress.js";
import { connectionLost } from "../mail/tls-errors.js";
import type { AccountMail } from "../mail/transport.js";
import type { Db } from "../store/db.js";
import { listOutboxByState } from "../store/mail.js";
import { refuseFence, type Scope, scopeOf } from "./client-scope.js";
import { ifUnlocked, withLock } from "./lock.js";
import type { DkimOption } from "./reply-checks.js";
import { type AccountSyncReport, type MailboxReport, syncAccount } from "./sync-account.js";
import { markOrphanedSends, resolveUnknown, type SettledLetter } from "./unknown-sends.js";

export type { MailboxReport };

export interface SyncDeps {
  db: Db;
  prefix: string;
  /** The command's client fence (client-scope.ts): sync files mail for every client, so it refuses one. */
  scope?: Scope;
  /** The folder of the sync and send locks (the home). */
  lockDir: string;
  now: () => Date;
  mail: AccountMail;
  /** A stage per mailbox with messages to fetch, counted as its groups are stored (src/domain/progress.ts). */
  progress?: Progress | undefined;
  batchSize?: number | undefined;
  /** `--verify-dkim`: check each new message's DKIM signatures. */
  dkim?: DkimOption | undefined;
}

export interface SyncTotals {
  new: number;
  filed: number;
  unfiled: number;
}

export interface SyncReport extends AccountSyncReport {
  totals: SyncTotals;
  /** Letters whose sending was unknown, found in a mailbox and so marked sent. */
  resolvedUnknown: SettledLetter[];
}

/** Sync the account's mailboxes and settle its unknown sends, holding the sync lock. */
export function syncAll(deps: SyncDeps): Promise<SyncReport> {
  refuseFence(scopeOf(deps), "sync");
  return withLock(deps.lockDir, "sync", async () => {
    const { db, mail } = deps;
    // A row in `sending` is orphaned only if no send is running: take the send lock to know.
    ifUnlocked(deps.lockDir, "send", () => markOrphanedSends(db, deps.now().toISOString()));
    const where = `${mail.account.imap.host}:${mail.account.imap.port}`;
    try {
      const synced = await syncAccount({
        db,
        prefix: deps.prefix,
        account: mail.account,
        openMailbox: mail.openMailbox,
        now: deps.now,
        progress: deps.progress,
        batchSize: deps.batchSize,
        dkim: deps.dkim,
      });
      // Letters whose sending is unknown: the sync may have seen their self copy already; else search for them.
      const unknown = listOutboxByState(db, "unknown").filter(
        (m) => m.account === null || m.account === mail.account.name,
      );
      const resolvedUnknown = await resolveUnknown(
        { db, openMailbox: mail.openMailbox, now: deps.now },
        unknown.map((m) => m.id),
      );
      return { ...synced, totals: totalsOf(synced.mailboxes), resolvedUnknown };
    } catch (err) {
      // Each batch committed before the loss stays; the next sync starts after it.
      throw connectionLost("IMAP", where, err);
    }
  });
}

function totalsOf(mailboxes: readonly MailboxReport[]): SyncTotals {
  return mailboxes.reduce(
    (t, m) => ({ new: t.new + m.new, filed: t.filed + m.filed, unfiled: t.unfiled + m.unfiled }),
    { new: 0, filed: 0, unfiled: 0 },
  );
}
