/**
 * loanmail's command line: the top floor of the house (the whole map is docs/ARCHITECTURE.md).
 *
 *   cli/      argv, TTY, colour, exit codes. This file builds commander from the command modules (one per noun
 *             in commands/, each declaring its commands beside their handlers) and holds the one top-level catch
 *   app/      use cases, one function per thing a user asks; take a Session and injected transports
 *   export/   printable letters, timelines, the evidence bundle and its verification (given plain data)
 *   mail/     MIME bytes; SMTP and IMAP behind interfaces; the message parser
 *   store/    SQLite: the only floor with SQL and transactions; migrations; the hash-chained, typed event log
 *   config/   the home folder and config.toml
 *   domain/   pure rules: kinds, letters, lint, channels, classifier, calendar, clocks, ladder, event types
 *
 * Command modules are light to import; their handlers load the app layer (and with it the database driver, PDF,
 * zip and mail libraries) only when their command runs, so `loanmail --help` and `loanmail kinds` start fast.
 */
import { Command, CommanderError, Option } from "commander";
import { type ErrorCode, EXIT, UserError } from "../errors.js";
import { readToolVersion } from "../version.js";
import { quietWhenClosed } from "./closed-pipe.js";
import { type CommandModule, type CommandSpec, collect, type OptionSpec } from "./command.js";
import { accountCommands } from "./commands/account.js";
import { authorizationCommands } from "./commands/authorization.js";
import { caseCommands } from "./commands/case.js";
import { clientCommands } from "./commands/client.js";
import { clientRetentionCommands } from "./commands/client-retention.js";
import { clockCommands } from "./commands/clock.js";
import { completionCommands } from "./commands/completion.js";
import { doctorCommands } from "./commands/doctor.js";
import { escalateCommands } from "./commands/escalate.js";
import { evidenceCommands } from "./commands/evidence.js";
import { initCommands } from "./commands/init.js";
import { letterCommands } from "./commands/letter.js";
import { loanCommands } from "./commands/loan.js";
import { messageCommands } from "./commands/message.js";
import { newCommands } from "./commands/new.js";
import { reportCommands } from "./commands/report.js";
import { servicerCommands } from "./commands/servicer.js";
import { Context, type GlobalOptions } from "./context.js";
import { explainDiskFull } from "./disk-full.js";
import { hintForCode } from "./error-hints.js";
import { examplesText } from "./help-examples.js";
import { Printer, sanitizeForTerminal } from "./output.js";
import { explainBusy } from "./running.js";
import { checkClientFlags, checkContradictoryFlags, checkTypedText } from "./typed-text.js";

type Action = (...args: unknown[]) => Promise<void>;

interface RunState {
  ctx?: Context;
  code: number;
}

/** The command modules, one per noun a user types; their order is the order of `loanmail --help`. */
const MODULES: readonly CommandModule[] = [
  initCommands,
  newCommands,
  servicerCommands,
  loanCommands,
  clientCommands,
  authorizationCommands,
  letterCommands,
  caseCommands,
  escalateCommands,
  accountCommands,
  messageCommands,
  clockCommands,
  evidenceCommands,
  reportCommands,
  clientRetentionCommands,
  doctorCommands,
  completionCommands,
];

/**
 * Build the commander program; `state` receives each action's exit code. Every command's help ends with its
 * examples (help-examples.ts); a mistyped command or option is answered with the nearest one.
 */
