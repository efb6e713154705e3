/**
 * Turning a stored loan/case/servicer into the inputs of the pure letter builder and lint, shared by compose and
 * edit so that an edited letter is checked by exactly the rules that checked the composed one.
 */
import type { Config } from "../config/config.js";
import { isKindId, type KindDef, kindDef } from "../domain/kinds.js";
import type { ReferencedLetter } from "../domain/letter.js";
import type { LintInput, LintResult } from "../domain/lint.js";
import { UserError } from "../errors.js";
import { buildMime } from "../mail/mime.js";
import { type CaseRecord, requireCase } from "../store/cases.js";
import type { Db } from "../store/db.js";
import type { Loan } from "../store/loans.js";
import { getBlob, listAttachments, type MessageRecord } from "../store/messages.js";
import {
  describeUnsent,
  type LetterDates,
  lettersThatLeft,
  readLetterDates,
  readReplyDates,
} from "./letter-history.js";

/**
 * The letter of a case that a follow-up, escalation request or request for documents relied on cites: only a
 * letter that left, with the day it left. A case with none is refused (NO_LETTER_LEFT): "my letter sent on
 * <date>" would be false. Relied-documents (12 C.F.R. 1024.35(e)(4)) cites a notice of error that left and needs
 * the servicer's answer recorded: a reply classified `response` (the class of a substantive answer; see
 * domain/reply-classes.ts) that arrived on or after that notice left. loanmail cannot tell a "no error" answer
 * from a correction; the user who asks for the documents relied on says which it was, and a correction has no
 * such documents. An acknowledgment, extension, exception (a refusal to answer) or "other" is not the answer.
 * Nothing cited may postdate the new letter's written day (`compose --dated`).
 */
export function readReferencedLetter(
  db: Db,
  ref: string,
  prefix: string,
  timeZone: string,
  kind: KindDef,
  writtenOn: string,
): ReferencedLetter & { caseRecord: CaseRecord } {
  const c = requireCase(db, ref, prefix);
  const letters = readLetterDates(db, c.id, timeZone);
  if (!letters.some((l) => l.message.subject)) {
    throw new UserError(`case ${c.tag} has no letter to refer to`, {
      code: "NO_LETTER_TO_REFER_TO",
      hint: "refer to a case that holds a letter you composed",
    });
  }
  const left = lettersThatLeft(db, c.id, timeZone);
  if (left.length === 0) {
    throw new UserError(`case ${c.tag} has no letter that left: it holds ${describeUnsent(letters)}`, {
      code: "NO_LETTER_LEFT",
      hint: `a ${kind.id} cites a letter the servicer received; record how case ${c.id}'s letter left first (loanmail send ${c.id}, loanmail mailed ${c.id} --tracking T --date D, or loanmail sent ${c.id} --via portal --date D)`,
    });
  }
  const { cited, responseOn } =
    kind.substance === "relied-documents"
      ? answeredNotice(db, c, left, timeZone)
      : { cited: left[0], responseOn: undefined };
  if (!cited) throw new Error("readReferencedLetter: no cited letter");
  const latest = responseOn !== undefined && responseOn > cited.leftOn ? responseOn : cited.leftOn;
  if (latest > writtenOn) {
    const what =
      latest === cited.leftOn
        ? `letter ${cited.message.id} of ${c.tag} left on ${cited.leftOn}`
        : `the servicer's response in ${c.tag} arrived on ${latest}`;
    throw new UserError(`this ${kind.id} is dated ${writtenOn}, but ${what}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: `a letter cannot cite what happened after it was written: check --dated (it must be ${latest} or later)`,
    });
  }
  return {
    caseRecord: c,
    tag: c.tag,
    subject: cited.message.subject ?? "",
    date: cited.leftOn,
    writtenOn: cited.writtenOn,
    messageId: cited.message.messageId ?? "",
    responseDate: responseOn,
  };
}

/** The latest notice of error of the case that left and was answered with a `response`, and that answer's day. */
function answeredNotice(
  db: Db,
  c: CaseRecord,
  left: readonly (LetterDates & { leftOn: string })[],
  timeZone: string,
): { cited: LetterDates & { leftOn: string }; responseOn: string } {
  const notices = left.filter(
    (l) => l.message.kind !== null && isKindId(l.message.kind) && kindDef(l.message.kind).substance === "noe",
  );
  if (notices.length === 0) {
    throw new UserError(`case ${c.tag} holds no notice of error that left`, {
      code: "NO_ERROR_RESPONSE",
      hint: 'documents relied on (12 C.F.R. 1024.35(e)(4)) are asked for after a notice of error the servicer answered with "no error": name that case',
    });
  }
  const responses = readReplyDates(db, c.id, timeZone).filter((r) => r.message.replyClass === "response");
  for (const notice of [...notices].reverse()) {
    const answer = responses.find((r) => r.receivedOn >= notice.leftOn);
    if (answer) return { cited: notice, responseOn: answer.receivedOn };
  }
  const last = notices.at(-1) as LetterDates & { leftOn: string };
  throw new UserError(
    `no response to the notice of error of ${c.tag} (sent ${last.leftOn}) is recorded: documents relied on are asked for only after the servicer answered that no error occurred`,
    {
      code: "NO_ERROR_RESPONSE",
      hint: `record the servicer's answer first: loanmail import FILE.eml or loanmail received ${c.id} --date D --class response --file SCAN (a reply already recorded: loanmail classify MSG response)`,
    },
  );
}

