/**
 * `loanmail new` (the guided terminal, src/cli/wizard/): what the wizard lists before it asks, and the one write
 * at its end. The servicer and loan typed in the wizard (if new) and the letter land together or not at all: the
 * existing use cases (addServicer, addLoan, composeLetter) run in that order inside one
 * transaction, so a refusal of the letter leaves no servicer or loan behind.
 */
import { caseTag } from "../domain/subject.js";
import { nextCaseId } from "../store/cases.js";
import { inTransactionAsync } from "../store/db.js";
import type { Loan, LoanInput } from "../store/loans.js";
import type { Servicer, ServicerInput } from "../store/servicers.js";
import { type ComposeRequest, type ComposeResult, composeLetter } from "./compose.js";
import { counselorHome } from "./counselor-home.js";
import { addLoan, listLoans } from "./loans.js";
import { addServicer, listServicers } from "./servicers.js";
import type { Session } from "./session.js";

export interface WizardStart {
  loans: Loan[];
  servicers: Servicer[];
  /** A counselor's home: a new loan needs the client named with --client. */
  counselor: boolean;
  /** The tag the next case would get, for the summary's subject line (another command may take it first). */
  nextTag: string;
}

/** The loans (of the fenced client) and servicers to choose from. */
export function wizardStart(s: Session): WizardStart {
  const db = s.db();
  return {
    loans: listLoans(s),
    servicers: listServicers(s),
    counselor: counselorHome(db) !== undefined,
    nextTag: caseTag(s.prefix(), nextCaseId(db)),
  };
}

export interface NewLetter {
  /** A servicer typed in the wizard, added first. */
  servicer?: { name: string; input: ServicerInput & { email: string } };
  /** A loan typed in the wizard, added next (at `servicer`'s name when new, else at the one chosen). */
  loan?: { servicer: string } & Pick<LoanInput, "accountNumber" | "propertyAddress" | "borrowers">;
  /** The letter; its `loan` is filled in when the loan is new. */
  letter: ComposeRequest;
}

export interface NewLetterResult {
  servicer: Servicer | null;
  loan: Loan | null;
  letter: ComposeResult;
}

/** Add what is new, then compose the letter, in one transaction: all of it is written, or nothing. */
export async function writeNewLetter(s: Session, req: NewLetter): Promise<NewLetterResult> {
  const db = s.db();
  return inTransactionAsync(db, async () => {
    const servicer = req.servicer ? addServicer(s, req.servicer.name, req.servicer.input) : null;
    const loan = req.loan ? addLoan(s, s.clientName?.(), req.loan) : null;
    const letter = await composeLetter(
      { db, config: s.config(), prefix: s.prefix(), now: s.now, scope: s },
      loan ? { ...req.letter, loan: String(loan.id) } : req.letter,
    );
    return { servicer, loan, letter };
  });
}
