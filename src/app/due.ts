/**
 * `due`: first the replies that need review (the classifier was not sure what they say, so they meet no clock
 * until the user classifies them), then every open clock, soonest first: those of open and unresolved cases,
 * each loan's window after a servicing transfer, and the expiry of each third-party authorization from 30 days
 * before it (the borrower's deadline to renew it; not one revoked or renewed). Then a counselor's open action-plan
 * items (src/app/client-plan.ts), late once their day has passed. Beside them, never among them: the protections (a transfer's 60 days, and the
 * foreclosure protections of src/domain/dual-tracking.ts) and the borrower's options (a lawsuit's limit), which
 * nobody owes by a date and which never turn late.
 */
import { addCalendarDays, authorizationState, EXPIRY_NOTICE_DAYS } from "../domain/authorization-state.js";
import type { IsoDate } from "../domain/calendar.js";
import {
  borrowerDeadline,
  type Clock,
  type LegalOption,
  loanTransferRules,
  type Protection,
  transfersOf,
} from "../domain/clocks.js";
import { delinquencyProtection } from "../domain/dual-tracking.js";
import { NEEDS_REVIEW } from "../domain/reply-classes.js";
import { meetsClocks, standingOf } from "../domain/reply-trust.js";
import { isoDateIn } from "../domain/time-zone.js";
import { type Authorization, listAuthorizations } from "../store/authorizations.js";
import { type CaseRecord, listCases } from "../store/cases.js";
import { replyHeldFacts } from "../store/clock-rows.js";
import type { Db } from "../store/db.js";
import type { Loan } from "../store/loans.js";
import { listServicers, requireServicer, type Servicer } from "../store/servicers.js";
import { readCaseClocks } from "./case-clocks.js";
import { type CaseRows, eachCaseWithRows, readCaseload } from "./case-rows.js";
import { type DuePlanItem, openPlanItems } from "./client-plan.js";
import { fenceId } from "./client-scope.js";
import { viewOfReply } from "./reply-checks.js";
import type { Session } from "./session.js";

export interface DueRow {
  /** The case tag; null for a loan's or an authorization's own deadline. */
  case: string | null;
  caseId: number | null;
  /** Whose deadline it is, and of which loan (a case's loan, or the loan itself). */
  client: string;
  loanId: number;
  /** The authorization whose expiry this is (the borrower's deadline to renew it); null for any other clock. */
  authorizationId: number | null;
  clock: Clock;
}

export interface DueRequest {
  asOf: IsoDate;
  /** Only clocks strictly due within this many days (late ones always). */
  within?: number;
}

/** A reply of an open case that needs review: it meets no clock until the user classifies it. */
export interface ReviewRow {
  client: string;
  case: string;
  caseId: number;
  message: number;
  /** The day it arrived, as the clocks count it. */
  receivedOn: IsoDate;
}

/** A reply that arrived for an open case but meets no clock until the user confirms who sent it. */
export interface HeldReply {
  client: string;
  case: string;
  caseId: number;
  message: number;
  from: string | null;
  subject: string | null;
  replyClass: string | null;
  /** The day it arrived, in the user's time zone. */
  arrivedOn: string;
  trust: "suspect" | "unverified";
  why: string[];
}

/** A protection in force (or one of an open case that does not apply, with why), of an open case or a loan. */
export interface DueProtection {
  /** The case tag; null for a loan's own (the 120-day bar, a transfer's 60 days). */
  case: string | null;
  caseId: number | null;
  client: string;
  loanId: number;
  protection: Protection;
}

/** An option the borrower still has in a case (its limit not passed). */
export interface DueOption {
  client: string;
  case: string;
  caseId: number;
  option: LegalOption;
}

/**
 * A letter mailed whose delivery is not recorded: its clocks start on delivery (12 C.F.R. 1024.35(d), 1024.36(c):
 * the servicer's receipt), so they have no due date yet and are not among the rows.
 */
export interface AwaitingDelivery {
  client: string;
  case: string;
  caseId: number;
  message: number;
  mailedOn: IsoDate;
  /** When certified mail usually arrives (MAIL_WINDOW in src/domain/letter-clocks.ts): an estimate, not a rule. */
  expectedFrom: IsoDate;
  expectedTo: IsoDate;
  /** The clocks that start on its delivery, by name. */
  clocks: string[];
}

