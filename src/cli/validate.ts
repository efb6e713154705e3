/** Small checks of command-line values that belong to no domain rule. */
import { UserError } from "../errors.js";

const EMAIL =
  /^[^\s@<>()",;]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;

/** An email address as a person types it (no display name). */
export function checkEmail(value: string, flag: string): string {
  const v = value.trim();
  if (!EMAIL.test(v))
    throw new UserError(`${flag} ${value}: not an email address`, {
      code: "INVALID_EMAIL",
      hint: "write it like name@example.com",
    });
  return v;
}

/** A mail domain such as mrcooper.com. */
export function checkDomain(value: string): string {
  const v = value.trim().toLowerCase().replace(/^@/, "");
  if (!/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(v)) {
    throw new UserError(`--domain ${value}: not a domain`, {
      code: "INVALID_DOMAIN",
      hint: "write it like mrcooper.com",
    });
  }
  return v;
}

/** A required option, missing without a TTY: the error names the flag. */
export function requireOption<T>(value: T | undefined, flag: string, example: string): T {
  if (value === undefined || (typeof value === "string" && value.trim() === "")) {
    throw new UserError(`${flag} is required`, { code: "MISSING_OPTION", hint: `for example: ${example}` });
  }
  return value;
}

/** A positive whole number option. */
export function checkPositiveInt(value: string, flag: string, max: number): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > max) {
    throw new UserError(`${flag} ${value}: not a whole number from 1 to ${max}`, {
      code: "INVALID_NUMBER",
      hint: `for example ${flag} 3`,
    });
  }
  return n;
}
