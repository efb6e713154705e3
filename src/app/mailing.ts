/**
 * A letter that went by (certified) post. The first record is the mailing: the draft becomes sent, with its
 * tracking number, the day it was mailed, what it was addressed to that day (`as_sent`) and the PDF loanmail
 * printed of it last (`pdf_sha256`, kept since `show --pdf`). A later record with the delivery day from the
 * carrier's tracking is what starts a Reg X clock. Proof of mailing (PS 3800 receipt, PS 3811 green card, a
 * tracking page) is kept with the letter at the mailing, with the delivery, or on its own later.
 */

import { type LetterEvent, printingsOf, printingThatLeft, proofsOf } from "../domain/departure.js";
import { type Designation, designationToShow } from "../domain/designation.js";
import type { ProofFileData } from "../domain/events.js";
import { dayIn, isoDateIn } from "../domain/time-zone.js";
import { pastDay } from "../domain/typed-days.js";
import { UserError } from "../errors.js";
import { type CaseRecord, setCaseStatus } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, readCaseEvents } from "../store/events.js";
import { listCaseMessages, type MessageRecord, setMessageState } from "../store/messages.js";
import { asSentNow } from "./as-sent.js";
import { requireCaseLetterAuthority } from "./authorization-gate.js";
import { chooseLetter } from "./case-letters.js";
import { requireCaseFor } from "./client-scope.js";
import { designationAtDeparture, letterIsFormal } from "./departure.js";
import { checkNotBeforeWritten, readLetterDates } from "./letter-history.js";
import { checkNotKept, keepProofFiles, type ProofFile, type ProofRequest, readProofFiles } from "./proof-files.js";
import type { Session } from "./session.js";

export interface MailingRequest {
  tracking?: string | undefined;
  /** The day it was mailed (YYYY-MM-DD); today when not given. */
  date?: string | undefined;
  /** The day tracking shows it delivered (YYYY-MM-DD). */
  delivered?: string | undefined;
  /** Which letter of the case (its message number), when the case holds more than one for the post. */
  letter?: number | undefined;
  /** Proof of mailing or delivery to keep with the letter. */
  proof?: ProofRequest | undefined;
}

export interface MailingRecord {
  /** What this call recorded: the mailing (with its delivery when known already), a later delivery, or proof. */
  recorded: "mailing" | "delivery" | "proof";
  caseRecord: CaseRecord;
  messageRowId: number | null;
  tracking: string;
  mailedOn: string;
  deliveredOn: string | null;
  /** For a mailing: the hash of the PDF recorded as the one mailed, or null when loanmail never printed it. */
  printedPdf?: string | null;
  /** What the mailing meant under Reg X, as frozen in its `mailed` event; null for an ordinary letter or a record made before 0.2. */
  designation?: Designation | null;
  /** The proof files kept by this call. */
  proofs: ProofFileData[];
  /** What the user should know about the record just made (an edit after the last printing, say). */
  warnings: string[];
}

