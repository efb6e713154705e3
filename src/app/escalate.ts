import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { IsoDate } from "../domain/calendar.js";
import {
  type ChainCase,
  type EscalationInput,
  type EscalationPlan,
  type LadderStep,
  planEscalation,
} from "../domain/escalation.js";
import { OUTCOMES, outcomeOf } from "../domain/outcomes.js";
import { NEEDS_REVIEW } from "../domain/reply-classes.js";
import { meetsClocks } from "../domain/reply-trust.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { buildStoredLetterPdf } from "../export/stored-letter-pdf.js";
import { type CaseRecord, requireCase, setCaseOutcome, setCaseStatus } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent, appendEvent } from "../store/events.js";
import { listChildCases, setCaseParentAndStep, setCaseStep } from "../store/ladder.js";
import { requireLoan } from "../store/loans.js";
import { findMessage, listCaseMessages } from "../store/messages.js";
import { requireServicer } from "../store/servicers.js";
import { protectionsOfCase, readCaseClocks } from "./case-clocks.js";
import { requireCaseFor, type Scope, scopeOf } from "./client-scope.js";
import { writeComplaintPacket } from "./complaint-packet.js";
import { type ComposeResult, composeLetter } from "./compose.js";
import { counselorHome } from "./counselor-home.js";
import { readLetterDates } from "./letter-history.js";
import { languageOfLetter } from "./letter-language.js";
import { recordPrinting } from "./letter-pdf.js";
import { acquireLock } from "./lock.js";
import { asUserError, ownerOnlyDir, writeOwnerFile } from "./owner-files.js";
import type { Session } from "./session.js";

export interface EscalateDeps {
  db: Db;
  config: Config;
  prefix: string;
  now: Date;
  /** The loanmail home folder: letters/ and complaints/ are written inside it. */
  homeDir: string;
  /** The day the clocks are judged on (today in the user's time zone, or --as-of). */
  asOf: IsoDate;
  /** The command's client fence (client-scope.ts); none when absent. */
  scope?: Scope;
}

export interface WrittenFile {
  name: string;
  sha256: string;
  size: number;
}

export interface EscalateOptions {
  /** The rung the user picked on purpose (`escalate --to RUNG`); otherwise the planner proposes one. */
  to?: LadderStep | undefined;
  /**
   * Asked with the proposal before anything is written; false leaves the record as it was (the proposal only).
   * Without it, escalate acts on the proposal (the caller already has the user's yes).
   */
  decide?: ((plan: EscalationPlan & { ok: true }) => Promise<boolean>) | undefined;
}

export interface EscalateOutcome {
  /** False when the proposal was only shown: nothing was written. */
  acted: boolean;
  parent: CaseRecord;
  plan: EscalationPlan & { ok: true };
  child: { caseRecord: CaseRecord; compose: ComposeResult } | null;
  pdf: string | null;
  packet: { dir: string; files: WrittenFile[] } | null;
  /** What the user does next, one instruction a line. */
  next: string[];
}

/** The case and its ancestors, root first (a cycle in parent links, which nothing writes, stops the walk). */
export function readCaseChain(db: Db, c: CaseRecord, prefix: string): CaseRecord[] {
  const chain = [c];
  const seen = new Set([c.id]);
  let parent = c.parentId;
  while (parent !== null && !seen.has(parent)) {
    const p = requireCase(db, String(parent), prefix);
    chain.unshift(p);
    seen.add(p.id);
    parent = p.parentId;
  }
  return chain;
}

