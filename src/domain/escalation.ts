/**
 * The escalation ladder (docs/ARCHITECTURE.md), as pure rules: where a case stands, whether the record warrants
 * climbing, the next step, the letter it needs, and the words that cite the history. The caller reads the chain of
 * cases (the case and its ancestors), their letters, replies and computed clocks, and passes `asOf`; nothing here
 * touches the disk, the database or the clock.
 *
 *   inquiry → follow-up → escalation-request → formal (NOE / RFI at the designated channel)
 *           → regulator (CFPB complaint packet; state regulator) → legal (evidence bundle)
 */
import type { ErrorCode } from "../errors.js";
import { lateBy } from "./clock-types.js";
import { buildCitations, buildMissedClocks, buildProtectionCitations } from "./escalation-citations.js";
import { ESCALATION_EN, ESCALATION_EN_COUNSELOR } from "./escalation-en.js";
import { buildFormalLetterEs, ESCALATION_ES, ESCALATION_ES_COUNSELOR } from "./escalation-es.js";
import {
  type ChainCase,
  type EscalationInput,
  type EscalationPlan,
  type EscalationRefusal,
  type EscalationWords,
  firstLeft,
  type PlannedLetter,
  type Trigger,
} from "./escalation-model.js";
import {
  buildClockBasis,
  checkChosenRung,
  missedResponses,
  openResponseSentence,
  proposeRung,
} from "./escalation-rungs.js";
import { findTriggers, refusalFor } from "./escalation-triggers.js";
import { buildFormalLetter } from "./formal-letter.js";
import { kindDef } from "./kinds.js";
import { effectiveStep, type LadderStep } from "./ladder.js";
import { withArticle } from "./words.js";

// The public entry of the escalation rules: importers outside the domain keep this one path.
export { buildCfpbComplaint, CFPB_TEXT_LIMIT, type CfpbComplaint } from "./cfpb-complaint.js";
export { buildCitations, buildMissedClocks, citeLetter, citeReply } from "./escalation-citations.js";
export type {
  BasisClock,
  ChainCase,
  ChildCase,
  Citation,
  CitedProtection,
  EscalationInput,
  EscalationPlan,
  EscalationRefusal,
  HistoryLetter,
  HistoryReply,
  LoanParties,
  MissedClock,
  PlannedLetter,
  Trigger,
  TriggerKind,
} from "./escalation-model.js";
export { REQUIRED_RESPONSE_CLOCKS } from "./escalation-rungs.js";
export { findTriggers } from "./escalation-triggers.js";
export { buildFormalLetter, ERROR_DISPUTE_KINDS } from "./formal-letter.js";
export {
  effectiveStep,
  isLadderStep,
  LADDER,
  type LadderCase,
  type LadderStatus,
  type LadderStep,
  nextStep,
} from "./ladder.js";

/** What escalating to `step` does, for the user. */
function actionFor(step: LadderStep, letter: PlannedLetter | null, tag: string): string {
  if (letter) {
    const label = kindDef(letter.kind).label.toLowerCase();
    return `draft ${withArticle(`${letter.formal ? "formal " : ""}${label}`)} letter as a new case continuing ${tag} (nothing is sent until you send or mail it)`;
  }
  if (step === "regulator") {
    return `write the CFPB complaint packet for ${tag} (the complaint's text and copies of every cited letter and reply) and put ${tag} on the regulator rung (nothing is filed until you file it)`;
  }
  return `put ${tag} on the legal rung and point to the evidence bundle for an attorney or legal aid office`;
}

/**
 * What the new letter asks beyond its template, in its voice. The follow-up and escalation request templates ask
 * for the answer and a supervisor, a formal letter's paragraph gives notice under its rule: their summary only
 * reminds the servicer of a response still running. Regulator and legal write no letter.
 */
function askFor(step: LadderStep, chain: readonly ChainCase[], words: EscalationWords): string {
  switch (step) {
    case "follow-up":
    case "escalation-request":
      return openResponseSentence(chain, words);
    case "formal":
      return "";
    case "regulator":
      return words.regulatorAsk;
    default:
      return words.legalAsk;
  }
}

/**
 * The new letter's summary paragraph in `words`' language: the history, every missed clock, why the matter is
 * not resolved, the protections in force and the ask. Built from the record again for each language, so that the
 * plan's own texts (for the user) stay English.
 */
function summaryIn(
  words: EscalationWords,
  input: EscalationInput,
  link: ChainCase,
  step: LadderStep,
  fromChain: Trigger | null,
): string {
  const triggers = [...findTriggers(link, words), ...(fromChain ? [fromChain] : [])];
  return [
    `${words.history} ${buildCitations(input.chain, words)
      .map((x) => x.text)
      .join(" ")}`,
    ...buildMissedClocks(input.chain, input.asOf, words).map((m) => m.text),
    ...triggers.map((t) => t.sentence).filter(Boolean),
    ...buildProtectionCitations(link.protections ?? [], words).map((p) => p.text),
    askFor(step, input.chain, words),
  ]
    .filter(Boolean)
    .join(" ");
}

