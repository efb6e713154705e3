/** `loanmail show-message MSG`, `file MSG CASE`, `classify MSG CLASS`: one received message at a time. */
import { REPLY_CLASSES, type ReplyClass } from "../../domain/classify.js";
import { UserError } from "../../errors.js";
import { requireCase } from "../../store/cases.js";
import type { Db } from "../../store/db.js";
import { appendCaseEvent, appendEvent } from "../../store/events.js";
import { findMessage, listAttachments, type MessageRecord } from "../../store/messages.js";
import type { Context } from "../context.js";

function isReplyClass(value: string): value is ReplyClass {
  return (REPLY_CLASSES as readonly string[]).includes(value);
}

function requireMessage(db: Db, ref: string): MessageRecord {
  const m = /^\d+$/.test(ref) ? findMessage(db, Number(ref)) : undefined;
  if (!m) throw new UserError(`no message "${ref}"`, "give a message number from loanmail show CASE or loanmail cases");
  return m;
}

export function runShowMessage(ctx: Context, ref: string): number {
  const db = ctx.db();
  const m = requireMessage(db, ref);
  const origins = db
    .prepare(
      "SELECT account, mailbox, uidvalidity, uid, internal_date AS internalDate FROM message_origins WHERE message_id = ? ORDER BY id",
    )
    .all(m.id);
  const attachments = listAttachments(db, m.id);
  const smtpRow = db
    .prepare(
      "SELECT retryable, smtp_accepted, smtp_rejected, smtp_response, queued_at, sent_at FROM messages WHERE id = ?",
    )
    .get(m.id) as {
    retryable: number | null;
    smtp_accepted: string | null;
    smtp_rejected: string | null;
    smtp_response: string | null;
    queued_at: string | null;
    sent_at: string | null;
  };
  const smtp =
    m.direction === "out"
      ? {
          retryable: smtpRow.retryable === null ? null : smtpRow.retryable === 1,
          accepted: smtpRow.smtp_accepted ? (JSON.parse(smtpRow.smtp_accepted) as string[]) : null,
          rejected: smtpRow.smtp_rejected ? (JSON.parse(smtpRow.smtp_rejected) as string[]) : null,
          response: smtpRow.smtp_response,
          queuedAt: smtpRow.queued_at,
          sentAt: smtpRow.sent_at,
        }
      : null;
  const caseTag = m.caseId === null ? null : requireCase(db, String(m.caseId), ctx.prefix()).tag;
  ctx.out.result({ message: { ...m, caseTag, origins, attachments, smtp } }, () =>
    [
      `Message ${m.id}  ${m.direction === "in" ? "received" : "letter out"}  ${caseTag ? `case ${caseTag}` : "UNFILED"}  class: ${m.replyClass ?? "-"}`,
      `From: ${m.from ?? ""}`,
      `To: ${m.to.join(", ")}`,
      `Subject: ${m.subject ?? ""}`,
      `Date: ${m.date ?? "(none)"}`,
      `Message-ID: ${m.messageId ?? "(none)"}`,
      `SHA-256: ${m.rawSha256} (${m.size} bytes)`,
      ...(smtp
        ? [
            `Outbox: ${m.state ?? ""}${smtp.response ? ` (${smtp.response})` : ""}${smtp.rejected?.length ? `; refused: ${smtp.rejected.join(", ")}` : ""}`,
          ]
        : []),
      ...origins.map((o) => {
        const x = o as { account: string; mailbox: string; uid: number };
        return `Seen in: ${x.account}/${x.mailbox} UID ${x.uid}`;
      }),
      ...attachments.map((a) => `Attachment: ${a.fileName} (${a.contentType}, ${a.size} bytes)`),
      "",
      (m.bodyText ?? "(no text part)").trimEnd(),
    ].join("\n"),
  );
  return 0;
}

export function runFile(ctx: Context, ref: string, caseRef: string): number {
  const db = ctx.db();
  const m = requireMessage(db, ref);
  if (m.direction !== "in") throw new UserError(`message ${m.id} is a letter you wrote`, "only received mail is filed");
  const c = requireCase(db, caseRef, ctx.prefix());
  if (m.caseId === c.id) throw new UserError(`message ${m.id} is already filed to ${c.tag}`, "nothing to do");
  db.transaction(() => {
    db.prepare("UPDATE messages SET case_id = ?, filed_by = 'manual', updated_at = ? WHERE id = ?").run(
      c.id,
      ctx.nowIso,
      m.id,
    );
    appendCaseEvent(db, c, {
      at: ctx.nowIso,
      type: "filed",
      actor: "user",
      messageId: m.id,
      data: { previous_case: m.caseId, subject: m.subject, sha256: m.rawSha256 },
    });
  })();
  ctx.out.result({ message: m.id, case: c.tag }, () => `Filed message ${m.id} to ${c.tag}.`);
  return 0;
}

export function runClassify(ctx: Context, ref: string, cls: string): number {
  const db = ctx.db();
  const m = requireMessage(db, ref);
  if (m.direction !== "in") throw new UserError(`message ${m.id} is a letter you wrote`, "only replies have a class");
  if (!isReplyClass(cls))
    throw new UserError(`"${cls}" is not a reply class`, `use one of: ${REPLY_CLASSES.join(", ")}`);
  db.transaction(() => {
    db.prepare("UPDATE messages SET reply_class = ?, class_set_by = 'user', updated_at = ? WHERE id = ?").run(
      cls,
      ctx.nowIso,
      m.id,
    );
    appendEvent(db, {
      caseId: m.caseId,
      at: ctx.nowIso,
      type: "classified",
      actor: "user",
      messageId: m.id,
      data: { from: m.replyClass, to: cls },
    });
  })();
  ctx.out.result(
    { message: m.id, class: cls, previous: m.replyClass },
    () => `Message ${m.id} is now ${cls} (was ${m.replyClass ?? "unclassified"}).`,
  );
  return 0;
}