function readChainCase(db: Db, c: CaseRecord, timeZone: string, asOf: IsoDate): ChainCase {
  const cc = readCaseClocks(db, c, timeZone, asOf);
  const { facts, clocks } = cc;
  // An escalation says what each reply was; a reply the classifier was not sure of must be read first.
  const unread = facts.replies.find((r) => r.class === NEEDS_REVIEW);
  if (unread)
    throw new UserError(`message ${unread.messageId} in ${c.tag} needs review: what it says decides what to escalate`, {
      code: "REPLY_NEEDS_REVIEW",
      hint: `read it (loanmail show-message ${unread.messageId}) and classify it (loanmail classify ${unread.messageId} CLASS)`,
    });
  const messages = new Map(listCaseMessages(db, c.id).map((m) => [m.id, m]));
  // A letter is cited by the day it was written (`compose --dated`), and by the day it left when that was another.
  const written = new Map(readLetterDates(db, c.id, timeZone).map((l) => [l.message.id, l.writtenOn]));
  return {
    case: { id: c.id, tag: c.tag, kind: c.kind, formal: c.formal, step: c.step, status: c.status },
    letters: facts.letters.map((l) => ({
      message: l.messageId,
      caseTag: c.tag,
      kind: l.kind,
      date: l.leftOn,
      writtenOn: written.get(l.messageId) ?? null,
      deliveredOn: l.deliveredOn,
      channel: l.channel,
      designated: l.designation.designated,
      subject: messages.get(l.messageId)?.subject ?? null,
      messageId: messages.get(l.messageId)?.messageId ?? null,
      fields: l.fields,
      summary: messages.get(l.messageId)?.letterInput?.summary ?? null,
    })),
    // A reply held back as suspect or unverified is no answer until the user confirms it.
    replies: facts.replies.filter(meetsClocks).map((r) => ({
      message: r.messageId,
      caseTag: c.tag,
      date: r.receivedOn,
      channel: messages.get(r.messageId)?.channel ?? "email",
      subject: messages.get(r.messageId)?.subject ?? null,
      messageId: messages.get(r.messageId)?.messageId ?? null,
      class: r.class === NEEDS_REVIEW ? "other" : r.class,
    })),
    clocks,
    protections: protectionsOfCase(cc, asOf),
  };
}

/** Everything planEscalation needs about a case: its chain with letters, replies and clocks on `asOf`. */
export function readEscalationInput(
  db: Db,
  c: CaseRecord,
  prefix: string,
  timeZone: string,
  asOf: IsoDate,
): EscalationInput {
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  return {
    chain: readCaseChain(db, c, prefix).map((x) => readChainCase(db, x, timeZone, asOf)),
    children: listChildCases(db, c.id),
    loan: {
      borrowers: loan.borrowers,
      accountNumber: loan.accountNumber,
      propertyAddress: loan.propertyAddress,
      servicerName: servicer.name,
      product: loan.product,
    },
    asOf,
    // The language of the loan's letters (loan set --lang, the client's intake): the escalation letter's too.
    lang: languageOfLetter(db, loan, undefined).lang,
    // Its letter is composed on the borrowers' behalf in a counselor's home (no escalation letter is one every
    // borrower signs, which needs no authorization): the summary speaks in the voice of the letter it goes into.
    voice: counselorHome(db) ? "counselor" : "borrower",
  };
}

/** The proposal for a case, from its record on `asOf` (reads only); a refusal is a UserError saying why. */
export function proposeEscalation(
  deps: EscalateDeps,
  ref: string,
  to?: LadderStep,
): { parent: CaseRecord; input: EscalationInput; plan: EscalationPlan & { ok: true } } {
  const { db, config, prefix } = deps;
  const parent = requireCaseFor(scopeOf(deps), ref);
  const input = { ...readEscalationInput(db, parent, prefix, config.user.timezone, deps.asOf), to };
  const plan = planEscalation(input);
  if (!plan.ok) throw new UserError(plan.reason, { code: plan.code, hint: plan.hint });
  return { parent, input, plan };
}

/**
 * Escalate a case one rung up the ladder: propose the rung from the record (or check the one picked with
 * `to`), ask `decide` if given, then draft the letter or write the packet. Refuses (UserError, nothing written)
 * when the record does not warrant it, and says why, and to act on a day after today (DATE_IN_FUTURE). The question is asked outside the lock; the record is read
 * again under it, and a proposal that changed meanwhile is refused rather than carried out.
 */
