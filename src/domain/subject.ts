/** Subject lines and case reference tags (docs/ARCHITECTURE.md, "Letters and channels"): `Account Number <account> – <label> [LM-<prefix>-<id>]`. */

/** The alphabet of home prefixes: no 0/O or 1/I, so a tag read aloud over the phone is unambiguous. */
export const PREFIX_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/** Build a 4-character home prefix from random bytes supplied by the caller (domain code reads no RNG). */
export function buildPrefix(randomBytes: Uint8Array): string {
  if (randomBytes.length < 4) throw new Error("buildPrefix needs 4 random bytes");
  return Array.from(randomBytes.subarray(0, 4), (b) => PREFIX_ALPHABET[b % PREFIX_ALPHABET.length]).join("");
}

/** The case tag `LM-<prefix>-<id>` that threads replies to a case. */
export function caseTag(prefix: string, caseId: number): string {
  return `LM-${prefix}-${caseId}`;
}

/** Parse `LM-ABCD-12` (any case) into its parts; null when it is not a tag. */
export function parseCaseTag(text: string): { prefix: string; caseId: number } | null {
  const m = /^LM-([A-Z0-9]{4})-(\d+)$/i.exec(text.trim());
  if (!m?.[1] || !m[2]) return null;
  return { prefix: m[1].toUpperCase(), caseId: Number(m[2]) };
}

/** Find every `[LM-xxxx-n]` tag in a subject or body, for threading replies. */
export function findCaseTags(text: string): { prefix: string; caseId: number }[] {
  const out: { prefix: string; caseId: number }[] = [];
  for (const m of text.matchAll(/\bLM-([A-Z0-9]{4})-(\d{1,9})\b/gi)) {
    if (m[1] && m[2]) out.push({ prefix: m[1].toUpperCase(), caseId: Number(m[2]) });
  }
  return out;
}

/** The subject line; the en dash is deliberate (servicers' own correspondence uses it). */
export function buildSubject(account: string, label: string, tag: string): string {
  return `Account Number ${account} \u2013 ${label} [${tag}]`;
}
