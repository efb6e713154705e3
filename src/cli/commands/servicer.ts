/** `loanmail servicer add|set|list`. */
import type { Servicer, ServicerInput } from "../../app/servicers.js";
import { UserError } from "../../errors.js";
import type { CommandModule, OptionSpec } from "../command.js";
import type { Context } from "../context.js";
import { checkPastDate } from "../dates.js";
import { formatTable } from "../output.js";
import { checkDomain, checkEmail, checkPositiveInt, requireOption } from "../validate.js";

interface ServicerOptions {
  domain?: string[];
  email?: string;
  slaDays?: string;
  noticeAddress?: string;
  noticeEmail?: string;
  noticePortal?: string;
  payoffEmail?: string;
  payoffAddress?: string;
  small?: boolean;
  designatedSince?: string;
}

function toInput(opts: ServicerOptions): ServicerInput {
  const address = (v: string | undefined) => (v === undefined ? undefined : v.replace(/\\n/g, "\n").trim() || null);
  const email = (v: string | undefined, flag: string) => (v === undefined ? undefined : checkEmail(v, flag));
  return {
    email: email(opts.email, "--email"),
    domains: opts.domain?.map(checkDomain),
    slaDays: opts.slaDays === undefined ? undefined : checkPositiveInt(opts.slaDays, "--sla-days", 60),
    noticeAddress: address(opts.noticeAddress),
    noticeEmail: email(opts.noticeEmail, "--notice-email"),
    noticePortal: opts.noticePortal === undefined ? undefined : checkPortal(opts.noticePortal),
    payoffEmail: email(opts.payoffEmail, "--payoff-email"),
    payoffAddress: address(opts.payoffAddress),
    small: opts.small,
  };
}

/** A designated portal is a web address; an empty value clears it (the servicer no longer designates it). */
function checkPortal(value: string): string | null {
  const v = value.trim();
  if (v === "") return null;
  let url: URL | undefined;
  try {
    url = new URL(v);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new UserError(`--notice-portal ${value}: not a web address`, {
      code: "INVALID_URL",
      hint: 'give the portal\'s address as the servicer wrote it, e.g. https://servicer.example/notices (or "" to clear it)',
    });
  }
  return url.href;
}

function describe(s: Servicer): string {
  const lines = [
    `${s.name} (servicer ${s.id})`,
    `  email:          ${s.email} (promises an answer in ${s.slaDays} business days)`,
    `  reply domains:  ${s.domains.join(", ") || "none"}`,
    `  notices:        ${s.noticeEmail ?? (s.noticeAddress ? s.noticeAddress.replace(/\n/g, ", ") : "not recorded")}`,
    ...(s.noticePortal ? [`  notice portal:  ${s.noticePortal} (designated by the servicer)`] : []),
    `  payoff:         ${s.payoffEmail ?? s.payoffAddress?.replace(/\n/g, ", ") ?? "not recorded"}`,
  ];
  if (s.small) lines.push("  small servicer");
  return lines.join("\n");
}

/** `--designated-since DATE`: a day that has passed (the designation is read off a notice the user holds). */
function designatedSinceOption(ctx: Context, opts: ServicerOptions) {
  if (opts.designatedSince === undefined) return undefined;
  return checkPastDate(
    ctx,
    opts.designatedSince,
    "--designated-since",
    "give the day the servicer's notice or statement says the designation took effect",
  );
}

const FIELD_WORDS = { noticeAddress: "notice address", noticeEmail: "notice email", noticePortal: "notice portal" };

/** What `--designated-since` recorded, in words. */
function sinceLine(s: { designatedSince: { day: string; fields: (keyof typeof FIELD_WORDS)[] } | null }): string {
  const d = s.designatedSince;
  if (!d) return "";
  const what = d.fields.map((f) => FIELD_WORDS[f]).join(", ");
  return `\n  designated since ${d.day} (${what}): letters recorded as having left since then are judged by it`;
}

