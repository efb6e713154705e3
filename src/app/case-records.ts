/** What the user adds to a case's record by hand: discarding a case never sent, a note, a phone call. */
import { UserError } from "../errors.js";
import { type CaseRecord, requireCase, setCaseStatus } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, type EventRow } from "../store/events.js";
import { listCaseMessages } from "../store/messages.js";
import type { Session } from "./session.js";

export type { CaseRecord } from "../store/cases.js";
export type { EventRow } from "../store/events.js";

/** A case by number or tag. */
export function findCase(s: Session, ref: string): CaseRecord {
  return requireCase(s.db(), ref, s.prefix());
}

/** A case that may be discarded: not discarded already, and no letter of it has left. */
export function findDiscardableCase(s: Session, ref: string): CaseRecord {
  const c = findCase(s, ref);
  if (c.status === "discarded")
    throw new UserError(`case ${c.tag} is already discarded`, {
      code: "CASE_ALREADY_DISCARDED",
      hint: "nothing to do",
    });
  const left = listCaseMessages(s.db(), c.id).filter((m) => m.direction === "out" && m.state !== "draft");
  if (left.length > 0) {
    throw new UserError(`case ${c.tag} has letters that already left; it cannot be discarded`, {
      code: "CASE_HAS_SENT_LETTERS",
      hint: `close it instead with: loanmail resolve ${c.id}`,
    });
  }
  return c;
}

/** Discard a case found by findDiscardableCase; its records are kept. */
export function discardCase(s: Session, c: CaseRecord): void {
  const db = s.db();
  inTransaction(db, () => {
    setCaseStatus(db, c.id, "discarded", s.nowIso);
    appendCaseEvent(db, c, { at: s.nowIso, actor: "user", type: "discarded", data: { previous_status: c.status } });
  });
}

/** Add a note (already trimmed) to a case's record. */
export function addNote(s: Session, c: CaseRecord, text: string): EventRow {
  const db = s.db();
  return inTransaction(db, () => appendCaseEvent(db, c, { at: s.nowIso, actor: "user", type: "note", data: { text } }));
}

export interface Call {
  /** Who the user spoke with. */
  with: string;
  summary: string;
  /** When the call took place (ISO); it is recorded now. */
  callAt: string;
}

/** Record a phone call about a case. */
export function recordCall(s: Session, c: CaseRecord, call: Call): EventRow {
  const db = s.db();
  return inTransaction(db, () =>
    appendCaseEvent(db, c, {
      at: s.nowIso,
      actor: "user",
      type: "call",
      data: { with: call.with, summary: call.summary, call_at: call.callAt, recorded_at: s.nowIso },
    }),
  );
}
