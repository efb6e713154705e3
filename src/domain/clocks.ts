/**
 * Clocks (DESIGN §4), derived from a case's facts by a pure function: nothing about a clock is stored, so a
 * corrected reply class or a delivery date recorded later changes every clock at once. Each clock names its
 * rule, what started it, its strict and lenient due dates, and what met it; a clock is late only after its
 * lenient due date, so that every "late" is beyond dispute.
 */
import {
  addBusinessDays,
  addCalendarDays,
  addDays,
  businessDaysLate,
  type IsoDate,
  isBusinessDay,
  nextBusinessDay,
} from "./calendar.js";
import type { ReplyClass } from "./classify.js";
import type { KindId, Substance } from "./kinds.js";

export type LetterChannel = "email" | "notice-email" | "post" | "portal" | "fax" | "hand";

/** A letter of the case and when it left and arrived, as dates in the user's time zone. */
export interface ClockLetter {
  messageId: number;
  kind: KindId;
  substance: Substance;
  formal: boolean;
  channel: LetterChannel;
  /** The day it left (email sent, mailed, uploaded, faxed, handed over); null while it is a draft. */
  leftOn: IsoDate | null;
  /** Delivery date from the carrier's tracking, for post. */
  deliveredOn: IsoDate | null;
  fields: Readonly<Record<string, string>>;
}

export interface ClockReply {
  messageId: number;
  receivedOn: IsoDate;
  class: ReplyClass;
}

export type CaseEventType = "paid-off" | "application-complete" | "denied" | "cfpb-filed";

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
}

export interface CaseClockInput {
  loan: LoanFacts;
  letters: readonly ClockLetter[];
  replies: readonly ClockReply[];
  events: readonly ClockEvent[];
}

export type ClockStatus = "not-started" | "open" | "met" | "late" | "not-applicable";

export interface Clock {
  id: string;
  name: string;
  rule: string;
  party: "servicer" | "borrower";
  status: ClockStatus;
  startedBy: { what: string; on: IsoDate; messageId?: number } | null;
  dueStrict: IsoDate | null;
  dueLenient: IsoDate | null;
  metBy: { messageId: number; on: IsoDate; class: ReplyClass } | null;
  /** Business days after the lenient due date that the answer came (met late) or that have passed (late). */
  businessDaysLate: number | null;
  extendedBy: { messageId: number; on: IsoDate } | null;
  note: string | null;
}

interface ClockSpec {
  id: string;
  name: string;
  rule: string;
  /** Business days (Reg X business days) or calendar days. */
  days: number;
  unit: "business" | "calendar";
  /** Reply classes that meet it. */
  meets: readonly ReplyClass[];
  extension?: boolean;
}

const SUBSTANTIVE: readonly ReplyClass[] = ["response", "exception"];

/** The expected window of delivery for certified mail that has no delivery date yet (1 to 5 business days). */
export const MAIL_WINDOW = { min: 1, max: 5 } as const;

/**
 * When a letter reached the servicer: an electronic letter on the day it left; a posted one on its delivery date.
 * Null while it has not arrived (or not been recorded as delivered).
 */
export function receiptOf(letter: ClockLetter): IsoDate | null {
  if (letter.leftOn === null) return null;
  return letter.channel === "post" ? letter.deliveredOn : letter.leftOn;
}

/** A letter reached the designated channel for formal notices (Reg X clocks start only there). */
export function atDesignatedChannel(letter: ClockLetter): boolean {
  return (
    letter.formal && (letter.channel === "notice-email" || letter.channel === "post" || letter.channel === "portal")
  );
}

function buildClock(
  spec: Omit<ClockSpec, "days" | "unit" | "meets">,
  status: ClockStatus,
  note: string | null,
  startedBy: Clock["startedBy"] = null,
): Clock {
  return {
    id: spec.id,
    name: spec.name,
    rule: spec.rule,
    party: "servicer",
    status,
    startedBy,
    dueStrict: null,
    dueLenient: null,
    metBy: null,
    businessDaysLate: null,
    extendedBy: null,
    note,
  };
}

function dueDates(start: IsoDate, days: number, unit: "business" | "calendar"): { strict: IsoDate; lenient: IsoDate } {
  if (unit === "business") {
    return { strict: addBusinessDays(start, days, "strict"), lenient: addBusinessDays(start, days, "lenient") };
  }
  // Lenient: a receipt on a closed day counts as received on the next business day, for calendar days too.
  const lenientStart = isBusinessDay(start, "lenient") ? start : nextBusinessDay(start, "lenient");
  return { strict: addCalendarDays(start, days, "strict"), lenient: addCalendarDays(lenientStart, days, "lenient") };
}

