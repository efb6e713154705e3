/**
 * Loss mitigation, the borrower's side (12 C.F.R. 1024.41), read from a case's dated events (`event CASE
 * application-complete | denied | offer | appealed | accepted | rejected`): the servicer's evaluation of a
 * complete application (41(c)(1)) and of an appeal (41(h)(4)), the borrower's 14 days to appeal a denial
 * (41(h)(2)) and the days to accept or reject an offer (41(e)(1)). The foreclosure protections the same facts give
 * are in dual-tracking.ts. How loanmail reads the facts (README, "Clocks"):
 *
 * - A `denied` or `offer` event's date is the date of the servicer's notice, the day it *provided* the decision
 *   (41(c)(1)(ii), 41(h)(2)): the appeal's 14 days and the offer's minimum run from it, never from its receipt.
 * - Whether a rule applies turns on the days from the complete application to the sale scheduled on that day
 *   (41(b)(3)): the sale date recorded with `application-complete`. None recorded is taken as none scheduled,
 *   which the rule treats as 90 days or more before a sale; every note says so.
 * - A recorded decision meets the evaluation clock on the notice's date (late only if that date is after the due
 *   date); a decision recorded after an appeal meets the appeal's clock.
 */
import { borrowerDeadline } from "./borrower-deadlines.js";
import { addDays, businessDaysLate, daysBetween, type IsoDate } from "./calendar.js";
import type { CaseClockInput, Clock, ClockEvent, ClockSpec } from "./clock-types.js";
import { outsideRegX } from "./regx-scope.js";
import { buildClock, runClock } from "./run-clock.js";

/** When the application was complete, against the sale scheduled that day (12 C.F.R. 1024.41(b)(3)). */
export type Timing =
  | { kind: "not-recorded" }
  | { kind: "no-sale"; complete: IsoDate }
  | { kind: "before-sale"; complete: IsoDate; sale: IsoDate; days: number };

/** The timing in words, for notes. */
export function describeTiming(t: Timing): string {
  switch (t.kind) {
    case "not-recorded":
      return "no complete application is recorded";
    case "no-sale":
      return `complete ${t.complete} with no sale date recorded: taken as none scheduled, which counts as 90 days or more before a sale (12 C.F.R. 1024.41(b)(3))`;
    case "before-sale":
      return `complete ${t.complete}, ${t.days} days before the sale on ${t.sale}`;
  }
}

/** Whether a denial may be appealed (12 C.F.R. 1024.41(h)(1)); null when no complete application is recorded. */
export function hasAppealRight(t: Timing): boolean | null {
  if (t.kind === "not-recorded") return null;
  return t.kind === "no-sale" || t.days >= 90;
}

/**
 * The fewest days the servicer must leave the borrower to accept or reject an offer (12 C.F.R. 1024.41(e)(1)):
 * 14 for a complete application 90 days or more before a sale, 7 between 90 and 38 days, none at 37 or fewer;
 * null when no complete application is recorded.
 */
export function acceptanceMinimum(t: Timing): 14 | 7 | 0 | null {
  if (t.kind === "not-recorded") return null;
  if (t.kind === "no-sale" || t.days >= 90) return 14;
  return t.days >= 38 ? 7 : 0;
}

/** One complete application and what followed it: the servicer's decisions and the borrower's answers. */
export interface Application {
  /** 1 for the case's first application (or the events recorded before any was complete), then 2, ... */
  n: number;
  complete: ClockEvent | null;
  timing: Timing;
  /** The events that followed it, in date order. */
  events: ClockEvent[];
  /** Index in `events` of the first appeal, or -1. */
  appealAt: number;
}

const ORDER: Readonly<Record<string, number>> = {
  "application-complete": 0,
  denied: 1,
  offer: 1,
  appealed: 2,
  accepted: 3,
  rejected: 3,
};

function timingOf(complete: ClockEvent): Timing {
  const sale = complete.data?.["sale-date"];
  if (!sale) return { kind: "no-sale", complete: complete.on };
  return { kind: "before-sale", complete: complete.on, sale, days: daysBetween(complete.on, sale) };
}

