/**
 * A message as the timeline shows it: a reply's sender standing and arrival, a letter's record when it left (whom
 * it was addressed to, its printed copy, its proof of mailing), and the files each row adds. Part of the timeline
 * model (timeline.ts); pure.
 */
import { addressedTo, type LetterDeparture, letterState, PROOF_LABELS } from "../domain/departure.js";
import { statedWhen } from "../domain/event-when.js";
import type { AsSentData } from "../domain/events.js";
import { dateDiscrepancyDays, storedArrival } from "../domain/reply-arrival.js";
import { meetsClocks, standingOf, trustLabel } from "../domain/reply-trust.js";
import { count } from "../domain/words.js";
import type { EventRow } from "../store/events.js";
import type { AttachmentRecord } from "../store/messages.js";
import type { LetterRecord } from "./letter-records.js";
import type { BundlePaths, RowExhibit, SentTo, TimelineMessage } from "./timeline.js";
import type { SourceCase, SourceMessage } from "./timeline-sources.js";

/** An attachment as a row or message shows it, with its file inside a bundle when there is one. */
export function exhibitOf(a: AttachmentRecord, paths: BundlePaths | undefined): RowExhibit {
  return {
    name: a.fileName,
    label: a.exhibit ?? a.label,
    sha256: a.sha256,
    size: a.size,
    file: paths?.attachments.get(a.id) ?? null,
  };
}

/**
 * A reply recorded by hand (`received --via post|portal|fax`): its .eml is loanmail's own short note of it, not
 * the reply; the reply itself is the scan the user kept.
 */
export function isReplyRecordedByHand(m: { direction: string; channel: string }): boolean {
  return m.direction === "in" && m.channel !== "email";
}

/**
 * Who a row says acted: the event's actor, but for a reply recorded by hand no more than the record holds: the
 * user recorded it as the servicer's, by a channel, and gave no sender.
 */
export function rowActor(e: EventRow, m: SourceMessage | undefined): string {
  if (e.type !== "received" || !m || !isReplyRecordedByHand(m)) return e.actor;
  return m.from ? `${m.from} (by ${m.channel})` : `${e.actor} (by ${m.channel}; sender not recorded)`;
}

