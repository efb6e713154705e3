/**
 * The exact RFC 5322 bytes of a letter, built once by nodemailer's MailComposer and stored. CRLF line endings,
 * so the stored bytes are an exact suffix of what the recipient's server later holds; Message-ID and Date are
 * ours, never left to a relay.
 */
import MailComposer from "nodemailer/lib/mail-composer";
import type { LetterLanguage } from "../domain/language.js";

export interface MimeAttachment {
  fileName: string;
  contentType: string;
  data: Buffer;
}

export interface MimeLetter {
  from: { name: string; address: string };
  to: string[];
  cc: string[];
  subject: string;
  text: string;
  messageId: string;
  date: Date;
  inReplyTo?: string | null;
  references?: string[];
  attachments: readonly MimeAttachment[];
  /** Extra headers (X-Loanmail-Case etc.). */
  headers?: Record<string, string>;
  /** The language the letter is written in: its `Content-Language` header (RFC 3282). */
  lang?: LetterLanguage | undefined;
}

/** Build the message bytes. */
export function buildMime(letter: MimeLetter): Promise<Buffer> {
  const composer = new MailComposer({
    from: letter.from,
    to: letter.to,
    cc: letter.cc.length > 0 ? letter.cc : undefined,
    subject: letter.subject,
    text: letter.text,
    messageId: letter.messageId,
    date: letter.date,
    inReplyTo: letter.inReplyTo ?? undefined,
    references: letter.references && letter.references.length > 0 ? letter.references : undefined,
    // Through the library's headers option, which folds and encodes them like its own.
    headers: { ...(letter.lang ? { "Content-Language": letter.lang } : {}), ...letter.headers },
    newline: "windows",
    attachments: letter.attachments.map((a) => ({
      filename: a.fileName,
      content: a.data,
      contentType: a.contentType,
    })),
  });
  return new Promise((resolve, reject) => {
    composer.compile().build((err, message) => {
      if (err) reject(err);
      else resolve(message);
    });
  });
}
