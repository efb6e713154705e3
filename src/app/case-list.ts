/** The list of cases, with the received mail that belongs to none yet. */
import { type CaseRecord, listCases } from "../store/cases.js";
import { listUnfiled, type UnfiledMessage } from "../store/mail.js";
import { fenceId } from "./client-scope.js";
import type { Session } from "./session.js";

export type { CaseRecord } from "../store/cases.js";
export type { UnfiledMessage } from "../store/mail.js";

export interface CaseList {
  cases: CaseRecord[];
  unfiled: UnfiledMessage[];
}

/**
 * Cases newest first (of the fenced client, and in one status, when given) and every unfiled message; unfiled
 * mail belongs to no client, so a fenced listing holds none.
 */
export function listCaseOverview(s: Session, filter: { status?: string }): CaseList {
  const db = s.db();
  const clientId = fenceId(s);
  const cases = listCases(db, { status: filter.status, clientId });
  return { cases, unfiled: clientId === undefined ? listUnfiled(db) : [] };
}
