/**
 * The wizard's letter: what happened (src/domain/situations.ts, each with its kind's purpose), then each field the
 * kind takes, asked one by one and checked as typed (answers.ts): required fields until answered, optional ones
 * skipped with Enter, a choice of values as a list.
 */
import type { FieldDef, KindDef } from "../../domain/kinds.js";
import { situationChoices } from "../../domain/situations.js";
import type { Context } from "../context.js";
import { askChoice, askText } from "../prompts.js";
import { type DateOrder, localeDateOrder } from "../validate.js";
import { fieldForm, readFieldAnswer } from "./answers.js";

export async function chooseKind(): Promise<KindDef> {
  const choices = situationChoices();
  const id = await askChoice(
    "What happened? (the letter that answers it follows each)",
    choices.map((c) => ({ name: c.name, value: c.value })),
  );
  const chosen = choices.find((c) => c.value === id);
  if (!chosen) throw new Error(`no situation for ${id}`);
  return chosen.kind;
}

/** Each field of the kind, in its order; optional ones left empty are not set. */
export async function askFields(ctx: Context, kind: KindDef, today: string): Promise<Record<string, string>> {
  const order = localeDateOrder();
  const fields: Record<string, string> = {};
  for (const field of kind.fields) {
    const value = await askField(ctx, field, order, today);
    if (value !== "") fields[field.name] = value;
  }
  return fields;
}

async function askField(ctx: Context, field: FieldDef, order: DateOrder, today: string): Promise<string> {
  if (field.type === "enum" && field.values) {
    const words = field.words ?? {};
    return askChoice(
      `${field.description}:`,
      field.values.map((v) => ({ name: words[v] ? `${v}: ${words[v]}` : v, value: v })),
    );
  }
  const typed = await askText(ctx, {
    message: `${capitalised(field.description)}${fieldForm(field, order)}:`,
    flag: `--set ${field.name}=...`,
    example: `--set ${field.name}=...`,
    optional: !field.required,
    validate: (v) => {
      const r = readFieldAnswer(field, v, order, today);
      return "problem" in r ? r.problem : true;
    },
  });
  const r = readFieldAnswer(field, typed, order, today);
  return "value" in r ? r.value : "";
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
