/**
 * One path for every message that comes in (IMAP sync and `import FILE.eml`): parse (never throwing: hostile
 * mail is stored raw even when it cannot be parsed), classify, file, and commit with its origin and a
 * `received` event. The caller runs `commitIncoming` inside its batch transaction.
 */
import { simpleParser } from "mailparser";
import { type Classification, classifyReply } from "../domain/classify.js";
import { cleanLabel } from "../domain/exhibits.js";
import { type PlanDecision, planMessage, refineFiling, type ThreadIndex } from "../domain/sync-plan.js";
import { parseMessageIds } from "../mail/imap.js";
import type { Db } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import {
  addOrigin,
  findMessageIdBySha,
  findOwnLetter,
  insertIncoming,
  type Origin,
  setOutboxState,
} from "../store/mail.js";
import { insertAttachments, sha256Hex } from "../store/messages.js";

export interface ParsedMail {
  messageId: string | null;
  inReplyTo: string | null;
  references: string[];
  from: string | null;
  to: string[];
  cc: string[];
  subject: string;
  date: string | null;
  text: string;
  attachments: { fileName: string; contentType: string; data: Buffer }[];
  autoSubmitted: string | null;
  xAutoreply: string | null;
  precedence: string | null;
  parseError: string | null;
}

function addresses(value: unknown): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a: { value?: { address?: string }[] }) =>
    (a.value ?? []).map((v) => v.address ?? "").filter(Boolean),
  );
}

function headerText(headers: Map<string, unknown>, name: string): string | null {
  const v = headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "object" && "value" in (v as object)) return String((v as { value: unknown }).value);
  return String(v);
}

/**
 * The Date header only when it parses: mailparser puts the time of parsing in place of an unparseable Date, and
 * an evidence record must not carry an invented date (the caller falls back to the server's INTERNALDATE).
 */
function headerDate(lines: readonly { key: string; line: string }[]): string | undefined {
  const line = lines.find((l) => l.key === "date")?.line;
  const value = line?.slice(line.indexOf(":") + 1).trim();
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Plain words of an HTML body: scripts, styles and tags dropped, block ends as line breaks, entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style|head)[^>]*>[\s\S]*?<\/\1\s*>/gi, " ")
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h[1-6]|table)\s*>/gi, "\n")
    .replace(/<[^>]*>/g, " ")
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e: string) => {
      if (e[0] === "#") {
        const code = e[1]?.toLowerCase() === "x" ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1));
        return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : " ";
      }
      return ENTITIES[e.toLowerCase()] ?? m;
    })
    .replace(/[ \t\f\v]+/g, " ")
    .replace(/ *\n[ \n]*/g, "\n")
    .trim();
}

/** A safe file name for an attachment of a received message (no separators, "..", or control characters). */
export function safeAttachmentName(name: string | undefined, position: number, contentType: string): string {
  const base = cleanLabel(name ?? "");
  if (base !== "document" || name) return base;
  const ext =
    contentType
      .split("/")[1]
      ?.replace(/[^a-z0-9]/gi, "")
      .slice(0, 8) || "bin";
  return `attachment-${position + 1}.${ext}`;
}

/** Parse a message; on failure keep what the raw headers say and record the error. */
export async function parseMail(raw: Buffer): Promise<ParsedMail> {
  try {
    const p = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const refs = Array.isArray(p.references) ? p.references : p.references ? [p.references] : [];
    return {
      messageId: p.messageId ?? null,
      inReplyTo: parseMessageIds(p.inReplyTo)[0] ?? null,
      references: refs.flatMap((r) => parseMessageIds(r)),
      from: addresses(p.from)[0] ?? null,
      to: addresses(p.to),
      cc: addresses(p.cc),
      subject: p.subject ?? "",
      date: headerDate(p.headerLines) ?? null,
      // An HTML-only message has no text part: take the words from its HTML (never its markup or scripts).
      text: (p.text || (typeof p.html === "string" ? htmlToText(p.html) : "")).slice(0, 2_000_000),
      attachments: p.attachments.map((a, i) => ({
        fileName: safeAttachmentName(a.filename, i, a.contentType ?? "application/octet-stream"),
        contentType: (a.contentType ?? "application/octet-stream").slice(0, 200),
        data: a.content,
      })),
      autoSubmitted: headerText(p.headers, "auto-submitted"),
      xAutoreply: headerText(p.headers, "x-autoreply") ?? headerText(p.headers, "x-autorespond"),
      precedence: headerText(p.headers, "precedence"),
      parseError: null,
    };
  } catch (err) {
    return {
      messageId: null,
      inReplyTo: null,
      references: [],
      from: null,
      to: [],
      cc: [],
      subject: "",
      date: null,
      text: "",
      attachments: [],
      autoSubmitted: null,
      xAutoreply: null,
      precedence: null,
      parseError: (err as Error).message,
    };
  }
}

