/**
 * The CFPB complaint packet of the regulator step: the complaint's two text boxes, the desired resolution, and
 * copies of every cited letter, reply and exhibit with their SHA-256, in an owner-only folder of the home. In a
 * counselor's home the complaint is the counselor's, submitted on the borrowers' behalf (cfpb-complaint.ts).
 */
import { join } from "node:path";
import type { IsoDate } from "../domain/calendar.js";
import type { ComplaintOnBehalf } from "../domain/cfpb-complaint.js";
import {
  buildCfpbComplaint,
  CFPB_TEXT_LIMIT,
  type EscalationInput,
  type EscalationPlan,
} from "../domain/escalation.js";
import { cleanLabel } from "../domain/exhibits.js";
import { joinNames } from "../domain/letter.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { buildStoredLetterPdf } from "../export/stored-letter-pdf.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseEvents } from "../store/events.js";
import { type Loan, requireLoan } from "../store/loans.js";
import { getBlob, listAttachments, listCaseMessages, sha256Hex } from "../store/messages.js";
import { requireServicer } from "../store/servicers.js";
import { authorizationValidOn } from "./authorization-gate.js";
import { counselorHome } from "./counselor-home.js";
import type { EscalateDeps, WrittenFile } from "./escalate.js";
import { lettersThatLeft } from "./letter-history.js";
import { asUserError, ownerOnlyDir, writeOwnerFile } from "./owner-files.js";
import type { Session } from "./session.js";

/**
 * In a counselor's home, who submits the complaint for whom: the counselor and agency, and the borrowers who
 * signed the third-party authorization valid on `asOf` (the loan's borrowers when none is valid: the complaint
 * then names no authorization). Undefined in a borrower's home.
 */
function complaintOnBehalf(db: Db, loan: Loan, asOf: string): ComplaintOnBehalf | undefined {
  const home = counselorHome(db);
  if (!home) return undefined;
  const { valid } = authorizationValidOn(db, loan.id, loan.servicerId, asOf);
  return {
    counselor: home.counselor.name,
    agency: home.agency.name,
    hudAgencyId: home.agency.hud_id,
    borrowers: valid && valid.signers.length > 0 ? valid.signers : loan.borrowers,
    signedOn: valid?.signedOn ?? null,
  };
}

/**
 * How a counselor files it, in general words (the portal's own labels change): as a complaint on behalf of
 * someone else, with the borrowers' consent.
 */
function onBehalfFiling(borrowers: readonly string[]): string {
  return `As a housing counselor, file it as a complaint on behalf of someone else (${joinNames(borrowers)}), and only with their consent to it.`;
}

