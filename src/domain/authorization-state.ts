/**
 * Whether a borrower's signed third-party authorization lets a counselor write to the servicer on a day
 * (docs/ARCHITECTURE.md, "Clients"): signed by then, not expired, not revoked. Pure.
 */
import type { IsoDate } from "./calendar.js";

export type AuthorizationState = "valid" | "expiring" | "expired" | "revoked" | "not-yet-signed";

/** How many days ahead an expiry shows in `due` and reads "expiring". */
export const EXPIRY_NOTICE_DAYS = 30;

/** The day `days` calendar days after `day`. */
export function addCalendarDays(day: IsoDate, days: number): IsoDate {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * valid; expiring (it expires within 30 days); expired (after its expiry day, which it still covers); revoked (on
 * or after the day it was revoked); not-yet-signed (`today` is before the day it was signed).
 */
export function authorizationState(
  a: { signedOn?: string; expiresOn: string | null; revokedOn?: string | null },
  today: IsoDate,
): AuthorizationState {
  if (a.revokedOn && a.revokedOn <= today) return "revoked";
  if (a.signedOn && a.signedOn > today) return "not-yet-signed";
  if (!a.expiresOn) return "valid";
  if (a.expiresOn < today) return "expired";
  return a.expiresOn <= addCalendarDays(today, EXPIRY_NOTICE_DAYS) ? "expiring" : "valid";
}

/** Whether the state lets a counselor write for the borrowers. */
export function authorizes(state: AuthorizationState): boolean {
  return state === "valid" || state === "expiring";
}
