/** What `compose` prints of a letter it drafted: the --json document of one letter, and the steps of a signed one. */
import { isKindId, kindDef } from "../domain/kinds.js";
import { LANGUAGE_NAMES, type LanguageSource } from "../domain/language.js";

export type Composed = Awaited<ReturnType<typeof import("../app/compose.js").composeLetter>>;

/** One composed letter as `compose --json` reports it. */
export function composedDoc(r: Composed) {
  const d = r.decision;
  return {
    id: r.messageRowId,
    messageId: r.messageId,
    subject: r.subject,
    channel: d.channel,
    formal: d.formal,
    to: d.to,
    postalAddress: d.postalAddress,
    state: "draft",
    sha256: r.sha256,
    size: r.size,
    exhibits: r.exhibits,
    writtenOn: r.writtenOn,
    dated: r.dated,
    priorServicer: r.priorServicer,
    lang: r.lang,
  };
}

export const signedByBorrowers = (kind: string) => isKindId(kind) && kindDef(kind).signedByBorrowers === true;

/** What to do with a letter every borrower signs: print, sign, send on paper or upload, keep the signed copy. */
export function signingSteps(r: Composed, id: number, servicerForm: boolean): string {
  const leave =
    r.decision.channel === "post"
      ? `mail it certified, then loanmail mailed ${id} --tracking T`
      : `upload or fax the signed copy, then loanmail sent ${id} --via portal --date D --file signed.pdf`;
  return [
    `Next: loanmail show ${id} --pdf authorization.pdf; every borrower signs and dates it${servicerForm ? `, and ${r.exhibits[0]?.exhibit} (the servicer's own form)` : ""}; ${leave}.`,
    `      It is never emailed as text: an unsigned email body authorizes nothing.`,
    `      Keep the signed copy: loanmail authorization add --loan ${r.caseRecord.loanId} --file signed.pdf --authorized NAME --signed-on D`,
  ].join("\n");
}

const LANGUAGE_FROM: Record<LanguageSource, string> = {
  flag: "--lang",
  loan: "the loan's language",
  client: "the client's preferred language",
  default: "the default",
};

/** The line that says a letter is not in English, and why; null for an English letter. */
export function languageLine(r: Composed): string | null {
  if (r.lang === "en") return null;
  return `  in ${LANGUAGE_NAMES[r.lang]} (${LANGUAGE_FROM[r.langFrom]}); the subject stays in the servicer's English format`;
}
