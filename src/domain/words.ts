/** Small English: "1 message" and "2 messages", "an other reply" never; counts and articles people read. */

/** `n` and the noun, singular for exactly one ("1 chain", "0 chains", "12 events"). */
export function count(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : pluralForm}`;
}

/** "a" or "an" before `word`, by how it sounds at its start ("an other reply", "an information request"). */
export function article(word: string): "a" | "an" {
  const w = word.trim().toLowerCase();
  // Letters said with a vowel sound although written otherwise, and the other way round.
  if (/^(hour|honest|heir)/.test(w)) return "an";
  if (/^(uni|use|usu|eu|one\b|once)/.test(w)) return "a";
  return /^[aeiou]/.test(w) ? "an" : "a";
}

/** The word with its article: "an acknowledgment", "a response". */
export function withArticle(word: string): string {
  return `${article(word)} ${word}`;
}
