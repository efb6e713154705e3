/** What the escalation rules read (the chain of cases and its history) and what they answer (a plan or a refusal). */
import type { ErrorCode } from "../errors.js";
import type { IsoDate } from "./calendar.js";
import type { Clock } from "./clock-types.js";
import type { KindId } from "./kinds.js";
import type { LadderCase, LadderStep } from "./ladder.js";
import type { LetterLanguage } from "./language.js";
import type { Protection } from "./protections.js";
import type { ReplyClass } from "./reply-classes.js";
import type { LetterVoice } from "./voice.js";

/** A letter that left (or a draft: `date` null), with what identifies it in the record. */
export interface HistoryLetter {
  /** Row id of the message. */
  message: number;
  caseTag: string;
  kind: string;
  /** The day it left; null while it is a draft (drafts are never cited). */
  date: IsoDate | null;
  /**
   * The day it was written (`compose --dated`, else entered): a letter is cited by it, and by how and when it left
   * when that was another day ("my letter dated November 10, mailed on November 12"). Absent: the day it left.
   */
  writtenOn?: IsoDate | null | undefined;
  deliveredOn: IsoDate | null;
  channel: string;
  /** It reached a channel the servicer designated for notices (frozen when it left): only then may prose say so. */
  designated: boolean;
  subject: string | null;
  messageId: string | null;
  fields: Readonly<Record<string, string>>;
  /** What the user wrote as the letter's summary (their own words), when the record holds it. */
  summary?: string | null;
}

/** A reply received on a case. */
export interface HistoryReply {
  message: number;
  caseTag: string;
  date: IsoDate;
  channel: string;
  subject: string | null;
  messageId: string | null;
  class: ReplyClass;
}

/** One case of the chain with its history and its clocks on `asOf`. */
export interface ChainCase {
  case: LadderCase;
  letters: readonly HistoryLetter[];
  replies: readonly HistoryReply[];
  clocks: readonly Clock[];
  /** The foreclosure protections bearing on the case on `asOf` (its loan's and its applications'). */
  protections?: readonly Protection[];
}

/** A protection in force that the escalation invokes: its rule, how long it lasts, and the letter's sentence. */
export interface CitedProtection {
  id: string;
  name: string;
  rule: string;
  until: IsoDate | null;
  ends: string;
  text: string;
}

/** A case that already continues the escalated one. */
export interface ChildCase {
  id: number;
  tag: string;
  step: string;
  status: string;
}

/** The loan's parties, for the complaint narrative. */
export interface LoanParties {
  borrowers: readonly string[];
  accountNumber: string;
  propertyAddress: string;
  servicerName: string;
  /** The loan's product, for the complaint form's sub-product (absent: not known). */
  product?: "closed-end" | "heloc" | "reverse";
}

export interface EscalationInput {
  /** The case and its ancestors, the root first and the case to escalate last. */
  chain: readonly ChainCase[];
  /** Cases whose parent is the case to escalate. */
  children: readonly ChildCase[];
  loan: LoanParties;
  asOf: IsoDate;
  /** The rung the user picked on purpose; otherwise the planner proposes one. */
  to?: LadderStep | undefined;
  /** The language of the letter it drafts (its summary and a formal letter's fields); English by default. */
  lang?: LetterLanguage | undefined;
  /**
   * Who the letter speaks as (voice.ts; the borrower by default): in a counselor's home the letters cited, the
   * payment, the application and the loan are the borrower's, never "my" letter or "my" payment.
   */
  voice?: LetterVoice | undefined;
}

export type TriggerKind = "exception-disputed" | "unresolved" | "acknowledgment-only" | "late-clock";

/**
 * The letter's own sentences about the record, in the letter's language: the English ones are in
 * escalation-citations.ts, escalation-triggers.ts and escalation-rungs.ts, the Spanish ones in escalation-es.ts.
 * Each cites the same rules in the same words.
 */
