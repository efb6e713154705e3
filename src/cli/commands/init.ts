/** `loanmail init`: make the home, config.toml and database, and the random case-tag prefix. */
import type { AskedKey, UserDraft } from "../../app/init.js";
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { askText } from "../prompts.js";
import { checkEmail } from "../validate.js";

interface InitOptions {
  name?: string;
  email?: string;
  address?: string;
  phone?: string;
  timezone?: string;
}

const QUESTIONS: Record<AskedKey, { message: string; example: string }> = {
  name: { message: "Your full name, as on the loan:", example: "--name 'Jane Doe'" },
  email: { message: "Your email address:", example: "--email jane@example.com" },
  address: {
    message: "Your mailing address (use \\n between lines):",
    example: "--address '12 Elm St\\nTown, ST 00000'",
  },
};

/** Ask for what is missing on a terminal; a script gets one error naming every missing flag instead. */
async function completeUser(ctx: Context, draft: UserDraft, missing: readonly AskedKey[]): Promise<UserDraft> {
  if (missing.length > 0 && !(ctx.interactive && process.stdout.isTTY && !ctx.options.json)) {
    throw new UserError(`init needs ${missing.map((m) => `--${m}`).join(", ")}`, {
      code: "MISSING_OPTION",
      hint: "for example: loanmail init --name 'Jane Doe' --email jane@example.com --address '12 Elm St\\nSpringfield, IL 62701'",
    });
  }
  const user = { ...draft };
  for (const key of missing) {
    const answer = await askText(ctx, { ...QUESTIONS[key], flag: `--${key}` });
    user[key] = key === "address" ? answer.replace(/\\n/g, "\n") : answer;
  }
  checkEmail(user.email ?? "", "--email");
  return user;
}

async function runInit(ctx: Context, opts: InitOptions): Promise<number> {
  const { initHome } = await import("../../app/init.js");
  const { created, prefix, config } = await initHome(ctx, opts, (draft, missing) => completeUser(ctx, draft, missing));
  ctx.out.result(
    { home: ctx.home.dir, created, prefix, user: config.user },
    () =>
      `${created ? "Created" : "Updated"} loanmail home ${ctx.home.dir}\n` +
      `Case tags look like LM-${prefix}-1. Next: loanmail servicer add NAME --domain D --email ADDR`,
  );
  return 0;
}

export const initCommands: CommandModule = {
  commands: [
    {
      name: "init",
      description: "set up the loanmail home: your name, email, mailing address, phone, time zone",
      options: [
        { flags: "--name <name>", description: "your full name, as it appears on the loan" },
        { flags: "--email <addr>", description: "your email address" },
        { flags: "--address <text>", description: "your mailing address (use \\n or several lines)" },
        { flags: "--phone <phone>", description: "a phone number for the servicer to call" },
        { flags: "--timezone <tz>", description: "IANA time zone for deadlines (default: this machine's)" },
      ],
      run: runInit,
    },
  ],
};
