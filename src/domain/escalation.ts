/**
 * The escalation ladder (DESIGN §5), as pure rules: where a case stands, whether the record warrants climbing, the
 * next step, the letter it needs, and the words that cite the history. The caller reads the chain of cases (the
 * case and its ancestors), their letters, replies and computed clocks, and passes `asOf`; nothing here touches
 * the disk, the database or the clock.
 *
 *   inquiry → follow-up → escalation-request → formal (NOE / RFI at the designated channel)
 *           → regulator (CFPB complaint packet; state regulator) → legal (evidence bundle)
 */
import type { IsoDate } from "./calendar.js";
import type { ReplyClass } from "./classify.js";
import type { Clock } from "./clocks.js";
import { formatAmount } from "./fields.js";
import { isKindId, type KindId, kindDef } from "./kinds.js";

export const LADDER = ["inquiry", "follow-up", "escalation-request", "formal", "regulator", "legal"] as const;
export type LadderStep = (typeof LADDER)[number];

/** Kinds that dispute an error in substance: their formal step is a notice of error, every other a request for information. */
export const ERROR_DISPUTE_KINDS: readonly KindId[] = [
  "payment-application",
  "late-fee-dispute",
  "payment-delay",
  "notice-of-error",
];

/** Narrow a stored step to a ladder step. */
export function isLadderStep(value: string): value is LadderStep {
  return (LADDER as readonly string[]).includes(value);
}

export type LadderStatus = "draft" | "open" | "discarded" | "resolved" | "unresolved";

/** A case as the ladder sees it. */
export interface LadderCase {
  id: number;
  tag: string;
  kind: string;
  formal: boolean;
  step: string;
  status: LadderStatus;
}

/** A letter that left (or a draft: `date` null), with what identifies it in the record. */
export interface HistoryLetter {
  /** Row id of the message. */
  message: number;
  caseTag: string;
  kind: string;
  /** The day it left; null while it is a draft (drafts are never cited). */
  date: IsoDate | null;
  deliveredOn: IsoDate | null;
  channel: string;
  subject: string | null;
  messageId: string | null;
  fields: Readonly<Record<string, string>>;
}

/** A reply received on a case. */
export interface HistoryReply {
  message: number;
  caseTag: string;
  date: IsoDate;
  channel: string;
  subject: string | null;
  messageId: string | null;
  class: ReplyClass;
}

/** One case of the chain with its history and its clocks on `asOf`. */
export interface ChainCase {
  case: LadderCase;
  letters: readonly HistoryLetter[];
  replies: readonly HistoryReply[];
  clocks: readonly Clock[];
}

/** A case that already continues the escalated one. */
export interface ChildCase {
  id: number;
  tag: string;
  step: string;
  status: string;
}

/** The loan's parties, for the complaint narrative. */
export interface LoanParties {
  borrowers: readonly string[];
  accountNumber: string;
  propertyAddress: string;
  servicerName: string;
}

export interface EscalationInput {
  /** The case and its ancestors, the root first and the case to escalate last. */
  chain: readonly ChainCase[];
  /** Cases whose parent is the case to escalate. */
  children: readonly ChildCase[];
  loan: LoanParties;
  asOf: IsoDate;
}

export type TriggerKind = "exception-disputed" | "unresolved" | "acknowledgment-only" | "late-clock";

export interface Trigger {
  kind: TriggerKind;
  /** For the user (third person). */
  text: string;
  /** For the letter to the servicer (first person, to "you"); empty when the missed clocks already say it. */
  sentence: string;
}

export interface Citation {
  type: "letter" | "reply";
  case: string;
  message: number;
  date: IsoDate;
  subject: string | null;
  messageId: string | null;
  channel: string;
  class?: ReplyClass;
  deliveredOn?: IsoDate | null;
  /** The sentence as it reads in a letter to the servicer. */
  text: string;
}

export interface MissedClock {
  case: string;
  clock: string;
  name: string;
  rule: string;
  due: IsoDate;
  status: "late" | "met-late";
  businessDaysLate: number;
  arrivedOn: IsoDate | null;
  text: string;
}

