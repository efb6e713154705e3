/**
 * Who sent a reply, and whether it may meet a clock (docs/ARCHITECTURE.md, "Replies you can trust"). Pure.
 *
 * A reply decides whether a servicer's clock is met, so only a reply that is the servicer's may meet one:
 *
 * - **trusted**: its From address is one the servicer uses (a reply domain, or one of its recorded addresses),
 *   and nothing says it is forged;
 * - **suspect**: something says it is forged: an `Authentication-Results` field written by the user's own mail
 *   provider (its authserv-id, set per account with `account set --authserv-id`) shows `dmarc=fail`, `spf=fail`
 *   or `dkim=fail` (a failed signature beside a passing one only means the message was signed twice and changed
 *   on the way, RFC 6376 section 6.1, so `dkim=fail` counts when no signature passed), or `--verify-dkim` found a
 *   signature that does not verify. Fields written by any other server are ignored (RFC 8601 section 5: only the
 *   reader's own border servers are trusted to write them, and anyone can add one to a message);
 * - **unverified**: its From address is not the servicer's (a stranger's message that carries the case tag or
 *   answers our Message-ID).
 *
 * Neither a suspect nor an unverified reply meets a clock until the user confirms it (`classify MSG CLASS
 * --confirm`, a `classified` event that says what was confirmed). A reply recorded by hand (paper, portal, fax)
 * is the user's own statement and is trusted.
 */
import { type AuthResultsField, parseAuthenticationResults } from "./auth-results.js";

export type TrustStatus = "trusted" | "suspect" | "unverified";

export const TRUST_STATUSES: readonly TrustStatus[] = ["trusted", "suspect", "unverified"];

export function isTrustStatus(v: unknown): v is TrustStatus {
  return typeof v === "string" && (TRUST_STATUSES as readonly string[]).includes(v);
}

/** A servicer as the sender check needs it: its name, reply domains and recorded addresses. */
export interface ServicerIdentity {
  id: number;
  name: string;
  domains: readonly string[];
  addresses: readonly string[];
}

/** One DKIM signature as a verifier reported it (`--verify-dkim`). */
export interface DkimSignatureCheck {
  /** The signing domain (d=). */
  domain: string;
  /** pass, fail, neutral, none, policy, permerror, temperror (RFC 8601 section 2.7.1). */
  result: string;
  comment: string | null;
}

/** What `--verify-dkim` found: each signature, or why the check could not run. */
export type DkimCheck = { signatures: readonly DkimSignatureCheck[] } | { error: string };

export interface TrustInput {
  /** The From address. */
  from: string | null;
  /** The servicers whose address may send this reply: the case's (now and before a transfer), or every one. */
  servicers: readonly ServicerIdentity[];
  /** The value of every `Authentication-Results` field of the message. */
  authResults: readonly string[];
  /** The authserv-ids of the user's own provider(s); fields by any other are ignored. */
  trustedAuthservIds: readonly string[];
  /** The result of `--verify-dkim`, when it ran. */
  dkim?: DkimCheck | undefined;
}

export interface TrustVerdict {
  status: TrustStatus;
  /** Why, in words for the user: every fact that decided it (a suspect reply names each failure). */
  why: string[];
}

/** The domain of an address, lower-cased, or null. */
export function domainOf(address: string | null): string | null {
  const at = address?.lastIndexOf("@") ?? -1;
  if (!address || at < 0) return null;
  const d = address
    .slice(at + 1)
    .replace(/>$/, "")
    .trim()
    .toLowerCase();
  return d || null;
}

/** Whether `domain` is `parent` or one of its subdomains. */
export function isSameOrSubdomain(domain: string, parent: string): boolean {
  const p = parent.toLowerCase();
  const d = domain.toLowerCase();
  return d === p || d.endsWith(`.${p}`);
}

/** The servicer whose address or reply domain (or a subdomain of one) `from` is, and which it matched. */
export function servicerOfSender(
  from: string | null,
  servicers: readonly ServicerIdentity[],
): { servicer: ServicerIdentity; by: string } | null {
  const address = from?.trim().toLowerCase() ?? "";
  const domain = domainOf(from);
  if (!address || !domain) return null;
  for (const s of servicers) {
    if (s.addresses.some((a) => a.trim().toLowerCase() === address)) return { servicer: s, by: `address ${address}` };
  }
  for (const s of servicers) {
    const d = s.domains.find((x) => isSameOrSubdomain(domain, x));
    if (d) return { servicer: s, by: `reply domain ${d.toLowerCase()}` };
  }
  return null;
}

/** The fields written by the user's own provider, parsed; every other field is ignored. */
export function trustedAuthResults(values: readonly string[], trustedIds: readonly string[]): AuthResultsField[] {
  const ids = new Set(trustedIds.map((i) => i.trim().toLowerCase()).filter(Boolean));
  if (ids.size === 0) return [];
  return values
    .map((v) => parseAuthenticationResults(v))
    .filter((f): f is AuthResultsField => f !== null && ids.has(f.authservId.toLowerCase()));
}

const CHECKED_METHODS = ["dmarc", "spf", "dkim"] as const;

