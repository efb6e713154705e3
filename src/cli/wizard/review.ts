/**
 * The wizard's last screen before the one question that writes: the letter's subject, how it goes (channel, and
 * whether it is the formal notice), its fields, paragraph and exhibits, and what it starts legally: the clocks of
 * src/app/deadline.ts (the same as `loanmail deadline KIND` prints), each with its rule, dated as if the servicer
 * received it today. Pure text from what the wizard gathered.
 */
import type { PlannedClocks } from "../../app/deadline.js";
import type { ChannelDecision } from "../../domain/channel.js";
import type { KindDef } from "../../domain/kinds.js";

export interface Review {
  kind: KindDef;
  subject: string;
  servicerName: string;
  decision: ChannelDecision;
  fields: Readonly<Record<string, string>>;
  summary: string;
  exhibits: readonly string[];
  /** What will be added first: "servicer Mr. Cooper", "loan 1234567". */
  adds: readonly string[];
  planned: PlannedClocks;
  today: string;
}

/** How the letter goes, in words. */
export function channelLine(r: Pick<Review, "decision" | "servicerName">): string {
  const d = r.decision;
  const notice = d.formal ? "a formal notice, " : "";
  if (d.channel === "post")
    return `${notice}by post (certified mail) to ${d.postalAddress?.replace(/\n/g, ", ")}: print it, sign it, mail it`;
  if (d.channel === "notice-email")
    return `${notice}by email to ${d.to}, ${r.servicerName}'s designated notice address`;
  return `${notice}by email to ${d.to}`;
}

/** What the letter starts under the rules, one line per clock with its rule and its due date if received today. */
export function legalLines(r: Pick<Review, "planned" | "today" | "decision">): string[] {
  const { clocks, noDuty, emergency } = r.planned;
  if (clocks.length === 0)
    return ["What it starts: no regulatory clock (only the servicer's own promise to answer email, if it made one)."];
  const post = r.decision.channel === "post" ? "; by post, its clocks run from the day it is delivered" : "";
  return [
    `What it starts, if the servicer receives it on ${r.today}${post}:`,
    ...(noDuty ? [`  Reg X imposes no duty to acknowledge or respond: ${noDuty}.`, `  ${emergency}`] : []),
    ...clocks.map((c) =>
      c.dueStrict === null
        ? `  ${c.name} [${c.rule}]: no date${c.note ? `; ${c.note}` : ""}`
        : `  ${c.name} [${c.rule}]: due ${c.dueStrict}${c.dueLenient !== c.dueStrict ? ` (lenient ${c.dueLenient})` : ""}${c.note ? `; ${c.note}` : ""}`,
    ),
  ];
}

export function reviewText(r: Review): string {
  const fieldLines = Object.entries(r.fields).map(([k, v]) => `  ${k}: ${v}`);
  return [
    "── The letter, before anything is written",
    `Subject:  ${r.subject}`,
    `Goes:     ${channelLine(r)}`,
    ...(r.adds.length ? [`Adds:     ${r.adds.join(", ")} (first, with the letter)`] : []),
    ...(fieldLines.length ? ["Fields:", ...fieldLines] : []),
    `Says:     ${r.summary}`,
    `Exhibits: ${r.exhibits.length ? r.exhibits.join(", ") : "none"}`,
    ...legalLines(r),
    "Saving writes a draft; nothing is sent or printed until you do that yourself.",
  ].join("\n");
}