async function runServicerAdd(ctx: Context, name: string, opts: ServicerOptions): Promise<number> {
  const cleanName = requireOption(name.trim() || undefined, "NAME", 'loanmail servicer add "Mr. Cooper" ...');
  const input = toInput(opts);
  const email = requireOption(input.email, "--email", `loanmail servicer add "${cleanName}" --email help@example.com`);
  if (!input.domains || input.domains.length === 0) {
    throw new UserError("--domain is required", {
      code: "MISSING_OPTION",
      hint: `name the domain its replies come from, e.g. loanmail servicer add "${cleanName}" --domain ${email.split("@")[1]} --email ${email}`,
    });
  }
  const since = designatedSinceOption(ctx, opts);
  const { addServicer } = await import("../../app/servicers.js");
  const servicer = addServicer(ctx, cleanName, { ...input, email }, since);
  ctx.out.result({ servicer }, () => `Added ${describe(servicer)}${sinceLine(servicer)}`);
  if (!servicer.noticeAddress && !servicer.noticeEmail) {
    ctx.out.note(
      `Formal notices need the designated notice address from your statement: loanmail servicer set "${servicer.name}" --notice-address "..."`,
    );
  }
  return 0;
}

async function runServicerSet(ctx: Context, name: string, opts: ServicerOptions): Promise<number> {
  const input = toInput(opts);
  const since = designatedSinceOption(ctx, opts);
  if (Object.values(input).every((v) => v === undefined) && since === undefined) {
    throw new UserError("nothing to change", {
      code: "NOTHING_TO_CHANGE",
      hint: "give at least one option, e.g. --notice-address TEXT",
    });
  }
  const { changeServicer } = await import("../../app/servicers.js");
  const servicer = changeServicer(ctx, name, input, since);
  ctx.out.result({ servicer }, () => `Changed ${describe(servicer)}${sinceLine(servicer)}`);
  return 0;
}

async function runServicerList(ctx: Context): Promise<number> {
  const { listServicers } = await import("../../app/servicers.js");
  const servicers = listServicers(ctx);
  ctx.out.result({ servicers }, () =>
    servicers.length === 0
      ? "No servicers yet. Add one: loanmail servicer add NAME --domain D --email ADDR"
      : formatTable(
          ["ID", "NAME", "EMAIL", "DOMAINS", "NOTICES"],
          servicers.map((s) => [
            String(s.id),
            s.name,
            s.email,
            s.domains.join(","),
            s.noticeEmail ? `email ${s.noticeEmail}` : s.noticeAddress ? "post" : "-",
          ]),
        ),
  );
  return 0;
}

const servicerOptions: OptionSpec[] = [
  {
    flags: "--domain <domain>",
    description: "a domain the servicer replies from (repeat; set replaces the list)",
    repeat: true,
  },
  { flags: "--email <addr>", description: "correspondence (customer service) email address" },
  { flags: "--sla-days <n>", description: "business days the servicer promises to answer email in (default 3)" },
  { flags: "--notice-address <text>", description: "designated address for notices of error / information requests" },
  { flags: "--notice-email <addr>", description: "designated notice address, when it takes email" },
  {
    flags: "--notice-portal <url>",
    description: 'the servicer\'s portal, only if it designated the portal for notices ("" clears it)',
  },
  {
    flags: "--designated-since <date>",
    description:
      "the day the servicer designated the notice address/email/portal given (or those on record), from its notice",
  },
  { flags: "--payoff-email <addr>", description: "where payoff statement requests go (email)" },
  { flags: "--payoff-address <text>", description: "where payoff statement requests go (post)" },
  { flags: "--small", description: "a small servicer (12 C.F.R. 1026.41(e)(4)): some Reg X rules do not apply" },
  { flags: "--no-small", description: "not a small servicer" },
];

export const servicerCommands: CommandModule = {
  groups: [{ name: "servicer", description: "servicers you write to" }],
  commands: [
    { name: "servicer add <name>", description: "add a servicer", options: servicerOptions, run: runServicerAdd },
    { name: "servicer set <name>", description: "change a servicer", options: servicerOptions, run: runServicerSet },
    { name: "servicer list", description: "list servicers", run: runServicerList },
  ],
};
