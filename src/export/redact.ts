/**
 * Redaction for a timeline or a bundle: SSNs and account numbers masked to their last 4 digits in every string,
 * hashes and times left alone.
 */
import { maskDigits } from "../domain/lint.js";
import type { TimelineDoc } from "./timeline.js";

const ACCOUNT_WORDS = String.raw`(?:account|acct|a\/c|loan\s+(?:no|number|#)|routing|aba)`;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * A function that masks SSNs and account numbers to their last 4 digits: the given account numbers (the loan's,
 * current and past) wherever they appear, written with or without spaces and dashes; SSNs written
 * ddd-dd-dddd or as nine digits after "SSN"/"social security"; and any number of 8 to 17 digits after an
 * account word. Hashes (long runs of hex) are never touched: every pattern needs a non-alphanumeric boundary.
 */
export function buildRedactor(accountNumbers: readonly string[]): (text: string) => string {
  const patterns: RegExp[] = [];
  const seen = new Set<string>();
  for (const raw of accountNumbers) {
    const a = raw.trim();
    if (!a || seen.has(a.toLowerCase())) continue;
    seen.add(a.toLowerCase());
    patterns.push(new RegExp(`(?<![A-Za-z0-9])${escapeRegExp(a)}(?![A-Za-z0-9])`, "gi"));
    const digits = a.replace(/\D/g, "");
    if (digits.length >= 6) {
      patterns.push(new RegExp(`(?<![A-Za-z0-9])${digits.split("").join("[ -]?")}(?![A-Za-z0-9])`, "g"));
    }
  }
  patterns.push(/(?<![A-Za-z0-9])\d{3}-\d{2}-\d{4}(?![A-Za-z0-9])/g);
  const ssnWords =
    /\b(ssn|ss#|social\s+security(?:\s+(?:no|number|#))?)([^\d\n]{0,20}?)(\d{3}[ -]?\d{2}[ -]?\d{4})(?!\d)/gi;
  const accountRuns = new RegExp(`(${ACCOUNT_WORDS}[^0-9\\n]{0,20}?)(\\d[\\d -]{6,20}\\d)(?![A-Za-z0-9])`, "gi");
  return (text: string): string => {
    let out = text;
    for (const p of patterns) out = out.replace(p, (m) => maskDigits(m));
    out = out.replace(ssnWords, (_m, w: string, gap: string, n: string) => `${w}${gap}${maskDigits(n)}`);
    out = out.replace(accountRuns, (m, w: string, n: string) =>
      n.replace(/\D/g, "").length >= 8 && n.replace(/\D/g, "").length <= 17 ? `${w}${maskDigits(n)}` : m,
    );
    return out;
  };
}

/** Keys whose values are hashes or times: never masked (masking would only break them). */
const KEEP_KEYS = new Set([
  "sha256",
  "hash",
  "chainHead",
  "when",
  "whenLocal",
  "recordedAt",
  "generatedAt",
  "arrivedAt",
]);

/** Apply a redactor to every string of a value, except hashes and times. */
export function redactDeep<T>(value: T, redact: (s: string) => string, key = ""): T {
  if (typeof value === "string") return (KEEP_KEYS.has(key) ? value : redact(value)) as T;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, redact, key)) as T;
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = redactDeep(v, redact, k);
    return out as T;
  }
  return value;
}

/**
 * The redacted timeline: every string masked, and the per-event hashes left out (an event's hash with its
 * other fields known would let someone test guesses of a masked number). Chain heads stay: they cover whole
 * chains, which the redacted document does not reveal.
 */
export function redactTimeline(doc: TimelineDoc, redact: (s: string) => string): TimelineDoc {
  const masked = redactDeep(doc, redact);
  return {
    ...masked,
    redacted: true,
    cases: masked.cases.map((c) => ({ ...c, rows: c.rows.map((r) => ({ ...r, hash: null })) })),
  };
}