/** Due dates set by something other than a count of days: a sale date that comes first, or a fixed date. */
export interface DueOverride {
  strict: IsoDate;
  lenient: IsoDate;
  why: string | null;
  /** "cap": the earlier of these and the counted dates; "replace": these dates, whatever the count. */
  mode: "cap" | "replace";
}

/**
 * Run one clock: due dates from its start, an extension if one came in time, the first reply that meets it, and
 * its status on `asOf`.
 */
export function runClock(
  spec: ClockSpec,
  start: { what: string; on: IsoDate; messageId?: number },
  replies: readonly ClockReply[],
  asOf: IsoDate,
  due?: DueOverride,
): Clock {
  let { strict, lenient } = due?.mode === "replace" ? due : dueDates(start.on, spec.days, spec.unit);
  let extendedBy: Clock["extendedBy"] = null;
  const after = replies.filter((r) => r.receivedOn >= start.on).sort((a, b) => (a.receivedOn < b.receivedOn ? -1 : 1));
  if (spec.extension) {
    // An extension counts only when it arrives on or before the due date, and adds 15 business days once.
    const ext = after.find((r) => r.class === "extension" && r.receivedOn <= lenient && r.receivedOn <= asOf);
    if (ext) {
      extendedBy = { messageId: ext.messageId, on: ext.receivedOn };
      strict = addBusinessDays(strict, 15, "strict");
      lenient = addBusinessDays(lenient, 15, "lenient");
    }
  }
  let note: string | null = null;
  if (due?.mode === "cap" && (due.strict < strict || due.lenient < lenient)) {
    if (due.strict < strict) strict = due.strict;
    if (due.lenient < lenient) lenient = due.lenient;
    note = due.why;
  }
  const met = after.find((r) => spec.meets.includes(r.class));
  const clock: Clock = {
    id: spec.id,
    name: spec.name,
    rule: spec.rule,
    party: "servicer",
    status: "open",
    startedBy: start,
    dueStrict: strict,
    dueLenient: lenient,
    metBy: null,
    businessDaysLate: null,
    extendedBy,
    note,
  };
  if (met && met.receivedOn <= asOf) {
    clock.status = "met";
    clock.metBy = { messageId: met.messageId, on: met.receivedOn, class: met.class };
    const late = businessDaysLate(lenient, met.receivedOn);
    clock.businessDaysLate = late > 0 ? late : null;
    return clock;
  }
  if (asOf > lenient) {
    clock.status = "late";
    clock.businessDaysLate = businessDaysLate(lenient, asOf);
  }
  return clock;
}

const ACK_MEETS: readonly ReplyClass[] = ["acknowledgment", "response", "exception", "extension"];

function noeResponseSpec(type: string): ClockSpec {
  if (type === "payoff") {
    return {
      id: "noe-response",
      name: "Notice of error (payoff balance): response",
      rule: "12 C.F.R. 1024.35(e)(3)(i)(A)",
      days: 7,
      unit: "business",
      meets: SUBSTANTIVE,
    };
  }
  return {
    id: "noe-response",
    name: type === "foreclosure" ? "Notice of error (foreclosure sale): response" : "Notice of error: response",
    rule: type === "foreclosure" ? "12 C.F.R. 1024.35(e)(3)(i)(B)" : "12 C.F.R. 1024.35(e)(3)(i)(C)",
    days: 30,
    unit: "business",
    meets: SUBSTANTIVE,
    extension: type !== "foreclosure",
  };
}

/** The Reg X/Reg Z clocks a letter of this substance starts on receipt at the designated channel. */
export function regulatoryClocks(letter: ClockLetter): ClockSpec[] {
  switch (letter.substance) {
    case "noe":
      return [
        {
          id: "noe-ack",
          name: "Notice of error: acknowledgment",
          rule: "12 C.F.R. 1024.35(d)",
          days: 5,
          unit: "business",
          meets: ACK_MEETS,
        },
        noeResponseSpec(letter.fields.type ?? "general"),
      ];
    case "rfi":
      return [
        {
          id: "rfi-ack",
          name: "Request for information: acknowledgment",
          rule: "12 C.F.R. 1024.36(c)",
          days: 5,
          unit: "business",
          meets: ACK_MEETS,
        },
        {
          id: "rfi-response",
          name: "Request for information: response",
          rule: "12 C.F.R. 1024.36(d)(2)(i)(B)",
          days: 30,
          unit: "business",
          meets: SUBSTANTIVE,
          extension: true,
        },
      ];
    case "owner-rfi":
      return [
        {
          id: "rfi-ack",
          name: "Request for information: acknowledgment",
          rule: "12 C.F.R. 1024.36(c)",
          days: 5,
          unit: "business",
          meets: ACK_MEETS,
        },
        {
          id: "owner-response",
          name: "Owner or assignee of the loan: response",
          rule: "12 C.F.R. 1024.36(d)(2)(i)(A)",
          days: 10,
          unit: "business",
          meets: SUBSTANTIVE,
        },
      ];
    case "relied-documents":
      return [
        {
          id: "relied-documents",
          name: "Documents relied on: response",
          rule: "12 C.F.R. 1024.35(e)(4)",
          days: 15,
          unit: "business",
          meets: SUBSTANTIVE,
        },
      ];
    default:
      return [];
  }
}

