/**
 * Mail accounts in config.toml ([accounts.NAME]) and their secrets. A password is never stored: it is read
 * from an environment variable or the output of a command (as msmtp and himalaya do), or an OAuth2 access token
 * comes from a command. `validateAccount` is pure; `readSecret` runs the command or reads the environment.
 */
import { type SpawnSyncOptionsWithStringEncoding, spawnSync } from "node:child_process";
import { type ErrorCode, UserError } from "../errors.js";
import type { Config } from "./config.js";
import { megabytes, readRegularFile } from "./safe-files.js";

export type SmtpSecurity = "starttls" | "tls";
export type ImapSecurity = "starttls" | "tls";

export interface Account {
  name: string;
  email: string;
  user: string;
  smtp: { host: string; port: number; security: SmtpSecurity };
  imap: { host: string; port: number; security: ImapSecurity; mailboxes: string[] };
  /**
   * Where the secret comes from. For a command, `argv` is the program and its arguments, run without a shell;
   * null means the user allowed a shell (`password_command_shell = true`) and `value` is run with `sh -c`.
   */
  secret: { kind: "password_env" | "password_command" | "oauth2_token_command"; value: string; argv: string[] | null };
  caFile?: string;
  selfCopy: boolean;
  /**
   * The authserv-id your provider writes in its Authentication-Results fields (RFC 8601), e.g. mx.google.com:
   * only its fields are believed when a reply is checked for forgery.
   */
  authservId?: string;
}

/** Mailboxes synced when the account names none: INBOX and the \\Junk special-use folder. */
export const DEFAULT_MAILBOXES = ["INBOX", "\\Junk"];

function fail(name: string, what: string, code: ErrorCode, hint: string): never {
  throw new UserError(`account "${name}": ${what}`, { code, hint });
}

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.?$|^\[?[0-9A-Fa-f:.]+\]?$/;

function endpoint(
  name: string,
  raw: unknown,
  which: "smtp" | "imap",
): { host: string; port: number; security: string } {
  const t = (raw ?? {}) as Record<string, unknown>;
  if (typeof t.host !== "string" || !t.host)
    fail(name, `${which}.host is missing`, "MAIL_ACCOUNT_INVALID", `loanmail account set ${name} --${which}-host HOST`);
  // A host is a DNS name or an IP address: a space, quote or line break is a typo or an injection, never a host.
  if (!HOST.test(t.host))
    fail(
      name,
      `${which}.host ${JSON.stringify(t.host)} is not a host name or IP address`,
      "MAIL_ACCOUNT_INVALID",
      `loanmail account set ${name} --${which}-host mail.example.com`,
    );
  if (typeof t.port !== "number" || !Number.isInteger(t.port) || t.port < 1 || t.port > 65535) {
    fail(
      name,
      `${which}.port must be a port number`,
      "MAIL_ACCOUNT_INVALID",
      `loanmail account set ${name} --${which}-port PORT`,
    );
  }
  if (t.security !== "starttls" && t.security !== "tls") {
    fail(
      name,
      `${which}.security must be "starttls" or "tls" (plaintext is never used)`,
      "MAIL_ACCOUNT_INVALID",
      `--${which}-security starttls`,
    );
  }
  return { host: t.host, port: t.port, security: t.security };
}