export interface DueClocks {
  /** Replies to read and classify, oldest first. */
  needsReview: ReviewRow[];
  /** Open and late clocks, soonest strict due date first (then lenient). */
  rows: DueRow[];
  /** How many of them are the servicer's and late. */
  late: number;
  /** Replies held back from the clocks (suspect or unverified, not confirmed), oldest first. */
  held: HeldReply[];
  /**
   * Protections in force on the day (the loans' first, then the cases'), and those of an open case that do not
   * apply (with why); never late.
   */
  protections: DueProtection[];
  /** The borrower's options whose limit has not passed, soonest limit first. */
  options: DueOption[];
  /** Open items of the clients' action plans, soonest first (late ones always; others within --within). */
  plan: DuePlanItem[];
  /** Letters mailed with no delivery recorded, oldest mailing first. */
  awaitingDelivery: AwaitingDelivery[];
}

/** The letters of a case waiting for their delivery to be recorded, with the clocks each would start. */
function awaitingOf(
  of: { case: string; caseId: number; client: string },
  clocks: readonly Clock[],
): AwaitingDelivery[] {
  const byLetter = new Map<number, AwaitingDelivery>();
  for (const clock of clocks) {
    const w = clock.awaitsDelivery;
    if (!w) continue;
    const known = byLetter.get(w.messageId);
    if (known) known.clocks.push(clock.name);
    else {
      const { mailedOn, expectedFrom, expectedTo } = w;
      byLetter.set(w.messageId, {
        ...of,
        message: w.messageId,
        mailedOn,
        expectedFrom,
        expectedTo,
        clocks: [clock.name],
      });
    }
  }
  return [...byLetter.values()];
}

/**
 * The authorizations whose expiry is a deadline to renew on `asOf`: expiring within 30 days or expired, not
 * revoked, and not followed by a later one for the same loan and servicer that is still good.
 */
function expiringAuthorizations(all: readonly Authorization[], asOf: IsoDate): Authorization[] {
  const soon = addCalendarDays(asOf, EXPIRY_NOTICE_DAYS);
  return all.filter((a) => {
    if (!a.expiresOn || a.expiresOn > soon || a.revokedOn) return false;
    const renewed = all.some(
      (b) =>
        b.id > a.id &&
        b.loanId === a.loanId &&
        b.servicerId === a.servicerId &&
        (b.expiresOn === null || b.expiresOn > (a.expiresOn ?? "")) &&
        authorizationState(b, asOf) !== "revoked",
    );
    return !renewed;
  });
}

/** The loan's own 120-day bar, judged by its servicer of today (1024.41(f)(1), or (j) for a small servicer). */
function loanProtection(
  db: Db,
  loan: Loan,
  asOf: IsoDate,
  servicers: ReadonlyMap<number, Servicer>,
): Protection | null {
  const servicer = servicers.get(loan.servicerId) ?? requireServicer(db, loan.servicerId);
  return delinquencyProtection(
    {
      product: loan.product,
      principalResidence: loan.principalResidence,
      smallServicer: servicer.small,
      slaDays: servicer.slaDays,
      delinquentSince: loan.delinquentSince,
    },
    asOf,
  );
}

/** The replies of a case held back from its clocks, that arrived by `asOf`. */
function heldReplies(db: Db, rows: CaseRows, c: CaseRecord, timeZone: string, asOf: IsoDate): HeldReply[] {
  return rows.replies(c).flatMap((m) => {
    // Most replies meet their clocks: judge that first, and work out the arrival only of those held back.
    if (meetsClocks({ trust: standingOf(m) })) return [];
    const view = viewOfReply(db, m, rows.firstInternalDate(m.id));
    const status = view.standing?.status;
    if (!view.held || (status !== "suspect" && status !== "unverified")) return [];
    const arrivedOn =
      view.arrival.source === "typed" ? view.arrival.at : isoDateIn(new Date(view.arrival.at), timeZone);
    if (arrivedOn > asOf) return [];
    const { from, subject, trustWhy } = replyHeldFacts(db, m.id);
    return [
      {
        client: c.clientName,
        case: c.tag,
        caseId: c.id,
        message: m.id,
        from,
        subject,
        replyClass: m.replyClass,
        arrivedOn,
        trust: status,
        why: trustWhy,
      },
    ];
  });
}

