/**
 * Exactly-once sending (DESIGN §7). A draft is frozen at queue time (bytes with their Date, hash, account),
 * committed, then marked `sending` and committed again before a byte goes out. The outcome is recorded as the
 * server stated it: `sent` with accepted/rejected recipients, `failed` (4xx retryable, 5xx permanent) with the
 * server's text, or `unknown` when the connection was lost with no reply. An unknown letter is settled by
 * finding its Message-ID over IMAP, never by sending again; `--resend-unknown` resends one on purpose.
 */
import type { Account, Credentials } from "../config/accounts.js";
import type { Config } from "../config/config.js";
import { UserError } from "../errors.js";
import type { ImapSession } from "../mail/imap.js";
import type { SendOutcome, SmtpSession } from "../mail/smtp.js";
import { type CaseRecord, requireCase, setCaseStatus } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { appendCaseEvent, appendEvent } from "../store/events.js";
import { listOutboxByState, markQueued, setOutboxState } from "../store/mail.js";
import {
  findMessage,
  listAttachments,
  listCaseMessages,
  type MessageRecord,
  readRaw,
  sha256Hex,
} from "../store/messages.js";
import { rebuildLetterMime } from "./letter-record.js";

export interface SendDeps {
  db: Db;
  config: Config;
  prefix: string;
  account: Account;
  creds: Credentials;
  now: () => Date;
  openSmtp: () => Promise<SmtpSession>;
  openImap: () => Promise<ImapSession>;
}

export interface LetterOutcome {
  id: number;
  messageId: string;
  subject: string;
  to: string[];
  envelope: { from: string; to: string[] };
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
  resolved: { id: number; mailbox: string }[];
  skippedPost: number;
}

function envelopeOf(letter: Pick<MessageRecord, "to" | "cc">, account: Account): { from: string; to: string[] } {
  const to = [...letter.to, ...letter.cc];
  if (account.selfCopy) to.push(account.email);
  return { from: account.email, to: [...new Set(to.map((a) => a.toLowerCase()))] };
}

/** Rows left in `sending` by a process that died are unknown: they may or may not have left. */
export function markOrphanedSends(db: Db, now: string): number[] {
  const ids = listOutboxByState(db, "sending").map((m) => m.id);
  db.transaction(() => {
    for (const id of ids) {
      const m = findMessage(db, id);
      setOutboxState(db, id, "unknown", now);
      appendEvent(db, {
        caseId: m?.caseId ?? null,
        at: now,
        type: "send-unknown",
        actor: "loanmail",
        messageId: id,
        data: { reason: "found in sending state at start (the sender stopped)" },
      });
    }
  })();
  return ids;
}

/** Look for unknown letters' Message-IDs in INBOX, \\Sent and \\All; mark those found as sent. */
export async function resolveUnknown(
  deps: Pick<SendDeps, "db" | "openImap" | "now">,
  ids: readonly number[],
): Promise<{ id: number; mailbox: string }[]> {
  if (ids.length === 0) return [];
  const session = await deps.openImap();
  const found: { id: number; mailbox: string }[] = [];
  try {
    const paths = (await Promise.all(["INBOX", "\\Sent", "\\All"].map((n) => session.resolveMailbox(n)))).filter(
      (p): p is string => p !== null,
    );
    for (const id of ids) {
      const m = findMessage(deps.db, id);
      if (!m?.messageId) continue;
      for (const path of [...new Set(paths)]) {
        if (await session.containsMessageId(path, m.messageId)) {
          found.push({ id, mailbox: path });
          break;
        }
      }
    }
  } finally {
    await session.close();
  }
  const now = deps.now().toISOString();
  deps.db.transaction(() => {
    for (const f of found) {
      const m = findMessage(deps.db, f.id);
      setOutboxState(deps.db, f.id, "sent", now, { response: `found in ${f.mailbox}` });
      appendEvent(deps.db, {
        caseId: m?.caseId ?? null,
        at: now,
        type: "sent",
        actor: "loanmail",
        messageId: f.id,
        data: { resolved_by: "imap-search", mailbox: f.mailbox, message_id: m?.messageId },
      });
    }
  })();
  return found;
}

