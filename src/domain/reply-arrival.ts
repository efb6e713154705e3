/**
 * When a reply reached the user's mailbox (docs/ARCHITECTURE.md, "Replies you can trust"). Pure.
 *
 * A clock is met on the day the answer arrived, so the day must be one the sender cannot choose. The `Date`
 * header is written by the sender and proves nothing: it is shown beside the arrival and never decides a clock.
 * The arrival is, in order:
 *
 * - **internaldate**: the IMAP INTERNALDATE of a synced message, the time the user's own server stored it;
 * - **received**: for an imported file, the newest `Received:` field added by the user's own server (its `by`
 *   host is one of the account's IMAP or SMTP hosts, or its provider's authserv-id, or in the same domain as
 *   one of them). The newest such field is the one the user's server added last, above anything the sender
 *   wrote; a time later than the import is impossible and is ignored;
 * - **recorded**: neither is known: the time loanmail recorded it (the import), marked "arrival not proven";
 * - **typed**: a reply on paper, by portal or fax: the day the user typed.
 *
 * A `Date` more than a day before the arrival is flagged as a discrepancy (a backdated or long-delayed reply).
 */
import { stripComments } from "./auth-results.js";

export type ArrivalSource = "internaldate" | "received" | "recorded" | "typed";

export const ARRIVAL_SOURCES: readonly ArrivalSource[] = ["internaldate", "received", "recorded", "typed"];

export interface Arrival {
  /** An ISO instant (a YYYY-MM-DD day for `typed`). */
  at: string;
  source: ArrivalSource;
  /** The host whose Received field gave it (source `received`). */
  by?: string | undefined;
}

/** What one `Received:` field says: the host that added it and when (ISO), each null when unreadable. */
export function parseReceived(value: string): { by: string | null; at: string | null } {
  const text = value.replace(/\r?\n[ \t]+/g, " ");
  const semi = text.lastIndexOf(";");
  const clauses = stripComments(semi < 0 ? text : text.slice(0, semi));
  const by = /(?:^|\s)by\s+([^\s;]+)/i.exec(clauses)?.[1]?.toLowerCase().replace(/\.$/, "") ?? null;
  let at: string | null = null;
  if (semi >= 0) {
    const when = stripComments(text.slice(semi + 1))
      .replace(/\s+/g, " ")
      .trim();
    const t = Date.parse(when);
    if (when && !Number.isNaN(t)) at = new Date(t).toISOString();
  }
  return { by, at };
}

const IP_LITERAL = /^\[?[0-9a-f:.]+\]?$/i;

/**
 * The names under which the user's own server signs its Received fields: each host itself, and (for a name of
 * three labels or more) the domain it is in, so that imap.example.net also vouches for mx1.example.net.
 */
export function ownServerDomains(hosts: readonly string[]): string[] {
  const out = new Set<string>();
  for (const raw of hosts) {
    const h = raw.trim().toLowerCase().replace(/\.$/, "");
    if (!h) continue;
    out.add(h);
    if (IP_LITERAL.test(h)) continue;
    const labels = h.split(".");
    if (labels.length >= 3) out.add(labels.slice(1).join("."));
  }
  return [...out];
}

function isOwnHost(host: string, own: readonly string[]): boolean {
  if (IP_LITERAL.test(host)) return own.includes(host);
  return own.some((d) => host === d || host.endsWith(`.${d}`));
}

/**
 * The arrival an imported message proves: the newest Received field (fields are listed newest first) added by
 * one of `ownHosts` and dated no later than `now`; null when none does.
 */
export function arrivalFromReceived(
  values: readonly string[],
  ownHosts: readonly string[],
  now: Date,
): { at: string; by: string } | null {
  const own = ownServerDomains(ownHosts);
  if (own.length === 0) return null;
  for (const v of values) {
    const { by, at } = parseReceived(v);
    if (!by || !at || !isOwnHost(by, own)) continue;
    if (Date.parse(at) > now.getTime()) continue;
    return { at, by };
  }
  return null;
}

/** The arrival of an incoming email: INTERNALDATE, else the user's server's Received field, else `now`. */
export function arrivalOf(input: {
  internalDate: string | null;
  received: readonly string[];
  ownHosts: readonly string[];
  now: Date;
}): Arrival {
  if (input.internalDate) return { at: input.internalDate, source: "internaldate" };
  const r = arrivalFromReceived(input.received, input.ownHosts, input.now);
  if (r) return { at: r.at, source: "received", by: r.by };
  return { at: input.now.toISOString(), source: "recorded" };
}

/** What the record holds about when a reply arrived. */
export interface StoredArrivalFacts {
  channel: string;
  /** The Date header (email), or the day typed (paper, portal, fax). */
  date: string | null;
  /** The earliest INTERNALDATE of the mailboxes it was seen in. */
  internalDate: string | null;
  arrivedAt: string | null;
  arrival: ArrivalSource | null;
  arrivedBy: string | null;
  createdAt: string;
}

/**
 * A stored reply's arrival: the day typed for paper, portal or fax; for email the server's INTERNALDATE (a later
 * sync of an imported message proves it), else the arrival recorded on the way in, else when it was recorded.
 */
export function storedArrival(f: StoredArrivalFacts): Arrival {
  if (f.channel !== "email") return { at: f.date ?? f.createdAt, source: "typed" };
  if (f.internalDate) return { at: f.internalDate, source: "internaldate" };
  if (f.arrivedAt && f.arrival) return { at: f.arrivedAt, source: f.arrival, by: f.arrivedBy ?? undefined };
  return { at: f.createdAt, source: "recorded" };
}

const DAY_MS = 86_400_000;

/**
 * How many whole days the Date header is before the arrival, when that is more than a day (a discrepancy the
 * user should see); else null. A typed arrival (a day, not an instant) has none.
 */
export function dateDiscrepancyDays(date: string | null, arrival: Arrival | null): number | null {
  if (!date || !arrival || arrival.source === "typed") return null;
  const d = Date.parse(date);
  const a = Date.parse(arrival.at);
  if (Number.isNaN(d) || Number.isNaN(a) || a - d <= DAY_MS) return null;
  return Math.floor((a - d) / DAY_MS);
}

/** How the arrival was known, in words: "by your server's INTERNALDATE", "arrival not proven: ...". */
export function arrivalText(a: Arrival): string {
  switch (a.source) {
    case "internaldate":
      return "stored in your mailbox, by the server's INTERNALDATE";
    case "received":
      return `reached your server${a.by ? ` ${a.by}` : ""}, by its Received field`;
    case "recorded":
      return "when loanmail recorded it; arrival not proven: no INTERNALDATE and no Received field of your server";
    case "typed":
      return "the day you gave when you recorded it";
  }
}
