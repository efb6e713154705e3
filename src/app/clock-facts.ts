/**
 * Reading a case's facts for the pure clock engine: when each letter left and arrived, when each reply came
 * (the server's INTERNALDATE when known, as a date in the user's time zone), and the case's dated events.
 */

import type { ReplyClass } from "../domain/classify.js";
import type { CaseClockInput, ClockEvent, ClockLetter, ClockReply, LetterChannel } from "../domain/clocks.js";
import type { Designation } from "../domain/designation.js";
import { sentOnOf } from "../domain/events.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import { storedArrival } from "../domain/reply-arrival.js";
import { isoDateIn } from "../domain/time-zone.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { requireLoan } from "../store/loans.js";
import { listCaseMessages } from "../store/messages.js";
import { firstInternalDate } from "../store/origins.js";
import { presumedDesignation, servicerWhenOpened } from "./departure.js";

/** Everything computeClocks needs about one case. */
export function readCaseClockInput(db: Db, c: CaseRecord, timeZone: string): CaseClockInput {
  const loan = requireLoan(db, String(c.loanId));
  // The servicer's promise and small-servicer status are those of whoever serviced the loan when the case opened.
  const servicer = servicerWhenOpened(db, c);
  const events = readCaseEvents(db, c.id);
  const messages = listCaseMessages(db, c.id);
  const local = (iso: string) => isoDateIn(new Date(iso), timeZone);

  const letters: ClockLetter[] = [];
  for (const m of messages.filter(
    (x) => x.direction === "out" && x.state !== "discarded" && x.kind && isKindId(x.kind),
  )) {
    // The latest of each: a letter may be recorded as mailed again, or found sent after an unknown outcome.
    let sent: { at: string; sentOn: string | undefined } | undefined;
    let mailedOn: string | undefined;
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
        sent = { at: e.at, sentOn: sentOnOf(e.data) };
        if ("via" in e.data) frozen = e.data.designation ?? frozen;
      } else if (e.type === "mailed") {
        mailedOn = e.data.mailed_on;
        frozen = e.data.designation ?? frozen;
      } else if (e.type === "delivered") deliveredOn = e.data.delivered_on;
    }
    // Email left when it was sent: its Date header was frozen at that moment (queue time, right before SMTP).
    const leftOn =
      m.state !== "sent"
        ? null
        : (mailedOn ?? sent?.sentOn ?? (m.date ? local(m.date) : sent?.at ? local(sent.at) : null));
    const channel = m.channel as LetterChannel;
    const kind = kindDef(m.kind as Parameters<typeof kindDef>[0]);
    const formal = composedFormal ?? c.formal;
    const designation = frozen ?? presumedDesignation(db, c, m, formal);
    letters.push({
      messageId: m.id,
      kind: kind.id,
      substance: kind.substance,
      formal,
      designation,
      channel,
      leftOn,
      deliveredOn: deliveredOn ?? null,
      fields: m.letterInput?.fields ?? {},
    });
  }

  // A reply arrived when it reached the user's mailbox: the server's INTERNALDATE, else the arrival recorded on
  // the way in (the user's server's Received field, or the import). Its Date header never decides a clock.
  const replies: ClockReply[] = messages
    .filter((m) => m.direction === "in")
    .map((m) => {
      const receivedOn =
        m.channel === "email"
          ? local(storedArrival({ ...m, internalDate: firstInternalDate(db, m.id) }).at)
          : (m.date ?? local(m.createdAt)).slice(0, 10);
      const trust = m.trust === null ? undefined : { status: m.trust, confirmed: m.trustConfirmedAt !== null };
      return { messageId: m.id, receivedOn, class: (m.replyClass ?? "other") as ReplyClass, trust };
    });

  const clockEvents: ClockEvent[] = events.flatMap((e) =>
    e.type === "paid-off" || e.type === "application-complete" || e.type === "denied" || e.type === "cfpb-filed"
      ? [{ type: e.type, on: e.data.on ?? local(e.at), data: { ...e.data } }]
      : [],
  );

  return {
    loan: {
      product: loan.product,
      principalResidence: loan.principalResidence,
      smallServicer: servicer.small,
      slaDays: servicer.slaDays,
    },
    letters,
    replies,
    events: clockEvents,
  };
}
