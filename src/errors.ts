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
  cancelled: 130,
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
  HOME_NOT_PRIVATE: {
    exitCode: EXIT.user,
    description: "the home, config.toml or the database belongs to another user or others may write it",
  },
  DATABASE_READ_ONLY: { exitCode: EXIT.user, description: "the database file is read-only (its mode)" },
  DATABASE_VERSION_SET_BACK: {
    exitCode: EXIT.user,
    description: "the database's schema version is lower than the migrations its tables show",
  },

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
  PASSWORD_COMMAND_NEEDS_SHELL: {
    exitCode: EXIT.user,
    description: "a password or token command needs a shell, which was not allowed (password_command_shell)",
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
  FENCE_NOT_APPLICABLE: {
    exitCode: EXIT.user,
    description:
      "a command that reads or copies every client's records (sync, import, backup, verify --db) was fenced to one",
  },
  CLIENT_ALREADY_CLOSED: { exitCode: EXIT.user, description: "the client's file is already closed" },
  CLIENT_NOT_CLOSED: { exitCode: EXIT.user, description: "the client's file is open, so it cannot be reopened" },
  CLIENT_OPEN: { exitCode: EXIT.user, description: "an open client's file cannot be purged" },
  RETENTION_NOT_OVER: {
    exitCode: EXIT.user,
    description: "the client's file must be kept three years after it closed (24 C.F.R. 214.315)",
  },
  PURGE_EXPORT_EXISTS: { exitCode: EXIT.user, description: "the file a purge would export to already exists" },
  FORCE_NEEDS_REASON: { exitCode: EXIT.user, description: "an early purge needs a reason (--force --reason)" },
  UNFILED_MAIL_OF_CLIENT: { exitCode: EXIT.user, description: "unfiled mail names only this client's accounts" },
  UNKNOWN_OUTCOME: { exitCode: EXIT.user, description: "not one of the HUD-9902 outcome categories loanmail records" },
  HOME_EMPTY: { exitCode: EXIT.user, description: "--home or LOANMAIL_HOME was given as an empty string" },
  CONTROL_CHARACTER: {
    exitCode: EXIT.user,
    description: "typed text, a read file or config.toml holds a control character or a bidi override",
  },
  NOT_UTF8_TEXT: { exitCode: EXIT.user, description: "a text file given to loanmail is not valid UTF-8" },
  NOT_FOUND_FOR_CLIENT: {
    exitCode: EXIT.user,
    description: "the case, loan, letter or message named belongs to another client than --client names",
  },
  LOAN_NOT_FOUND: { exitCode: EXIT.user, description: "no loan has the given id or account number" },
  LOAN_AMBIGUOUS: { exitCode: EXIT.user, description: "a loan reference fits several loans" },
  LOAN_EXISTS: {
    exitCode: EXIT.user,
    description: "a loan with that account number at that servicer already exists",
  },
  ACCOUNT_NUMBER_EMPTY: { exitCode: EXIT.user, description: "a loan account number is empty" },
  INVALID_ACCOUNT_NUMBER: { exitCode: EXIT.user, description: "a loan account number is not of a valid form" },
  EVENT_UNREADABLE: {
    exitCode: EXIT.user,
    description: "an event row was changed outside loanmail and cannot be read",
  },
  CASE_NOT_FOUND: { exitCode: EXIT.user, description: "no case has the given number or tag" },
  CASE_IN_OTHER_HOME: {
    exitCode: EXIT.user,
    description: "a case tag names a case of another loanmail home (another tag prefix)",
  },
  AUTHORIZATION_NOT_FOUND: { exitCode: EXIT.user, description: "no authorization has the given id" },

  // Letters, their channel and their fields (`--set name=value`).
  KIND_NOT_FORMAL: { exitCode: EXIT.user, description: "a formal letter was asked for a kind with no formal form" },
  OPTION_NOT_FOR_KIND: {
    exitCode: EXIT.user,
    description: "a compose option was given for a kind it does not apply to",
  },
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
  DATE_OUT_OF_RANGE: { exitCode: EXIT.user, description: "a date is outside 1986-01-01 to 2199-12-31" },
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
  BAD_BATES_PREFIX: { exitCode: EXIT.user, description: "the Bates prefix given to export is not one" },
  BUNDLE_NOT_A_ZIP: { exitCode: EXIT.user, description: "the file to verify is not a readable zip" },
  BUNDLE_UNREADABLE: { exitCode: EXIT.user, description: "the file to verify cannot be read" },
  // Command-line values (checked by the CLI or by the use case that takes them).
  MISSING_OPTION: { exitCode: EXIT.user, description: "a value the command needs was not given" },
  DATE_IN_FUTURE: { exitCode: EXIT.user, description: "a date of something that happened is after today" },
  DATES_OUT_OF_ORDER: { exitCode: EXIT.user, description: "a date comes before the date it must follow" },
  INVALID_EMAIL: { exitCode: EXIT.user, description: "a value is not an email address" },
  INVALID_PHONE: { exitCode: EXIT.user, description: "a value is not a full phone number" },
  INVALID_DOMAIN: { exitCode: EXIT.user, description: "a value is not a mail domain" },
  INVALID_URL: { exitCode: EXIT.user, description: "a value is not a web address" },
  INVALID_NUMBER: { exitCode: EXIT.user, description: "a value is not a whole number in the allowed range" },
  INVALID_ADDRESS: { exitCode: EXIT.user, description: "a postal address is too short to be one" },
  INVALID_ACCOUNT_NAME: { exitCode: EXIT.user, description: "a mail account name has characters it cannot have" },
  INVALID_AUTHSERV_ID: { exitCode: EXIT.user, description: "a value is not an Authentication-Results authserv-id" },
  EMPTY_VALUE: { exitCode: EXIT.user, description: "a value was given but is empty" },
  NOTHING_TO_CHANGE: { exitCode: EXIT.user, description: "a change command was given nothing to change" },
  UNKNOWN_LETTER_KIND: { exitCode: EXIT.user, description: "no such letter kind" },
  UNKNOWN_REPLY_CLASS: { exitCode: EXIT.user, description: "no such reply class" },
  REPLY_NEEDS_REVIEW: {
    exitCode: EXIT.user,
    description: "a reply the classifier was not sure of must be read and classified first",
  },
  CLASSIFY_NEEDS_CLASS: { exitCode: EXIT.user, description: "classify was given neither a class nor --explain" },
  UNKNOWN_CHANNEL: { exitCode: EXIT.user, description: "a letter or reply cannot travel that way" },
  UNKNOWN_FORMAT: { exitCode: EXIT.user, description: "no such output format" },
  UNKNOWN_EVENT_TYPE: { exitCode: EXIT.user, description: "loanmail does not track events of that type" },
  NO_DENIAL_TO_APPEAL: {
    exitCode: EXIT.user,
    description: "an appeal was recorded in a case with no denial before it",
  },
  NO_OFFER_TO_ANSWER: { exitCode: EXIT.user, description: "an acceptance or rejection in a case with no offer" },
  NOT_LOSS_MITIGATION_CASE: { exitCode: EXIT.user, description: "a loss-mitigation event outside a case of one" },
  PROMPT_CANCELLED: { exitCode: EXIT.cancelled, description: "the user stopped at a prompt; nothing was changed" },
  NEEDS_TERMINAL: { exitCode: EXIT.usage, description: "a command that asks questions ran without a terminal" },

  // Files the user gives, or asks loanmail to write.
  FILE_NOT_FOUND: { exitCode: EXIT.user, description: "a file the user named does not exist" },
  NOT_A_FILE: { exitCode: EXIT.user, description: "a path the user named is a folder or other non-file" },
  FILE_UNREADABLE: { exitCode: EXIT.user, description: "a file the user named cannot be read" },
  FILE_EMPTY: { exitCode: EXIT.user, description: "a file the user named is empty" },
  UNSUPPORTED_FILE_TYPE: { exitCode: EXIT.user, description: "a document is not a PDF, JPEG or PNG" },
  ATTACHMENT_TOO_LARGE: { exitCode: EXIT.user, description: "one attachment is over the size limit" },
  ATTACHMENTS_OVER_TOTAL_LIMIT: {
    exitCode: EXIT.user,
    description: "a letter's attachments together are over the limit",
  },
  NOT_AN_EMAIL: {
    exitCode: EXIT.user,
    description: "a file to import is not an email message, an mbox file or a Maildir folder",
  },
  MESSAGE_TOO_LARGE: { exitCode: EXIT.user, description: "a message to import is over the size limit" },
  OUT_IS_FOLDER: { exitCode: EXIT.user, description: "the output file (--out) names a folder" },
  PDF_NOT_WRITABLE: { exitCode: EXIT.user, description: "the letter PDF asked for (--pdf) cannot be written" },
  LETTER_PDF_NOT_WRITABLE: { exitCode: EXIT.user, description: "a letter's PDF cannot be written in the home" },
  COMPLAINT_PACKET_NOT_WRITABLE: { exitCode: EXIT.user, description: "the CFPB complaint packet cannot be written" },
  FILE_TOO_LARGE: { exitCode: EXIT.user, description: "a file the user named is over the size loanmail reads" },
  OUTPUT_NOT_A_FILE: {
    exitCode: EXIT.user,
    description: "the output path is a device, FIFO, socket or symbolic link: loanmail writes only regular files",
  },
  OUTPUT_EXISTS: { exitCode: EXIT.user, description: "the output file exists and was not allowed to be replaced" },
  MESSAGE_NAMES_OTHER_CLIENT: { exitCode: EXIT.user, description: "fenced filing of mail naming another client" },
  OUTPUT_IS_HOME_FILE: { exitCode: EXIT.user, description: "the output is the home's own database or config.toml" },
  OUTPUT_DISK_FULL: { exitCode: EXIT.user, description: "the disk of the output file is full" },
  MAIL_CONNECTION_LOST: { exitCode: EXIT.mailServer, description: "the mail server closed the connection mid-way" },
  DISK_FULL: { exitCode: EXIT.user, description: "the disk holding the home is full: the database was not written" },

  // Letters and cases.
  COMPOSE_NEEDS_LOAN_OR_CASE: { exitCode: EXIT.user, description: "compose was told neither the loan nor the case" },
  COMPOSE_LOAN_AND_CASE: { exitCode: EXIT.usage, description: "compose was told both a loan and a case" },
  COMPOSE_INTO_DISCARDED_CASE: { exitCode: EXIT.user, description: "a letter cannot be added to a discarded case" },
  LETTER_SUMMARY_MISSING: { exitCode: EXIT.user, description: "a letter was composed without its summary" },
  LETTER_MISSING_ELEMENTS: { exitCode: EXIT.user, description: "a letter lacks an element it must have; not saved" },
  LETTER_HAS_SENSITIVE_NUMBER: {
    exitCode: EXIT.user,
    description: "a letter holds a full account or other sensitive number; not saved",
  },
  CASE_NUMBER_CONTENDED: {
    exitCode: EXIT.user,
    description: "other loanmail processes kept taking the next case number",
  },
  CASE_DISCARDED: { exitCode: EXIT.user, description: "the case was discarded" },
  CASE_ALREADY_DISCARDED: { exitCode: EXIT.user, description: "the case to discard is already discarded" },
  CASE_HAS_SENT_LETTERS: { exitCode: EXIT.user, description: "a case whose letters left cannot be discarded" },
  CASE_RESOLVED: { exitCode: EXIT.user, description: "the case is resolved" },
  CASE_ALREADY_RESOLVED: { exitCode: EXIT.user, description: "the case to resolve is already resolved" },
  CASE_ALREADY_UNRESOLVED: { exitCode: EXIT.user, description: "the case is already marked unresolved" },
  NO_LETTER_LEFT: { exitCode: EXIT.user, description: "no letter of the case has left yet" },
  NO_PRIOR_SERVICER: { exitCode: EXIT.user, description: "the loan was never transferred: it has no prior servicer" },
  PRIOR_SERVICER_NOT_FOUND: {
    exitCode: EXIT.user,
    description: "the servicer named did not service the loan before a transfer",
  },
  PRIOR_SERVICER_KIND: {
    exitCode: EXIT.user,
    description: "only a notice of error or request for information goes to a prior servicer",
  },
  NO_CFPB_COMPLAINT: {
    exitCode: EXIT.user,
    description: "the case has no CFPB complaint (with that number) for a response to answer",
  },
  NO_ERROR_RESPONSE: {
    exitCode: EXIT.user,
    description: "no notice of error of the case has a recorded response (documents relied on need one)",
  },
  NO_DRAFT: { exitCode: EXIT.user, description: "the case has no unsent letter" },
  NO_LETTER_TO_PRINT: { exitCode: EXIT.user, description: "the case has no letter to print" },
  NO_LETTER_TO_REFER_TO: { exitCode: EXIT.user, description: "the case referred to holds no composed letter" },
  NO_POST_LETTER: { exitCode: EXIT.user, description: "the case has no letter that goes by post" },
  LETTER_NOT_FOUND: { exitCode: EXIT.user, description: "the case has no letter with that number" },
  LETTER_NOT_ELIGIBLE: {
    exitCode: EXIT.user,
    description: "the letter named is not one the command can act on (already sent, discarded, another channel)",
  },
  UNKNOWN_COPY_TARGET: { exitCode: EXIT.user, description: "--copy-to names no known copy recipient" },
  COPY_NEEDS_FORMAL: {
    exitCode: EXIT.user,
    description: "a copy to customer service goes with a formal letter to the designated channel only",
  },
  ALREADY_DELIVERED: { exitCode: EXIT.user, description: "the letter's delivery is already recorded" },
  EXHIBIT_NOT_FOUND: { exitCode: EXIT.user, description: "the draft has no exhibit by that letter or label" },
  LETTER_ALREADY_LEFT: { exitCode: EXIT.user, description: "the letter already left; only a draft can change" },
  LETTER_AMBIGUOUS: { exitCode: EXIT.user, description: "a case holds several letters the command may mean; name one" },
  MESSAGE_NOT_FOUND: { exitCode: EXIT.user, description: "no message with that number" },
  MESSAGE_IS_OUTGOING: { exitCode: EXIT.user, description: "the message is a letter the user wrote, not a reply" },
  MESSAGE_ALREADY_FILED: { exitCode: EXIT.user, description: "the message is already filed to that case" },
  DUPLICATE_SCAN: { exitCode: EXIT.user, description: "the file given to received is already recorded as a reply" },
  REPLY_ALREADY_TRUSTED: {
    exitCode: EXIT.user,
    description: "the reply's sender is the servicer's and nothing says it is forged: there is nothing to confirm",
  },
  NO_EDITOR: { exitCode: EXIT.user, description: "no editor is set ($VISUAL, $EDITOR)" },
  EDITOR_NOT_STARTED: { exitCode: EXIT.user, description: "the editor could not be started" },
  EDITOR_FAILED: { exitCode: EXIT.user, description: "the editor exited with an error; the draft is unchanged" },
  EDITED_LETTER_EMPTY: { exitCode: EXIT.user, description: "the edited letter is empty; the draft is unchanged" },
  NOTHING_TO_TRANSFER: { exitCode: EXIT.user, description: "a loan transfer names its current servicer and account" },

  // Sending, mailing and syncing.
  POST_LETTER_NOT_SENDABLE: { exitCode: EXIT.user, description: "a letter for the post cannot be sent by email" },
  LETTER_NEEDS_SIGNATURES: {
    exitCode: EXIT.user,
    description:
      "a letter every borrower signs (a third-party authorization) leaves as a signed PDF, not an email body",
  },
  NOTHING_TO_SEND: { exitCode: EXIT.user, description: "the case has no letter waiting to be sent" },
  SEND_OUTCOME_UNKNOWN: {
    exitCode: EXIT.user,
    description: "a letter may have left: its sending is unknown and it is not in the mailbox",
  },
  RESEND_NOT_UNKNOWN: { exitCode: EXIT.user, description: "only a letter whose sending is unknown can be resent" },
  ALREADY_MAILED: { exitCode: EXIT.user, description: "every post letter of the case is already recorded as mailed" },
  NOT_MAILED_YET: {
    exitCode: EXIT.user,
    description: "proof of mailing was given for a letter not recorded as mailed",
  },
  PROOF_ALREADY_KEPT: { exitCode: EXIT.user, description: "a proof-of-mailing file is already kept with that letter" },
  PROOF_FILE_TOO_LARGE: { exitCode: EXIT.user, description: "a proof-of-mailing file is over the size limit" },
  NO_PRINTED_COPY: {
    exitCode: EXIT.user,
    description: "loanmail printed no copy of a letter by the day it left, so no printed copy is held",
  },
  COMMAND_ALREADY_RUNNING: { exitCode: EXIT.user, description: "another loanmail process holds the command's lock" },
  LOCK_UNAVAILABLE: { exitCode: EXIT.user, description: "the command's lock file cannot be taken" },

  // Escalation.
  CASE_ALREADY_ESCALATED: { exitCode: EXIT.user, description: "a later case already continues this one" },
  LADDER_EXHAUSTED: { exitCode: EXIT.user, description: "the case is at the top of the escalation ladder" },
  ESCALATION_NOT_WARRANTED: {
    exitCode: EXIT.user,
    description: "nothing in the case's record warrants escalation yet",
  },
  RUNG_NOT_AVAILABLE: {
    exitCode: EXIT.user,
    description: "the record does not show what the chosen rung of the escalation ladder needs",
  },
  ESCALATION_CHANGED: {
    exitCode: EXIT.user,
    description: "the case's record changed between the proposal and the answer to it",
  },

  // Evidence.
  DATABASE_MISMATCH: {
    exitCode: EXIT.verifyMismatch,
    description: "the database's event chains or stored messages do not match their hashes",
  },
  BUNDLE_MISMATCH: { exitCode: EXIT.verifyMismatch, description: "an evidence bundle does not match its manifest" },
  // A counselor's caseload: clients, intake, the action plan, authorizations (docs/ARCHITECTURE.md, "Clients").
  HOME_IS_BORROWERS: {
    exitCode: EXIT.user,
    description: "init --counselor was run on a borrower's home, which is not turned into a counselor's",
  },
  INVALID_AGENCY_ID: { exitCode: EXIT.user, description: "a HUD agency id is not letters and digits" },
  CLIENT_EXISTS: { exitCode: EXIT.user, description: "a client of that name (in any case) already exists" },
  CLIENT_REQUIRED: {
    exitCode: EXIT.user,
    description: "in a counselor's home, a loan is added for a client named with --client",
  },
  NOT_A_COUNSELOR_HOME: { exitCode: EXIT.user, description: "a counselor's command was run in a borrower's home" },
  UNKNOWN_AMI_BAND: { exitCode: EXIT.user, description: "an income band is not one of HUD form 9902's" },
  INVALID_LANGUAGE: { exitCode: EXIT.user, description: "a preferred language is not a language code" },
  PLAN_ITEM_NOT_FOUND: { exitCode: EXIT.user, description: "a client's plan has no item of that number" },
  PLAN_ITEM_DONE: { exitCode: EXIT.user, description: "a plan item was already marked done" },
  AUTHORIZATION_REQUIRED: {
    exitCode: EXIT.user,
    description: "a counselor's letter has no valid authorization for its loan and servicer on the day",
  },
  ALREADY_REVOKED: { exitCode: EXIT.user, description: "an authorization was already revoked" },
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
