/**
 * A stored letter as a printable PDF (letterhead, date, recipient address, body, signature line, enclosures):
 * one layout for `show --pdf` (with its exhibits, as a packet), escalation letters and the evidence bundle.
 */
import type { UserConfig } from "../config/config.js";
import { isKindId, kindDef } from "../domain/kinds.js";
import type { LetterLanguage } from "../domain/language.js";
import { longDateEs } from "../domain/letter-dates.js";
import { SPANISH } from "../domain/letter-es.js";
import { isoDateIn } from "../domain/time-zone.js";
import type { AttachmentRecord, MessageRecord } from "../store/messages.js";
import type { BuiltPdf, PdfLetter } from "./pdf-letter.js";
import type { Packet, PacketExhibit } from "./pdf-packet.js";

/** A designated address often starts with the servicer's name, which the letter already prints above it. */
function withoutLeadingName(address: string, name: string): string {
  const lines = address.split(/\r?\n/);
  return lines[0]?.trim().toLowerCase() === name.trim().toLowerCase() ? lines.slice(1).join("\n") : address;
}

/** How the letter goes, printed above the address; a Spanish letter says it in Spanish. */
function deliveryNote(m: MessageRecord, signedByBorrowers: boolean, lang: LetterLanguage): string {
  if (signedByBorrowers && m.channel !== "post") return "";
  const es = lang === "es";
  if (m.channel === "post")
    return es ? "POR CORREO CERTIFICADO, CON ACUSE DE RECIBO" : "VIA CERTIFIED MAIL, RETURN RECEIPT REQUESTED";
  if (m.channel === "email" || m.channel === "notice-email")
    return `${es ? "Enviada por correo electrónico a" : "Sent by email to"} ${m.to.join(", ")}`;
  const how: Record<string, string> = { portal: "portal", fax: "fax", hand: "entrega en mano" };
  return es ? `Enviada por ${how[m.channel] ?? m.channel}` : `Sent by ${m.channel}`;
}

/**
 * A Spanish letter closes with "Atentamente,", which the PDF layout (pdf-letter.ts) does not take for a closing:
 * it is printed as the body has it, with a line to sign on above the signer's name, and the body's own
 * "Anexos:" paragraph lists the enclosures (pdf-letter.ts would add an English "Enclosures:" list).
 */
function spanishBody(body: string, exhibits: readonly string[]): string {
  const signed = body.replace(/\n\nAtentamente,\n\n/, "\n\nAtentamente,\n\n______________________________\n");
  // A body whose enclosures paragraph was edited away still lists what the letter carries.
  if (exhibits.length === 0 || /^Anexos:/m.test(signed)) return signed;
  return `${signed.trimEnd()}\n\n${SPANISH.enclosuresBlock(exhibits)}\n`;
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
  const lang = m.letterInput?.lang ?? "en";
  const delivery = deliveryNote(m, signedByBorrowers, lang);
  const spanish = lang === "es";
  return {
    senderName: user.name,
    senderAddress: user.address,
    senderPhone: user.phone,
    senderEmail: user.email,
    date: spanish
      ? longDateEs(isoDateIn(sentAt, user.timezone))
      : new Intl.DateTimeFormat("en-US", { timeZone: user.timezone, dateStyle: "long" }).format(sentAt),
    recipientName: servicerName,
    recipientAddress: withoutLeadingName(
      m.postalAddress ?? (m.channel === "notice-email" ? "" : (noticeAddress ?? "")),
      servicerName,
    ),
    subject: r(m.subject ?? ""),
    body: r(
      spanish
        ? spanishBody(
            m.bodyText ?? "",
            exhibits.map((e) => e.fileName),
          )
        : (m.bodyText ?? ""),
    ),
    signatureName: user.name,
    signatureInBody: signedByBorrowers || spanish,
    enclosures: spanish ? [] : exhibits.map((e) => r(e.fileName)),
    deliveryNote: redact ? `${delivery} - REDACTED COPY (numbers masked)` : delivery,
    createdAt: sentAt,
    // The document language screen readers announce (the PDF's /Lang).
    lang: spanish ? "es-US" : "en-US",
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
