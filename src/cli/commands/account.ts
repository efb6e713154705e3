/** `loanmail account set|test`: a mail account in config.toml (never its password) and a login check. */
import type { Account, AccountChanges } from "../../app/accounts.js";
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
  passwordCommandShell?: boolean;
  caFile?: string;
  selfCopy?: boolean;
  authservId?: string;
}

function describe(a: Account): string {
  return [
    `Account ${a.name}: ${a.email} (user ${a.user})`,
    `  SMTP ${a.smtp.host}:${a.smtp.port} ${a.smtp.security}; IMAP ${a.imap.host}:${a.imap.port} ${a.imap.security}`,
    `  mailboxes: ${a.imap.mailboxes.join(", ")}; secret from ${a.secret.kind.replace(/_/g, " ")}${a.caFile ? `; CA ${a.caFile}` : ""}`,
    `  Authentication-Results believed from: ${a.authservId ?? "none (set --authserv-id to check replies for forgery)"}`,
  ].join("\n");
}

/** An authserv-id as RFC 8601 writes it (a domain name, usually), or "" to remove it. */
function checkAuthservId(value: string): string {
  const v = value.trim();
  if (v === "" || /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(v)) return v;
  throw new UserError(`--authserv-id ${value}: not an authserv-id`, {
    code: "INVALID_AUTHSERV_ID",
    hint: 'give the name your provider writes first in its Authentication-Results fields, e.g. mx.google.com ("" removes it)',
  });
}

function toChanges(opts: AccountOptions): AccountChanges {
  const port = (value: string | undefined, flag: string) =>
    value === undefined ? undefined : checkPositiveInt(value, flag, 65535);
  const smtp = { host: opts.smtpHost, port: port(opts.smtpPort, "--smtp-port"), security: opts.smtpSecurity };
  const imap = {
    host: opts.imapHost,
    port: port(opts.imapPort, "--imap-port"),
    security: opts.imapSecurity,
    mailboxes: opts.mailbox,
  };
  return {
    email: opts.email === undefined ? undefined : checkEmail(opts.email, "--email"),
    user: opts.user,
    caFile: opts.caFile,
    selfCopy: opts.selfCopy,
    authservId: opts.authservId === undefined ? undefined : checkAuthservId(opts.authservId),
    smtp,
    imap,
    passwordCommandShell: opts.passwordCommandShell,
    secret: {
      password_env: opts.passwordEnv,
      password_command: opts.passwordCommand,
      oauth2_token_command: opts.oauth2TokenCommand,
    },
  };
}

async function runAccountSet(ctx: Context, nameArg: string | undefined, opts: AccountOptions): Promise<number> {
  // A missing home is reported before anything typed is judged.
  ctx.config();
  const name = nameArg ?? ctx.options.account ?? "default";
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(name))
    throw new UserError(`account name "${name}" is not usable`, {
      code: "INVALID_ACCOUNT_NAME",
      hint: "use letters, digits, - and _",
    });
  const changes = toChanges(opts);
  const { saveAccount } = await import("../../app/accounts.js");
  const account = saveAccount(ctx, name, changes);
  ctx.out.result(
    { account: { ...account, secret: { kind: account.secret.kind } } },
    () => `Saved ${describe(account)}\nCheck it with: loanmail account test ${name}`,
  );
  return 0;
}

async function runAccountTest(ctx: Context, nameArg: string | undefined): Promise<number> {
  const { testAccount } = await import("../../app/accounts.js");
  const { account, smtp, imap } = await testAccount(ctx, nameArg ?? ctx.options.account, ctx.env);
  const starttls = account.smtp.security === "starttls";
  ctx.out.result({ account: account.name, smtp: { ...smtp, starttls }, imap }, () =>
    [
      `Account ${account.name}: both servers accepted the login over verified TLS.`,
      `SMTP ${account.smtp.host}:${account.smtp.port}: ${starttls ? "STARTTLS" : "TLS"}; AUTH ${smtp.authMethods.join(" ") || "-"}; SIZE ${smtp.maxSize ?? "not announced"}`,
      `IMAP ${account.imap.host}:${account.imap.port}: ${imap.capabilities.join(" ")}`,
      `Special-use folders: ${imap.specialUse.map((b) => `${b.specialUse}=${b.path}`).join(", ") || "none"}`,
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
        {
          flags: "--password-command-shell",
          description: "run the password or token command with sh -c (needed for pipes or quotes; off by default)",
        },
        { flags: "--ca-file <pem>", description: "trust this CA certificate (a private mail server)" },
        { flags: "--no-self-copy", description: "do not add your own address to the envelope" },
        {
          flags: "--authserv-id <id>",
          description:
            "your provider's name in its Authentication-Results fields (e.g. mx.google.com): replies it marks dkim, spf or dmarc fail are suspect",
        },
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
