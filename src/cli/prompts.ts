/**
 * Every interactive question loanmail asks goes through here. Nothing prompts unless stdin and stdout are a
 * TTY: a script gets an error naming the flag instead, so a cron job never hangs on a question.
 */
import { UserError } from "../errors.js";
import type { Context } from "./context.js";

export interface TextQuestion {
  message: string;
  /** The flag that gives this value without a prompt; named in the error when there is no TTY. */
  flag: string;
  example: string;
  default?: string;
  /** Returns an error text, or true when the answer is acceptable. */
  validate?: (value: string) => string | true;
  /** An empty answer is accepted (and returned as ""): the value is optional. */
  optional?: boolean;
}

export interface LinesQuestion {
  message: string;
  flag: string;
  example: string;
  /** Checks all the lines once the empty line ends them; on a problem the lines are asked again from the first. */
  validate?: (lines: readonly string[]) => string | true;
}

/** Whether a person is at the terminal to answer (stdin and stdout a TTY, not --json). */
export function canAsk(ctx: Context): boolean {
  return ctx.interactive && process.stdout.isTTY === true && !ctx.options.json;
}

/** A value the user did not pass: asked on a TTY, else a UserError naming its flag. */
export async function askText(ctx: Context, q: TextQuestion): Promise<string> {
  if (!canAsk(ctx))
    throw new UserError(`${q.flag} is required`, { code: "MISSING_OPTION", hint: `for example: ${q.example}` });
  const { input } = await import("@inquirer/prompts");
  const check = (v: string): string | true => {
    if (!v.trim()) return q.optional ? true : "a value is needed";
    return q.validate?.(v.trim()) ?? true;
  };
  return (await cancellable(input({ message: q.message, default: q.default, validate: check }))).trim();
}

/** Ctrl-C at a prompt is the user's choice, not a crash: PROMPT_CANCELLED (exit 130), nothing changed. */
export async function cancellable<T>(answer: Promise<T>): Promise<T> {
  try {
    return await answer;
  } catch (err) {
    if ((err as Error).name === "ExitPromptError")
      throw new UserError("stopped at the prompt; nothing was changed", { code: "PROMPT_CANCELLED" });
    throw err;
  }
}

/**
 * Several lines (a mailing address): one prompt per line until an empty line. A problem with the whole (too few
 * lines) is shown and the lines are asked again; each line is kept exactly as typed, trimmed.
 */
export async function askLines(ctx: Context, q: LinesQuestion): Promise<string[]> {
  if (!canAsk(ctx))
    throw new UserError(`${q.flag} is required`, { code: "MISSING_OPTION", hint: `for example: ${q.example}` });
  const { input } = await import("@inquirer/prompts");
  for (;;) {
    const lines: string[] = [];
    for (;;) {
      const message =
        lines.length === 0 ? `${q.message} line 1:` : `  line ${lines.length + 1} (an empty line when done):`;
      const line = (await cancellable(input({ message }))).trim();
      if (line === "") break;
      lines.push(line);
    }
    const problem = q.validate?.(lines) ?? (lines.length > 0 ? true : "a value is needed");
    if (problem === true) return lines;
    ctx.out.note(`${problem}. Type it again, one line at a time.`);
  }
}

/** Ask before something that cannot be undone; --yes answers for the user, and so does a script with no TTY. */
export async function confirmAction(ctx: Context, message: string): Promise<boolean> {
  if (ctx.options.yes || !canAsk(ctx)) return true;
  const { confirm } = await import("@inquirer/prompts");
  return cancellable(confirm({ message, default: false }));
}

/**
 * Ask whether to carry out a proposal. `--yes` answers yes; on a TTY the proposal is shown (on stderr) and the user
 * answers; without a TTY (or under --json) nothing is asked and the answer is "not-asked": the caller prints the
 * proposal and changes nothing.
 */
export async function confirmProposal(
  ctx: Context,
  q: { proposal: string; question: string },
): Promise<"yes" | "no" | "not-asked"> {
  if (ctx.options.yes) return "yes";
  if (!canAsk(ctx)) return "not-asked";
  ctx.out.note(q.proposal);
  const { confirm } = await import("@inquirer/prompts");
  return (await cancellable(confirm({ message: q.question, default: false }))) ? "yes" : "no";
}

/** One of a list, on a TTY only (the caller checked canAsk); each choice may say what it means. */
export async function askChoice<T>(
  message: string,
  choices: readonly { name: string; value: T; description?: string }[],
): Promise<T> {
  const { select } = await import("@inquirer/prompts");
  return cancellable(select({ message, choices: [...choices], pageSize: Math.min(choices.length, 20), loop: false }));
}

/** A yes/no question on a TTY (the caller checked canAsk); Ctrl-C is PROMPT_CANCELLED. */
export async function askYesNo(message: string, yes: boolean): Promise<boolean> {
  const { confirm } = await import("@inquirer/prompts");
  return cancellable(confirm({ message, default: yes }));
}
