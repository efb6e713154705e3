/** `loanmail account set|test`: a mail account in config.toml (never its password) and a login check. */
import { type Account, chooseAccount, readCa, readSecret, validateAccount } from "../../config/accounts.js";
import { writeConfig } from "../../config/config.js";
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { checkEmail, checkPositiveInt } from "../validate.js";

interface AccountOptions {
  email?: string;
  smtpHost?: string;
  smtpPort?: string;
  smtpSecurity?: string;
  imapHost?: string;
  imapPort?: string;
  imapSecurity?: string;
  mailbox?: string[];
  user?: string;
  passwordEnv?: string;
  passwordCommand?: string;
  oauth2TokenCommand?: string;
  caFile?: string;
  selfCopy?: boolean;
}

function describe(a: Account): string {
  return [
    `Account ${a.name}: ${a.email} (user ${a.user})`,
    `  SMTP ${a.smtp.host}:${a.smtp.port} ${a.smtp.security}; IMAP ${a.imap.host}:${a.imap.port} ${a.imap.security}`,
    `  mailboxes: ${a.imap.mailboxes.join(", ")}; secret from ${a.secret.kind.replace(/_/g, " ")}${a.caFile ? `; CA ${a.caFile}` : ""}`,
  ].join("\n");
}

export function runAccountSet(ctx: Context, nameArg: string | undefined, opts: AccountOptions): number {
  const config = ctx.config();
  const name = nameArg ?? ctx.options.account ?? "default";
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(name))
    throw new UserError(`account name "${name}" is not usable`, "use letters, digits, - and _");
  const current = (config.accounts[name] ?? {}) as Record<string, unknown>;
  const smtp = { ...((current.smtp as object) ?? {}) } as Record<string, unknown>;
  const imap = { ...((current.imap as object) ?? {}) } as Record<string, unknown>;
  if (opts.smtpHost !== undefined) smtp.host = opts.smtpHost;
  if (opts.smtpPort !== undefined) smtp.port = checkPositiveInt(opts.smtpPort, "--smtp-port", 65535);
  if (opts.smtpSecurity !== undefined) smtp.security = opts.smtpSecurity;
  if (opts.imapHost !== undefined) imap.host = opts.imapHost;
  if (opts.imapPort !== undefined) imap.port = checkPositiveInt(opts.imapPort, "--imap-port", 65535);
  if (opts.imapSecurity !== undefined) imap.security = opts.imapSecurity;
  if (opts.mailbox !== undefined) imap.mailboxes = opts.mailbox;
  const next: Record<string, unknown> = { ...current, smtp, imap };
  if (opts.email !== undefined) next.email = checkEmail(opts.email, "--email");
  if (opts.user !== undefined) next.user = opts.user;
  if (opts.caFile !== undefined) next.ca_file = opts.caFile;
  if (opts.selfCopy !== undefined) next.self_copy = opts.selfCopy;
  const secrets = {
    password_env: opts.passwordEnv,
    password_command: opts.passwordCommand,
    oauth2_token_command: opts.oauth2TokenCommand,
  };
  if (Object.values(secrets).some((v) => v !== undefined)) {
    for (const [k, v] of Object.entries(secrets)) {
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
  }
  const account = validateAccount(name, next);
  if (account.caFile) readCa(account);
  writeConfig(ctx.home.config, { ...config, accounts: { ...config.accounts, [name]: next } });
  ctx.out.result(
    { account: { ...account, secret: { kind: account.secret.kind } } },
    () => `Saved ${describe(account)}\nCheck it with: loanmail account test ${name}`,
  );
  return 0;
}

export async function runAccountTest(ctx: Context, nameArg: string | undefined): Promise<number> {
  const account = chooseAccount(ctx.config(), nameArg ?? ctx.options.account);
  const creds = readSecret(account, ctx.env);
  const ca = readCa(account);
  const { SmtpSession } = await import("../../mail/smtp.js");
  const { ImapSession } = await import("../../mail/imap.js");
  const smtp = await SmtpSession.open({ ...account.smtp, ca }, creds);
  const smtpFacts = smtp.facts();
  smtp.close();
  const imap = await ImapSession.open({ ...account.imap, ca }, creds);
  let imapFacts: { capabilities: string[]; specialUse: { path: string; specialUse: string }[] };
  try {
    const boxes = await imap.listMailboxes();
    imapFacts = {
      capabilities: imap.capabilities(),
      specialUse: boxes.filter((b): b is { path: string; specialUse: string } => b.specialUse !== null),
    };
  } finally {
    await imap.close();
  }
  const starttls = account.smtp.security === "starttls";
  ctx.out.result({ account: account.name, smtp: { ...smtpFacts, starttls }, imap: imapFacts }, () =>
    [
      `Account ${account.name}: both servers accepted the login over verified TLS.`,
      `SMTP ${account.smtp.host}:${account.smtp.port}: ${starttls ? "STARTTLS" : "TLS"}; AUTH ${smtpFacts.authMethods.join(" ") || "-"}; SIZE ${smtpFacts.maxSize ?? "not announced"}`,
      `IMAP ${account.imap.host}:${account.imap.port}: ${imapFacts.capabilities.join(" ")}`,
      `Special-use folders: ${imapFacts.specialUse.map((b) => `${b.specialUse}=${b.path}`).join(", ") || "none"}`,
    ].join("\n"),
  );
  return 0;
}

export const accountCommands: CommandModule = {
  groups: [{ name: "account", description: "the mail account loanmail sends and syncs with" }],
  commands: [
    {
      name: "account set [name]",
      description: "add or change a mail account in config.toml (never its password)",
      options: [
        { flags: "--email <addr>", description: "the account's address (From of your letters)" },
        { flags: "--smtp-host <host>", description: "SMTP server" },
        { flags: "--smtp-port <port>", description: "SMTP port (587 for STARTTLS, 465 for TLS)" },
        { flags: "--smtp-security <mode>", description: "SMTP encryption", choices: ["starttls", "tls"] },
        { flags: "--imap-host <host>", description: "IMAP server" },
        { flags: "--imap-port <port>", description: "IMAP port (993 for TLS, 143 for STARTTLS)" },
        { flags: "--imap-security <mode>", description: "IMAP encryption", choices: ["tls", "starttls"] },
        {
          flags: "--mailbox <name>",
          description: "a mailbox to sync (repeat; \\Junk, \\All name special-use folders)",
          repeat: true,
        },
        { flags: "--user <user>", description: "login name if not the email address" },
        { flags: "--password-env <var>", description: "read the password from this environment variable" },
        { flags: "--password-command <cmd>", description: "read the password from this command's output" },
        {
          flags: "--oauth2-token-command <cmd>",
          description: "read an OAuth2 access token from this command's output",
        },
        { flags: "--ca-file <pem>", description: "trust this CA certificate (a private mail server)" },
        { flags: "--no-self-copy", description: "do not add your own address to the envelope" },
      ],
      run: runAccountSet,
    },
    {
      name: "account test [name]",
      description: "log in to the SMTP and IMAP servers and report what they offer",
      run: runAccountTest,
    },
  ],
};
