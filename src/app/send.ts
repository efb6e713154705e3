/**
 * Exactly-once sending (docs/ARCHITECTURE.md, "Mail"). A draft is frozen at queue time (bytes with their Date, hash,
 * account), committed, then marked `sending` and committed again before a byte goes out. The outcome is recorded
 * as the server stated it: `sent` with accepted/rejected recipients, `failed` (4xx retryable, 5xx permanent) with
 * the server's text, or `unknown` when the connection was lost with no reply. When no session opens at all (before
 * MAIL FROM) nothing left: the letter is a draft again, with a `send-failed` event. An unknown letter is settled by
 * finding its Message-ID over IMAP, never by sending again; `--resend-unknown` resends one on purpose.
 */
import type { Account } from "../config/accounts.js";
import type { Config } from "../config/config.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import type { AccountMail, Envelope, SendOutcome, SmtpTransport } from "../mail/transport.js";
import { type CaseRecord, requireCase } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent } from "../store/events.js";
import { markQueued, setOutboxState } from "../store/mail.js";
import {
  findMessage,
  listAttachments,
  listCaseMessages,
  type MessageRecord,
  readRaw,
  sha256Hex,
} from "../store/messages.js";
import { isRetryableFailure } from "../store/sending.js";
import { asSentNow } from "./as-sent.js";
import { requireCaseLetterAuthority } from "./authorization-gate.js";
import { chooseLetter } from "./case-letters.js";
import { requireCaseFor, type Scope, scopeOf } from "./client-scope.js";
import { designationAtDeparture } from "./departure.js";
import { rebuildLetterMime } from "./letter-record.js";
import { acquireLock } from "./lock.js";
import { judgeForLetter, recordNotConnected, recordOutcome, sizeRefusal } from "./send-outcome.js";
import { markOrphanedSends, resolveUnknown, type SettledLetter } from "./unknown-sends.js";

export interface SendDeps {
  db: Db;
  prefix: string;
  /** Read only once the case is known to have something to send (a bad config must not hide a bad case). */
  config: () => Config;
  now: () => Date;
  /** The folder of the send lock (the home). */
  lockDir: string;
  /** The account and its servers, chosen once the case is known to have an email letter. */
  mail: () => AccountMail;
  /** The command's client fence (client-scope.ts); none when absent. */
  scope?: Scope;
}

export interface SendOptions {
  dryRun: boolean;
  /** The row id of an unknown letter to send again on purpose. */
  resendUnknown?: string | undefined;
  /** Which letter of the case to send, when it holds more than one to send. */
  letter?: number | undefined;
}

export interface LetterOutcome {
  id: number;
  messageId: string;
  subject: string;
  to: string[];
  envelope: Envelope;
  size: number;
  state: "sent" | "failed" | "unknown" | "would-send";
  retryable?: boolean;
  response?: string;
  accepted?: string[];
  rejected?: string[];
  error?: string;
}

export interface SendReport {
  caseRecord: CaseRecord;
  dryRun: boolean;
  letters: LetterOutcome[];
  resolved: SettledLetter[];
  skippedPost: number;
}

/** What sending one case needs once the account is chosen. */
interface CaseSender {
  db: Db;
  config: Config;
  prefix: string;
  now: () => Date;
  account: Account;
  servers: AccountMail;
}

