/**
 * Which rung of the ladder the record supports. Escalation asks before it jumps: the rung above a formal letter is
 * the regulator only when the servicer missed the response a rule requires of that letter; a missed
 * acknowledgment alone, or an answer the borrower disputes, calls for a letter first (a follow-up, then an
 * escalation request). A rung the user picks on purpose (`to`) is still refused when the record does not show
 * what it needs, with the reason.
 *
 *   regulator  needs a missed response (or missed extended response) to a formal notice of error or request for
 *              information: 12 C.F.R. 1024.35(e)(3), 1024.35(e)(4), 1024.36(d)(2)
 *   formal     needs a letter that left to build the notice from, and no formal letter already in the chain
 *              (a second notice on the same matter is duplicative: 1024.35(g)(1)(i), 1024.36(f)(1)(i))
 *   legal      needs nothing more than a reason to escalate (the evidence bundle is for an attorney to judge)
 *   follow-up, escalation-request   need a letter that left (always true once a trigger holds)
 */
import type { IsoDate } from "./calendar.js";
import type { Clock } from "./clock-types.js";
import type { BasisClock, ChainCase, EscalationWords } from "./escalation-model.js";
import { isKindId, kindDef } from "./kinds.js";
import { effectiveStep, LADDER, type LadderStep } from "./ladder.js";
import { longDate } from "./letter-dates.js";
import type { LetterVoice } from "./voice.js";

/** The responses Regulation X requires of a formal letter, by clock id. */
export const REQUIRED_RESPONSE_CLOCKS: readonly string[] = [
  "noe-response", // 12 C.F.R. 1024.35(e)(3)
  "rfi-response", // 12 C.F.R. 1024.36(d)(2)(i)(B)
  "owner-response", // 12 C.F.R. 1024.36(d)(2)(i)(A)
  "relied-documents", // 12 C.F.R. 1024.35(e)(4)
];

const isRequiredResponse = (c: Clock) => c.party === "servicer" && REQUIRED_RESPONSE_CLOCKS.includes(c.id);

/** A servicer clock whose lenient due date passed before its answer came (or with none yet). */
function missedStatus(c: Clock): "late" | "met-late" | null {
  if (c.party !== "servicer" || !c.dueLenient || !c.businessDaysLate) return null;
  if (c.status === "late") return "late";
  if (c.status === "met" && (c.metBy || c.metByEvent)) return "met-late";
  return null;
}

