/**
 * Escalation, applied: read the case and its ancestors (letters, replies, clocks), let the pure planner decide
 * (src/domain/escalation.ts), then do the I/O. A letter step (follow-up, escalation request, formal notice)
 * is drafted as a child case through composeLetter and linked to its parent; a formal letter for the post is
 * written as a PDF beside the home. The regulator step writes a CFPB complaint packet folder; the legal step
 * points to the evidence bundle. Each records an `escalated` event on the escalated case.
 */
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Config } from "../config/config.js";
import type { IsoDate } from "../domain/calendar.js";
import {
  buildCfpbComplaint,
  CFPB_TEXT_LIMIT,
  type ChainCase,
  type EscalationInput,
  type EscalationPlan,
  planEscalation,
} from "../domain/escalation.js";
import { cleanLabel } from "../domain/exhibits.js";
import { isErrno, UserError } from "../errors.js";
import { buildStoredLetterPdf } from "../export/stored-letter-pdf.js";
import { type CaseRecord, requireCase, setCaseStatus } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent, appendEvent } from "../store/events.js";
import { listChildCases, setCaseParentAndStep, setCaseStep } from "../store/ladder.js";
import { requireLoan } from "../store/loans.js";
import { findMessage, getBlob, listAttachments, listCaseMessages, sha256Hex } from "../store/messages.js";
import { requireServicer } from "../store/servicers.js";
import { readCaseClocks } from "./case-clocks.js";
import { type ComposeResult, composeLetter } from "./compose.js";
import { acquireLock } from "./lock.js";
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
}

export interface WrittenFile {
  name: string;
  sha256: string;
  size: number;
}

export interface EscalateOutcome {
  parent: CaseRecord;
  plan: EscalationPlan;
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
  const { facts, clocks } = readCaseClocks(db, c, timeZone, asOf);
  const messages = new Map(listCaseMessages(db, c.id).map((m) => [m.id, m]));
  return {
    case: { id: c.id, tag: c.tag, kind: c.kind, formal: c.formal, step: c.step, status: c.status },
    letters: facts.letters.map((l) => ({
      message: l.messageId,
      caseTag: c.tag,
      kind: l.kind,
      date: l.leftOn,
      deliveredOn: l.deliveredOn,
      channel: l.channel,
      subject: messages.get(l.messageId)?.subject ?? null,
      messageId: messages.get(l.messageId)?.messageId ?? null,
      fields: l.fields,
    })),
    replies: facts.replies.map((r) => ({
      message: r.messageId,
      caseTag: c.tag,
      date: r.receivedOn,
      channel: messages.get(r.messageId)?.channel ?? "email",
      subject: messages.get(r.messageId)?.subject ?? null,
      messageId: messages.get(r.messageId)?.messageId ?? null,
      class: r.class,
    })),
    clocks,
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
    },
    asOf,
  };
}

function ownerOnlyDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  chmodSync(path, 0o700);
}

function writeOwnerFile(path: string, data: string | Uint8Array): void {
  writeFileSync(path, data, { mode: 0o600 });
  chmodSync(path, 0o600);
}

/** File-system trouble while writing a PDF or a packet is the user's to fix (a full disk, a read-only home). */
function asUserError(err: unknown, what: string, hint: string): never {
  if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "ENOSPC", "EISDIR", "ENOTDIR", "EEXIST")) {
    throw new UserError(`cannot write ${what} (${(err as NodeJS.ErrnoException).code})`, hint);
  }
  throw err;
}

