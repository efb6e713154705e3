/**
 * `show CASE` as text: the case, its letters (state, channel, what their departure meant, their printed copy and
 * proof), each message with its exhibits and body, its clocks, protections and options, and its events (each at
 * the time it was recorded, with the day it names).
 */
import type { CaseView, LetterRecordView, MessageRecord } from "../app/case-view.js";
import { addressedTo, PROOF_LABELS } from "../domain/departure.js";
import { effectiveStep } from "../domain/ladder.js";
import { isLoanProtection } from "../domain/protections.js";
import { formatClock, optionLines } from "./clock-text.js";
import { formatWhen } from "./dates.js";
import { PROTECTIONS_HEADING, protectionLines } from "./protection-text.js";
import { replyLines } from "./reply-text.js";

function destination(m: MessageRecord): string {
  // A reply on paper, a portal or a fax came to the borrower: it has no address of ours to name.
  if (m.direction === "in" && m.channel !== "email") return `${m.channel === "post" ? "mail" : m.channel}, to you`;
  if (m.channel === "post") return `post to ${m.postalAddress?.replace(/\n/g, ", ") ?? "(no address)"}`;
  return `${m.channel} to ${m.to.join(", ") || "(nobody)"}${m.cc.length ? `, cc ${m.cc.join(", ")}` : ""}`;
}

/** One letter's line in `show`: number, kind, state, channel and recipient, then what its departure meant. */
function describeLetter(l: CaseView["letters"][number], tz: string): string[] {
  const via = l.channel === "post" ? "post" : l.channel;
  const dates = [
    l.leftOn ? `${l.state === "sent" ? "sent" : l.channel === "post" ? "mailed" : "sent"} ${l.leftOn}` : "",
    l.tracking ? `tracking ${l.tracking}` : "",
    l.deliveredOn ? `delivered ${l.deliveredOn}` : "",
  ].filter(Boolean);
  const lines = [
    `Letter ${l.id}  ${l.kind ?? "letter"}${l.formal ? " (formal)" : ""}${l.lang === "es" ? " in Spanish" : ""}  [${l.state}]  ${via} to ${l.recipient ?? "(not recorded)"}${dates.length ? `; ${dates.join(", ")}` : ""}`,
  ];
  if (l.state !== "discarded" && (l.formal || l.designation.designated)) {
    const d = l.designation;
    const when = l.designationFrozen ? "" : l.state === "draft" ? " (if it left now)" : "";
    lines.push(
      d.designated
        ? `    Reg X: reaches ${d.where}${when}`
        : `    Reg X clocks do not run${when}: ${d.why} (12 C.F.R. 1024.35(c), 1024.36(b))`,
    );
  }
  const f = l.lastFailure;
  const next =
    l.state === "draft" ? "nothing left; a draft again" : f?.retryable ? "retried on the next send" : "permanent";
  if (f) lines.push(`    Send failed ${formatWhen(f.at, tz)}: ${f.response ?? f.code} (${next})`);
  for (const e of l.exhibits) lines.push(`    ${e.fileName}  sha256 ${e.sha256.slice(0, 16)}…`);
  lines.push(`    SHA-256 ${l.sha256}`);
  return lines;
}

/** How a letter left (to whom, as recorded then), its printed copy and its proof of mailing. */
function letterRecordLines({ departure: d, printings, proofs }: LetterRecordView): string[] {
  const out: string[] = [];
  const a = d?.asSent;
  if (a) out.push(`Sent to: ${addressedTo(a)}; account ${a.account_number}; ${a.borrowers.join(", ")} (as it left)`);
  else if (d) out.push("Sent to: not recorded when it left (recorded before loanmail kept it)");
  const copy = d?.printedCopy;
  const last = printings.at(-1);
  if (copy?.state === "held") out.push(`Printed copy: kept, the PDF that left (sha256 ${copy.sha256.slice(0, 16)}…)`);
  else if (copy?.state === "not-printed") {
    out.push("Printed copy: none held (loanmail printed none by the day it left)");
    // A printing made after the letter left is kept, but it is not the copy that left: said as such.
    if (last)
      out.push(
        `Printed later: ${printings.length} time(s), not the copy that left; last PDF sha256 ${last.sha256.slice(0, 16)}…`,
      );
  } else if (!d && last) out.push(`Printed: ${printings.length} time(s); last PDF sha256 ${last.sha256.slice(0, 16)}…`);
  for (const p of proofs)
    out.push(`Proof:   ${PROOF_LABELS[p.kind]}  ${p.name}  ${p.size} bytes  sha256 ${p.sha256.slice(0, 16)}…`);
  return out;
}