function outsideRegX(substance: Substance, loan: LoanFacts): string | null {
  if (
    (substance === "noe" || substance === "rfi" || substance === "owner-rfi" || substance === "relied-documents") &&
    loan.product === "heloc"
  ) {
    return "no Reg X clock: 1024.35 and 1024.36 do not apply to an open-end line of credit (HELOC)";
  }
  if (substance === "loss-mitigation") {
    if (loan.product === "reverse") return "no Reg X clock: 1024.41 does not apply to a reverse mortgage";
    if (loan.smallServicer)
      return "no Reg X clock: a small servicer is exempt from 1024.41's deadlines (1024.30(b)(1))";
    if (!loan.principalResidence) return "no Reg X clock: 1024.41 applies only to the borrower's principal residence";
  }
  return null;
}

function clockForLetterNotLeft(spec: ClockSpec, letter: ClockLetter): Clock {
  if (letter.leftOn === null) return buildClock(spec, "not-started", "the letter has not left yet");
  const from = addBusinessDays(letter.leftOn, MAIL_WINDOW.min, "lenient");
  const to = addBusinessDays(letter.leftOn, MAIL_WINDOW.max, "lenient");
  return buildClock(
    spec,
    "not-started",
    `mailed ${letter.leftOn}; starts on delivery (expected ${from} to ${to}): record it with mailed CASE --delivered DATE`,
  );
}