export async function escalateCase(
  deps: EscalateDeps,
  ref: string,
  opts: EscalateOptions = {},
): Promise<EscalateOutcome> {
  const proposed = proposeEscalation(deps, ref, opts.to);
  if (opts.decide && !(await opts.decide(proposed.plan))) {
    const { parent, plan } = proposed;
    return { acted: false, parent, plan, child: null, pdf: null, packet: null, next: [] };
  }
  // A day to come is only looked at: acting on it would record what has not happened (a response "had not
  // arrived" on that day, an escalated event, a letter or complaint). The CLI refuses it before it asks.
  const today = isoDateIn(deps.now, deps.config.user.timezone);
  if (deps.asOf > today)
    throw new UserError(`the escalation would be judged on ${deps.asOf}, after today (${today})`, {
      code: "DATE_IN_FUTURE",
      hint: `look at the proposal only; escalate on or after ${deps.asOf} if the record still calls for it`,
    });
  const release = acquireLock(deps.homeDir, "escalate");
  try {
    const now = proposeEscalation(deps, ref, opts.to);
    if (now.plan.step !== proposed.plan.step) {
      throw new UserError(
        `the record of ${now.parent.tag} changed while you were asked: it now calls for ${now.plan.step}, not ${proposed.plan.step}`,
        { code: "ESCALATION_CHANGED", hint: `look again: loanmail escalate ${now.parent.id}` },
      );
    }
    return now.plan.letter === null
      ? await escalateWithoutLetter(deps, now.parent, now.input, now.plan)
      : await escalateWithLetter(deps, now.parent, now.plan, now.plan.letter);
  } finally {
    release();
  }
}

/** The `escalated` event's record of the plan: the step, why, which clocks were missed, what was cited. */
function escalatedData(plan: EscalationPlan & { ok: true }, asOf: string | undefined) {
  return {
    from: plan.from,
    step: plan.step,
    chosen: plan.chosen,
    as_of: asOf,
    trigger: plan.trigger.kind,
    triggers: plan.triggers.map((t) => ({ kind: t.kind, text: t.text })),
    missed: plan.missed.map((m) => ({
      case: m.case,
      clock: m.clock,
      rule: m.rule,
      due: m.due,
      status: m.status,
      business_days_late: m.businessDaysLate,
      arrived_on: m.arrivedOn,
    })),
    cites: plan.cites.map((x) => ({
      type: x.type,
      case: x.case,
      message: x.message,
      date: x.date,
      message_id: x.messageId,
    })),
    ...(plan.protections.length > 0
      ? { protections: plan.protections.map((p) => ({ id: p.id, rule: p.rule, until: p.until })) }
      : {}),
  };
}

/** The regulator and legal steps: no letter; the regulator step writes the CFPB complaint packet. */
async function escalateWithoutLetter(
  deps: EscalateDeps,
  parent: CaseRecord,
  input: EscalationInput,
  plan: EscalationPlan & { ok: true },
): Promise<EscalateOutcome> {
  const { db, prefix } = deps;
  const packet =
    plan.step === "regulator"
      ? await writeComplaintPacket(deps, parent, readCaseChain(db, parent, prefix), input, plan)
      : null;
  inTransaction(db, () => {
    setCaseStep(db, parent.id, plan.step);
    appendEvent(db, {
      caseId: parent.id,
      loanId: parent.loanId,
      at: deps.now.toISOString(),
      type: "escalated",
      actor: "user",
      data: {
        ...escalatedData(plan, deps.asOf),
        child: null,
        packet: packet ? { dir: packet.dir, files: packet.files } : null,
      },
    });
  });
  const next =
    plan.step === "regulator"
      ? [
          "File the complaint at https://www.consumerfinance.gov/complaint/ (Mortgage): paste the two sections of narrative.txt and upload the files listed in exhibits.txt.",
          // A counselor files it for the borrowers: as a complaint on someone else's behalf, with their consent.
          ...(packet?.filing ? [packet.filing] : []),
          `Then record it: loanmail filed ${parent.id} --cfpb-id ID --date YYYY-MM-DD (the CFPB's clocks start then).`,
          "You may also send the packet to your state's mortgage regulator.",
        ]
      : [
          `Build the evidence bundle for an attorney or legal aid office: loanmail export ${parent.id} --out ${parent.tag}.zip`,
        ];
  return {
    acted: true,
    parent: requireCase(db, String(parent.id), prefix),
    plan,
    child: null,
    pdf: null,
    packet: packet ? { dir: packet.dir, files: packet.files } : null,
    next,
  };
}