export interface PreparedIncoming {
  raw: Buffer;
  sha256: string;
  parsed: ParsedMail;
  decision: Extract<PlanDecision, { action: "keep" }>;
  classification: Classification;
  internalDate: string | null;
  uid: number | null;
}

/** Classify and file a downloaded message (pure apart from parsing). */
export async function prepareIncoming(
  raw: Buffer,
  decision: Extract<PlanDecision, { action: "keep" }>,
  index: ThreadIndex,
  extra: { internalDate: string | null; uid: number | null },
  alreadyParsed?: ParsedMail,
): Promise<PreparedIncoming> {
  const parsed = alreadyParsed ?? (await parseMail(raw));
  const filed = refineFiling(decision, parsed.text, index);
  const classification = classifyReply({
    subject: parsed.subject,
    text: parsed.text,
    autoSubmitted: parsed.autoSubmitted,
    xAutoreply: parsed.xAutoreply,
    precedence: parsed.precedence,
  });
  return {
    raw,
    sha256: sha256Hex(raw),
    parsed,
    decision: filed,
    classification,
    internalDate: extra.internalDate,
    uid: extra.uid,
  };
}

/** Plan a message that did not come from IMAP (import): the same threading from its own headers. */
export async function planImported(
  raw: Buffer,
  index: ThreadIndex,
): Promise<{ decision: PlanDecision; parsed: ParsedMail }> {
  const parsed = await parseMail(raw);
  const decision = planMessage(
    {
      messageId: parsed.messageId,
      inReplyTo: parsed.inReplyTo,
      references: parsed.references,
      subject: parsed.subject,
      from: parsed.from,
    },
    index,
  );
  return { decision, parsed };
}

export interface CommitResult {
  messageRowId: number;
  isNew: boolean;
  caseId: number | null;
}

/**
 * Store one prepared message (deduplicated by SHA-256) and its origin; call inside a transaction. A message
 * already held gains only the new origin.
 */
export function commitIncoming(
  db: Db,
  p: PreparedIncoming,
  origin: Omit<Origin, "messageId" | "uid" | "internalDate"> | null,
  now: string,
): CommitResult {
  const existing = findMessageIdBySha(db, p.sha256);
  const id =
    existing ??
    insertIncoming(db, {
      caseId: p.decision.caseId,
      servicerId: p.decision.servicerId,
      filedBy: p.decision.filedBy,
      account: origin?.account ?? null,
      messageId: p.parsed.messageId,
      inReplyTo: p.parsed.inReplyTo,
      references: p.parsed.references,
      from: p.parsed.from,
      to: p.parsed.to,
      cc: p.parsed.cc,
      subject: p.parsed.subject || null,
      bodyText: p.parsed.text || null,
      date: p.parsed.date ?? p.internalDate,
      raw: p.raw,
      replyClass: p.classification.class,
      autoSubmitted: p.parsed.autoSubmitted,
      now,
    });
  if (origin && p.uid !== null)
    addOrigin(db, { ...origin, messageId: id, uid: p.uid, internalDate: p.internalDate }, now);
  if (existing === undefined) {
    if (p.parsed.attachments.length > 0) {
      insertAttachments(
        db,
        id,
        p.parsed.attachments.map((a, i) => ({
          position: i,
          exhibit: null,
          label: a.fileName,
          fileName: a.fileName,
          contentType: a.contentType,
          data: a.data,
        })),
      );
    }
    appendEvent(db, {
      caseId: p.decision.caseId,
      at: now,
      type: "received",
      actor: p.decision.servicerId !== null ? "servicer" : "other",
      messageId: id,
      data: {
        from: p.parsed.from,
        subject: p.parsed.subject,
        date: p.parsed.date,
        message_id: p.parsed.messageId,
        sha256: p.sha256,
        class: p.classification.class,
        reasons: p.classification.reasons,
        filed_by: p.decision.filedBy,
        via: origin ? `imap ${origin.account}/${origin.mailbox}` : "import",
        parse_error: p.parsed.parseError,
      },
    });
  }
  return { messageRowId: id, isNew: existing === undefined, caseId: p.decision.caseId };
}

/**
 * Our own letter seen in a mailbox (the self copy): record where, and if its send outcome was unknown, this
 * copy proves it left.
 */
export function commitOwnCopy(db: Db, messageId: string, origin: Omit<Origin, "messageId">, now: string): boolean {
  const own = findOwnLetter(db, messageId);
  if (!own) return false;
  addOrigin(db, { ...origin, messageId: own.id }, now);
  // Only an unknown outcome is settled here; a letter still `sending` belongs to the sender that is running.
  if (own.state === "unknown") {
    setOutboxState(db, own.id, "sent", now, { response: `found in ${origin.mailbox} by sync` });
    appendEvent(db, {
      caseId: own.caseId,
      at: now,
      type: "sent",
      actor: "loanmail",
      messageId: own.id,
      data: { resolved_by: "sync", mailbox: origin.mailbox, message_id: messageId },
    });
  }
  return true;
}
