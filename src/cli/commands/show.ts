/** `loanmail show CASE [--pdf FILE]`: the whole case, or its latest letter as a printable PDF. */
import { writeFileSync } from "node:fs";
import { isErrno, UserError } from "../../errors.js";
import { buildStoredLetterPdf } from "../../export/stored-letter-pdf.js";
import { requireCase } from "../../store/cases.js";
import { readCaseEvents } from "../../store/events.js";
import { requireLoan } from "../../store/loans.js";
import { type AttachmentRecord, listAttachments, listCaseMessages, type MessageRecord } from "../../store/messages.js";
import { requireServicer } from "../../store/servicers.js";
import { formatClock } from "../clock-text.js";
import type { Context } from "../context.js";

function formatWhen(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", {
    timeZone,
    year: "numeric",
    month: "short",
    day: "numeric",
    hour: "numeric",
    minute: "2-digit",
    timeZoneName: "short",
  }).format(new Date(iso));
}

function destination(m: MessageRecord): string {
  if (m.channel === "post") return `post to ${m.postalAddress?.replace(/\n/g, ", ") ?? "(no address)"}`;
  return `${m.channel} to ${m.to.join(", ") || "(nobody)"}${m.cc.length ? `, cc ${m.cc.join(", ")}` : ""}`;
}

export async function runShow(ctx: Context, ref: string, opts: { pdf?: string; asOf?: string }): Promise<number> {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  const loan = requireLoan(db, String(c.loanId));
  const servicer = requireServicer(db, loan.servicerId);
  const messages = listCaseMessages(db, c.id);
  const withExhibits = messages.map((m) => ({ message: m, exhibits: listAttachments(db, m.id) }));
  const tz = ctx.timeZone();

  if (opts.pdf !== undefined) {
    const letter = [...withExhibits].reverse().find((x) => x.message.direction === "out");
    if (!letter) throw new UserError(`case ${c.tag} has no letter to print`, "compose one first");
    await writeLetterPdf(ctx, opts.pdf, letter.message, letter.exhibits, servicer.name, servicer.noticeAddress);
    ctx.out.result({ case: c.tag, pdf: opts.pdf, message: letter.message.id }, () => `Wrote ${opts.pdf}`);
    if (letter.message.channel === "post") {
      ctx.out.note(`Mail it by certified mail, then record it: loanmail mailed ${c.id} --tracking NUMBER`);
    }
    return 0;
  }

  const events = readCaseEvents(db, c.id).map((e) => ({
    id: e.id,
    at: e.at,
    type: e.type,
    actor: e.actor,
    message: e.message_id,
    data: e.data,
    hash: e.hash,
  }));
  const { asOfDate, caseClocks } = await import("./clocks.js");
  const asOf = asOfDate(ctx, opts.asOf);
  const clocks = caseClocks(ctx, c, asOf);
  ctx.out.result(
    {
      case: c,
      asOf,
      clocks,
      loan,
      servicer: { id: servicer.id, name: servicer.name },
      messages: withExhibits.map(({ message, exhibits }) => ({ ...message, exhibits })),
      events,
    },
    () => {
      const out: string[] = [
        `Case ${c.id}  ${c.tag}  ${c.kind}${c.formal ? " (formal)" : ""}  status: ${c.status}`,
        `Loan ${loan.id}: account ${loan.accountNumber} at ${servicer.name}; ${loan.borrowers.join(", ")}`,
        `Property: ${loan.propertyAddress.replace(/\n/g, ", ")}`,
        `Opened ${formatWhen(c.openedAt, tz)}`,
      ];
      for (const { message: m, exhibits } of withExhibits) {
        out.push(
          "",
          `── Message ${m.id}  ${m.direction === "out" ? "letter out" : "reply in"}  [${m.state ?? m.replyClass ?? ""}]`,
        );
        if (m.direction === "in" && m.replyClass === "other") {
          // The classifier did not recognise it, and an `other` reply meets no clock: the user should say what it is.
          out.push(`Not recognised as an answer: read it, then: loanmail classify ${m.id} response|acknowledgment|...`);
        }
        out.push(`Subject: ${m.subject ?? ""}`);
        out.push(`Channel: ${destination(m)}`);
        if (m.date) out.push(`Date:    ${formatWhen(m.date, tz)}`);
        out.push(`Message-ID: ${m.messageId ?? "(none)"}`, `SHA-256: ${m.rawSha256} (${m.size} bytes)`);
        for (const e of exhibits)
          out.push(`Exhibit: ${e.fileName}  ${e.contentType}  ${e.size} bytes  sha256 ${e.sha256.slice(0, 16)}…`);
        out.push("", (m.bodyText ?? "").trimEnd());
      }
      out.push("", `── Clocks on ${asOf}`);
      if (clocks.length === 0)
        out.push("none (a draft starts no clock; ordinary letters start only the servicer's promise)");
      for (const clock of clocks) out.push(formatClock(clock));
      out.push("", "── Events");
      for (const e of events) out.push(`${formatWhen(e.at, tz)}  ${e.type}  (${e.actor})`);
      return out.join("\n");
    },
  );
  return 0;
}

async function writeLetterPdf(
  ctx: Context,
  path: string,
  m: MessageRecord,
  exhibits: readonly AttachmentRecord[],
  servicerName: string,
  noticeAddress: string | null,
): Promise<void> {
  const pdf = await buildStoredLetterPdf(ctx.config().user, m, exhibits, servicerName, noticeAddress);
  try {
    writeFileSync(path, pdf, { mode: 0o600 });
  } catch (err) {
    if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOTDIR")) {
      throw new UserError(
        `cannot write ${path} (${(err as NodeJS.ErrnoException).code})`,
        "choose a writable file path for --pdf",
      );
    }
    throw err;
  }
}
