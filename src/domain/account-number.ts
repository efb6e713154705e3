/** Loan account numbers as servicers print them: digits, sometimes with letters or dashes. */
import { UserError } from "../errors.js";

/** Trim and check an account number; an empty or malformed one is a user error naming the fix. */
export function validateAccountNumber(raw: string): string {
  const value = raw.trim().replace(/\s+/g, "");
  if (value.length === 0) {
    throw new UserError("the account number is empty", {
      code: "ACCOUNT_NUMBER_EMPTY",
      hint: "copy it from your mortgage statement",
    });
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{2,28}[A-Za-z0-9]$/.test(value) || (value.match(/\d/g)?.length ?? 0) < 4) {
    throw new UserError(`"${raw}" is not a loan account number`, {
      code: "INVALID_ACCOUNT_NUMBER",
      hint: "use the number on your mortgage statement: 4 to 30 letters and digits (at least 4 digits), dashes allowed",
    });
  }
  return value;
}

/** Digits only, for comparing account numbers written differently. */
export function accountDigits(value: string): string {
  return value.replace(/\D/g, "");
}

/**
 * Whether `text` names `account` as a whole word (not inside a longer number or word): how sync files a message by
 * account number, and how a purge finds unfiled mail of a client. Numbers under four characters name nothing.
 */
export function namesAccount(text: string, account: string): boolean {
  if (account.length < 4) return false;
  const escaped = account.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
  return new RegExp(`(^|[^0-9A-Za-z])${escaped}([^0-9A-Za-z]|$)`).test(text);
}
