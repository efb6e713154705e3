/** `loanmail new` (and `loanmail` alone on a terminal): the guided terminal, src/cli/wizard/. */
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { canAsk } from "../prompts.js";

async function runNew(ctx: Context): Promise<number> {
  const { needsTerminal, runWizard } = await import("../wizard/run.js");
  // Refused before the home is read: a script learns what to run instead, whatever state the home is in.
  if (!canAsk(ctx)) throw needsTerminal();
  await ctx.load();
  return runWizard(ctx);
}

export const newCommands: CommandModule = {
  commands: [
    {
      name: "new",
      description: "write a letter step by step, with questions (on a terminal; loanmail alone does the same)",
      usesHome: false,
      run: runNew,
    },
  ],
};
