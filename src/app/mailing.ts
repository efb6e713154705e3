/**
 * A letter that went by (certified) post. The first record is the mailing: the draft becomes sent, with its
 * tracking number and the day it was mailed. A later record with the delivery day from the carrier's tracking is
 * what starts a Reg X clock.
 */
import { isValidIsoDate } from "../domain/fields.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { type CaseRecord, requireCase, setCaseStatus } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, readCaseEvents } from "../store/events.js";
import { listCaseMessages, setMessageState } from "../store/messages.js";
import { checkNotBeforeWritten, readLetterDates } from "./letter-history.js";
import type { Session } from "./session.js";

export interface MailingRequest {
  tracking?: string | undefined;
  /** The day it was mailed (YYYY-MM-DD); today when not given. */
  date?: string | undefined;
  /** The day tracking shows it delivered (YYYY-MM-DD). */
  delivered?: string | undefined;
  /** Which letter of the case (its message number), when the case holds more than one for the post. */
  letter?: number | undefined;
}

export interface MailingRecord {
  /** What this call recorded: the mailing (with its delivery when known already), or a later delivery. */
  recorded: "mailing" | "delivery";
  caseRecord: CaseRecord;
  messageRowId: number | null;
  tracking: string;
  mailedOn: string;
  deliveredOn: string | null;
}

function checkDate(value: string, flag: string, today: string): string {
  if (!isValidIsoDate(value))
    throw new UserError(`${flag} ${value}: not a date`, { code: "INVALID_DATE", hint: "write dates as YYYY-MM-DD" });
  if (value > today)
    throw new UserError(`${flag} ${value} is in the future`, {
      code: "DATE_IN_FUTURE",
      hint: "record it once it has happened",
    });
  return value;
}

/** Record the mailing of a case's post letter, or the delivery of the one last mailed. */
export function recordMailing(s: Session, ref: string, req: MailingRequest): MailingRecord {
  const db = s.db();
  const c = requireCase(db, ref, s.prefix());
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
  const delivered = req.delivered === undefined ? undefined : checkDate(req.delivered, "--delivered", today);
  const chosen = (m: { id: number }) => req.letter === undefined || m.id === req.letter;
  const drafts = letters.filter((m) => m.state === "draft" && chosen(m));
  // A delivery without a tracking number is the delivery of a letter already mailed and not yet delivered.
  const awaiting = mailedEvents.filter(
    (e) =>
      chosen({ id: e.message_id ?? -1 }) &&
      !events.some((d) => d.type === "delivered" && d.message_id === e.message_id),
  );
  if (delivered && req.tracking === undefined && awaiting.length > 0) {
    return recordDelivery(
      s,
      c,
      pickOne(c, awaiting, (e) => e.message_id ?? 0, "mailed and not yet delivered"),
      delivered,
    );
  }
  const draft = drafts.length > 0 ? pickOne(c, drafts, (m) => m.id, "for the post not yet mailed") : undefined;
  if (draft) {
    const tracking = req.tracking?.trim();
    if (!tracking) {
      throw new UserError("--tracking is required", {
        code: "MISSING_OPTION",
        hint: `give the certified-mail number: loanmail mailed ${c.id} --tracking 9407...`,
      });
    }
    const mailedOn = req.date === undefined ? today : checkDate(req.date, "--date", today);
    // Mailed before it was written (or composed) contradicts the record: refused, with both days named.
    const dates = readLetterDates(db, c.id, s.timeZone()).find((l) => l.message.id === draft.id);
    if (dates) checkNotBeforeWritten(dates, "--date", mailedOn, "mailed");
    if (delivered && delivered < mailedOn) {
      throw new UserError(`--delivered ${delivered} is before the mailing date ${mailedOn}`, {
        code: "DATES_OUT_OF_ORDER",
        hint: "check the dates",
      });
    }
    inTransaction(db, () => {
      setMessageState(db, draft.id, "sent", s.nowIso);
      if (c.status === "draft") setCaseStatus(db, c.id, "open", s.nowIso);
      appendCaseEvent(db, c, {
        at: s.nowIso,
        type: "mailed",
        actor: "user",
        messageId: draft.id,
        data: { tracking, mailed_on: mailedOn, sha256: draft.rawSha256, postal_address: draft.postalAddress },
      });
      if (delivered) appendDelivered(s, c, draft.id, tracking, delivered);
    });
    return {
      recorded: "mailing",
      caseRecord: c,
      messageRowId: draft.id,
      tracking,
      mailedOn,
      deliveredOn: delivered ?? null,
    };
  }

  const last = mailedEvents.filter((e) => chosen({ id: e.message_id ?? -1 })).at(-1);
  if (!last || !delivered) {
    throw new UserError(`every letter of ${c.tag} is already recorded as mailed`, {
      code: "ALREADY_MAILED",
      hint: `record the delivery with: loanmail mailed ${c.id} --delivered YYYY-MM-DD`,
    });
  }
  return recordDelivery(s, c, last, delivered);
}

/** The one candidate, or a refusal naming them all: loanmail never guesses which letter was mailed. */
function pickOne<T>(c: CaseRecord, candidates: readonly T[], idOf: (x: T) => number, what: string): T {
  const [only, ...others] = candidates;
  if (only !== undefined && others.length === 0) return only;
  const ids = candidates.map(idOf);
  throw new UserError(
    `case ${c.tag} has ${ids.length} letters ${what}: ${ids.map((id) => `letter ${id}`).join(", ")}`,
    {
      code: "LETTER_AMBIGUOUS",
      hint: `name one: loanmail mailed ${c.id} --letter ${ids[0]} ...`,
    },
  );
}

/** Record the carrier's delivery of a mailed letter: the day its Reg X clocks start. */
function recordDelivery(
  s: Session,
  c: CaseRecord,
  mailed: { message_id: number | null; data: { tracking: string; mailed_on: string } },
  delivered: string,
): MailingRecord {
  const { tracking, mailed_on: mailedOn } = mailed.data;
  if (delivered < mailedOn) {
    throw new UserError(`--delivered ${delivered} is before the mailing date ${mailedOn}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "check the dates",
    });
  }
  inTransaction(s.db(), () => appendDelivered(s, c, mailed.message_id, tracking, delivered));
  return {
    recorded: "delivery",
    caseRecord: c,
    messageRowId: mailed.message_id,
    tracking,
    mailedOn,
    deliveredOn: delivered,
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
