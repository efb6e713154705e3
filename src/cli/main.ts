/**
 * loanmail's command line. Architecture:
 *
 *   cli/      argv, TTY, colour and exit codes (this file: commander with exitOverride, one top-level catch)
 *   app/      use cases (compose, edit, send, sync, ingest, escalate, stats); no argv, no process.exit
 *   domain/   pure rules: kinds, fields, subjects, channels, letter text, lint, reply classes, sync planning,
 *             business-day calendar, clocks, escalation ladder (no I/O, no clock reads: `now` is passed in)
 *   store/    SQLite (better-sqlite3): migrations, repositories, the hash-chained event log
 *   mail/     MIME bytes, SMTP (phase by phase, for exactly-once sending), IMAP (read-only, incremental)
 *   export/   printable letters, timelines, the evidence bundle and its verification
 *   config/   home folder and config.toml
 *
 * Command modules are imported lazily so that `loanmail kinds` does not pay for pdfkit or nodemailer.
 */
import { Command, CommanderError, Option } from "commander";
import { REPLY_CLASSES } from "../domain/reply-classes.js";
import { type ErrorCode, EXIT, UserError } from "../errors.js";
import { readToolVersion } from "../version.js";
import { Context, type GlobalOptions } from "./context.js";
import { hintForCode } from "./error-hints.js";
import { Printer } from "./output.js";
import { explainBusy } from "./running.js";

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

type Action = (ctx: Context, ...args: unknown[]) => Promise<number | undefined> | number | undefined;

interface RunState {
  ctx?: Context;
  code: number;
}

