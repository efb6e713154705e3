/**
 * Reading a case's facts for the pure clock engine: when each letter left and arrived, when each reply came
 * (the server's INTERNALDATE when known, as a date in the user's time zone), and the case's dated events.
 */

import type { ReplyClass } from "../domain/classify.js";
import type {
  CaseClockInput,
  CaseEventType,
  ClockEvent,
  ClockLetter,
  ClockReply,
  LetterChannel,
} from "../domain/clocks.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { listCaseEvents } from "../store/events.js";
import { listPastAccounts, requireLoan } from "../store/loans.js";
import { listCaseMessages } from "../store/messages.js";
import { firstInternalDate } from "../store/origins.js";
import { requireServicer } from "../store/servicers.js";
import { isoDateIn } from "./letter-record.js";

const CASE_EVENTS: readonly CaseEventType[] = ["paid-off", "application-complete", "denied", "cfpb-filed"];

/** Everything computeClocks needs about one case. */
export function readCaseClockInput(db: Db, c: CaseRecord, timeZone: string): CaseClockInput {
  const loan = requireLoan(db, String(c.loanId));
  // The servicer's promise and small-servicer status are those of whoever serviced the loan when the case opened.
  const openedOn = c.openedAt.slice(0, 10);
  const pastServicer = listPastAccounts(db, loan.id).find((a) => a.until > openedOn)?.servicerId;
  const servicer = requireServicer(db, pastServicer ?? loan.servicerId);
  const events = listCaseEvents(db, c.id);
  const messages = listCaseMessages(db, c.id);
  const local = (iso: string) => isoDateIn(new Date(iso), timeZone);

  const letters: ClockLetter[] = [];
  for (const m of messages.filter((x) => x.direction === "out" && x.kind && isKindId(x.kind))) {
    const mine = events.filter((e) => e.message_id === m.id);
    const data = (type: string) => {
      const e = mine.filter((x) => x.type === type).at(-1);
      return e
        ? ({ ...(JSON.parse(e.data) as Record<string, string>), at: e.at } as Record<string, string | undefined>)
        : undefined;
    };
    const sent = data("sent");
    const mailed = data("mailed");
    const delivered = data("delivered");
    // Email left when it was sent: its Date header was frozen at that moment (queue time, right before SMTP).
    const leftOn =
      m.state !== "sent"
        ? null
        : (mailed?.mailed_on ?? sent?.sent_on ?? (m.date ? local(m.date) : sent?.at ? local(sent.at) : null));
    const channel = m.channel as LetterChannel;
    const kind = kindDef(m.kind as Parameters<typeof kindDef>[0]);
    letters.push({
      messageId: m.id,
      kind: kind.id,
      substance: kind.substance,
      formal: c.formal && (channel === "notice-email" || channel === "post" || channel === "portal"),
      channel,
      leftOn,
      deliveredOn: delivered?.delivered_on ?? null,
      fields: m.letterInput?.fields ?? {},
    });
  }

  const replies: ClockReply[] = messages
    .filter((m) => m.direction === "in")
    .map((m) => {
      const internal = firstInternalDate(db, m.id);
      const receivedOn =
        m.channel === "email" ? local(internal ?? m.date ?? m.createdAt) : (m.date ?? local(m.createdAt)).slice(0, 10);
      return { messageId: m.id, receivedOn, class: (m.replyClass ?? "other") as ReplyClass };
    });

  const clockEvents: ClockEvent[] = events
    .filter((e) => (CASE_EVENTS as readonly string[]).includes(e.type))
    .map((e) => {
      const d = JSON.parse(e.data) as Record<string, string>;
      return { type: e.type as CaseEventType, on: d.on ?? local(e.at), data: d };
    });

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