/** A name unique in `used`: "name.pdf", then "name (2).pdf". */
function uniqueName(name: string, used: Set<string>): string {
  const dot = name.lastIndexOf(".");
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ""];
  let candidate = name;
  for (let n = 2; used.has(candidate.toLowerCase()); n++) candidate = `${stem} (${n})${ext}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/** Copies of every cited message (letters as PDF, replies as text) and their exhibits, with their listings. */
async function gatherCitedCopies(
  deps: EscalateDeps,
  chain: readonly CaseRecord[],
  plan: EscalationPlan & { ok: true },
  used: Set<string>,
  servicer: { name: string; noticeAddress: string | null },
): Promise<{ messageLines: string[]; exhibitLines: string[]; payload: { name: string; data: Uint8Array }[] }> {
  const { db, config } = deps;
  const messageLines: string[] = [];
  let messageCount = 0;
  const exhibitLines: string[] = [];
  const cited = new Map(plan.cites.map((x) => [x.message, x]));
  const payload: { name: string; data: Uint8Array }[] = [];
  for (const link of chain) {
    for (const m of listCaseMessages(db, link.id)) {
      const cite = cited.get(m.id);
      if (!cite) continue; // drafts never left: they are not part of the record the servicer saw
      const attachments = listAttachments(db, m.id);
      let copy: string;
      if (m.direction === "out") {
        copy = uniqueName(`${cleanLabel(`${link.tag} letter ${cite.date} (message ${m.id})`)}.pdf`, used);
        payload.push({
          name: copy,
          data: await buildStoredLetterPdf(config.user, m, attachments, servicer.name, servicer.noticeAddress),
        });
      } else {
        copy = uniqueName(`${cleanLabel(`${link.tag} reply ${cite.date} (message ${m.id})`)}.txt`, used);
        payload.push({
          name: copy,
          data: Buffer.from(
            [
              `From: ${m.from ?? "(unknown)"}`,
              `Date: ${cite.date}`,
              `Subject: ${m.subject ?? ""}`,
              `Message-ID: ${m.messageId ?? "(none)"}`,
              `Class: ${m.replyClass ?? "other"}`,
              "",
              m.bodyText ?? "",
            ].join("\n"),
          ),
        });
      }
      messageLines.push(
        `${String(++messageCount).padStart(2)}. ${cite.date}  ${m.direction === "out" ? "letter out" : `reply in (${m.replyClass ?? "other"})`}  ${link.tag}  ${m.channel}`,
        `    Subject: ${m.subject ?? ""}`,
        `    Message-ID: ${m.messageId ?? "(none)"}`,
        `    SHA-256 of the stored message: ${m.rawSha256} (${m.size} bytes)`,
        `    In this folder: ${copy}${m.direction === "out" ? " (the letter printed as PDF)" : " (its text)"}`,
      );
      for (const a of attachments) {
        const data = getBlob(db, a.sha256);
        if (!data) continue;
        const name = uniqueName(cleanLabel(`${link.tag} ${a.fileName}`), used);
        payload.push({ name, data });
        exhibitLines.push(
          `- ${name}`,
          `    ${a.contentType}, ${a.size} bytes, SHA-256 ${a.sha256}`,
          `    ${m.direction === "out" ? "enclosed with" : "received with"} message ${m.id} of ${cite.date}`,
        );
      }
    }
  }
  return { messageLines, exhibitLines, payload };
}

/**
 * The CFPB complaint packet: `<home>/complaints/<tag>-cfpb/` (0700) with narrative.txt (the two text boxes of the
 * complaint form), desired-resolution.txt, exhibits.txt (every message and exhibit with SHA-256), the exhibits
 * themselves from the blobs table, each letter as a PDF and each email reply's text.
 */
export async function writeComplaintPacket(
  deps: EscalateDeps,
  c: CaseRecord,
  chain: readonly CaseRecord[],
  input: EscalationInput,
  plan: EscalationPlan,
): Promise<{ dir: string; files: WrittenFile[]; filing: string | null }> {
  const { db } = deps;
  const dir = join(deps.homeDir, "complaints", `${c.tag}-cfpb`);
  const files: WrittenFile[] = [];
  const used = new Set(["narrative.txt", "desired-resolution.txt", "exhibits.txt"]);
  const put = (name: string, data: string | Uint8Array) => {
    writeOwnerFile(join(dir, name), data);
    const bytes = typeof data === "string" ? Buffer.from(data) : data;
    files.push({ name, sha256: sha256Hex(bytes), size: bytes.length });
  };
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  const onBehalf = complaintOnBehalf(db, loan, deps.asOf);
  const complaint = buildCfpbComplaint(input, plan, onBehalf);
  const filing = onBehalf ? onBehalfFiling(onBehalf.borrowers) : null;

  const { messageLines, exhibitLines, payload } = await gatherCitedCopies(deps, chain, plan, used, servicer);
  const made = deps.now.toISOString();
  const narrative = [
    `CFPB complaint packet for ${c.tag} (${servicer.name}), prepared by loanmail on ${made}.`,
    "Paste each section into the matching box of the complaint form at https://www.consumerfinance.gov/complaint/",
    `(each is under ${CFPB_TEXT_LIMIT.toLocaleString("en-US")} characters) and upload the files of this folder listed in exhibits.txt.`,
    ...(filing ? [filing] : []),
    "",
    "== The form's choices (proposed from your record; pick the closest one the form offers) ==",
    "",
    `Product: ${complaint.form.product}`,
    `Sub-product: ${complaint.form.subProduct}`,
    `Issue: ${complaint.form.issue}`,
    `Have you already tried to fix this problem with the company? ${complaint.form.triedToFix}`,
    `Account number (its own field; it is left out of the text below): ${loan.accountNumber}`,
    "",
    `== What happened (${complaint.whatHappened.length} characters) ==`,
    "",
    complaint.whatHappened,
    "",
    `== What do you want the company to do to resolve the issue? (${complaint.desiredResolution.length} characters) ==`,
    "",
    complaint.desiredResolution,
    "",
    "== Full chronology ==",
    "",
    ...complaint.chronology.map((e, i) => `${i + 1}. ${e}`),
    "",
  ].join("\n");
  const exhibits = [
    `Exhibits and messages of ${c.tag} and the cases it continues: ${chain.map((x) => x.tag).join(", ")}`,
    "SHA-256 hashes are of the exact bytes loanmail stores; `loanmail export` bundles the originals.",
    "",
    "Messages, in order:",
    ...(messageLines.length ? messageLines : ["  (none)"]),
    "",
    "Exhibits (copies in this folder):",
    ...(exhibitLines.length ? exhibitLines : ["  (none)"]),
    "",
  ].join("\n");
  try {
    ownerOnlyDir(join(deps.homeDir, "complaints"));
    ownerOnlyDir(dir);
    put("narrative.txt", narrative);
    put("desired-resolution.txt", `${complaint.desiredResolution}\n`);
    put("exhibits.txt", exhibits);
    for (const p of payload) put(p.name, p.data);
  } catch (err) {
    asUserError(err, `the complaint packet in ${dir}`, {
      code: "COMPLAINT_PACKET_NOT_WRITABLE",
      hint: "free some space or make the loanmail home writable, then run escalate again",
    });
  }
  return { dir, files, filing };
}

/**
 * The first day a CFPB complaint of case `c` can have been sent to the company: the day its first complaint packet
 * was written (the `escalated` event's day, or the day past it was judged on, `escalate --as-of`), else the day the
 * case's first letter left; null when the case has neither (a complaint filed without a letter).
 */
function firstFilingDay(db: Db, c: CaseRecord, timeZone: string): { on: IsoDate; after: string } | null {
  const packets = readCaseEvents(db, c.id).flatMap((e) => {
    if (e.type !== "escalated" || !e.data.packet) return [];
    const recorded = isoDateIn(new Date(e.at), timeZone);
    return [e.data.as_of !== undefined && e.data.as_of < recorded ? e.data.as_of : recorded];
  });
  const packet = packets.sort()[0];
  if (packet !== undefined) return { on: packet, after: `loanmail wrote the complaint packet of ${c.tag}` };
  const left = lettersThatLeft(db, c.id, timeZone)[0];
  return left ? { on: left.leftOn, after: `the first letter of ${c.tag} left` } : null;
}

/**
 * `filed --cfpb-id ID --date D`: refused (DATES_OUT_OF_ORDER, nothing written) when the complaint would have been
 * sent to the company before its packet was written, or with no packet, before the case's first letter left: its
 * clocks would run from a day the record contradicts.
 */
export function checkCfpbFilingDay(s: Session, c: CaseRecord, on: IsoDate): void {
  const first = firstFilingDay(s.db(), c, s.timeZone());
  if (!first || on >= first.on) return;
  throw new UserError(`the complaint's day ${on} is before ${first.after} (${first.on})`, {
    code: "DATES_OUT_OF_ORDER",
    hint: `give the day the CFPB sent the complaint to the company (its portal shows it): ${first.on} or later`,
  });
}