/** Record the mailing of a case's post letter, the delivery of the one last mailed, or proof kept with one. */
export async function recordMailing(s: Session, ref: string, req: MailingRequest): Promise<MailingRecord> {
  const c = requireCaseFor(s, ref);
  // Every file is read and checked before anything is looked up for writing.
  const proofs = await readProofFiles(req.proof ?? {}, s.config().limits);
  const db = s.db();
  const today = isoDateIn(s.now, s.timeZone());
  const letters = listCaseMessages(db, c.id).filter((m) => m.direction === "out" && m.channel === "post");
  const events = readCaseEvents(db, c.id);
  const mailedEvents = events.flatMap((e) => (e.type === "mailed" ? [e] : []));
  if (c.status === "discarded")
    throw new UserError(`case ${c.tag} was discarded`, { code: "CASE_DISCARDED", hint: "nothing was mailed" });
  if (letters.length === 0) {
    throw new UserError(`case ${c.tag} has no letter for the post`, {
      code: "NO_POST_LETTER",
      hint: "its letters go by email: they are sent with loanmail send (a letter that left another way: loanmail sent)",
    });
  }
  if (req.letter !== undefined && !letters.some((m) => m.id === req.letter)) {
    throw new UserError(`case ${c.tag} has no letter ${req.letter} for the post`, {
      code: "LETTER_NOT_FOUND",
      hint: `its letters for the post: ${letters.map((m) => m.id).join(", ")}`,
    });
  }
  const chosen = (m: { id: number }) => req.letter === undefined || m.id === req.letter;
  const mailedChosen = mailedEvents.filter((e) => chosen({ id: e.message_id ?? -1 }));
  if (proofs.length > 0 && req.tracking === undefined && req.delivered === undefined && req.date === undefined)
    return recordProofOnly(s, c, events, mailedChosen, proofs);

  const delivered =
    req.delivered === undefined
      ? undefined
      : pastDay(req.delivered, "--delivered", today, "record it once it has happened");
  const drafts = letters.filter((m) => m.state === "draft" && chosen(m));
  // A delivery without a tracking number is the delivery of a letter already mailed and not yet delivered.
  const awaiting = mailedChosen.filter(
    (e) => !events.some((d) => d.type === "delivered" && d.message_id === e.message_id),
  );
  if (delivered && req.tracking === undefined && awaiting.length > 0) {
    const one = pickOne(
      c,
      awaiting,
      (e) => e.message_id ?? 0,
      "mailed and not yet delivered",
      `--delivered ${delivered}`,
    );
    return recordDelivery(s, c, one, delivered, withKept(events, one.message_id, proofs));
  }
  const draft =
    drafts.length > 0 ? pickOne(c, drafts, (m) => m.id, "for the post not yet mailed", "--tracking NUMBER") : undefined;
  if (draft) {
    const tracking = req.tracking?.trim();
    if (!tracking) {
      throw new UserError("--tracking is required", {
        code: "MISSING_OPTION",
        hint: `give the certified-mail number: loanmail mailed ${c.id} --tracking 9407...`,
      });
    }
    const mailedOn =
      req.date === undefined ? today : pastDay(req.date, "--date", today, "record it once it has happened");
    // Mailed before it was written (or composed) contradicts the record: refused, with both days named.
    const dates = readLetterDates(db, c.id, s.timeZone()).find((l) => l.message.id === draft.id);
    if (dates) checkNotBeforeWritten(dates, "--date", mailedOn, "mailed");
    // A counselor's letter is mailed only under an authorization valid on the day it was mailed.
    requireCaseLetterAuthority(db, c, draft, mailedOn, "mail");
    if (delivered && delivered < mailedOn) {
      throw new UserError(`--delivered ${delivered} is before the mailing date ${mailedOn}`, {
        code: "DATES_OUT_OF_ORDER",
        hint: "check the dates",
      });
    }
    checkNotKept(proofs, [], draft.id);
    return recordMailingOf(s, c, { draft, events, tracking, mailedOn, delivered, proofs });
  }

  const last = mailedChosen.at(-1);
  if (!last || !delivered) {
    throw new UserError(`every letter of ${c.tag} is already recorded as mailed`, {
      code: "ALREADY_MAILED",
      hint: `record the delivery with: loanmail mailed ${c.id} --delivered YYYY-MM-DD`,
    });
  }
  // A delivery is recorded once: a second date would leave the record saying two things about when clocks began.
  const already = events.find((d) => d.type === "delivered" && d.message_id === last.message_id);
  if (already?.type === "delivered") {
    throw new UserError(
      `letter ${last.message_id} of ${c.tag} is already recorded as delivered on ${already.data.delivered_on}`,
      {
        code: "ALREADY_DELIVERED",
        hint: `a delivery is recorded once; if that date was wrong, say so in the record: loanmail note ${c.id} "..."`,
      },
    );
  }
  return recordDelivery(s, c, last, delivered, withKept(events, last.message_id, proofs));
}

/** The proof files, refused when one of them is kept with that letter already. */
function withKept(events: readonly LetterEvent[], messageId: number | null, proofs: ProofFile[]): ProofFile[] {
  checkNotKept(proofs, messageId === null ? [] : proofsOf(events, messageId), messageId ?? 0);
  return proofs;
}

interface Mailing {
  draft: MessageRecord;
  events: readonly LetterEvent[];
  tracking: string;
  mailedOn: string;
  delivered: string | undefined;
  proofs: readonly ProofFile[];
}

/**
 * The mailing of a draft: it becomes sent; the event records what it was addressed to today and the PDF loanmail
 * printed of it last (the copy that was mailed), or null when loanmail never printed it.
 */