/** Build the commander program; `state` receives each action's exit code. */
function buildProgram(state: RunState, env: NodeJS.ProcessEnv, interactive: boolean): Command {
  const program = new Command("loanmail");
  program
    .description("Letters to your mortgage servicer, sent and kept as evidence")
    .version(readToolVersion(), "-V, --version")
    // Global options may come before the command or after it; `loan add --account` means the loan's number.
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      // Usage errors read like every other error: "loanmail: error: ...".
      outputError: (s, write) => write(`loanmail: error: ${s.replace(/^error: /, "")}`),
    });
  addGlobalOptions(program);

  const act =
    (load: () => Promise<Action>) =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      const opts = mergedOptions(cmd) as GlobalOptions;
      const color = opts.color !== false && !env.NO_COLOR && process.stdout.isTTY === true;
      const out = new Printer(opts.json === true, color, { stdout: process.stdout, stderr: process.stderr });
      const ctx = new Context(opts, out, env, new Date(), interactive);
      state.ctx = ctx;
      const fn = await load();
      state.code = (await fn(ctx, ...args.slice(0, -1))) ?? EXIT.ok;
    };

  program
    .command("init")
    .description("set up the loanmail home: your name, email, mailing address, phone, time zone")
    .option("--name <name>", "your full name, as it appears on the loan")
    .option("--email <addr>", "your email address")
    .option("--address <text>", "your mailing address (use \\n or several lines)")
    .option("--phone <phone>", "a phone number for the servicer to call")
    .option("--timezone <tz>", "IANA time zone for deadlines (default: this machine's)")
    .action(act(async () => (await import("./commands/init.js")).runInit as Action));

  const servicer = program.command("servicer").description("servicers you write to");
  const servicerOptions = (c: Command, adding: boolean) =>
    c
      .option("--domain <domain>", "a domain the servicer replies from (repeat; set replaces the list)", collect)
      .option(adding ? "--email <addr>" : "--email <addr>", "correspondence (customer service) email address")
      .option("--sla-days <n>", "business days the servicer promises to answer email in (default 3)")
      .option("--notice-address <text>", "designated address for notices of error / information requests")
      .option("--notice-email <addr>", "designated notice address, when it takes email")
      .option("--payoff-email <addr>", "where payoff statement requests go (email)")
      .option("--payoff-address <text>", "where payoff statement requests go (post)")
      .option("--small", "a small servicer (12 C.F.R. 1026.41(e)(4)): some Reg X rules do not apply")
      .option("--no-small", "not a small servicer");
  servicerOptions(servicer.command("add <name>").description("add a servicer"), true).action(
    act(async () => (await import("./commands/servicer.js")).runServicerAdd as Action),
  );
  servicerOptions(servicer.command("set <name>").description("change a servicer"), false).action(
    act(async () => (await import("./commands/servicer.js")).runServicerSet as Action),
  );
  servicer
    .command("list")
    .description("list servicers")
    .action(act(async () => (await import("./commands/servicer.js")).runServicerList as Action));

  const loan = program.command("loan").description("loans you write about");
  const loanOptions = (c: Command) =>
    c
      .option("--servicer <name>", "the servicer of the loan")
      .option("--account <number>", "loan account number, from your statement")
      .option("--property <address>", "property address")
      .option("--borrower <name>", "borrower name as on the loan (repeat for co-borrowers)", collect)
      .addOption(new Option("--product <product>", "loan product").choices(["closed-end", "heloc", "reverse"]))
      .option("--not-principal-residence", "the property is not the borrower's principal residence")
      .option("--principal-residence", "the property is the borrower's principal residence")
      .option("--arm", "adjustable-rate mortgage")
      .option("--no-arm", "fixed-rate mortgage");
  loanOptions(loan.command("add").description("add a loan")).action(
    act(async () => (await import("./commands/loan.js")).runLoanAdd as Action),
  );
  loanOptions(loan.command("set <loan>").description("change a loan (id or account number)")).action(
    act(async () => (await import("./commands/loan.js")).runLoanSet as Action),
  );
  loan
    .command("transfer <loan>")
    .description("record a servicing transfer; the old account number stays known")
    .option("--to <servicer>", "the new servicer")
    .option("--account <number>", "the new account number")
    .option("--date <date>", "the transfer date (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/loan.js")).runLoanTransfer as Action));
  loan
    .command("list")
    .description("list loans")
    .action(act(async () => (await import("./commands/loan.js")).runLoanList as Action));

  const authorization = program
    .command("authorization")
    .description("signed third-party authorizations for a counselor");
  authorization
    .command("add")
    .description("record a borrower's signed authorization form (kept by hash)")
    .option("--loan <loan>", "the loan it covers (its servicer is the one authorized to talk)")
    .option("--file <form>", "the signed form (PDF, JPEG or PNG)")
    .option("--authorized <name>", "the counselor or agency authorized")
    .option("--signer <name>", "who signed (repeat; default the loan's borrowers)", collect)
    .option("--signed-on <date>", "the day it was signed (YYYY-MM-DD)")
    .option("--expires-on <date>", "the day it expires, if it says (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/authorization.js")).runAuthorizationAdd as Action));
  authorization
    .command("list")
    .description("authorizations, with whether each is valid, expiring or expired, and submitted")
    .action(act(async () => (await import("./commands/authorization.js")).runAuthorizationList as Action));
  authorization
    .command("submitted <id>")
    .description("record the day the form reached the servicer")
    .option("--date <date>", "YYYY-MM-DD")
    .action(act(async () => (await import("./commands/authorization.js")).runAuthorizationSubmitted as Action));

  program
    .command("kinds")
    .description("letter kinds, their subject labels and fields")
    .action(act(async () => (await import("./commands/kinds.js")).runKinds as Action));

  program
    .command("compose <kind>")
    .description("compose a letter of KIND as a draft (nothing is sent)")
    .option("--loan <loan>", "loan id or account number: opens a new case")
    .option("--case <case>", "add the letter to this existing case")
    .option("--set <name=value>", "a field of the kind (repeat)", collect)
    .option("--summary <text>", "one paragraph: what happened, with dates and amounts")
    .option("--body-file <file>", "read the summary paragraph from a file")
    .option("--attach <file[=label]>", "attach a PDF, JPEG or PNG as the next exhibit (repeat)", collect)
    .option("--formal", "send as a formal notice to the designated address")
    .option("--no-formal", "send a formal-by-default kind as ordinary correspondence")
    .option("--to <addr>", "send to this address instead of the one the channel rules choose")
    .option("--cc <addr>", "copy to (repeat)", collect)
    .option("--allow-sensitive", "send even though the letter seems to contain an SSN or a full bank/card number")
    .action(act(async () => (await import("./commands/compose.js")).runCompose as Action));

  program
    .command("edit <case>")
    .description("edit a case's draft in $EDITOR; the letter is rebuilt and checked again")
    .option("--allow-sensitive", "accept an SSN or a full bank/card number in the edited text")
    .action(act(async () => (await import("./commands/edit.js")).runEdit as Action));

  program
    .command("discard <case>")
    .description("discard a case that was never sent (its records are kept)")
    .action(act(async () => (await import("./commands/case-actions.js")).runDiscard as Action));

  program
    .command("cases")
    .description("list cases")
    .addOption(
      new Option("--status <status>", "only cases in this status").choices([
        "draft",
        "open",
        "discarded",
        "resolved",
        "unresolved",
      ]),
    )
    .action(act(async () => (await import("./commands/cases.js")).runCases as Action));

  program
    .command("show <case>")
    .description("show a case: its letters, exhibits, channel, state and events")
    .option("--pdf <file>", "write the case's latest letter as a printable PDF")
    .option("--as-of <date>", "show the clocks as of this date (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/show.js")).runShow as Action));

  program
    .command("mailed <case>")
    .description("record a letter sent by certified mail, and later its delivery")
    .option("--tracking <number>", "the certified-mail tracking number")
    .option("--date <date>", "the day it was mailed (YYYY-MM-DD; default today)")
    .option("--delivered <date>", "the day tracking shows it delivered (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/mailed.js")).runMailed as Action));

  const account = program.command("account").description("the mail account loanmail sends and syncs with");
  account
    .command("set [name]")
    .description("add or change a mail account in config.toml (never its password)")
    .option("--email <addr>", "the account's address (From of your letters)")
    .option("--smtp-host <host>", "SMTP server")
    .option("--smtp-port <port>", "SMTP port (587 for STARTTLS, 465 for TLS)")
    .addOption(new Option("--smtp-security <mode>", "SMTP encryption").choices(["starttls", "tls"]))
    .option("--imap-host <host>", "IMAP server")
    .option("--imap-port <port>", "IMAP port (993 for TLS, 143 for STARTTLS)")
    .addOption(new Option("--imap-security <mode>", "IMAP encryption").choices(["tls", "starttls"]))
    .option("--mailbox <name>", "a mailbox to sync (repeat; \\Junk, \\All name special-use folders)", collect)
    .option("--user <user>", "login name if not the email address")
    .option("--password-env <var>", "read the password from this environment variable")
    .option("--password-command <cmd>", "read the password from this command's output")
    .option("--oauth2-token-command <cmd>", "read an OAuth2 access token from this command's output")
    .option("--ca-file <pem>", "trust this CA certificate (a private mail server)")
    .option("--no-self-copy", "do not add your own address to the envelope")
    .action(act(async () => (await import("./commands/account.js")).runAccountSet as Action));
  account
    .command("test [name]")
    .description("log in to the SMTP and IMAP servers and report what they offer")
    .action(act(async () => (await import("./commands/account.js")).runAccountTest as Action));

  program
    .command("send <case>")
    .description("send the case's drafts over SMTP, exactly once")
    .option("--dry-run", "show what would go and to whom; send nothing")
    .option(
      "--resend-unknown <msg>",
      "resend a letter whose outcome is unknown (only if you are sure it did not arrive)",
    )
    .action(act(async () => (await import("./commands/send.js")).runSend as Action));
  program
    .command("sent <case>")
    .description("record a letter that left another way (portal, fax, by hand)")
    .addOption(new Option("--via <how>", "how it left").choices(["portal", "fax", "hand"]))
    .option("--date <date>", "the day it left (YYYY-MM-DD)")
    .option("--file <file>", "a confirmation or receipt to keep with it")
    .action(act(async () => (await import("./commands/send.js")).runSent as Action));
  program
    .command("sync")
    .description("fetch replies over IMAP (read-only) and file them to their cases")
    .action(act(async () => (await import("./commands/sync.js")).runSync as Action));
  program
    .command("import <files...>")
    .description("import saved .eml messages through the same path as sync")
    .action(act(async () => (await import("./commands/sync.js")).runImport as Action));
  program
    .command("show-message <msg>")
    .description("show one stored message: headers, class, case, where it was seen, text")
    .action(act(async () => (await import("./commands/messages.js")).runShowMessage as Action));
  program
    .command("file <msg> <case>")
    .description("file a received message to a case")
    .action(act(async () => (await import("./commands/messages.js")).runFile as Action));
  program
    .command("classify <msg> <class>")
    .description("correct a reply's class (acknowledgment, extension, exception, documents-requested, response, other)")
    .action(act(async () => (await import("./commands/messages.js")).runClassify as Action));

  program
    .command("due")
    .description("open clocks, soonest first; late ones with how many business days late")
    .option("--within <days>", "only clocks due within this many days (late ones always)")
    .option("--as-of <date>", "as if today were this date (YYYY-MM-DD)")
    .option("--check", "exit 3 when any servicer clock is late (for cron)")
    .action(act(async () => (await import("./commands/clocks.js")).runDue as Action));
  program
    .command("deadline <kind>")
    .description("the clocks a letter of KIND would start if received on a date")
    .option("--received <date>", "the day the servicer would receive it (YYYY-MM-DD)")
    .option("--set <name=value>", "a field of the kind (repeat)", collect)
    .action(act(async () => (await import("./commands/clocks.js")).runDeadline as Action));
  program
    .command("event <case> <type>")
    .description("record a dated event that starts a clock: paid-off, application-complete, denied")
    .option("--date <date>", "when it happened (YYYY-MM-DD)")
    .option("--sale-date <date>", "a scheduled foreclosure sale date, if any")
    .action(act(async () => (await import("./commands/clocks.js")).runEvent as Action));
  program
    .command("filed <case>")
    .description("record a CFPB complaint about the case (starts the CFPB process clocks)")
    .option("--cfpb-id <id>", "the complaint number")
    .option("--date <date>", "the day it was sent to the company (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/clocks.js")).runFiled as Action));
  program
    .command("received <case>")
    .description("record a reply that came on paper or through a portal, with its scan")
    .option("--date <date>", "the day it arrived (YYYY-MM-DD)")
    .option("--file <scan>", "the scan or download")
    .addOption(new Option("--via <how>", "how it came").choices(["post", "portal", "fax"]))
    .addOption(new Option("--class <class>", "what it is").choices([...REPLY_CLASSES]))
    .action(act(async () => (await import("./commands/clocks.js")).runReceived as Action));

  program
    .command("escalate <case>")
    .description("draft the next step of the escalation ladder as a child case citing the history")
    .option("--as-of <date>", "judge the clocks as of this date (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/escalate.js")).runEscalate as Action));
  program
    .command("resolve <case>")
    .description("close a case as resolved, or mark it unresolved (a trigger to escalate)")
    .option("--unresolved", "the servicer's answer did not resolve it")
    .action(act(async () => (await import("./commands/escalate.js")).runResolve as Action));
  program
    .command("stats")
    .description("per servicer and kind: business days to acknowledgment and to response, share on time")
    .option("--as-of <date>", "as if today were this date (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/stats.js")).runStats as Action));
  program
    .command("calendar")
    .description("write every open clock as an all-day event to an .ics file")
    .option("--out <file>", "the .ics file to write")
    .option("--as-of <date>", "as if today were this date (YYYY-MM-DD)")
    .action(act(async () => (await import("./commands/stats.js")).runCalendar as Action));
  program
    .command("timeline [case]")
    .description("one row per event of a case (or --all), as text, JSON, CSV or HTML")
    .option("--all", "every case")
    .addOption(
      new Option("--format <format>", "output format").choices(["text", "json", "csv", "html"]).default("text"),
    )
    .option("--out <file>", "write to a file instead of stdout")
    .option("--redact", "mask SSNs and account numbers to the last 4")
    .action(act(async () => (await import("./commands/evidence.js")).runTimeline as Action));
  program
    .command("export <case>")
    .description("write the case's evidence bundle (zip) with originals, exhibits, chronology and hashes")
    .option("--out <file>", "the .zip to write")
    .option("--redact", "mask SSNs and account numbers; leaves out the byte-exact originals")
    .action(act(async () => (await import("./commands/evidence.js")).runExport as Action));
  program
    .command("verify [file]")
    .description("check an evidence bundle's hashes and event chain (or --db: the database's chains)")
    .option("--db", "walk the event chains inside the database")
    .action(act(async () => (await import("./commands/evidence.js")).runVerify as Action));

  program
    .command("backup")
    .description("write a consistent copy of the database")
    .option("--out <file>", "the copy to write")
    .action(act(async () => (await import("./commands/backup.js")).runBackup as Action));

  program
    .command("note <case> <text>")
    .description("add a note to a case's record")
    .action(act(async () => (await import("./commands/case-actions.js")).runNote as Action));

  program
    .command("call <case>")
    .description("record a phone call about a case")
    .option("--with <name>", "who you spoke with (name, ID, department)")
    .option("--summary <text>", "what was said and promised")
    .option("--date <when>", "when the call took place (YYYY-MM-DD or YYYY-MM-DDTHH:MM; default now)")
    .action(act(async () => (await import("./commands/case-actions.js")).runCall as Action));

  for (const leaf of leaves(program)) addGlobalOptions(leaf);
  return program;
}

