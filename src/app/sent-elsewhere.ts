/** `loanmail sent`: a letter that left another way (portal upload, fax, delivered by hand), with optional proof. */
import { basename } from "node:path";
import type { Limits } from "../config/config.js";
import { megabytes, readRegularFile } from "../config/safe-files.js";
import { printingsOf, printingThatLeft } from "../domain/departure.js";
import { type Designation, designationToShow } from "../domain/designation.js";
import { isoDateIn } from "../domain/time-zone.js";
import { pastDay } from "../domain/typed-days.js";
import { UserError } from "../errors.js";
import { type CaseRecord, setCaseStatus } from "../store/cases.js";
import { inTransaction } from "../store/db.js";
import { appendCaseEvent, readCaseEvents } from "../store/events.js";
import { listCaseMessages, putBlob, setMessageState } from "../store/messages.js";
import { setLetterChannel } from "../store/sending.js";
import { asSentNow } from "./as-sent.js";
import { requireCaseLetterAuthority } from "./authorization-gate.js";
import { chooseLetter } from "./case-letters.js";
import { requireCaseFor } from "./client-scope.js";
import { designationAtDeparture, letterIsFormal } from "./departure.js";
import { checkNotBeforeWritten, readLetterDates } from "./letter-history.js";
import type { Session } from "./session.js";

export type OtherWay = "portal" | "fax" | "hand";

export interface SentElsewhereRequest {
  via?: string | undefined;
  date?: string | undefined;
  file?: string | undefined;
  /** Which letter of the case, when it holds more than one draft. */
  letter?: number | undefined;
}

export interface SentElsewhereResult {
  caseRecord: CaseRecord;
  messageRowId: number;
  via: OtherWay;
  sentOn: string;
  proof: { name: string; sha256: string } | undefined;
  /** What it meant under Reg X (null for an ordinary letter). */
  designation: Designation | null;
}

function isOtherWay(via: string | undefined): via is OtherWay {
  return via === "portal" || via === "fax" || via === "hand";
}

/** Record the case's latest draft as sent by `via` on `date`, keeping the proof file's bytes. */
export function recordSentElsewhere(s: Session, ref: string, req: SentElsewhereRequest): SentElsewhereResult {
  const db = s.db();
  const c = requireCaseFor(s, ref);
  const via = req.via;
  if (!isOtherWay(via)) {
    throw new UserError("--via must be portal, fax or hand", {
      code: "UNKNOWN_CHANNEL",
      hint: `for example: loanmail sent ${c.id} --via portal --date 2026-03-05`,
    });
  }
  // The config (for the time zone) is read only after the case and --via are checked.
  const today = isoDateIn(s.now, s.timeZone());
  const date = req.date;
  if (!date)
    throw new UserError("--date YYYY-MM-DD is required", { code: "MISSING_OPTION", hint: "the day the letter left" });
  // As every typed day: "--date 2026-02-30: not a date", the future, then the range (typed-days.ts).
  pastDay(date, "--date", today, "record it once it has happened");
  const letters = listCaseMessages(db, c.id).filter((m) => m.direction === "out");
  const draft = chooseLetter(c, letters, (m) => m.state === "draft", req.letter, {
    command: "sent",
    what: "not yet sent",
    none: () =>
      new UserError(`case ${c.tag} has no unsent letter`, {
        code: "NO_DRAFT",
        hint: `compose one first: loanmail compose KIND --case ${c.id}`,
      }),
  });
  const dates = readLetterDates(db, c.id, s.timeZone()).find((l) => l.message.id === draft.id);
  if (dates) checkNotBeforeWritten(dates, "--date", date, "sent");
  // A counselor's letter leaves only under an authorization valid on the day it left.
  requireCaseLetterAuthority(db, c, draft, date, "send");
  const file = req.file;
  const bytes = file ? readProof(file, s.config().limits) : undefined;
  const nowIso = s.nowIso;
  let proof: { name: string; sha256: string } | undefined;
  const designation = designationAtDeparture(db, c, draft, via, { day: date, timeZone: s.timeZone() });
  inTransaction(db, () => {
    if (bytes && file) proof = { name: basename(file), sha256: putBlob(db, bytes) };
    setLetterChannel(db, draft.id, via);
    setMessageState(db, draft.id, "sent", nowIso);
    if (c.status === "draft") setCaseStatus(db, c.id, "open", nowIso);
    appendCaseEvent(db, c, {
      at: nowIso,
      type: "sent",
      actor: "user",
      messageId: draft.id,
      data: {
        via,
        sent_on: date,
        proof,
        sha256: draft.rawSha256,
        as_sent: asSentNow(db, c.loanId, draft, via),
        designation,
        // The PDF loanmail printed last by that day is the copy that was uploaded, faxed or handed over, if any.
        pdf_sha256:
          printingThatLeft(printingsOf(readCaseEvents(db, c.id), draft.id), date, s.timeZone()).copy?.sha256 ?? null,
      },
    });
  });
  const shown = designationToShow(letterIsFormal(db, c, draft.id), designation);
  return { caseRecord: c, messageRowId: draft.id, via, sentOn: date, proof, designation: shown };
}

function readProof(file: string, limits: Limits): Buffer {
  const hint = "give a smaller copy of the confirmation (limits.attachment_mb in config.toml)";
  return readRegularFile(`--file ${file}`, file, megabytes(limits.attachment_mb, "for one file", hint), {
    notAFile: "give the confirmation or receipt file",
  });
}