export function listDueClocks(s: Session, req: DueRequest): DueClocks {
  const db = s.db();
  const { asOf, within } = req;
  const rows: DueRow[] = [];
  const needsReview: ReviewRow[] = [];
  const held: HeldReply[] = [];
  const awaitingDelivery: AwaitingDelivery[] = [];
  const options: DueOption[] = [];
  const protections: DueProtection[] = [];
  const caseProtections: DueProtection[] = [];
  const clientId = fenceId(s);
  // A draft case counts too: its letter has not left (its letter clocks have not started), but what happened to the
  // case (a complete application, a denial) starts deadlines and protections all the same.
  const live = (x: { status: string }) => x.status === "open" || x.status === "unresolved" || x.status === "draft";
  const cases = listCases(db, { clientId }).filter(live);
  const caseload = readCaseload(db);
  for (const [c, caseRows] of eachCaseWithRows(db, cases, caseload)) {
    const { facts, clocks, options: open, protections: own } = readCaseClocks(db, c, s.timeZone(), asOf, caseRows);
    const of = { case: c.tag, caseId: c.id, client: c.clientName };
    for (const clock of clocks) rows.push({ ...of, loanId: c.loanId, authorizationId: null, clock });
    awaitingDelivery.push(...awaitingOf(of, clocks));
    for (const option of open.filter((o) => o.status === "open")) options.push({ ...of, option });
    for (const p of own.filter((x) => x.status !== "ended"))
      caseProtections.push({ ...of, loanId: c.loanId, protection: p });
    for (const r of facts.replies.filter((x) => x.class === NEEDS_REVIEW && x.receivedOn <= asOf))
      needsReview.push({ ...of, message: r.messageId, receivedOn: r.receivedOn });
    held.push(...heldReplies(db, caseRows, c, s.timeZone(), asOf));
  }
  needsReview.sort((a, b) => a.receivedOn.localeCompare(b.receivedOn) || a.message - b.message);
  // Read once for every loan (a caseload has a few servicers and thousands of loans).
  const servicers = new Map(listServicers(db).map((x) => [x.id, x]));
  const { pastAccounts } = caseload;
  for (const loan of caseload.loans.filter((l) => clientId === undefined || l.clientId === clientId)) {
    const bar = loanProtection(db, loan, asOf, servicers);
    const of = { case: null, caseId: null, client: loan.clientName, loanId: loan.id };
    if (bar && bar.status !== "ended") protections.push({ ...of, protection: bar });
    const transfers = transfersOf(pastAccounts.get(loan.id) ?? [], loan.servicerName);
    const rules = loanTransferRules(loan.product, transfers, asOf);
    for (const clock of rules.deadlines) rows.push({ ...of, authorizationId: null, clock });
    for (const protection of rules.protections) protections.push({ ...of, protection });
  }
  // A counselor's authority ends with the form: its expiry is the borrower's deadline to renew it.
  for (const a of expiringAuthorizations(listAuthorizations(db, clientId), asOf)) {
    if (!a.expiresOn) continue;
    rows.push({
      case: null,
      caseId: null,
      client: a.clientName,
      loanId: a.loanId,
      authorizationId: a.id,
      clock: borrowerDeadline(
        `authorization-${a.id}`,
        `Renew the third-party authorization for ${a.authorized}`,
        `${a.servicerName}'s authorization form`,
        { what: "form signed", on: a.signedOn },
        a.expiresOn,
        asOf,
      ),
    });
  }
  const horizon =
    within === undefined
      ? undefined
      : new Date(Date.parse(`${asOf}T00:00:00Z`) + within * 86_400_000).toISOString().slice(0, 10);
  // A clock is due on its strict date (late only after its lenient one): the window and the order go by the strict
  // date, so that a clock strictly due within --within is never left out for a lenient date past it.
  const strictOf = (r: DueRow) => r.clock.dueStrict ?? r.clock.dueLenient ?? "";
  const open = rows
    .filter((r) => r.clock.status === "open" || r.clock.status === "late")
    .filter((r) => r.clock.status === "late" || horizon === undefined || strictOf(r) <= horizon)
    .sort(
      (a, b) =>
        strictOf(a).localeCompare(strictOf(b)) || (a.clock.dueLenient ?? "").localeCompare(b.clock.dueLenient ?? ""),
    );
  const late = open.filter((r) => r.clock.status === "late" && r.clock.party === "servicer");
  held.sort((a, b) => a.arrivedOn.localeCompare(b.arrivedOn) || a.message - b.message);
  options.sort((a, b) => a.option.until.localeCompare(b.option.until));
  protections.push(...caseProtections);
  const plan = openPlanItems(s, asOf, clientId).filter(
    (p) => p.status === "late" || horizon === undefined || p.by <= horizon,
  );
  awaitingDelivery.sort((a, b) => a.mailedOn.localeCompare(b.mailedOn) || a.message - b.message);
  return { needsReview, rows: open, late: late.length, held, protections, options, plan, awaitingDelivery };
}