const GLOBAL_OPTIONS: readonly [string, string][] = [
  ["--home <dir>", "loanmail home folder (default $LOANMAIL_HOME or ~/.local/share/loanmail)"],
  ["--account <name>", "mail account from config.toml"],
  ["--client <name>", "the client (borrower) whose records to use"],
  ["--json", "write one JSON document to stdout"],
  ["--no-color", "no colours (also NO_COLOR)"],
  ["--yes", "assume yes where a command would ask"],
  ["--debug", "show stack traces of internal errors"],
];

/** Give a command the global options it does not define itself. */
function addGlobalOptions(cmd: Command): void {
  for (const [flags, description] of GLOBAL_OPTIONS) {
    const option = new Option(flags, description);
    if (cmd.options.some((o) => o.long === option.long)) continue;
    cmd.addOption(option);
  }
}

function leaves(cmd: Command): Command[] {
  return cmd.commands.length === 0 ? [cmd] : cmd.commands.flatMap(leaves);
}

/** Options of a command and its parents; a value typed on the command line wins over any default. */
function mergedOptions(cmd: Command): Record<string, unknown> {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) chain.push(c);
  const merged: Record<string, unknown> = {};
  const typed = new Set<string>();
  for (const c of chain) {
    for (const [key, value] of Object.entries(c.opts())) {
      const fromCli = c.getOptionValueSource(key) === "cli";
      if (typed.has(key)) continue;
      if (fromCli) typed.add(key);
      if (fromCli || !(key in merged)) merged[key] = value;
    }
  }
  return merged;
}