export interface EscalationWords {
  /** Opens the history: "The history of this matter:". */
  history: string;
  citeLetter(l: HistoryLetter & { date: IsoDate }): string;
  citeReply(r: HistoryReply): string;
  /** A missed servicer clock: still late on `asOf`, or met on `arrivedOn` after it was due. */
  missed(c: Clock, due: IsoDate, daysLate: number, asOf: IsoDate, arrivedOn: IsoDate | null): string;
  protection(p: Protection): string;
  /** The trigger sentences (findTriggers). */
  disputed(exceptionOn: IsoDate): string;
  unresolved(last: { class: ReplyClass; date: IsoDate } | null): string;
  acknowledgedOnly(ackOn: IsoDate): string;
  /** A response still running that the letter reminds the servicer of (openResponseSentence). */
  openResponse(kindLabel: string | null, due: IsoDate, rule: string): string;
  regulatorAsk: string;
  legalAsk: string;
}

export interface Trigger {
  kind: TriggerKind;
  /** For the user (third person). */
  text: string;
  /** For the letter to the servicer (first person, to "you"); empty when the missed clocks already say it. */
  sentence: string;
  /** The reply it rests on (the exception disputed, the last reply before "unresolved", the acknowledgment). */
  reply?: { class: ReplyClass; date: IsoDate } | null;
}

export interface Citation {
  type: "letter" | "reply";
  case: string;
  message: number;
  date: IsoDate;
  subject: string | null;
  messageId: string | null;
  channel: string;
  /** A letter that reached a channel the servicer designated for notices. */
  designated?: boolean;
  class?: ReplyClass;
  deliveredOn?: IsoDate | null;
  /** For a letter: the day it was written (HistoryLetter.writtenOn); `date` is the day it left. */
  writtenOn?: IsoDate;
  /** The sentence as it reads in a letter to the servicer. */
  text: string;
}

export interface MissedClock {
  case: string;
  clock: string;
  name: string;
  rule: string;
  due: IsoDate;
  status: "late" | "met-late";
  businessDaysLate: number;
  arrivedOn: IsoDate | null;
  text: string;
}

/** A servicer clock behind a proposal: its rule, its due dates and where it stands on `asOf`. */
export interface BasisClock {
  case: string;
  clock: string;
  name: string;
  rule: string;
  status: "open" | "late" | "met" | "met-late";
  dueStrict: IsoDate | null;
  /** The lenient due date: the one after which the clock is called late. */
  due: IsoDate;
  /** The servicer extended it (1024.35(e)(3)(ii), 1024.36(d)(2)(ii)). */
  extended: boolean;
  businessDaysLate: number | null;
  /** For a clock of calendar days (the CFPB's process): how late in calendar days, the unit it is told in. */
  calendarDaysLate?: number | null;
  arrivedOn: IsoDate | null;
}

export interface PlannedLetter {
  kind: KindId;
  formal: boolean;
  fields: Record<string, string>;
}

export interface EscalationPlan {
  ok: true;
  case: string;
  from: LadderStep;
  step: LadderStep;
  /** The language its letter is drafted in (its summary and a formal letter's fields). */
  lang: LetterLanguage;
  /** The user picked this rung on purpose (`to`) rather than taking the one proposed. */
  chosen: boolean;
  /** What escalating does, for the user: the letter drafted, or the packet written, and what stays undone. */
  action: string;
  /** Why a higher rung the user may expect is not proposed (the regulator without a missed response), or null. */
  passedOver: string | null;
  /** Every servicer clock of the chain with a due date: the clocks behind the proposal. */
  clocks: BasisClock[];
  /** The first (most specific) of `triggers`. */
  trigger: Trigger;
  triggers: Trigger[];
  /** The letter to draft as the child case; null for regulator and legal, which draft no letter. */
  letter: PlannedLetter | null;
  formal: boolean;
  cites: Citation[];
  missed: MissedClock[];
  /** The foreclosure protections in force for the case (12 C.F.R. 1024.41(f), (g), (j)), cited in the summary. */
  protections: CitedProtection[];
  /** What is asked now (letter voice). */
  ask: string;
  /** The summary paragraph of the new letter: every citation, every missed clock, the trigger and the ask. */
  summary: string;
}

export interface EscalationRefusal {
  ok: false;
  case: string;
  /** The error code the refusal is reported under. */
  code: ErrorCode;
  reason: string;
  hint: string;
}

/** The first letter of a case that left, if any. */
export function firstLeft(link: ChainCase | undefined): (HistoryLetter & { date: IsoDate }) | undefined {
  const l = link?.letters.find((x) => x.date !== null);
  return l ? { ...l, date: l.date as IsoDate } : undefined;
}
