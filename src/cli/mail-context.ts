/** The chosen mail account and connections to it, opened only when a command really talks to a server. */
import { type Account, type Credentials, chooseAccount, readCa, readSecret } from "../config/accounts.js";
import type { ImapSession } from "../mail/imap.js";
import type { SmtpSession } from "../mail/smtp.js";
import type { Context } from "./context.js";

export interface MailContext {
  account: Account;
  creds: () => Credentials;
  ca: Buffer | undefined;
  openSmtp: () => Promise<SmtpSession>;
  openImap: () => Promise<ImapSession>;
}

/** Resolve the account of --account (or the only one) and lazy connections to its servers. */
export function mailContext(ctx: Context): MailContext {
  const account = chooseAccount(ctx.config(), ctx.options.account);
  const ca = readCa(account);
  let creds: Credentials | undefined;
  const getCreds = () => {
    creds ??= readSecret(account, ctx.env);
    return creds;
  };
  return {
    account,
    creds: getCreds,
    ca,
    openSmtp: async () => (await import("../mail/smtp.js")).SmtpSession.open({ ...account.smtp, ca }, getCreds()),
    openImap: async () => (await import("../mail/imap.js")).ImapSession.open({ ...account.imap, ca }, getCreds()),
  };
}