/** Characters that mean something to a shell: a command holding one is run with `sh -c` only when allowed. */
const SHELL_SYNTAX = /[|&;<>()$`\\"'*?[\]#~\n\t]/;

/**
 * The account's secret source. A command is a TOML array (the program and its arguments) or a string of words
 * split on spaces; a string with shell syntax (a pipe, quotes, `$`, ...) is refused unless
 * `password_command_shell = true` says to run it with `sh -c`. So a config.toml someone else changed cannot
 * smuggle a second command into a plain one.
 */
function secretSource(name: string, kind: Account["secret"]["kind"], raw: Record<string, unknown>): Account["secret"] {
  const value = raw[kind];
  const shell = raw.password_command_shell;
  if (shell !== undefined && typeof shell !== "boolean")
    fail(name, "password_command_shell must be true or false", "MAIL_ACCOUNT_INVALID", "password_command_shell = true");
  if (kind === "password_env") {
    if (typeof value !== "string")
      fail(name, "password_env must be a variable name", "PASSWORD_SOURCE_INVALID", 'password_env = "MAIL_PASSWORD"');
    return { kind, value, argv: null };
  }
  if (Array.isArray(value)) {
    if (!value.every((a): a is string => typeof a === "string" && a.length > 0))
      fail(name, `${kind} must be a list of words`, "PASSWORD_SOURCE_INVALID", `${kind} = ["pass", "show", "mail"]`);
    return { kind, value: value.join(" "), argv: value };
  }
  const text = value as string;
  if (shell === true) return { kind, value: text, argv: null };
  const syntax = SHELL_SYNTAX.exec(text);
  if (syntax) {
    fail(
      name,
      `${kind} "${text}" needs a shell (it has ${JSON.stringify(syntax[0])}), and running it with one was not allowed`,
      "PASSWORD_COMMAND_NEEDS_SHELL",
      `write it as a list of words, ${kind} = ["pass", "show", "mail"], or allow the shell with password_command_shell = true`,
    );
  }
  const argv = text.split(" ").filter((w) => w.length > 0);
  if (argv.length === 0)
    fail(name, `${kind} is empty`, "PASSWORD_SOURCE_INVALID", `${kind} = ["pass", "show", "mail"]`);
  return { kind, value: text, argv };
}

/** Check one [accounts.NAME] table. */
export function validateAccount(name: string, raw: Record<string, unknown>): Account {
  if (typeof raw.email !== "string" || !raw.email.includes("@")) {
    fail(name, "email is missing", "MAIL_ACCOUNT_INVALID", `loanmail account set ${name} --email ADDR`);
  }
  const smtp = endpoint(name, raw.smtp, "smtp");
  const imap = endpoint(name, raw.imap, "imap");
  const imapTable = (raw.imap ?? {}) as Record<string, unknown>;
  const mailboxes = Array.isArray(imapTable.mailboxes)
    ? imapTable.mailboxes.filter((m): m is string => typeof m === "string" && m.length > 0)
    : DEFAULT_MAILBOXES;
  // A source of the wrong type is named as such, not taken for a missing one.
  for (const k of ["password_env", "password_command", "oauth2_token_command"] as const) {
    const v = raw[k];
    if (v !== undefined && typeof v !== "string" && !Array.isArray(v))
      fail(
        name,
        `${k} must be ${k === "password_env" ? "a string (a variable name)" : "a list of words or a string"}, not ${typeof v}`,
        "PASSWORD_SOURCE_INVALID",
        k === "password_env" ? 'password_env = "MAIL_PASSWORD"' : `${k} = ["pass", "show", "mail"]`,
      );
  }
  const secrets = (["password_env", "password_command", "oauth2_token_command"] as const).filter((k) =>
    Array.isArray(raw[k])
      ? (raw[k] as unknown[]).length > 0
      : typeof raw[k] === "string" && (raw[k] as string).length > 0,
  );
  if (secrets.length !== 1) {
    fail(
      name,
      secrets.length === 0 ? "no password source" : `several password sources (${secrets.join(", ")})`,
      "PASSWORD_SOURCE_INVALID",
      "give the account exactly one password source: an environment variable, a password command or a token command",
    );
  }
  const kind = secrets[0] as Account["secret"]["kind"];
  if ("password" in raw) {
    fail(
      name,
      "config.toml holds a password",
      "PASSWORD_IN_CONFIG",
      "remove it: loanmail reads passwords only from an environment variable or a password command",
    );
  }
  return {
    name,
    email: raw.email,
    user: typeof raw.user === "string" && raw.user ? raw.user : raw.email,
    smtp: smtp as Account["smtp"],
    imap: { ...(imap as Omit<Account["imap"], "mailboxes">), mailboxes },
    secret: secretSource(name, kind, raw),
    caFile: typeof raw.ca_file === "string" && raw.ca_file ? raw.ca_file : undefined,
    selfCopy: raw.self_copy !== false,
    authservId: typeof raw.authserv_id === "string" && raw.authserv_id.trim() ? raw.authserv_id.trim() : undefined,
  };
}

/** The account named by --account, else the only one, else "default". */
export function chooseAccount(config: Config, wanted: string | undefined): Account {
  const names = Object.keys(config.accounts);
  const name = wanted ?? (names.length === 1 ? names[0] : "default");
  const raw = name === undefined ? undefined : config.accounts[name];
  if (!raw || name === undefined) {
    const message = wanted
      ? `no mail account "${wanted}"`
      : names.length === 0
        ? "no mail account is set up"
        : "several mail accounts: choose one";
    if (names.length === 0) {
      throw new UserError(message, {
        code: "NO_MAIL_ACCOUNT",
        hint: "add one with loanmail account set: its email, SMTP and IMAP servers and its password source",
      });
    }
    throw new UserError(message, {
      code: wanted ? "MAIL_ACCOUNT_NOT_FOUND" : "MAIL_ACCOUNT_AMBIGUOUS",
      hint: `pass --account with one of: ${names.join(", ")}`,
    });
  }
  return validateAccount(name, raw);
}

export interface Credentials {
  user: string;
  pass?: string;
  accessToken?: string;
}

/**
 * The command as a shell would read it back: a list of words (run without a shell) quoted word by word, so that a
 * word holding `;` or a space is one word when pasted, never a second command.
 */
function shown(secret: Account["secret"]): string {
  if (!secret.argv) return secret.value;
  return secret.argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(" ");
}

/** Read the account's secret now (never stored, never logged). */
export function readSecret(account: Account, env: NodeJS.ProcessEnv): Credentials {
  const { kind, value } = account.secret;
  if (kind === "password_env") {
    const pass = env[value];
    if (!pass) {
      throw new UserError(`account "${account.name}": the environment variable ${value} is not set`, {
        code: "PASSWORD_ENV_UNSET",
        hint: `export ${value}=... before running loanmail`,
      });
    }
    return { user: account.user, pass };
  }
  const options: SpawnSyncOptionsWithStringEncoding = {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 60_000,
  };
  const argv = account.secret.argv;
  const r = argv ? spawnSync(argv[0] as string, argv.slice(1), options) : spawnSync(value, { ...options, shell: true });
  if (r.error || r.status !== 0) {
    throw new UserError(
      `account "${account.name}": the ${kind === "password_command" ? "password" : "token"} command failed (${r.error?.message ?? `exit ${r.status}`})`,
      { code: "SECRET_COMMAND_FAILED", hint: `run it yourself to check: ${shown(account.secret)}` },
    );
  }
  const secret = r.stdout.replace(/\r?\n$/, "");
  if (!secret) {
    throw new UserError(`account "${account.name}": the ${kind} printed nothing`, {
      code: "SECRET_COMMAND_EMPTY",
      hint: `run it yourself to check: ${shown(account.secret)}`,
    });
  }
  return kind === "password_command"
    ? { user: account.user, pass: secret }
    : { user: account.user, accessToken: secret };
}

/** The extra trusted CA (PEM), if the account names one. */
export function readCa(account: Account): Buffer | undefined {
  if (!account.caFile) return undefined;
  const who = `account "${account.name}": ca_file ${account.caFile}`;
  const cap = megabytes(1, "for a CA certificate", "point the account's CA file at a PEM certificate");
  try {
    return readRegularFile(who, account.caFile, cap);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    throw new UserError(err.message, {
      code: "CA_FILE_UNREADABLE",
      hint: "point the account's CA file at a PEM certificate",
    });
  }
}
