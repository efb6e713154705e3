/**
 * `report outcomes --from D --to D [--format text|csv|json]`: the households served in the period, each case's
 * counseling purpose and outcome (HUD form 9902 categories, recorded with `resolve --outcome`), and the agency's
 * totals per outcome, all read from the event log (src/app/report.ts). For import into the agency's client
 * management system: loanmail is not one.
 */
import type { OutcomeReport } from "../../app/report.js";
import { count } from "../../domain/words.js";
import { EXIT } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { checkDate } from "../dates.js";
import { formatTable } from "../output.js";

const csvCell = (v: string | number | null): string => {
  const s = v === null ? "" : String(v);
  // A cell a spreadsheet would run as a formula is quoted with a leading apostrophe.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

function reportCsv(r: OutcomeReport): string {
  const rows: (string | number | null)[][] = [
    ["client", "purpose", "case", "kind", "status", "outcome", "outcome_label", "resolved_on"],
  ];
  for (const c of r.clients)
    for (const x of c.cases)
      rows.push([c.client, c.purpose, x.tag, x.kind, x.status, x.outcome, x.outcomeLabel, x.resolvedOn]);
  return `${rows.map((row) => row.map(csvCell).join(",")).join("\r\n")}\r\n`;
}

function reportText(r: OutcomeReport): string {
  const lines = [
    `Outcomes from ${r.from} to ${r.to} (${r.timeZone}): ${count(r.households, "household")}, ${count(r.cases, "case")} with activity in the period.`,
    "",
  ];
  for (const c of r.clients) {
    lines.push(`${c.client}: ${c.kinds.join(", ")}`);
    for (const x of c.cases)
      lines.push(
        `  ${x.tag}  ${x.status}  ${x.outcomeLabel ? `${x.outcomeLabel} (${x.resolvedOn})` : "no outcome recorded in the period"}`,
      );
  }
  const totals = r.totals.filter((t) => t.cases > 0);
  lines.push(
    "",
    `${r.fenced === null ? "Agency totals" : `Totals of ${r.fenced}`} (HUD-9902 outcome categories):`,
    totals.length
      ? formatTable(
          ["OUTCOME", "CASES", "HOUSEHOLDS"],
          totals.map((t) => [t.label, String(t.cases), String(t.households)]),
        )
      : "  no outcome recorded in the period",
    `No outcome recorded: ${count(r.noOutcome.cases, "case")} of ${count(r.noOutcome.households, "household")}.`,
  );
  return lines.join("\n");
}

async function runOutcomes(ctx: Context, opts: { from?: string; to?: string; format?: string }): Promise<number> {
  const from = checkDate(opts.from, "--from");
  const to = checkDate(opts.to, "--to");
  const format = ctx.out.json ? "json" : (opts.format ?? "text");
  const { outcomeReport } = await import("../../app/report.js");
  const r = outcomeReport(ctx, from, to);
  if (format === "csv") {
    process.stdout.write(reportCsv(r));
    return EXIT.ok;
  }
  if (format === "json" && !ctx.out.json) {
    process.stdout.write(`${JSON.stringify({ schema: 1, ...r }, null, 2)}\n`);
    return EXIT.ok;
  }
  ctx.out.result({ ...r }, () => reportText(r));
  return EXIT.ok;
}

export const reportCommands: CommandModule = {
  groups: [{ name: "report", description: "reports for the agency (HUD form 9902)" }],
  commands: [
    {
      name: "report outcomes",
      description: "households served, purpose and outcome of each case, and totals per HUD-9902 outcome",
      options: [
        { flags: "--from <date>", description: "first day of the period (YYYY-MM-DD)" },
        { flags: "--to <date>", description: "last day of the period (YYYY-MM-DD)" },
        { flags: "--format <format>", description: "output format", choices: ["text", "csv", "json"], default: "text" },
      ],
      run: runOutcomes,
    },
  ],
};
