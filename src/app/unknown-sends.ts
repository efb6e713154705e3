/**
 * Letters whose sending is unknown (docs/ARCHITECTURE.md, "Mail"): the connection was lost after DATA, or the sender
 * died while a letter was `sending`. Such a letter may have arrived, so it is never sent again by itself: it is
 * settled by finding it in the user's mailbox (the self copy, or the server's Sent folder): searched by its
 * Message-ID, and recognised by its bytes (a message that only carries the id is not the letter).
 */
import type { MailboxReader } from "../mail/transport.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import { listOutboxByState, setOutboxState } from "../store/mail.js";
import { findMessage } from "../store/messages.js";
import { ownLetterCopyOf } from "./reply-checks.js";

/** Where a letter's Message-ID is looked for: the self copy lands in INBOX, the server's copy in \\Sent or \\All. */
const SEARCHED_MAILBOXES = ["INBOX", "\\Sent", "\\All"];

export interface SettledLetter {
  id: number;
  mailbox: string;
}

/** Rows left in `sending` by a process that died are unknown: they may or may not have left. */
export function markOrphanedSends(db: Db, now: string): number[] {
  const ids = listOutboxByState(db, "sending").map((m) => m.id);
  inTransaction(db, () => {
    for (const id of ids) {
      const m = findMessage(db, id);
      setOutboxState(db, id, "unknown", now);
      appendEvent(db, {
        caseId: m?.caseId ?? null,
        at: now,
        type: "send-unknown",
        actor: "loanmail",
        messageId: id,
        data: { reason: "found in sending state at start (the sender stopped)" },
      });
    }
  });
  return ids;
}

/** Look for unknown letters' Message-IDs in INBOX, \\Sent and \\All; mark those found as sent. */
export async function resolveUnknown(
  deps: { db: Db; openMailbox: () => Promise<MailboxReader>; now: () => Date },
  ids: readonly number[],
): Promise<SettledLetter[]> {
  if (ids.length === 0) return [];
  const found = await searchMailboxes(deps.db, await deps.openMailbox(), ids);
  const now = deps.now().toISOString();
  inTransaction(deps.db, () => {
    for (const f of found) {
      const m = findMessage(deps.db, f.id);
      setOutboxState(deps.db, f.id, "sent", now, { response: `found in ${f.mailbox}` });
      appendEvent(deps.db, {
        caseId: m?.caseId ?? null,
        at: now,
        type: "sent",
        actor: "loanmail",
        messageId: f.id,
        data: { resolved_by: "imap-search", mailbox: f.mailbox, message_id: m?.messageId },
      });
    }
  });
  return found;
}

/** The letters among `ids` found in one of the searched mailboxes (closing the session). */
async function searchMailboxes(db: Db, session: MailboxReader, ids: readonly number[]): Promise<SettledLetter[]> {
  const found: SettledLetter[] = [];
  try {
    const paths = (await Promise.all(SEARCHED_MAILBOXES.map((n) => session.resolveMailbox(n)))).filter(
      (p): p is string => p !== null,
    );
    for (const id of ids) {
      const m = findMessage(db, id);
      if (!m?.messageId) continue;
      for (const path of [...new Set(paths)]) {
        const messageId = m.messageId;
        if (await session.containsMessageId(path, messageId, (src) => ownLetterCopyOf(db, messageId, src) === id)) {
          found.push({ id, mailbox: path });
          break;
        }
      }
    }
  } finally {
    await session.close();
  }
  return found;
}
