/**
 * The choices of the CFPB complaint form proposed from the record: the product (Mortgage), the sub-product from the
 * loan, the issue from the kind of letter, and the answer to "Have you already tried to fix this problem with the
 * company?" from the letters that left. The portal's labels change from time to time: the packet says to pick the
 * closest choice offered. In a counselor's home (voice.ts) the letters are not claimed as the counselor's, and the
 * loan is not called theirs.
 */
import type { IsoDate } from "./calendar.js";
import type { LoanParties } from "./escalation-model.js";
import { longDate } from "./letter-dates.js";
import type { LetterVoice } from "./voice.js";

export interface CfpbFormAnswers {
  product: string;
  subProduct: string;
  issue: string;
  triedToFix: string;
}

/** Letter kinds about being unable to pay (loss mitigation); every other kind is about the servicing of payments. */
const STRUGGLING: ReadonlySet<string> = new Set(["loss-mitigation"]);

function subProductOf(product: LoanParties["product"], voice: LetterVoice): string {
  // Said to the user: a counselor's client's loan is "the loan", not "your loan".
  const your = voice === "counselor" ? "the" : "your";
  switch (product) {
    case "heloc":
      return "Home equity loan or line of credit (HELOC)";
    case "reverse":
      return "Reverse mortgage";
    case "closed-end":
      return `Conventional home mortgage (or FHA, VA or USDA mortgage, if ${your} loan is one: ${your} Note or ${your} statement says)`;
    default:
      return `the type of ${your} mortgage (see ${your} Note or statement)`;
  }
}

/** The answer to "Have you already tried to fix this problem with the company?" when letters left. */
function triedToFix(
  servicer: string,
  letters: readonly { date: IsoDate; how: string }[],
  first: { date: IsoDate; how: string },
  replies: number,
  voice: LetterVoice,
): string {
  const times = letters.length === 1 ? "once" : `${letters.length} times`;
  if (voice === "counselor") {
    // The letters may include the borrower's own: that they left, not who wrote them.
    const answered =
      replies === 0
        ? ", and no reply was received"
        : `, and ${replies} repl${replies === 1 ? "y that did not resolve it was" : "ies that did not resolve it were"} received`;
    return `Yes. ${servicer} was written to ${times}, first on ${longDate(first.date)} (${first.how})${answered}.`;
  }
  return `Yes. I wrote to ${servicer} ${times}, first on ${longDate(first.date)} (${first.how})${
    replies === 0
      ? ", and received no reply"
      : `, and received ${replies} repl${replies === 1 ? "y" : "ies"} that did not resolve it`
  }.`;
}

export function cfpbFormAnswers(
  loan: LoanParties,
  rootKind: string | undefined,
  letters: readonly { date: IsoDate; how: string }[],
  replies: number,
  voice: LetterVoice = "borrower",
): CfpbFormAnswers {
  const first = letters[0];
  const tried = first
    ? triedToFix(loan.servicerName, letters, first, replies, voice)
    : "No letter has left yet: the record shows no attempt to fix it with the company.";
  return {
    product: "Mortgage",
    subProduct: subProductOf(loan.product, voice),
    issue: rootKind && STRUGGLING.has(rootKind) ? "Struggling to pay mortgage" : "Trouble during payment process",
    triedToFix: tried,
  };
}
