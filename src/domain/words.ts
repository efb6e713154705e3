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

/** Edits (insert, delete, replace) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++)
      next[j] = Math.min(
        (row[j] ?? 0) + 1,
        (next[j - 1] ?? 0) + 1,
        (row[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    row = next;
  }
  return row[b.length] ?? 0;
}

/**
 * What the user probably meant by a mistyped name: the one candidate that starts with or contains it ("payoff"
 * gives payoff-statement), else the nearest by a few typing slips ("late-fee-dispte"); undefined when no single
 * candidate stands out.
 */
export function didYouMean(typed: string, candidates: readonly string[]): string | undefined {
  const t = typed.trim().toLowerCase();
  if (!t) return undefined;
  const containing = candidates.filter((c) => c.startsWith(t) || (t.length >= 4 && c.includes(t)));
  if (containing.length === 1) return containing[0];
  const scored = candidates.map((c) => ({ c, d: editDistance(t, c) })).sort((x, y) => x.d - y.d);
  const best = scored[0];
  if (!best || best.d > Math.max(2, Math.floor(t.length / 4))) return undefined;
  return scored[1]?.d === best.d ? undefined : best.c;
}
