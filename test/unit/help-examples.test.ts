/**
 * Help that teaches (src/cli/help-examples.ts): every command a user can reach, the program itself and each group
 * included, has one or two examples, and each example is a command line that commander would accept: it names the
 * command, gives it as many arguments as it takes, and uses only options the command has.
 */
import type { Command, Option } from "commander";
import { describe, expect, it } from "vitest";
import { HELP_EXAMPLES } from "../../src/cli/help-examples.js";
import { buildProgram } from "../../src/cli/main.js";

/** Every command under `cmd` with the words that reach it; hidden ones and commander's own `help` left out. */
function reachable(cmd: Command, path: string[] = []): { path: string; cmd: Command }[] {
  const own = [{ path: path.join(" "), cmd }];
  const subs = cmd.commands.filter((c) => c.name() !== "help" && !(c as unknown as { _hidden?: boolean })._hidden);
  return [...own, ...subs.flatMap((c) => reachable(c, [...path, c.name()]))];
}

/** Split a shell line into words (single and double quotes, `<(...)`; stops at a redirection or a pipe). */
function words(line: string): string[] {
  const out: string[] = [];
  for (const m of line.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g)) {
    let word = m[1] ?? m[2] ?? m[3] ?? "";
    if (m[3] !== undefined && /^(>|\||2>)/.test(word)) break;
    // A process substitution, source <(loanmail completion bash): the command inside it.
    if (m[3] !== undefined && word.startsWith("<(")) word = word.slice(2);
    if (m[3] !== undefined && word.endsWith(")")) word = word.slice(0, -1);
    out.push(word);
  }
  return out;
}

/**
 * What is wrong with an example of the command at `path`, or undefined. An example of a group or of the program
 * runs one of its subcommands: its options and arguments are checked against that one.
 */
function checkExample(line: string, path: string, program: Command): string | undefined {
  // In double quotes a shell would expand $1,500 (a user pasting the example would get ",500").
  if (/"[^"]*\$[^"]*"/.test(line)) return "has a $ inside double quotes";
  const w = words(line);
  const start = w.indexOf("loanmail");
  if (start < 0) return "does not run loanmail";
  const want = path === "" ? [] : path.split(" ");
  const got = w.slice(start + 1, start + 1 + want.length);
  if (got.join(" ") !== want.join(" ")) return `names ${got.join(" ")}, not ${path}`;
  let cmd = program;
  let at = start + 1;
  for (;;) {
    const sub = cmd.commands.find((c) => c.name() === w[at]);
    if (!sub) break;
    cmd = sub;
    at++;
  }
  if (cmd.commands.length > 0) return "names no command that runs";
  const options = new Map<string, Option>();
  for (let c: Command | null = cmd; c; c = c.parent) for (const o of c.options) if (o.long) options.set(o.long, o);
  let positional = 0;
  const rest = w.slice(at);
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i] as string;
    if (!word.startsWith("--")) {
      positional++;
      continue;
    }
    const [flag = "", inline] = word.split("=", 2);
    const option = options.get(flag);
    if (!option) return `has ${flag}, which ${cmd.name()} does not take`;
    if (option.required && inline === undefined) i++;
  }
  const args = cmd.registeredArguments;
  const min = args.filter((a) => a.required).length;
  const max = args.some((a) => a.variadic) ? Number.POSITIVE_INFINITY : args.length;
  if (positional < min || positional > max)
    return `gives ${positional} arguments; ${cmd.name()} takes ${min} to ${max}`;
  return undefined;
}

describe("help examples", () => {
  const program = buildProgram({ code: 0 }, {}, false);
  const commands = reachable(program);

  it("every command, group and the program itself has one or two examples", () => {
    const missing = commands.filter((c) => {
      const n = HELP_EXAMPLES[c.path]?.length ?? 0;
      return n < 1 || n > 2;
    });
    expect(missing.map((c) => c.path || "(loanmail)")).toEqual([]);
    expect(commands.length).toBeGreaterThan(55);
  });

  it("has no examples for a command that does not exist", () => {
    const known = new Set(commands.map((c) => c.path));
    expect(Object.keys(HELP_EXAMPLES).filter((p) => !known.has(p))).toEqual([]);
  });

  it("each example is a command line its command accepts", () => {
    const wrong = commands.flatMap(({ path }) =>
      (HELP_EXAMPLES[path] ?? []).flatMap(([line]) => {
        const why = checkExample(line, path, program);
        return why === undefined ? [] : [`${line}: ${why}`];
      }),
    );
    expect(wrong).toEqual([]);
  });
});