export interface PlannedLetter {
  kind: KindId;
  formal: boolean;
  fields: Record<string, string>;
}

export interface EscalationPlan {
  ok: true;
  case: string;
  from: LadderStep;
  step: LadderStep;
  /** The first (most specific) of `triggers`. */
  trigger: Trigger;
  triggers: Trigger[];
  /** The letter to draft as the child case; null for regulator and legal, which draft no letter. */
  letter: PlannedLetter | null;
  formal: boolean;
  cites: Citation[];
  missed: MissedClock[];
  /** What is asked now (letter voice). */
  ask: string;
  /** The summary paragraph of the new letter: every citation, every missed clock, the trigger and the ask. */
  summary: string;
}

export interface EscalationRefusal {
  ok: false;
  case: string;
  reason: string;
  hint: string;
}

const NEXT: Readonly<Record<Exclude<LadderStep, "legal">, LadderStep>> = {
  inquiry: "follow-up",
  "follow-up": "escalation-request",
  "escalation-request": "formal",
  formal: "regulator",
  regulator: "legal",
};

/**
 * Where a case stands: its stored step, except that a root case (step `inquiry`) that is itself a follow-up, an
 * escalation request or a formal notice already stands on that rung.
 */
export function effectiveStep(c: Pick<LadderCase, "step" | "kind" | "formal">): LadderStep {
  if (isLadderStep(c.step) && c.step !== "inquiry") return c.step;
  if (c.kind === "follow-up") return "follow-up";
  if (c.kind === "escalation-request") return "escalation-request";
  if (c.formal) return "formal";
  return "inquiry";
}

