/** Whether a case's record warrants escalation (its triggers), and if not, why not and what the user can do. */
import type { IsoDate } from "./calendar.js";
import { type Clock, lateBy } from "./clock-types.js";
import type { ChainCase, EscalationWords, HistoryReply, Trigger } from "./escalation-model.js";
import { longDate } from "./letter-dates.js";
import { isRespaViolation } from "./options.js";
import type { ReplyClass } from "./reply-classes.js";
import type { LetterVoice } from "./voice.js";

const SUBSTANTIVE: readonly ReplyClass[] = ["response", "exception"];

/** A clock an acknowledgment does not meet: the one a real answer is due by. */
function isResponseClock(c: Clock): boolean {
  return !c.id.endsWith("-ack") && !c.id.startsWith("promise-");
}

/** The trigger sentences in English (letter voice; escalation-es.ts has them in Spanish). */
export const disputedEn = (on: IsoDate, voice: LetterVoice = "borrower") =>
  `I dispute your answer of ${longDate(on)} declining ${voice === "counselor" ? "the" : "my"} request; the matter is not resolved.`;
export const unresolvedEn = (last: { class: ReplyClass; date: IsoDate } | null) =>
  last
    ? `Your ${last.class === "response" ? "answer" : "reply"} of ${longDate(last.date)} does not resolve the matter.`
    : "The matter is not resolved.";
export const acknowledgedOnlyEn = (on: IsoDate, voice: LetterVoice = "borrower") =>
  `You acknowledged ${voice === "counselor" ? "the" : "my"} letter on ${longDate(on)} but have not answered it.`;

/** The triggers that hold for the case on `asOf`, most specific first; their sentences in `words`. */
export function findTriggers(link: ChainCase, words: EscalationWords): Trigger[] {
  const triggers: Trigger[] = [];
  const { replies, clocks } = link;
  const tag = link.case.tag;
  const sorted = [...replies].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.message - b.message));
  if (link.case.status === "unresolved") {
    const exception = [...sorted].reverse().find((r) => r.class === "exception");
    const last = sorted.at(-1);
    if (exception) {
      triggers.push({
        kind: "exception-disputed",
        text: `the servicer declined to answer on ${exception.date} (exception) and you dispute it (${tag} is marked unresolved)`,
        sentence: words.disputed(exception.date),
        reply: { class: exception.class, date: exception.date },
      });
    } else {
      triggers.push({
        kind: "unresolved",
        text: last
          ? `you marked ${tag} unresolved after the servicer's ${last.class} of ${last.date}`
          : `you marked ${tag} unresolved`,
        sentence: words.unresolved(last ?? null),
        reply: last ? { class: last.class, date: last.date } : null,
      });
    }
  }
  const late = clocks.filter((c) => c.party === "servicer" && c.status === "late");
  const substantive = sorted.filter((r) => SUBSTANTIVE.includes(r.class));
  const acks = sorted.filter((r) => r.class === "acknowledgment");
  const lateResponse = late.find(isResponseClock);
  if (lateResponse && acks.length > 0 && substantive.length === 0) {
    const ack = acks.at(-1) as HistoryReply;
    triggers.push({
      kind: "acknowledgment-only",
      text: `the servicer only acknowledged it (${ack.date}); the response was due ${lateResponse.dueLenient} (${lateResponse.rule})`,
      sentence: words.acknowledgedOnly(ack.date),
      reply: { class: ack.class, date: ack.date },
    });
  }
  if (late.length > 0) {
    triggers.push({
      kind: "late-clock",
      text: late.map((c) => `${c.name} (${c.rule}) is ${lateBy(c)} late`).join("; "),
      sentence: "",
    });
  }
  return triggers;
}

/**
 * The servicer clocks of the case met after their due date: history, not a late clock now. Named in a refusal
 * ("Request for information: acknowledgment (12 C.F.R. 1024.36(c)) was met 5 business days late"), with why it
 * alone does not call for escalation: the clock was met (a late acknowledgment an attorney may still count).
 */
function metLate(link: ChainCase): { text: string; alone: string } | null {
  const late = link.clocks.filter((c) => c.party === "servicer" && c.status === "met" && (c.businessDaysLate ?? 0) > 0);
  if (late.length === 0) return null;
  // A Reg X acknowledgment met late is a missed clock a RESPA claim may count: `show` lists it (options.ts).
  const acks = late.every((c) => c.id.endsWith("-ack") && isRespaViolation(c));
  return {
    text: late.map((c) => `${c.name} (${c.rule}) was met ${lateBy(c)} late`).join("; "),
    alone: acks
      ? `a late acknowledgment alone, once it came, does not warrant escalation (it stays on the record: loanmail show ${link.case.id} lists it under your options)`
      : "a deadline met late alone, once the answer came, does not warrant escalation",
  };
}

