/**
 * The wizard's answer checks (`loanmail new`): each reads what a person typed into the exact form a flag would take,
 * or says what is wrong, to be shown under the prompt before it is asked again. Dates in the locale's numeric form
 * or ISO, amounts with $ and commas (validate.ts); a day a payment or fee happened may not be after today.
 */
import { checkDayInRange } from "../../domain/calendar.js";
import { findControlChar } from "../../domain/control-chars.js";
import { PAST_EVENT_FIELDS } from "../../domain/kind-wording.js";
import type { FieldDef } from "../../domain/kinds.js";
import { UserError } from "../../errors.js";
import { type DateOrder, readAmountAnswer, readDateAnswer } from "../validate.js";

export type Answer = { value: string } | { problem: string };

/** A UserError thrown by a check, as the text shown under the prompt. */
export function problemOf(check: () => string): Answer {
  try {
    return { value: check() };
  } catch (err) {
    if (err instanceof UserError) return { problem: err.hint ? `${err.message}; ${err.hint}` : err.message };
    throw err;
  }
}

/** A date answer: a real day, within loanmail's calendar, and for something that happened, not after today. */
function dateAnswer(field: FieldDef, typed: string, order: DateOrder, today: string): Answer {
  const read = readDateAnswer(typed, order);
  if ("problem" in read) return read;
  if ((PAST_EVENT_FIELDS as readonly string[]).includes(field.name) && read.iso > today)
    return { problem: `${read.iso} is after today (${today}); give the day it happened` };
  return problemOf(() => checkDayInRange(read.iso, "the date"));
}

/** One field of a letter kind as typed at its prompt; "" for an optional field left empty. */
export function readFieldAnswer(field: FieldDef, typed: string, order: DateOrder, today: string): Answer {
  const v = typed.trim();
  if (v === "") return field.required ? { problem: "this one is needed" } : { value: "" };
  switch (field.type) {
    case "date":
      return dateAnswer(field, v, order, today);
    case "amount": {
      const r = readAmountAnswer(v);
      return "amount" in r ? { value: r.amount } : r;
    }
    case "year":
      return /^\d{4}$/.test(v) && Number(v) >= 1970 && Number(v) <= 2100
        ? { value: v }
        : { problem: `"${v}" is not a year; write four digits, like 2025` };
    case "enum":
      return field.values?.includes(v) ? { value: v } : { problem: `choose one of: ${field.values?.join(", ")}` };
    case "case":
      return /^(LM-[A-Z0-9]{4}-)?\d+$/i.test(v) ? { value: v } : { problem: `"${v}" is not a case number` };
    case "text":
      return textAnswer(v, 2000);
  }
}

/** Free text of one line: no control characters, not too long. */
export function textAnswer(v: string, max: number): Answer {
  const found = findControlChar(v, true);
  if (found) return { problem: `it contains ${found.label} at character ${found.position}; type it again` };
  if (v.length > max) return { problem: `longer than ${max} characters; say it shorter` };
  return { value: v };
}

/** The hint after a field's prompt: how to write it. */
export function fieldForm(field: FieldDef, order: DateOrder): string {
  const optional = field.required ? "" : ", optional: Enter skips it";
  if (field.type === "date") return ` (${order === "mdy" ? "MM/DD/YYYY" : "DD/MM/YYYY"} or YYYY-MM-DD${optional})`;
  if (field.type === "amount") return ` (dollars, like $1,500.00${optional})`;
  if (field.type === "year") return ` (four digits${optional})`;
  return field.required ? "" : " (optional: Enter skips it)";
}
