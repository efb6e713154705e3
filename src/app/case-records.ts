/** What the user adds to a case's record by hand: discarding a case never sent, a note, a phone call. */
import { UserError } from "../errors.js";
import { type CaseRecord, setCaseStatus } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, type EventRow } from "../store/events.js";
import { discardDraft, listCaseMessages, type MessageRecord } from "../store/messages.js";
import { chooseLetter } from "./case-letters.js";
import { requireCaseFor } from "./client-scope.js";
import type { Session } from "./session.js";

export type { CaseRecord } from "../store/cases.js";
export type { EventRow } from "../store/events.js";
export type { MessageRecord } from "../store/messages.js";

/** A case by number or tag, within the client fence (client-scope.ts). */
export function findCase(s: Session, ref: string): CaseRecord {
  return requireCaseFor(s, ref);
}

/**
 * A letter that has not left: a draft (also one whose send reached no server: send-outcome.ts); queued, frozen by
 * a send that stopped before trying, or by an older loanmail that left it so (the send lock, held by discard,
 * keeps a send from starting meanwhile); or failed, refused by the server.
 */
function neverLeft(m: MessageRecord): boolean {
  return m.state === "draft" || m.state === "queued" || m.state === "failed";
}

/** The outgoing letters of a case that never left, to discard with it. */
export function unsentLetters(s: Session, c: CaseRecord): MessageRecord[] {
  return listCaseMessages(s.db(), c.id).filter((m) => m.direction === "out" && neverLeft(m));
}

/** A case that may be discarded: not discarded already, and no letter of it has left. */
export function findDiscardableCase(s: Session, ref: string): CaseRecord {
  const c = findCase(s, ref);
  if (c.status === "discarded")
    throw new UserError(`case ${c.tag} is already discarded`, {
      code: "CASE_ALREADY_DISCARDED",
      hint: "nothing to do",
    });
  const letters = listCaseMessages(s.db(), c.id).filter((m) => m.direction === "out");
  const left = letters.filter((m) => !neverLeft(m) && m.state !== "discarded");
  if (left.length > 0) {
    const draft = letters.find((m) => m.state === "draft");
    throw new UserError(`case ${c.tag} has letters that already left; it cannot be discarded`, {
      code: "CASE_HAS_SENT_LETTERS",
      hint: draft
        ? `discard only its draft: loanmail discard ${c.id} --letter ${draft.id} (or close the case: loanmail resolve ${c.id})`
        : `close it instead with: loanmail resolve ${c.id}`,
    });
  }
  return c;
}

/** The draft `letter` of a case that may be discarded on its own (the case and its other letters stay). */
export function findDiscardableLetter(
  s: Session,
  ref: string,
  letter: number,
): { c: CaseRecord; draft: MessageRecord } {
  const c = findCase(s, ref);
  const letters = listCaseMessages(s.db(), c.id).filter((m) => m.direction === "out");
  const draft = chooseLetter(c, letters, neverLeft, letter, {
    command: "discard",
    what: "that never left (a draft, or one queued or failed before any server took it)",
  });
  return { c, draft };
}

/** Discard one draft; its bytes stay in the record, named by the `letter-discarded` event. */
export function discardLetter(s: Session, c: CaseRecord, draft: MessageRecord): void {
  const db = s.db();
  inTransaction(db, () => {
    if (!discardDraft(db, draft.id, s.nowIso)) {
      throw new UserError(`letter ${draft.id} has left since (or is already discarded)`, {
        code: "LETTER_ALREADY_LEFT",
        hint: `see it with: loanmail show ${c.id}`,
      });
    }
    appendCaseEvent(db, c, {
      at: s.nowIso,
      actor: "user",
      type: "letter-discarded",
      messageId: draft.id,
      data: { sha256: draft.rawSha256, kind: draft.kind },
    });
  });
}

/** Discard a case found by findDiscardableCase; its records are kept. */
export function discardCase(s: Session, c: CaseRecord): void {
  const db = s.db();
  inTransaction(db, () => {
    // Its letters that never left go with it, so that no later send picks a queued one up.
    for (const m of unsentLetters(s, c)) if (m.state !== "draft") discardDraft(db, m.id, s.nowIso);
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
