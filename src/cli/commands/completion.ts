/**
 * Shell completion: `completion bash|zsh|fish` prints the script (src/cli/completion-script.ts), and the hidden
 * `__complete WHAT` lists the values the scripts offer (kinds, cases, clients, loans, servicers, accounts), one a
 * line, `VALUE<TAB>what it is`. `__complete` is called on every Tab: it never prompts and never fails aloud (no home,
 * a home that is not private, a database it cannot read: no values, exit 0), and it only reads the record.
 */
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import { COMPLETION_SOURCES } from "../complete.js";
import { completionScript, SHELLS, type Shell } from "../completion-script.js";
import type { Context } from "../context.js";

async function runCompletion(ctx: Context, shell: string): Promise<number> {
  if (!(SHELLS as readonly string[]).includes(shell))
    throw new UserError(`no completion for the shell ${shell}`, {
      code: "USAGE",
      hint: `loanmail completion ${SHELLS.join("|")}`,
    });
  const [{ buildProgram }, { completionNodes }, { readToolVersion }] = await Promise.all([
    import("../main.js"),
    import("../completion-model.js"),
    import("../../version.js"),
  ]);
  const program = buildProgram({ code: 0 }, ctx.env, false);
  process.stdout.write(completionScript(shell as Shell, completionNodes(program), readToolVersion()));
  return 0;
}

/** `__complete WHAT`: the values of the record the completion scripts offer (complete.ts). */
async function runComplete(ctx: Context, what: string): Promise<number> {
  const { writeCompletionValues } = await import("../complete.js");
  await writeCompletionValues(() => ctx.home, what, ctx.clientName());
  return 0;
}

export const completionCommands: CommandModule = {
  commands: [
    {
      name: "completion <shell>",
      description: `print a shell completion script (${SHELLS.join(", ")}): commands, options, kinds, cases, clients`,
      usesHome: false,
      run: runCompletion,
    },
    {
      name: "__complete <what>",
      description: `list values for shell completion: ${COMPLETION_SOURCES.join(", ")}`,
      usesHome: false,
      hidden: true,
      run: runComplete,
    },
  ],
};
