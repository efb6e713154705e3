/** One stored message at a time: showing it in full, filing a received one to a case, correcting a reply's class. */
import { namesAccount } from "../domain/account-number.js";
import { isReplyClass, REPLY_CLASSES } from "../domain/reply-classes.js";
import { UserError } from "../errors.js";
import { type CaseRecord, requireCase, setCaseStatus } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent, appendEvent } from "../store/events.js";
import { listLoans } from "../store/loans.js";
import { listOrigins, type MessageOrigin, readSmtpOutcome, type SmtpOutcome } from "../store/mail.js";
import {
  type AttachmentRecord,
  fileMessageByHand,
  findMessage,
  listAttachments,
  type MessageRecord,
  setReplyClassByUser,
  setTrustConfirmed,
} from "../store/messages.js";
import { listClassEvents } from "../store/reply-home.js";
import { actOnRecordOf, checkFence, fenceId, lookupWithinFence, requireCaseFor, type Scope } from "./client-scope.js";
import { type ReplyView, replyViewOf } from "./reply-checks.js";
import { type ReplyClassInfo, replyClassInfo } from "./reply-class-info.js";
import type { Session } from "./session.js";

export type { MessageRecord } from "../store/messages.js";

/**
 * A stored message by its number, or a UserError naming what was given; within the client fence (its client is
 * its case's; an unfiled message has none, so it is reached only without a fence, or by `file` below).
 */
export function requireMessageFor(s: Scope, ref: string, opts: { unfiledPasses?: boolean } = {}): MessageRecord {
  const db = s.db();
  const m = lookupWithinFence(s, `message ${ref}`, () => {
    const found = /^\d+$/.test(ref) ? findMessage(db, Number(ref)) : undefined;
    if (!found)
      throw new UserError(`no message "${ref}"`, {
        code: "MESSAGE_NOT_FOUND",
        hint: "give a message number from loanmail show CASE or loanmail cases",
      });
    return found;
  });
  if (m.caseId === null) {
    if (!opts.unfiledPasses) checkFence(s, null, `message ${ref}`);
  } else actOnRecordOf(s, requireCase(db, String(m.caseId), s.prefix()).clientId, `message ${ref}`);
  return m;
}

/** A message with its case, where it was seen, its attachments and (a letter out) what the SMTP server said. */
export type MessageDetails = MessageRecord & {
  caseTag: string | null;
  /** A reply's class and how it was decided (null for a letter out). */
  classInfo: ReplyClassInfo | null;
  origins: MessageOrigin[];
  attachments: AttachmentRecord[];
  smtp: SmtpOutcome | null;
  /** A received message's arrival and its sender's standing (reply-checks.ts); null for a letter out. */
  reply: ReplyView | null;
  /** Why the parser refused it (it was then threaded by its header alone); null when it parsed. */
  parseError: string | null;
};

/** The parse error its `received` event recorded, if any. */
function parseErrorOf(db: Db, messageId: number): string | null {
  const received = listClassEvents(db, messageId).find((e) => e.type === "received");
  if (!received) return null;
  const error = (JSON.parse(received.data) as { parse_error?: unknown }).parse_error;
  return typeof error === "string" && error ? error : null;
}

/** Everything stored about one message, by its number. */
/** A received message by number; a letter the user wrote is refused (only replies have a class). */
export function requireReply(s: Scope, ref: string): MessageRecord {
  const m = requireMessageFor(s, ref);
  if (m.direction !== "in")
    throw new UserError(`message ${m.id} is a letter you wrote`, {
      code: "MESSAGE_IS_OUTGOING",
      hint: "only replies have a class",
    });
  return m;
}

export function messageDetails(s: Session, ref: string): MessageDetails {
  const db = s.db();
  const m = requireMessageFor(s, ref);
  const origins = listOrigins(db, m.id);
  const attachments = listAttachments(db, m.id);
  const smtp = m.direction === "out" ? readSmtpOutcome(db, m.id) : null;
  const caseTag = m.caseId === null ? null : requireCase(db, String(m.caseId), s.prefix()).tag;
  const classInfo = m.direction === "in" ? replyClassInfo(s, m.id, m.replyClass) : null;
  return {
    ...m,
    caseTag,
    classInfo,
    origins,
    attachments,
    smtp,
    reply: replyViewOf(db, m),
    parseError: parseErrorOf(db, m.id),
  };
}

/**
 * Under a fence, unfiled mail that names an account number of another client's loan is not filed into the fenced
 * client's case: it would carry that client's number into this client's file and its exports. Unfenced, the
 * counselor sees both clients and decides. The other client's number is not repeated in the refusal.
 */
