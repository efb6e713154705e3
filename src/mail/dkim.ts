/**
 * `--verify-dkim`: checking a message's DKIM signatures (RFC 6376) with mailauth, a maintained implementation.
 * It looks each signer's public key up in DNS; the resolver is injectable so that tests sign a message with a test
 * key and answer the lookup themselves, with no network. What the results mean for the reply is decided in
 * src/domain/reply-trust.ts.
 */
import type { DkimCheck } from "../domain/reply-trust.js";

/** A DNS lookup as mailauth calls it: a name and a record type, the TXT record's strings out. */
export type DnsResolver = (name: string, rrtype: string) => Promise<string[][] | string[]>;

/**
 * Verify every DKIM signature of a message as of `at` (its arrival: a signature that expired later still counted
 * then). Never throws: a failure to check is reported as the reason.
 */
export async function verifyDkim(raw: Buffer, opts: { resolver?: DnsResolver; at?: Date } = {}): Promise<DkimCheck> {
  try {
    // Loaded on first use: only `--verify-dkim` needs it.
    const { dkimVerify } = await import("mailauth/lib/dkim/verify.js");
    const result = await dkimVerify(raw, {
      ...(opts.resolver ? { resolver: opts.resolver } : {}),
      ...(opts.at ? { curTime: opts.at } : {}),
    });
    return {
      signatures: result.results
        .filter((r) => typeof r.signingDomain === "string" && r.signingDomain !== "")
        .map((r) => ({
          domain: r.signingDomain.toLowerCase(),
          result: String(r.status.result).toLowerCase(),
          comment: typeof r.status.comment === "string" ? r.status.comment : null,
        })),
    };
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
}