/** `loanmail send`: send a case's drafts (and retry its retryable failures), holding the send lock. */
export async function sendLetters(deps: SendDeps, ref: string, opts: SendOptions): Promise<SendReport> {
  const c = requireCaseFor(scopeOf(deps), ref);
  const out = listCaseMessages(deps.db, c.id).filter((m) => m.direction === "out");
  const unsent = out.filter((m) => m.state !== "sent");
  if (opts.resendUnknown === undefined) {
    // Every letter has left (or was discarded): say so before asking for a mail account it does not need.
    if (c.status === "discarded" || unsent.every((m) => m.state === "discarded")) throw nothingToSend(c, out);
    const unsigned = unsent.find(
      (m) => m.state === "draft" && signedOnPaper(m) && (opts.letter === undefined || m.id === opts.letter),
    );
    const others = unsent.filter((m) => m.channel !== "post" && !signedOnPaper(m));
    if (unsigned && (opts.letter !== undefined || others.length === 0)) throw needsSignatures(c, unsigned);
    if (unsent.length > 0 && unsent.every((m) => m.channel === "post")) throw postLetter(c);
  }
  const mail = deps.mail();
  const sender: CaseSender = {
    db: deps.db,
    config: deps.config(),
    prefix: deps.prefix,
    now: deps.now,
    account: mail.account,
    servers: mail,
  };
  // A dry run changes nothing, so it needs no lock and may run beside a real send.
  const release = opts.dryRun ? () => {} : acquireLock(deps.lockDir, "send");
  try {
    return await sendCase(sender, ref, opts);
  } finally {
    release();
  }
}

function postLetter(c: CaseRecord): UserError {
  return new UserError(`case ${c.tag}'s letter goes by post, not email`, {
    code: "POST_LETTER_NOT_SENDABLE",
    hint: `print it with: loanmail show ${c.id} --pdf letter.pdf, mail it certified, then: loanmail mailed ${c.id} --tracking NUMBER`,
  });
}

/** A letter every borrower signs (a third-party authorization): its email body would authorize nothing. */
function signedOnPaper(m: MessageRecord): boolean {
  return m.kind !== null && isKindId(m.kind) && kindDef(m.kind).signedByBorrowers === true;
}

function needsSignatures(c: CaseRecord, m: MessageRecord): UserError {
  const letter = ` --letter ${m.id}`;
  const leave =
    m.channel === "post"
      ? `mail it certified and record it: loanmail mailed ${c.id}${letter} --tracking NUMBER`
      : `upload or fax the signed copy and record it: loanmail sent ${c.id}${letter} --via portal --date D --file signed.pdf`;
  return new UserError(
    `letter ${m.id} of ${c.tag} is a third-party authorization: every borrower must sign and date it, and an email body carries no signature, so loanmail does not email it`,
    {
      code: "LETTER_NEEDS_SIGNATURES",
      hint: `print it: loanmail show ${c.id}${letter} --pdf authorization.pdf; have each borrower sign and date it; ${leave}; keep the signed copy: loanmail authorization add --loan ${c.loanId} --file signed.pdf --authorized NAME --signed-on D`,
    },
  );
}

function envelopeOf(letter: Pick<MessageRecord, "to" | "cc">, account: Account): Envelope {
  const to = [...letter.to, ...letter.cc];
  if (account.selfCopy) to.push(account.email);
  return { from: account.email, to: [...new Set(to.map((a) => a.toLowerCase()))] };
}

async function sendCase(deps: CaseSender, ref: string, opts: SendOptions): Promise<SendReport> {
  const { db, account } = deps;
  const c = requireCase(db, ref, deps.prefix);
  if (c.status === "discarded")
    throw new UserError(`case ${c.tag} was discarded`, { code: "CASE_DISCARDED", hint: "nothing of it is sent" });
  const report: SendReport = { caseRecord: c, dryRun: opts.dryRun, letters: [], resolved: [], skippedPost: 0 };

  // The letter to resend is judged by its state before orphans are marked: one still `sending` is refused.
  const before = listCaseMessages(db, c.id).filter((m) => m.direction === "out");

  if (!opts.dryRun) markOrphanedSends(db, deps.now().toISOString());

  const candidates =
    opts.resendUnknown !== undefined
      ? [chooseUnknownLetter(before, c, opts.resendUnknown)]
      : await chooseLettersToSend(deps, c, opts, report);
  if (candidates.length === 0) return report;
  // A counselor's letter is queued only under an authorization valid today (authorization-gate.ts).
  const today = isoDateIn(deps.now(), deps.config.user.timezone);
  for (const m of candidates) requireCaseLetterAuthority(db, c, m, today, "send");

  if (opts.dryRun) {
    for (const m of candidates) {
      report.letters.push({
        ...describeLetter(m, account),
        state: "would-send",
        accepted: [],
        rejected: [],
        response: `${listAttachments(db, m.id).length} exhibit(s)`,
      });
    }
    return report;
  }

  for (const m of candidates.filter((x) => x.state === "draft")) await freezeDraft(deps, c, m);
  for (const original of candidates) {
    report.letters.push(await sendLetter(deps, c, original.id, opts.resendUnknown !== undefined));
  }
  return report;
}

