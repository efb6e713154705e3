/** Finding a case the user named by number or tag, before the command checks the rest of its input. */
import { type CaseRecord, requireCase } from "../store/cases.js";
import type { Session } from "./session.js";

export type { CaseRecord } from "../store/cases.js";

/** A case by number or tag (a UserError naming `loanmail cases` when there is none). */
export function findCase(s: Session, ref: string): CaseRecord {
  return requireCase(s.db(), ref, s.prefix());
}
