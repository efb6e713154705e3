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
import { type CaseLetter, chooseLetter, readCaseLetters as readLetterRecords } from "./case-letters.js";
import { type ReplyView, replyViewOf } from "./reply-checks.js";
import type { Session } from "./session.js";

export type { AttachmentRecord, MessageRecord } from "../store/messages.js";
export type { ReplyView } from "./reply-checks.js";

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
  /** Each message with its exhibits, and for a reply when it arrived and who sent it (reply-checks.ts). */
  messages: { message: MessageRecord; exhibits: AttachmentRecord[]; reply: ReplyView | null }[];
  /** Every letter of the case with its state, channel, recipient, exhibits, hash and Reg X effect. */
  letters: CaseLetter[];
  events: CaseViewEvent[];
}

interface CaseLetters {
  loan: Loan;
  servicer: Servicer;
  messages: CaseView["messages"];
}

function readCaseLetters(db: Db, c: CaseRecord): CaseLetters {
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  const messages = listCaseMessages(db, c.id).map((m) => ({
    message: m,
    exhibits: listAttachments(db, m.id),
    reply: replyViewOf(db, m),
  }));
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
  return { case: c, asOf, clocks, loan, servicer, messages, letters: readLetterRecords(db, c), events };
}

/**
 * Print a letter of the case, with its exhibits, as a PDF at `path` (owner-only); returns that letter. The one
 * named, else the only draft, else (no draft) the only letter that left; several candidates are refused by number.
 */
export async function writeLetterPdf(s: Session, c: CaseRecord, path: string, wanted?: number): Promise<MessageRecord> {
  const { servicer, messages } = readCaseLetters(s.db(), c);
  const letters = messages
    .filter((x) => x.message.direction === "out")
    .map((x) => ({ ...x, id: x.message.id, state: x.message.state }));
  const drafts = letters.filter((x) => x.state === "draft");
  const pool = drafts.length > 0 ? drafts : letters.filter((x) => x.state !== "discarded");
  const letter = chooseLetter(
    c,
    letters,
    (x) => (wanted === undefined ? pool.includes(x) : x.state !== "discarded"),
    wanted,
    {
      command: "show",
      what: drafts.length > 0 ? "not yet sent" : "to print",
      none: () =>
        new UserError(`case ${c.tag} has no letter to print`, {
          code: "NO_LETTER_TO_PRINT",
          hint: "compose one first",
        }),
    },
  );
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
