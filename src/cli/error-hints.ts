/**
 * Hints that name command-line flags belong to the CLI. A layer below it (store, app, mail, export) throws a
 * UserError with a code and a hint in plain words; when the CLI knows a better hint for that code, one that says
 * which flag to use, it shows that one instead.
 */
import type { ErrorCode } from "../errors.js";

const CLI_HINTS: Partial<Record<ErrorCode, string>> = {
  USAGE: "run with --help for usage",
  NO_DATABASE: "run loanmail init first (or pass the right --home)",
  NOT_A_DATABASE: "move that file aside, or point --home at your loanmail folder",
  DATABASE_NOT_WRITABLE: "check that the loanmail home is yours and writable, or choose another with --home",
  BACKUP_NOT_WRITABLE: "choose a writable file for --out",
  OUT_NOT_WRITABLE: "choose a writable file path for --out",
  OUT_IS_FOLDER: "give a file name for --out",
  PDF_NOT_WRITABLE: "choose a writable file path for --pdf",
  LETTER_SUMMARY_MISSING: "add --summary 'what happened, with dates and amounts' (or --body-file FILE)",
  COMPOSE_NEEDS_LOAN_OR_CASE: "--loan ID opens a new case; --case CASE adds this letter to an existing one",
  COMPOSE_LOAN_AND_CASE: "--loan ID opens a new case; --case CASE adds this letter to an existing one",
  COMPOSE_INTO_DISCARDED_CASE: "compose with --loan to open a new case",
  LETTER_HAS_SENSITIVE_NUMBER:
    "mask the number to its last 4 digits; if it truly must go by email, pass --allow-sensitive",
  RESEND_NOT_UNKNOWN: "--resend-unknown only resends a letter whose outcome is unknown",
};

/** The CLI's hint for an error code, naming the flags to use; undefined when the error's own hint stands. */
export function hintForCode(code: ErrorCode): string | undefined {
  return CLI_HINTS[code];
}