/** Every servicer clock of the chain with a due date, as the proposal shows it (the clocks behind it). */
export function buildClockBasis(chain: readonly ChainCase[]): BasisClock[] {
  const out: BasisClock[] = [];
  for (const link of chain) {
    for (const c of link.clocks) {
      if (c.party !== "servicer" || !c.dueLenient) continue;
      if (c.status !== "open" && c.status !== "late" && c.status !== "met") continue;
      const missed = missedStatus(c);
      out.push({
        case: link.case.tag,
        clock: c.id,
        name: c.name,
        rule: c.rule,
        status: missed ?? (c.status === "met" ? "met" : c.status),
        dueStrict: c.dueStrict,
        due: c.dueLenient,
        extended: c.extendedBy !== null,
        businessDaysLate: missed ? c.businessDaysLate : null,
        ...(c.calendarDaysLate === undefined ? {} : { calendarDaysLate: missed ? c.calendarDaysLate : null }),
        arrivedOn: c.metBy?.on ?? c.metByEvent?.on ?? null,
      });
    }
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

/** The required responses of the chain's formal letters that were missed (late now, or answered after the due date). */
export function missedResponses(chain: readonly ChainCase[]): { link: ChainCase; clock: Clock }[] {
  return chain.flatMap((link) =>
    link.clocks.filter((c) => isRequiredResponse(c) && missedStatus(c) !== null).map((clock) => ({ link, clock })),
  );
}

/** The chain already stands on the formal rung (a formal notice or request is one of its cases). */
export function chainHasFormal(chain: readonly ChainCase[]): ChainCase | undefined {
  return chain.find((l) => effectiveStep(l.case) === "formal" && l.letters.some((x) => x.date !== null));
}

const rank = (s: LadderStep) => LADDER.indexOf(s);

/** Why the regulator rung is not open on `asOf`, and what the user can do instead. */
export function regulatorBlocker(chain: readonly ChainCase[], asOf: IsoDate): { reason: string; hint: string } {
  const last = chain.at(-1) as ChainCase;
  const id = last.case.id;
  const legal = `loanmail escalate ${id} --to legal`;
  const required = chain.flatMap((link) => link.clocks.filter(isRequiredResponse).map((clock) => ({ link, clock })));
  const base = "a regulator complaint rests on a missed response to a formal letter";
  const open = required.find((r) => r.clock.status === "open" && r.clock.dueLenient);
  if (open) {
    const c = open.clock;
    return {
      reason: `${base}, and the response to ${open.link.case.tag} (${c.rule}) is due ${c.dueLenient}${c.extendedBy ? " (extended)" : ""}: not missed on ${asOf}`,
      hint: `escalate after ${c.dueLenient} if it has not come`,
    };
  }
  const met = required.find((r) => r.clock.status === "met" && r.clock.metBy);
  if (met) {
    const c = met.clock;
    return {
      reason: `${base}, and the servicer answered ${met.link.case.tag} on ${c.metBy?.on}, within ${c.rule} (due ${c.dueLenient})`,
      hint: `if the answer says no error occurred, ask for the documents it relied on (loanmail compose relied-documents --loan LOAN --set case=${met.link.case.tag}, 12 C.F.R. 1024.35(e)(4)); for an attorney: ${legal}`,
    };
  }
  const waiting = required.find((r) => r.clock.status === "not-started" && r.clock.note);
  if (waiting) {
    return {
      reason: `${base}, and the response clock of ${waiting.link.case.tag} has not started: ${waiting.clock.note}`,
      hint: "record the delivery of the formal letter, then escalate once its response is late",
    };
  }
  const formal = chainHasFormal(chain);
  if (formal) {
    const na = formal.clocks.find((c) => c.status === "not-applicable" && c.note);
    return {
      reason: `${base}, and no response clock runs for ${formal.case.tag}${na?.note ? `: ${na.note}` : ""}`,
      hint: `for an attorney: ${legal}`,
    };
  }
  return {
    reason: `${base}, and no formal notice of error or request for information of this matter has left`,
    hint: `send one first: loanmail escalate ${id} --to formal`,
  };
}

export type RungChoice =
  | { ok: true; step: LadderStep; passedOver: string | null }
  | {
      ok: false;
      code: "ESCALATION_NOT_WARRANTED" | "RUNG_NOT_AVAILABLE" | "LADDER_EXHAUSTED";
      reason: string;
      hint: string;
    };

/**
 * The rung escalate proposes for the last case of the chain (whose record already holds a trigger): the regulator
 * once a formal letter's required response was missed; below that, the next letter, never a second formal notice
 * and never the regulator on a missed acknowledgment or a disputed answer alone.
 */
export function proposeRung(chain: readonly ChainCase[], asOf: IsoDate): RungChoice {
  const link = chain.at(-1) as ChainCase;
  const own = effectiveStep(link.case);
  const tag = link.case.tag;
  if (own === "legal") {
    return {
      ok: false,
      code: "LADDER_EXHAUSTED",
      reason: `case ${tag} is at the top of the ladder (legal)`,
      hint: `build the evidence bundle: loanmail export ${link.case.id} --out FILE.zip`,
    };
  }
  if (own === "regulator") return { ok: true, step: "legal", passedOver: null };
  if (missedResponses(chain).length > 0) return { ok: true, step: "regulator", passedOver: null };
  if (!chainHasFormal(chain) && own !== "formal") {
    return { ok: true, step: LADDER[rank(own) + 1] as LadderStep, passedOver: null };
  }
  // The chain holds a formal letter whose response was not missed: a letter, not the regulator.
  const blocked = regulatorBlocker(chain, asOf);
  const passedOver = `not the regulator rung: ${blocked.reason}`;
  if (own === "formal" || own === "inquiry") return { ok: true, step: "follow-up", passedOver };
  if (own === "follow-up") return { ok: true, step: "escalation-request", passedOver };
  return { ok: false, code: "ESCALATION_NOT_WARRANTED", reason: blocked.reason, hint: blocked.hint };
}

/** A rung the user picked on purpose: allowed when the record shows what it needs, else why not. */
export function checkChosenRung(chain: readonly ChainCase[], to: LadderStep, asOf: IsoDate): RungChoice {
  const link = chain.at(-1) as ChainCase;
  const own = effectiveStep(link.case);
  const tag = link.case.tag;
  const no = (reason: string, hint: string): RungChoice => ({ ok: false, code: "RUNG_NOT_AVAILABLE", reason, hint });
  if (to === "inquiry")
    return no("the inquiry is where a matter starts, not a rung to escalate to", "pick a rung above it");
  if ((to === "regulator" || to === "legal") && own === to) {
    return no(`case ${tag} is already on the ${to} rung`, `see what it holds: loanmail show ${link.case.id}`);
  }
  if (to === "regulator") {
    if (missedResponses(chain).length > 0) return { ok: true, step: to, passedOver: null };
    const b = regulatorBlocker(chain, asOf);
    return no(`no regulator complaint for ${tag}: ${b.reason}`, b.hint);
  }
  if (to === "formal") {
    const formal = chainHasFormal(chain);
    if (formal) {
      const left = formal.letters.find((l) => l.date !== null);
      return no(
        `${formal.case.tag} is already the formal letter of this matter${left?.date ? ` (it left on ${left.date})` : ""}; a second notice on the same error or request is duplicative, and the servicer need not answer it (12 C.F.R. 1024.35(g)(1)(i), 1024.36(f)(1)(i))`,
        `follow it up instead: loanmail escalate ${link.case.id} --to follow-up`,
      );
    }
  }
  return { ok: true, step: to, passedOver: null };
}

/** The open response a follow-up under a formal letter reminds the servicer of, in the letter's words. */
export function openResponseSentence(chain: readonly ChainCase[], words: EscalationWords): string {
  for (const link of chain) {
    const c = link.clocks.find((x) => isRequiredResponse(x) && x.status === "open" && x.dueLenient);
    const left = link.letters.find((l) => l.date !== null);
    if (c?.dueLenient && left) {
      return words.openResponse(isKindId(left.kind) ? kindDef(left.kind).label : null, c.dueLenient, c.rule);
    }
  }
  return "";
}

/** openResponseSentence in English: the kind's label in lower case, or "letter". */
export function openResponseEn(
  kindLabel: string | null,
  due: IsoDate,
  rule: string,
  voice: LetterVoice = "borrower",
): string {
  const whose = voice === "counselor" ? "the" : "my";
  return `Your response to ${whose} ${kindLabel?.toLowerCase() ?? "letter"} is due by ${longDate(due)} (${rule}).`;
}