/** What a reply's row adds: who sent it if held back, how its arrival is known, what does not add up. */
export function replyNote(m: SourceMessage): string {
  if (m.direction !== "in" || m.channel !== "email") return "";
  const arrival = storedArrival(m);
  const gap = dateDiscrepancyDays(m.date, arrival);
  const standing = m.trust === "trusted" ? undefined : standingOf(m);
  return [
    standing
      ? standing.confirmed
        ? `sender ${trustLabel(standing)}`
        : `${standing.status.toUpperCase()} sender: ${m.trustWhy.join("; ")}; it meets no clock unless confirmed`
      : "",
    arrival.source === "recorded" ? "arrival not proven (the time it was recorded)" : "",
    arrival.source === "received" ? `arrived at ${arrival.by ?? "your server"} (its Received field)` : "",
    gap !== null ? `its Date header (${m.date}) is ${count(gap, "day")} before it arrived` : "",
    m.messageIdReused ? "Message-ID reused (another message held it with other bytes)" : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** The files a letter's record adds to a row: the printed copy that left, the proof files kept. */
export function recordExhibits(e: EventRow, r: LetterRecord | undefined, paths: BundlePaths | undefined): RowExhibit[] {
  if (!r) return [];
  const file = (sha256: string) => paths?.files?.get(sha256) ?? null;
  const copy = r.departure?.printedCopy;
  if (copy?.state === "held" && r.departure?.eventId === e.id) {
    const size = r.printings.find((p) => p.sha256 === copy.sha256)?.size ?? 0;
    const name = "letter as it left (PDF printed by loanmail)";
    return [{ name, label: "printed copy", sha256: copy.sha256, size, file: file(copy.sha256) }];
  }
  if (e.type !== "mail-proof") return [];
  return r.proofs
    .filter((p) => p.eventId === e.id)
    .map((p) => ({ name: p.name, label: PROOF_LABELS[p.kind], sha256: p.sha256, size: p.size, file: file(p.sha256) }));
}

/**
 * What a `printed` row says of its PDF: whether it is the copy that left, and where it is, as the record and the
 * bundle hold it. A PDF printed after the day the letter left (a letter entered later: printingThatLeft in
 * domain/departure.ts) is kept in the record but is not the copy that left, and a bundle holds only that copy.
 */
export function printingNote(
  data: Readonly<Record<string, unknown>>,
  r: LetterRecord | undefined,
  paths: BundlePaths | undefined,
  printedOn: string,
  leftOn: string | undefined,
): string {
  const sha = typeof data.sha256 === "string" && data.sha256 !== "" ? data.sha256 : undefined;
  if (!sha) return "printed as PDF";
  const head = `printed as PDF (SHA-256 ${sha})`;
  const file = paths?.files?.get(sha);
  const where = file ? `in this bundle as ${file}` : `kept in the record${paths ? ", not in this bundle" : ""}`;
  const copy = r?.departure?.printedCopy;
  if (!copy || !leftOn) return `${head}; ${where}`;
  if (copy.state === "held" && copy.sha256 === sha) return `${head}: the copy that left on ${leftOn}; ${where}`;
  const why =
    copy.state === "email"
      ? "the letter left by email (its .eml is the letter)"
      : copy.state === "not-recorded"
        ? `the record does not say which copy left on ${leftOn}`
        : printedOn > leftOn
          ? `printed on ${printedOn}, after the letter left on ${leftOn}: not the copy that left`
          : "a later printing is the copy that left";
  return `${head}; ${why}; ${where}`;
}

/** Whom a letter that left was addressed to: as recorded then, or (an older record) as the loan is now. */
function sentToOf(m: SourceMessage, sc: SourceCase, dep: LetterDeparture | undefined): SentTo | null {
  if (!dep) return null;
  const a: AsSentData = dep.asSent ?? {
    servicer: sc.servicerName,
    servicer_id: 0,
    account_number: sc.accountNumber,
    borrowers: sc.borrowers,
    channel: m.channel,
    address: m.channel === "post" ? m.postalAddress : null,
    email: m.channel === "email" || m.channel === "notice-email" ? m.to : [],
  };
  return {
    servicer: a.servicer,
    accountNumber: a.account_number,
    borrowers: a.borrowers,
    channel: a.channel,
    address: a.address,
    email: a.email,
    addressedTo: addressedTo(a),
    recorded: dep.asSent !== null,
  };
}

/** The day a letter entered later was written (its `composed` event's `dated`, read as every reader reads it). */
function writtenOnOf(m: SourceMessage, sc: SourceCase): string | null {
  const composed = sc.events.find((e) => e.type === "composed" && e.message_id === m.id);
  if (!composed) return null;
  try {
    return statedWhen("composed", JSON.parse(composed.data) as Record<string, unknown>)?.value ?? null;
  } catch {
    return null; // an unreadable row states nothing; verify reports it
  }
}

/** A letter's state as the record tells it: a posted letter is mailed, then delivered (the outbox says "sent"). */
function stateOfLetter(m: SourceMessage, sc: SourceCase): string {
  const has = (type: string) => sc.events.some((e) => e.type === type && e.message_id === m.id);
  return letterState(m.state, has("mailed"), has("delivered"));
}

export function timelineMessage(
  m: SourceMessage,
  sc: SourceCase,
  r: LetterRecord,
  paths: BundlePaths | undefined,
): TimelineMessage {
  const tag = sc.record.tag;
  const copy = r.departure?.printedCopy;
  const arrival = m.direction === "in" ? storedArrival(m) : null;
  const writtenOn = m.direction === "out" ? writtenOnOf(m, sc) : null;
  return {
    id: m.id,
    case: tag,
    direction: m.direction,
    channel: m.channel,
    state: m.direction === "out" ? stateOfLetter(m, sc) : m.state,
    replyClass: m.replyClass,
    // A letter entered later: the day it was written. Its Date header's noon is a time nobody gave (the header
    // stays in its .eml, whose bytes are hashed; the timeline states only the day).
    date: writtenOn ?? m.date,
    writtenOn,
    from: m.from,
    to: m.to,
    postalAddress: m.postalAddress,
    subject: m.subject,
    messageId: m.messageId,
    sha256: m.rawSha256,
    size: m.size,
    excerpt: m.excerpt,
    file: paths?.messages.get(m.id) ?? null,
    exhibits: m.attachments.map((a) => ({ ...exhibitOf(a, paths), exhibit: a.exhibit, contentType: a.contentType })),
    sentTo: sentToOf(m, sc, r.departure),
    printedCopy: copy
      ? {
          state: copy.state,
          sha256: copy.state === "held" ? copy.sha256 : null,
          file: copy.state === "held" ? (paths?.files?.get(copy.sha256) ?? null) : null,
        }
      : null,
    printings: r.printings.map((p) => ({
      sha256: p.sha256,
      size: p.size,
      printedAt: p.at,
      file: paths?.files?.get(p.sha256) ?? null,
    })),
    proofs: r.proofs.map((p) => ({
      kind: p.kind,
      label: PROOF_LABELS[p.kind],
      name: p.name,
      sha256: p.sha256,
      size: p.size,
      contentType: p.content_type,
      addedAt: p.at,
      file: paths?.files?.get(p.sha256) ?? null,
    })),
    trust: m.trust,
    trustWhy: m.trustWhy,
    trustConfirmed: m.trustConfirmedAt !== null,
    heldFromClocks: m.direction === "in" && !meetsClocks({ trust: standingOf(m) }),
    arrivedAt: arrival?.at ?? null,
    arrival: arrival?.source ?? null,
    dateDiscrepancyDays: m.channel === "email" ? dateDiscrepancyDays(m.date, arrival) : null,
    messageIdReused: m.messageIdReused,
  };
}
