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
