/**
 * The letters of a case as first-class records: each with its number, state, channel, recipient, exhibits, hash
 * and what its departure meant, and the one rule every letter command follows to pick a letter: the one named
 * with --letter, else the only eligible one, else a refusal naming the candidates. loanmail never guesses.
 */
import { type LetterState, letterState } from "../domain/departure.js";
import type { Designation } from "../domain/designation.js";
import type { LetterLanguage } from "../domain/language.js";
import { UserError } from "../errors.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { type AttachmentRecord, listAttachments, listCaseMessages, type MessageRecord } from "../store/messages.js";
import { presumedDesignation } from "./departure.js";
import { type LeavingFacts, leftOnOf } from "./letter-history.js";

export type { LetterState } from "../domain/departure.js";

export interface CaseLetter {
  id: number;
  kind: string | null;
  /** The language it is written in (its subject is English either way). */
  lang: LetterLanguage;
  state: LetterState;
  formal: boolean;
  channel: MessageRecord["channel"];
  /** The email address or the postal address (one line) it went or goes to. */
  recipient: string | null;
  exhibits: { exhibit: string | null; label: string; fileName: string; sha256: string }[];
  sha256: string;
  /** The day it left (sent, mailed, uploaded), in the record's own words; null while it has not. */
  leftOn: string | null;
  tracking: string | null;
  deliveredOn: string | null;
  /** What its departure meant under Reg X: frozen when it left; for a draft, what it would mean leaving now. */
  designation: Designation;
  /** True when `designation` was decided as the letter left (false: a draft, or a record made before 0.2). */
  designationFrozen: boolean;
  /** The last send that delivered nothing, while the letter has still not left (a draft again, or failed). */
  lastFailure: SendFailure | null;
  message: MessageRecord;
  attachments: AttachmentRecord[];
}

/** A send that delivered nothing, as its `send-failed` event recorded it. */
export interface SendFailure {
  at: string;
  code: number | string | null;
  response: string | null;
  /** host:port, when the event named it (a connection that never opened). */
  server: string | null;
  retryable: boolean;
}

function stateOf(m: MessageRecord, mailed: boolean, delivered: boolean): LetterState {
  return letterState(m.state, mailed, delivered);
}

/**
 * Every letter of a case (outgoing messages), oldest first. The day each left is the clocks' own (`leftOnOf`, in
 * the user's time zone): an email sent at 10 PM in Chicago left that day, not the next one in UTC.
 */
export function readCaseLetters(db: Db, c: CaseRecord, timeZone: string): CaseLetter[] {
  const events = readCaseEvents(db, c.id);
  return listCaseMessages(db, c.id)
    .filter((m) => m.direction === "out")
    .map((m) => {
      let formal = c.formal;
      let frozen: Designation | undefined;
      const leaving: LeavingFacts = {};
      let tracking: string | null = null;
      let deliveredOn: string | null = null;
      let mailed = false;
      let failure: SendFailure | null = null;
      for (const e of events) {
        if (e.message_id !== m.id) continue;
        if (e.type === "composed") formal = e.data.formal;
        else if (e.type === "queued") frozen = e.data.designation ?? frozen;
        else if (e.type === "sent") {
          if ("via" in e.data) frozen = e.data.designation ?? frozen;
          leaving.sent = { at: e.at, data: e.data };
        } else if (e.type === "mailed") {
          mailed = true;
          frozen = e.data.designation ?? frozen;
          leaving.mailedOn = e.data.mailed_on;
          tracking = e.data.tracking;
        } else if (e.type === "delivered") deliveredOn = e.data.delivered_on;
        else if (e.type === "send-failed") {
          const d = e.data;
          failure = { at: e.at, code: d.code, response: d.response, server: d.server ?? null, retryable: d.retryable };
        }
      }
      // A draft again after a send that reached no server (send-outcome.ts): its `queued` froze nothing.
      if (m.state === "draft") frozen = undefined;
      const state = stateOf(m, mailed, deliveredOn !== null);
      const attachments = listAttachments(db, m.id);
      const recipient =
        m.channel === "post" ? (m.postalAddress?.replace(/\s*\n\s*/g, ", ") ?? null) : (m.to[0] ?? null);
      return {
        id: m.id,
        kind: m.kind,
        lang: m.letterInput?.lang ?? "en",
        state,
        formal,
        channel: m.channel,
        recipient,
        exhibits: attachments.map((a) => ({
          exhibit: a.exhibit,
          label: a.label,
          fileName: a.fileName,
          sha256: a.sha256,
        })),
        sha256: m.rawSha256,
        leftOn: leftOnOf(m, leaving, timeZone),
        tracking,
        deliveredOn,
        designation: frozen ?? presumedDesignation(db, c, m, formal),
        designationFrozen: frozen !== undefined,
        lastFailure: state === "draft" || state === "failed" ? failure : null,
        message: m,
        attachments,
      };
    });
}

/**
 * The letter a command acts on: `wanted` (a letter number) must be one of the case's letters and eligible;
 * without it, the only eligible letter; otherwise a refusal that names every candidate and the flag to choose.
 */
export function chooseLetter<T extends { id: number }>(
  c: CaseRecord,
  all: readonly T[],
  eligible: (l: T) => boolean,
  wanted: number | undefined,
  use: { command: string; what: string; none?: () => UserError; rest?: string },
): T {
  if (wanted !== undefined) {
    const named = all.find((l) => l.id === wanted);
    if (!named) {
      throw new UserError(`case ${c.tag} has no letter ${wanted}`, {
        code: "LETTER_NOT_FOUND",
        hint: `its letters: ${all.map((l) => l.id).join(", ") || "none"} (see loanmail show ${c.id})`,
      });
    }
    if (!eligible(named)) {
      const others = all.filter(eligible).map((l) => l.id);
      throw new UserError(`letter ${wanted} of ${c.tag} is not a letter ${use.what}`, {
        code: "LETTER_NOT_ELIGIBLE",
        hint: others.length > 0 ? `letters ${use.what}: ${others.join(", ")}` : `see loanmail show ${c.id}`,
      });
    }
    return named;
  }
  const candidates = all.filter(eligible);
  const [only, ...others] = candidates;
  if (only === undefined) {
    throw (
      use.none?.() ??
      new UserError(`case ${c.tag} has no letter ${use.what}`, {
        code: "LETTER_NOT_FOUND",
        hint: `see its letters with: loanmail show ${c.id}`,
      })
    );
  }
  if (others.length === 0) return only;
  const ids = candidates.map((l) => l.id);
  throw new UserError(
    `case ${c.tag} has ${ids.length} letters ${use.what}: ${ids.map((id) => `letter ${id}`).join(", ")}`,
    {
      code: "LETTER_AMBIGUOUS",
      hint: `name one: loanmail ${use.command} ${c.id} --letter ${ids[0]}${use.rest ? ` ${use.rest}` : ""}`,
    },
  );
}
