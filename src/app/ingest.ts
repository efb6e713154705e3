/**
 * One path for every message that comes in: IMAP sync, `import FILE.eml`, and `received` (a reply on paper, by
 * portal or fax, recorded as a small message carrying the scan). Each is parsed (by an injectable
 * `MessageParser`, never throwing: hostile mail is stored raw even when it cannot be parsed), classified, filed,
 * and stored by `storeIncoming` with its attachments and a `received` event. The sync runs `commitIncoming`
 * inside its batch transaction, `import` (src/app/import-files.ts) inside one transaction per file, and
 * received in its own.
 */

import { basename } from "node:path";
import { fileTypeFromBuffer } from "file-type";
import { DEFAULT_LIMITS, type Limits } from "../config/config.js";
import { megabytes, readRegularFile } from "../config/safe-files.js";
import { type Classification, classifyReply } from "../domain/classify.js";
import { isReplyClass, REPLY_CLASSES, type ReplyClass } from "../domain/reply-classes.js";
import type { ServicerIdentity } from "../domain/reply-trust.js";
import { type PlanDecision, type PlanInput, planMessage, refineFiling, type ThreadIndex } from "../domain/sync-plan.js";
import { pastDay } from "../domain/typed-days.js";
import { UserError } from "../errors.js";
import { type MessageParser, type ParsedMail, parseMail } from "../mail/parse.js";
import type { CaseRecord } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { sha256Hex } from "../store/messages.js";
import { requireCaseFor, type Scope, scopeOf } from "./client-scope.js";
import { storeIncoming } from "./ingest-store.js";
import { describeUnsent, lettersThatLeft, readLetterDates } from "./letter-history.js";
import { type EarlierScan, earlierScan } from "./received-duplicate.js";
import { checkIncoming, type DkimOption, type IncomingChecks, type MailboxOwner } from "./reply-checks.js";
import type { ReplyHome } from "./reply-home.js";

export type { MessageParser, ParsedMail } from "../mail/parse.js";
export { type CommitResult, commitIncoming, commitOwnCopy } from "./ingest-store.js";

type KeepDecision = Extract<PlanDecision, { action: "keep" }>;

/** A parsed message, classified and filed. */
export interface FiledIncoming {
  raw: Buffer;
  sha256: string;
  parsed: ParsedMail;
  decision: KeepDecision;
  classification: Classification;
  internalDate: string | null;
  uid: number | null;
}

/** A message ready to store: filed, and checked (who sent it, when it arrived). */
export interface PreparedIncoming extends FiledIncoming {
  checks: IncomingChecks;
}

/** Where a message is being taken in: the record, the user's mail provider, the time, `--verify-dkim`. */
export interface IngestContext {
  db: Db;
  owner: MailboxOwner;
  now: Date;
  dkim?: DkimOption | undefined;
  /** The servicers that may answer in a case, read once per batch (servicersMemo); else per message. */
  servicers?: ((caseId: number | null) => ServicerIdentity[]) | undefined;
}

/** Classify and file a parsed message (pure). */
export function fileParsed(
  raw: Buffer,
  parsed: ParsedMail,
  decision: KeepDecision,
  index: ThreadIndex,
  extra: { internalDate: string | null; uid: number | null; home?: ReplyHome },
): FiledIncoming {
  const filed = refineFiling(decision, parsed.text, index);
  // `home` is the per-home context of the classifier (the user's corrections, our own letters), read once per
  // batch by the caller.
  const classification = classifyReply(
    {
      subject: parsed.subject,
      text: parsed.text,
      autoSubmitted: parsed.autoSubmitted,
      xAutoreply: parsed.xAutoreply,
      precedence: parsed.precedence,
      ownLetters: extra.home?.ownLetters,
    },
    {
      corrections: extra.home?.corrections,
      servicerId: filed.servicerId,
      clientId: filed.caseId === null ? null : (extra.home?.clientOfCase.get(filed.caseId) ?? null),
    },
  );
  return {
    raw,
    sha256: sha256Hex(raw),
    parsed,
    decision: filed,
    classification,
    internalDate: extra.internalDate,
    uid: extra.uid,
  };
}

/** Check who sent a filed message and when it arrived. */
export async function checkFiled(f: FiledIncoming, ctx: IngestContext): Promise<PreparedIncoming> {
  const checks = await checkIncoming(ctx.db, f.raw, f.parsed, f.decision.caseId, {
    internalDate: f.internalDate,
    now: ctx.now,
    owner: ctx.owner,
    dkim: ctx.dkim,
    servicers: ctx.servicers,
  });
  return { ...f, checks };
}

/** Parse, classify, file and check a downloaded message. */
export async function prepareIncoming(
  raw: Buffer,
  decision: KeepDecision,
  index: ThreadIndex,
  extra: { internalDate: string | null; uid: number | null; home?: ReplyHome },
  ctx: IngestContext,
  parse: MessageParser = parseMail,
): Promise<PreparedIncoming> {
  return checkFiled(fileParsed(raw, await parse(raw), decision, index, extra), ctx);
}

