/** `escalate CASE`: the next rung of the escalation ladder (docs/ARCHITECTURE.md, "From compose to evidence"). */
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { asOfDate } from "../dates.js";

/** `escalate CASE`: plan, apply, and print what was drafted or written and what to do next. */
async function runEscalate(ctx: Context, ref: string, opts: { asOf?: string }): Promise<number> {
  // --as-of judges the clocks as of that day; otherwise today.
  const asOf = asOfDate(ctx, opts.asOf);
  const { escalateCase } = await import("../../app/escalate.js");
  const r = await escalateCase(
    {
      db: ctx.db(),
      config: ctx.config(),
      prefix: ctx.prefix(),
      now: ctx.now,
      homeDir: ctx.home.dir,
      asOf,
    },
    ref,
  );
  const { plan, child } = r;
  const warnings = child?.compose.warnings ?? [];
  for (const w of warnings) ctx.out.warn(w);
  const d = child?.compose.decision;
  ctx.out.result(
    {
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
      asOf,
      trigger: plan.trigger,
      triggers: plan.triggers,
      cites: plan.cites,
      missed: plan.missed,
      summary: plan.summary,
      pdf: r.pdf,
      packet: r.packet,
      next: r.next,
      warnings,
    },
    () => {
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
      if (plan.missed.length > 0) {
        lines.push("", "Missed deadlines:", ...plan.missed.map((m) => `  - ${m.text}`));
      }
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
    },
  );
  return 0;
}

export const escalateCommands: CommandModule = {
  commands: [
    {
      name: "escalate <case>",
      description: "draft the next step of the escalation ladder as a child case citing the history",
      options: [{ flags: "--as-of <date>", description: "judge the clocks as of this date (YYYY-MM-DD)" }],
      run: runEscalate,
    },
  ],
};
