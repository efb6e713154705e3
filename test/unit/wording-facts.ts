/** The facts of a letter for kind-wording.ts's tests: Juan Pérez's closed-end loan at Acme, written 2026-06-01. */
import type { WordingFacts } from "../../src/domain/kind-wording.js";
import type { KindId } from "../../src/domain/kinds.js";

export function wordingFacts(
  kind: KindId,
  fields: Record<string, string>,
  more: Partial<WordingFacts> = {},
): WordingFacts {
  return {
    kind,
    fields,
    writtenOn: "2026-06-01",
    borrowers: ["Juan Pérez"],
    exhibits: [],
    channel: "post",
    loan: { product: "closed-end", principalResidence: true, smallServicer: false },
    servicerName: "Acme",
    ...more,
  };
}
