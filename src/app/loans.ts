/** Loans: adding, changing and listing them, and servicing transfers (the old servicer and number stay known). */
import { type Clock, loanTransferRules, type Protection } from "../domain/clocks.js";
import { UserError } from "../errors.js";
import { findClientByName, listClientRows } from "../store/clients.js";
import { inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import {
  ensureClient,
  insertLoan,
  type Loan,
  type LoanInput,
  listLoans as listStoredLoans,
  transferLoan as moveLoan,
  updateLoan,
} from "../store/loans.js";
import { requireServicer } from "../store/servicers.js";
import { fenceId, requireLoanFor } from "./client-scope.js";
import { counselorHome } from "./counselor-home.js";
import type { Session } from "./session.js";

export type { Loan, Product } from "../store/loans.js";

/** A loan's fields as the user gives them: the servicer by name or id. */
export type LoanFields = Partial<Omit<LoanInput, "servicerId">> & { servicer?: string };

function resolveFields(s: Session, fields: LoanFields): Partial<LoanInput> {
  const { servicer, ...rest } = fields;
  return { servicerId: servicer === undefined ? undefined : requireServicer(s.db(), servicer).id, ...rest };
}

/**
 * The client a new loan is for. In a counselor's home: the client named with --client, added first with
 * `client add` (the counselor is no client). In a borrower's home: the one named (created on first use), else the
 * user.
 */
function loanClient(s: Session, clientName: string | undefined): number {
  const db = s.db();
  if (counselorHome(db)) {
    if (clientName === undefined)
      throw new UserError("in a counselor's home a loan is a client's: name the client with --client NAME", {
        code: "CLIENT_REQUIRED",
        hint: `add the client first: loanmail client add "NAME" ..., then loanmail loan add --client "NAME" ... (clients: ${
          listClientRows(db)
            .map((c) => c.name)
            .join(", ") || "none yet"
        })`,
      });
    const found = findClientByName(db, clientName);
    if (!found)
      throw new UserError(`no client "${clientName}"`, {
        code: "CLIENT_NOT_FOUND",
        hint: `add the client first: loanmail client add "${clientName}" (loanmail client list lists them)`,
      });
    return found.id;
  }
  return ensureClient(db, clientName ?? s.config().user.name, s.nowIso);
}

/** Add a loan for a client, with loanmail's defaults for what was not said. */
export function addLoan(
  s: Session,
  clientName: string | undefined,
  fields: LoanFields & Pick<LoanInput, "accountNumber" | "propertyAddress" | "borrowers"> & { servicer: string },
): Loan {
  const db = s.db();
  const input = resolveFields(s, fields);
  return inTransaction(db, () => {
    const clientId = loanClient(s, clientName);
    const created = insertLoan(
      db,
      clientId,
      {
        servicerId: input.servicerId ?? requireServicer(db, fields.servicer).id,
        accountNumber: fields.accountNumber,
        propertyAddress: fields.propertyAddress,
        borrowers: fields.borrowers,
        product: input.product ?? "closed-end",
        principalResidence: input.principalResidence ?? true,
        arm: input.arm ?? false,
        delinquentSince: input.delinquentSince ?? null,
        lang: input.lang ?? null,
      },
      s.nowIso,
    );
    appendEvent(db, {
      caseId: null,
      loanId: created.id,
      at: s.nowIso,
      type: "loan-added",
      actor: "user",
      data: { ...created },
    });
    return created;
  });
}

/** Change a loan (id or account number). */
export function changeLoan(s: Session, ref: string, fields: LoanFields): Loan {
  const db = s.db();
  const current = requireLoanFor(s, ref);
  const input = resolveFields(s, fields);
  return inTransaction(db, () => {
    const updated = updateLoan(db, current, input);
    appendEvent(db, {
      caseId: null,
      loanId: updated.id,
      at: s.nowIso,
      type: "loan-changed",
      actor: "user",
      data: { ...updated },
    });
    return updated;
  });
}

/** Loans of the fenced client, or of every client. */
export function listLoans(s: Session): Loan[] {
  return listStoredLoans(s.db(), fenceId(s));
}

export interface Transfer {
  before: Loan;
  after: Loan;
  toServicer: string;
  /** What the transfer gives the borrower, computed from the effective date (src/domain/transfer-rules.ts). */
  rules: { deadlines: Clock[]; protections: Protection[] };
}

/** Record that servicing moved on `on` to another servicer under a new account number. */
export function transferLoan(s: Session, ref: string, to: string, account: string, on: string): Transfer {
  const db = s.db();
  const loan = requireLoanFor(s, ref);
  const servicer = requireServicer(db, to);
  if (servicer.id === loan.servicerId && account === loan.accountNumber)
    throw new UserError("that is the loan's current servicer and account", {
      code: "NOTHING_TO_TRANSFER",
      hint: "nothing to transfer",
    });
  // The old servicer's designations of that day: where a notice about its handling still goes for a year.
  const from = requireServicer(db, loan.servicerId);
  const after = inTransaction(db, () => {
    const moved = moveLoan(db, loan, servicer.id, account, on);
    appendEvent(db, {
      caseId: null,
      loanId: loan.id,
      at: s.nowIso,
      type: "transfer",
      actor: "user",
      data: {
        on,
        from_servicer: loan.servicerName,
        from_account: loan.accountNumber,
        to_servicer: servicer.name,
        to_account: account,
        from_notice_address: from.noticeAddress,
        from_notice_email: from.noticeEmail,
      },
    });
    return moved;
  });
  const transfer = { from: loan.servicerName, to: servicer.name, on };
  // As of the transfer day itself: the protection runs from it, the year to write to the old servicer too.
  const rules = loanTransferRules(loan.product, [transfer], on);
  return { before: loan, after, toServicer: servicer.name, rules };
}