/** Clocks started by one letter of a case. */
export function letterClocks(letter: ClockLetter, input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  const receipt = receiptOf(letter);
  // Every letter clock goes the same way: no clock where the rule does not apply, "not started" until the
  // letter arrived, else run from its receipt.
  const onReceipt = (spec: ClockSpec, what: string, notApplicable: string | null, due?: DueOverride): void => {
    if (notApplicable) clocks.push(buildClock(spec, "not-applicable", notApplicable));
    else if (!receipt) clocks.push(clockForLetterNotLeft(spec, letter));
    else clocks.push(runClock(spec, { what, on: receipt, messageId: letter.messageId }, input.replies, asOf, due));
  };

  // The servicer's own promise applies to ordinary email to its correspondence address.
  if (letter.channel === "email") {
    onReceipt(
      {
        id: `promise-${letter.messageId}`,
        name: "Servicer's own promise to answer email",
        rule: `servicer's stated response time (${input.loan.slaDays} business days)`,
        days: input.loan.slaDays,
        unit: "business",
        meets: ["acknowledgment", "extension", "exception", "documents-requested", "response"],
      },
      "email sent to the correspondence address",
      null,
    );
  }

  const outside = outsideRegX(letter.substance, input.loan);
  const sale = letter.fields["sale-date"];
  if (atDesignatedChannel(letter)) {
    const where = `received at the designated ${letter.channel === "post" ? "address (delivered)" : "channel"}`;
    for (const spec of regulatoryClocks(letter)) {
      const beforeSale = sale ? addDays(sale, -1) : null;
      const cap: DueOverride | undefined =
        spec.id === "noe-response" && letter.fields.type === "foreclosure" && beforeSale
          ? {
              strict: beforeSale,
              lenient: beforeSale,
              why: `the foreclosure sale on ${sale} comes before 30 business days`,
              mode: "cap",
            }
          : undefined;
      onReceipt(spec, where, outside, cap);
    }
  } else if (
    (letter.substance === "noe" || letter.substance === "rfi" || letter.substance === "owner-rfi") &&
    letter.leftOn !== null
  ) {
    clocks.push(
      buildClock(
        { id: `regx-${letter.messageId}`, name: "Reg X notice clocks", rule: "12 C.F.R. 1024.35/1024.36" },
        "not-applicable",
        "not sent to the designated notice address, so no Reg X clock started (send it formally: --formal)",
      ),
    );
  }

  if (letter.substance === "payoff") {
    onReceipt(
      {
        id: "payoff-statement",
        name: "Payoff statement",
        rule: "12 C.F.R. 1026.36(c)(3)",
        days: 7,
        unit: "business",
        meets: ["response"],
      },
      "written request received",
      input.loan.product === "reverse"
        ? "reverse mortgage: a payoff statement is due within a reasonable time, not 7 business days"
        : null,
    );
  }

  if (letter.substance === "loss-mitigation") {
    // The 1024.41(b)(2)(i)(B) notice says whether the application is complete and which documents are missing,
    // so here a documents-requested reply is the acknowledgment the rule requires.
    const tooLate =
      receipt && sale && addDays(receipt, 45) > sale ? `received fewer than 45 days before the sale on ${sale}` : null;
    onReceipt(
      {
        id: "lossmit-ack",
        name: "Loss mitigation application: acknowledgment",
        rule: "12 C.F.R. 1024.41(b)(2)(i)(B)",
        days: 5,
        unit: "business",
        meets: ["acknowledgment", "documents-requested", "response"],
      },
      "application received",
      outside ?? tooLate,
    );
  }

  if (letter.substance === "insurance-proof") {
    onReceipt(
      {
        id: "force-placed",
        name: "Force-placed insurance: cancel and refund",
        rule: "12 C.F.R. 1024.37(g)",
        days: 15,
        unit: "calendar",
        meets: ["response"],
      },
      "proof of coverage received",
      null,
    );
  }

  if (letter.kind === "tax-form-1098" && letter.fields["tax-year"]) {
    // Due by January 31 of the next year, rolled to the next business day; it runs whether or not anyone asked.
    const jan31 = `${Number(letter.fields["tax-year"]) + 1}-01-31`;
    const spec: ClockSpec = {
      id: "form-1098",
      name: "Form 1098 furnished",
      rule: "26 U.S.C. 6050H(d) (January 31, next business day)",
      days: 0,
      unit: "calendar",
      meets: ["response"],
    };
    const fixed: DueOverride = {
      strict: nextBusinessDay(jan31, "strict"),
      lenient: nextBusinessDay(jan31, "lenient"),
      why: null,
      mode: "replace",
    };
    clocks.push(
      runClock(
        spec,
        { what: `tax year ${letter.fields["tax-year"]}`, on: letter.leftOn ?? jan31, messageId: letter.messageId },
        input.replies,
        asOf,
        fixed,
      ),
    );
  }
  return clocks;
}

/** Clocks started by case events rather than letters (payment in full, complete application, CFPB complaint). */
export function eventClocks(input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  for (const ev of input.events) {
    if (ev.type === "paid-off") {
      const spec: ClockSpec = {
        id: "escrow-refund",
        name: "Escrow balance refund after payoff",
        rule: "12 C.F.R. 1024.34(b)",
        days: 20,
        unit: "business",
        meets: ["response"],
      };
      clocks.push(runClock(spec, { what: "loan paid in full", on: ev.on }, input.replies, asOf));
      clocks.push(
        borrowerDeadline(
          "noe-window-payoff",
          "Send any notice of error or request for information",
          "12 C.F.R. 1024.35(g)(1)(iii), 1024.36(f)(1)(v)",
          { what: "loan paid in full", on: ev.on },
          addYears(ev.on, 1),
          asOf,
        ),
      );
    }
    if (ev.type === "application-complete") {
      const spec: ClockSpec = {
        id: "lossmit-decision",
        name: "Loss mitigation: evaluation and decision",
        rule: "12 C.F.R. 1024.41(c)(1)",
        days: 30,
        unit: "calendar",
        meets: ["response"],
      };
      const sale = ev.data?.["sale-date"];
      const outside = outsideRegX("loss-mitigation", input.loan);
      if (outside) clocks.push(buildClock(spec, "not-applicable", outside));
      else if (sale && addDays(ev.on, 37) >= sale)
        clocks.push(buildClock(spec, "not-applicable", `complete 37 days or fewer before the sale on ${sale}`));
      else clocks.push(runClock(spec, { what: "application complete", on: ev.on }, input.replies, asOf));
    }
    if (ev.type === "denied") {
      clocks.push(
        borrowerDeadline(
          "lossmit-appeal",
          "Appeal the loan modification denial",
          "12 C.F.R. 1024.41(h)(2)",
          { what: "denial received", on: ev.on },
          addDays(ev.on, 14),
          asOf,
        ),
      );
    }
    if (ev.type === "cfpb-filed") {
      const what = `CFPB complaint ${ev.data?.["cfpb-id"] ?? ""} sent to the company`.replace("  ", " ");
      for (const [id, name, days] of [
        ["cfpb-response", "CFPB: company response", 15],
        ["cfpb-closed", "CFPB: complaint closed", 60],
      ] as const) {
        const spec: ClockSpec = {
          id,
          name,
          rule: "CFPB complaint process (not a regulation)",
          days,
          unit: "calendar",
          meets: ["response"],
        };
        clocks.push(runClock(spec, { what, on: ev.on }, input.replies, asOf));
      }
    }
  }
  return clocks;
}