function recordMailingOf(s: Session, c: CaseRecord, x: Mailing): MailingRecord {
  const db = s.db();
  const { draft, tracking, mailedOn, delivered } = x;
  const { copy: printing, later } = printingThatLeft(printingsOf(x.events, draft.id), mailedOn, s.timeZone());
  const warnings: string[] = [];
  if (!printing && later) {
    warnings.push(
      `loanmail printed letter ${draft.id} on ${dayIn(later.at, s.timeZone())}, after the day it was mailed (${mailedOn}): that PDF is not the paper that was mailed, and the record holds no copy of it`,
    );
  } else if (!printing) {
    warnings.push(
      `loanmail did not print letter ${draft.id}, so it holds no copy of the paper that was mailed; the record says so`,
    );
  } else if (printing.letterSha256 !== draft.rawSha256) {
    warnings.push(
      `letter ${draft.id} was edited after it was last printed (${printing.at}): the record keeps that printing as the copy mailed`,
    );
  }
  let proofs: ProofFileData[] = [];
  // Whether it went to the designated notice address is decided now, as it leaves, and frozen in the event.
  const designation = designationAtDeparture(db, c, draft, "post", { day: mailedOn, timeZone: s.timeZone() });
  inTransaction(db, () => {
    setMessageState(db, draft.id, "sent", s.nowIso);
    if (c.status === "draft") setCaseStatus(db, c.id, "open", s.nowIso);
    appendCaseEvent(db, c, {
      at: s.nowIso,
      type: "mailed",
      actor: "user",
      messageId: draft.id,
      data: {
        tracking,
        mailed_on: mailedOn,
        sha256: draft.rawSha256,
        postal_address: draft.postalAddress,
        as_sent: asSentNow(db, c.loanId, draft),
        pdf_sha256: printing?.sha256 ?? null,
        designation,
      },
    });
    if (delivered) appendDelivered(s, c, draft.id, tracking, delivered);
    proofs = keepProofFiles(db, c, s.nowIso, draft.id, tracking, x.proofs);
  });
  return {
    recorded: "mailing",
    caseRecord: c,
    messageRowId: draft.id,
    tracking,
    mailedOn,
    deliveredOn: delivered ?? null,
    printedPdf: printing?.sha256 ?? null,
    designation: designationToShow(letterIsFormal(db, c, draft.id), designation),
    proofs,
    warnings,
  };
}

/** Proof added to a letter already mailed (a green card comes back weeks later): the mailing is not recorded again. */
function recordProofOnly(
  s: Session,
  c: CaseRecord,
  events: readonly LetterEvent[],
  mailed: readonly MailedEvent[],
  files: ProofFile[],
): MailingRecord {
  if (mailed.length === 0) {
    throw new UserError(`case ${c.tag} has no letter recorded as mailed to keep proof with`, {
      code: "NOT_MAILED_YET",
      hint: `record the mailing with the proof: loanmail mailed ${c.id} --tracking NUMBER --receipt FILE`,
    });
  }
  const one = pickOne(c, mailed, (e) => e.message_id ?? 0, "mailed", "--green-card FILE");
  withKept(events, one.message_id, files);
  const db = s.db();
  const proofs = inTransaction(db, () => keepProofFiles(db, c, s.nowIso, one.message_id, one.data.tracking, files));
  const deliveredOn = events.find((d) => d.type === "delivered" && d.message_id === one.message_id);
  return {
    recorded: "proof",
    caseRecord: c,
    messageRowId: one.message_id,
    tracking: one.data.tracking,
    mailedOn: one.data.mailed_on,
    deliveredOn: deliveredOn?.type === "delivered" ? deliveredOn.data.delivered_on : null,
    proofs,
    warnings: [],
  };
}

/** The one candidate, or a refusal naming them all: loanmail never guesses which letter was mailed. */
function pickOne<T>(c: CaseRecord, candidates: readonly T[], idOf: (x: T) => number, what: string, rest: string): T {
  const wrapped = candidates.map((x) => ({ x, id: idOf(x) }));
  return chooseLetter(c, wrapped, () => true, undefined, { command: "mailed", what, rest }).x;
}

type MailedEvent = {
  message_id: number | null;
  data: { tracking: string; mailed_on: string; designation?: Designation };
};

/** Record the carrier's delivery of a mailed letter (the day its Reg X clocks start), with any proof files. */
function recordDelivery(
  s: Session,
  c: CaseRecord,
  mailed: MailedEvent,
  delivered: string,
  files: readonly ProofFile[],
): MailingRecord {
  const { tracking, mailed_on: mailedOn } = mailed.data;
  if (delivered < mailedOn) {
    throw new UserError(`--delivered ${delivered} is before the mailing date ${mailedOn}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "check the dates",
    });
  }
  const db = s.db();
  const proofs = inTransaction(db, () => {
    appendDelivered(s, c, mailed.message_id, tracking, delivered);
    return keepProofFiles(db, c, s.nowIso, mailed.message_id, tracking, files);
  });
  return {
    recorded: "delivery",
    caseRecord: c,
    messageRowId: mailed.message_id,
    tracking,
    mailedOn,
    deliveredOn: delivered,
    designation: designationToShow(letterIsFormal(db, c, mailed.message_id ?? 0), mailed.data.designation ?? null),
    proofs,
    warnings: [],
  };
}

/** The `delivered` event: the day the carrier's tracking shows the letter delivered, when its clocks start. */
function appendDelivered(s: Session, c: CaseRecord, messageId: number | null, tracking: string, on: string): void {
  appendCaseEvent(s.db(), c, {
    at: s.nowIso,
    type: "delivered",
    actor: "user",
    messageId,
    data: { tracking, delivered_on: on },
  });
}
