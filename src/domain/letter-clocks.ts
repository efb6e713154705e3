/**
 * Clocks started by a letter: the servicer's own promise, Reg X notice clocks, payoff, loss mitigation, insurance
 * and Form 1098.
 */
import { addYears } from "./borrower-deadlines.js";
import { addBusinessDays, addDays, daysBetween, type IsoDate, nextBusinessDay } from "./calendar.js";
import type { CaseClockInput, Clock, ClockLetter, ClockSpec, ClockStart, DueOverride } from "./clock-types.js";
import { clocksDoNotRun, DESIGNATION_RULE } from "./designation.js";
import { PAYOFF_STATEMENT, payoffReasonableTime } from "./payoff-clock.js";
import { outsideRegX } from "./regx-scope.js";
import type { ReplyClass } from "./reply-classes.js";
import { buildClock, runClock } from "./run-clock.js";

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

/** The event by which a letter reached the servicer (see receiptOf). */
function receivedBy(letter: ClockLetter): "sent" | "delivered" {
  return letter.channel === "post" ? "delivered" : "sent";
}

/**
 * A formal letter reached a channel the servicer designated for notices: Reg X clocks start only there
 * (12 C.F.R. 1024.35(c), 1024.36(b)). Decided when the letter left (src/domain/designation.ts).
 */
export function atDesignatedChannel(letter: ClockLetter): boolean {
  return letter.formal && letter.designation.designated;
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
    ...(type === "foreclosure" ? {} : { extension: "1024.35(e)(3)(ii)" }),
  };
}

