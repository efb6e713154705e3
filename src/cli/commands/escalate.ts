/**
 * `escalate CASE [--to RUNG] [--as-of DATE]`: the next rung of the escalation ladder (docs/ARCHITECTURE.md,
 * "From compose to evidence"). Escalation asks before it jumps: the command proposes the rung, with the reason
 * and the clocks behind it, and acts only with --yes or the user's yes at a prompt. Without a TTY (a script, or
 * --json) and without --yes it prints the proposal, exits 0 and changes nothing.
 */
import type { EscalateOutcome } from "../../app/escalate.js";
import { lateBy } from "../../domain/clock-types.js";
import type { BasisClock, EscalationPlan } from "../../domain/escalation.js";
import type { LadderStep } from "../../domain/ladder.js";
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { asOfDate, today } from "../dates.js";
import { confirmProposal } from "../prompts.js";

/** The rungs `--to` may pick (the inquiry is where a matter starts, not a rung to climb to). */
const RUNGS: readonly LadderStep[] = ["follow-up", "escalation-request", "formal", "regulator", "legal"];

type Plan = EscalationPlan & { ok: true };

/** A clock behind the proposal, for people: its case, name, rule, due dates and state. */
function clockLine(c: BasisClock, asOf: string): string {
  const due = `due ${c.dueStrict ?? c.due}${c.dueStrict && c.dueStrict !== c.due ? ` (lenient ${c.due})` : ""}`;
  const state =
    c.status === "late"
      ? `LATE by ${lateBy(c)} on ${asOf}`
      : c.status === "met-late"
        ? `answered ${c.arrivedOn}, ${lateBy(c)} late`
        : c.status === "met"
          ? `answered ${c.arrivedOn}, in time`
          : `open${c.extended ? " (extended)" : ""}`;
  return `  ${c.case}  ${c.name} [${c.rule}]: ${due}; ${state}`;
}

/** The proposal as text: the rung, what it does, why, what was passed over, the clocks and the history. */
function describeProposal(plan: Plan, asOf: string): string {
  const lines = [
    `Proposal for ${plan.case}: ${plan.from} → ${plan.step}${plan.chosen ? " (the rung you chose)" : ""}`,
    `  ${plan.action}`,
    "",
    `Why: ${plan.triggers.map((t) => t.text).join("; ")}.`,
  ];
  if (plan.passedOver) lines.push(`${plan.passedOver.charAt(0).toUpperCase()}${plan.passedOver.slice(1)}.`);
  lines.push("", `Clocks on ${asOf}:`);
  lines.push(...(plan.clocks.length ? plan.clocks.map((c) => clockLine(c, asOf)) : ["  none with a due date"]));
  lines.push("", "History cited:");
  for (const x of plan.cites) {
    lines.push(
      `  ${x.date}  ${x.type === "letter" ? "letter" : `reply (${x.class})`}  ${x.case}  "${x.subject ?? ""}"  ${x.messageId ?? "(no Message-ID)"}`,
    );
  }
  lines.push(...protectionsCited(plan));
  return lines.join("\n");
}

/** The foreclosure protections in force that the letter invokes, with their rules (none: no lines). */
function protectionsCited(plan: Plan): string[] {
  if (plan.protections.length === 0) return [];
  return [
    "",
    "Protections in force, cited in the letter:",
    ...plan.protections.map(
      (p) => `  ${p.name} [${p.rule}]: ${p.until ? `through ${p.until}` : "no end date yet"}; ${p.ends}`,
    ),
  ];
}

/** The command line that carries out this proposal. */
function commandFor(parentId: number, opts: { asOf?: string; to?: string }): string {
  return `loanmail escalate ${parentId}${opts.to ? ` --to ${opts.to}` : ""}${opts.asOf ? ` --as-of ${opts.asOf}` : ""} --yes`;
}

/** The JSON of a proposal or an escalation: the same fields, with `acted` saying which. */
function escalateDoc(r: EscalateOutcome, asOf: string, next: string[]): Record<string, unknown> {
  const { plan, child } = r;
  const d = child?.compose.decision;
  return {
    acted: r.acted,
    parent: { id: r.parent.id, tag: r.parent.tag, step: r.parent.step, status: r.parent.status },
    child: child
      ? {
          id: child.caseRecord.id,
          tag: child.caseRecord.tag,
          step: child.caseRecord.step,
          parentId: child.caseRecord.parentId,
          kind: plan.letter?.kind,
          formal: d?.formal,
          channel: d?.channel,
          to: d?.to,
          postalAddress: d?.postalAddress,
          message: child.compose.messageRowId,
          messageId: child.compose.messageId,
          subject: child.compose.subject,
        }
      : null,
    from: plan.from,
    step: plan.step,
    chosen: plan.chosen,
    action: plan.action,
    letter: plan.letter ? { kind: plan.letter.kind, formal: plan.letter.formal } : null,
    asOf,
    reason: plan.triggers.map((t) => t.text).join("; "),
    passedOver: plan.passedOver,
    clocks: plan.clocks,
    trigger: plan.trigger,
    triggers: plan.triggers,
    cites: plan.cites,
    missed: plan.missed,
    protections: plan.protections,
    summary: plan.summary,
    pdf: r.pdf,
    packet: r.packet,
    next,
    warnings: child?.compose.warnings ?? [],
  };
}

