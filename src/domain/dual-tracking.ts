/**
 * Dual tracking (12 C.F.R. 1024.41(f), (g), (j)): what the servicer may not do in foreclosure while a borrower is
 * early in delinquency or a complete loss-mitigation application is pending. A protection is not a deadline: it
 * never turns late; it is in force until the day the record shows it ends, or while something not yet recorded
 * (a decision, an appeal's outcome, performing under an agreement) is still to come.
 *
 * "Pending" (README, "Clocks"): from the complete application until the servicer's decision; after a denial with
 * an appeal right, through the 14 days to appeal (41(h)(2)) and, once appealed, until the appeal is decided; after
 * an offer, until the borrower rejects it or its acceptance deadline passes unanswered (41(e)(2)(i)), or for as
 * long as the borrower performs under an accepted one (41(f)(2)(iii), (g)(3)); after a denial without an appeal
 * right, it ends with the notice (41(f)(2)(i), (g)(1)).
 */
import { addDays, type IsoDate } from "./calendar.js";
import type { CaseClockInput, ClockEvent, LoanFacts } from "./clock-types.js";
import {
  type Application,
  applicationsOf,
  decisionsOf,
  describeTiming,
  hasAppealRight,
  offerTerms,
} from "./loss-mitigation-clocks.js";
import type { Protection, ProtectionKind } from "./protections.js";
import { regXSectionOutside } from "./regx-scope.js";

export type { Protection, ProtectionKind } from "./protections.js";

/** A protection that does not apply, with why. */
function notApplicable(id: string, kind: ProtectionKind, name: string, rule: string, why: string): Protection {
  return {
    id,
    kind,
    name,
    rule,
    status: "not-applicable",
    startedBy: null,
    from: null,
    until: null,
    ends: "",
    note: why,
  };
}

/**
 * The 120-day bar (1024.41(f)(1); for a small servicer 1024.41(j)): no first notice or filing for foreclosure
 * until the loan is more than 120 days delinquent. Delinquency begins on the unpaid payment's due date D
 * (1024.31), so on D + 120 it is 120 days delinquent, and a first notice or filing may come from D + 121.
 */
export function delinquencyProtection(loan: LoanFacts, asOf: IsoDate): Protection | null {
  const since = loan.delinquentSince;
  if (!since || since > asOf) return null;
  const id = "pre-foreclosure-120";
  const name = "No first foreclosure notice or filing";
  const rule = loan.smallServicer ? "12 C.F.R. 1024.41(j)" : "12 C.F.R. 1024.41(f)(1)";
  // A small servicer is bound by 1024.41(j) even though the rest of 1024.41 does not reach it (1024.30(b)(1)).
  const outside = regXSectionOutside("1024.41", { ...loan, smallServicer: false });
  if (outside) return notApplicable(id, "first-filing-120", name, rule, outside);
  const until = addDays(since, 120);
  return {
    id,
    kind: "first-filing-120",
    name,
    rule,
    status: asOf <= until ? "in-force" : "ended",
    startedBy: { what: "the oldest unpaid payment was due", on: since },
    from: since,
    until,
    ends: `the loan is more than 120 days delinquent on ${addDays(since, 121)}: a first notice or filing may come from then`,
    note: "except a foreclosure for violating a due-on-sale clause, or joining another lienholder's foreclosure (12 C.F.R. 1024.41(f)(1)(ii), (iii))",
  };
}

interface Window {
  until: IsoDate | null;
  why: string;
}

/** A denial's window: the 14 days to appeal and, once appealed, until the appeal is decided. */
function denialWindow(app: Application, denial: ClockEvent, afterAppeal: readonly ClockEvent[]): Window {
  if (!hasAppealRight(app.timing))
    return { until: denial.on, why: `the denial notice of ${denial.on}, with no appeal (12 C.F.R. 1024.41(h)(1))` };
  const last = addDays(denial.on, 14);
  const appeal = app.appealAt >= 0 ? app.events[app.appealAt] : undefined;
  if (!appeal || appeal.on > last)
    return {
      until: last,
      why: `the 14 days to appeal the denial of ${denial.on} end ${last} (12 C.F.R. 1024.41(h)(2))`,
    };
  const decided = afterAppeal[0];
  if (!decided) return { until: null, why: `your appeal of ${appeal.on} is not decided yet (12 C.F.R. 1024.41(h)(4))` };
  if (decided.type === "denied") return { until: decided.on, why: `your appeal was denied on ${decided.on}` };
  return { until: decided.on, why: `your appeal was decided with an offer on ${decided.on}` };
}