/** What the trusted fields say: each failure (suspect), and each pass (for the record). */
function judgeAuthResults(fields: readonly AuthResultsField[]): { failures: string[]; passes: string[] } {
  const failures: string[] = [];
  const passes: string[] = [];
  for (const f of fields) {
    for (const method of CHECKED_METHODS) {
      const own = f.results.filter((r) => r.method === method);
      const passed = own.some((r) => r.result === "pass");
      if (passed) passes.push(`${method}=pass by ${f.authservId}`);
      // A failed DKIM signature beside one that verified is a second signature broken on the way, not a forgery.
      if (method === "dkim" && passed) continue;
      for (const r of own.filter((x) => x.result === "fail")) {
        const detail = [r.reason, r.props["header.d"] ? `header.d=${r.props["header.d"]}` : null]
          .filter(Boolean)
          .join(", ");
        failures.push(
          `${method}=fail in the Authentication-Results written by your provider (${f.authservId})${detail ? `: ${detail}` : ""}`,
        );
      }
    }
  }
  return { failures: [...new Set(failures)], passes: [...new Set(passes)] };
}

/**
 * A signature that does not verify against its published key, or whose body was changed (some verifiers report
 * that as neutral). A key no longer published (rotated since an old message was signed), an expired signature or
 * a DNS failure says nothing about forgery: they are noted, not held against the reply.
 */
function isBroken(s: DkimSignatureCheck): boolean {
  return s.result === "fail" || (s.result === "neutral" && /body hash/i.test(s.comment ?? ""));
}

/** What `--verify-dkim` says about the From domain: a failure (suspect) or a note. */
function judgeDkim(check: DkimCheck, fromDomain: string | null): { failures: string[]; notes: string[] } {
  if ("error" in check) return { failures: [], notes: [`DKIM could not be checked: ${check.error}`] };
  const aligned = (d: string) =>
    fromDomain !== null && (isSameOrSubdomain(fromDomain, d) || isSameOrSubdomain(d, fromDomain));
  const sigs = check.signatures;
  const good = sigs.find((s) => s.result === "pass" && aligned(s.domain));
  if (good) return { failures: [], notes: [`DKIM signature of ${good.domain} verified`] };
  const broken = sigs.filter(isBroken);
  if (broken.length > 0) {
    return {
      failures: broken.map(
        (s) => `the DKIM signature of ${s.domain} does not verify (${s.result}${s.comment ? `: ${s.comment}` : ""})`,
      ),
      notes: [],
    };
  }
  const other = sigs.find((s) => s.result === "pass");
  if (other) return { failures: [], notes: [`DKIM signature of ${other.domain} verified, not of the From domain`] };
  const unchecked = sigs.find((s) => s.result !== "none");
  if (unchecked)
    return {
      failures: [],
      notes: [`DKIM could not be checked for ${unchecked.domain}: ${unchecked.comment ?? unchecked.result}`],
    };
  return { failures: [], notes: ["no DKIM signature"] };
}

/** Judge who sent a reply: trusted, suspect or unverified, and why. */
export function judgeReplyTrust(input: TrustInput): TrustVerdict {
  const fields = trustedAuthResults(input.authResults, input.trustedAuthservIds);
  const auth = judgeAuthResults(fields);
  const dkim = input.dkim ? judgeDkim(input.dkim, domainOf(input.from)) : { failures: [], notes: [] };
  const failures = [...auth.failures, ...dkim.failures];
  const sender = servicerOfSender(input.from, input.servicers);
  const who = sender
    ? `From ${input.from} is ${sender.servicer.name}'s (${sender.by})`
    : input.from
      ? `From ${input.from} is not an address or reply domain of ${servicerNames(input.servicers)}`
      : "it names no From address";
  if (failures.length > 0) return { status: "suspect", why: [...failures, who] };
  const notes = [...auth.passes, ...dkim.notes];
  if (!sender) return { status: "unverified", why: [who, ...notes] };
  return { status: "trusted", why: [who, ...notes] };
}

function servicerNames(servicers: readonly ServicerIdentity[]): string {
  const names = servicers.map((s) => s.name);
  if (names.length === 0) return "any servicer";
  if (names.length === 1) return names[0] as string;
  return `${names.slice(0, -1).join(", ")} or ${names.at(-1)}`;
}

/** A reply's standing for the clocks: how it was judged, and whether the user confirmed it. */
export interface ReplyStanding {
  status: TrustStatus;
  confirmed: boolean;
}

/** A stored reply's standing (undefined for a reply recorded before senders were judged, or a letter). */
export function standingOf(m: {
  trust: TrustStatus | null;
  trustConfirmedAt: string | null;
}): ReplyStanding | undefined {
  return m.trust === null ? undefined : { status: m.trust, confirmed: m.trustConfirmedAt !== null };
}

/** Whether a reply may meet (or extend) a clock: a trusted one, or one the user confirmed. */
export function meetsClocks(r: { trust?: ReplyStanding | undefined }): boolean {
  return r.trust === undefined || r.trust.status === "trusted" || r.trust.confirmed;
}

/** "unverified", "suspect", or "unverified, confirmed by you": a short label for lists. */
export function trustLabel(s: ReplyStanding): string {
  if (s.status === "trusted") return "trusted";
  return s.confirmed ? `${s.status}, confirmed by you` : s.status;
}
