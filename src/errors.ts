/**
 * Errors a user can cause carry a message, a hint saying what to do, a stable machine-readable code and the exit
 * code of docs/ARCHITECTURE.md. Anything that is not a UserError is a bug and exits 70 (with a stack under
 * --debug).
 */

export const EXIT = {
  ok: 0,
  user: 1,
  usage: 2,
  late: 3,
  mailServer: 4,
  verifyMismatch: 5,
  sendFailed: 6,
  internal: 70,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface ErrorCodeEntry {
  readonly exitCode: ExitCode;
  readonly description: string;
}

/**
 * Every error code loanmail reports (`error.code` of the --json error document), with the exit code it gets unless
 * the thrower says otherwise. Codes are SNAKE_CASE and never change meaning once released: scripts match on them.
 * The first group is what an error gets before it has a code of its own.
 */
export const ERROR_CODES = {
  USER_ERROR: { exitCode: EXIT.user, description: "a user error that has no code of its own yet" },
  MAIL_SERVER_ERROR: { exitCode: EXIT.mailServer, description: "a mail server error that has no code of its own yet" },
  VERIFY_MISMATCH: { exitCode: EXIT.verifyMismatch, description: "a hash or event chain does not match" },
  SEND_FAILED: { exitCode: EXIT.sendFailed, description: "a letter could not be sent" },
  INTERNAL_ERROR: { exitCode: EXIT.internal, description: "a bug in loanmail (run again with --debug)" },

  // The command line itself (commander's usage errors).
  USAGE: { exitCode: EXIT.usage, description: "the command line is not valid" },
  UNKNOWN_COMMAND: { exitCode: EXIT.usage, description: "no such command" },
  UNKNOWN_OPTION: { exitCode: EXIT.usage, description: "no such option for this command" },
  MISSING_ARGUMENT: { exitCode: EXIT.usage, description: "a required argument is missing" },
  MISSING_OPTION_VALUE: { exitCode: EXIT.usage, description: "an option was given without its value" },
  INVALID_ARGUMENT: { exitCode: EXIT.usage, description: "an argument or option value is not one of the choices" },
  EXCESS_ARGUMENTS: { exitCode: EXIT.usage, description: "more arguments than the command takes" },
  CONFLICTING_OPTIONS: { exitCode: EXIT.usage, description: "options that cannot be used together" },
  MISSING_SUBCOMMAND: { exitCode: EXIT.usage, description: "a command group was given without a subcommand" },

  // The home and its database.
  NO_HOME: { exitCode: EXIT.user, description: "there is no loanmail home at the chosen place" },
  HOME_UNREADABLE: { exitCode: EXIT.user, description: "the loanmail home belongs to someone else" },
  NO_DATABASE: { exitCode: EXIT.user, description: "the home has no database" },
  NOT_A_DATABASE: { exitCode: EXIT.user, description: "loanmail.db is not a loanmail database" },
  DATABASE_NOT_WRITABLE: { exitCode: EXIT.user, description: "the database cannot be opened for writing" },
  DATABASE_TOO_NEW: { exitCode: EXIT.user, description: "the database was written by a newer loanmail" },
  DATABASE_BUSY: {
    exitCode: EXIT.user,
    description: "another command held the database longer than the busy timeout",
  },
  NO_TAG_PREFIX: { exitCode: EXIT.user, description: "the database has no case-tag prefix" },
  BACKUP_NOT_WRITABLE: { exitCode: EXIT.user, description: "the backup file cannot be written" },
  HOME_NOT_A_FOLDER: { exitCode: EXIT.user, description: "the chosen loanmail home exists but is not a folder" },
  HOME_NOT_CREATABLE: { exitCode: EXIT.user, description: "the loanmail home folder cannot be created" },

  // config.toml.
  NO_CONFIG: { exitCode: EXIT.user, description: "the home has no config.toml" },
  CONFIG_UNREADABLE: { exitCode: EXIT.user, description: "config.toml cannot be read (permission denied)" },
  CONFIG_NOT_WRITABLE: { exitCode: EXIT.user, description: "config.toml cannot be written" },
  CONFIG_NOT_TOML: { exitCode: EXIT.user, description: "config.toml is not valid TOML" },
  CONFIG_SCHEMA_UNKNOWN: {
    exitCode: EXIT.user,
    description: "config.toml has a schema version this loanmail does not understand",
  },
  CONFIG_USER_MISSING: { exitCode: EXIT.user, description: "config.toml has no [user] table" },
  CONFIG_VALUE_MISSING: { exitCode: EXIT.user, description: "a required setting of config.toml is missing" },
  CONFIG_INVALID: {
    exitCode: EXIT.user,
    description: "a setting of config.toml has the wrong type or is out of range",
  },
  INVALID_TIME_ZONE: { exitCode: EXIT.user, description: "a time zone is not an IANA time zone name" },

  // Mail accounts ([accounts.NAME] in config.toml) and their secrets.
  NO_MAIL_ACCOUNT: { exitCode: EXIT.user, description: "no mail account is set up" },
  MAIL_ACCOUNT_NOT_FOUND: { exitCode: EXIT.user, description: "no mail account has the given name" },
  MAIL_ACCOUNT_AMBIGUOUS: {
    exitCode: EXIT.user,
    description: "several mail accounts are set up and none was chosen",
  },
  MAIL_ACCOUNT_INVALID: {
    exitCode: EXIT.user,
    description: "a mail account's email, host, port or security setting is missing or not valid",
  },
  PASSWORD_SOURCE_INVALID: {
    exitCode: EXIT.user,
    description: "a mail account has no password source, or more than one",
  },
  PASSWORD_IN_CONFIG: { exitCode: EXIT.user, description: "config.toml holds a password, which loanmail never reads" },
  PASSWORD_ENV_UNSET: {
    exitCode: EXIT.user,
    description: "the environment variable that holds a mail account's password is not set",
  },
  SECRET_COMMAND_FAILED: {
    exitCode: EXIT.user,
    description: "a mail account's password or token command failed",
  },
  SECRET_COMMAND_EMPTY: {
    exitCode: EXIT.user,
    description: "a mail account's password or token command printed nothing",
  },
  CA_FILE_UNREADABLE: { exitCode: EXIT.user, description: "a mail account's CA certificate file cannot be read" },

  // Mail servers (exit 4: the server or the connection to it, not the letter).
  TLS_CERTIFICATE_UNTRUSTED: {
    exitCode: EXIT.mailServer,
    description: "a mail server's TLS certificate is not trusted",
  },
  STARTTLS_UNAVAILABLE: {
    exitCode: EXIT.mailServer,
    description: "a mail server offers no STARTTLS, and loanmail never talks to it in plaintext",
  },
  MAIL_LOGIN_REFUSED: { exitCode: EXIT.mailServer, description: "a mail server refused the login" },
  MAIL_CONNECT_FAILED: { exitCode: EXIT.mailServer, description: "a mail server cannot be reached" },

  // Records (servicers, clients, loans, cases, authorizations): not found, ambiguous or already there.
  SERVICER_NOT_FOUND: { exitCode: EXIT.user, description: "no servicer has the given name or id" },
  SERVICER_EXISTS: { exitCode: EXIT.user, description: "a servicer with that name already exists" },
  DOMAIN_TAKEN: { exitCode: EXIT.user, description: "a reply domain already belongs to another servicer" },
  CLIENT_NOT_FOUND: { exitCode: EXIT.user, description: "no client has the given name" },
  LOAN_NOT_FOUND: { exitCode: EXIT.user, description: "no loan has the given id or account number" },
  LOAN_AMBIGUOUS: { exitCode: EXIT.user, description: "a loan reference fits several loans" },
  LOAN_EXISTS: {
    exitCode: EXIT.user,
    description: "a loan with that account number at that servicer already exists",
  },
  ACCOUNT_NUMBER_EMPTY: { exitCode: EXIT.user, description: "a loan account number is empty" },
  INVALID_ACCOUNT_NUMBER: { exitCode: EXIT.user, description: "a loan account number is not of a valid form" },
  CASE_NOT_FOUND: { exitCode: EXIT.user, description: "no case has the given number or tag" },
  CASE_IN_OTHER_HOME: {
    exitCode: EXIT.user,
    description: "a case tag names a case of another loanmail home (another tag prefix)",
  },
  AUTHORIZATION_NOT_FOUND: { exitCode: EXIT.user, description: "no authorization has the given id" },

  // Letters, their channel and their fields (`--set name=value`).
  KIND_NOT_FORMAL: { exitCode: EXIT.user, description: "a formal letter was asked for a kind with no formal form" },
  NO_NOTICE_ADDRESS: {
    exitCode: EXIT.user,
    description: "a formal letter needs the servicer's designated notice address, and none is recorded",
  },
  FIELD_MALFORMED: { exitCode: EXIT.user, description: "a field was not written name=value" },
  FIELD_REPEATED: { exitCode: EXIT.user, description: "a field was given twice" },
  UNKNOWN_FIELD: { exitCode: EXIT.user, description: "the letter kind has no field of that name" },
  MISSING_FIELDS: { exitCode: EXIT.user, description: "required fields of the letter kind were not given" },
  FIELD_EMPTY: { exitCode: EXIT.user, description: "a text field is empty" },
  FIELD_TOO_LONG: { exitCode: EXIT.user, description: "a text field is longer than 2000 characters" },
  INVALID_DATE: { exitCode: EXIT.user, description: "a date is not a real calendar date written YYYY-MM-DD" },
  INVALID_AMOUNT: { exitCode: EXIT.user, description: "an amount is not a dollar amount" },
  INVALID_YEAR: { exitCode: EXIT.user, description: "a year is not a four-digit year from 1970 to 2100" },
  FIELD_NOT_A_CHOICE: { exitCode: EXIT.user, description: "a field's value is not one of the values it allows" },
  INVALID_CASE_REF: { exitCode: EXIT.user, description: "a case reference is neither a case number nor a case tag" },

  // Evidence: writing a bundle and reading one back.
  OUTPUT_IS_DIRECTORY: { exitCode: EXIT.user, description: "the output file named is a directory" },
  OUTPUT_FOLDER_MISSING: { exitCode: EXIT.user, description: "the folder of the output file does not exist" },
  OUTPUT_NOT_WRITABLE: { exitCode: EXIT.user, description: "the output file cannot be written" },
  MESSAGE_VANISHED: {
    exitCode: EXIT.user,
    description: "a message was removed from the database while an export read it",
  },
  STORED_FILE_MISSING: {
    exitCode: EXIT.user,
    description: "a stored file that the database refers to is missing from it",
  },
  STORED_BYTES_MISMATCH: {
    exitCode: EXIT.verifyMismatch,
    description: "a stored message or file does not match the SHA-256 it is stored under",
  },
  BUNDLE_NOT_A_ZIP: { exitCode: EXIT.user, description: "the file to verify is not a readable zip" },
  BUNDLE_UNREADABLE: { exitCode: EXIT.user, description: "the file to verify cannot be read" },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Every code, for listings and tests. */
export function errorCodes(): ErrorCode[] {
  return Object.keys(ERROR_CODES).filter(isErrorCode);
}

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CODES, value);
}

