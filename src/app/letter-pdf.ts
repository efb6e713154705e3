/**
 * A stored letter as a printable PDF (letterhead, date, recipient address, body, signature line, enclosures):
 * one layout for `show --pdf`, escalation letters and the evidence bundle.
 */
import type { Config } from "../config/config.js";
import type { AttachmentRecord, MessageRecord } from "../store/messages.js";

/** A designated address often starts with the servicer's name, which the letter already prints above it. */
function withoutLeadingName(address: string, name: string): string {
  const lines = address.split(/\r?\n/);
  return lines[0]?.trim().toLowerCase() === name.trim().toLowerCase() ? lines.slice(1).join("\n") : address;
}

/** A stored letter as printable PDF bytes (the same layout as `show --pdf`). */
export async function buildStoredLetterPdf(
  config: Config,
  m: MessageRecord,
  exhibits: readonly AttachmentRecord[],
  servicerName: string,
  noticeAddress: string | null,
): Promise<Buffer> {
  const { buildLetterPdf } = await import("../export/pdf-letter.js");
  const user = config.user;
  const sentAt = new Date(m.date ?? m.createdAt);
  return buildLetterPdf({
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
    subject: m.subject ?? "",
    body: m.bodyText ?? "",
    signatureName: user.name,
    enclosures: exhibits.map((e) => e.fileName),
    deliveryNote:
      m.channel === "post"
        ? "VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED"
        : m.channel === "email" || m.channel === "notice-email"
          ? `Sent by email to ${m.to.join(", ")}`
          : `Sent by ${m.channel}`,
    createdAt: sentAt,
  });
}
