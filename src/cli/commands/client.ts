/**
 * `loanmail client add|list|show|set|plan`: a housing counselor's client households, their intake and action plan
 * (docs/ARCHITECTURE.md, "Clients"). Closing, reopening, purging and the client's log are client-retention.ts's.
 */
import type { ClientFile, ClientSummary } from "../../app/clients.js";
import { AMI_BAND_WORDS, AMI_BANDS, type Intake, type IntakeInput } from "../../domain/intake.js";
import { UserError } from "../../errors.js";
import type { CommandModule, OptionSpec } from "../command.js";
import type { Context } from "../context.js";
import { checkDate, today as todayOf } from "../dates.js";
import { formatTable } from "../output.js";
import { checkPositiveInt } from "../validate.js";

interface IntakeOptions {
  member?: string[];
  email?: string;
  phone?: string;
  address?: string;
  language?: string;
  amiBand?: string;
  agreementSigned?: string;
  privacySigned?: string;
  referral?: string;
}

function intakeInput(o: IntakeOptions): IntakeInput {
  return {
    members: o.member,
    email: o.email,
    phone: o.phone,
    address: o.address,
    language: o.language,
    amiBand: o.amiBand,
    agreementSigned: o.agreementSigned,
    privacySigned: o.privacySigned,
    referral: o.referral,
  };
}

/** The intake as lines, "field: value", only the fields recorded. */
function intakeLines(i: Intake): string[] {
  const lines: string[] = [];
  if (i.members?.length) lines.push(`household:  ${i.members.join(", ")}`);
  if (i.email) lines.push(`email:      ${i.email}`);
  if (i.phone) lines.push(`phone:      ${i.phone}`);
  if (i.address) lines.push(`address:    ${i.address.replace(/\n/g, ", ")}`);
  if (i.language) lines.push(`language:   ${i.language}`);
  if (i.amiBand) lines.push(`income:     ${AMI_BAND_WORDS[i.amiBand]} (HUD 9902 band ${i.amiBand})`);
  if (i.agreementSigned) lines.push(`counseling agreement signed ${i.agreementSigned}`);
  if (i.privacySigned) lines.push(`privacy disclosure signed ${i.privacySigned}`);
  if (i.referral) lines.push(`referred by: ${i.referral}`);
  return lines.length > 0 ? lines : ["no intake recorded"];
}

async function runClientAdd(ctx: Context, name: string, opts: IntakeOptions): Promise<number> {
  const { addClient } = await import("../../app/clients.js");
  const client = addClient(ctx, name, intakeInput(opts));
  ctx.out.result({ client }, () =>
    [
      `Added client ${client.id}: ${client.name}${client.counselor ? ` (counselor ${client.counselor.name})` : ""}`,
      ...intakeLines(client.intake).map((l) => `  ${l}`),
      `Next: loanmail loan add --client "${client.name}" --servicer NAME --account NUM --property ADDR --borrower NAME`,
    ].join("\n"),
  );
  return 0;
}

async function runClientSet(ctx: Context, name: string, opts: IntakeOptions): Promise<number> {
  const { changeClient } = await import("../../app/clients.js");
  const { client, changed } = changeClient(ctx, name, intakeInput(opts));
  ctx.out.result({ client, changed }, () =>
    [`Changed ${changed.join(", ")} of client ${client.name}`, ...intakeLines(client.intake).map((l) => `  ${l}`)].join(
      "\n",
    ),
  );
  return 0;
}

function listText(clients: readonly ClientSummary[]): string {
  if (clients.length === 0) return 'No clients yet. Add one: loanmail client add "NAME" [--phone ...]';
  return formatTable(
    ["ID", "CLIENT", "COUNSELOR", "STATUS", "CASES", "LOANS", "NEXT DUE"],
    clients.map((c) => [
      String(c.id),
      c.name,
      c.counselor ?? "-",
      c.status,
      `${c.openCases} open${c.draftCases ? `, ${c.draftCases} draft` : ""} / ${c.cases}`,
      String(c.loans),
      c.nextDue ?? "-",
    ]),
  );
}

async function runClientList(ctx: Context): Promise<number> {
  const { listClients } = await import("../../app/clients.js");
  const clients = listClients(ctx);
  ctx.out.result({ clients }, () => listText(clients));
  return 0;
}

function showText(f: ClientFile): string {
  const { client: c } = f;
  const lines = [
    `Client ${c.id}: ${c.name}${c.counselor ? `, counselor ${c.counselor.name}` : ""}${c.closedOn ? `, closed ${c.closedOn}` : ""}`,
    ...intakeLines(c.intake).map((l) => `  ${l}`),
    "",
    `Loans (${f.loans.length}):`,
    ...f.loans.map(
      (l) => `  loan ${l.id}: ${l.accountNumber} at ${l.servicerName}; borrowers ${l.borrowers.join(", ")}`,
    ),
    `Cases (${f.cases.length}):`,
    ...f.cases.map((k) => `  ${k.tag} (case ${k.id}): ${k.kind}, ${k.status}`),
    `Authorizations (${f.authorizations.length}):`,
    ...f.authorizations.map(
      (a) =>
        `  ${a.id}: ${a.authorized} for ${a.accountNumber} at ${a.servicerName}, signed ${a.signedOn}${a.expiresOn ? `, expires ${a.expiresOn}` : ""}${a.revokedOn ? `, revoked ${a.revokedOn}` : ""}: ${a.state}`,
    ),
    `Plan (${f.plan.length}):`,
    ...f.plan.map(
      (p) =>
        `  ${p.number}. ${p.text}, by ${p.by}: ${p.status === "done" ? `done ${p.doneOn}` : p.status === "late" ? "LATE" : "open"}`,
    ),
    `Notes (${f.notes.length}):`,
    ...f.notes.map((n) => `  ${n.at.slice(0, 10)} ${n.case} ${n.type}: ${n.text}`),
  ];
  return lines.join("\n");
}