/** A name unique in `used`: "name.pdf", then "name (2).pdf". */
function uniqueName(name: string, used: Set<string>): string {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/**
 * The CFPB complaint packet: `<home>/complaints/<tag>-cfpb/` (0700) with narrative.txt (the two text boxes of the
 * complaint form), desired-resolution.txt, exhibits.txt (every message and exhibit with SHA-256), the exhibits
 * themselves from the blobs table, each letter as a PDF and each email reply's text.
 */
async function writeComplaintPacket(
  deps: EscalateDeps,
  c: CaseRecord,
  input: EscalationInput,
  plan: EscalationPlan,
): Promise<{ dir: string; files: WrittenFile[] }> {
  const { db, config } = deps;
  const complaint = buildCfpbComplaint(input, plan);
  const dir = join(deps.homeDir, "complaints", `${c.tag}-cfpb`);
  const files: WrittenFile[] = [];
  const used = new Set(["narrative.txt", "desired-resolution.txt", "exhibits.txt"]);
  const put = (name: string, data: string | Uint8Array) => {
    writeOwnerFile(join(dir, name), data);
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    files.push({ name, sha256: sha256Hex(bytes), size: bytes.length });
  };
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);

  const messageLines: string[] = [];
  let messageCount = 0;
  const exhibitLines: string[] = [];
  const chain = readCaseChain(db, c, deps.prefix);
  const cited = new Map(plan.cites.map((x) => [x.message, x]));
  const payload: { name: string; data: Uint8Array }[] = [];
  for (const link of chain) {
    for (const m of listCaseMessages(db, link.id)) {
      const cite = cited.get(m.id);
      if (!cite) continue; // drafts never left: they are not part of the record the servicer saw
      const attachments = listAttachments(db, m.id);
      let copy: string;
      if (m.direction === "out") {
        copy = uniqueName(`${cleanLabel(`${link.tag} letter ${cite.date} (message ${m.id})`)}.pdf`, used);
        payload.push({
          name: copy,
          data: await buildStoredLetterPdf(config.user, m, attachments, servicer.name, servicer.noticeAddress),
        });
      } else {
        copy = uniqueName(`${cleanLabel(`${link.tag} reply ${cite.date} (message ${m.id})`)}.txt`, used);
        payload.push({
          name: copy,
          data: Buffer.from(
            [
              `From: ${m.from ?? "(unknown)"}`,
              `Date: ${cite.date}`,
              `Subject: ${m.subject ?? ""}`,
              `Message-ID: ${m.messageId ?? "(none)"}`,
              `Class: ${m.replyClass ?? "other"}`,
              "",
              m.bodyText ?? "",
            ].join("\n"),
          ),
        });
      }
      messageLines.push(
        `${String(++messageCount).padStart(2)}. ${cite.date}  ${m.direction === "out" ? "letter out" : `reply in (${m.replyClass ?? "other"})`}  ${link.tag}  ${m.channel}`,
        `    Subject: ${m.subject ?? ""}`,
        `    Message-ID: ${m.messageId ?? "(none)"}`,
        `    SHA-256 of the stored message: ${m.rawSha256} (${m.size} bytes)`,
        `    In this folder: ${copy}${m.direction === "out" ? " (the letter printed as PDF)" : " (its text)"}`,
      );
      for (const a of attachments) {
        const data = getBlob(db, a.sha256);
        if (!data) continue;
        const name = uniqueName(cleanLabel(`${link.tag} ${a.fileName}`), used);
        payload.push({ name, data });
        exhibitLines.push(
          `- ${name}`,
          `    ${a.contentType}, ${a.size} bytes, SHA-256 ${a.sha256}`,
          `    ${m.direction === "out" ? "enclosed with" : "received with"} message ${m.id} of ${cite.date}`,
        );
      }
    }
  }
  const made = deps.now.toISOString();
  const narrative = [
    `CFPB complaint packet for ${c.tag} (${servicer.name}, account ${loan.accountNumber}), prepared by loanmail on ${made}.`,
    "Paste each section into the matching box of the complaint form at https://www.consumerfinance.gov/complaint/",
    `(each is under ${CFPB_TEXT_LIMIT.toLocaleString("en-US")} characters) and upload the files of this folder listed in exhibits.txt.`,
    "",
    `== What happened (${complaint.whatHappened.length} characters) ==`,
    "",
    complaint.whatHappened,
    "",
    `== What do you want the company to do to resolve the issue? (${complaint.desiredResolution.length} characters) ==`,
    "",
    complaint.desiredResolution,
    "",
    "== Full chronology ==",
    "",
    ...complaint.chronology.map((e, i) => `${i + 1}. ${e}`),
    "",
  ].join("\n");
  const exhibits = [
    `Exhibits and messages of ${c.tag} and the cases it continues: ${chain.map((x) => x.tag).join(", ")}`,
    "SHA-256 hashes are of the exact bytes loanmail stores; `loanmail export` bundles the originals.",
    "",
    "Messages, in order:",
    ...(messageLines.length ? messageLines : ["  (none)"]),
    "",
    "Exhibits (copies in this folder):",
    ...(exhibitLines.length ? exhibitLines : ["  (none)"]),
    "",
  ].join("\n");
  try {
    ownerOnlyDir(join(deps.homeDir, "complaints"));
    ownerOnlyDir(dir);
    put("narrative.txt", narrative);
    put("desired-resolution.txt", `${complaint.desiredResolution}\n`);
    put("exhibits.txt", exhibits);
    for (const p of payload) put(p.name, p.data);
  } catch (err) {
    asUserError(
      err,
      `the complaint packet in ${dir}`,
      "free some space or make the loanmail home writable, then run escalate again",
    );
  }
  return { dir, files };
}

