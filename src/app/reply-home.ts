/**
 * The per-home context of the reply classifier, read once per sync batch or import: the user's corrections
 * (used for later replies that repeat their wording, from the same servicer) and our own letters (their text is
 * ignored when a servicer pastes it below its answer). See src/domain/reply-corrections.ts.
 */

import { isReplyClass } from "../domain/reply-classes.js";
import { correctionIndex, type HomeCorrections } from "../domain/reply-corrections.js";
import type { Db } from "../store/db.js";
import { listCaseClients, listOwnLetterTexts, listUserClassified } from "../store/reply-home.js";

export interface ReplyHome {
  corrections: HomeCorrections;
  ownLetters: readonly string[];
  /** Each case's client: whose file a reply filed to it goes into. */
  clientOfCase: ReadonlyMap<number, number>;
}

/** The home's corrections and letters; `except` leaves one message out (to explain it as the classifier saw it). */
export function readReplyHome(db: Db, except?: number): ReplyHome {
  const corrections = correctionIndex(
    listUserClassified(db).flatMap((m) =>
      m.id !== except && isReplyClass(m.replyClass)
        ? [
            {
              messageId: m.id,
              servicerId: m.servicerId,
              clientId: m.clientId,
              class: m.replyClass,
              subject: "",
              text: m.bodyText,
            },
          ]
        : [],
    ),
  );
  return { corrections, ownLetters: listOwnLetterTexts(db), clientOfCase: listCaseClients(db) };
}
