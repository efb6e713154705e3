/**
 * What a user types is checked for control characters before any command runs (src/domain/control-chars.ts):
 * ESC sequences, NUL and bidi overrides are refused with the flag or argument that carried them, and nothing is
 * done. Names, hosts, addresses of mail and ids are one line; a summary, a postal address or a note may have
 * several.
 */
import type { Command } from "commander";
import { findControlChar } from "../domain/control-chars.js";
import { EXIT, UserError } from "../errors.js";

/** Options that hold one line (camelCase, as commander names them): names, hosts, mail addresses, ids. */
const ONE_LINE_OPTIONS = new Set([
  "name",
  "email",
  "smtpHost",
  "imapHost",
  "domain",
  "borrower",
  "client",
  "agency",
  "agencyId",
  "to",
  "cc",
  "account",
  "home",
  "servicer",
  "authorized",
  "signer",
  "user",
  "tracking",
  "phone",
  "timezone",
]);

/** Positional arguments that may hold several lines (`note CASE TEXT`). */
const MULTI_LINE_ARGUMENTS = new Set(["text"]);

function refuse(what: string, value: string, oneLine: boolean): void {
  const found = findControlChar(value, oneLine);
  if (!found) return;
  throw new UserError(`${what} contains ${found.label} at character ${found.position}`, {
    code: "CONTROL_CHARACTER",
    hint: oneLine
      ? "type it again without control characters, bidi marks, tabs or line breaks"
      : "type it again without control characters or bidi marks (tab and newline are fine)",
  });
}

/** Refuse control characters in the positional arguments and option values of `cmd` as typed. */
export function checkTypedText(cmd: Command, positionals: readonly unknown[]): void {
  const names = cmd.registeredArguments.map((a) => a.name());
  positionals.forEach((value, i) => {
    const name = names[i] ?? `argument ${i + 1}`;
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === "string") refuse(`<${name}>`, v, !MULTI_LINE_ARGUMENTS.has(name));
  });
  for (const option of cmd.options) {
    const key = option.attributeName();
    if (cmd.getOptionValueSource(key) !== "cli") continue;
    const value = cmd.getOptionValue(key) as unknown;
    for (const v of Array.isArray(value) ? value : [value])
      if (typeof v === "string") refuse(option.long ?? option.flags, v, ONE_LINE_OPTIONS.has(key));
  }
}

/**
 * `--formal --no-formal` together: commander would let the last one win silently. Both halves of a negatable
 * pair typed in one command line are a usage error instead (tokens after `--` are not options).
 */
export function checkContradictoryFlags(argv: readonly string[]): void {
  const end = argv.indexOf("--");
  const flags = new Set((end === -1 ? argv : argv.slice(0, end)).map((a) => a.split("=")[0] ?? a));
  for (const flag of flags) {
    if (!flag.startsWith("--no-")) continue;
    const positive = `--${flag.slice(5)}`;
    if (flags.has(positive))
      throw new UserError(`${positive} and ${flag} contradict each other`, {
        code: "CONFLICTING_OPTIONS",
        hint: `give one of ${positive} and ${flag}`,
      });
  }
}

/**
 * `--client` empty or given twice with different names: a script's `--client "$C"` with an empty C, or an alias
 * `loanmail --client A` followed by `export --client B`, would lose or switch its fence without a word.
 */
export function checkClientFlags(argv: readonly string[]): void {
  const end = argv.indexOf("--");
  const args = end === -1 ? argv : argv.slice(0, end);
  const names: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i] ?? "";
    if (a === "--client") names.push(args[++i] ?? "");
    else if (a.startsWith("--client=")) names.push(a.slice("--client=".length));
  }
  if (names.some((n) => n.trim() === ""))
    throw new UserError("--client is empty", {
      code: "EMPTY_VALUE",
      hint: "name the client (loanmail client list shows them), or leave --client out to reach every client",
      exitCode: EXIT.usage,
    });
  const distinct = [...new Set(names.map((n) => n.trim()))];
  if (distinct.length > 1)
    throw new UserError(`--client is given twice: ${distinct.map((n) => `"${n}"`).join(" and ")}`, {
      code: "CONFLICTING_OPTIONS",
      hint: "give one client per command",
      exitCode: EXIT.usage,
    });
}
