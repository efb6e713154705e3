/** The chosen mail account and connections to it, opened only when a command really talks to a server. */
import { type Credentials, chooseAccount, readCa, readSecret } from "../config/accounts.js";
import { connectAccount } from "../mail/connect.js";
import type { AccountMail } from "../mail/transport.js";
import type { Context } from "./context.js";

/** Resolve the account of --account (or the only one) and lazy connections to its servers. */
export function mailContext(ctx: Context): AccountMail {
  const account = chooseAccount(ctx.config(), ctx.options.account);
  const ca = readCa(account);
  let creds: Credentials | undefined;
  const getCreds = () => {
    creds ??= readSecret(account, ctx.env);
    return creds;
  };
  return { account, ...connectAccount(account, ca, getCreds) };
}