/** What lint must know about a letter besides its text. */
export function buildLintInput(
  body: string,
  kind: string,
  loan: Loan,
  fields: Readonly<Record<string, string>>,
  extraExempt: readonly string[],
  pastAccounts: readonly string[] = [],
): LintInput {
  const firstPropertyLine = loan.propertyAddress.split(/\r?\n|,/)[0]?.trim() ?? loan.propertyAddress;
  return {
    body,
    kind,
    ownAccountNumbers: [loan.accountNumber, ...pastAccounts],
    exemptValues: [...Object.values(fields), ...extraExempt],
    required: [
      ...loan.borrowers.map((b) => ({ label: "borrower name", value: b })),
      { label: "account number", value: loan.accountNumber },
      { label: "property address", value: firstPropertyLine },
    ],
  };
}

/**
 * Refusals stop the letter (sensitive numbers unless --allow-sensitive; a missing element always); warnings are
 * returned for the caller to show and record.
 */
export function applyLint(result: LintResult, allowSensitive: boolean): string[] {
  const blocking = result.refusals.filter((f) => f.code === "missing-element" || !allowSensitive);
  if (blocking.length > 0) {
    const lines = blocking.map((f) => `  ${f.message}\n    fix: ${f.fix}`).join("\n");
    const sensitive = blocking.some((f) => f.code !== "missing-element");
    throw new UserError(
      `the letter was not saved:\n${lines}`,
      sensitive
        ? {
            code: "LETTER_HAS_SENSITIVE_NUMBER",
            hint: "mask the number to its last 4 digits; if it truly must go by email, say so when composing",
          }
        : { code: "LETTER_MISSING_ELEMENTS", hint: "fix the letter and try again" },
    );
  }
  const overridden = result.refusals.map((f) => `${f.message} (sent anyway: --allow-sensitive)`);
  return [...overridden, ...result.warnings.map((w) => `${w.message}: ${w.fix}`)];
}

/** The config's user as a letter's sender (the sending account's address, when it differs, at queue time). */
export function senderOf(config: Config, address = config.user.email): { name: string; address: string } {
  return { name: config.user.name, address };
}

/** Rebuild a stored letter's bytes with a new body and Date; same Message-ID, recipients and exhibits. */
export function rebuildLetterMime(
  db: Db,
  config: Config,
  letter: MessageRecord,
  bodyText: string,
  date: Date,
  fromAddress?: string,
  /** The exhibits to carry, when they are about to change (edit --attach/--detach); else the stored ones. */
  exhibits?: readonly { fileName: string; contentType: string; data: Uint8Array }[],
): Promise<Buffer> {
  return buildMime({
    from: senderOf(config, fromAddress),
    to: letter.to,
    cc: letter.cc,
    subject: letter.subject ?? "",
    text: bodyText,
    messageId: letter.messageId ?? "",
    inReplyTo: letter.inReplyTo,
    date,
    // A letter loanmail composed knows its language (English when composed before letters had one).
    lang: letter.letterInput ? (letter.letterInput.lang ?? "en") : undefined,
    attachments:
      exhibits?.map((e) => ({ fileName: e.fileName, contentType: e.contentType, data: Buffer.from(e.data) })) ??
      listAttachments(db, letter.id).map((a) => ({
        fileName: a.fileName,
        contentType: a.contentType,
        data: getBlob(db, a.sha256) as Buffer,
      })),
  });
}
