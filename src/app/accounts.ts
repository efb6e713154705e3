/**
 * Mail accounts: writing one into config.toml (a reference to its password, never the password) and checking that
 * both of its servers accept the login.
 */
import { type Account, chooseAccount, readCa, readSecret, validateAccount } from "../config/accounts.js";
import { type Config, writeConfig } from "../config/config.js";
import type { HomePaths } from "../config/home.js";
import type { SmtpFacts } from "../mail/smtp.js";
import type { Session } from "./session.js";

export type { Account } from "../config/accounts.js";
export type { SmtpFacts } from "../mail/smtp.js";

/** What saving an account needs: the home's config, and where to write it back. */
export interface ConfigSession {
  readonly home: HomePaths;
  config(): Config;
}

/** Where a password (or token) comes from; config.toml holds exactly one. */
const SECRET_KEYS = ["password_env", "password_command", "oauth2_token_command"] as const;

/** One server's settings as typed; what is left out stays as config.toml has it. */
export interface EndpointChanges {
  host?: string;
  port?: number;
  security?: string;
}

/** The changes to an [accounts.NAME] table, in config.toml's own key names where they are kept as typed. */
export interface AccountChanges {
  email?: string;
  user?: string;
  caFile?: string;
  selfCopy?: boolean;
  /** The authserv-id of the provider's Authentication-Results fields ("" removes it). */
  authservId?: string;
  smtp: EndpointChanges;
  imap: EndpointChanges & { mailboxes?: string[] };
  /** The password source. Giving any one replaces the one config.toml had, so an account never has two. */
  secret: { [K in (typeof SECRET_KEYS)[number]]?: string };
  /** Run the password or token command with `sh -c` (password_command_shell = true); otherwise without a shell. */
  passwordCommandShell?: boolean;
}

/** A TOML table as a fresh object to change (nothing, if the key held no table). */
function tableCopy(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null ? { ...value } : {};
}

function applyEndpoint(table: Record<string, unknown>, changes: EndpointChanges): void {
  if (changes.host !== undefined) table.host = changes.host;
  if (changes.port !== undefined) table.port = changes.port;
  if (changes.security !== undefined) table.security = changes.security;
}

/** Add or change the account `name` in config.toml; the result is checked (and its CA file read) before writing. */
export function saveAccount(s: ConfigSession, name: string, changes: AccountChanges): Account {
  const config = s.config();
  const current = config.accounts[name] ?? {};
  const smtp = tableCopy(current.smtp);
  const imap = tableCopy(current.imap);
  applyEndpoint(smtp, changes.smtp);
  applyEndpoint(imap, changes.imap);
  if (changes.imap.mailboxes !== undefined) imap.mailboxes = changes.imap.mailboxes;
  // Keys keep their order in the written file: the existing ones first, new ones after.
  const next: Record<string, unknown> = { ...current, smtp, imap };
  if (changes.email !== undefined) next.email = changes.email;
  if (changes.user !== undefined) next.user = changes.user;
  if (changes.caFile !== undefined) next.ca_file = changes.caFile;
  if (changes.selfCopy !== undefined) next.self_copy = changes.selfCopy;
  if (changes.authservId !== undefined) {
    if (changes.authservId === "") delete next.authserv_id;
    else next.authserv_id = changes.authservId;
  }
  if (SECRET_KEYS.some((k) => changes.secret[k] !== undefined)) {
    for (const k of SECRET_KEYS) {
      const v = changes.secret[k];
      if (v === undefined) delete next[k];
      else next[k] = v;
    }
    // A new command is run without a shell unless this change says otherwise.
    delete next.password_command_shell;
  }
  if (changes.passwordCommandShell) next.password_command_shell = true;
  const account = validateAccount(name, next);
  if (account.caFile) readCa(account);
  writeConfig(s.home.config, { ...config, accounts: { ...config.accounts, [name]: next } });
  return account;
}

export interface MailboxFacts {
  capabilities: string[];
  specialUse: { path: string; specialUse: string }[];
}

export interface AccountTest {
  account: Account;
  smtp: SmtpFacts;
  imap: MailboxFacts;
}

/** Log in to the account's SMTP server, then its IMAP server, and report what each offers. */
export async function testAccount(
  s: Pick<Session, "config">,
  name: string | undefined,
  env: NodeJS.ProcessEnv,
): Promise<AccountTest> {
  const account = chooseAccount(s.config(), name);
  const creds = readSecret(account, env);
  const ca = readCa(account);
  // Loaded here, not at the top: saving an account needs neither mail library.
  const { SmtpSession } = await import("../mail/smtp.js");
  const { ImapSession } = await import("../mail/imap.js");
  const smtp = await SmtpSession.open({ ...account.smtp, ca }, creds);
  const smtpFacts = smtp.facts();
  smtp.close();
  const imap = await ImapSession.open({ ...account.imap, ca }, creds);
  try {
    const boxes = await imap.listMailboxes();
    return {
      account,
      smtp: smtpFacts,
      imap: {
        capabilities: imap.capabilities(),
        specialUse: boxes.filter((b): b is { path: string; specialUse: string } => b.specialUse !== null),
      },
    };
  } finally {
    await imap.close();
  }
}
