/** Small checks of command-line values that belong to no domain rule. */
import { normalizeAmount } from "../domain/fields.js";
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

/*
 * Answer checks for prompts: each returns true for an acceptable answer, else the text to show under the prompt
 * before it is asked again. The same checks back the flags (checkPhone, checkTimeZone), so a script and a person
 * at the terminal are held to one rule.
 */

/** An email address, or what is wrong with it. */
export function emailProblem(value: string): string | true {
  return EMAIL.test(value.trim()) ? true : `"${value.trim()}" is not an email address; write it like name@example.com`;
}

/**
 * A phone number a servicer can call back: 10 digits (US, area code first, optionally with a leading 1), or `+`
 * and 8 to 15 digits (international), with spaces, dots, dashes or parentheses between, and an optional extension
 * ("x 12" or "ext. 12").
 */
export function phoneProblem(value: string): string | true {
  const v = value.trim();
  const m = /^(.*?)(?:\s*(?:x|ext\.?|extension)\s*\d{1,6})?$/i.exec(v);
  const main = (m?.[1] ?? v).trim();
  const hint = "write it with its area code, like 555-867-5309 or +44 20 7946 0958";
  if (!/^\+?[\d\s().-]+$/.test(main)) return `"${v}" is not a phone number; ${hint}`;
  const digits = main.replace(/\D/g, "");
  if (main.startsWith("+")) return digits.length >= 8 && digits.length <= 15 ? true : `"${v}": ${hint}`;
  if (digits.length === 10 || (digits.length === 11 && digits.startsWith("1"))) return true;
  return `"${v}" has ${digits.length} digit${digits.length === 1 ? "" : "s"}, not a full number; ${hint}`;
}

/** An IANA time zone name that this machine's Intl knows (America/Chicago), or what is wrong with it. */
export function timeZoneProblem(value: string): string | true {
  const v = value.trim();
  // Intl also takes offsets such as "+05:00" and "UTC"; deadlines need a named zone with its daylight rules.
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(v))
    return `"${v}" is not a time zone name; write it like America/Chicago`;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: v });
    return true;
  } catch {
    return `"${v}" is not a time zone this machine knows; write it like America/Chicago or America/New_York`;
  }
}

/** A mailing address typed one line at a time: at least a street line and a city/state/ZIP line. */
export function addressProblem(lines: readonly string[]): string | true {
  const kept = lines.map((l) => l.trim()).filter((l) => l !== "");
  if (kept.length < 2) return "an address needs at least two lines: the street, then city, state and ZIP";
  return true;
}

/** `--phone` checked by phoneProblem. */
export function checkPhone(value: string, flag: string): string {
  const problem = phoneProblem(value);
  if (problem !== true)
    throw new UserError(`${flag} ${problem}`, { code: "INVALID_PHONE", hint: "for example: --phone 555-867-5309" });
  return value.trim();
}

/** Which way the user's locale writes a numeric date: month first (en-US: 6/1/2026) or day first (es-MX: 1/6/2026). */
export type DateOrder = "mdy" | "dmy";

/** The numeric date order of `locale` (default: this machine's), read from Intl. */
export function localeDateOrder(locale?: string): DateOrder {
  const parts = new Intl.DateTimeFormat(locale, { year: "numeric", month: "numeric", day: "numeric" }).formatToParts(
    new Date(Date.UTC(2026, 10, 22, 12)),
  );
  const first = parts.find((p) => p.type === "day" || p.type === "month");
  return first?.type === "day" ? "dmy" : "mdy";
}

/**
 * A date as a person types it at a prompt: ISO (2026-06-01) or the locale's numeric form with a four-digit year
 * (6/1/2026 month first, 1/6/2026 day first; / . or - between). Returns the ISO date, or what is wrong.
 */
export function readDateAnswer(value: string, order: DateOrder): { iso: string } | { problem: string } {
  const v = value.trim();
  const form = order === "mdy" ? "MM/DD/YYYY" : "DD/MM/YYYY";
  const hint = `write it as ${form} or YYYY-MM-DD`;
  let y: number;
  let mo: number;
  let d: number;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(v);
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2,4})$/.exec(v);
  if (iso) [y, mo, d] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  else if (local) {
    if (local[3]?.length !== 4) return { problem: `"${v}": give the year in four digits; ${hint}` };
    const [a, b] = [Number(local[1]), Number(local[2])];
    [y, mo, d] = order === "mdy" ? [Number(local[3]), a, b] : [Number(local[3]), b, a];
  } else return { problem: `"${v}" is not a date; ${hint}` };
  const dt = new Date(Date.UTC(y, mo - 1, d));
  if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== mo - 1 || dt.getUTCDate() !== d)
    return { problem: `"${v}" is not a day of the calendar (read as ${form}); ${hint}` };
  return { iso: `${y}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}` };
}

/** Dollars as typed ($1,500, 1500.5) to "1500.00"; or what is wrong. */
export function readAmountAnswer(value: string): { amount: string } | { problem: string } {
  const amount = normalizeAmount(value);
  return amount === null
    ? { problem: `"${value.trim()}" is not an amount in dollars; write it like 1,500.00 or $1500` }
    : { amount };
}