/**
 * Escalate a case one step up the ladder. Refuses (UserError, nothing written) when the planner finds no
 * trigger, and says why.
 */
export async function escalateCase(deps: EscalateDeps, ref: string): Promise<EscalateOutcome> {
  const release = acquireLock(deps.homeDir, "escalate");
  try {
    return await escalateLocked(deps, ref);
  } finally {
    release();
  }
}

async function escalateLocked(deps: EscalateDeps, ref: string): Promise<EscalateOutcome> {
  const { db, config, prefix, now } = deps;
  const parent = requireCase(db, ref, prefix);
  const timeZone = config.user.timezone;
  const input = readEscalationInput(db, parent, prefix, timeZone, deps.asOf);
  const plan = planEscalation(input);
  if (!plan.ok) throw new UserError(plan.reason, plan.hint);
  const nowIso = now.toISOString();
  const eventData = (extra: Record<string, unknown>) => ({
    from: plan.from,
    step: plan.step,
    as_of: deps.asOf,
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
    ...extra,
  });

  if (plan.letter === null) {
    const packet = plan.step === "regulator" ? await writeComplaintPacket(deps, parent, input, plan) : null;
    inTransaction(db, () => {
      setCaseStep(db, parent.id, plan.step);
      appendEvent(db, {
        caseId: parent.id,
        loanId: parent.loanId,
        at: nowIso,
        type: "escalated",
        actor: "user",
        data: eventData({ child: null, packet: packet ? { dir: packet.dir, files: packet.files } : null }),
      });
    });
    const next =
      plan.step === "regulator"
        ? [
            "File the complaint at https://www.consumerfinance.gov/complaint/ (Mortgage): paste the two sections of narrative.txt and upload the files listed in exhibits.txt.",
            `Then record it: loanmail filed ${parent.id} --cfpb-id ID --date YYYY-MM-DD (the CFPB's clocks start then).`,
            "You may also send the packet to your state's mortgage regulator.",
          ]
        : [
            `Build the evidence bundle for an attorney or legal aid office: loanmail export ${parent.id} --out ${parent.tag}.zip`,
          ];
    return { parent: requireCase(db, String(parent.id), prefix), plan, child: null, pdf: null, packet, next };
  }

  const letter = plan.letter;
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
      exempt: plan.cites.map((x) => x.messageId).filter((x): x is string => x !== null),
    },
  );
  const childId = compose.caseRecord.id;
  inTransaction(db, () => {
    setCaseParentAndStep(db, childId, parent.id, plan.step);
    appendEvent(db, {
      caseId: parent.id,
      loanId: parent.loanId,
      at: nowIso,
      type: "escalated",
      actor: "user",
      data: eventData({
        child: compose.caseRecord.tag,
        child_id: childId,
        child_message: compose.messageRowId,
        kind: letter.kind,
        formal: compose.decision.formal,
        channel: compose.decision.channel,
      }),
    });
  });
  const child = requireCase(db, String(childId), prefix);

  let pdf: string | null = null;
  const next: string[] = [];
  if (compose.decision.channel === "post") {
    const m = findMessage(db, compose.messageRowId);
    if (!m) throw new Error(`escalate: the drafted letter ${compose.messageRowId} is not stored`);
    const loan = requireLoan(db, String(parent.loanId));
    const servicer = requireServicer(db, loan.servicerId);
    pdf = join(deps.homeDir, "letters", `${child.tag}.pdf`);
    try {
      const bytes = await buildStoredLetterPdf(config.user, m, [], servicer.name, servicer.noticeAddress);
      ownerOnlyDir(join(deps.homeDir, "letters"));
      writeOwnerFile(pdf, bytes);
    } catch (err) {
      asUserError(err, pdf, `the draft is saved: print it later with loanmail show ${childId} --pdf FILE`);
    }
    next.push(
      `Print ${pdf}, sign it and send it by certified mail (return receipt) to the designated address it shows.`,
      `Then record it: loanmail mailed ${childId} --tracking NUMBER, and later --delivered YYYY-MM-DD from the tracking.`,
    );
  } else {
    next.push(`Review it: loanmail show ${childId} (change the wording with loanmail edit ${childId}).`);
    next.push(`Send it: loanmail send ${childId}.`);
  }
  return {
    parent: requireCase(db, String(parent.id), prefix),
    plan,
    child: { caseRecord: child, compose },
    pdf,
    packet: null,
    next,
  };
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
export function resolveCase(db: Db, c: CaseRecord, unresolved: boolean, now: Date, prefix: string): ResolveOutcome {
  if (c.status === "discarded") {
    throw new UserError(`case ${c.tag} was discarded`, "a discarded case has nothing to resolve");
  }
  if (c.status === "draft") {
    throw new UserError(
      `case ${c.tag} has no letter that left yet`,
      `send it first, or if it is not needed: loanmail discard ${c.id}`,
    );
  }
  if (!unresolved && c.status === "resolved") {
    throw new UserError(
      `case ${c.tag} is already resolved (${c.closedAt?.slice(0, 10) ?? ""})`.replace(" ()", ""),
      `if it is not resolved after all: loanmail resolve ${c.id} --unresolved`,
    );
  }
  if (unresolved && c.status === "unresolved") {
    throw new UserError(`case ${c.tag} is already marked unresolved`, `escalate it: loanmail escalate ${c.id}`);
  }
  const status = unresolved ? "unresolved" : "resolved";
  const nowIso = now.toISOString();
  const lastReply = listCaseMessages(db, c.id)
    .filter((m) => m.direction === "in")
    .at(-1);
  const ev = inTransaction(db, () => {
    setCaseStatus(db, c.id, status, nowIso);
    return appendCaseEvent(db, c, {
      at: nowIso,
      type: status,
      actor: "user",
      data: {
        previous_status: c.status,
        last_reply: lastReply ? { message: lastReply.id, class: lastReply.replyClass ?? "other" } : null,
      },
    });
  });
  return { caseRecord: requireCase(db, String(c.id), prefix), previousStatus: c.status, eventId: ev.id };
}

/** `resolve CASE [--unresolved]` for a command: the case by number or tag, then resolveCase. */
export function resolveCaseByRef(s: Session, ref: string, unresolved: boolean): ResolveOutcome {
  const db = s.db();
  return resolveCase(db, requireCase(db, ref, s.prefix()), unresolved, s.now, s.prefix());
}