/** The code of an error thrown without one: the generic code of its exit code. */
function genericCode(exitCode: ExitCode): ErrorCode {
  switch (exitCode) {
    case EXIT.mailServer:
      return "MAIL_SERVER_ERROR";
    case EXIT.verifyMismatch:
      return "VERIFY_MISMATCH";
    case EXIT.sendFailed:
      return "SEND_FAILED";
    case EXIT.usage:
      return "USAGE";
    default:
      return "USER_ERROR";
  }
}

export interface UserErrorOptions {
  code: ErrorCode;
  /** What to do about it, in words that do not name CLI flags (the CLI adds those; see cli/error-hints.ts). */
  hint?: string;
  /** Only when this error must exit other than its code's default. */
  exitCode?: ExitCode;
}

export class UserError extends Error {
  readonly hint: string | undefined;
  readonly exitCode: ExitCode;
  readonly code: ErrorCode;

  /** `new UserError(message, { code, hint })`; the older `(message, hint, exitCode)` gets a generic code. */
  constructor(message: string, hintOrOptions?: string | UserErrorOptions, exitCode?: ExitCode) {
    super(message);
    this.name = "UserError";
    if (typeof hintOrOptions === "object") {
      this.hint = hintOrOptions.hint;
      this.code = hintOrOptions.code;
      this.exitCode = hintOrOptions.exitCode ?? ERROR_CODES[hintOrOptions.code].exitCode;
    } else {
      this.hint = hintOrOptions;
      this.exitCode = exitCode ?? EXIT.user;
      this.code = genericCode(this.exitCode);
    }
  }
}

/** True for a Node system error with the given code (ENOENT, EACCES, ...). */
export function isErrno(err: unknown, ...codes: string[]): err is NodeJS.ErrnoException {
  return (
    err instanceof Error &&
    typeof (err as NodeJS.ErrnoException).code === "string" &&
    codes.includes((err as NodeJS.ErrnoException).code as string)
  );
}
