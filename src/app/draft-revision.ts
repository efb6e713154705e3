/**
 * A draft revised in place (`edit`: its text, or its exhibits): linted again by the rules that checked it at
 * compose, its Date kept when it was written before it was entered, and its new bytes stored with the `edited`
 * event that names the old ones (kept as a blob), so nothing is lost.
 */
import { lintLetter } from "../domain/lint.js";
import type { CaseRecord } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendCaseEvent } from "../store/events.js";
import { listPastAccounts, requireLoan } from "../store/loans.js";
import {
  type MessageRecord,
  type NewAttachment,
  putBlob,
  readRaw,
  replaceAttachments,
  sha256Hex,
  updateDraft,
} from "../store/messages.js";
import { readLetterDates } from "./letter-history.js";
import { applyLint, buildLintInput } from "./letter-record.js";
import { addressedLoan } from "./prior-servicer.js";

/** The warnings of the revised body (refusing it, unless allowed, as compose would). */
export function lintRevision(db: Db, c: CaseRecord, draft: MessageRecord, body: string, allowSensitive: boolean) {
  const current = requireLoan(db, String(c.loanId));
  // A letter to the servicer before a transfer names the account number the loan had there (prior-servicer.ts).
  const loan = addressedLoan(current, draft.letterInput?.priorServicer);
  const past = [current.accountNumber, ...listPastAccounts(db, loan.id).map((a) => a.accountNumber)];
  const fields = draft.letterInput?.fields ?? {};
  return applyLint(lintLetter(buildLintInput(body, draft.kind ?? c.kind, loan, fields, [], past)), allowSensitive);
}

/** The Date the rebuilt draft carries: a letter written before it was entered (compose --dated) keeps its day. */
export function revisionDate(db: Db, c: CaseRecord, draft: MessageRecord, timeZone: string, now: Date): Date {
  const dated = readLetterDates(db, c.id, timeZone).find((l) => l.message.id === draft.id)?.enteredOn;
  return dated !== undefined && draft.date ? new Date(draft.date) : now;
}

export interface Revision {
  body: string;
  date: Date;
  raw: Buffer;
  warnings: string[];
  allowSensitive: boolean;
  nowIso: string;
  /** The draft's exhibits after the revision (an exhibit change), with what was detached. */
  exhibits?: { attachments: readonly NewAttachment[]; detached: string[] };
}

/** Store the revised draft in one transaction; returns the new bytes' hash. */
export function storeRevision(db: Db, c: CaseRecord, draft: MessageRecord, r: Revision): string {
  const toSha = sha256Hex(r.raw);
  inTransaction(db, () => {
    const previous = putBlob(db, readRaw(db, draft.id));
    if (r.exhibits) replaceAttachments(db, draft.id, r.exhibits.attachments);
    updateDraft(db, draft.id, r.body, r.date.toISOString(), r.raw, r.nowIso);
    appendCaseEvent(db, c, {
      at: r.nowIso,
      type: "edited",
      actor: "user",
      messageId: draft.id,
      data: {
        from_sha256: draft.rawSha256,
        to_sha256: toSha,
        previous_blob: previous,
        warnings: r.warnings,
        allow_sensitive: r.allowSensitive,
        ...(r.exhibits
          ? {
              exhibits: r.exhibits.attachments.map((a) => ({
                exhibit: a.exhibit ?? "",
                file: a.fileName,
                sha256: sha256Hex(a.data),
              })),
              detached: r.exhibits.detached,
            }
          : {}),
      },
    });
  });
  return toSha;
}
