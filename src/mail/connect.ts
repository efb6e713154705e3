/**
 * The real servers of an account: nodemailer for SMTP, imapflow for IMAP. The libraries are loaded on the first
 * connection, not at start-up, and the credentials are read only then, so a command that ends before talking to
 * a server (a dry run, a refusal) neither loads them nor asks for a password.
 */
import type { Account, Credentials } from "../config/accounts.js";
import type { MailServers } from "./transport.js";

export function connectAccount(account: Account, ca: Buffer | undefined, creds: () => Credentials): MailServers {
  return {
    openSmtp: async () => (await import("./smtp.js")).SmtpSession.open({ ...account.smtp, ca }, creds()),
    openMailbox: async () => (await import("./imap.js")).ImapSession.open({ ...account.imap, ca }, creds()),
  };
}
