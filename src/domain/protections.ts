/**
 * Protections: what the servicer may not do for a while, as the record shows it. A protection is not a deadline
 * anyone owes: it never turns late, never makes a due item, and is listed apart (`due`, `show`, and the
 * `protections` of their --json), each with its rule and the last day it protects. Two sources:
 *
 * - a servicing transfer's 60 days (12 C.F.R. 1024.33(c)(1)): src/domain/transfer-rules.ts;
 * - dual tracking (12 C.F.R. 1024.41(f), (g), (j)): src/domain/dual-tracking.ts.
 */
import type { IsoDate } from "./calendar.js";

/**
 * Which protection: the 120-day first-filing bar, the first-filing bar of a pending application, the sale bar of
 * a pending application, a transfer's 60-day late-payment protection.
 */
export type ProtectionKind = "first-filing-120" | "first-filing-pending" | "sale-pending" | "transfer-payment";

export interface Protection {
  id: string;
  kind: ProtectionKind;
  /** What the servicer may not do. */
  name: string;
  rule: string;
  status: "in-force" | "ended" | "not-applicable";
  startedBy: { what: string; on: IsoDate } | null;
  /** The first day it protects; null for one that does not apply. */
  from: IsoDate | null;
  /** The last day it protects on this record; null while it lasts until something not yet recorded happens. */
  until: IsoDate | null;
  /** What ends it, or ended it, in words. */
  ends: string;
  note: string | null;
}

/** Whether the protection is the loan's own (the 120-day bar, a transfer's 60 days) rather than a case's. */
export function isLoanProtection(p: Protection): boolean {
  return p.kind === "first-filing-120" || p.kind === "transfer-payment";
}
