/**
 * A letter the user emailed from another program (their webmail, their phone), brought in with `import FILE.eml`.
 * Its From is the user's own address (the one given to `init`, or a mail account's), so it is not a reply: it is
 * stored as a letter out that was sent, on the day of its Date header in the user's time zone (the moment it
 * left; the only date an .eml carries), with a `sent` event (via "email", imported). Most users arrive in the
 * middle of a dispute: this records the letters that came before loanmail, so a follow-up can cite them.
 *
 * It was not composed here, so it has no kind, and loanmail does not decide what legal effect it had: it starts
 * no clock (docs/ARCHITECTURE.md, "Clocks"). It threads like any mail: a reply it answers, the case tag, else the
 * account number when it was addressed to a servicer; otherwise it stays unfiled until `file MSG CASE`.
 */
import type { Config } from "../config/config.js";
import { type PlanDecision, refineFiling, servicerOfAddress, type ThreadIndex } from "../domain/sync-plan.js";
import { isoDateIn } from "../domain/time-zone.js";
import type { ParsedMail } from "../mail/parse.js";
import { requireCase, setCaseStatus } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import { findMessageIdBySha, insertOwnLetter } from "../store/mail.js";
import { insertAttachments, sha256Hex } from "../store/messages.js";
import { mailAttachments } from "./ingest-store.js";

/** The user's own addresses, lower-cased: the init email and each mail account's email and login. */
export function ownAddresses(config: Config): Set<string> {
  const out = new Set<string>([config.user.email.trim().toLowerCase()]);
  for (const account of Object.values(config.accounts)) {
    for (const key of ["email", "user"] as const) {
      const v = account[key];
      if (typeof v === "string" && v.includes("@")) out.add(v.trim().toLowerCase());
    }
  }
  return out;
}

/** Whether a message's From is one of the user's own addresses. */
export function isFromUser(parsed: ParsedMail, own: ReadonlySet<string>): boolean {
  return parsed.from !== null && own.has(parsed.from.trim().toLowerCase());
}

export interface OwnLetterCommit {
  messageRowId: number;
  isNew: boolean;
  caseId: number | null;
  sentOn: string;
}

/**
 * Store the user's own letter as sent (deduplicated by SHA-256), in its own transaction. The case comes from
 * the planner; failing that, from the tag or the account number in its text when it went to a servicer.
 */
export function commitOwnLetter(
  db: Db,
  raw: Buffer,
  parsed: ParsedMail,
  planned: PlanDecision,
  index: ThreadIndex,
  at: { now: Date; timeZone: string },
): OwnLetterCommit {
  const servicerId = parsed.to.map((a) => servicerOfAddress(a, index)).find((id) => id !== null) ?? null;
  const keep =
    planned.action === "keep"
      ? { ...planned, servicerId: planned.servicerId ?? servicerId }
      : { action: "keep" as const, caseId: null, servicerId, filedBy: null };
  const filed = refineFiling(keep, `${parsed.subject}\n${parsed.text}`, index);
  const sentAt = parsed.date ?? at.now.toISOString();
  const sentOn = isoDateIn(new Date(sentAt), at.timeZone);
  const sha256 = sha256Hex(raw);
  const nowIso = at.now.toISOString();
  return inTransaction(db, () => {
    const existing = findMessageIdBySha(db, sha256);
    if (existing !== undefined) return { messageRowId: existing, isNew: false, caseId: filed.caseId, sentOn };
    const id = insertOwnLetter(db, {
      caseId: filed.caseId,
      servicerId: filed.servicerId,
      filedBy: filed.filedBy,
      messageId: parsed.messageId,
      inReplyTo: parsed.inReplyTo,
      references: parsed.references,
      from: parsed.from,
      to: parsed.to,
      cc: parsed.cc,
      subject: parsed.subject || null,
      bodyText: parsed.text || null,
      date: sentAt,
      raw,
      now: nowIso,
    });
    insertAttachments(db, id, mailAttachments(parsed));
    if (filed.caseId !== null) {
      const c = requireCase(db, String(filed.caseId), index.prefix);
      if (c.status === "draft") setCaseStatus(db, c.id, "open", nowIso);
    }
    appendEvent(db, {
      caseId: filed.caseId,
      at: nowIso,
      type: "sent",
      actor: "user",
      messageId: id,
      data: { via: "email", sent_on: sentOn, proof: null, sha256, imported: true },
    });
    return { messageRowId: id, isNew: true, caseId: filed.caseId, sentOn };
  });
}