/** Run the CLI; returns the exit code (bin/loanmail.js sets process.exitCode). */
export async function main(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  // Everything loanmail writes (database, WAL, config, exports) is for its owner only.
  process.umask(0o077);
  const state: RunState = { code: EXIT.ok };
  const interactive = process.stdin.isTTY === true;
  const program = buildProgram(state, env, interactive);
  const debug = argv.includes("--debug");
  // Read before parsing: a usage error has no parsed options, and with --json it too is one JSON document.
  const json = argv.includes("--json");
  if (json) silenceUsageErrors(program);
  try {
    await program.parseAsync([...argv]);
    return state.code;
  } catch (err) {
    const out = state.ctx?.out ?? new Printer(json, false, { stdout: process.stdout, stderr: process.stderr });
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
      // Without --json commander has already printed the message; with it, it stayed silent for this.
      if (out.json) out.error(usageMessage(err), hintForCode("USAGE"), usageCode(err));
      return EXIT.usage;
    }
    const failure = explainBusy(err, state.ctx?.home.dir);
    if (failure instanceof UserError) {
      out.error(failure.message, hintForCode(failure.code) ?? failure.hint, failure.code);
      return failure.exitCode;
    }
    const e = failure as Error;
    const stack = debug ? e?.stack : undefined;
    const hint = debug ? undefined : "run again with --debug for details";
    out.error(`internal error: ${e?.message ?? String(failure)}`, hint, "INTERNAL_ERROR", out.json ? stack : undefined);
    if (stack && !out.json) process.stderr.write(`${stack}\n`);
    return EXIT.internal;
  } finally {
    state.ctx?.close();
  }
}

