/**
 * Reading a case's facts for the pure clock engine: when each letter left and arrived, when each reply came
 * (the server's INTERNALDATE when known, as a date in the user's time zone), and the case's dated events.
 */

import type { CaseClockInput, ClockEvent, ClockLetter, ClockReply, LetterChannel } from "../domain/clocks.js";
import type { Designation } from "../domain/designation.js";
import { isCaseEventType } from "../domain/events.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import { asksWhoOwnsLoan } from "../domain/lint-scope.js";
import { storedReplyClass } from "../domain/reply-classes.js";
import { standingOf } from "../domain/reply-trust.js";
import { isoDateIn } from "../domain/time-zone.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import type { StoredEvent } from "../store/events.js";
import type { ClockMessage } from "../store/messages.js";
import type { Servicer } from "../store/servicers.js";
import { type CaseRows, caseRowsOneByOne } from "./case-rows.js";
import { presumedDesignation } from "./departure.js";
import { type LeavingFacts, leftAtOf, leftOnOf, receivedAtOf, receivedOnOf } from "./letter-history.js";
import { priorServicerOf } from "./prior-servicer.js";

/** The day a case event names (`on`), if it names one. */
function caseEventDay(data: unknown): string | undefined {
  const on = (data as { on?: unknown }).on;
  return typeof on === "string" ? on : undefined;
}

/** The case's letters as the clocks see them: kind, formality, designation, and the days each left and arrived. */
function lettersOf(
  db: Db,
  c: CaseRecord,
  /** Its letters out. */
  messages: readonly ClockMessage[],
  events: readonly StoredEvent[],
  servicer: Servicer,
  timeZone: string,
): ClockLetter[] {
  const letters: ClockLetter[] = [];
  for (const m of messages.filter((x) => x.state !== "discarded" && x.kind && isKindId(x.kind))) {
    // The latest of each: a letter may be recorded as mailed again, or found sent after an unknown outcome.
    const leaving: LeavingFacts = {};
    let deliveredOn: string | undefined;
    // Formal or not is the letter's own, decided when it was composed: a case opened by an ordinary letter may
    // later hold a formal notice of error, which starts the Reg X clocks (12 C.F.R. 1024.35(c), 1024.36(b)).
    let composedFormal: boolean | undefined;
    // Whether it reached a designated channel was decided as it left (queued, mailed, or sent another way).
    let frozen: Designation | undefined;
    for (const e of events) {
      if (e.message_id !== m.id) continue;
      if (e.type === "composed") composedFormal = e.data.formal;
      else if (e.type === "queued") frozen = e.data.designation ?? frozen;
      else if (e.type === "sent") {
        leaving.sent = { at: e.at, data: e.data };
        if ("via" in e.data) frozen = e.data.designation ?? frozen;
      } else if (e.type === "mailed") {
        leaving.mailedOn = e.data.mailed_on;
        frozen = e.data.designation ?? frozen;
      } else if (e.type === "delivered") deliveredOn = e.data.delivered_on;
    }
    // The day it left (mailed, sent on a stated day, or emailed); a `compose --dated` day starts nothing.
    const leftOn = leftOnOf(m, leaving, timeZone);
    const channel = m.channel as LetterChannel;
    const kind = kindDef(m.kind as Parameters<typeof kindDef>[0]);
    const formal = composedFormal ?? c.formal;
    letters.push({
      messageId: m.id,
      kind: kind.id,
      substance: kind.substance,
      formal,
      // A draft again after a send that reached no server (send-outcome.ts) left nothing: its `queued` froze nothing.
      designation: (m.state === "draft" ? undefined : frozen) ?? presumedDesignation(db, c, m, formal, servicer),
      channel,
      leftOn,
      leftAt: leftAtOf(m, leaving),
      deliveredOn: deliveredOn ?? null,
      fields: m.letterInput?.fields ?? {},
      asksOwner: kind.substance === "rfi" && asksOwnerOf(m.letterInput),
      priorServicer: priorServicerOf(m),
    });
  }
  return letters;
}

/** Whether a letter's own words (what the user wrote: its summary or body file, and its fields) ask who owns the loan. */
function asksOwnerOf(input: ClockMessage["letterInput"]): boolean {
  if (!input) return false;
  return asksWhoOwnsLoan([input.summary, ...Object.values(input.fields)].join("\n"));
}

/** Everything computeClocks needs about one case. */
export function readCaseClockInput(
  db: Db,
  c: CaseRecord,
  timeZone: string,
  rows: CaseRows = caseRowsOneByOne(db),
): CaseClockInput {
  const loan = rows.loan(c);
  // The servicer's promise and small-servicer status are those of whoever serviced the loan when the case opened.
  const servicer = rows.servicerWhenOpened(c);
  const events = rows.events(c);

  const local = (iso: string) => isoDateIn(new Date(iso), timeZone);
  const letters = lettersOf(db, c, rows.letters(c), events, servicer, timeZone);

  // A reply arrived when it reached the user's mailbox: the server's INTERNALDATE, else the arrival recorded on
  // the way in (the user's server's Received field, or the import). Its Date header never decides a clock.
  const replies: ClockReply[] = rows.replies(c).map((m) => ({
    messageId: m.id,
    // Arrival, not the sender's Date header, decides the day (src/domain/reply-arrival.ts via receivedOnOf).
    receivedOn: receivedOnOf(db, m, timeZone, rows.firstInternalDate(m.id)),
    receivedAt: receivedAtOf(m, rows.firstInternalDate(m.id)),
    class: storedReplyClass(m.replyClass),
    trust: standingOf(m),
  }));

  const clockEvents: ClockEvent[] = events.flatMap((e): ClockEvent[] => {
    // The company's answer to a CFPB complaint (filed --response-date): final, or "in progress".
    if (e.type === "cfpb-response")
      return [
        {
          type: e.type,
          on: e.data.on,
          data: { on: e.data.on, "cfpb-id": e.data["cfpb-id"], in_progress: String(e.data.in_progress) },
        },
      ];
    if (isCaseEventType(e.type))
      return [
        { type: e.type, on: caseEventDay(e.data) ?? local(e.at), data: { ...(e.data as Record<string, string>) } },
      ];
    return [];
  });

  return {
    loan: {
      product: loan.product,
      principalResidence: loan.principalResidence,
      smallServicer: servicer.small,
      slaDays: servicer.slaDays,
      delinquentSince: loan.delinquentSince,
    },
    letters,
    replies,
    events: clockEvents,
  };
}