function recordOutcome(db: Db, c: CaseRecord, m: MessageRecord, outcome: SendOutcome, now: string): void {
  db.transaction(() => {
    if (outcome.status === "sent") {
      setOutboxState(db, m.id, "sent", now, {
        accepted: outcome.accepted,
        rejected: outcome.rejected,
        response: outcome.response,
      });
      if (c.status === "draft") setCaseStatus(db, c.id, "open", now);
      appendCaseEvent(db, c, {
        at: now,
        type: "sent",
        actor: "loanmail",
        messageId: m.id,
        data: {
          channel: m.channel,
          accepted: outcome.accepted,
          rejected: outcome.rejected,
          rejected_errors: outcome.rejectedErrors,
          response: outcome.response,
          sha256: sha256Hex(readRaw(db, m.id)),
        },
      });
    } else if (outcome.status === "failed") {
      setOutboxState(db, m.id, "failed", now, {
        rejected: outcome.rejected,
        response: outcome.response,
        retryable: outcome.retryable,
      });
      appendCaseEvent(db, c, {
        at: now,
        type: "send-failed",
        actor: "loanmail",
        messageId: m.id,
        data: { code: outcome.code, response: outcome.response, retryable: outcome.retryable },
      });
    } else {
      setOutboxState(db, m.id, "unknown", now, { response: outcome.error });
      appendCaseEvent(db, c, {
        at: now,
        type: "send-unknown",
        actor: "loanmail",
        messageId: m.id,
        data: { error: outcome.error },
      });
    }
  })();
}

