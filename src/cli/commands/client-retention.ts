/**
 * Retention of a client's file (24 C.F.R. 214.315: kept three years after it closes): `client close`,
 * `client reopen`, `client purge` (the whole-file export first, then every row of the client in one transaction,
 * recorded in the agency log) and `client log` (the agency log: closes, reopens, purges). The work is in
 * src/app/client-retention.ts.
 */
import { isoDateIn } from "../../domain/time-zone.js";
import { EXIT, UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { checkDate, checkPastDate } from "../dates.js";
import { formatTable } from "../output.js";

async function runClose(ctx: Context, name: string, opts: { on?: string; reason?: string }): Promise<number> {
  const on = opts.on === undefined ? undefined : checkPastDate(ctx, opts.on, "--on", "give the day the file closed");
  const { closeClient } = await import("../../app/client-retention.js");
  const r = closeClient(ctx, { name, on, reason: opts.reason });
  ctx.out.result(
    {
      client: r.client.name,
      closedOn: r.closedOn,
      reason: r.reason,
      retainedUntil: r.retainedUntil,
      rule: "24 C.F.R. 214.315",
      event: r.event,
    },
    () =>
      [
        `Closed the file of ${r.client.name} on ${r.closedOn}${r.reason ? ` (${r.reason})` : ""}.`,
        `Keep it until ${r.retainedUntil}: three years after it closed (24 C.F.R. 214.315). Then: loanmail client purge "${r.client.name}"`,
      ].join("\n"),
  );
  return EXIT.ok;
}

async function runReopen(ctx: Context, name: string): Promise<number> {
  const { reopenClient } = await import("../../app/client-retention.js");
  const r = reopenClient(ctx, name);
  ctx.out.result({ client: r.client.name, event: r.event }, () => `Reopened the file of ${r.client.name}.`);
  return EXIT.ok;
}

interface PurgeOptions {
  asOf?: string;
  force?: boolean;
  reason?: string;
  out?: string;
  export?: boolean;
}

async function runPurge(ctx: Context, name: string, opts: PurgeOptions): Promise<number> {
  const asOf = opts.asOf === undefined ? undefined : checkDate(opts.asOf, "--as-of");
  if (opts.export === false && opts.out !== undefined)
    throw new UserError("--out names the export, and --no-export asks for none", {
      code: "CONFLICTING_OPTIONS",
      hint: "give one of them",
      exitCode: EXIT.usage,
    });
  if (opts.reason !== undefined && !opts.force)
    throw new UserError("--reason goes with --force (a purge before the retention period is over)", {
      code: "CONFLICTING_OPTIONS",
      hint: "add --force, or leave out --reason",
      exitCode: EXIT.usage,
    });
  const today = isoDateIn(ctx.now, ctx.timeZone());
  const out = opts.export === false ? null : (opts.out ?? `client-file-${today}-purged.zip`);
  if (out !== null && !out.trim())
    throw new UserError("--out is empty", { code: "EMPTY_VALUE", hint: "give a file name" });
  const { purgeClientFile } = await import("../../app/client-retention.js");
  const r = await purgeClientFile(ctx, { name, asOf, force: opts.force === true, reason: opts.reason, out }).catch(
    (err: unknown) => {
      // --force here means "before the retention period is over", never "replace the export file".
      if (err instanceof UserError && err.code === "OUTPUT_EXISTS")
        throw new UserError(err.message, { code: "PURGE_EXPORT_EXISTS", hint: "choose another file with --out" });
      throw err;
    },
  );
  const removed = Object.entries(r.counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${k.replace(/_/g, " ")}`);
  ctx.out.result(
    {
      client: r.client.name,
      clientId: r.client.id,
      closedOn: r.closedOn,
      retainedUntil: r.retainedUntil,
      export: r.export,
      counts: r.counts,
      event: { id: r.event.id, type: r.event.type, hash: r.event.hash },
      scrubbed: r.scrubbed,
    },
    () =>
      [
        r.export
          ? `Wrote the whole file of ${r.client.name} to ${r.export.out} (SHA-256 ${r.export.sha256}). Keep it where the agency keeps closed files.`
          : `No export was written (--no-export).`,
        `Purged client ${r.client.id} (${r.client.name}): removed ${removed.join(", ")}.`,
        `Recorded in the agency log as event ${r.event.id} (loanmail client log); verify --db checks it.`,
        ...(r.scrubbed
          ? []
          : [
              "Another loanmail command was reading: the database file could not be rebuilt, so copies of the removed rows may remain in its free pages until the next purge.",
            ]),
      ].join("\n"),
  );
  return EXIT.ok;
}

async function runLog(ctx: Context): Promise<number> {
  const { agencyLog } = await import("../../app/client-retention.js");
  const entries = agencyLog(ctx);
  ctx.out.result({ entries }, () => {
    if (entries.length === 0) return "The agency log is empty: no client was closed or purged.";
    return formatTable(
      ["EVENT", "AT", "WHAT", "CLIENT", "DETAIL"],
      entries.map((e) => [
        String(e.event),
        e.at.slice(0, 10),
        e.type.replace("client-", ""),
        e.client ?? `client ${e.clientId ?? "?"}`,
        detailOf(e.type, e.data as Record<string, unknown>),
      ]),
    );
  });
  return EXIT.ok;
}

function detailOf(type: string, d: Record<string, unknown>): string {
  if (type === "client-closed") return `closed on ${String(d.on)}${d.reason ? `: ${String(d.reason)}` : ""}`;
  if (type === "client-reopened") return `had closed on ${String(d.closed_on)}`;
  const counts = (d.counts ?? {}) as Record<string, number>;
  const exp = d.export as { sha256?: string } | null;
  return [
    `by ${String(d.by)}`,
    `${counts.cases ?? 0} cases, ${counts.messages ?? 0} messages, ${counts.events ?? 0} events`,
    exp?.sha256 ? `export ${exp.sha256.slice(0, 16)}…` : "no export",
    d.forced_reason ? `early: ${String(d.forced_reason)}` : `kept until ${String(d.retained_until)}`,
  ].join("; ");
}

export const clientRetentionCommands: CommandModule = {
  // The `client` group is declared by client.ts, which main.ts loads before this module.
  commands: [
    {
      name: "client close <client>",
      description: "close a client's file (kept three years after, 24 C.F.R. 214.315)",
      options: [
        { flags: "--on <date>", description: "the day it closed (default today)" },
        { flags: "--reason <text>", description: "why it closed" },
      ],
      run: runClose,
    },
    { name: "client reopen <client>", description: "reopen a closed client's file", run: runReopen },
    {
      name: "client purge <client>",
      description: "remove a closed client's whole file after the retention period (exported first)",
      options: [
        { flags: "--out <file>", description: "where the whole-file export goes (default: in this folder)" },
        { flags: "--no-export", description: "write no export first" },
        { flags: "--force", description: "purge before the three years are over (needs --reason)" },
        { flags: "--reason <text>", description: "why the file is purged early (recorded)" },
        { flags: "--as-of <date>", description: "check the retention period on this day (default today)" },
      ],
      run: runPurge,
    },
    { name: "client log", description: "the agency log: closes, reopens and purges", run: runLog },
  ],
};