function refuseOtherClientsMail(s: Session, m: MessageRecord, c: CaseRecord): void {
  if (m.caseId !== null || fenceId(s) === undefined) return;
  const text = `${m.subject ?? ""}\n${m.bodyText ?? ""}`;
  const other = listLoans(s.db()).some((l) => l.clientId !== c.clientId && namesAccount(text, l.accountNumber));
  if (other)
    throw new UserError(`message ${m.id} names an account number of another client's loan`, {
      code: "MESSAGE_NAMES_OTHER_CLIENT",
      hint: "it belongs to no one client: file it without --client (loanmail file MSG CASE), where both files are seen",
    });
}

/**
 * A reply whose subject carries another case's tag ([LM-XXXX-N], ours or another loanmail home's) answers that
 * case's letter, not this one's: filing it here is the user's call, and the warning says so.
 */
function otherTagOf(m: MessageRecord, c: CaseRecord): string | null {
  const tags = [...(m.subject ?? "").matchAll(/\[(LM-[A-Z0-9]+-\d+)\]/gi)].map((x) => (x[1] ?? "").toUpperCase());
  return tags.find((t) => t !== c.tag.toUpperCase()) ?? null;
}

/**
 * File a received message to a case (by number or tag); returns the message as it was, the case, and a warning
 * when its subject carries another case's tag.
 */
export function fileMessage(
  s: Session,
  ref: string,
  caseRef: string,
): { message: MessageRecord; case: CaseRecord; warning: string | null } {
  const db = s.db();
  // An unfiled message passes the fence here: filing it into the fenced client's case is how a shared mailbox is
  // sorted. One filed to another client's case does not.
  const m = requireMessageFor(s, ref, { unfiledPasses: true });
  // A letter of yours is filed only when no case holds it: one you emailed from elsewhere and imported.
  if (m.direction !== "in" && m.caseId !== null)
    throw new UserError(`message ${m.id} is a letter you wrote, in case ${m.caseId}`, {
      code: "MESSAGE_IS_OUTGOING",
      hint: "only received mail, or a letter of yours imported unfiled, is filed",
    });
  const c = requireCaseFor(s, caseRef);
  if (m.caseId === c.id)
    throw new UserError(`message ${m.id} is already filed to ${c.tag}`, {
      code: "MESSAGE_ALREADY_FILED",
      hint: "nothing to do",
    });
  refuseOtherClientsMail(s, m, c);
  inTransaction(db, () => {
    fileMessageByHand(db, m.id, c.id, s.nowIso);
    // A letter that left opens a case still in draft, as mailing or sending it would.
    if (m.direction === "out" && m.state === "sent" && c.status === "draft") setCaseStatus(db, c.id, "open", s.nowIso);
    appendCaseEvent(db, c, {
      at: s.nowIso,
      type: "filed",
      actor: "user",
      messageId: m.id,
      data: { previous_case: m.caseId, subject: m.subject, sha256: m.rawSha256 },
    });
  });
  const other = m.direction === "in" ? otherTagOf(m, c) : null;
  const warning = other
    ? `message ${m.id}'s subject carries the tag ${other}, not ${c.tag}'s: it answers that case's letter (perhaps another loanmail home's), and it now counts against ${c.tag}'s clocks; undo with loanmail file ${m.id} OTHER-CASE if that was not meant`
    : null;
  return { message: m, case: c, warning };
}

/**
 * Correct a received reply's class; returns the message as it was (with its previous class). With `confirm`, the
 * user also vouches for a suspect or unverified reply (they checked with the servicer that it is theirs): it then
 * meets clocks, and the `classified` event says what was confirmed and why it had been held back.
 */
export function classifyMessage(s: Session, ref: string, cls: string, opts: { confirm?: boolean } = {}): MessageRecord {
  const db = s.db();
  const m = requireReply(s, ref);
  if (!isReplyClass(cls))
    throw new UserError(`"${cls}" is not a reply class`, {
      code: "UNKNOWN_REPLY_CLASS",
      hint: `use one of: ${REPLY_CLASSES.join(", ")}`,
    });
  const confirming = opts.confirm === true && m.trustConfirmedAt === null;
  if (opts.confirm && (m.trust === null || m.trust === "trusted")) {
    throw new UserError(`message ${m.id} is from ${m.from ?? "the servicer"} and nothing says it is forged`, {
      code: "REPLY_ALREADY_TRUSTED",
      hint: `it already meets clocks; set its class without --confirm: loanmail classify ${m.id} ${cls}`,
    });
  }
  inTransaction(db, () => {
    setReplyClassByUser(db, m.id, cls, s.nowIso);
    if (confirming) setTrustConfirmed(db, m.id, s.nowIso);
    appendEvent(db, {
      caseId: m.caseId,
      at: s.nowIso,
      type: "classified",
      actor: "user",
      messageId: m.id,
      data: {
        from: m.replyClass,
        to: cls,
        ...(confirming && m.trust ? { confirmed: { trust: m.trust, why: m.trustWhy } } : {}),
      },
    });
  });
  return m;
}
