/** The list of cases, with the received mail that belongs to none yet. */
import { type CaseRecord, listCases } from "../store/cases.js";
import { requireClient } from "../store/loans.js";
import { listUnfiled, type UnfiledMessage } from "../store/mail.js";
import type { Session } from "./session.js";

export type { CaseRecord } from "../store/cases.js";
export type { UnfiledMessage } from "../store/mail.js";

export interface CaseList {
  cases: CaseRecord[];
  unfiled: UnfiledMessage[];
}

/** Cases newest first (of one client, by name, and in one status, when given) and every unfiled message. */
export function listCaseOverview(s: Session, filter: { status?: string; clientName?: string }): CaseList {
  const db = s.db();
  const clientId = filter.clientName ? requireClient(db, filter.clientName) : undefined;
  const cases = listCases(db, { status: filter.status, clientId });
  return { cases, unfiled: listUnfiled(db) };
}