export function buildProgram(state: RunState, env: NodeJS.ProcessEnv, interactive: boolean): Command {
  const program = new Command("loanmail");
  program
    .description("Letters to your mortgage servicer, sent and kept as evidence")
    .version(readToolVersion(), "-V, --version")
    // Global options may come before the command or after it; `loan add --account` means the loan's number.
    .enablePositionalOptions()
    .showHelpAfterError("(run with --help for usage)")
    // "unknown command 'compse' (Did you mean compose?)", inherited by every subcommand made below.
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      // Commander quotes what was typed (an unknown option may carry escape sequences).
      writeErr: (s) => process.stderr.write(sanitizeForTerminal(s)),
      // Usage errors read like every other error: "loanmail: error: ...".
      outputError: (s, write) => write(sanitizeForTerminal(`loanmail: error: ${s.replace(/^error: /, "")}`)),
    });
  addGlobalOptions(program);
  withExamples(program, "");

  const act =
    (spec: CommandSpec): Action =>
    async (...args: unknown[]): Promise<void> => {
      const cmd = args[args.length - 1] as Command;
      for (let c: Command | null = cmd; c; c = c.parent) checkTypedText(c, c === cmd ? args.slice(0, -2) : []);
      const opts = mergedOptions(cmd) as GlobalOptions;
      const color = opts.color !== false && !env.NO_COLOR && process.stdout.isTTY === true;
      const out = new Printer(opts.json === true, color, { stdout: process.stdout, stderr: process.stderr });
      const ctx = new Context(opts, out, env, new Date(), interactive);
      state.ctx = ctx;
      if (spec.usesHome !== false) await ctx.load();
      // Commander passes the positional arguments, the options object, then the command; the handler takes all but
      // the command, in that order (see Handler in command.ts). The one place where the declared types meet
      // commander's untyped values.
      state.code = (await spec.run(ctx, ...(args.slice(0, -1) as never[]))) ?? EXIT.ok;
    };

  const groups = new Map<string, Command>();
  for (const module of MODULES) {
    for (const g of module.groups ?? [])
      groups.set(g.name, withExamples(program.command(g.name).description(g.description), g.name));
    for (const spec of module.commands) {
      const words = spec.name.split(" ");
      const parent = groups.get(words[0] ?? "");
      const cmd = (parent ?? program).command(parent ? words.slice(1).join(" ") : spec.name, {
        hidden: spec.hidden === true,
      });
      cmd.description(spec.description);
      withExamples(cmd, commandPath(spec.name));
      for (const o of spec.options ?? []) cmd.addOption(toOption(o));
      cmd.action(act(spec));
    }
  }

  for (const leaf of leaves(program)) addGlobalOptions(leaf);
  return program;
}

/** The words of a command before its arguments: `servicer add <name>` is `servicer add`. */
export function commandPath(name: string): string {
  return name
    .split(" ")
    .filter((w) => !/^[<[]/.test(w))
    .join(" ");
}

/** The command's examples at the end of its --help. */
function withExamples(cmd: Command, path: string): Command {
  const text = examplesText(path);
  if (text) cmd.addHelpText("after", text);
  return cmd;
}

function toOption(spec: OptionSpec): Option {
  const option = new Option(spec.flags, spec.description);
  if (spec.repeat) option.argParser(collect);
  if (spec.choices) option.choices(spec.choices);
  if (spec.default !== undefined) option.default(spec.default);
  return option;
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
  quietWhenClosed(process.stdout);
  quietWhenClosed(process.stderr);
  const state: RunState = { code: EXIT.ok };
  const interactive = process.stdin.isTTY === true;
  // `loanmail` alone at a terminal is the guided terminal (`new`); in a script it prints the help, as it always has.
  const words = interactive && process.stdout.isTTY === true && noCommand(argv.slice(2)) ? [...argv, "new"] : argv;
  const program = buildProgram(state, env, interactive);
  const debug = argv.includes("--debug");
  // Read before parsing: a usage error has no parsed options, and with --json it too is one JSON document.
  const json = argv.includes("--json");
  if (json) silenceUsageErrors(program);
  try {
    checkContradictoryFlags(words.slice(2));
    checkClientFlags(words.slice(2));
    await program.parseAsync([...words]);
    return state.code;
  } catch (err) {
    const out = state.ctx?.out ?? new Printer(json, false, { stdout: process.stdout, stderr: process.stderr });
    if (err instanceof CommanderError) {
      if (err.code === "commander.helpDisplayed" || err.code === "commander.version") return EXIT.ok;
      // `loanmail help [command]` asked for help (exit 0); a command group run bare printed it as an error.
      if (err.code === "commander.help" && err.exitCode === 0) return EXIT.ok;
      // Without --json commander has already printed the message; with it, it stayed silent for this.
      if (out.json) out.error(usageMessage(err), hintForCode("USAGE"), usageCode(err));
      return EXIT.usage;
    }
    const failure = explainDiskFull(explainBusy(err, state.ctx?.home.dir), state.ctx?.home.dir);
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

/** Only global options that change no output (--home, --client, --account, --yes, --debug, --no-color), or nothing. */
export function noCommand(args: readonly string[]): boolean {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--home" || a === "--account" || a === "--client") i++;
    else if (!/^--(home|account|client)=/.test(a) && !["--yes", "--debug", "--no-color"].includes(a)) return false;
  }
  return true;
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
