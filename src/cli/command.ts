/**
 * How a command is declared: each module under src/cli/commands/ exports the commands of one noun (its
 * `CommandModule`), each with its name and arguments, its options and its handler, side by side. main.ts only
 * loops over the modules. A command module stays light to import (types, domain rules, cli helpers): its handler
 * reaches src/app with `await import(...)`, so `loanmail --help` loads no database driver, PDF or mail library.
 */
import type { Context } from "./context.js";

/** One option: commander's flags, its help line, and how its values are read. */
export interface OptionSpec {
  readonly flags: string;
  readonly description: string;
  /** Each use adds a value to a list (`--set a=1 --set b=2`). */
  readonly repeat?: boolean;
  readonly choices?: readonly string[];
  readonly default?: string;
}

/**
 * A command's handler: the context, then its positional arguments in order (a variadic one as a list), then its
 * options object. It parses and checks what the user typed, calls one app function, and prints through ctx.out.
 * Returns the exit code (undefined means 0).
 */
export type Handler = (ctx: Context, ...argsThenOptions: never[]) => Promise<number | undefined> | number | undefined;

export interface CommandSpec {
  /** The words a user types, then the arguments: `servicer add <name>`, `timeline [case]`, `import <files...>`. */
  readonly name: string;
  readonly description: string;
  readonly options?: readonly OptionSpec[];
  /** False for a command that never opens the home (`kinds`): it skips loading the database driver. */
  readonly usesHome?: boolean;
  /** Left out of --help (`__complete`, which the completion scripts call). */
  readonly hidden?: boolean;
  readonly run: Handler;
}

/** A noun that only groups subcommands (`servicer`, `loan`, `account`, `authorization`). */
export interface GroupSpec {
  readonly name: string;
  readonly description: string;
}

export interface CommandModule {
  readonly groups?: readonly GroupSpec[];
  readonly commands: readonly CommandSpec[];
}

/** Commander's collector for a repeatable option. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
