/**
 * The letter lint (docs/ARCHITECTURE.md, "Letters and channels"): refuses a body that would email sensitive numbers or has lost the elements a
 * servicer matches letters by, and warns about tone and scope that give a servicer grounds to brush a letter off.
 * Pure: the caller supplies the body and the values it already knows are safe.
 */

import { finding, LineIndex, type LintFinding, type LintInput, type LintResult } from "./lint-finding.js";
import { manyErrors, overbroad, ownerAsked } from "./lint-scope.js";
import { sensitiveNumbers } from "./lint-sensitive-numbers.js";
import { INSULT, insultFinding, phraseFindings, shouting, THREATS, threatFinding } from "./lint-tone.js";

// The public entry of the lint: importers outside the domain keep this one path.
export {
  type LintFinding,
  type LintInput,
  type LintResult,
  type LintSeverity,
  maskDigits,
} from "./lint-finding.js";
export { abaValid, luhnValid } from "./lint-sensitive-numbers.js";

/** Check a letter body before it is sent: sensitive numbers and missing elements refuse, tone and scope warn. */
export function lintLetter(input: LintInput): LintResult {
  const lines = new LineIndex(input.body);
  const refusals = [...sensitiveNumbers(input, lines), ...missingElements(input)];
  const warnings = [
    ...shouting(input),
    ...phraseFindings(input.body, lines, INSULT, insultFinding),
    ...phraseFindings(input.body, lines, THREATS, threatFinding),
    ...manyErrors(input, lines),
    ...overbroad(input.body, lines),
    ...ownerAsked(input, lines),
  ].sort((a, b) => a.line - b.line || a.column - b.column);
  return { refusals, warnings };
}

// Missing elements

function normalizeText(text: string): string {
  return text.replace(/\s+/g, " ").trim().toLowerCase();
}

function missingElements(input: LintInput): LintFinding[] {
  const body = normalizeText(input.body);
  return input.required
    .filter((r) => {
      const value = normalizeText(r.value);
      return value !== "" && !body.includes(value);
    })
    .map((r) =>
      finding(
        "missing-element",
        "refuse",
        { line: 1, column: 1 },
        r.value,
        `the letter no longer states the ${r.label} (${r.value})`,
        "put it back; servicers match letters to loans by it",
      ),
    );
}