/**
 * The case's loss-mitigation events grouped by application, in date order. An `application-complete` recorded
 * again for the same day before anything followed it corrects the first (a sale date added), it opens no second
 * application; events before any complete application form an application of unknown timing.
 */
export function applicationsOf(events: readonly ClockEvent[]): Application[] {
  const sorted = events
    .map((e, i) => ({ e, i }))
    .filter(({ e }) => e.type in ORDER)
    .sort((a, b) => a.e.on.localeCompare(b.e.on) || (ORDER[a.e.type] ?? 0) - (ORDER[b.e.type] ?? 0) || a.i - b.i)
    .map(({ e }) => e);
  const apps: Application[] = [];
  let current: Application | undefined;
  for (const e of sorted) {
    if (e.type === "application-complete") {
      if (current?.complete?.on === e.on && current.events.length === 0) {
        current.complete = e;
        current.timing = timingOf(e);
        continue;
      }
      current = { n: apps.length + 1, complete: e, timing: timingOf(e), events: [], appealAt: -1 };
      apps.push(current);
      continue;
    }
    if (!current) {
      current = { n: apps.length + 1, complete: null, timing: { kind: "not-recorded" }, events: [], appealAt: -1 };
      apps.push(current);
    }
    if (e.type === "appealed" && current.appealAt < 0) current.appealAt = current.events.length;
    current.events.push(e);
  }
  return apps;
}

/** The decisions (denials and offers) before the first appeal, and those after it. */
export function decisionsOf(app: Application): { initial: ClockEvent[]; afterAppeal: ClockEvent[] } {
  const cut = app.appealAt < 0 ? app.events.length : app.appealAt;
  const isDecision = (e: ClockEvent) => e.type === "denied" || e.type === "offer";
  return {
    initial: app.events.slice(0, cut).filter(isDecision),
    afterAppeal: app.events.slice(cut).filter(isDecision),
  };
}

/** A clock id, told apart by its application and its place among clocks of the same kind. */
function idFor(base: string, app: Application, k = 1): string {
  return `${base}${app.n > 1 ? `-a${app.n}` : ""}${k > 1 ? `-${k}` : ""}`;
}

/** A borrower's deadline that does not apply, with why. */
function borrowerNotApplicable(id: string, name: string, rule: string, note: string): Clock {
  return { ...buildClock({ id, name, rule }, "not-applicable", note), party: "borrower" };
}

/** The clock met by a recorded event on its date, unless a reply met it earlier. */
function meetByEvent(clock: Clock, ev: ClockEvent | undefined): Clock {
  if (!ev || clock.dueLenient === null || clock.status === "not-applicable") return clock;
  if (clock.status === "met" && clock.metBy && clock.metBy.on <= ev.on) return clock;
  const late = businessDaysLate(clock.dueLenient, ev.on);
  return {
    ...clock,
    status: "met",
    metBy: null,
    metByEvent: { type: ev.type, on: ev.on },
    businessDaysLate: late > 0 ? late : null,
  };
}

const DECISION: ClockSpec = {
  id: "lossmit-decision",
  name: "Loss mitigation: evaluation and decision",
  rule: "12 C.F.R. 1024.41(c)(1)",
  days: 30,
  unit: "calendar",
  meets: ["response"],
};

/** 30 days after a complete application received more than 37 days before a sale; met by the decision notice. */
function decisionClock(app: Application, input: CaseClockInput, asOf: IsoDate): Clock | null {
  if (!app.complete) return null;
  const spec = { ...DECISION, id: idFor(DECISION.id, app) };
  const outside = outsideRegX("loss-mitigation", input.loan);
  if (outside) return buildClock(spec, "not-applicable", outside);
  const t = app.timing;
  if (t.kind === "before-sale" && t.days <= 37)
    return buildClock(spec, "not-applicable", `complete 37 days or fewer before the sale on ${t.sale}`);
  const clock = runClock(spec, { what: "application complete", on: app.complete.on }, input.replies, asOf);
  return meetByEvent(clock, decisionsOf(app).initial[0]);
}

const APPEAL_RULE = "12 C.F.R. 1024.41(h)(2)";
const APPEAL_NAME = "Appeal the loan modification denial";