/** The rung above `step`, or null at the top. */
export function nextStep(step: LadderStep): LadderStep | null {
  return step === "legal" ? null : NEXT[step];
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
const quote = (s: string | null) => `"${s ?? "(no subject)"}"`;

function letterHow(l: HistoryLetter): { verb: string; where: string } {
  switch (l.channel) {
    case "post":
      return {
        verb: "mailed",
        where: `by certified mail to your designated address${l.deliveredOn ? `, delivered ${l.deliveredOn}` : ""}`,
      };
    case "notice-email":
      return { verb: "emailed", where: "to your designated notice address" };
    case "portal":
      return { verb: "sent", where: "through your portal" };
    case "fax":
      return { verb: "faxed", where: "" };
    case "hand":
      return { verb: "delivered", where: "by hand" };
    default:
      return { verb: "emailed", where: "to your correspondence address" };
  }
}

const CLASS_WORDS: Readonly<Record<ReplyClass, string>> = {
  acknowledgment: "an acknowledgment only",
  extension: "taking more time to respond",
  exception: "declining to answer",
  "documents-requested": "asking me for documents",
  response: "a response",
  other: "which did not answer my request",
};

function idPart(messageId: string | null): string {
  return messageId ? `Message-ID ${messageId}` : "no Message-ID";
}

/** The sentence that cites one letter (letter voice). */
export function citeLetter(l: HistoryLetter & { date: IsoDate }): string {
  const how = letterHow(l);
  return `On ${l.date} I ${how.verb} my letter ${quote(l.subject)}${how.where ? ` ${how.where}` : ""} (${idPart(l.messageId)}).`;
}

/** The sentence that cites one reply (letter voice). */
export function citeReply(r: HistoryReply): string {
  const via = r.channel === "email" || r.channel === "notice-email" ? "" : ` by ${r.channel}`;
  return `On ${r.date} you replied${via} with ${quote(r.subject)} (${idPart(r.messageId)}): ${CLASS_WORDS[r.class]}.`;
}

/** Every letter that left and every reply of the chain, oldest first (letters before replies on one day). */
export function buildCitations(chain: readonly ChainCase[]): Citation[] {
  const out: Citation[] = [];
  for (const link of chain) {
    for (const l of link.letters) {
      if (l.date === null) continue;
      out.push({
        type: "letter",
        case: l.caseTag,
        message: l.message,
        date: l.date,
        subject: l.subject,
        messageId: l.messageId,
        channel: l.channel,
        deliveredOn: l.deliveredOn,
        text: citeLetter({ ...l, date: l.date }),
      });
    }
    for (const r of link.replies) {
      out.push({
        type: "reply",
        case: r.caseTag,
        message: r.message,
        date: r.date,
        subject: r.subject,
        messageId: r.messageId,
        channel: r.channel,
        class: r.class,
        text: citeReply(r),
      });
    }
  }
  return out.sort(
    (a, b) =>
      (a.date < b.date ? -1 : a.date > b.date ? 1 : 0) ||
      (a.type === b.type ? 0 : a.type === "letter" ? -1 : 1) ||
      a.message - b.message,
  );
}

/** What a clock asked of the servicer, as the subject of a sentence. */
function clockSubject(c: Clock): string {
  if (c.id.startsWith("promise-")) return `The answer promised within the ${c.rule}`;
  if (c.id.endsWith("-ack")) return `The acknowledgment required by ${c.rule}`;
  if (c.id === "payoff-statement") return `The payoff statement required by ${c.rule}`;
  if (c.id.startsWith("cfpb-")) return `The ${c.name.replace(/^CFPB: /, "").toLowerCase()} under the ${c.rule}`;
  if (/-response$|^relied-documents$/.test(c.id)) return `The response required by ${c.rule}`;
  return `The ${c.name.charAt(0).toLowerCase()}${c.name.slice(1)} required by ${c.rule}`;
}

/** Servicer clocks of the chain that were missed: still late on `asOf`, or met after their due date. */
export function buildMissedClocks(chain: readonly ChainCase[], asOf: IsoDate): MissedClock[] {
  const out: MissedClock[] = [];
  for (const link of chain) {
    for (const c of link.clocks) {
      if (c.party !== "servicer" || !c.dueLenient || !c.businessDaysLate) continue;
      if (c.status === "late") {
        out.push({
          case: link.case.tag,
          clock: c.id,
          name: c.name,
          rule: c.rule,
          due: c.dueLenient,
          status: "late",
          businessDaysLate: c.businessDaysLate,
          arrivedOn: null,
          text: `${clockSubject(c)} was due ${c.dueLenient} and had not arrived on ${asOf}, ${plural(c.businessDaysLate, "business day")} late.`,
        });
      } else if (c.status === "met" && c.metBy) {
        out.push({
          case: link.case.tag,
          clock: c.id,
          name: c.name,
          rule: c.rule,
          due: c.dueLenient,
          status: "met-late",
          businessDaysLate: c.businessDaysLate,
          arrivedOn: c.metBy.on,
          text: `${clockSubject(c)} was due ${c.dueLenient} and arrived on ${c.metBy.on}, ${plural(c.businessDaysLate, "business day")} late.`,
        });
      }
    }
  }
  return out.sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : 0));
}

const SUBSTANTIVE: readonly ReplyClass[] = ["response", "exception"];

/** A clock an acknowledgment does not meet: the one a real answer is due by. */
function isResponseClock(c: Clock): boolean {
  return !c.id.endsWith("-ack") && !c.id.startsWith("promise-");
}

/** The triggers that hold for the case on `asOf`, most specific first. */
export function findTriggers(link: ChainCase): Trigger[] {
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
        sentence: `I dispute your answer of ${exception.date} declining my request; the matter is not resolved.`,
      });
    } else {
      triggers.push({
        kind: "unresolved",
        text: last
          ? `you marked ${tag} unresolved after the servicer's ${last.class} of ${last.date}`
          : `you marked ${tag} unresolved`,
        sentence: last
          ? `Your ${last.class === "response" ? "answer" : "reply"} of ${last.date} does not resolve the matter.`
          : "The matter is not resolved.",
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
      sentence: `You acknowledged my letter on ${ack.date} but have not answered it.`,
    });
  }
  if (late.length > 0) {
    triggers.push({
      kind: "late-clock",
      text: late
        .map((c) => `${c.name} (${c.rule}) is ${plural(c.businessDaysLate ?? 0, "business day")} late`)
        .join("; "),
      sentence: "",
    });
  }
  return triggers;
}

