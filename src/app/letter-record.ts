/**
 * Turning a stored loan/case/servicer into the inputs of the pure letter builder and lint, shared by compose and
 * edit so that an edited letter is checked by exactly the rules that checked the composed one.
 */
import type { Config } from "../config/config.js";
import { sentOnOf } from "../domain/events.js";
import type { ReferencedLetter } from "../domain/letter.js";
import type { LintInput, LintResult } from "../domain/lint.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { buildMime } from "../mail/mime.js";
import { type CaseRecord, requireCase } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import type { Loan } from "../store/loans.js";
import { getBlob, listAttachments, listCaseMessages, type MessageRecord } from "../store/messages.js";

/** The first letter of a case that another letter refers to (follow-up, escalation, relied-documents). */
export function readReferencedLetter(
  db: Db,
  ref: string,
  prefix: string,
  timeZone: string,
): ReferencedLetter & { caseRecord: CaseRecord } {
  const c = requireCase(db, ref, prefix);
  const first = listCaseMessages(db, c.id).find((m) => m.direction === "out");
  if (!first?.subject || !first.messageId) {
    throw new UserError(`case ${c.tag} has no letter to refer to`, {
      code: "NO_LETTER_TO_REFER_TO",
      hint: "refer to a case that holds a letter you composed",
    });
  }
  // The date that matters is the day it left: mailed or uploaded on a stated day, or emailed (its frozen Date).
  const left = readCaseEvents(db, c.id)
    .flatMap((e) =>
      e.message_id !== first.id
        ? []
        : e.type === "mailed"
          ? [e.data.mailed_on]
          : e.type === "sent"
            ? [sentOnOf(e.data)]
            : [],
    )
    .find((d) => d !== undefined);
  return {
    caseRecord: c,
    tag: c.tag,
    subject: first.subject,
    date: left ?? isoDateIn(new Date(first.date ?? first.createdAt), timeZone),
    messageId: first.messageId,
  };
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
    attachments:
      exhibits?.map((e) => ({ fileName: e.fileName, contentType: e.contentType, data: Buffer.from(e.data) })) ??
      listAttachments(db, letter.id).map((a) => ({
        fileName: a.fileName,
        contentType: a.contentType,
        data: getBlob(db, a.sha256) as Buffer,
      })),
  });
}
