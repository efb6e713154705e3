/**
 * A stored letter as a printable PDF (letterhead, date, recipient address, body, signature line, enclosures):
 * one layout for `show --pdf` (with its exhibits, as a packet), escalation letters and the evidence bundle.
 */
import type { UserConfig } from "../config/config.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import type { AttachmentRecord, MessageRecord } from "../store/messages.js";
import type { BuiltPdf, PdfLetter } from "./pdf-letter.js";
import type { Packet, PacketExhibit } from "./pdf-packet.js";

/** A designated address often starts with the servicer's name, which the letter already prints above it. */
function withoutLeadingName(address: string, name: string): string {
  const lines = address.split(/\r?\n/);
  return lines[0]?.trim().toLowerCase() === name.trim().toLowerCase() ? lines.slice(1).join("\n") : address;
}

/** What a stored letter prints: its text, addressed as given, from the user. */
export function storedLetter(
  user: UserConfig,
  m: MessageRecord,
  exhibits: readonly Pick<AttachmentRecord, "fileName">[],
  servicerName: string,
  noticeAddress: string | null,
  /** For a redacted copy: masks numbers in the text, and the letter says it is a redacted copy. */
  redact?: (text: string) => string,
): PdfLetter {
  const r = redact ?? ((s: string) => s);
  const sentAt = new Date(m.date ?? m.createdAt);
  // A letter every borrower signs carries its own signature lines, and is printed to be signed, not as sent mail.
  const signedByBorrowers = m.kind !== null && isKindId(m.kind) && kindDef(m.kind).signedByBorrowers === true;
  const delivery =
    signedByBorrowers && m.channel !== "post"
      ? ""
      : m.channel === "post"
        ? "VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED"
        : m.channel === "email" || m.channel === "notice-email"
          ? `Sent by email to ${m.to.join(", ")}`
          : `Sent by ${m.channel}`;
  return {
    senderName: user.name,
    senderAddress: user.address,
    senderPhone: user.phone,
    senderEmail: user.email,
    date: new Intl.DateTimeFormat("en-US", { timeZone: user.timezone, dateStyle: "long" }).format(sentAt),
    recipientName: servicerName,
    recipientAddress: withoutLeadingName(
      m.postalAddress ?? (m.channel === "notice-email" ? "" : (noticeAddress ?? "")),
      servicerName,
    ),
    subject: r(m.subject ?? ""),
    body: r(m.bodyText ?? ""),
    signatureName: user.name,
    signatureInBody: signedByBorrowers,
    enclosures: exhibits.map((e) => r(e.fileName)),
    deliveryNote: redact ? `${delivery} - REDACTED COPY (numbers masked)` : delivery,
    createdAt: sentAt,
  };
}

/** A stored letter as printable PDF bytes (the letter alone: the evidence bundle keeps exhibits as files). */
export async function buildStoredLetterPdf(
  user: UserConfig,
  m: MessageRecord,
  exhibits: readonly AttachmentRecord[],
  servicerName: string,
  noticeAddress: string | null,
  redact?: (text: string) => string,
): Promise<Buffer> {
  const { buildLetterPdf } = await import("./pdf-letter.js");
  return buildLetterPdf(storedLetter(user, m, exhibits, servicerName, noticeAddress, redact));
}

/** A stored letter as `show --pdf` prints it: the letter alone, with its font report. */
export async function buildStoredLetterOnly(
  user: UserConfig,
  m: MessageRecord,
  exhibits: readonly AttachmentRecord[],
  servicerName: string,
  noticeAddress: string | null,
): Promise<BuiltPdf> {
  const { renderLetterPdf } = await import("./pdf-letter.js");
  return renderLetterPdf(storedLetter(user, m, exhibits, servicerName, noticeAddress));
}

/** A stored letter and its exhibits (with their stored bytes) as one printable packet (pdf-packet.ts). */
export async function buildStoredPacketPdf(
  user: UserConfig,
  m: MessageRecord,
  exhibits: readonly PacketExhibit[],
  servicerName: string,
  noticeAddress: string | null,
): Promise<Packet> {
  const { buildPacketPdf } = await import("./pdf-packet.js");
  return buildPacketPdf(storedLetter(user, m, exhibits, servicerName, noticeAddress), exhibits);
}