/** Why escalation is not warranted yet, and what the user can do. */
function refusalFor(link: ChainCase, asOf: IsoDate): { reason: string; hint: string } {
  const id = link.case.id;
  const mark = `loanmail resolve ${id} --unresolved`;
  const left = link.letters.filter((l) => l.date !== null);
  if (left.length === 0) {
    return {
      reason: `case ${link.case.tag} has no letter that left yet, so the servicer owes nothing`,
      hint: `send it first (loanmail send ${id}, or record it with loanmail mailed / loanmail sent)`,
    };
  }
  const sorted = [...link.replies].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const answer = sorted.filter((r) => SUBSTANTIVE.includes(r.class)).at(-1);
  if (answer) {
    return {
      reason: `the servicer answered on ${answer.date} (${answer.class}) and no clock is late; mark it ${mark} if the answer does not resolve it`,
      hint: `if the answer does not resolve it: ${mark}, then loanmail escalate ${id}; if it does: loanmail resolve ${id}`,
    };
  }
  const open = link.clocks
    .filter((c) => c.party === "servicer" && c.status === "open" && c.dueLenient)
    .sort((a, b) => ((a.dueLenient ?? "") < (b.dueLenient ?? "") ? -1 : 1));
  const ack = sorted.filter((r) => r.class === "acknowledgment").at(-1);
  const responseDue = open.find(isResponseClock);
  if (ack) {
    return {
      reason: responseDue
        ? `the servicer acknowledged it on ${ack.date}; its response is due ${responseDue.dueLenient} (${responseDue.rule}), so nothing is late yet on ${asOf}`
        : `the servicer acknowledged it on ${ack.date}, and no rule sets a date for the answer to this letter`,
      hint: responseDue
        ? `escalate after ${responseDue.dueLenient}, or ${mark} if you have cause not to wait`
        : `if you have waited long enough for an answer: ${mark}, then loanmail escalate ${id}`,
    };
  }
  const first = open[0];
  if (first) {
    return {
      reason: `no clock is late yet on ${asOf}: ${first.name} (${first.rule}) is due ${first.dueLenient}`,
      hint: `escalate after ${first.dueLenient}, or ${mark} if the servicer's answer did not resolve it`,
    };
  }
  const waiting = link.clocks.find((c) => c.party === "servicer" && c.status === "not-started" && c.note);
  if (waiting) {
    return {
      reason: `no clock has started for ${link.case.tag}: ${waiting.note}`,
      hint: `record what happened, or ${mark} if the matter is not resolved`,
    };
  }
  const met = link.clocks.filter((c) => c.party === "servicer" && c.status === "met");
  if (met.length > 0) {
    return {
      reason: `every clock of ${link.case.tag} was met and the case is not marked unresolved`,
      hint: `if the servicer's answers do not resolve it: ${mark}, then loanmail escalate ${id}`,
    };
  }
  const na = link.clocks.find((c) => c.status === "not-applicable" && c.note);
  return {
    reason: `no deadline runs for ${link.case.tag} and it is not marked unresolved: ${na?.note ?? "a letter through a portal, by fax or by hand starts no clock"}`,
    hint: `if the servicer has not resolved it: ${mark}, then loanmail escalate ${id}`,
  };
}

function firstLeft(link: ChainCase | undefined): (HistoryLetter & { date: IsoDate }) | undefined {
  const l = link?.letters.find((x) => x.date !== null);
  return l ? { ...l, date: l.date as IsoDate } : undefined;
}

function pick(fields: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = fields[n];
    if (v !== undefined && v !== "") out[n] = v;
  }
  return out;
}

const amount = (v: string | undefined) => (v ? formatAmount(v) : undefined);

