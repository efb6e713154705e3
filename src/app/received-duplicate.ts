/**
 * A scan given to `received` twice (issue 14: "a duplicate received scan is not noticed"). The same bytes already
 * held as a reply of the client are never stored a second time: given again for the same case, day and channel
 * (a script run twice), nothing new is recorded and the earlier record is reported; given for another case, day
 * or channel, it is refused naming the earlier record, since one paper cannot have arrived twice.
 */

import { caseTag } from "../domain/subject.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { findMessage, findRepliesHoldingFile, type HeldScan } from "../store/messages.js";

/** The earlier record of the same scan, as `received` reports it. */
export interface EarlierScan {
  messageId: number;
  caseTag: string;
  /** The day it was recorded as received (the user's day, for an email). */
  on: string;
  via: string;
  replyClass: string | null;
}

function earlierOf(db: Db, prefix: string, held: HeldScan, timeZone: string): EarlierScan {
  const on =
    held.date === null
      ? "an unknown day"
      : /^\d{4}-\d{2}-\d{2}$/.test(held.date)
        ? held.date
        : isoDateIn(new Date(held.date), timeZone);
  return {
    messageId: held.messageId,
    caseTag: caseTag(prefix, held.caseId),
    on,
    via: held.channel,
    replyClass: findMessage(db, held.messageId)?.replyClass ?? null,
  };
}

/**
 * The earlier record of these bytes when it is this very reply (same case, day and channel): nothing is to be
 * recorded. Undefined when the bytes are new. Throws DUPLICATE_SCAN when they are held as another reply.
 */
export function earlierScan(
  db: Db,
  input: { prefix: string; timeZone: string; c: CaseRecord; scanSha256: string; file: string; on: string; via: string },
): EarlierScan | undefined {
  const held = findRepliesHoldingFile(db, input.scanSha256, input.c.clientId)[0];
  if (!held) return undefined;
  const e = earlierOf(db, input.prefix, held, input.timeZone);
  if (held.caseId === input.c.id && e.on === input.on && e.via === input.via) return e;
  throw new UserError(
    `--file ${input.file}: the same file is already recorded as message ${e.messageId}, a reply received by ${e.via} on ${e.on} for ${e.caseTag}; nothing recorded`,
    {
      code: "DUPLICATE_SCAN",
      hint: `see it with: loanmail show-message ${e.messageId}; if a second letter arrived, scan that one (a wrong class is changed with loanmail classify ${e.messageId} CLASS)`,
    },
  );
}
