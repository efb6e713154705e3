/**
 * The language a letter is written in (docs/ARCHITECTURE.md, "Letters in Spanish"). Its body, dates, exhibit
 * names and PDF are in that language; its subject stays in the servicer's English format (subject.ts), so that
 * the servicer's systems route it. loanmail's own messages stay English. Pure.
 */

/** The languages a letter can be written in: each kind has a template per language (templates/<kind>.<lang>.md). */
export const LETTER_LANGUAGES = ["en", "es"] as const;
export type LetterLanguage = (typeof LETTER_LANGUAGES)[number];

/** Each language by its English name, as output names it. */
export const LANGUAGE_NAMES: Readonly<Record<LetterLanguage, string>> = { en: "English", es: "Spanish" };

export function isLetterLanguage(value: unknown): value is LetterLanguage {
  return typeof value === "string" && (LETTER_LANGUAGES as readonly string[]).includes(value);
}

/** Where a letter's language came from: `compose --lang`, the loan (`loan set --lang`), the client's intake. */
export type LanguageSource = "flag" | "loan" | "client" | "default";

/**
 * The language of a new letter: the one asked for (`compose --lang`), else the loan's (`loan set --lang`), else
 * Spanish when the client's intake names Spanish as its preferred language ("es", "es-MX", ...), else English.
 * A preferred language loanmail has no letters in (vi, zh, ...) gives English: the counselor decides.
 */
export function letterLanguage(
  asked: LetterLanguage | undefined,
  loan: LetterLanguage | null | undefined,
  clientPreferred: string | undefined,
): { lang: LetterLanguage; from: LanguageSource } {
  if (asked) return { lang: asked, from: "flag" };
  if (loan) return { lang: loan, from: "loan" };
  if (clientPreferred && /^es(?:-|$)/i.test(clientPreferred.trim())) return { lang: "es", from: "client" };
  return { lang: "en", from: "default" };
}
