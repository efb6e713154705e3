/** The list of cases, with the received mail that belongs to none yet. */
import { storedArrival } from "../domain/reply-arrival.js";
import { type CaseRecord, listCases } from "../store/cases.js";
import { listUnfiled, type UnfiledMessage } from "../store/mail.js";
import { fenceId } from "./client-scope.js";
import type { Session } from "./session.js";

export type { CaseRecord } from "../store/cases.js";
export type { UnfiledMessage } from "../store/mail.js";

export interface CaseList {
  cases: CaseRecord[];
  /** Each with when it reached the mailbox (`arrivedAt`: an instant, or a typed day), which its list shows. */
  unfiled: (UnfiledMessage & { arrivedAt: string })[];
}

/**
 * Cases newest first (of the fenced client, and in one status, when given) and every unfiled message; unfiled
 * mail belongs to no client, so a fenced listing holds none.
 */
export function listCaseOverview(s: Session, filter: { status?: string }): CaseList {
  const db = s.db();
  const clientId = fenceId(s);
  const cases = listCases(db, { status: filter.status, clientId });
  if (clientId !== undefined) return { cases, unfiled: [] };
  const unfiled = listUnfiled(db).map(({ channel, internalDate, arrival, arrivedBy, createdAt, ...m }) => {
    const facts = { channel, date: m.date, internalDate, arrivedAt: m.arrivedAt, arrival, arrivedBy, createdAt };
    return { ...m, arrivedAt: storedArrival(facts).at };
  });
  return { cases, unfiled };
}
