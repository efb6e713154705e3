/**
 * Parsing a received message into a plain typed object. The ingest path depends only on the `MessageParser`
 * type, so a test can hand it the real parser (mailparser, below) or a fake. Parsing never throws: hostile mail
 * is stored raw even when it cannot be parsed, and the error is recorded.
 */
import type { AddressObject, HeaderLines, Headers } from "mailparser";
import { cleanLabel } from "../domain/exhibits.js";

export interface ParsedAttachment {
  fileName: string;
  contentType: string;
  data: Buffer;
}

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
  attachments: ParsedAttachment[];
  autoSubmitted: string | null;
  xAutoreply: string | null;
  precedence: string | null;
  /** The value of every `Authentication-Results` field, in the order they stand (newest first). */
  authResults: string[];
  /** The value of every `Received` field, newest first (each server adds its own on top). */
  received: string[];
  parseError: string | null;
}

/** Bytes of a message in, its headers, text and attachments out; resolves (never rejects) even for broken mail. */
export type MessageParser = (raw: Buffer) => Promise<ParsedMail>;

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => (a.value ?? []).map((v) => v.address ?? "").filter(Boolean));
}

function headerText(headers: Headers, name: string): string | null {
  const v = headers.get(name);
  if (v === undefined || v === null) return null;
  if (typeof v === "string") return v;
  if (typeof v === "object" && "value" in v) return String(v.value);
  return String(v);
}

/**
 * The Date header only when it parses: mailparser puts the time of parsing in place of an unparseable Date, and
 * an evidence record must not carry an invented date (the caller falls back to the server's INTERNALDATE).
 */
function headerDate(lines: HeaderLines): string | undefined {
  const line = lines.find((l) => l.key === "date")?.line;
  const value = line?.slice(line.indexOf(":") + 1).trim();
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The values of every field named `key` (lower case), unfolded, in the order they stand in the message. */
export function headerValues(lines: HeaderLines, key: string): string[] {
  return lines
    .filter((l) => l.key === key)
    .map((l) =>
      l.line
        .slice(l.line.indexOf(":") + 1)
        .replace(/\r?\n[ \t]+/g, " ")
        .trim(),
    )
    .slice(0, 100);
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

/** What is known of a message that could not be parsed at all: nothing but the error. */
export function unparsed(error: string): ParsedMail {
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
    authResults: [],
    received: [],
    parseError: error,
  };
}

type Parsed = Awaited<ReturnType<typeof import("mailparser").simpleParser>>;

/** Load the parser now (a sync does while the server answers its search), not at the first message. */
export async function loadParser() {
  // Loaded on first use: mailparser (and the IMAP module's id parsing) take about a second to load, which
  // `received` and the other commands that reach the ingest path without parsing mail should not pay.
  const [{ simpleParser }, { parseMessageIds }] = await Promise.all([import("mailparser"), import("./imap.js")]);
  return { simpleParser, parseMessageIds };
}

function toParsedMail(
  p: Parsed,
  parseMessageIds: (v: string | null | undefined) => string[],
  parseError: string | null,
): ParsedMail {
  const refs = Array.isArray(p.references) ? p.references : p.references ? [p.references] : [];
  return {
    messageId: p.messageId ?? null,
    inReplyTo: parseMessageIds(p.inReplyTo)[0] ?? null,
    references: refs.flatMap((r) => parseMessageIds(r)).slice(0, 1000),
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
    authResults: headerValues(p.headerLines, "authentication-results"),
    received: headerValues(p.headerLines, "received"),
    parseError,
  };
}

/** The fields a reply is threaded, dated and judged by, read on their own when the whole message cannot be. */
const THREADING_FIELDS = new Set([
  "from",
  "to",
  "cc",
  "subject",
  "date",
  "message-id",
  "in-reply-to",
  "references",
  "auto-submitted",
  "x-autoreply",
  "x-autorespond",
  "precedence",
  "received",
  "authentication-results",
]);
/** One field kept at most this long (a 100,000-id References keeps its first ids), and at most this many fields. */
const FIELD_CAP = 16 * 1024;
const FIELDS_CAP = 200;

/**
 * The header of a message the parser refused (a 10 MB header, 5,000 parts, nesting 5,000 deep): its threading
 * fields, each cut to a size the parser takes, as a header-only message for the same parser to decode (encoded
 * words, address lists). Its tag in the Subject, its In-Reply-To and its sender still thread and judge it.
 */
export function threadingHeader(raw: Buffer): Buffer {
  const text = raw.toString("latin1");
  const ends = [text.indexOf("\r\n\r\n"), text.indexOf("\n\n")].filter((i) => i >= 0);
  const header = text.slice(0, ends.length > 0 ? Math.min(...ends) : text.length);
  return Buffer.from(`${capFields(header).join("\r\n")}\r\n\r\n`, "latin1");
}

/** Each threading field of a header block, unfolded into one line and cut to FIELD_CAP (at an id's end). */
function capFields(header: string): string[] {
  const out: string[] = [];
  let keep = false;
  for (const line of header.split(/\r?\n/)) {
    if (/^[ \t]/.test(line)) {
      if (keep) out[out.length - 1] = `${out[out.length - 1]} ${line.trim()}`.slice(0, FIELD_CAP + 1);
      continue;
    }
    const name = line
      .slice(0, Math.max(0, line.indexOf(":")))
      .trim()
      .toLowerCase();
    keep = THREADING_FIELDS.has(name) && out.length < FIELDS_CAP;
    if (keep) out.push(line.slice(0, FIELD_CAP + 1));
  }
  return out.map((f) => {
    if (f.length <= FIELD_CAP) return f;
    const cut = f.slice(0, FIELD_CAP);
    const lastId = cut.lastIndexOf(">");
    return lastId > 0 && /^(references|in-reply-to|message-id):/i.test(cut) ? cut.slice(0, lastId + 1) : cut;
  });
}

/**
 * The real parser (mailparser). A message it refuses is still threaded by its header read on its own
 * (threadingHeader); its body and parts are then not read, and the error is recorded either way.
 */
export const parseMail: MessageParser = async (raw) => {
  let error: string;
  try {
    const { simpleParser, parseMessageIds } = await loadParser();
    const options = { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true } as const;
    try {
      return toParsedMail(await simpleParser(raw, options), parseMessageIds, null);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const header = await simpleParser(threadingHeader(raw), options);
    return { ...toParsedMail(header, parseMessageIds, error), text: "", attachments: [] };
  } catch (err) {
    return unparsed(err instanceof Error ? err.message : String(err));
  }
};