/** The phrasebook of the new letter: its language, and its voice (a counselor's names the borrower's acts as theirs). */
function letterWordsOf(input: EscalationInput): EscalationWords {
  if (input.voice === "counselor") return input.lang === "es" ? ESCALATION_ES_COUNSELOR : ESCALATION_EN_COUNSELOR;
  return input.lang === "es" ? ESCALATION_ES : ESCALATION_EN;
}

/**
 * Late required responses of the chain's other cases, as a trigger for the case that continues them; only once
 * that case's own letter left (a draft continues nothing yet).
 */
function chainTrigger(input: EscalationInput, link: ChainCase): Trigger | null {
  if (!link.letters.some((l) => l.date !== null)) return null;
  const late = missedResponses(input.chain).filter((m) => m.link !== link && m.clock.status === "late");
  if (late.length === 0) return null;
  return {
    kind: "late-clock",
    text: late.map(({ link: l, clock: c }) => `${c.name} of ${l.case.tag} (${c.rule}) is ${lateBy(c)} late`).join("; "),
    sentence: "",
  };
}

/**
 * Decide whether the case's record warrants escalation and, if so, propose the rung (or check the one the user
 * picked, `input.to`), its letter and its summary paragraph. Triggers: a late servicer clock (no substantive reply
 * met it); only an acknowledgment by the response due date; an exception the user disputes (status `unresolved`
 * after an exception reply); the user's own `resolve --unresolved`. The rung follows escalation-rungs.ts: the
 * regulator only after a missed response to a formal letter. Otherwise a refusal that says why and what to do.
 */
export function planEscalation(input: EscalationInput): EscalationPlan | EscalationRefusal {
  const link = input.chain.at(-1);
  if (!link) throw new Error("planEscalation needs the case to escalate");
  const c = link.case;
  const refuse = (code: ErrorCode, reason: string, hint: string): EscalationRefusal => ({
    ok: false,
    case: c.tag,
    code,
    reason,
    hint,
  });
  if (c.status === "discarded") {
    return refuse("CASE_DISCARDED", `case ${c.tag} was discarded`, "a discarded case cannot be escalated");
  }
  if (c.status === "resolved") {
    return refuse(
      "CASE_RESOLVED",
      `case ${c.tag} is resolved`,
      `if the servicer's answer did not resolve it after all: loanmail resolve ${c.id} --unresolved`,
    );
  }
  const from = effectiveStep(c);
  if (input.to === undefined && from === "legal") {
    return refuse(
      "LADDER_EXHAUSTED",
      `case ${c.tag} is at the top of the ladder (legal)`,
      `build the evidence bundle: loanmail export ${c.id} --out FILE.zip`,
    );
  }
  const active = input.children.find((ch) => ch.status !== "discarded");
  if (active) {
    return refuse(
      "CASE_ALREADY_ESCALATED",
      `case ${c.tag} was already escalated: ${active.tag} (${active.step}) continues it`,
      `escalate that case instead: loanmail escalate ${active.tag}`,
    );
  }
  // The plan's texts are for the user, in English and in the letter's voice: in a counselor's home the letters
  // cited, the payment and the application are the borrower's there too.
  const userWords = input.voice === "counselor" ? ESCALATION_EN_COUNSELOR : ESCALATION_EN;
  const triggers = findTriggers(link, userWords);
  const fromChain = triggers.some((t) => t.kind === "late-clock") ? null : chainTrigger(input, link);
  if (fromChain) triggers.push(fromChain);
  const trigger = triggers[0];
  if (!trigger) {
    const r = refusalFor(link, input.asOf);
    return refuse(r.code, r.reason, r.hint);
  }
  const rung =
    input.to === undefined ? proposeRung(input.chain, input.asOf) : checkChosenRung(input.chain, input.to, input.asOf);
  if (!rung.ok) return refuse(rung.code, rung.reason, rung.hint);
  const step = rung.step;

  let letter: PlannedLetter | null = null;
  if (step === "follow-up" || step === "escalation-request") {
    letter = { kind: step, formal: false, fields: { case: c.tag } };
  } else if (step === "formal") {
    const root = firstLeft(input.chain[0]) ?? firstLeft(link);
    if (!root)
      return refuse("NO_LETTER_LEFT", `case ${c.tag} has no letter that left`, "send the original letter first");
    letter = input.lang === "es" ? buildFormalLetterEs(root, input.voice) : buildFormalLetter(root, input.voice);
  }
  // The plan's texts are for the user (English); the letter's summary is in the letter's language.
  const cites = buildCitations(input.chain, userWords);
  const missed = buildMissedClocks(input.chain, input.asOf, userWords);
  const protections = buildProtectionCitations(link.protections ?? [], userWords);
  const ask = askFor(step, input.chain, userWords);
  const summary = summaryIn(letterWordsOf(input), input, link, step, fromChain);
  return {
    ok: true,
    case: c.tag,
    from,
    step,
    lang: input.lang ?? "en",
    chosen: input.to !== undefined,
    action: actionFor(step, letter, c.tag),
    passedOver: rung.passedOver,
    clocks: buildClockBasis(input.chain),
    trigger,
    triggers,
    letter,
    formal: letter?.formal ?? false,
    cites,
    missed,
    protections,
    ask,
    summary,
  };
}