/** An offer's window: open until the acceptance deadline, closed by a rejection, kept while an acceptance is performed. */
function offerWindow(app: Application, offer: ClockEvent): Window {
  const at = app.events.indexOf(offer);
  const answer = app.events.slice(at + 1).find((e) => e.type === "accepted" || e.type === "rejected");
  if (answer?.type === "accepted")
    return {
      until: null,
      why: `you accepted the offer of ${offer.on} on ${answer.on}: in force while you perform under the agreement (12 C.F.R. 1024.41(f)(2)(iii), (g)(3))`,
    };
  if (answer) return { until: answer.on, why: `you rejected the offer of ${offer.on} on ${answer.on}` };
  const { due } = offerTerms(app, offer);
  if (!due) return { until: null, why: `the offer of ${offer.on} names no date to answer by` };
  return {
    until: due,
    why: `the offer of ${offer.on} is open until ${due}; not answering by then may be taken as rejecting it (12 C.F.R. 1024.41(e)(2)(i))`,
  };
}

/** How long the application stays pending on this record: the latest window, or null while one has no end. */
function pendingEnd(app: Application): Window {
  const { initial, afterAppeal } = decisionsOf(app);
  const windows: Window[] = [];
  if (initial.length === 0) windows.push({ until: null, why: "the servicer has not decided on it yet" });
  for (const d of initial) if (d.type === "denied") windows.push(denialWindow(app, d, afterAppeal));
  for (const e of app.events) if (e.type === "offer") windows.push(offerWindow(app, e));
  const open = windows.filter((w) => w.until === null);
  if (open.length > 0) return { until: null, why: open.map((w) => w.why).join("; ") };
  const last = windows.reduce((a, b) => ((a.until ?? "") >= (b.until ?? "") ? a : b));
  return last;
}

/** The protections one complete application gives, on `asOf`. */
function applicationProtections(app: Application, loan: LoanFacts, asOf: IsoDate): Protection[] {
  const complete = app.complete;
  if (!complete) return [];
  const suffix = app.n > 1 ? `-a${app.n}` : "";
  const filing = { id: `first-filing-pending${suffix}`, kind: "first-filing-pending" as const };
  const sale = { id: `sale-pending${suffix}`, kind: "sale-pending" as const };
  const filingName = "No first foreclosure notice or filing while your application is pending";
  const saleName = "No motion for foreclosure judgment or order of sale, and no foreclosure sale";
  const outside = regXSectionOutside("1024.41", loan);
  if (outside) return [notApplicable(sale.id, sale.kind, saleName, "12 C.F.R. 1024.41(g)", outside)];
  const t = app.timing;
  if (t.kind === "before-sale" && t.days <= 37)
    return [
      notApplicable(
        sale.id,
        sale.kind,
        saleName,
        "12 C.F.R. 1024.41(g)",
        `${describeTiming(t)}: 1024.41(g) protects only an application complete more than 37 days before the sale`,
      ),
    ];
  const end = pendingEnd(app);
  const status = end.until === null || asOf <= end.until ? ("in-force" as const) : ("ended" as const);
  const startedBy = { what: "complete loss mitigation application", on: complete.on };
  const out: Protection[] = [];
  // A sale scheduled when the application was complete means the first notice or filing was already made.
  if (t.kind === "no-sale")
    out.push({
      ...filing,
      name: filingName,
      rule: "12 C.F.R. 1024.41(f)(2)",
      status,
      startedBy,
      from: complete.on,
      until: end.until,
      ends: end.why,
      note: "if no first notice or filing had been made when your application was complete",
    });
  out.push({
    ...sale,
    name: saleName,
    rule: "12 C.F.R. 1024.41(g)",
    status,
    startedBy,
    from: complete.on,
    until: end.until,
    ends: end.why,
    note: t.kind === "no-sale" ? "once the first notice or filing has been made" : describeTiming(t),
  });
  return out;
}

/** The protections the case's loss-mitigation events give on `asOf` (events after `asOf` do not count). */
export function caseProtections(input: CaseClockInput, asOf: IsoDate): Protection[] {
  const events = input.events.filter((e) => e.on <= asOf);
  return applicationsOf(events).flatMap((app) => applicationProtections(app, input.loan, asOf));
}
