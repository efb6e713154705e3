/** `loanmail loan add|set|list`. */

import type { Loan, LoanFields, Product } from "../../app/loans.js";
import { validateAccountNumber } from "../../domain/account-number.js";
import { LANGUAGE_NAMES, LETTER_LANGUAGES, type LetterLanguage } from "../../domain/language.js";
import { typedDay } from "../../domain/typed-days.js";
import { UserError } from "../../errors.js";
import type { CommandModule, OptionSpec } from "../command.js";
import type { Context } from "../context.js";
import { checkPastDate } from "../dates.js";
import { formatTable } from "../output.js";
import { requireOption } from "../validate.js";

interface LoanOptions {
  servicer?: string;
  account?: string;
  property?: string;
  borrower?: string[];
  product?: Product;
  notPrincipalResidence?: boolean;
  principalResidence?: boolean;
  arm?: boolean;
  delinquentSince?: string;
  lang?: LetterLanguage;
}

/**
 * `--delinquent-since D`: the due date of the oldest payment still unpaid (delinquency begins then, 12 C.F.R.
 * 1024.31); `none` when the loan is current again. Not a day in the future.
 */
function delinquentSince(ctx: Context, value: string | undefined): string | null | undefined {
  if (value === undefined) return undefined;
  if (value.trim().toLowerCase() === "none") return null;
  return checkPastDate(
    ctx,
    value.trim(),
    "--delinquent-since",
    "give the due date of the oldest payment still unpaid, or none when the loan is current",
  );
}

function toFields(ctx: Context, opts: LoanOptions): LoanFields {
  if (opts.notPrincipalResidence && opts.principalResidence) {
    throw new UserError("--principal-residence and --not-principal-residence contradict each other", {
      code: "CONFLICTING_OPTIONS",
      hint: "give one",
    });
  }
  const property = opts.property?.replace(/\\n/g, "\n").trim();
  if (property !== undefined && property.length < 5) {
    throw new UserError(`--property "${opts.property}" is too short to be an address`, {
      code: "INVALID_ADDRESS",
      hint: "give the full property address",
    });
  }
  const borrowers = opts.borrower?.map((b) => b.trim()).filter(Boolean);
  if (opts.borrower && borrowers?.length === 0)
    throw new UserError("--borrower is empty", { code: "EMPTY_VALUE", hint: "give the borrower's name" });
  return {
    servicer: opts.servicer,
    accountNumber: opts.account === undefined ? undefined : validateAccountNumber(opts.account),
    propertyAddress: property,
    borrowers,
    product: opts.product,
    principalResidence: opts.notPrincipalResidence ? false : opts.principalResidence ? true : undefined,
    arm: opts.arm,
    delinquentSince: delinquentSince(ctx, opts.delinquentSince),
    lang: opts.lang,
  };
}

function describe(l: Loan): string {
  const traits = [l.product, l.principalResidence ? "principal residence" : "not a principal residence"];
  if (l.arm) traits.push("ARM");
  if (l.delinquentSince) traits.push(`delinquent since ${l.delinquentSince}`);
  if (l.lang) traits.push(`letters in ${LANGUAGE_NAMES[l.lang]}`);
  return [
    `Loan ${l.id}: account ${l.accountNumber} at ${l.servicerName}`,
    `  borrowers: ${l.borrowers.join(", ")}`,
    `  property:  ${l.propertyAddress.replace(/\n/g, ", ")}`,
    `  ${traits.join(", ")}; client ${l.clientName}`,
  ].join("\n");
}

async function runLoanAdd(ctx: Context, opts: LoanOptions): Promise<number> {
  const example =
    "loanmail loan add --servicer 'Mr. Cooper' --account 1234567 --property '12 Elm St, Springfield, IL' --borrower 'Jane Doe'";
  const servicer = requireOption(opts.servicer, "--servicer", example);
  requireOption(opts.account, "--account", example);
  requireOption(opts.property, "--property", example);
  requireOption(opts.borrower, "--borrower", example);
  const fields = toFields(ctx, opts);
  const { addLoan } = await import("../../app/loans.js");
  const loan = addLoan(ctx, ctx.clientName(), {
    ...fields,
    servicer,
    accountNumber: fields.accountNumber ?? "",
    propertyAddress: fields.propertyAddress ?? "",
    borrowers: fields.borrowers ?? [],
  });
  ctx.out.result(
    { loan },
    () => `Added ${describe(loan)}\nNext: loanmail compose KIND --loan ${loan.id} (see loanmail kinds)`,
  );
  return 0;
}

async function runLoanSet(ctx: Context, ref: string, opts: LoanOptions): Promise<number> {
  const fields = toFields(ctx, opts);
  if (Object.values(fields).every((v) => v === undefined)) {
    throw new UserError("nothing to change", {
      code: "NOTHING_TO_CHANGE",
      hint: "give at least one option, e.g. --property ADDR",
    });
  }
  const { changeLoan } = await import("../../app/loans.js");
  const loan = changeLoan(ctx, ref, fields);
  ctx.out.result({ loan }, () => `Changed ${describe(loan)}`);
  return 0;
}

