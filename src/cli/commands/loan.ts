/** `loanmail loan add|set|list`. */
import { validateAccountNumber } from "../../domain/account-number.js";
import { isValidIsoDate } from "../../domain/calendar.js";
import { UserError } from "../../errors.js";
import { appendEvent } from "../../store/events.js";
import {
  ensureClient,
  insertLoan,
  type Loan,
  type LoanInput,
  listLoans,
  type Product,
  requireClient,
  requireLoan,
  transferLoan,
  updateLoan,
} from "../../store/loans.js";
import { requireServicer } from "../../store/servicers.js";
import type { Context } from "../context.js";
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
}

function toInput(ctx: Context, opts: LoanOptions): Partial<LoanInput> {
  if (opts.notPrincipalResidence && opts.principalResidence) {
    throw new UserError("--principal-residence and --not-principal-residence contradict each other", "give one");
  }
  const property = opts.property?.replace(/\\n/g, "\n").trim();
  if (property !== undefined && property.length < 5) {
    throw new UserError(
      `--property "${opts.property}" is too short to be an address`,
      "give the full property address",
    );
  }
  const borrowers = opts.borrower?.map((b) => b.trim()).filter(Boolean);
  if (opts.borrower && borrowers?.length === 0) throw new UserError("--borrower is empty", "give the borrower's name");
  return {
    servicerId: opts.servicer === undefined ? undefined : requireServicer(ctx.db(), opts.servicer).id,
    accountNumber: opts.account === undefined ? undefined : validateAccountNumber(opts.account),
    propertyAddress: property,
    borrowers,
    product: opts.product,
    principalResidence: opts.notPrincipalResidence ? false : opts.principalResidence ? true : undefined,
    arm: opts.arm,
  };
}

function describe(l: Loan): string {
  const traits = [l.product, l.principalResidence ? "principal residence" : "not a principal residence"];
  if (l.arm) traits.push("ARM");
  return [
    `Loan ${l.id}: account ${l.accountNumber} at ${l.servicerName}`,
    `  borrowers: ${l.borrowers.join(", ")}`,
    `  property:  ${l.propertyAddress.replace(/\n/g, ", ")}`,
    `  ${traits.join(", ")}; client ${l.clientName}`,
  ].join("\n");
}

export function runLoanAdd(ctx: Context, opts: LoanOptions): number {
  const db = ctx.db();
  const example =
    "loanmail loan add --servicer 'Mr. Cooper' --account 1234567 --property '12 Elm St, Springfield, IL' --borrower 'Jane Doe'";
  requireOption(opts.servicer, "--servicer", example);
  requireOption(opts.account, "--account", example);
  requireOption(opts.property, "--property", example);
  requireOption(opts.borrower, "--borrower", example);
  const input = toInput(ctx, opts);
  const loan = db.transaction(() => {
    const clientName = ctx.options.client ?? ctx.config().user.name;
    const clientId = ensureClient(db, clientName, ctx.nowIso);
    const created = insertLoan(
      db,
      clientId,
      {
        servicerId: input.servicerId as number,
        accountNumber: input.accountNumber as string,
        propertyAddress: input.propertyAddress as string,
        borrowers: input.borrowers as string[],
        product: input.product ?? "closed-end",
        principalResidence: input.principalResidence ?? true,
        arm: input.arm ?? false,
      },
      ctx.nowIso,
    );
    appendEvent(db, {
      caseId: null,
      loanId: created.id,
      at: ctx.nowIso,
      type: "loan-added",
      actor: "user",
      data: { ...created },
    });
    return created;
  })();
  ctx.out.result(
    { loan },
    () => `Added ${describe(loan)}\nNext: loanmail compose KIND --loan ${loan.id} (see loanmail kinds)`,
  );
  return 0;
}

export function runLoanSet(ctx: Context, ref: string, opts: LoanOptions): number {
  const db = ctx.db();
  const current = requireLoan(db, ref);
  const input = toInput(ctx, opts);
  if (Object.values(input).every((v) => v === undefined)) {
    throw new UserError("nothing to change", "give at least one option, e.g. --property ADDR");
  }
  const loan = db.transaction(() => {
    const updated = updateLoan(db, current, input);
    appendEvent(db, {
      caseId: null,
      loanId: updated.id,
      at: ctx.nowIso,
      type: "loan-changed",
      actor: "user",
      data: { ...updated },
    });
    return updated;
  })();
  ctx.out.result({ loan }, () => `Changed ${describe(loan)}`);
  return 0;
}

export function runLoanList(ctx: Context): number {
  const db = ctx.db();
  const clientId = ctx.options.client ? requireClient(db, ctx.options.client) : undefined;
  const loans = listLoans(db, clientId);
  ctx.out.result({ loans }, () =>
    loans.length === 0
      ? "No loans yet. Add one: loanmail loan add --servicer NAME --account NUM --property ADDR --borrower NAME"
      : formatTable(
          ["ID", "ACCOUNT", "SERVICER", "BORROWERS", "PROPERTY"],
          loans.map((l) => [
            String(l.id),
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
export function runLoanTransfer(
  ctx: Context,
  ref: string,
  opts: { to?: string; account?: string; date?: string },
): number {
  const db = ctx.db();
  const loan = requireLoan(db, ref);
  const to = requireServicer(
    db,
    requireOption(
      opts.to,
      "--to",
      `loanmail loan transfer ${loan.id} --to "New Servicer" --account NUM --date YYYY-MM-DD`,
    ),
  );
  const account = validateAccountNumber(
    requireOption(opts.account, "--account", "the account number in the new servicer's welcome letter"),
  );
  const on = requireOption(opts.date, "--date", "the transfer date from the notice of servicing transfer");
  if (!isValidIsoDate(on)) throw new UserError(`--date ${on}: not a date`, "write dates as YYYY-MM-DD");
  if (to.id === loan.servicerId && account === loan.accountNumber)
    throw new UserError("that is the loan's current servicer and account", "nothing to transfer");
  const updated = db.transaction(() => {
    const moved = transferLoan(db, loan, to.id, account, on);
    appendEvent(db, {
      caseId: null,
      loanId: loan.id,
      at: ctx.nowIso,
      type: "transfer",
      actor: "user",
      data: {
        on,
        from_servicer: loan.servicerName,
        from_account: loan.accountNumber,
        to_servicer: to.name,
        to_account: account,
      },
    });
    return moved;
  })();
  ctx.out.result(
    { loan: updated, transferredOn: on, previous: { servicer: loan.servicerName, account: loan.accountNumber } },
    () =>
      [
        `Loan ${loan.id} moved from ${loan.servicerName} (${loan.accountNumber}) to ${to.name} (${account}) on ${on}.`,
        `You have until the first anniversary of the transfer to send notices of error about ${loan.servicerName}; see loanmail due.`,
      ].join("\n"),
  );
  return 0;
}