function addYears(d: IsoDate, years: number): IsoDate {
  const [y, m, day] = d.split("-");
  const target = `${Number(y) + years}-${m}-${day}`;
  // February 29 of a leap year ends on February 28 of a common year.
  return m === "02" && day === "29" && Number(y) + years !== 0 && (Number(y) + years) % 4 !== 0
    ? `${Number(y) + years}-02-28`
    : target;
}

/** A deadline the borrower must meet (shown beside the servicer's). */
export function borrowerDeadline(
  id: string,
  name: string,
  rule: string,
  startedBy: { what: string; on: IsoDate },
  due: IsoDate,
  asOf: IsoDate,
): Clock {
  return {
    id,
    name,
    rule,
    party: "borrower",
    status: asOf > due ? "late" : "open",
    startedBy,
    dueStrict: due,
    dueLenient: due,
    metBy: null,
    businessDaysLate: asOf > due ? businessDaysLate(due, asOf) : null,
    extendedBy: null,
    note: null,
  };
}

/** The case as it stood on `asOf`: nothing that happened later starts, extends or meets a clock. */
function asOfView(input: CaseClockInput, asOf: IsoDate): CaseClockInput {
  return {
    ...input,
    letters: input.letters.map((l) => ({
      ...l,
      leftOn: l.leftOn !== null && l.leftOn <= asOf ? l.leftOn : null,
      deliveredOn: l.deliveredOn !== null && l.deliveredOn <= asOf ? l.deliveredOn : null,
    })),
    replies: input.replies.filter((r) => r.receivedOn <= asOf),
    events: input.events.filter((e) => e.on <= asOf),
  };
}

/** A missed Reg X clock (late, or answered late) gives the borrower a claim under RESPA section 6. */
function isViolation(c: Clock): boolean {
  const regX = /^12 C\.F\.R\. 1024\.(3[4-9]|4[01])/.test(c.rule);
  return (
    c.party === "servicer" && regX && (c.status === "late" || (c.status === "met" && (c.businessDaysLate ?? 0) > 0))
  );
}

/** Every clock of a case on `asOf`: letters' clocks, event clocks, and the suit limit of each missed clock. */
export function computeClocks(caseInput: CaseClockInput, asOf: IsoDate): Clock[] {
  const input = asOfView(caseInput, asOf);
  const clocks = [...input.letters.flatMap((l) => letterClocks(l, input, asOf)), ...eventClocks(input, asOf)];
  for (const c of [...clocks]) {
    if (isViolation(c) && c.dueStrict) {
      // Counted from the strict date: the earlier start is the safer limit for the borrower to keep.
      clocks.push(
        borrowerDeadline(
          `suit-${c.id}`,
          `Sue under RESPA section 6 for: ${c.name}`,
          "12 U.S.C. 2614 (3 years)",
          { what: `${c.name} missed`, on: c.dueStrict },
          addYears(c.dueStrict, 3),
          asOf,
        ),
      );
    }
  }
  // Two letters of one kind in a case start clocks of the same id: tell them apart by their letter.
  const seen = new Map<string, number>();
  for (const c of clocks) seen.set(c.id, (seen.get(c.id) ?? 0) + 1);
  return clocks.map((c) =>
    (seen.get(c.id) ?? 0) > 1 && c.startedBy?.messageId !== undefined
      ? { ...c, id: `${c.id}-m${c.startedBy.messageId}` }
      : c,
  );
}

/** Borrower's 1-year window after a servicing transfer (a loan-level deadline). */
export function transferDeadline(transferredOn: IsoDate, toServicer: string, asOf: IsoDate): Clock {
  return borrowerDeadline(
    "noe-window-transfer",
    `Send any notice of error or request for information about the prior servicer (transfer to ${toServicer})`,
    "12 C.F.R. 1024.35(g)(1)(iii), 1024.36(f)(1)(v)",
    { what: "servicing transferred", on: transferredOn },
    addYears(transferredOn, 1),
    asOf,
  );
}
