/**
 * Hints that name command-line flags belong to the CLI. A layer below it (store, app, mail, export) throws a
 * UserError with a code and a hint in plain words; when the CLI knows a better hint for that code, one that says
 * which flag to use, it shows that one instead.
 */
import type { ErrorCode } from "../errors.js";

const CLI_HINTS: Partial<Record<ErrorCode, string>> = {
  USAGE: "run with --help for usage",
  FENCE_NOT_APPLICABLE: "run it without --client, with LOANMAIL_CLIENT unset",
  RETENTION_NOT_OVER: "wait until then, or purge early with --force --reason TEXT (recorded in the agency log)",
  FORCE_NEEDS_REASON: "add --reason TEXT: why the file is removed before the three years are over",
  NO_DENIAL_TO_APPEAL: "record it first: loanmail event CASE denied --date D (the date on the denial notice)",
  NO_OFFER_TO_ANSWER: "record it first: loanmail event CASE offer --date D [--accept-by D2] (the date on the offer)",
  NO_DATABASE: "run loanmail init first (or pass the right --home)",
  NOT_A_DATABASE: "move that file aside, or point --home at your loanmail folder",
  DATABASE_NOT_WRITABLE: "check that the loanmail home is yours and writable, or choose another with --home",
  BACKUP_NOT_WRITABLE: "choose a writable file for --out",
  HOME_NOT_A_FOLDER: "choose another --home",
  HOME_NOT_CREATABLE: "choose a folder you can write with --home or LOANMAIL_HOME",
  NO_CONFIG: "run loanmail init first (or pass the right --home)",
  CONFIG_USER_MISSING: "run loanmail init --name ... --email ... --address ...",
  NO_MAIL_ACCOUNT:
    "add one: loanmail account set --email ADDR --smtp-host H --smtp-port 587 --smtp-security starttls --imap-host H --imap-port 993 --imap-security tls --password-env VAR",
  PASSWORD_SOURCE_INVALID: "give exactly one of --password-env VAR, --password-command CMD, --oauth2-token-command CMD",
  PASSWORD_IN_CONFIG: "remove it: loanmail reads passwords only from --password-env or --password-command",
  PASSWORD_COMMAND_NEEDS_SHELL:
    'write it as a list of words in config.toml (password_command = ["pass", "show", "mail"]), or let it run with sh -c: loanmail account set NAME --password-command-shell',
  CA_FILE_UNREADABLE: "point --ca-file at a PEM certificate",
  TLS_CERTIFICATE_UNTRUSTED:
    "if the server uses a private CA, give its certificate with: loanmail account set NAME --ca-file CA.pem",
  STARTTLS_UNAVAILABLE:
    "use the server's TLS port (e.g. --smtp-port 465 --smtp-security tls) or ask the provider for STARTTLS",
  MAIL_LOGIN_REFUSED:
    "check the user name and the password source of the account (account set --user / --password-env)",
  ACCOUNT_NUMBER_EMPTY: "copy it from your mortgage statement: --account 1234567",
  OUTPUT_IS_DIRECTORY: "give the name of a file in that folder",
  OUTPUT_NOT_WRITABLE: "choose a writable file path for --out",
  OUTPUT_EXISTS: "add --force to replace it, or choose another name",
  STORED_FILE_MISSING: "run loanmail verify --db",
  EVENT_UNREADABLE: "the database was changed outside loanmail; loanmail verify --db names the first changed row",
  STORED_BYTES_MISMATCH: "the database was changed outside loanmail; run loanmail verify --db",
  OUT_IS_FOLDER: "give a file name for --out",
  PDF_NOT_WRITABLE: "choose a writable file path for --pdf",
  LETTER_SUMMARY_MISSING: "add --summary 'what happened, with dates and amounts' (or --body-file FILE)",
  COMPOSE_NEEDS_LOAN_OR_CASE: "--loan ID opens a new case; --case CASE adds this letter to an existing one",
  COMPOSE_LOAN_AND_CASE: "--loan ID opens a new case; --case CASE adds this letter to an existing one",
  COMPOSE_INTO_DISCARDED_CASE: "compose with --loan to open a new case",
  LETTER_HAS_SENSITIVE_NUMBER:
    "mask the number to its last 4 digits; if it truly must go by email, pass --allow-sensitive",
  RESEND_NOT_UNKNOWN: "--resend-unknown only resends a letter whose outcome is unknown",
  NO_PRIOR_SERVICER:
    "record the transfer first: loanmail loan transfer LOAN --to NEW --account NUM --date D; then --prior-servicer",
  NO_CFPB_COMPLAINT: "record the complaint first: loanmail filed CASE --cfpb-id ID --date D",
};

/** The CLI's hint for an error code, naming the flags to use; undefined when the error's own hint stands. */
export function hintForCode(code: ErrorCode): string | undefined {
  return CLI_HINTS[code];
}