async function runLoanList(ctx: Context): Promise<number> {
  const { listLoans } = await import("../../app/loans.js");
  const { listsClients } = await import("../../app/client-scope.js");
  const loans = listLoans(ctx);
  const clients = listsClients(ctx);
  ctx.out.result({ loans: loans.map((l) => ({ ...l, client: l.clientName })) }, () =>
    loans.length === 0
      ? "No loans yet. Add one: loanmail loan add --servicer NAME --account NUM --property ADDR --borrower NAME"
      : formatTable(
          ["ID", ...(clients ? ["CLIENT"] : []), "ACCOUNT", "SERVICER", "BORROWERS", "PROPERTY"],
          loans.map((l) => [
            String(l.id),
            ...(clients ? [l.clientName] : []),
            l.accountNumber,
            l.servicerName,
            l.borrowers.join(", "),
            l.propertyAddress.replace(/\n/g, ", "),
          ]),
        ),
  );
  return 0;
}

/** `loanmail loan transfer LOAN --to SERVICER --account NUM --date D`: servicing moved; the old number is kept. */
async function runLoanTransfer(
  ctx: Context,
  ref: string,
  opts: { to?: string; account?: string; date?: string },
): Promise<number> {
  const to = requireOption(
    opts.to,
    "--to",
    `loanmail loan transfer ${ref} --to "New Servicer" --account NUM --date YYYY-MM-DD`,
  );
  const account = validateAccountNumber(
    requireOption(opts.account, "--account", "the account number in the new servicer's welcome letter"),
  );
  const on = requireOption(opts.date, "--date", "the transfer date from the notice of servicing transfer");
  typedDay(on, "--date");
  const { transferLoan } = await import("../../app/loans.js");
  const { before: loan, after: updated, toServicer, rules } = transferLoan(ctx, ref, to, account, on);
  const [window] = rules.deadlines;
  const [protection] = rules.protections;
  ctx.out.result(
    {
      loan: updated,
      transferredOn: on,
      previous: { servicer: loan.servicerName, account: loan.accountNumber },
      protections: rules.protections,
      deadlines: rules.deadlines,
    },
    () => {
      const lines = [
        `Loan ${loan.id} moved from ${loan.servicerName} (${loan.accountNumber}) to ${toServicer} (${account}) on ${on}.`,
      ];
      if (protection) lines.push(`Until ${protection.until}: ${protection.name} [${protection.rule}].`);
      if (window)
        lines.push(
          `Until ${window.dueStrict}: a notice of error or request for information about ${loan.servicerName} goes to ${loan.servicerName} [${window.rule}]:`,
          `  loanmail compose notice-of-error --loan ${loan.id} --prior-servicer; loanmail due lists it.`,
        );
      if (!protection && !window)
        lines.push(
          "A HELOC is not a mortgage loan under 12 C.F.R. 1024.31: Regulation X's transfer rules (1024.33, 1024.35(g), 1024.36(f)) do not apply.",
        );
      return lines.join("\n");
    },
  );
  return 0;
}

const loanOptions: OptionSpec[] = [
  { flags: "--servicer <name>", description: "the servicer of the loan" },
  { flags: "--account <number>", description: "loan account number, from your statement" },
  { flags: "--property <address>", description: "property address" },
  { flags: "--borrower <name>", description: "borrower name as on the loan (repeat for co-borrowers)", repeat: true },
  { flags: "--product <product>", description: "loan product", choices: ["closed-end", "heloc", "reverse"] },
  { flags: "--not-principal-residence", description: "the property is not the borrower's principal residence" },
  { flags: "--principal-residence", description: "the property is the borrower's principal residence" },
  { flags: "--arm", description: "adjustable-rate mortgage" },
  { flags: "--no-arm", description: "fixed-rate mortgage" },
  {
    flags: "--delinquent-since <date>",
    description:
      "due date of the oldest payment still unpaid (YYYY-MM-DD), or none when current: the 120-day foreclosure bar of 12 C.F.R. 1024.41(f)(1) runs from it",
  },
  {
    flags: "--lang <lang>",
    description: "the language of the loan's letters (compose --lang overrides it; subjects stay English)",
    choices: LETTER_LANGUAGES,
  },
];

export const loanCommands: CommandModule = {
  groups: [{ name: "loan", description: "loans you write about" }],
  commands: [
    { name: "loan add", description: "add a loan", options: loanOptions, run: runLoanAdd },
    {
      name: "loan set <loan>",
      description: "change a loan (id or account number)",
      options: loanOptions,
      run: runLoanSet,
    },
    {
      name: "loan transfer <loan>",
      description: "record a servicing transfer; the old account number stays known",
      options: [
        { flags: "--to <servicer>", description: "the new servicer" },
        { flags: "--account <number>", description: "the new account number" },
        { flags: "--date <date>", description: "the transfer date (YYYY-MM-DD)" },
      ],
      run: runLoanTransfer,
    },
    { name: "loan list", description: "list loans", run: runLoanList },
  ],
};
