/**
 * `loanmail __complete WHAT [--home DIR]`: the values the completion scripts offer on Tab, one a line,
 * `VALUE<TAB>what it is` (src/app/completions.ts). bin/loanmail.js runs it directly, without loading the command
 * modules and commander (a Tab must answer quickly); the hidden command of the same name (commands/completion.ts)
 * does the same through main. It never prompts and never fails aloud: no home, a home that is not private, a
 * database it cannot read, an unknown WHAT: no values, exit 0.
 */
import type { HomePaths } from "../config/home.js";
import { quietWhenClosed } from "./closed-pipe.js";

/** What `loanmail __complete WHAT` lists. */
export const COMPLETION_SOURCES = ["kinds", "cases", "clients", "loans", "servicers", "accounts"] as const;
export type CompletionSource = (typeof COMPLETION_SOURCES)[number];

/** A value or its description on one line: no tab, line break or control character. */
function flat(s: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, " ");
}

/** Write the values of `what` in `home` to stdout; nothing when anything is wrong. */
export async function writeCompletionValues(home: () => HomePaths, what: string, client?: string): Promise<void> {
  if (!(COMPLETION_SOURCES as readonly string[]).includes(what)) return;
  try {
    const { completionValues } = await import("../app/completions.js");
    const values = completionValues(home(), what as CompletionSource, client);
    const lines = values.map((v) => (v.about ? `${flat(v.value)}\t${flat(v.about)}` : flat(v.value)));
    if (lines.length > 0) process.stdout.write(`${lines.join("\n")}\n`);
  } catch {
    // Whatever went wrong, a Tab must not print into the user's command line: no values.
  }
}

/** The value of `--NAME V` or `--NAME=V` among `args`, else undefined. */
function flagValue(args: readonly string[], name: string): string | undefined {
  const at = args.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (at < 0) return undefined;
  const a = args[at] ?? "";
  return a.includes("=") ? a.slice(a.indexOf("=") + 1) : args[at + 1];
}

/**
 * bin/loanmail.js's way in: argv is node, the script, `__complete`, WHAT, then perhaps `--home DIR` and the
 * `--client NAME` typed on the line being completed. Fenced as any command is (--client, else LOANMAIL_CLIENT).
 */
export async function complete(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  process.umask(0o077);
  quietWhenClosed(process.stdout);
  const [what = "", ...rest] = argv.slice(3);
  const { resolveHome } = await import("../config/home.js");
  const client = flagValue(rest, "client") ?? env.LOANMAIL_CLIENT;
  await writeCompletionValues(() => resolveHome(flagValue(rest, "home"), env), what, client);
  return 0;
}