/** The planner's view of a parsed message. */
export function planInputOf(parsed: ParsedMail) {
  return {
    messageId: parsed.messageId,
    inReplyTo: parsed.inReplyTo,
    references: parsed.references,
    subject: parsed.subject,
    from: parsed.from,
  };
}

/**
 * A message that carries one of our Message-IDs but is not a copy of our letter (its bytes differ): planned as
 * any other mail, and kept (unfiled if nothing threads it) so that the reuse is on the record.
 */
export function planReusedId(m: PlanInput, index: ThreadIndex): KeepDecision {
  const d = planMessage(m, { ...index, ownMessageIds: new Set() });
  return d.action === "keep" ? d : { action: "keep", caseId: null, servicerId: null, filedBy: null };
}

/** Plan a message that did not come from IMAP (import): the same threading from its own headers. */
export async function planImported(
  raw: Buffer,
  index: ThreadIndex,
  parse: MessageParser = parseMail,
): Promise<{ decision: PlanDecision; parsed: ParsedMail }> {
  const parsed = await parse(raw);
  return { decision: planMessage(planInputOf(parsed), index), parsed };
}

export type ReceivedVia = "post" | "portal" | "fax";

export interface ReceivedReplyRequest {
  /** The case, as the user named it (id or tag). */
  caseRef: string;
  /** The day it arrived, YYYY-MM-DD. */
  date?: string;
  /** The scan or download of the reply. */
  file?: string;
  via?: string;
  class?: string;
}

export interface ReceivedReplyDeps {
  db: Db;
  prefix: string;
  now: Date;
  /** Today in the user's time zone; asked only once the case is known (it reads the config). */
  today: () => string;
  /** The user's time zone (for the day each letter of the case left); asked only once the case is known. */
  timeZone: () => string;
  /** The size limits of config.toml (the scan may be at most limits.attachment_mb); the defaults when not given. */
  limits?: () => Limits;
  /** The command's client fence (client-scope.ts); none when absent. */
  scope?: Scope;
}

export interface ReceivedReply {
  caseRecord: CaseRecord;
  /** The reply's message: the new one, or the earlier record of the same scan (`already`). */
  messageRowId: number;
  /** True when the scan was recorded before for this case, day and channel: nothing new was stored. */
  already: boolean;
  via: ReceivedVia;
  on: string;
  replyClass: ReplyClass;
  /** For the user, before the result. */
  warnings: string[];
}

function isReceivedVia(v: string): v is ReceivedVia {
  return v === "post" || v === "portal" || v === "fax";
}

/** The record of a paper reply: a small RFC 822 message describing it (the scan is its attachment). */
export function receivedRecordBytes(r: {
  via: ReceivedVia;
  on: string;
  tag: string;
  scanName: string;
  scanSha256: string;
  recordedAt: string;
}): Buffer {
  return Buffer.from(
    [
      `X-Loanmail-Received-Via: ${r.via}`,
      `X-Loanmail-Received-On: ${r.on}`,
      `X-Loanmail-Scan-SHA256: ${r.scanSha256}`,
      `Subject: Reply received by ${r.via} on ${r.on} (${r.tag})`,
      `Date: ${new Date(`${r.on}T12:00:00Z`).toUTCString()}`,
      "",
      `Recorded by loanmail on ${r.recordedAt}: the servicer's reply received by ${r.via}; scan: ${r.scanName}`,
      "",
    ].join("\r\n"),
  );
}

/**
 * A reply the user dates by hand answers a letter that left: refused when no letter of the case left, or when
 * the day typed is before the first one left (the record would contradict itself). Synced and imported mail is
 * not refused: its dates are the outside world's, kept as they came.
 */
function checkReplyAfterLetter(db: Db, c: CaseRecord, on: string, timeZone: string): void {
  const letters = readLetterDates(db, c.id, timeZone);
  const first = lettersThatLeft(db, c.id, timeZone)[0];
  if (!first) {
    throw new UserError(
      `case ${c.tag} has no letter that left (it holds ${describeUnsent(letters)}): a reply on ${on} answers nothing in the record`,
      {
        code: "NO_LETTER_LEFT",
        hint: `record how the letter left first (loanmail send ${c.id}, loanmail mailed ${c.id} --tracking T --date D, or loanmail sent ${c.id} --via portal --date D); a letter written earlier: compose it with --dated D`,
      },
    );
  }
  if (on < first.leftOn) {
    throw new UserError(`--date ${on} is before letter ${first.message.id} of ${c.tag} left on ${first.leftOn}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "a reply arrives after the letter it answers: check --date, and the day recorded for the letter",
    });
  }
}

/**
 * A reply dated after a letter was mailed but before it was delivered: that letter's clocks run from its
 * delivery (12 C.F.R. 1024.35(d), 1024.36(c)), so the reply meets none of them. Accepted (it may answer something
 * else), and said.
 */
function beforeDelivery(db: Db, c: CaseRecord, on: string): string[] {
  return readCaseEvents(db, c.id).flatMap((e) =>
    e.type === "delivered" && e.data.delivered_on > on
      ? [
          `letter ${e.message_id} was delivered on ${e.data.delivered_on}, after this reply's day (${on}): the clocks it started run from its delivery, so this reply meets none of them (check both days)`,
        ]
      : [],
  );
}

