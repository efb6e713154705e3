/**
 * The language a new letter of a loan is written in (src/domain/language.ts): `compose --lang`, else the loan's
 * (`loan set --lang`), else the client's preferred language from the intake when it is Spanish, else English.
 */
import { type LanguageSource, type LetterLanguage, letterLanguage } from "../domain/language.js";
import { getClientRow } from "../store/clients.js";
import type { Db } from "../store/db.js";
import type { Loan } from "../store/loans.js";

/** The preferred language of the loan's client, as the intake records it (`client add --language`), if any. */
function clientPreference(db: Db, clientId: number): string | undefined {
  const row = getClientRow(db, clientId);
  if (!row) return undefined;
  try {
    const intake = JSON.parse(row.intake) as { language?: unknown };
    return typeof intake.language === "string" ? intake.language : undefined;
  } catch {
    return undefined;
  }
}

export function languageOfLetter(
  db: Db,
  loan: Pick<Loan, "lang" | "clientId">,
  asked: LetterLanguage | undefined,
): { lang: LetterLanguage; from: LanguageSource } {
  if (asked || loan.lang) return letterLanguage(asked, loan.lang, undefined);
  return letterLanguage(undefined, null, clientPreference(db, loan.clientId));
}
