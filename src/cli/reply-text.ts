/**
 * How `show`, `show-message` and `due` describe a received message's sender and arrival (src/app/reply-checks.ts):
 * who sent it, whether it is held back from the clocks and why, when it reached the mailbox and how that is
 * known, and what does not add up (a backdated Date header, a Message-ID another message already had).
 */

import type { MessageRecord } from "../app/case-view.js";
import type { ReplyView } from "../app/reply-checks.js";
import { arrivalText } from "../domain/reply-arrival.js";
import { trustLabel } from "../domain/reply-trust.js";
import { count } from "../domain/words.js";

/** What to run once the user has checked with the servicer that a held-back reply is theirs. */
export function confirmHint(m: Pick<MessageRecord, "id" | "replyClass">): string {
  // A reply the classifier was not sure of has no class to confirm yet: the user names it.
  const cls = m.replyClass && m.replyClass !== "needs-review" ? m.replyClass : "CLASS";
  return `loanmail classify ${m.id} ${cls} --confirm`;
}

/** One line on a held-back reply's sender, or on a confirmed one; nothing for a trusted reply. */
export function standingLine(m: MessageRecord, reply: ReplyView): string | null {
  const s = reply.standing;
  if (!s || s.status === "trusted") return null;
  const why = m.trustWhy.join("; ");
  if (s.confirmed) return `Sender: ${trustLabel(s)} (${why})`;
  return `${s.status.toUpperCase()}: ${why}. It meets no clock until you confirm it came from the servicer: ${confirmHint(m)}`;
}

/** The lines `show` prints about a received message, after its heading. */
export function replyLines(m: MessageRecord, reply: ReplyView, when: (iso: string) => string): string[] {
  const out: string[] = [];
  const standing = standingLine(m, reply);
  if (standing) out.push(standing);
  const a = reply.arrival;
  out.push(`Arrived: ${a.source === "typed" ? a.at.slice(0, 10) : when(a.at)} (${arrivalText(a)})`);
  if (m.date && a.source !== "typed") {
    const gap = reply.dateDiscrepancyDays;
    out.push(
      `Date:    ${when(m.date)}${
        gap !== null
          ? ` (DISCREPANCY: ${count(gap, "day")} before it arrived; the Date header is written by the sender and decides no clock)`
          : ""
      }`,
    );
  }
  if (m.messageIdReused)
    out.push("Message-ID reused: another message already held this Message-ID with other bytes; both are kept");
  return out;
}