/**
 * `received CASE`: a reply on paper, by portal or by fax. The scan is kept as an exhibit; the reply meets clocks
 * as email does. Checks each option in order and writes nothing on a refusal.
 */
export async function recordReceivedReply(deps: ReceivedReplyDeps, req: ReceivedReplyRequest): Promise<ReceivedReply> {
  const { db } = deps;
  const c = requireCaseFor(scopeOf(deps), req.caseRef);
  if (req.date === undefined)
    throw new UserError("--date is required: the day the reply arrived, as YYYY-MM-DD", {
      code: "MISSING_OPTION",
      hint: "write dates as YYYY-MM-DD",
    });
  const on = pastDay(req.date, "--date", deps.today(), "record it once it has arrived");
  checkReplyAfterLetter(db, c, on, deps.timeZone());
  const via = req.via ?? "post";
  if (!isReceivedVia(via))
    throw new UserError("--via must be post, portal or fax", { code: "UNKNOWN_CHANNEL", hint: "how the reply came" });
  const cls = req.class ?? "other";
  if (!isReplyClass(cls))
    throw new UserError(`--class ${cls} is not a reply class`, {
      code: "UNKNOWN_REPLY_CLASS",
      hint: `use one of: ${REPLY_CLASSES.join(", ")}`,
    });
  if (!req.file)
    throw new UserError("--file is required", {
      code: "MISSING_OPTION",
      hint: "give the scan or download of the reply (PDF, JPEG or PNG)",
    });
  const limits = deps.limits?.() ?? DEFAULT_LIMITS;
  const scan = readRegularFile(
    `--file ${req.file}`,
    req.file,
    megabytes(
      limits.attachment_mb,
      "for one file",
      "scan it at a lower resolution (limits.attachment_mb in config.toml)",
    ),
  );
  const name = basename(req.file);
  const contentType = (await fileTypeFromBuffer(scan))?.mime ?? "application/octet-stream";
  const nowIso = deps.now.toISOString();
  const scanSha256 = sha256Hex(scan);
  const earlier = earlierScan(db, {
    prefix: deps.prefix,
    timeZone: deps.timeZone(),
    c,
    scanSha256,
    file: req.file,
    on,
    via,
  });
  if (earlier) return sameScanAgain(c, earlier, req.class);
  const raw = receivedRecordBytes({ via, on, tag: c.tag, scanName: name, scanSha256, recordedAt: nowIso });
  const warnings = req.class
    ? []
    : [`no --class given: recorded as "other", which meets no clock (change it with loanmail classify MSG CLASS)`];
  warnings.push(...beforeDelivery(db, c, on));
  const id = inTransaction(db, () =>
    storeIncoming(db, {
      row: {
        channel: via,
        classSetBy: "user",
        caseId: c.id,
        servicerId: null,
        filedBy: "manual",
        account: null,
        messageId: null,
        inReplyTo: null,
        references: [],
        from: null,
        to: [],
        cc: [],
        subject: `Reply received by ${via} on ${on}`,
        bodyText: `Scan: ${name}`,
        date: on,
        raw,
        replyClass: cls,
        autoSubmitted: null,
        // The user's own statement of what arrived and when: it needs no sender check.
        trust: { status: "trusted", why: [`recorded by you: a reply received by ${via}`] },
        arrival: { at: on, source: "typed" },
        now: nowIso,
      },
      attachments: [{ position: 0, exhibit: null, label: name, fileName: name, contentType, data: scan }],
      event: {
        caseId: c.id,
        loanId: c.loanId,
        actor: "servicer",
        data: { via, on, class: cls, scan: name, scan_sha256: scanSha256, sha256: sha256Hex(raw) },
      },
    }),
  );
  return { caseRecord: c, messageRowId: id, already: false, via, on, replyClass: cls, warnings };
}

/** The report of a scan given again for the reply it already is: nothing stored, the earlier record named. */
function sameScanAgain(c: CaseRecord, earlier: EarlierScan, asked: string | undefined): ReceivedReply {
  const held = earlier.replyClass ?? "other";
  const warnings =
    asked !== undefined && asked !== held
      ? [
          `message ${earlier.messageId} is recorded as ${held}, not ${asked}: change it with loanmail classify ${earlier.messageId} ${asked}`,
        ]
      : [];
  return {
    caseRecord: c,
    messageRowId: earlier.messageId,
    already: true,
    via: earlier.via as ReceivedVia,
    on: earlier.on,
    replyClass: (isReplyClass(held) ? held : "other") as ReplyClass,
    warnings,
  };
}