/** `show CASE` as text: the case, each message with its exhibits and body, its clocks and its events. */
/** A case opened in loanmail after its first letter was written (compose --dated): both days, not one as the other. */
function writtenBefore(view: CaseView): string {
  const first = [...view.dated.values()].map((d) => d.writtenOn).sort()[0];
  return first ? ` in loanmail; its first letter was written ${first}` : "";
}

export function describeCase(view: CaseView, tz: string): string {
  const { case: c, loan, servicer, asOf, clocks, events } = view;
  const out: string[] = [
    `Case ${c.id}  ${c.tag}  ${c.kind}${c.formal ? " (formal)" : ""}  status: ${c.status}  escalation step: ${effectiveStep(c)}`,
    `Loan ${loan.id}: account ${loan.accountNumber} at ${servicer.name}; ${loan.borrowers.join(", ")}`,
    `Property: ${loan.propertyAddress.replace(/\n/g, ", ")}`,
    `Opened ${formatWhen(c.openedAt, tz)}${writtenBefore(view)}`,
  ];
  if (view.letters.length > 0) out.push("", "── Letters");
  for (const l of view.letters) out.push(...describeLetter(l, tz));
  // A letter's state as its letter line says it (a posted letter is mailed or delivered, not "sent").
  const letterState = new Map(view.letters.map((l) => [l.id, l.state]));
  for (const entry of view.messages) {
    const { message: m, exhibits, reply } = entry;
    const state = letterState.get(m.id) ?? m.state ?? m.replyClass ?? "";
    out.push("", `── Message ${m.id}  ${m.direction === "out" ? "letter out" : "reply in"}  [${state}]`);
    if (m.direction === "in" && m.replyClass === "needs-review") {
      // The classifier was not sure: the reply meets no clock until the user says what it is (`due` lists it first).
      out.push(
        `NEEDS REVIEW: meets no clock until you classify it: loanmail classify ${m.id} CLASS (why: loanmail classify ${m.id} --explain)`,
      );
    } else if (m.direction === "in" && m.replyClass === "other") {
      // The classifier did not recognise it, and an `other` reply meets no clock: the user should say what it is.
      out.push(`Not recognised as an answer: read it, then: loanmail classify ${m.id} response|acknowledgment|...`);
    }
    out.push(`From:    ${m.from ?? (m.direction === "in" ? "(not named: recorded by you)" : "(you)")}`);
    out.push(`Subject: ${m.subject ?? ""}`);
    out.push(`Channel: ${destination(m)}`);
    // A reply: its sender's standing, when it arrived and how that is known, its Date beside it.
    const dated = view.dated.get(m.id);
    if (reply) out.push(...replyLines(m, reply, (iso) => formatWhen(iso, tz)));
    // A letter entered later carries noon of its written day in its Date header: a day, not a time anyone gave.
    else if (dated) out.push(`Written: ${dated.writtenOn} (entered ${dated.enteredOn}; recorded later than written)`);
    else if (m.date) out.push(`Date:    ${formatWhen(m.date, tz)}`);
    out.push(`Message-ID: ${m.messageId ?? "(none)"}`, `SHA-256: ${m.rawSha256} (${m.size} bytes)`);
    for (const e of exhibits)
      out.push(`Exhibit: ${e.fileName}  ${e.contentType}  ${e.size} bytes  sha256 ${e.sha256.slice(0, 16)}…`);
    out.push(...letterRecordLines(entry));
    out.push("", (m.bodyText ?? "").trimEnd());
  }
  out.push("", `── Clocks on ${asOf}`);
  if (clocks.length === 0)
    out.push("none (a draft starts no clock; ordinary letters start only the servicer's promise)");
  for (const clock of clocks) out.push(formatClock(clock));
  if (view.protections.length > 0) {
    out.push("", `── ${PROTECTIONS_HEADING}`);
    for (const p of view.protections) out.push(...protectionLines(p, isLoanProtection(p) ? `loan ${loan.id}` : c.tag));
  }
  out.push(...optionLines(view.options));
  // Each event at the time it was recorded (the hash chain's order), then the day it names, when the user gave one:
  // a letter mailed on Nov 2 and entered on Dec 3 was mailed on Nov 2.
  out.push("", "── Events (when recorded)");
  for (const e of events) {
    const s = e.stated;
    const named = s ? `  ${s.label} ${s.value.length === 10 ? s.value : formatWhen(s.value, tz)}` : "";
    out.push(`${formatWhen(e.at, tz)}  ${e.type}  (${e.actor})${named}`);
  }
  return out.join("\n");
}