/** Why escalation is not warranted yet, and what the user can do. */
export function refusalFor(
  link: ChainCase,
  asOf: IsoDate,
): { code: "NO_LETTER_LEFT" | "ESCALATION_NOT_WARRANTED"; reason: string; hint: string } {
  const id = link.case.id;
  const mark = `loanmail resolve ${id} --unresolved`;
  const left = link.letters.filter((l) => l.date !== null);
  if (left.length === 0) {
    return {
      code: "NO_LETTER_LEFT",
      reason: `case ${link.case.tag} has no letter that left yet, so the servicer owes nothing`,
      hint: `send it first (loanmail send ${id}, or record it with loanmail mailed / loanmail sent)`,
    };
  }
  const sorted = [...link.replies].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const answer = sorted.filter((r) => SUBSTANTIVE.includes(r.class)).at(-1);
  // A clock met late is history, not "no clock late": it is named (an attorney may count it).
  const history = metLate(link);
  if (answer) {
    const now = history ? `no clock is late now (${history.text})` : "no clock is late";
    return {
      code: "ESCALATION_NOT_WARRANTED",
      reason: `the servicer answered on ${answer.date} (${answer.class}) and ${now}; mark it ${mark} if the answer does not resolve it`,
      hint: `if the answer does not resolve it: ${mark}, then loanmail escalate ${id}; if it does: loanmail resolve ${id}`,
    };
  }
  const open = link.clocks
    .filter((c) => c.party === "servicer" && c.status === "open" && c.dueLenient)
    .sort((a, b) => ((a.dueLenient ?? "") < (b.dueLenient ?? "") ? -1 : 1));
  const ack = sorted.filter((r) => r.class === "acknowledgment").at(-1);
  const responseDue = open.find(isResponseClock);
  // What was met late, and why that alone is no reason to escalate: "; X was met 5 business days late, and ...".
  const before = history ? `; ${history.text}, and ${history.alone}` : "";
  if (ack) {
    return {
      code: "ESCALATION_NOT_WARRANTED",
      reason: responseDue
        ? `the servicer acknowledged it on ${ack.date}; its response is due ${responseDue.dueLenient} (${responseDue.rule}), so nothing is late yet on ${asOf}${before}`
        : `the servicer acknowledged it on ${ack.date}, and no rule sets a date for the answer to this letter${before}`,
      hint: responseDue
        ? `escalation is warranted once the response is late: escalate after ${responseDue.dueLenient} if it has not come, or ${mark} if you have cause not to wait`
        : `if you have waited long enough for an answer: ${mark}, then loanmail escalate ${id}`,
    };
  }
  const first = open[0];
  if (first) {
    return {
      code: "ESCALATION_NOT_WARRANTED",
      reason: `no clock is late yet on ${asOf}: ${first.name} (${first.rule}) is due ${first.dueLenient}${before}`,
      hint: history
        ? `escalation is warranted once ${first.name} is late: escalate after ${first.dueLenient} if it has not been met, or ${mark} if the servicer's answer did not resolve it`
        : `escalate after ${first.dueLenient}, or ${mark} if the servicer's answer did not resolve it`,
    };
  }
  const waiting = link.clocks.find((c) => c.party === "servicer" && c.status === "not-started" && c.note);
  if (waiting) {
    return {
      code: "ESCALATION_NOT_WARRANTED",
      reason: `no clock has started for ${link.case.tag}: ${waiting.note}`,
      hint: `record what happened, or ${mark} if the matter is not resolved`,
    };
  }
  const met = link.clocks.filter((c) => c.party === "servicer" && c.status === "met");
  if (met.length > 0) {
    return {
      code: "ESCALATION_NOT_WARRANTED",
      reason: `every clock of ${link.case.tag} was met and the case is not marked unresolved${before}`,
      hint: `if the servicer's answers do not resolve it: ${mark}, then loanmail escalate ${id}`,
    };
  }
  const na = link.clocks.find((c) => c.status === "not-applicable" && c.note);
  return {
    code: "ESCALATION_NOT_WARRANTED",
    reason: `no deadline runs for ${link.case.tag} and it is not marked unresolved: ${na?.note ?? "a letter through a portal, by fax or by hand starts no clock"}`,
    hint: `if the servicer has not resolved it: ${mark}, then loanmail escalate ${id}`,
  };
}