/** The letter steps: the next letter drafted as a child case through compose, citing the history. */
async function escalateWithLetter(
  deps: EscalateDeps,
  parent: CaseRecord,
  plan: EscalationPlan & { ok: true },
  letter: NonNullable<EscalationPlan["letter"]>,
): Promise<EscalateOutcome> {
  const { db, config, prefix, now } = deps;
  // `escalate --as-of D` for a day past records the escalation as it stood on D: its letter is written on D.
  const dated = deps.asOf < isoDateIn(now, config.user.timezone) ? deps.asOf : undefined;
  const compose = await composeLetter(
    { db, config, prefix, now },
    {
      kind: letter.kind,
      loan: String(parent.loanId),
      set: Object.entries(letter.fields).map(([k, v]) => `${k}=${v}`),
      summary: plan.summary,
      attach: [],
      formal: letter.formal ? true : undefined,
      cc: [],
      allowSensitive: false,
      dated,
      // Its account of the record (letters, replies, missed clocks) was written in this language by the plan.
      lang: plan.lang,
    },
  );
  const childId = compose.caseRecord.id;
  inTransaction(db, () => {
    setCaseParentAndStep(db, childId, parent.id, plan.step);
    appendEvent(db, {
      caseId: parent.id,
      loanId: parent.loanId,
      at: now.toISOString(),
      type: "escalated",
      actor: "user",
      data: {
        ...escalatedData(plan, deps.asOf),
        child: compose.caseRecord.tag,
        child_id: childId,
        child_message: compose.messageRowId,
        kind: letter.kind,
        formal: compose.decision.formal,
        channel: compose.decision.channel,
      },
    });
  });
  const child = requireCase(db, String(childId), prefix);
  const pdf = compose.decision.channel === "post" ? await writeEscalationPdf(deps, parent, child, compose) : null;
  const next = pdf
    ? [
        `Print ${pdf}, sign it and send it by certified mail (return receipt) to the designated address it shows.`,
        `Then record it: loanmail mailed ${childId} --tracking NUMBER, and later --delivered YYYY-MM-DD from the tracking.`,
      ]
    : [
        `Review it: loanmail show ${childId} (change the wording with loanmail edit ${childId}).`,
        `Send it: loanmail send ${childId}.`,
      ];
  return {
    acted: true,
    parent: requireCase(db, String(parent.id), prefix),
    plan,
    child: { caseRecord: child, compose },
    pdf,
    packet: null,
    next,
  };
}

