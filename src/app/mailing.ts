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
import type { Session } from "./session.js";

export interface MailingRequest {
  tracking?: string | undefined;
  /** The day it was mailed (YYYY-MM-DD); today when not given. */
  date?: string | undefined;
  /** The day tracking shows it delivered (YYYY-MM-DD). */
  delivered?: string | undefined;
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
  const draft = letters.find((m) => m.state === "draft");
  const mailedEvents = readCaseEvents(db, c.id).flatMap((e) => (e.type === "mailed" ? [e] : []));
  if (c.status === "discarded")
    throw new UserError(`case ${c.tag} was discarded`, { code: "CASE_DISCARDED", hint: "nothing was mailed" });
  if (letters.length === 0) {
    throw new UserError(`case ${c.tag} has no letter for the post`, {
      code: "NO_POST_LETTER",
      hint: "its letters go by email: they are sent with loanmail send (a letter that left another way: loanmail sent)",
    });
  }
  const delivered = req.delivered === undefined ? undefined : checkDate(req.delivered, "--delivered", today);

  if (draft) {
    const tracking = req.tracking?.trim();
    if (!tracking) {
      throw new UserError("--tracking is required", {
        code: "MISSING_OPTION",
        hint: `give the certified-mail number: loanmail mailed ${c.id} --tracking 9407...`,
      });
    }
    const mailedOn = req.date === undefined ? today : checkDate(req.date, "--date", today);
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
      if (delivered) {
        appendCaseEvent(db, c, {
          at: s.nowIso,
          type: "delivered",
          actor: "user",
          messageId: draft.id,
          data: { tracking, delivered_on: delivered },
        });
      }
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

  const last = mailedEvents[mailedEvents.length - 1];
  if (!last || !delivered) {
    throw new UserError(`every letter of ${c.tag} is already recorded as mailed`, {
      code: "ALREADY_MAILED",
      hint: `record the delivery with: loanmail mailed ${c.id} --delivered YYYY-MM-DD`,
    });
  }
  const { tracking, mailed_on: mailedOn } = last.data;
  if (delivered < mailedOn) {
    throw new UserError(`--delivered ${delivered} is before the mailing date ${mailedOn}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "check the dates",
    });
  }
  inTransaction(db, () =>
    appendCaseEvent(db, c, {
      at: s.nowIso,
      type: "delivered",
      actor: "user",
      messageId: last.message_id,
      data: { tracking, delivered_on: delivered },
    }),
  );
  return {
    recorded: "delivery",
    caseRecord: c,
    messageRowId: last.message_id,
    tracking,
    mailedOn,
    deliveredOn: delivered,
  };
}
