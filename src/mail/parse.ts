/**
 * Parsing a received message into a plain typed object. The ingest path depends only on the `MessageParser`
 * type, so a test can hand it the real parser (postal-mime, below) or a fake. Parsing never throws: hostile mail
 * is stored raw even when it cannot be parsed, and the error is recorded.
 *
 * Decision: postal-mime, not mailparser (used until issue 13's speed work). A first sync parses every kept message:
 * postal-mime parses a message buffer in one pass where mailparser streams it through a dozen transforms, and took
 * about a third less CPU over the bench's 1,030 servicer letters (0.9 s against 1.4 s with the compiler's own
 * threads), loads in 10 ms instead of 150, and keeps 10 MB less resident.
 */
import type { Address, Email, Header, HeaderLine } from "postal-mime";
import { cleanLabel } from "../domain/exhibits.js";
import { parseMessageIds } from "./message-ids.js";

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

/** The addresses of a field, a group's members included. */
function addresses(value: Address | Address[] | undefined): string[] {
  const list = Array.isArray(value) ? value : value ? [value] : [];
  return list.flatMap((a) => (a.group ? a.group.map((m) => m.address) : [a.address])).filter(Boolean);
}

/** The first value of a header field (unfolded, as written). */
function headerText(headers: readonly Header[], name: string): string | null {
  return headers.find((h) => h.key === name)?.value.trim() ?? null;
}

/**
 * The Date header only when it parses: a parser's own reading of a broken Date (the time of parsing, or the text
 * as written) must not become an evidence record's date (the caller falls back to the server's INTERNALDATE).
 */
function headerDate(lines: readonly HeaderLine[]): string | undefined {
  const line = lines.find((l) => l.key === "date")?.line;
  const value = line?.slice(line.indexOf(":") + 1).trim();
  if (!value) return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

/** The values of every field named `key` (lower case), unfolded, in the order they stand in the message. */
export function headerValues(lines: readonly HeaderLine[], key: string): string[] {
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

let parser: Promise<typeof import("postal-mime").default> | undefined;

/**
 * The parser, loaded once, on first use: `received` and the other commands that reach the ingest path without
 * parsing mail do not load it. A sync loads it while the server answers its search, not at the first message.
 */
export function loadParser(): Promise<typeof import("postal-mime").default> {
  parser ??= import("postal-mime").then((m) => m.default);
  return parser;
}

/** The bytes of an attachment as the parser gives them: decoded, or (calendar parts) text. */
function attachmentBytes(content: ArrayBuffer | Uint8Array | string, encoding: string | undefined): Buffer {
  if (typeof content === "string") return Buffer.from(content, encoding === "base64" ? "base64" : "utf8");
  return content instanceof Uint8Array
    ? Buffer.from(content.buffer, content.byteOffset, content.byteLength)
    : Buffer.from(content);
}

/** The Message-ID in angle brackets; one written without them (a broken mailer's) gets them, as a reply would. */
function messageIdOf(value: string | undefined): string | null {
  const id = parseMessageIds(value)[0];
  if (id) return id;
  const bare = value?.trim().replace(/^<|>$/g, "");
  return bare && /^[^\s<>]+$/.test(bare) ? `<${bare}>` : null;
}

function toParsedMail(p: Email, parseError: string | null): ParsedMail {
  return {
    messageId: messageIdOf(p.messageId),
    inReplyTo: parseMessageIds(p.inReplyTo)[0] ?? null,
    references: parseMessageIds(p.references).slice(0, 1000),
    from: addresses(p.from)[0] ?? null,
    to: addresses(p.to),
    cc: addresses(p.cc),
    subject: p.subject ?? "",
    date: headerDate(p.headerLines) ?? null,
    // An HTML-only message has no text part: the parser renders one from its HTML; failing that, take the words
    // from the HTML here (never its markup or scripts).
    text: (p.text || (typeof p.html === "string" ? htmlToText(p.html) : "")).slice(0, 2_000_000),
    attachments: p.attachments.map((a, i) => ({
      fileName: safeAttachmentName(a.filename ?? undefined, i, a.mimeType || "application/octet-stream"),
      contentType: (a.mimeType || "application/octet-stream").slice(0, 200),
      data: attachmentBytes(a.content, a.encoding),
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
 * The parser's limits: a header block of all parts together at most 1 MB (a 100,000-id References or a 10 MB
 * field is refused), nesting at most 100 deep, and at most MAX_PARTS parts (mailparser's limit, which postal-mime
 * does not set: thousands of empty parts cost time and memory for nothing). A forwarded message stays an
 * attachment (its own bytes), as it was sent.
 */
const PARSE_OPTIONS = {
  maxHeadersSize: 1024 * 1024,
  maxNestingDepth: 100,
  forceRfc822Attachments: true,
  attachmentEncoding: "arraybuffer",
} as const;
const MAX_PARTS = 1000;

/**
 * More lines that open with "--" than MAX_PARTS allows part boundaries: every MIME part starts at such a line
 * (RFC 2046 5.1.1), so a message under the count has at most MAX_PARTS parts. Counted on the bytes, before parsing.
 */
function tooManyParts(raw: Buffer): boolean {
  let lines = 0;
  for (let at = raw.indexOf("\n--"); at >= 0; at = raw.indexOf("\n--", at + 3)) {
    if (++lines > MAX_PARTS + 1) return true;
  }
  return false;
}

/**
 * The real parser (postal-mime). A message it refuses is still threaded by its header read on its own
 * (threadingHeader); its body and parts are then not read, and the error is recorded either way.
 */
export const parseMail: MessageParser = async (raw) => {
  let error: string;
  try {
    const PostalMime = await loadParser();
    try {
      if (tooManyParts(raw)) throw new Error(`Maximum of ${MAX_PARTS} MIME parts exceeded`);
      return toParsedMail(await PostalMime.parse(raw, PARSE_OPTIONS), null);
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const header = await PostalMime.parse(threadingHeader(raw), PARSE_OPTIONS);
    return { ...toParsedMail(header, error), text: "", attachments: [] };
  } catch (err) {
    return unparsed(err instanceof Error ? err.message : String(err));
  }
};
