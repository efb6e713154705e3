/**
 * The wizard's first step: which loan the letter is about. An existing loan is chosen from the list; "a new loan"
 * asks its servicer (chosen, or a new one asked field by field) and its own fields, each checked as typed. Nothing
 * is written here: what is new is added at the end, with the letter (src/app/new-letter.ts).
 */
import type { Loan } from "../../app/loans.js";
import type { WizardStart } from "../../app/new-letter.js";
import { accountDigits, validateAccountNumber } from "../../domain/account-number.js";
import type { ServicerChannels } from "../../domain/channel.js";
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";
import { askChoice, askLines, askText } from "../prompts.js";
import { addressProblem, checkDomain, emailProblem } from "../validate.js";
import { problemOf, textAnswer } from "./answers.js";

export interface NewServicer {
  name: string;
  email: string;
  domains: string[];
  noticeAddress: string | null;
}

export interface NewLoan {
  accountNumber: string;
  propertyAddress: string;
  borrowers: string[];
}

/** The loan the letter is about: one on record, or a new one (at a servicer on record, or a new one). */
export type LoanTarget =
  | { existing: true; loanId: number; account: string; facts: LoanKind; servicer: Channels }
  | { existing: false; loan: NewLoan; servicer: Channels; newServicer: NewServicer | null };

/** What decides whether a Reg X rule reaches the loan (a new loan gets loan add's defaults). */
export type LoanKind = Pick<Loan, "product" | "principalResidence">;

/** What the channel and the summary need of a servicer. */
export type Channels = ServicerChannels & { small: boolean };

const NEW = -1;

export async function chooseLoan(ctx: Context, start: WizardStart): Promise<LoanTarget> {
  if (start.loans.length > 0) {
    const id = await askChoice("Which loan is this letter about?", [
      ...start.loans.map((l) => ({
        name: `Loan ${l.id}: account ${l.accountNumber} at ${l.servicerName} (${l.propertyAddress.split("\n")[0]})`,
        value: l.id,
      })),
      { name: "A new loan: add it", value: NEW },
    ]);
    const loan = start.loans.find((l) => l.id === id);
    const servicer = start.servicers.find((s) => s.id === loan?.servicerId);
    if (loan && servicer)
      return {
        existing: true,
        loanId: loan.id,
        account: loan.accountNumber,
        facts: { product: loan.product, principalResidence: loan.principalResidence },
        servicer,
      };
  } else ctx.out.note("No loan is recorded yet: add the one this letter is about.");
  if (start.counselor && ctx.clientName() === undefined)
    throw new UserError("in a counselor's home a new loan is a client's: name the client", {
      code: "CLIENT_REQUIRED",
      hint: 'run loanmail new --client "NAME" (add the client first with loanmail client add)',
    });
  const { servicer, newServicer } = await chooseServicer(ctx, start);
  const loan = await askLoan(ctx, start);
  return { existing: false, loan, servicer, newServicer };
}

async function chooseServicer(
  ctx: Context,
  start: WizardStart,
): Promise<{ servicer: Channels; newServicer: NewServicer | null }> {
  if (start.servicers.length > 0) {
    const id = await askChoice("Which servicer is the loan with?", [
      ...start.servicers.map((s) => ({ name: `${s.name} (${s.email})`, value: s.id })),
      { name: "A new servicer: add it", value: NEW },
    ]);
    const servicer = start.servicers.find((s) => s.id === id);
    if (servicer) return { servicer, newServicer: null };
  } else ctx.out.note("No servicer is recorded yet: add the loan's servicer (from your statement).");
  const s = await askServicer(ctx, start);
  const servicer = {
    name: s.name,
    email: s.email,
    noticeEmail: null,
    noticeAddress: s.noticeAddress,
    payoffEmail: null,
    payoffAddress: null,
    small: false,
  };
  return { servicer, newServicer: s };
}

/** A new servicer's name, correspondence email, reply domain and designated notice address. */
async function askServicer(ctx: Context, start: WizardStart): Promise<NewServicer> {
  const taken = new Set(start.servicers.map((s) => s.name.toLowerCase()));
  const name = await askText(ctx, {
    message: "The servicer's name, as on your statement:",
    flag: "NAME",
    example: 'loanmail servicer add "Mr. Cooper"',
    validate: (v) => {
      if (taken.has(v.toLowerCase())) return `"${v}" is already recorded; choose it from the list instead`;
      const r = textAnswer(v, 200);
      return "problem" in r ? r.problem : true;
    },
  });
  const email = await askText(ctx, {
    message: "Its customer-service email address:",
    flag: "--email",
    example: "--email help@example.com",
    validate: emailProblem,
  });
  const domain = await askText(ctx, {
    message: "The domain its replies come from:",
    flag: "--domain",
    example: "--domain example.com",
    default: email.split("@")[1]?.toLowerCase(),
    validate: (v) => {
      const r = problemOf(() => checkDomain(v));
      return "problem" in r ? r.problem : true;
    },
  });
  const notice = await askLines(ctx, {
    message:
      "Its designated address for notices of error and requests for information (on your statement; an empty line if you do not have it),",
    flag: "--notice-address",
    example: '--notice-address "PO Box 1\\nTown, ST 00001"',
    validate: (lines) => (lines.length === 0 ? true : addressProblem(lines)),
  });
  return { name, email, domains: [checkDomain(domain)], noticeAddress: notice.length ? notice.join("\n") : null };
}

/** A new loan's account number, property address and borrowers. */
async function askLoan(ctx: Context, start: WizardStart): Promise<NewLoan> {
  const known = new Set(start.loans.map((l) => accountDigits(l.accountNumber)));
  const account = await askText(ctx, {
    message: "The loan's account number, from your statement:",
    flag: "--account",
    example: "--account 1234567",
    validate: (v) => {
      const r = problemOf(() => validateAccountNumber(v));
      if ("problem" in r) return r.problem;
      return known.has(accountDigits(r.value)) ? `loan ${r.value} is already recorded; choose it from the list` : true;
    },
  });
  const property = await askLines(ctx, {
    message: "The property's address,",
    flag: "--property",
    example: '--property "12 Elm St, Springfield, IL 62701"',
    validate: addressProblem,
  });
  const borrowers = await askText(ctx, {
    message: "The borrowers' names, as on the loan (commas between them):",
    flag: "--borrower",
    example: '--borrower "Jane Q. Doe"',
    default: ctx.config().user.name,
    validate: (v) => {
      const r = textAnswer(v, 500);
      if ("problem" in r) return r.problem;
      return v.split(",").some((b) => b.trim()) ? true : "give at least one name";
    },
  });
  return {
    accountNumber: validateAccountNumber(account),
    propertyAddress: property.join("\n"),
    borrowers: borrowers
      .split(",")
      .map((b) => b.trim())
      .filter(Boolean),
  };
}
