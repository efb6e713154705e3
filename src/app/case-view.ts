/**
 * `show CASE`: everything about one case (its loan and servicer, each message with its exhibits, the event log
 * and the clocks on a day), or its latest letter printed as a PDF to mail.
 */
import { writeFileSync } from "node:fs";
import type { IsoDate } from "../domain/calendar.js";
import type { Clock } from "../domain/clocks.js";
import { isErrno, UserError } from "../errors.js";
import { buildStoredLetterPdf } from "../export/stored-letter-pdf.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents, type StoredEvent } from "../store/events.js";
import { type Loan, requireLoan } from "../store/loans.js";
import { type AttachmentRecord, listAttachments, listCaseMessages, type MessageRecord } from "../store/messages.js";
import { requireServicer, type Servicer } from "../store/servicers.js";
import { computeCaseClocks } from "./case-clocks.js";
import { readLetterDates } from "./letter-history.js";
import type { Session } from "./session.js";

export type { AttachmentRecord, MessageRecord } from "../store/messages.js";

/** One event as `show` lists it. */
export interface CaseViewEvent {
  id: number;
  at: string;
  type: StoredEvent["type"];
  actor: string;
  message: number | null;
  data: StoredEvent["data"];
  hash: string;
}

export interface CaseView {
  case: CaseRecord;
  asOf: IsoDate;
  clocks: Clock[];
  loan: Loan;
  servicer: Servicer;
  messages: { message: MessageRecord; exhibits: AttachmentRecord[] }[];
  events: CaseViewEvent[];
  /** Letters written before they were entered (`compose --dated`): the day written and the day entered. */
  dated: ReadonlyMap<number, { writtenOn: string; enteredOn: string }>;
}

interface CaseLetters {
  loan: Loan;
  servicer: Servicer;
  messages: { message: MessageRecord; exhibits: AttachmentRecord[] }[];
}

function readCaseLetters(db: Db, c: CaseRecord): CaseLetters {
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  const messages = listCaseMessages(db, c.id).map((m) => ({ message: m, exhibits: listAttachments(db, m.id) }));
  return { loan, servicer, messages };
}

/** The case found by findCase, with its clocks on `asOf`. */
export function readCaseView(s: Session, c: CaseRecord, asOf: IsoDate): CaseView {
  const db = s.db();
  const { loan, servicer, messages } = readCaseLetters(db, c);
  const events = readCaseEvents(db, c.id).map((e) => ({
    id: e.id,
    at: e.at,
    type: e.type,
    actor: e.actor,
    message: e.message_id,
    data: e.data,
    hash: e.hash,
  }));
  const clocks = computeCaseClocks(db, c, s.timeZone(), asOf);
  const dated = new Map(
    readLetterDates(db, c.id, s.timeZone()).flatMap((l) =>
      l.enteredOn === undefined ? [] : [[l.message.id, { writtenOn: l.writtenOn, enteredOn: l.enteredOn }] as const],
    ),
  );
  return { case: c, asOf, clocks, loan, servicer, messages, events, dated };
}

/** Print the case's latest letter, with its exhibits, as a PDF at `path` (owner-only); returns that letter. */
export async function writeLatestLetterPdf(s: Session, c: CaseRecord, path: string): Promise<MessageRecord> {
  const { servicer, messages } = readCaseLetters(s.db(), c);
  const letter = [...messages].reverse().find((x) => x.message.direction === "out");
  if (!letter)
    throw new UserError(`case ${c.tag} has no letter to print`, {
      code: "NO_LETTER_TO_PRINT",
      hint: "compose one first",
    });
  const pdf = await buildStoredLetterPdf(
    s.config().user,
    letter.message,
    letter.exhibits,
    servicer.name,
    servicer.noticeAddress,
  );
  try {
    writeFileSync(path, pdf, { mode: 0o600 });
  } catch (err) {
    if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOTDIR")) {
      throw new UserError(`cannot write ${path} (${err.code})`, {
        code: "PDF_NOT_WRITABLE",
        hint: "choose a writable file path for the PDF",
      });
    }
    throw err;
  }
  return letter.message;
}