/** The fields of the formal notice of error or request for information, from the original letter. */
export function buildFormalLetter(root: HistoryLetter & { date: IsoDate }): PlannedLetter {
  const f = root.fields;
  const ref = `as set out in my letter ${quote(root.subject)} of ${root.date}`;
  const kind = isKindId(root.kind) ? root.kind : undefined;
  if (kind && ERROR_DISPUTE_KINDS.includes(kind)) {
    let fields: Record<string, string>;
    switch (kind) {
      case "notice-of-error":
        fields = pick(f, ["error", "error-date", "amount", "type", "sale-date"]);
        if (!fields.error) fields.error = `the error ${ref}`;
        break;
      case "payment-application":
        fields = {
          error: f.amount
            ? `my payment of ${amount(f.amount)} made on ${f["payment-date"]} was not applied as my loan documents require, ${ref}`
            : `a payment was not applied as my loan documents require, ${ref}`,
          ...pick({ "error-date": f["payment-date"] ?? "", amount: f.amount ?? "" }, ["error-date", "amount"]),
        };
        break;
      case "late-fee-dispute":
        fields = {
          error: `a late fee${f.fee ? ` of ${amount(f.fee)}` : ""} was charged although my payment${f.amount ? ` of ${amount(f.amount)}` : ""} was made on time on ${f["payment-date"] ?? "its due date"}, ${ref}`,
          ...pick({ "error-date": f["fee-date"] ?? f["payment-date"] ?? "", amount: f.fee ?? "" }, [
            "error-date",
            "amount",
          ]),
        };
        break;
      default:
        fields = {
          error: `my payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f.method ? ` (${f.method})` : ""} received on ${f["payment-date"] ?? "its date of receipt"} was not credited as of the day it was received, ${ref}`,
          ...pick({ "error-date": f["payment-date"] ?? "", amount: f.amount ?? "" }, ["error-date", "amount"]),
        };
    }
    return { kind: "notice-of-error", formal: true, fields };
  }
  if (kind === "information-request") {
    const fields = pick(f, ["information", "from", "to"]);
    if (!fields.information) fields.information = `the information ${ref}`;
    return { kind: "information-request", formal: true, fields };
  }
  const def = kind ? kindDef(kind) : undefined;
  const details = def
    ? def.fields
        .filter((d) => d.type !== "case" && f[d.name])
        .map((d) => `${d.name} ${d.type === "amount" ? amount(f[d.name]) : f[d.name]}`)
    : [];
  const asks = def ? def.asks : "the information";
  const fields: Record<string, string> = {
    information: `${asks}${details.length ? ` (${details.join(", ")})` : ""}, ${ref}`,
  };
  if (kind === "payment-history") Object.assign(fields, pick(f, ["from", "to"]));
  return { kind: "information-request", formal: true, fields };
}

function askFor(step: LadderStep, letter: PlannedLetter | null, escalated: ChainCase): string {
  const first = firstLeft(escalated);
  switch (step) {
    case "follow-up":
      return `I now ask for a complete written answer to my letter of ${first?.date ?? "the date above"}.`;
    case "escalation-request":
      return "I now ask that a supervisor or your escalation team take this matter over and give me a complete written answer.";
    case "formal":
      return letter?.kind === "notice-of-error"
        ? "I now give you formal notice of this error under 12 C.F.R. 1024.35 at your designated address, and ask you to correct it or explain in writing why you believe no error occurred."
        : "I now make this request formally under 12 C.F.R. 1024.36 at your designated address, and ask you to provide the information or explain in writing why it is not available.";
    case "regulator":
      return "I am filing a complaint with the Consumer Financial Protection Bureau.";
    default:
      return "I am giving the record of this matter to an attorney.";
  }
}

/**
 * Decide whether the case's record warrants escalation and, if so, the next step, its letter and its summary
 * paragraph. Triggers: a late servicer clock (no substantive reply met it); only an acknowledgment by the
 * response due date; an exception the user disputes (status `unresolved` after an exception reply); the user's
 * own `resolve --unresolved`. Otherwise a refusal that says why and what to do.
 */