/** The unknown letter `--resend-unknown` names among the case's letters, or a UserError. */
function chooseUnknownLetter(letters: readonly MessageRecord[], c: CaseRecord, id: string): MessageRecord {
  const m = letters.find((l) => String(l.id) === id);
  if (!m)
    throw new UserError(`case ${c.tag} has no letter ${id}`, {
      code: "LETTER_NOT_FOUND",
      hint: `see its letters with: loanmail show ${c.id}`,
    });
  if (m.state !== "unknown") {
    throw new UserError(`letter ${m.id} is ${m.state}, not unknown`, {
      code: "RESEND_NOT_UNKNOWN",
      hint: "only a letter whose outcome is unknown is resent this way",
    });
  }
  return m;
}

/**
 * Drafts, queued letters and retryable failures to send; first settles the case's unknown letters by searching
 * the mailbox (not on a dry run). Throws when there is nothing to send and nothing was settled.
 */
async function chooseLettersToSend(
  deps: CaseSender,
  c: CaseRecord,
  opts: SendOptions,
  report: SendReport,
): Promise<MessageRecord[]> {
  const { db } = deps;
  const letters = listCaseMessages(db, c.id).filter((m) => m.direction === "out");
  const post = letters.filter((m) => m.state === "draft" && m.channel === "post");
  report.skippedPost = post.length;
  const candidates = letters.filter(
    (m) =>
      m.channel !== "post" &&
      !signedOnPaper(m) &&
      (m.state === "draft" || m.state === "queued" || (m.state === "failed" && isRetryableFailure(db, m.id))),
  );
  const unknown = letters.filter((m) => m.state === "unknown");
  if (unknown.length > 0 && !opts.dryRun) {
    report.resolved = await resolveUnknown(
      { db, openMailbox: deps.servers.openMailbox, now: deps.now },
      unknown.map((m) => m.id),
    );
  }
  if (candidates.length > 0) {
    // One letter per send, the one named or the only one: loanmail never guesses which letter leaves.
    const one = chooseLetter(c, letters, (m) => candidates.includes(m), opts.letter, {
      command: "send",
      what: "to send",
    });
    return [one];
  }
  if (opts.letter !== undefined)
    chooseLetter(c, letters, () => false, opts.letter, { command: "send", what: "to send" });
  if (report.resolved.length > 0) return candidates;
  if (post.length > 0) throw postLetter(c);
  const stillUnknown = unknown.filter((u) => !report.resolved.some((r) => r.id === u.id));
  throw stillUnknown.length > 0
    ? new UserError(`case ${c.tag} has a letter whose sending is unknown and was not found in your mailbox`, {
        code: "SEND_OUTCOME_UNKNOWN",
        hint: `if you are sure it did not leave: loanmail send ${c.id} --resend-unknown ${stillUnknown[0]?.id}`,
      })
    : nothingToSend(c, letters);
}

/** Nothing to send: no letter yet, or every letter has already left (a mailed one is not sent again by email). */
function nothingToSend(c: CaseRecord, letters: readonly MessageRecord[]): UserError {
  if (c.status === "discarded")
    return new UserError(`case ${c.tag} was discarded: nothing is sent from it`, {
      code: "NOTHING_TO_SEND",
      hint: `its records are kept (loanmail show ${c.id}); for a new letter: loanmail compose KIND --loan LOAN`,
    });
  const gone = letters.filter((m) => m.state !== "draft" && m.state !== "discarded");
  const left = gone
    .map(
      (m) =>
        `letter ${m.id} ${m.channel === "post" ? "was mailed" : m.state === "sent" ? "was sent" : `is ${m.state}`}`,
    )
    .join("; ");
  return new UserError(`case ${c.tag} has nothing to send${left ? `: ${left}` : ""}`, {
    code: "NOTHING_TO_SEND",
    hint: left
      ? `to see its letters: loanmail show ${c.id}; to write another: loanmail compose follow-up --case ${c.id}`
      : `compose a letter first: loanmail compose KIND --case ${c.id}`,
  });
}

