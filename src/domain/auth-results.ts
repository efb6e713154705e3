/**
 * Reading an `Authentication-Results` header field (RFC 8601). Pure.
 *
 * The field is written by a receiving mail server to say what it found when it checked the message: SPF, DKIM,
 * DMARC, ... Anyone can write one, so a reader trusts only the fields written by its own provider, named by their
 * `authserv-id` (RFC 8601 section 5); the fields of other servers are ignored. This module only reads a field;
 * which ones are trusted is decided in reply-trust.ts.
 *
 * Grammar (RFC 8601 section 2.2, simplified where nothing depends on the difference):
 *
 *     authres-payload = [CFWS] authserv-id [ CFWS authres-version ] ( no-result / 1*resinfo ) [CFWS]
 *     no-result       = [CFWS] ";" [CFWS] "none"
 *     resinfo         = [CFWS] ";" methodspec [ CFWS reasonspec ] [ CFWS 1*propspec ]
 *     methodspec      = [CFWS] method [CFWS] "=" [CFWS] result      ; method may carry "/" version
 *     reasonspec      = "reason" [CFWS] "=" [CFWS] value
 *     propspec        = ptype [CFWS] "." [CFWS] property [CFWS] "=" pvalue
 *
 * Comments (parenthesised, nestable) are dropped; quoted strings keep their content. Keywords are compared
 * case-insensitively, so methods and results are lower-cased.
 */

/** One `method=result` of a field, with its reason and properties (`header.d`, `smtp.mailfrom`, ...). */
export interface AuthResult {
  method: string;
  result: string;
  reason: string | null;
  props: Readonly<Record<string, string>>;
}

/** A parsed field: who wrote it, and what it found (empty for `none`). */
export interface AuthResultsField {
  authservId: string;
  results: AuthResult[];
}

/** The value with comments replaced by a space; quoted strings (and their escapes) kept as written. */
export function stripComments(value: string): string {
  let out = "";
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === "\\" && (quoted || depth > 0)) {
      if (depth === 0) out += ch + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (depth === 0 && ch === '"') quoted = !quoted;
    if (!quoted) {
      if (ch === "(") {
        depth++;
        continue;
      }
      if (ch === ")" && depth > 0) {
        depth--;
        if (depth === 0) out += " ";
        continue;
      }
    }
    if (depth === 0) out += ch;
  }
  return out;
}

/** Split at every `;` outside a quoted string. */
function splitResinfo(value: string): string[] {
  const parts: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    if (ch === "\\" && quoted) {
      cur += ch + (value[i + 1] ?? "");
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ";" && !quoted) {
      parts.push(cur);
      cur = "";
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  return parts;
}

/** A token or a quoted string, unquoted. */
function unquote(v: string): string {
  return v.startsWith('"') && v.endsWith('"') && v.length >= 2 ? v.slice(1, -1).replace(/\\(.)/g, "$1") : v;
}

const KEYWORD = "[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?";
const VALUE = '"(?:[^"\\\\]|\\\\.)*"|[^\\s";]+';
const METHODSPEC = new RegExp(`^\\s*(${KEYWORD})(?:\\s*/\\s*\\d+)?\\s*=\\s*(${KEYWORD})`);
const REASON = new RegExp(`^\\s*reason\\s*=\\s*(${VALUE})`, "i");
const PROPSPEC = new RegExp(`^\\s*(${KEYWORD})\\s*\\.\\s*([A-Za-z0-9_.-]*[A-Za-z0-9_-])\\s*=\\s*(${VALUE})`);

function parseResinfo(text: string): AuthResult | null {
  const m = METHODSPEC.exec(text);
  if (!m) return null;
  let rest = text.slice(m[0].length);
  let reason: string | null = null;
  const r = REASON.exec(rest);
  if (r) {
    reason = unquote(r[1] as string);
    rest = rest.slice(r[0].length);
  }
  const props: Record<string, string> = {};
  for (let p = PROPSPEC.exec(rest); p; p = PROPSPEC.exec(rest)) {
    props[`${(p[1] as string).toLowerCase()}.${(p[2] as string).toLowerCase()}`] = unquote(p[3] as string);
    rest = rest.slice(p[0].length);
  }
  return { method: (m[1] as string).toLowerCase(), result: (m[2] as string).toLowerCase(), reason, props };
}

/**
 * Parse one field's value (the text after `Authentication-Results:`, folded or not). Null when it has no
 * authserv-id; a resinfo that cannot be read is left out rather than guessed.
 */
export function parseAuthenticationResults(value: string): AuthResultsField | null {
  const text = stripComments(value.replace(/\r?\n[ \t]+/g, " "));
  const [head = "", ...infos] = splitResinfo(text);
  const id = new RegExp(`^\\s*(${VALUE})`).exec(head);
  if (!id) return null;
  const authservId = unquote(id[1] as string).trim();
  if (!authservId) return null;
  const results: AuthResult[] = [];
  for (const info of infos) {
    if (/^\s*none\s*$/i.test(info)) continue;
    const r = parseResinfo(info);
    if (r) results.push(r);
  }
  return { authservId, results };
}