/** A letter for the post, written as `<home>/letters/<tag>.pdf` ready to print; returns its path. */
async function writeEscalationPdf(
  deps: EscalateDeps,
  parent: CaseRecord,
  child: CaseRecord,
  compose: ComposeResult,
): Promise<string> {
  const { db, config } = deps;
  const m = findMessage(db, compose.messageRowId);
  if (!m) throw new Error(`escalate: the drafted letter ${compose.messageRowId} is not stored`);
  const loan = requireLoan(db, String(parent.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  const pdf = join(deps.homeDir, "letters", `${child.tag}.pdf`);
  try {
    const bytes = await buildStoredLetterPdf(config.user, m, [], servicer.name, servicer.noticeAddress);
    ownerOnlyDir(join(deps.homeDir, "letters"));
    writeOwnerFile(pdf, bytes);
    // loanmail printed it: the copy is kept, and the mailing will name it (as after `show --pdf`).
    inTransaction(db, () => recordPrinting(db, child, m, bytes, deps.now.toISOString()));
  } catch (err) {
    asUserError(err, pdf, {
      code: "LETTER_PDF_NOT_WRITABLE",
      hint: `the draft is saved: print it later with loanmail show ${child.id} --pdf FILE`,
    });
  }
  return pdf;
}

export interface ResolveOutcome {
  caseRecord: CaseRecord;
  previousStatus: string;
  eventId: number;
}

/**
 * `resolve CASE` closes a case as resolved; `--unresolved` marks the servicer's answer as not resolving it (a
 * trigger to escalate). Refuses a discarded case, a case whose letter never left, and a repeat of either.
 */
export function resolveCase(
  db: Db,
  c: CaseRecord,
  unresolved: boolean,
  now: Date,
  prefix: string,
  outcome?: string,
): ResolveOutcome {
  if (outcome !== undefined && !outcomeOf(outcome))
    throw new UserError(`"${outcome}" is not an outcome loanmail records`, {
      code: "UNKNOWN_OUTCOME",
      hint: `one of HUD-9902's categories: ${OUTCOMES.map((o) => o.id).join(", ")}`,
    });
  if (c.status === "discarded") {
    throw new UserError(`case ${c.tag} was discarded`, {
      code: "CASE_DISCARDED",
      hint: "a discarded case has nothing to resolve",
    });
  }
  if (c.status === "draft") {
    throw new UserError(`case ${c.tag} has no letter that left yet`, {
      code: "NO_LETTER_LEFT",
      hint: `send it first, or if it is not needed: loanmail discard ${c.id}`,
    });
  }
  if (!unresolved && c.status === "resolved") {
    throw new UserError(`case ${c.tag} is already resolved (${c.closedAt?.slice(0, 10) ?? ""})`.replace(" ()", ""), {
      code: "CASE_ALREADY_RESOLVED",
      hint: `if it is not resolved after all: loanmail resolve ${c.id} --unresolved`,
    });
  }
  if (unresolved && c.status === "unresolved") {
    throw new UserError(`case ${c.tag} is already marked unresolved`, {
      code: "CASE_ALREADY_UNRESOLVED",
      hint: `escalate it: loanmail escalate ${c.id}`,
    });
  }
  const status = unresolved ? "unresolved" : "resolved";
  const nowIso = now.toISOString();
  const lastReply = listCaseMessages(db, c.id)
    .filter((m) => m.direction === "in")
    .at(-1);
  const ev = inTransaction(db, () => {
    setCaseStatus(db, c.id, status, nowIso);
    const last_reply = lastReply ? { message: lastReply.id, class: lastReply.replyClass ?? "other" } : null;
    if (status === "unresolved")
      return appendCaseEvent(db, c, {
        at: nowIso,
        type: status,
        actor: "user",
        data: { previous_status: c.status, last_reply },
      });
    if (outcome !== undefined) setCaseOutcome(db, c.id, outcome);
    return appendCaseEvent(db, c, {
      at: nowIso,
      type: status,
      actor: "user",
      data: { previous_status: c.status, last_reply, ...(outcome !== undefined ? { outcome } : {}) },
    });
  });
  return { caseRecord: requireCase(db, String(c.id), prefix), previousStatus: c.status, eventId: ev.id };
}

/** `resolve CASE [--unresolved]` for a command: the case by number or tag, then resolveCase. */
export function resolveCaseByRef(s: Session, ref: string, unresolved: boolean, outcome?: string): ResolveOutcome {
  const db = s.db();
  return resolveCase(db, requireCaseFor(s, ref), unresolved, s.now, s.prefix(), outcome);
}
