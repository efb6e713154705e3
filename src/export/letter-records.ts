/**
 * What the event log of a case says about each of its letters (domain/departure.ts): how it left and what it was
 * addressed to then, the PDFs loanmail printed of it, the proof of mailing kept with it. Read from the stored
 * rows; a row that is not a readable event adds nothing here (verify reports it).
 */
import {
  departureOf,
  type LetterDeparture,
  type LetterEvent,
  type LetterPrinting,
  type LetterProof,
  printingsOf,
  proofsOf,
} from "../domain/departure.js";
import { type EventRow, parseEventRow } from "../store/events.js";

export interface LetterRecord {
  departure: LetterDeparture | undefined;
  printings: LetterPrinting[];
  proofs: LetterProof[];
}

/** The readable events of a case's chain, typed. */
export function readableEvents(rows: readonly EventRow[]): LetterEvent[] {
  return rows.flatMap((r) => {
    try {
      return [parseEventRow(r)];
    } catch {
      return [];
    }
  });
}

const lookups = new WeakMap<readonly EventRow[], (messageId: number) => LetterRecord>();

/** A lookup of each letter's record in a case's events (one per list of events: the bundle asks many times). */
export function letterRecords(rows: readonly EventRow[]): (messageId: number) => LetterRecord {
  let lookup = lookups.get(rows);
  if (!lookup) {
    lookup = makeLookup(rows);
    lookups.set(rows, lookup);
  }
  return lookup;
}

function makeLookup(rows: readonly EventRow[]): (messageId: number) => LetterRecord {
  const events = readableEvents(rows);
  const cache = new Map<number, LetterRecord>();
  return (id) => {
    let r = cache.get(id);
    if (!r) {
      r = { departure: departureOf(events, id), printings: printingsOf(events, id), proofs: proofsOf(events, id) };
      cache.set(id, r);
    }
    return r;
  };
}