/** What was drafted or written, as text. */
function describeOutcome(r: EscalateOutcome): string {
  const { plan, child } = r;
  const d = child?.compose.decision;
  const lines: string[] = [];
  if (child && d) {
    const dest = d.channel === "post" ? `to ${d.postalAddress?.replace(/\n/g, ", ")}` : `to ${d.to}`;
    lines.push(
      `Escalated ${r.parent.tag} from ${plan.from} to ${plan.step}: drafted case ${child.caseRecord.id} (${child.caseRecord.tag}), ${child.compose.subject}`,
      `  ${d.formal ? "formal, " : ""}${d.channel} ${dest}`,
    );
  } else {
    lines.push(`Escalated ${r.parent.tag} from ${plan.from} to ${plan.step}.`);
  }
  lines.push("", `Why: ${plan.triggers.map((t) => t.text).join("; ")}.`);
  if (plan.missed.length > 0) lines.push("", "Missed deadlines:", ...plan.missed.map((m) => `  - ${m.text}`));
  lines.push(...protectionsCited(plan));
  lines.push("", "History cited:");
  for (const x of plan.cites) {
    lines.push(
      `  ${x.date}  ${x.type === "letter" ? "letter" : `reply (${x.class})`}  ${x.case}  "${x.subject ?? ""}"  ${x.messageId ?? "(no Message-ID)"}`,
    );
  }
  if (r.pdf) lines.push("", `Wrote ${r.pdf}`);
  if (r.packet) {
    lines.push(
      "",
      `Wrote the CFPB complaint packet ${r.packet.dir}/`,
      ...r.packet.files.map((f) => `  ${f.name}  (${f.size} bytes)`),
    );
  }
  lines.push("", "Next:", ...r.next.map((n) => `  ${n}`));
  return lines.join("\n");
}

/**
 * A day after today only looks: what the record would call for then, if nothing happened meanwhile. Acting on it
 * would record an escalation, and write a letter or complaint, about facts that have not happened (a response "had
 * not arrived" on a day to come): --yes with it is refused before anything is read or written.
 */
function lookOnly(ctx: Context, ref: string, asOf: string): boolean {
  const now = today(ctx);
  if (asOf <= now) return false;
  if (ctx.options.yes)
    throw new UserError(`--as-of ${asOf} is after today (${now}): escalate acts only on what has happened`, {
      code: "CONFLICTING_OPTIONS",
      hint: `leave out --yes to look at what the record would call for on ${asOf}; to act, run loanmail escalate ${ref} --yes on or after that day, without --as-of`,
    });
  return true;
}

/** `escalate CASE`: propose the rung; act on --yes or a yes at the prompt; otherwise print the proposal only. */
async function runEscalate(ctx: Context, ref: string, opts: { asOf?: string; to?: string }): Promise<number> {
  // --as-of judges the clocks as of that day; otherwise today. A day to come only looks (nothing is asked).
  const asOf = asOfDate(ctx, opts.asOf);
  const future = lookOnly(ctx, ref, asOf);
  const to = RUNGS.find((x) => x === opts.to);
  const { escalateCase } = await import("../../app/escalate.js");
  let answer: "yes" | "no" | "not-asked" = future ? "not-asked" : "yes";
  const r = await escalateCase(
    { db: ctx.db(), config: ctx.config(), prefix: ctx.prefix(), now: ctx.now, homeDir: ctx.home.dir, asOf, scope: ctx },
    ref,
    {
      to,
      decide: async (plan) => {
        if (future) return false;
        answer = await confirmProposal(ctx, {
          proposal: describeProposal(plan, asOf),
          question: `Escalate ${plan.case} to ${plan.step}?`,
        });
        return answer === "yes";
      },
    },
  );
  if (!r.acted) {
    const run = future
      ? `on or after ${asOf}, if the record still calls for it: ${commandFor(r.parent.id, { to: opts.to })}`
      : commandFor(r.parent.id, opts);
    const next = [run, `or pick a rung yourself: loanmail escalate ${r.parent.id} --to ${RUNGS.join("|")}`];
    const why = future ? ` (--as-of ${asOf} is after today: it only looks at what the record would call for then)` : "";
    ctx.out.result(escalateDoc(r, asOf, next), () =>
      answer === "no"
        ? "Nothing changed."
        : [describeProposal(r.plan, asOf), "", `Nothing changed${why}. To do it: ${run}`].join("\n"),
    );
    return 0;
  }
  for (const w of r.child?.compose.warnings ?? []) ctx.out.warn(w);
  ctx.out.result(escalateDoc(r, asOf, r.next), () => describeOutcome(r));
  return 0;
}

export const escalateCommands: CommandModule = {
  commands: [
    {
      name: "escalate <case>",
      description:
        "propose the next rung of the escalation ladder, with the reason and the clocks behind it; with --yes (or your yes at the prompt) draft its letter as a child case citing the history, or write the complaint packet",
      options: [
        {
          flags: "--to <rung>",
          description: "pick the rung on purpose (still refused if the record does not support it)",
          choices: [...RUNGS],
        },
        {
          flags: "--as-of <date>",
          description: "judge the clocks as of this date (YYYY-MM-DD); a day past also dates the drafted letter",
        },
      ],
      run: runEscalate,
    },
  ],
};
