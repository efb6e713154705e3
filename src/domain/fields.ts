/**
 * Parsing and checking of `--set name=value` kind fields. Pure: a bad value becomes a UserError that names the
 * field and the expected form, before anything is written.
 */

import { UserError } from "../errors.js";
import { checkDayInRange } from "./calendar.js";
import type { FieldDef, KindDef } from "./kinds.js";
import { realDay } from "./typed-days.js";

export type FieldValues = Readonly<Record<string, string>>;

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written YYYY-MM-DD (2026-02-30 is refused). */
export function isValidIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

/** Dollars as the user types them ("1,234.5", "$1234.50") normalised to "1234.50"; null when not an amount. */
export function normalizeAmount(value: string): string | null {
  const cleaned = value
    .trim()
    .replace(/^\$/, "")
    .replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^\d{1,12}(\.\d{1,2})?$/.test(cleaned)) return null;
  const [whole, frac = ""] = cleaned.split(".");
  return `${String(Number(whole))}.${frac.padEnd(2, "0")}`;
}

/** "1234.50" -> "$1,234.50" for letter text. */
export function formatAmount(normalized: string): string {
  const [whole = "0", frac = "00"] = normalized.split(".");
  return `$${whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${frac}`;
}

/** Split repeated `--set key=value` options into a map; a key given twice is an error, not a silent override. */
export function parseSetOptions(pairs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const pair of pairs) {
    const eq = pair.indexOf("=");
    if (eq <= 0) {
      throw new UserError(`--set ${pair}: expected name=value`, {
        code: "FIELD_MALFORMED",
        hint: "for example --set payment-date=2026-03-01",
      });
    }
    const key = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (Object.hasOwn(out, key)) {
      throw new UserError(`--set ${key} was given twice`, { code: "FIELD_REPEATED", hint: "give each field once" });
    }
    out[key] = value;
  }
  return out;
}

function checkField(kindId: string, field: FieldDef, raw: string): string {
  const where = `--set ${field.name}=${raw}`;
  switch (field.type) {
    case "date":
      // A real day, within the days loanmail works with (a letter "good through January 1, 0" states nothing).
      return checkDayInRange(realDay(raw, where), `--set ${field.name}`);
    case "amount": {
      const amount = normalizeAmount(raw);
      if (amount === null) {
        throw new UserError(`${where}: not an amount in dollars`, {
          code: "INVALID_AMOUNT",
          hint: "write amounts like 1234.56",
        });
      }
      return amount;
    }
    case "year": {
      const year = Number(raw);
      if (!/^\d{4}$/.test(raw) || year < 1970 || year > 2100) {
        throw new UserError(`${where}: not a year`, {
          code: "INVALID_YEAR",
          hint: "write a four-digit year such as 2025",
        });
      }
      return raw;
    }
    case "enum": {
      const values = field.values ?? [];
      if (!values.includes(raw)) {
        throw new UserError(`${where}: not a ${field.name} of ${kindId}`, {
          code: "FIELD_NOT_A_CHOICE",
          hint: `use one of: ${values.join(", ")}`,
        });
      }
      return raw;
    }
    case "case":
      if (!/^(LM-[A-Z0-9]{4}-)?\d+$/i.test(raw)) {
        throw new UserError(`${where}: not a case`, {
          code: "INVALID_CASE_REF",
          hint: "give a case number or tag, for example 3 or LM-K7QX-3",
        });
      }
      return raw;
    case "text":
      if (raw.length === 0) {
        throw new UserError(`${where}: empty`, { code: "FIELD_EMPTY", hint: `describe the ${field.description}` });
      }
      if (raw.length > 2000) {
        throw new UserError(`${where}: longer than 2000 characters`, {
          code: "FIELD_TOO_LONG",
          hint: "put long text in --summary",
        });
      }
      return raw;
  }
}

/**
 * Check the given fields against the kind: unknown names, missing required ones, and each value's form.
 * Returns normalised values (amounts as "1234.50") and fills enum defaults.
 */
export function validateFields(kind: KindDef, given: FieldValues): Record<string, string> {
  const known = new Map(kind.fields.map((f) => [f.name, f]));
  for (const name of Object.keys(given)) {
    if (!known.has(name)) {
      const list = kind.fields.map((f) => f.name).join(", ") || "none";
      throw new UserError(`${kind.id} has no field "${name}"`, {
        code: "UNKNOWN_FIELD",
        hint: `its fields are: ${list} (see loanmail kinds)`,
      });
    }
  }
  const missing = kind.fields.filter((f) => f.required && !(given[f.name] ?? "").trim());
  if (missing.length > 0) {
    const flags = missing.map((f) => `--set ${f.name}=<${f.type}>`).join(" ");
    throw new UserError(`${kind.id} needs ${missing.map((f) => f.name).join(", ")}`, {
      code: "MISSING_FIELDS",
      hint: `add ${flags} (${missing.map((f) => f.description).join("; ")})`,
    });
  }
  const out: Record<string, string> = {};
  for (const field of kind.fields) {
    const raw = given[field.name];
    if (raw !== undefined) out[field.name] = checkField(kind.id, field, raw.trim());
    else if (field.type === "enum" && field.values?.[0]) out[field.name] = field.values[0];
  }
  return out;
}
