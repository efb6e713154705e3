/**
 * A reply's class and how it came to be, from the record alone (no reclassifying): what the classifier decided
 * when it arrived (its `received` event) and what the user set since (`classified` events).
 */
import { parseEventRow } from "../store/events.js";
import { listClassEvents, readClassOrigin } from "../store/reply-home.js";
import type { Session } from "./session.js";

/** What the classifier decided when the reply arrived, as its `received` event recorded it. */
export interface ClassAtArrival {
  class: string;
  guess: string | null;
  confidence: number | null;
  correctedBy: number | null;
  reasons: string[];
}

export interface ReplyClassInfo {
  /** The class as stored now: one of the six, needs-review, or null (a letter out). */
  stored: string | null;
  /** Who set it: the classifier on arrival, or the user. */
  setBy: "classifier" | "user" | null;
  atArrival: ClassAtArrival | null;
  /** The user's changes, oldest first. */
  changes: { at: string; from: string | null; to: string }[];
}

/** The class of a stored message and how it came to be, from the record alone (no reclassifying). */
export function replyClassInfo(s: Session, id: number, stored: string | null): ReplyClassInfo {
  const db = s.db();
  const origin = readClassOrigin(db, id);
  let atArrival: ClassAtArrival | null = null;
  const changes: ReplyClassInfo["changes"] = [];
  for (const e of listClassEvents(db, id).map(parseEventRow)) {
    if (e.type === "received" && "reasons" in e.data) {
      atArrival = {
        class: e.data.class,
        guess: e.data.guess ?? null,
        confidence: e.data.confidence ?? null,
        correctedBy: e.data.corrected_by ?? null,
        reasons: e.data.reasons,
      };
    } else if (e.type === "classified") changes.push({ at: e.at, from: e.data.from, to: e.data.to });
  }
  const setBy = origin.classSetBy === "user" ? "user" : stored === null ? null : "classifier";
  return { stored, setBy, atArrival, changes };
}