async function runClientShow(ctx: Context, name: string): Promise<number> {
  const { showClient } = await import("../../app/clients.js");
  const file = showClient(ctx, name);
  ctx.out.result({ ...file }, () => showText(file));
  return 0;
}

interface PlanOptions {
  add?: string;
  by?: string;
  done?: string;
}

/** `client plan C` lists; `--add TEXT --by D` adds; `--done N` marks item N done. */
async function runClientPlan(ctx: Context, name: string, opts: PlanOptions): Promise<number> {
  if (opts.done !== undefined && (opts.add !== undefined || opts.by !== undefined))
    throw new UserError("--done goes alone, not with --add or --by", {
      code: "CONFLICTING_OPTIONS",
      hint: `one change at a time: loanmail client plan "${name}" --done N`,
    });
  if ((opts.add === undefined) !== (opts.by === undefined))
    throw new UserError(opts.add === undefined ? "--by needs --add" : "--add needs --by", {
      code: "MISSING_OPTION",
      hint: `loanmail client plan "${name}" --add "call the servicer about the appeal" --by YYYY-MM-DD`,
    });
  const text = opts.add?.trim();
  if (opts.add !== undefined && !text)
    throw new UserError("--add is empty", { code: "EMPTY_VALUE", hint: "say what is to be done" });
  const by = opts.by === undefined ? undefined : checkDate(opts.by, "--by");
  const done = opts.done === undefined ? undefined : checkPositiveInt(opts.done, "--done", 100_000);
  const { requireClientByName } = await import("../../app/clients.js");
  const plan = await import("../../app/client-plan.js");
  const client = requireClientByName(ctx, name);
  const today = todayOf(ctx);
  const changed =
    text !== undefined && by !== undefined
      ? plan.addPlanItem(ctx, client, text, by)
      : done !== undefined
        ? plan.markPlanDone(ctx, client, done)
        : undefined;
  const items = plan.planOf(ctx, client.id, today);
  ctx.out.result({ client: client.name, ...(changed ? { changed } : {}), plan: items }, () => {
    const head = changed
      ? changed.status === "done"
        ? `Marked item ${changed.number} of ${client.name}'s plan done on ${changed.doneOn}.`
        : `Added item ${changed.number} to ${client.name}'s plan, by ${changed.by}${changed.status === "late" ? " (already past: LATE)" : ""}.`
      : `${client.name}'s plan:`;
    if (items.length === 0)
      return `${head}\n  nothing planned. Add: loanmail client plan "${client.name}" --add TEXT --by D`;
    return [
      head,
      ...items.map(
        (p) =>
          `  ${p.number}. ${p.text}, by ${p.by}: ${p.status === "done" ? `done ${p.doneOn}` : p.status === "late" ? "LATE" : "open"}`,
      ),
    ].join("\n");
  });
  return 0;
}

const intakeOptions: OptionSpec[] = [
  { flags: "--member <name>", description: "a household member (repeat for each)", repeat: true },
  { flags: "--email <addr>", description: "the household's email address" },
  { flags: "--phone <phone>", description: "the household's phone number" },
  { flags: "--address <text>", description: "the household's mailing address (use \\n between lines)" },
  { flags: "--language <code>", description: "preferred language, e.g. es, vi, zh" },
  {
    flags: "--ami-band <band>",
    description: `household income as a percentage of area median income (HUD 9902 bands): ${AMI_BANDS.join(", ")}`,
  },
  { flags: "--agreement-signed <date>", description: "the day the counseling agreement was signed (YYYY-MM-DD)" },
  { flags: "--privacy-signed <date>", description: "the day the privacy disclosure was signed (YYYY-MM-DD)" },
  { flags: "--referral <text>", description: "who referred the household" },
];

export const clientCommands: CommandModule = {
  groups: [{ name: "client", description: "a housing counselor's client households: intake, file and plan" }],
  commands: [
    {
      name: "client add <name>",
      description: "add a client household with its intake",
      options: intakeOptions,
      run: runClientAdd,
    },
    {
      name: "client list",
      description: "clients with their counselor, cases, loans and next due day",
      run: runClientList,
    },
    {
      name: "client show <client>",
      description: "a client's intake, loans, cases, authorizations, plan and notes",
      run: runClientShow,
    },
    {
      name: "client set <client>",
      description: "change intake fields of a client",
      options: intakeOptions,
      run: runClientSet,
    },
    {
      name: "client plan <client>",
      description: "a client's action plan: list it, add a dated follow-up, or mark one done",
      options: [
        { flags: "--add <text>", description: "a follow-up to do" },
        { flags: "--by <date>", description: "the day it is to be done by (YYYY-MM-DD)" },
        { flags: "--done <n>", description: "mark item N done today" },
      ],
      run: runClientPlan,
    },
  ],
};
