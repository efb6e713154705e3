/** `loanmail init`: make the home, config.toml and database, and the random case-tag prefix. */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { type Config, DEFAULT_LIMITS, readConfig, validateConfig, writeConfig } from "../../config/config.js";
import { ensureHomeDir } from "../../config/home.js";
import { buildPrefix } from "../../domain/subject.js";
import { UserError } from "../../errors.js";
import { openDb } from "../../store/db.js";
import { appendEvent } from "../../store/events.js";
import { ensureClient } from "../../store/loans.js";
import { getMeta, setMeta } from "../../store/meta.js";
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

export async function runInit(ctx: Context, opts: InitOptions): Promise<number> {
  const existing = existsSync(ctx.home.config) ? readConfig(ctx.home.config) : undefined;
  const user = {
    name: opts.name ?? existing?.user.name,
    email: opts.email ?? existing?.user.email,
    // "\n" typed in a shell argument means a line break in the letterhead.
    address: (opts.address ?? existing?.user.address)?.replace(/\\n/g, "\n"),
    phone: opts.phone ?? existing?.user.phone,
    timezone: opts.timezone ?? existing?.user.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const missing = (["name", "email", "address"] as const).filter((k) => !user[k]?.trim());
  if (missing.length > 0 && !(ctx.interactive && process.stdout.isTTY && !ctx.options.json)) {
    throw new UserError(
      `init needs ${missing.map((m) => `--${m}`).join(", ")}`,
      "for example: loanmail init --name 'Jane Doe' --email jane@example.com --address '12 Elm St\\nSpringfield, IL 62701'",
    );
  }
  const questions = {
    name: { message: "Your full name, as on the loan:", example: "--name 'Jane Doe'" },
    email: { message: "Your email address:", example: "--email jane@example.com" },
    address: {
      message: "Your mailing address (use \\n between lines):",
      example: "--address '12 Elm St\\nTown, ST 00000'",
    },
  };
  for (const key of missing) {
    const answer = await askText(ctx, { ...questions[key], flag: `--${key}` });
    user[key] = key === "address" ? answer.replace(/\\n/g, "\n") : answer;
  }
  checkEmail(user.email as string, "--email");
  const raw: Record<string, unknown> = {
    ...(existing ?? {}),
    schema: 1,
    user: Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined && v !== "")),
    limits: existing?.limits ?? DEFAULT_LIMITS,
  };
  const config: Config = validateConfig(raw, "init");

  ensureHomeDir(ctx.home);
  const db = openDb(ctx.home.db, { create: true });
  ctx.adoptDb(db);
  let prefix = getMeta(db, "tag_prefix");
  const created = prefix === undefined;
  db.transaction(() => {
    if (!prefix) {
      prefix = buildPrefix(randomBytes(4));
      setMeta(db, "tag_prefix", prefix);
      setMeta(db, "created_at", ctx.nowIso);
    }
    ensureClient(db, config.user.name, ctx.nowIso);
    appendEvent(db, {
      caseId: null,
      at: ctx.nowIso,
      type: created ? "init" : "reinit",
      actor: "user",
      data: { name: config.user.name, email: config.user.email, timezone: config.user.timezone },
    });
  })();
  writeConfig(ctx.home.config, config);

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
