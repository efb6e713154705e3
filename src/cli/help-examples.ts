/**
 * Help that teaches: one or two real examples at the end of every command's `--help`, by the command's path (the
 * words a user types before the arguments). main.ts adds them to each command it builds
 * (`addHelpText("after", ...)`); test/unit/help-examples.test.ts checks that every command has some and that each
 * example names the command and only options it takes.
 */

/** An example command line (as typed, after `loanmail`'s own name) and what it does. */
export type Example = readonly [line: string, what: string];

export const HELP_EXAMPLES: Readonly<Record<string, readonly Example[]>> = {
  "": [
    ["loanmail new", "write a letter step by step, with questions (so does loanmail alone, on a terminal)"],
    ["loanmail due", "what the servicer owes you, and by when"],
  ],
  init: [
    [
      'loanmail init --name "Jane Q. Doe" --email jane@example.com --address "12 Elm St\\nSpringfield, IL 62701" --phone 555-123-4567',
      "set up your home (the time zone defaults to this machine's)",
    ],
    [
      'loanmail init --counselor --name "Ana Ruiz" --email ana@agency.org --address "1 Main St\\nSpringfield, IL" --agency "Springfield Housing"',
      "a housing counselor's home",
    ],
  ],
  new: [["loanmail new", "write a letter step by step: the loan, what happened, its details, exhibits, then one yes"]],
  servicer: [["loanmail servicer list", "the servicers you write to"]],
  "servicer add": [
    [
      'loanmail servicer add "Mr. Cooper" --domain mrcooper.com --email help@mrcooper.com --notice-address "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261"',
      "a servicer with its designated notice address (from your statement)",
    ],
  ],
  "servicer set": [
    ['loanmail servicer set "Mr. Cooper" --notice-portal https://www.mrcooper.com/notices', "record a notice portal"],
  ],
  "servicer list": [["loanmail servicer list --json", "every servicer as JSON"]],
  loan: [["loanmail loan list", "your loans"]],
  "loan add": [
    [
      'loanmail loan add --servicer "Mr. Cooper" --account 1234567 --property "12 Elm St, Springfield, IL 62701" --borrower "Jane Q. Doe"',
      "a loan, with the account number from your statement",
    ],
  ],
  "loan set": [["loanmail loan set 1 --delinquent-since 2026-09-01", "the oldest unpaid payment's due date"]],
  "loan transfer": [
    [
      'loanmail loan transfer 1 --to "Rocket Mortgage" --account 7654321 --date 2026-11-01',
      "servicing moved: the 60-day protections start",
    ],
  ],
  "loan list": [["loanmail loan list", "every loan, with its servicer and account"]],
  client: [['loanmail client show "Nguyen"', "a client's whole file"]],
  "client add": [
    [
      'loanmail client add "Nguyen" --member "Trần Thị Mai" --email mai@example.com --agreement-signed 2026-11-02',
      "a client household with its intake",
    ],
  ],
  "client list": [["loanmail client list", "every client household"]],
  "client show": [['loanmail client show "Nguyen"', "intake, loans, cases, authorizations, plan and notes"]],
  "client set": [['loanmail client set "Nguyen" --language vi', "change a household's intake"]],
  "client plan": [
    [
      'loanmail client plan "Nguyen" --add "call the servicer about the appeal" --by 2026-12-10',
      "add a dated follow-up",
    ],
    ['loanmail client plan "Nguyen" --done 1', "mark item 1 done today"],
  ],
  "client close": [['loanmail client close "Nguyen" --reason "loan modified"', "close a household's file"]],
  "client reopen": [['loanmail client reopen "Nguyen"', "reopen a closed file"]],
  "client purge": [
    ['loanmail client purge "Nguyen" --out nguyen-file.zip', "export the whole file, then purge it (after 3 years)"],
  ],
  "client log": [["loanmail client log", "the agency log: closes, reopens and purges"]],
  authorization: [["loanmail authorization list", "every authorization and whether it is still good"]],
  "authorization add": [
    [
      'loanmail authorization add --loan 1 --file signed-form.pdf --authorized "Springfield Housing" --signed-on 2026-11-02 --expires-on 2027-11-02',
      "a signed third-party authorization",
    ],
  ],
  "authorization list": [["loanmail authorization list", "authorizations, their loans and expiry"]],
  "authorization submitted": [["loanmail authorization submitted 1 --date 2026-11-03", "you sent it to the servicer"]],
  "authorization revoke": [["loanmail authorization revoke 1 --on 2026-12-01", "the borrower revoked it"]],
  kinds: [
    ["loanmail kinds", "every letter kind, its purpose and its fields"],
    ["loanmail kinds --json", "the same, for a script"],
  ],
  compose: [
    [
      "loanmail compose notice-of-error --loan 1 --set 'error=my 2026-11-01 payment of $1,500 was put in suspense' --summary 'I paid $1,500 online on 2026-11-01; it sits in suspense.' --attach bank-statement.pdf=Statement",
      "a formal notice of error, with an exhibit",
    ],
    ["loanmail compose payoff-statement --loan 1 --set good-through=2026-12-31", "a payoff statement request"],
  ],
  edit: [
    ["loanmail edit 1", "change the draft of case 1 in $EDITOR"],
    ["loanmail edit 1 --attach receipt.pdf=Receipt", "add an exhibit to the draft"],
  ],
  mailed: [
    [
      "loanmail mailed 1 --tracking 9407111899560000000001 --date 2026-11-02 --receipt ps3800.pdf",
      "you mailed it certified",
    ],
    ["loanmail mailed 1 --delivered 2026-11-05", "later: tracking shows it delivered (the clocks start)"],
  ],
  send: [
    ["loanmail send 1 --dry-run", "what would go, and to whom"],
    ["loanmail send 1", "send case 1's letter over SMTP"],
  ],
  sent: [["loanmail sent 1 --via portal --date 2026-11-02 --file confirmation.pdf", "you uploaded it to a portal"]],
  cases: [
    ["loanmail cases", "every case and its state"],
    ["loanmail cases --status open --json", "open cases, for a script"],
  ],
  show: [
    ["loanmail show 1", "case 1: letters, exhibits, channel, clocks, events"],
    ["loanmail show 1 --pdf letter.pdf", "print its letter to mail"],
  ],
  discard: [["loanmail discard 1", "discard a case that never left (its records are kept)"]],
  note: [['loanmail note 1 "Servicer said the fee will be reversed"', "a note on case 1's record"]],
  call: [
    [
      'loanmail call 1 --with "Sam, escalations, ID 4471" --summary "promised a written answer by Friday" --date 2026-11-20T14:30',
      "record a phone call",
    ],
  ],
  event: [
    ["loanmail event 1 application-complete --date 2026-11-10", "your loss mitigation application is complete"],
    ["loanmail event 1 denied --date 2026-11-20", "the servicer's denial notice (the appeal clock starts)"],
  ],
  filed: [
    ["loanmail filed 1 --cfpb-id 261109-1234567 --date 2026-11-09", "you filed a CFPB complaint"],
    ["loanmail filed 1 --response-date 2026-11-20", "the company answered it"],
  ],
  resolve: [
    ["loanmail resolve 1", "the servicer fixed it"],
    ["loanmail resolve 1 --unresolved", "its answer did not (a trigger to escalate)"],
  ],
  escalate: [
    ["loanmail escalate 1", "what the next step is, and why"],
    ["loanmail escalate 1 --yes", "draft it"],
  ],
  account: [["loanmail account test", "check the mail account's login"]],
  "account set": [
    [
      "loanmail account set --email jane@example.com --smtp-host smtp.example.com --imap-host imap.example.com --password-command 'pass show mail'",
      "the account loanmail sends and syncs with",
    ],
  ],
  "account test": [["loanmail account test", "log in to SMTP and IMAP, send nothing"]],
  sync: [
    ["loanmail sync", "fetch replies and file them to their cases"],
    ["loanmail sync --verify-dkim", "the same, checking each reply's DKIM signature"],
  ],
  import: [
    ["loanmail import reply.eml", "a reply saved from your mail program"],
    ["loanmail import Takeout/Mail/All.mbox", "the mail about your loans from a whole mailbox"],
  ],
  received: [
    ["loanmail received 1 --date 2026-11-20 --via post --file reply-scan.pdf --class response", "a reply on paper"],
  ],
  "show-message": [["loanmail show-message 12", "message 12: headers, class, case, text"]],
  file: [["loanmail file 12 1", "file message 12 to case 1"]],
  classify: [
    ["loanmail classify 12 response", "message 12 answers the letter"],
    ["loanmail classify 12 --explain", "how its class was decided"],
  ],
  due: [
    ["loanmail due", "open clocks, soonest first"],
    ["loanmail due --notify --within 3", "one line per item due within 3 days (for cron)"],
  ],
  deadline: [
    [
      "loanmail deadline notice-of-error --received 2026-11-02",
      "the dates a notice of error received on 2026-11-02 would start",
    ],
  ],
  stats: [["loanmail stats", "how fast each servicer answers, and how often on time"]],
  calendar: [["loanmail calendar --out deadlines.ics", "every open clock as a calendar event"]],
  timeline: [
    ["loanmail timeline 1", "case 1's events, one row each"],
    ["loanmail timeline --all --format csv --out timeline.csv", "every case, as CSV"],
  ],
  export: [
    ["loanmail export 1 --out case-1.zip", "case 1's evidence bundle"],
    ["loanmail export 1 --redact --out case-1-redacted.zip", "the same with account numbers masked"],
  ],
  verify: [
    ["loanmail verify case-1.zip", "check a bundle's hashes and chain"],
    ["loanmail verify --db", "check the whole database"],
  ],
  backup: [["loanmail backup --out loanmail-backup.db", "a consistent copy of the database"]],
  report: [["loanmail report outcomes --from 2026-10-01 --to 2026-12-31", "the quarter's outcomes"]],
  "report outcomes": [
    ["loanmail report outcomes --from 2026-10-01 --to 2026-12-31 --format csv", "HUD 9902 outcomes for a quarter"],
  ],
  completion: [
    ["source <(loanmail completion bash)", "tab completion in this bash"],
    ["loanmail completion fish > ~/.config/fish/completions/loanmail.fish", "for fish, once"],
  ],
  doctor: [
    ["loanmail doctor", "check the home, config, database, mail accounts and PDF renderer"],
    ["loanmail doctor --login", "also log in to each mail account"],
  ],
};

/** The examples block printed after a command's help; empty when the command has none. */
export function examplesText(path: string): string {
  const examples = HELP_EXAMPLES[path];
  if (!examples || examples.length === 0) return "";
  const lines = ["", "Examples:"];
  for (const [line, what] of examples) lines.push(`  $ ${line}`, `      ${what}`);
  return `${lines.join("\n")}\n`;
}