/** Freeze a draft: the bytes sent are the bytes hashed and kept, Date included. */
async function freezeDraft(deps: CaseSender, c: CaseRecord, m: MessageRecord): Promise<void> {
  const { db, account } = deps;
  const date = deps.now();
  const raw = await rebuildLetterMime(db, deps.config, m, m.bodyText ?? "", date, account.email);
  const nowIso = date.toISOString();
  const designation = designationAtDeparture(db, c, m, m.channel);
  inTransaction(db, () => {
    markQueued(db, m.id, raw, nowIso, account.name, nowIso);
    appendCaseEvent(db, c, {
      at: nowIso,
      type: "queued",
      actor: "user",
      messageId: m.id,
      data: {
        sha256: sha256Hex(raw),
        account: account.name,
        envelope: envelopeOf(m, account),
        designation,
        as_sent: asSentNow(db, c.loanId, m),
      },
    });
  });
}

/** Send one queued (or resent) letter over its own SMTP session and record the outcome. */
async function sendLetter(deps: CaseSender, c: CaseRecord, id: number, resend: boolean): Promise<LetterOutcome> {
  const { db } = deps;
  const m = requireLetter(db, id);
  const envelope = envelopeOf(m, deps.account);
  inTransaction(db, () => setOutboxState(db, m.id, "sending", deps.now().toISOString()));
  let session: SmtpTransport;
  try {
    session = await deps.servers.openSmtp();
  } catch (err) {
    // Before MAIL FROM: nothing left. The letter goes back to draft (or stays failed or unknown), on the record.
    const { host, port } = deps.account.smtp;
    throw recordNotConnected(db, c, m, `${host}:${port}`, err, deps.now().toISOString());
  }
  if (resend) {
    inTransaction(db, () =>
      appendCaseEvent(db, c, {
        at: deps.now().toISOString(),
        type: "resend",
        actor: "user",
        messageId: m.id,
        data: { reason: "--resend-unknown: the user judged that the letter did not arrive" },
      }),
    );
  }
  const raw = readRaw(db, m.id);
  let outcome: SendOutcome;
  try {
    outcome =
      sizeRefusal(raw.length, session.maxSize(), session.where, envelope) ??
      judgeForLetter(await session.send({ from: envelope.from, to: [...envelope.to] }, raw), m);
  } finally {
    session.close();
  }
  recordOutcome(db, requireCase(db, String(c.id), deps.prefix), m, outcome, deps.now().toISOString());
  return {
    ...describeLetter(m, deps.account),
    state: outcome.status,
    ...(outcome.status === "sent"
      ? { accepted: outcome.accepted, rejected: outcome.rejected, response: outcome.response }
      : {}),
    ...(outcome.status === "failed"
      ? { retryable: outcome.retryable, response: outcome.response, rejected: outcome.rejected }
      : {}),
    ...(outcome.status === "unknown" ? { error: outcome.error } : {}),
  };
}

function describeLetter(m: MessageRecord, account: Account): Omit<LetterOutcome, "state"> {
  return {
    id: m.id,
    messageId: m.messageId ?? "",
    subject: m.subject ?? "",
    to: [...m.to, ...m.cc],
    envelope: envelopeOf(m, account),
    size: m.size,
  };
}

function requireLetter(db: Db, id: number): MessageRecord {
  const m = findMessage(db, id);
  if (!m) throw new Error(`letter ${id} vanished while it was being sent`);
  return m;
}