export function planEscalation(input: EscalationInput): EscalationPlan | EscalationRefusal {
  const link = input.chain.at(-1);
  if (!link) throw new Error("planEscalation needs the case to escalate");
  const c = link.case;
  const refuse = (reason: string, hint: string): EscalationRefusal => ({ ok: false, case: c.tag, reason, hint });
  if (c.status === "discarded") return refuse(`case ${c.tag} was discarded`, "a discarded case cannot be escalated");
  if (c.status === "resolved") {
    return refuse(
      `case ${c.tag} is resolved`,
      `if the servicer's answer did not resolve it after all: loanmail resolve ${c.id} --unresolved`,
    );
  }
  const from = effectiveStep(c);
  const step = nextStep(from);
  if (step === null) {
    return refuse(
      `case ${c.tag} is at the top of the ladder (legal)`,
      `build the evidence bundle: loanmail export ${c.id} --out FILE.zip`,
    );
  }
  const active = input.children.find((ch) => ch.status !== "discarded");
  if (active) {
    return refuse(
      `case ${c.tag} was already escalated: ${active.tag} (${active.step}) continues it`,
      `escalate that case instead: loanmail escalate ${active.tag}`,
    );
  }
  const triggers = findTriggers(link);
  const trigger = triggers[0];
  if (!trigger) {
    const r = refusalFor(link, input.asOf);
    return refuse(r.reason, r.hint);
  }

  let letter: PlannedLetter | null = null;
  if (step === "follow-up" || step === "escalation-request") {
    letter = { kind: step, formal: false, fields: { case: c.tag } };
  } else if (step === "formal") {
    const root = firstLeft(input.chain[0]) ?? firstLeft(link);
    if (!root) return refuse(`case ${c.tag} has no letter that left`, "send the original letter first");
    letter = buildFormalLetter(root);
  }
  const cites = buildCitations(input.chain);
  const missed = buildMissedClocks(input.chain, input.asOf);
  const ask = askFor(step, letter, link);
  const summary = [
    `The history of this matter: ${cites.map((x) => x.text).join(" ")}`,
    ...missed.map((m) => m.text),
    ...triggers.map((t) => t.sentence).filter(Boolean),
    ask,
  ].join(" ");
  return {
    ok: true,
    case: c.tag,
    from,
    step,
    trigger,
    triggers,
    letter,
    formal: letter?.formal ?? false,
    cites,
    missed,
    ask,
    summary,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The CFPB complaint packet

/** Each text box of the complaint is kept under this many characters. */
export const CFPB_TEXT_LIMIT = 2000;

export interface CfpbComplaint {
  whatHappened: string;
  desiredResolution: string;
  /** The numbered chronology in full (the narrative may shorten it to fit). */
  chronology: string[];
}

function narrativeEntry(x: Citation, servicer: string, withId: boolean): string {
  const id = withId ? ` (${idPart(x.messageId)})` : "";
  if (x.type === "letter") {
    const how =
      x.channel === "post"
        ? `by certified mail to its designated address${x.deliveredOn ? `, delivered ${x.deliveredOn}` : ""}`
        : x.channel === "notice-email"
          ? "by email to its designated notice address"
          : x.channel === "portal"
            ? "through its online portal"
            : x.channel === "fax"
              ? "by fax"
              : x.channel === "hand"
                ? "by hand"
                : "by email";
    return `${x.date}: I sent ${servicer} my letter ${quote(x.subject)} ${how}${id}.`;
  }
  const words: Record<ReplyClass, string> = {
    acknowledgment: "an acknowledgment only",
    extension: "saying it needed more time",
    exception: "declining to answer",
    "documents-requested": "asking me for documents",
    response: "its answer",
    other: "which did not answer my letter",
  };
  return `${x.date}: ${servicer} replied ${quote(x.subject)}${id}: ${words[x.class ?? "other"]}.`;
}

/** The narrative within `limit` characters; `complete` is false when middle entries gave way to a pointer. */
function fitNarrative(
  head: string,
  entries: readonly string[],
  tail: string,
  limit: number,
): { text: string; complete: boolean } {
  const compose = (list: readonly string[]) =>
    [head, "", ...list.map((e, i) => `${i + 1}. ${e}`), "", tail].join("\n").trim();
  let text = compose(entries);
  if (text.length <= limit) return { text, complete: true };
  // Keep the first and the latest entries; the middle ones are in exhibits.txt.
  const list = [...entries];
  while (list.length > 2 && text.length > limit) {
    list.splice(1, 1);
    const dropped = entries.length - list.length;
    text = compose([
      list[0] as string,
      `(${dropped} more entr${dropped === 1 ? "y" : "ies"}: see exhibits.txt)`,
      ...list.slice(1),
    ]);
  }
  return { text: text.length <= limit ? text : `${text.slice(0, limit - 1)}…`, complete: false };
}

function desiredFor(root: (HistoryLetter & { date: IsoDate }) | undefined): string {
  const f = root?.fields ?? {};
  const kind = root && isKindId(root.kind) ? root.kind : undefined;
  switch (kind) {
    case "payment-application":
      return `Apply my payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f["payment-date"] ? ` made on ${f["payment-date"]}` : ""} as my loan documents require, correct my account history, and confirm it to me in writing.`;
    case "late-fee-dispute":
      return `Reverse the late fee${f.fee ? ` of ${amount(f.fee)}` : ""} charged on my timely payment${f["payment-date"] ? ` of ${f["payment-date"]}` : ""}, and confirm it to me in writing.`;
    case "payment-delay":
      return `Credit my payment${f.amount ? ` of ${amount(f.amount)}` : ""} as of the day it was received${f["payment-date"] ? ` (${f["payment-date"]})` : ""}, reverse any fee or interest that resulted, and confirm it to me in writing.`;
    case "notice-of-error":
      return `Correct the error I reported${f.error ? ` (${f.error.replace(/[.]$/, "")})` : ""} and confirm it to me in writing, or explain in writing why it believes no error occurred.`;
    default: {
      const asks = kind ? kindDef(kind).asks : "the information I asked for";
      return `Give me, in writing, what my letter asked for: ${asks}.`;
    }
  }
}

/**
 * The two text boxes of a CFPB complaint, in plain words from the chronology: who, what, when, each letter and
 * reply as a numbered list, which deadlines were missed; then what the company should do. Each stays under
 * CFPB_TEXT_LIMIT characters (middle entries give way to a pointer to exhibits.txt).
 */
export function buildCfpbComplaint(input: EscalationInput, plan: EscalationPlan): CfpbComplaint {
  const { loan } = input;
  const servicer = loan.servicerName;
  const root = firstLeft(input.chain[0]);
  const rootKind = root && isKindId(root.kind) ? kindDef(root.kind) : undefined;
  const property = loan.propertyAddress
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(", ");
  const head = [
    `I am ${loan.borrowers.join(" and ")}. ${servicer} services my mortgage loan, account ${loan.accountNumber}, on ${property}.`,
    root
      ? `On ${root.date} I wrote to ${servicer} about ${rootKind ? `${rootKind.label.toLowerCase()} (${rootKind.asks})` : "my loan"} and it has not resolved the matter.`
      : "",
    "What happened, in order:",
  ]
    .filter(Boolean)
    .join(" ");
  const missed = plan.missed.map((m) => `- ${m.text}`);
  const why = plan.triggers.filter((t) => t.kind !== "late-clock").map((t) => t.text);
  const tail = [
    missed.length ? `Deadlines ${servicer} missed:\n${missed.join("\n")}` : "",
    why.length ? `Why I am complaining now: ${why.join("; ")}.` : "",
    `My reference for this matter: ${plan.case}.`,
  ]
    .filter(Boolean)
    .join("\n\n");
  const full = plan.cites.map((x) => narrativeEntry(x, servicer, true));
  const short = plan.cites.map((x) => narrativeEntry(x, servicer, false));
  const withIds = fitNarrative(head, full, tail, CFPB_TEXT_LIMIT);
  const whatHappened = withIds.complete
    ? withIds.text
    : fitNarrative(
        head,
        short,
        `${tail}\nEach letter's and reply's Message-ID and SHA-256 are in exhibits.txt.`,
        CFPB_TEXT_LIMIT,
      ).text;
  const desired = [
    desiredFor(root),
    `Answer my letters in writing, as Regulation X (12 C.F.R. 1024.35 and 1024.36) requires, quoting ${plan.case}.`,
  ].join(" ");
  return {
    whatHappened,
    desiredResolution: desired.length <= CFPB_TEXT_LIMIT ? desired : `${desired.slice(0, CFPB_TEXT_LIMIT - 1)}…`,
    chronology: full,
  };
}