/** The borrower's 14 days from the denial notice to appeal, where 1024.41(h)(1) gives an appeal at all. */
function appealDeadline(app: Application, denial: ClockEvent, k: number, input: CaseClockInput, asOf: IsoDate): Clock {
  const id = idFor("lossmit-appeal", app, k);
  const outside = outsideRegX("loss-mitigation", input.loan);
  if (outside) return borrowerNotApplicable(id, APPEAL_NAME, APPEAL_RULE, outside);
  // With no complete application recorded, a denial 90 days or more before its sale came from an application
  // complete at least as early: the appeal surely exists.
  const sale = denial.data?.["sale-date"];
  const sure = app.timing.kind === "not-recorded" && sale !== undefined && daysBetween(denial.on, sale) >= 90;
  const right = sure ? true : hasAppealRight(app.timing);
  if (right === false)
    return borrowerNotApplicable(
      id,
      APPEAL_NAME,
      APPEAL_RULE,
      `no appeal: 12 C.F.R. 1024.41(h)(1) gives one only for a complete application received 90 days or more before a foreclosure sale (${describeTiming(app.timing)})`,
    );
  const due = addDays(denial.on, 14);
  const clock: Clock = {
    ...borrowerDeadline(
      id,
      APPEAL_NAME,
      APPEAL_RULE,
      { what: "denial notice provided (its date)", on: denial.on },
      due,
      asOf,
    ),
    note:
      right === null
        ? "an appeal exists only for a complete application received 90 days or more before a foreclosure sale, or with none scheduled (12 C.F.R. 1024.41(h)(1)): record it with event CASE application-complete --date D [--sale-date S]"
        : "for a denied trial or permanent loan modification (12 C.F.R. 1024.41(h)(1))",
  };
  const appeal = app.appealAt >= 0 ? app.events[app.appealAt] : undefined;
  return appeal && appeal.on >= denial.on ? meetByEvent(clock, appeal) : clock;
}

/** The servicer's 30 days to decide an appeal (1024.41(h)(4)); met by the decision recorded after it. */
function appealDecisionClock(app: Application, input: CaseClockInput, asOf: IsoDate): Clock | null {
  const appeal = app.appealAt >= 0 ? app.events[app.appealAt] : undefined;
  if (!appeal) return null;
  const spec: ClockSpec = {
    id: idFor("lossmit-appeal-decision", app),
    name: "Loss mitigation: decision on your appeal",
    rule: "12 C.F.R. 1024.41(h)(4)",
    days: 30,
    unit: "calendar",
    meets: ["response"],
  };
  const outside = outsideRegX("loss-mitigation", input.loan);
  if (outside) return buildClock(spec, "not-applicable", outside);
  if (hasAppealRight(app.timing) === false)
    return buildClock(spec, "not-applicable", `no appeal under 12 C.F.R. 1024.41(h)(1): ${describeTiming(app.timing)}`);
  const denial = decisionsOf(app).initial.find((e) => e.type === "denied");
  if (denial && appeal.on > addDays(denial.on, 14))
    return buildClock(
      spec,
      "not-applicable",
      `the appeal of ${appeal.on} came after the 14 days from the denial notice of ${denial.on} (12 C.F.R. 1024.41(h)(2))`,
    );
  const clock = runClock(spec, { what: "appeal received", on: appeal.on }, input.replies, asOf);
  return meetByEvent(clock, decisionsOf(app).afterAppeal[0]);
}

/** The acceptance deadline of one offer: the offer's own date, never before the rule's minimum. */
export interface OfferTerms {
  rule: string;
  /** The rule's minimum in days, when the record shows which one applies. */
  minimum: number | null;
  /** The date the offer names to answer by, if any. */
  acceptBy: IsoDate | null;
  /** The deadline loanmail shows: the later of the two, or null when neither is known. */
  due: IsoDate | null;
  /** The offer allows fewer days than the rule requires. */
  short: boolean;
}

