/** `loanmail kinds`: the letter kinds table, from domain/kinds.ts. */
import { canBeFormal, KINDS } from "../../domain/kinds.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";

export function runKinds(ctx: Context): number {
  const kinds = [...KINDS.values()].map((k) => ({
    id: k.id,
    label: k.label,
    asks: k.asks,
    substance: k.substance,
    formal: k.formalByDefault ? "default" : canBeFormal(k) ? "with --formal" : "no",
    citation: k.citation ?? null,
    fields: k.fields.map((f) => ({
      name: f.name,
      type: f.type,
      required: f.required,
      description: f.description,
      ...(f.values ? { values: f.values } : {}),
    })),
  }));
  ctx.out.result({ kinds }, () =>
    formatTable(
      ["KIND", "SUBJECT LABEL", "FORMAL", "FIELDS (optional in brackets)"],
      kinds.map((k) => [
        k.id,
        k.label,
        k.formal,
        k.fields.map((f) => (f.required ? f.name : `[${f.name}]`)).join(" ") || "-",
      ]),
    ),
  );
  return 0;
}