/** The identity and contact of the loan's owner or assignee: 10 business days (12 C.F.R. 1024.36(d)(2)(i)(A)). */
const OWNER_RESPONSE: ClockSpec = {
  id: "owner-response",
  name: "Owner or assignee of the loan: response",
  rule: "12 C.F.R. 1024.36(d)(2)(i)(A)",
  days: 10,
  unit: "business",
  meets: SUBSTANTIVE,
};

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
          extension: "1024.36(d)(2)(ii)",
        },
        // Who owns the loan, asked inside the request: that answer is owed in 10 business days, with no extension
        // (1024.36(d)(2)(ii) extends only (d)(2)(i)(B)).
        ...(letter.asksOwner ? [OWNER_RESPONSE] : []),
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
        OWNER_RESPONSE,
      ];
    case "successor":
      // A potential successor in interest is treated as a borrower for 1024.36(c)-(g) (12 C.F.R. 1024.36(i)(1)):
      // the request-for-information clocks, by their ids, so escalation and suit limits read them alike.
      return [
        {
          id: "rfi-ack",
          name: "Successor in interest request: acknowledgment",
          rule: "12 C.F.R. 1024.36(c), (i)(1)",
          days: 5,
          unit: "business",
          meets: ACK_MEETS,
        },
        {
          id: "rfi-response",
          name: "Successor in interest request: documents required and contact",
          rule: "12 C.F.R. 1024.36(d)(2)(i)(B), (i)(1)",
          days: 30,
          unit: "business",
          meets: SUBSTANTIVE,
          extension: "1024.36(d)(2)(ii)",
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

function clockForLetterNotLeft(spec: ClockSpec, letter: ClockLetter): Clock {
  if (letter.leftOn === null) return buildClock(spec, "not-started", "the letter has not left yet");
  const from = addBusinessDays(letter.leftOn, MAIL_WINDOW.min, "lenient");
  const to = addBusinessDays(letter.leftOn, MAIL_WINDOW.max, "lenient");
  return {
    ...buildClock(
      spec,
      "not-started",
      `mailed ${letter.leftOn}; starts on delivery (expected ${from} to ${to}): record it with mailed CASE --delivered DATE`,
    ),
    awaitsDelivery: { messageId: letter.messageId, mailedOn: letter.leftOn, expectedFrom: from, expectedTo: to },
  };
}

/** Files one letter clock: not applicable, not started, or run from the letter's receipt (with any due override). */
type OnReceipt = (spec: ClockSpec, what: string, notApplicable: string | null, due?: DueOverride) => void;

/** The servicer's own promise, which applies to ordinary email to its correspondence address. */
function servicerPromiseSpec(letter: ClockLetter, input: CaseClockInput): ClockSpec {
  return {
    id: `promise-${letter.messageId}`,
    name: "Servicer's own promise to answer email",
    rule: `servicer's stated response time (${input.loan.slaDays} business days)`,
    days: input.loan.slaDays,
    unit: "business",
    meets: ["acknowledgment", "extension", "exception", "documents-requested", "response"],
  };
}

/** Where to turn when the servicer owes nothing in time to stop a sale. */
export const EMERGENCY_HELP =
  "Get help now: a HUD-approved housing counselor (https://www.consumerfinance.gov/find-a-housing-counselor/) or an attorney.";

/**
 * 12 C.F.R. 1024.35(f)(2): a servicer owes no acknowledgment (35(d)) or response (35(e)) to a notice of error
 * about foreclosure (35(b)(9), (10): `type=foreclosure`) received seven days or fewer before the sale. Says why;
 * null when it does not apply (another type, no sale date, not yet received, more than 7 days before, or the
 * sale date given is already past on receipt).
 */
export function saleTooNear(letter: ClockLetter, receipt: IsoDate | null): string | null {
  const sale = letter.fields["sale-date"];
  if (letter.fields.type !== "foreclosure" || !sale || !receipt) return null;
  const days = daysBetween(receipt, sale);
  if (days < 0 || days > 7) return null;
  return `a notice of error about a foreclosure received ${days} day${days === 1 ? "" : "s"} before the sale on ${sale} (7 or fewer) is outside 12 C.F.R. 1024.35(d) and (e) by 1024.35(f)(2)`;
}

/** The response's due dates when a foreclosure sale comes first (1024.35(e)(3)(i)(B)): the day before the sale. */
function saleCap(letter: ClockLetter, receipt: IsoDate | null): DueOverride | undefined {
  const sale = letter.fields["sale-date"];
  if (letter.fields.type !== "foreclosure" || !sale) return undefined;
  // A sale date already past on receipt caps nothing: the sale took place or was moved (the 30 days run).
  if (receipt && sale <= receipt) return undefined;
  const beforeSale = addDays(sale, -1);
  return {
    strict: beforeSale,
    lenient: beforeSale,
    why: `the foreclosure sale on ${sale} comes before 30 business days`,
    mode: "cap",
  };
}

/**
 * Reg X clocks of a letter at the designated channel; a foreclosure sale caps the notice of error's response, and
 * within 7 days of the sale there is no duty at all.
 */
function designatedChannelClocks(
  letter: ClockLetter,
  receipt: IsoDate | null,
  outside: string | null,
  onReceipt: OnReceipt,
): void {
  const where = `received at the designated ${letter.channel === "post" ? "address (delivered)" : letter.channel === "portal" ? "portal" : "channel"}`;
  const tooNear = letter.substance === "noe" ? saleTooNear(letter, receipt) : null;
  for (const spec of regulatoryClocks(letter)) {
    const response = spec.id === "noe-response";
    // The response's note says where to turn (once per letter, not on the acknowledgment too).
    const none =
      tooNear && `no acknowledgment or response duty under Reg X: ${tooNear}${response ? `. ${EMERGENCY_HELP}` : ""}`;
    onReceipt(spec, where, outside ?? none, response ? saleCap(letter, receipt) : undefined);
  }
}

// The 1024.41(b)(2)(i)(B) notice says whether the application is complete and which documents are missing,
// so here a documents-requested reply is the acknowledgment the rule requires.
const LOSS_MITIGATION_ACK: ClockSpec = {
  id: "lossmit-ack",
  name: "Loss mitigation application: acknowledgment",
  rule: "12 C.F.R. 1024.41(b)(2)(i)(B)",
  days: 5,
  unit: "business",
  meets: ["acknowledgment", "documents-requested", "response"],
};

const FORCE_PLACED_INSURANCE: ClockSpec = {
  id: "force-placed",
  name: "Force-placed insurance: cancel and refund",
  rule: "12 C.F.R. 1024.37(g)",
  days: 15,
  unit: "calendar",
  meets: ["response"],
};

/**
 * Form 1098: due by January 31 of the next year, rolled to the next business day; it runs whether or not anyone
 * asked.
 */
function form1098Clock(letter: ClockLetter, taxYear: string, input: CaseClockInput, asOf: IsoDate): Clock {
  const jan31 = `${Number(taxYear) + 1}-01-31`;
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
  return runClock(
    spec,
    {
      what: `tax year ${taxYear}`,
      on: letter.leftOn ?? jan31,
      messageId: letter.messageId,
      ...(letter.leftOn === null ? {} : { by: letter.channel === "post" ? "mailed" : "sent" }),
    },
    input.replies,
    asOf,
    fixed,
  );
}

/**
 * A notice of error or request for information to the servicer before a transfer binds it only when it arrives
 * within a year of the transfer (12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)).
 */
function priorServicerTooLate(letter: ClockLetter, receipt: IsoDate | null): string | null {
  const prior = letter.priorServicer;
  if (!prior || !receipt) return null;
  const last = addYears(prior.transferredOn, 1);
  if (receipt <= last) return null;
  const rule =
    letter.substance === "rfi" || letter.substance === "owner-rfi" ? "1024.36(f)(1)(v)(A)" : "1024.35(g)(1)(iii)(A)";
  return `no Reg X clock: received by ${prior.name} on ${receipt}, more than a year after servicing was transferred from it on ${prior.transferredOn} (the year ended ${last}; 12 C.F.R. ${rule})`;
}

/** Clocks started by one letter of a case. */
export function letterClocks(letter: ClockLetter, input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  const receipt = receiptOf(letter);
  // Every letter clock goes the same way: no clock where the rule does not apply, "not started" until the
  // letter arrived, else run from its receipt.
  const onReceipt: OnReceipt = (spec, what, notApplicable, due) => {
    if (notApplicable) clocks.push(buildClock(spec, "not-applicable", notApplicable));
    else if (!receipt) clocks.push(clockForLetterNotLeft(spec, letter));
    else {
      // A posted letter reaches the servicer on delivery; anything else on the day it was sent (receiptOf).
      const by = receivedBy(letter);
      const at = by === "sent" ? (letter.leftAt ?? undefined) : undefined;
      const start: ClockStart = { what, on: receipt, ...(at ? { at } : {}), messageId: letter.messageId, by };
      clocks.push(runClock(spec, start, input.replies, asOf, due));
    }
  };

  if (letter.channel === "email") {
    onReceipt(servicerPromiseSpec(letter, input), "email sent to the correspondence address", null);
  }

  const outside = outsideRegX(letter.substance, input.loan) ?? priorServicerTooLate(letter, receipt);
  const sale = letter.fields["sale-date"];
  if (atDesignatedChannel(letter)) {
    designatedChannelClocks(letter, receipt, outside, onReceipt);
  } else if (
    (letter.substance === "noe" ||
      letter.substance === "rfi" ||
      letter.substance === "owner-rfi" ||
      letter.substance === "successor") &&
    letter.leftOn !== null
  ) {
    const why = letter.designation.designated
      ? "an ordinary letter, not a formal notice of error or request for information (to start them, compose one with --formal)"
      : letter.designation.why;
    clocks.push(
      buildClock(
        { id: `regx-${letter.messageId}`, name: "Reg X notice clocks", rule: DESIGNATION_RULE },
        "not-applicable",
        clocksDoNotRun(why),
      ),
    );
  }

  if (letter.substance === "payoff") {
    onReceipt(PAYOFF_STATEMENT, "written request received", payoffReasonableTime(letter, input.loan));
  }

  if (letter.substance === "loss-mitigation") {
    const tooLate =
      receipt && sale && addDays(receipt, 45) > sale ? `received fewer than 45 days before the sale on ${sale}` : null;
    onReceipt(LOSS_MITIGATION_ACK, "application received", outside ?? tooLate);
  }

  if (letter.substance === "insurance-proof") {
    onReceipt(FORCE_PLACED_INSURANCE, "proof of coverage received", outside);
  }

  const taxYear = letter.fields["tax-year"];
  if (letter.kind === "tax-form-1098" && taxYear) clocks.push(form1098Clock(letter, taxYear, input, asOf));
  return clocks;
}
