/**
 * `compose KIND ... --copy-to correspondence`: a formal letter to the designated channel and, in the same case,
 * an informal copy by email to customer service. Two letter records; only the formal one starts the Reg X clocks
 * (its channel decides, src/domain/designation.ts). The copy carries the same exhibits under the same letters and
 * says it is not the notice.
 */
import { canBeFormal, isKindId, kindDef } from "../domain/kinds.js";
import { UserError } from "../errors.js";
import { type ComposeDeps, type ComposeRequest, type ComposeResult, composeLetter } from "./compose.js";

export const COPY_TARGETS = ["correspondence"] as const;

/** The formal letter, then its copy when asked for one. */
export async function composeWithCopy(
  deps: ComposeDeps,
  req: ComposeRequest,
  copyTo: string | undefined,
): Promise<ComposeResult[]> {
  if (copyTo !== undefined && !(COPY_TARGETS as readonly string[]).includes(copyTo)) {
    throw new UserError(`--copy-to ${copyTo}: unknown`, {
      code: "UNKNOWN_COPY_TARGET",
      hint: "the copy goes to the servicer's customer-service email: --copy-to correspondence",
    });
  }
  const kind = isKindId(req.kind) ? kindDef(req.kind) : undefined;
  const formalLetter = kind !== undefined && canBeFormal(kind) && (req.formal ?? kind.formalByDefault);
  if (copyTo !== undefined && kind !== undefined && (!formalLetter || req.to !== undefined)) {
    throw new UserError("--copy-to needs a formal letter to the designated channel", {
      code: "COPY_NEEDS_FORMAL",
      hint: "only a kind with a formal form has one (see loanmail kinds); drop --no-formal and --to: the formal letter goes to the designated address, the copy to customer service",
    });
  }
  const formal = await composeLetter(deps, req);
  if (copyTo === undefined) return [formal];
  const firstExhibit = formal.exhibits[0]?.position ?? 0;
  const copy = await composeLetter(deps, {
    ...req,
    loan: undefined,
    case: String(formal.caseRecord.id),
    formal: false,
    to: undefined,
    copyOf: { firstExhibit },
    carryForm: formal.authorization?.formExhibit != null,
  });
  return [formal, copy];
}