/** The terms of an offer: its minimum from the application's timing (after an appeal, always 14 days). */
export function offerTerms(app: Application, offer: ClockEvent): OfferTerms {
  const afterAppeal = decisionsOf(app).afterAppeal.includes(offer);
  const rule = afterAppeal ? "12 C.F.R. 1024.41(h)(4)" : "12 C.F.R. 1024.41(e)(1)";
  let minimum: number | null = afterAppeal ? 14 : acceptanceMinimum(app.timing);
  // With no complete application recorded, an offer made 90 days or more before its sale came from an application
  // complete at least as early: 14 days for sure. Otherwise the minimum is not known.
  const sale = offer.data?.["sale-date"];
  if (minimum === null && sale && daysBetween(offer.on, sale) >= 90) minimum = 14;
  const acceptBy = offer.data?.["accept-by"] ?? null;
  const floor = minimum ? addDays(offer.on, minimum) : null;
  const short = acceptBy !== null && floor !== null && acceptBy < floor;
  return { rule, minimum, acceptBy, due: short ? floor : (acceptBy ?? floor), short };
}

const ACCEPT_NAME = "Accept or reject the loss mitigation offer";

/** The borrower's deadline to answer an offer; met by the recorded acceptance or rejection. */
function acceptDeadline(app: Application, offer: ClockEvent, k: number, input: CaseClockInput, asOf: IsoDate): Clock {
  const id = idFor("lossmit-accept", app, k);
  const terms = offerTerms(app, offer);
  const outside = outsideRegX("loss-mitigation", input.loan);
  if (outside) return borrowerNotApplicable(id, ACCEPT_NAME, terms.rule, outside);
  if (terms.due === null) {
    const why =
      terms.minimum === 0
        ? `no minimum: ${describeTiming(app.timing)}, 37 days or fewer (12 C.F.R. 1024.41(e)(1) sets none)`
        : `${describeTiming(app.timing)}, so the minimum of 12 C.F.R. 1024.41(e)(1) is not known`;
    return borrowerNotApplicable(
      id,
      ACCEPT_NAME,
      terms.rule,
      `${why}; the offer names no date: ask the servicer by when`,
    );
  }
  const notes: string[] = [];
  let flag: string | null = null;
  if (terms.short && terms.acceptBy) {
    flag = `the offer of ${offer.on} asks for an answer by ${terms.acceptBy}, fewer than the ${terms.minimum} days ${terms.rule} requires: the servicer may not require your answer before ${terms.due}`;
    notes.push(`${flag}; answer by ${terms.acceptBy} if you can, and dispute the shorter time in writing`);
  } else if (!terms.acceptBy)
    notes.push(`the offer names no date: at least ${terms.minimum} days from its date (${terms.rule})`);
  if (terms.minimum === null)
    notes.push(
      "loanmail cannot check the minimum of 12 C.F.R. 1024.41(e)(1) (14 days for a complete application 90 days or more before a sale, 7 between 90 and 38): record it with event CASE application-complete --date D [--sale-date S]",
    );
  const clock: Clock = {
    ...borrowerDeadline(
      id,
      ACCEPT_NAME,
      terms.rule,
      { what: "offer provided (its date)", on: offer.on },
      terms.due,
      asOf,
    ),
    note: notes.length > 0 ? notes.join("; ") : null,
    flag,
  };
  const at = app.events.indexOf(offer);
  const answer = app.events.slice(at + 1).find((e) => e.type === "accepted" || e.type === "rejected");
  return meetByEvent(clock, answer);
}

/** Every loss-mitigation clock and borrower deadline of a case on `asOf` (events after `asOf` already left out). */
export function lossMitigationClocks(input: CaseClockInput, asOf: IsoDate): Clock[] {
  const clocks: Clock[] = [];
  for (const app of applicationsOf(input.events)) {
    const decision = decisionClock(app, input, asOf);
    if (decision) clocks.push(decision);
    const { initial } = decisionsOf(app);
    initial
      .filter((e) => e.type === "denied")
      .forEach((denial, i) => {
        clocks.push(appealDeadline(app, denial, i + 1, input, asOf));
      });
    const appealDecision = appealDecisionClock(app, input, asOf);
    if (appealDecision) clocks.push(appealDecision);
    app.events
      .filter((e) => e.type === "offer")
      .forEach((offer, i) => {
        clocks.push(acceptDeadline(app, offer, i + 1, input, asOf));
      });
  }
  return clocks;
}
