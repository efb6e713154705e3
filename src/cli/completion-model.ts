/**
 * What shell completion knows, read from the commander program main.ts builds: each command's path (the words a
 * user types), its subcommands, its options, and where the value of each option and argument comes from. The
 * scripts (completion-script.ts) carry this table; values that change with the record (cases, clients, loans,
 * servicers, accounts, and the kinds) are asked of `loanmail __complete WHAT` when the user presses Tab.
 */
import type { Command, Option } from "commander";
import { REPLY_CLASSES } from "../domain/reply-classes.js";
import { EVENT_TYPES } from "./case-event.js";
import type { CompletionSource } from "./complete.js";

/**
 * Where a value comes from: `@cases` (asked of `loanmail __complete cases`), `=a b c` (these words), `file` (a
 * file name), or `text` (anything; nothing is offered).
 */
export type ValueSource = `@${CompletionSource}` | `=${string}` | "file" | "text";

export interface CompletionNode {
  /** The words before the arguments: "" for loanmail itself, "servicer add". */
  path: string;
  subcommands: { name: string; description: string }[];
  /** Every long option it takes (and --help), and the value of those that take one. */
  options: { flag: string; value: ValueSource | null }[];
  /** Its positional arguments in order; `rest` for the last one when it takes several. */
  args: ValueSource[];
  rest: ValueSource | null;
}

/** Argument and option placeholders whose values the record or the file system holds. */
const BY_PLACEHOLDER: Readonly<Record<string, ValueSource>> = {
  case: "@cases",
  kind: "@kinds",
  client: "@clients",
  loan: "@loans",
  servicer: "@servicers",
  file: "file",
  files: "file",
  "file[=label]": "file",
  scan: "file",
  form: "file",
  pem: "file",
  dir: "file",
  class: `=${REPLY_CLASSES.join(" ")}`,
};

/** Where the placeholder means something else for this command or option (`servicer set <name>`, `--client <name>`). */
const BY_COMMAND_OR_FLAG: Readonly<Record<string, ValueSource>> = {
  "servicer set:name": "@servicers",
  "account set:name": "@accounts",
  "account test:name": "@accounts",
  "event:type": `=${EVENT_TYPES.join(" ")}`,
  "--client:name": "@clients",
  "--account:name": "@accounts",
};

function placeholderOf(flags: string): string | undefined {
  return /<([^>]+)>|\[([^\]]+)\]/
    .exec(flags)
    ?.slice(1)
    .find((x) => x !== undefined);
}

function optionValue(o: Option): ValueSource | null {
  if (!o.required && !o.optional) return null;
  if (o.argChoices && o.argChoices.length > 0) return `=${o.argChoices.join(" ")}`;
  const placeholder = placeholderOf(o.flags) ?? "";
  return BY_COMMAND_OR_FLAG[`${o.long}:${placeholder}`] ?? BY_PLACEHOLDER[placeholder] ?? "text";
}

function argValue(path: string, name: string, choices: readonly string[] | undefined): ValueSource {
  if (choices && choices.length > 0) return `=${choices.join(" ")}`;
  return BY_COMMAND_OR_FLAG[`${path}:${name}`] ?? BY_PLACEHOLDER[name] ?? "text";
}

function isHidden(cmd: Command): boolean {
  return (cmd as unknown as { _hidden?: boolean })._hidden === true;
}

/** The first clause of a description (up to a `: ` or `; ` outside parentheses), short enough for a menu. */
function shortDescription(text: string): string {
  let depth = 0;
  let end = text.length;
  for (let i = 0; i < text.length - 1 && end === text.length; i++) {
    const ch = text[i];
    if (ch === "(") depth++;
    else if (ch === ")") depth = Math.max(0, depth - 1);
    else if ((ch === ":" || ch === ";") && text[i + 1] === " " && depth === 0) end = i;
  }
  const first = text.slice(0, end);
  return first.length > 72 ? `${first.slice(0, 71)}…` : first;
}

/** Every command a user can reach (hidden ones left out), the program itself first. */
export function completionNodes(program: Command): CompletionNode[] {
  const nodes: CompletionNode[] = [];
  const walk = (cmd: Command, path: string): void => {
    const subs = cmd.commands.filter((c) => !isHidden(c));
    const args = cmd.registeredArguments;
    const last = args.at(-1);
    const sources = args.map((a) => argValue(path, a.name(), a.argChoices));
    nodes.push({
      path,
      subcommands: subs.map((c) => ({ name: c.name(), description: shortDescription(c.description()) })),
      options: [
        ...cmd.options
          .filter((o) => o.long !== undefined)
          .map((o) => ({ flag: o.long as string, value: optionValue(o) })),
        { flag: "--help", value: null },
      ],
      args: last?.variadic ? sources.slice(0, -1) : sources,
      rest: last?.variadic ? (sources.at(-1) ?? null) : null,
    });
    for (const c of subs) walk(c, path === "" ? c.name() : `${path} ${c.name()}`);
  };
  walk(program, "");
  return nodes;
}