/** Commander's own error printing off, on every command: main prints the JSON document instead. */
function silenceUsageErrors(cmd: Command): void {
  cmd.configureOutput({ writeErr: () => {}, outputError: () => {} });
  for (const sub of cmd.commands) silenceUsageErrors(sub);
}

const USAGE_CODES: Readonly<Record<string, ErrorCode>> = {
  "commander.unknownCommand": "UNKNOWN_COMMAND",
  "commander.unknownOption": "UNKNOWN_OPTION",
  "commander.missingArgument": "MISSING_ARGUMENT",
  "commander.optionMissingArgument": "MISSING_OPTION_VALUE",
  "commander.missingMandatoryOptionValue": "MISSING_OPTION_VALUE",
  "commander.invalidArgument": "INVALID_ARGUMENT",
  "commander.excessArguments": "EXCESS_ARGUMENTS",
  "commander.conflictingOption": "CONFLICTING_OPTIONS",
  "commander.help": "MISSING_SUBCOMMAND",
};

function usageCode(err: CommanderError): ErrorCode {
  return USAGE_CODES[err.code] ?? "USAGE";
}

/** Commander's message without its "error: " prefix; a command group run bare has none (it printed help). */
function usageMessage(err: CommanderError): string {
  if (err.code === "commander.help") return "this command needs a subcommand";
  return err.message.replace(/^error: /, "");
}