/** Send a case's drafts (and retry its retryable failures). */
export async function sendCase(
  deps: SendDeps,
  ref: string,
  opts: { dryRun: boolean; resendUnknown?: string },
): Promise<SendReport> {
  const { db, account } = deps;
  const c = requireCase(db, ref, deps.prefix);
  if (c.status === "discarded") throw new UserError(`case ${c.tag} was discarded`, "nothing of it is sent");
  const letters = listCaseMessages(db, c.id).filter((m) => m.direction === "out");
  const report: SendReport = { caseRecord: c, dryRun: opts.dryRun, letters: [], resolved: [], skippedPost: 0 };

  if (!opts.dryRun) markOrphanedSends(db, deps.now().toISOString());

  let candidates: MessageRecord[];
  if (opts.resendUnknown !== undefined) {
    const m = letters.find((l) => String(l.id) === opts.resendUnknown);
    if (!m)
      throw new UserError(
        `case ${c.tag} has no letter ${opts.resendUnknown}`,
        `see its letters with: loanmail show ${c.id}`,
      );
    if (m.state !== "unknown") {
      throw new UserError(
        `letter ${m.id} is ${m.state}, not unknown`,
        "--resend-unknown only resends a letter whose outcome is unknown",
      );
    }
    candidates = [m];
  } else {
    const fresh = listCaseMessages(db, c.id).filter((m) => m.direction === "out");
    const post = fresh.filter((m) => m.state === "draft" && m.channel === "post");
    report.skippedPost = post.length;
    candidates = fresh.filter(
      (m) =>
        m.channel !== "post" &&
        (m.state === "draft" || m.state === "queued" || (m.state === "failed" && isRetryable(db, m.id))),
    );
    const unknown = fresh.filter((m) => m.state === "unknown");
    if (unknown.length > 0 && !opts.dryRun)
      report.resolved = await resolveUnknown(
        deps,
        unknown.map((m) => m.id),
      );
    if (candidates.length === 0) {
      if (report.resolved.length > 0) return report;
      if (post.length > 0) {
        throw new UserError(
          `case ${c.tag}'s letter goes by post, not email`,
          `print it with: loanmail show ${c.id} --pdf letter.pdf, mail it certified, then: loanmail mailed ${c.id} --tracking NUMBER`,
        );
      }
      const stillUnknown = unknown.filter((u) => !report.resolved.some((r) => r.id === u.id));
      throw new UserError(
        stillUnknown.length > 0
          ? `case ${c.tag} has a letter whose sending is unknown and was not found in your mailbox`
          : `case ${c.tag} has nothing to send`,
        stillUnknown.length > 0
          ? `if you are sure it did not leave: loanmail send ${c.id} --resend-unknown ${stillUnknown[0]?.id}`
          : `compose a letter first: loanmail compose KIND --case ${c.id}`,
      );
    }
  }

  if (opts.dryRun) {
    for (const m of candidates) {
      report.letters.push({
        id: m.id,
        messageId: m.messageId ?? "",
        subject: m.subject ?? "",
        to: [...m.to, ...m.cc],
        envelope: envelopeOf(m, account),
        size: m.size,
        state: "would-send",
        accepted: [],
        rejected: [],
        response: `${listAttachments(db, m.id).length} exhibit(s)`,
      });
    }
    return report;
  }

  // Freeze drafts: the bytes sent are the bytes hashed and kept, Date included.
  for (const m of candidates.filter((x) => x.state === "draft")) {
    const date = deps.now();
    const raw = await rebuildLetterMime(db, deps.config, m, m.bodyText ?? "", date, account.email);
    const nowIso = date.toISOString();
    db.transaction(() => {
      markQueued(db, m.id, raw, nowIso, account.name, nowIso);
      appendCaseEvent(db, c, {
        at: nowIso,
        type: "queued",
        actor: "user",
        messageId: m.id,
        data: { sha256: sha256Hex(raw), account: account.name, envelope: envelopeOf(m, account) },
      });
    })();
  }

  for (const original of candidates) {
    const m = findMessage(db, original.id) as MessageRecord;
    const envelope = envelopeOf(m, account);
    db.transaction(() => setOutboxState(db, m.id, "sending", deps.now().toISOString()))();
    let session: SmtpSession;
    try {
      session = await deps.openSmtp();
    } catch (err) {
      // Nothing left: the letter waits in the queue for the next send.
      db.transaction(() => setOutboxState(db, m.id, "queued", deps.now().toISOString()))();
      throw err;
    }
    if (opts.resendUnknown !== undefined) {
      db.transaction(() =>
        appendCaseEvent(db, c, {
          at: deps.now().toISOString(),
          type: "resend",
          actor: "user",
          messageId: m.id,
          data: { reason: "--resend-unknown: the user judged that the letter did not arrive" },
        }),
      )();
    }
    const raw = readRaw(db, m.id);
    const maxSize = session.facts().maxSize;
    let outcome: SendOutcome;
    try {
      // The server's SIZE is a promise to refuse bigger mail: say so plainly instead of sending it to be refused.
      outcome =
        maxSize !== null && raw.length > maxSize
          ? {
              status: "failed",
              retryable: false,
              code: 552,
              response: `the letter is ${raw.length} bytes; ${session.where} accepts at most ${maxSize} (SIZE): send fewer or smaller exhibits`,
              rejected: envelope.to,
            }
          : judgeForLetter(await session.send({ from: envelope.from, to: [...envelope.to] }, raw), m);
    } finally {
      session.close();
    }
    recordOutcome(db, requireCase(db, String(c.id), deps.prefix), m, outcome, deps.now().toISOString());
    report.letters.push({
      id: m.id,
      messageId: m.messageId ?? "",
      subject: m.subject ?? "",
      to: [...m.to, ...m.cc],
      envelope,
      size: m.size,
      state: outcome.status,
      ...(outcome.status === "sent"
        ? { accepted: outcome.accepted, rejected: outcome.rejected, response: outcome.response }
        : {}),
      ...(outcome.status === "failed"
        ? { retryable: outcome.retryable, response: outcome.response, rejected: outcome.rejected }
        : {}),
      ...(outcome.status === "unknown" ? { error: outcome.error } : {}),
    });
  }
  return report;
}

function isRetryable(db: Db, id: number): boolean {
  return (db.prepare("SELECT retryable FROM messages WHERE id = ?").pluck().get(id) as number | null) === 1;
}

/**
 * The server's answer judged for the letter itself: the self copy is ours, so a letter that every real recipient
 * refused has failed even though the server accepted the copy to the user's own address.
 */
function judgeForLetter(outcome: SendOutcome, letter: Pick<MessageRecord, "to" | "cc">): SendOutcome {
  if (outcome.status !== "sent") return outcome;
  const own = new Set([...letter.to, ...letter.cc].map((a) => a.toLowerCase()));
  if (outcome.accepted.some((a) => own.has(a.toLowerCase()))) return outcome;
  const refusals = outcome.rejectedErrors.filter((r) => own.has(r.recipient.toLowerCase()));
  const codes = refusals.map((r) => r.code ?? 500);
  return {
    status: "failed",
    retryable: codes.length > 0 && codes.every((c) => c >= 400 && c < 500),
    code: codes[0] ?? 550,
    response: refusals.map((r) => `${r.recipient}: ${r.response}`).join("; ") || "every recipient was refused",
    rejected: refusals.map((r) => r.recipient),
  };
}
