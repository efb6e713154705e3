/**
 * The shapes of the clock computation: the case facts that go in (letters, replies, events, loan), the clocks that
 * come out, and the specification each clock runs by.
 */
import type { IsoDate } from "./calendar.js";
import type { Designation } from "./designation.js";
import type { CaseEventType } from "./events.js";
import type { KindId, Substance } from "./kinds.js";
import type { ReplyClass, StoredReplyClass } from "./reply-classes.js";
import type { ReplyStanding } from "./reply-trust.js";
import { count } from "./words.js";

export type LetterChannel = "email" | "notice-email" | "post" | "portal" | "fax" | "hand";

/** A letter of the case and when it left and arrived, as dates in the user's time zone. */
export interface ClockLetter {
  messageId: number;
  kind: KindId;
  substance: Substance;
  formal: boolean;
  /** Whether it reached a channel the servicer designated for notices (decided as it left, frozen). */
  designation: Designation;
  channel: LetterChannel;
  /** The day it left (email sent, mailed, uploaded, faxed, handed over); null while it is a draft. */
  leftOn: IsoDate | null;
  /**
   * The moment it left when the record holds one (an email loanmail sent: its Date header, frozen as it was queued);
   * absent for a day given by hand (mailed, sent --date). A reply that arrived before it answers something else.
   */
  leftAt?: string | null | undefined;
  /** Delivery date from the carrier's tracking, for post. */
  deliveredOn: IsoDate | null;
  fields: Readonly<Record<string, string>>;
  /**
   * A request for information whose own words (summary, fields) ask who owns the loan: that part is owed in 10
   * business days (12 C.F.R. 1024.36(d)(2)(i)(A)) beside the 30 of the rest.
   */
  asksOwner?: boolean | undefined;
  /**
   * A letter addressed to the servicer the loan had before a transfer (`compose --prior-servicer`): that servicer
   * owes its duties only for a notice received within a year of the transfer (12 C.F.R. 1024.35(g)(1)(iii)(A),
   * 1024.36(f)(1)(v)(A)).
   */
  priorServicer?: { name: string; transferredOn: IsoDate } | undefined;
}

export interface ClockReply {
  messageId: number;
  /** The day it reached the user's mailbox (never its Date header: src/domain/reply-arrival.ts). */
  receivedOn: IsoDate;
  /** The moment it reached the mailbox, for email (absent for paper, recorded by day). */
  receivedAt?: string | undefined;
  /** Its class; needs-review (the classifier was not sure) meets no clock until the user classifies it. */
  class: StoredReplyClass;
  /**
   * Who sent it, as judged on arrival, and whether the user confirmed it (src/domain/reply-trust.ts): only a
   * trusted or confirmed reply meets a clock. Absent for a reply the user recorded by hand.
   */
  trust?: ReplyStanding | undefined;
}

export type { CaseEventType } from "./events.js";

export interface ClockEvent {
  type: CaseEventType;
  on: IsoDate;
  data?: Readonly<Record<string, string>>;
}

export interface LoanFacts {
  product: "closed-end" | "heloc" | "reverse";
  principalResidence: boolean;
  smallServicer: boolean;
  /** Days the servicer promises to answer ordinary email in (business days). */
  slaDays: number;
  /**
   * The due date of the oldest periodic payment still unpaid (`loan set --delinquent-since`): delinquency begins
   * that day (12 C.F.R. 1024.31). Null or absent when the loan is current or it is not recorded.
   */
  delinquentSince?: IsoDate | null;
}

export interface CaseClockInput {
  loan: LoanFacts;
  letters: readonly ClockLetter[];
  replies: readonly ClockReply[];
  events: readonly ClockEvent[];
}

export type ClockStatus = "not-started" | "open" | "met" | "late" | "not-applicable";

/**
 * What started a clock, on which day; for a letter's clock, the letter and which of its events: a posted letter's
 * Reg X clocks run from its delivery, not its mailing, though both can fall on the same day (the timeline puts the
 * start on that event).
 */
export interface ClockStart {
  what: string;
  on: IsoDate;
  /** The moment it started, when the record holds one (ClockLetter.leftAt): replies before it meet nothing. */
  at?: string | undefined;
  messageId?: number;
  by?: "sent" | "mailed" | "delivered";
}

export interface Clock {
  id: string;
  name: string;
  rule: string;
  party: "servicer" | "borrower";
  status: ClockStatus;
  startedBy: ClockStart | null;
  dueStrict: IsoDate | null;
  dueLenient: IsoDate | null;
  metBy: { messageId: number; on: IsoDate; class: StoredReplyClass } | null;
  /**
   * A recorded case event that met it instead of a reply: the servicer's decision (`denied`, `offer`) meets its
   * evaluation clock on the notice's date; the borrower's appeal or answer meets the borrower's deadline.
   */
  metByEvent?: { type: CaseEventType; on: IsoDate } | null;
  /** Something the record shows the servicer did wrong that is not a late clock (an offer that allows too few days). */
  flag?: string | null;
  /** Business days after the lenient due date that the answer came (met late) or that have passed (late). */
  businessDaysLate: number | null;
  /**
   * The same in calendar days, for a clock that counts calendar days and is told late in them (the CFPB's process:
   * src/domain/cfpb-clocks.ts); absent for a clock told late in business days. `lateBy` says which.
   */
  calendarDaysLate?: number | null;
  extendedBy: { messageId: number; on: IsoDate } | null;
  note: string | null;
  /**
   * A clock of a letter mailed with no delivery recorded: it starts on delivery, which the record does not show yet.
   * The expected days are an estimate for certified mail (MAIL_WINDOW), never a legal date.
   */
  awaitsDelivery?: { messageId: number; mailedOn: IsoDate; expectedFrom: IsoDate; expectedTo: IsoDate } | null;
}

/** How late a clock is, in the unit it counts: "3 business days", or "317 days" for one of calendar days. */
export function lateBy(c: Pick<Clock, "businessDaysLate" | "calendarDaysLate">): string {
  return c.calendarDaysLate != null ? count(c.calendarDaysLate, "day") : count(c.businessDaysLate ?? 0, "business day");
}

/** What a clock counts and what meets it. */
export interface ClockSpec {
  id: string;
  name: string;
  rule: string;
  /** Business days (Reg X business days) or calendar days. */
  days: number;
  unit: "business" | "calendar";
  /** Reply classes that meet it. */
  meets: readonly ReplyClass[];
  /**
   * The paragraph that lets the servicer extend it by 15 business days once, by a notice in time (1024.35(e)(3)(ii),
   * 1024.36(d)(2)(ii)); absent when it cannot be extended. An extended clock cites it beside its own rule.
   */
  extension?: string;
}

/** Due dates set by something other than a count of days: a sale date that comes first, or a fixed date. */
export interface DueOverride {
  strict: IsoDate;
  lenient: IsoDate;
  why: string | null;
  /** "cap": the earlier of these and the counted dates; "replace": these dates, whatever the count. */
  mode: "cap" | "replace";
}
