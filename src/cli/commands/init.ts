/** `loanmail init`: make the home, config.toml and database, and the random case-tag prefix. */
import type { AskedKey, OfferedKey, UserDraft } from "../../app/init.js";
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { askLines, askText } from "../prompts.js";
import { addressProblem, checkEmail, checkPhone, emailProblem, phoneProblem, timeZoneProblem } from "../validate.js";

interface InitOptions {
  name?: string;
  email?: string;
  address?: string;
  phone?: string;
  timezone?: string;
  counselor?: boolean;
  agency?: string;
  agencyId?: string;
}

/** Ask for what is missing on a terminal; a script gets one error naming every missing flag instead. */
async function completeUser(
  ctx: Context,
  draft: UserDraft,
  missing: readonly AskedKey[],
  offered: readonly OfferedKey[],
): Promise<UserDraft> {
  const onTerminal = ctx.interactive && process.stdout.isTTY === true && !ctx.options.json;
  if (missing.length > 0 && !onTerminal) {
    throw new UserError(`init needs ${missing.map((m) => `--${m}`).join(", ")}`, {
      code: "MISSING_OPTION",
      hint: "for example: loanmail init --name 'Jane Doe' --email jane@example.com --address '12 Elm St\\nSpringfield, IL 62701'",
    });
  }
  const user = { ...draft };
  // Each answer is checked as it is typed and asked again until it is right: nothing is lost to a typo.
  if (missing.includes("name"))
    user.name = await askText(ctx, {
      message: "Your full name, as on the loan:",
      flag: "--name",
      example: "--name 'Jane Doe'",
    });
  if (missing.includes("email"))
    user.email = await askText(ctx, {
      message: "Your email address:",
      flag: "--email",
      example: "--email jane@example.com",
      validate: emailProblem,
    });
  if (missing.includes("address")) {
    const lines = await askLines(ctx, {
      message: "Your mailing address, one line at a time;",
      flag: "--address",
      example: "--address '12 Elm St\\nTown, ST 00000'",
      validate: addressProblem,
    });
    user.address = lines.join("\n");
  }
  // Optional details: offered on a terminal only; a script keeps the fallback (no phone, this machine's zone).
  if (onTerminal && offered.includes("phone")) {
    const phone = await askText(ctx, {
      message: "A phone number for the servicer to call (Enter to leave out):",
      flag: "--phone",
      example: "--phone 555-867-5309",
      optional: true,
      validate: phoneProblem,
    });
    user.phone = phone || undefined;
  }
  if (onTerminal && offered.includes("timezone"))
    user.timezone = await askText(ctx, {
      message: "Your time zone, for deadlines:",
      flag: "--timezone",
      example: "--timezone America/Chicago",
      default: draft.timezone,
      validate: timeZoneProblem,
    });
  checkEmail(user.email ?? "", "--email");
  return user;
}

/** `--counselor --agency NAME [--agency-id ID]`, checked: the agency goes only with a counselor's home. */
function counselorSetup(opts: InitOptions): { agency: string; hudAgencyId?: string } | undefined {
  if (!opts.counselor) {
    if (opts.agency !== undefined || opts.agencyId !== undefined)
      throw new UserError(`${opts.agency !== undefined ? "--agency" : "--agency-id"} goes with --counselor`, {
        code: "CONFLICTING_OPTIONS",
        hint: "a housing counselor's home: loanmail init --counselor --agency 'Springfield Housing Counseling' ...",
      });
    return undefined;
  }
  const agency = opts.agency?.trim();
  if (!agency)
    throw new UserError(opts.agency === undefined ? "--counselor needs --agency" : "--agency is empty", {
      code: opts.agency === undefined ? "MISSING_OPTION" : "EMPTY_VALUE",
      hint: "name the counseling agency: --agency 'Springfield Housing Counseling' [--agency-id 81234]",
    });
  const id = opts.agencyId?.trim();
  if (opts.agencyId !== undefined && !/^[A-Za-z0-9-]{1,20}$/.test(id ?? ""))
    throw new UserError(`--agency-id ${opts.agencyId}: not an agency id`, {
      code: "INVALID_AGENCY_ID",
      hint: "give the agency's HUD agency id as HUD lists it (letters and digits), e.g. --agency-id 81234",
    });
  return { agency, ...(id ? { hudAgencyId: id } : {}) };
}

/**
 * The time zone deadlines are counted in, said every time: when --timezone was not given (a script, or Enter on a
 * terminal), it is this machine's or the home's, which a borrower in Chicago on a server set to UTC must see.
 */
function zoneLine(zone: string, given: string | undefined): string {
  if (given !== undefined) return `Deadlines are counted in ${zone}.\n`;
  return `Deadlines are counted in ${zone} (not given: this machine's, or the home's; change it with loanmail init --timezone ZONE).\n`;
}

async function runInit(ctx: Context, opts: InitOptions): Promise<number> {
  // The home's user (who signs and exports) is the whole home's: a client's fence has nothing to do with it.
  const fence = ctx.clientName();
  if (fence !== undefined)
    throw new UserError(`init sets up the whole home; it cannot be fenced to client "${fence}"`, {
      code: "FENCE_NOT_APPLICABLE",
      hint: "run loanmail init with no client named (no --client, LOANMAIL_CLIENT unset)",
    });
  const setup = counselorSetup(opts);
  if (opts.phone !== undefined) checkPhone(opts.phone, "--phone");
  const { initHome } = await import("../../app/init.js");
  const { counselor: _c, agency: _a, agencyId: _i, ...user } = opts;
  const { created, prefix, config, counselor } = await initHome(
    ctx,
    user,
    (draft, missing, offered) => completeUser(ctx, draft, missing, offered),
    setup,
  );
  const agency = counselor
    ? { id: counselor.agency.id, name: counselor.agency.name, hudAgencyId: counselor.agency.hud_id }
    : null;
  ctx.out.result(
    {
      home: ctx.home.dir,
      created,
      prefix,
      user: config.user,
      kind: counselor ? "counselor" : "borrower",
      counselor: counselor ? { id: counselor.counselor.id, name: counselor.counselor.name } : null,
      agency,
    },
    () =>
      `${created ? "Created" : "Updated"} loanmail home ${ctx.home.dir}\n` +
      zoneLine(config.user.timezone, opts.timezone) +
      (counselor
        ? `A housing counselor's home: ${counselor.counselor.name} of ${counselor.agency.name}` +
          `${counselor.agency.hud_id ? ` (HUD agency ID ${counselor.agency.hud_id})` : ""}.\n` +
          `Case tags look like LM-${prefix}-1. Next: loanmail client add NAME, then loanmail servicer add NAME --domain D --email ADDR`
        : `Case tags look like LM-${prefix}-1. Next: loanmail servicer add NAME --domain D --email ADDR`),
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
        { flags: "--counselor", description: "a housing counselor's home: clients are added with loanmail client add" },
        { flags: "--agency <name>", description: "with --counselor: the counseling agency you work for" },
        { flags: "--agency-id <id>", description: "with --counselor: the agency's HUD agency id, if any" },
      ],
      run: runInit,
    },
  ],
};
