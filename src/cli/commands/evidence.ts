/**
 * Evidence commands: `timeline` (a case and its escalations, or every case, as text, JSON, CSV or HTML),
 * `export` (the evidence bundle zip, recorded as an `exported` event) and `verify` (a bundle's hashes and event
 * chain, or the chains inside the database; exit 5 on the first mismatch).
 */

import { chmodSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { gatherTimelineSources } from "../../app/timeline-sources.js";
import { EXIT, isErrno, UserError } from "../../errors.js";
import { renderHtmlReport } from "../../export/html-report.js";
import { buildRedactor, redactTimeline } from "../../export/redact.js";
import { buildTimeline, type TimelineDoc } from "../../export/timeline.js";
import { renderTimelineCsv, renderTimelineJson, renderTimelineText } from "../../export/timeline-render.js";
import { collectCaseTree, orderCaseForest, type SourceCase } from "../../export/timeline-sources.js";
import { listCases, requireCase } from "../../store/cases.js";
import { appendCaseEvent } from "../../store/events.js";
import { requireClient } from "../../store/loans.js";
import { readToolVersion } from "../../version.js";
import { type CommandModule, lazy } from "../command.js";
import type { Context } from "../context.js";
import { sanitizeForTerminal } from "../output.js";
import { asOfDate } from "./clocks.js";

const FORMATS = ["text", "json", "csv", "html"] as const;
type Format = (typeof FORMATS)[number];

/** Every account number the cases' loans have had: what --redact masks besides SSNs. */
function accountNumbers(sources: readonly SourceCase[]): string[] {
  return [...new Set(sources.flatMap((s) => [s.accountNumber, ...s.pastAccountNumbers]))];
}

function checkOut(out: string): void {
  if (!out.trim()) throw new UserError("--out is empty", "give a file name");
}

export async function runTimeline(
  ctx: Context,
  ref: string | undefined,
  opts: { all?: boolean; format?: string; out?: string; redact?: boolean },
): Promise<number> {
  if (ref !== undefined && opts.all) throw new UserError("give a CASE or --all, not both", "loanmail timeline 3");
  if (ref === undefined && !opts.all)
    throw new UserError("which case?", "loanmail timeline CASE, or loanmail timeline --all for every case");
  const requested = (opts.format ?? "text") as Format;
  if (!FORMATS.includes(requested))
    throw new UserError(`--format ${opts.format}: not a format`, `use one of: ${FORMATS.join(", ")}`);
  // --json alone asks for the JSON document.
  const format: Format = ctx.out.json && requested === "text" ? "json" : requested;
  if (opts.out !== undefined) {
    checkOut(opts.out);
    const { checkOutPath } = await import("../../export/bundle.js");
    checkOutPath(opts.out);
  }

  const db = ctx.db();
  const tz = ctx.timeZone();
  const tree =
    ref !== undefined
      ? collectCaseTree(requireCase(db, ref, ctx.prefix()), listCases(db))
      : orderCaseForest(
          listCases(db, { clientId: ctx.options.client ? requireClient(db, ctx.options.client) : undefined }),
        );
  const asOf = asOfDate(ctx, undefined);
  const sources = gatherTimelineSources(db, tree, tz, asOf);
  let doc: TimelineDoc = buildTimeline({ cases: sources, generatedAt: ctx.nowIso, timeZone: tz, asOf });
  if (opts.redact) doc = redactTimeline(doc, buildRedactor(accountNumbers(sources)));

  const title =
    ref !== undefined
      ? `Timeline: ${doc.cases[0]?.tag ?? ref}${doc.redacted ? " (redacted)" : ""}`
      : `Timeline: every case${doc.redacted ? " (redacted)" : ""}`;
  const text =
    format === "json"
      ? renderTimelineJson(doc)
      : format === "csv"
        ? renderTimelineCsv(doc)
        : format === "html"
          ? renderHtmlReport(doc, { title })
          : sanitizeForTerminal(renderTimelineText(doc));
  const rows = doc.cases.reduce((n, c) => n + c.rows.length, 0);

  if (opts.out === undefined) {
    process.stdout.write(text);
    return EXIT.ok;
  }
  try {
    writeFileSync(opts.out, text, { mode: 0o600 });
    chmodSync(opts.out, 0o600);
  } catch (err) {
    if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOTDIR", "ENOSPC")) {
      throw new UserError(
        `cannot write ${opts.out} (${(err as NodeJS.ErrnoException).code})`,
        "choose a writable file path for --out",
      );
    }
    throw err;
  }
  ctx.out.result(
    { out: opts.out, format, cases: doc.cases.length, rows, redacted: doc.redacted },
    () =>
      `Wrote ${opts.out}: ${doc.cases.length} case(s), ${rows} row(s), ${format}${doc.redacted ? ", redacted" : ""}.`,
  );
  return EXIT.ok;
}

export async function runExport(ctx: Context, ref: string, opts: { out?: string; redact?: boolean }): Promise<number> {
  if (opts.out === undefined)
    throw new UserError("--out FILE.zip is required", `for example: loanmail export ${ref} --out case-${ref}.zip`);
  checkOut(opts.out);
  const { checkOutPath, writeBundle } = await import("../../export/bundle.js");
  checkOutPath(opts.out);
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  const tree = collectCaseTree(c, listCases(db));
  const asOf = asOfDate(ctx, undefined);
  const sources = gatherTimelineSources(db, tree, ctx.timeZone(), asOf);
  const redact = opts.redact === true;
  const result = await writeBundle({
    db,
    sources,
    out: opts.out,
    redact,
    redactor: buildRedactor(accountNumbers(sources)),
    now: ctx.now,
    asOf,
    user: ctx.config().user,
    toolVersion: readToolVersion(),
  });
  // After the zip is complete: the event names the manifest's hash, which the bundle cannot contain itself.
  const ev = db.transaction(() =>
    appendCaseEvent(db, c, {
      at: ctx.nowIso,
      type: "exported",
      actor: "user",
      data: {
        file: basename(result.out),
        manifest_sha256: result.manifestSha256,
        chain_head: result.chainHead,
        chain_heads: Object.fromEntries(result.chains.map((x) => [x.case, x.head])),
        redacted: result.redacted,
        files: result.files,
        omitted: result.omitted,
        bytes: result.bytes,
      },
    }),
  )();
  ctx.out.result(
    {
      case: c.tag,
      out: result.out,
      bytes: result.bytes,
      files: result.files,
      omitted: result.omitted,
      redacted: result.redacted,
      manifestSha256: result.manifestSha256,
      chainHead: result.chainHead,
      chains: result.chains,
      event: { id: ev.id, type: ev.type, hash: ev.hash },
    },
    () =>
      [
        `Wrote ${result.out}: ${result.files} files and a certificate (${result.bytes} bytes) for ${c.tag}${
          result.chains.length > 1 ? ` and ${result.chains.length - 1} escalation(s)` : ""
        }.`,
        `manifest.json SHA-256 ${result.manifestSha256}`,
        `chain head ${result.chainHead}`,
        ...(result.redacted
          ? [
              `Redacted: numbers masked to the last 4; ${result.omitted} byte-exact original(s) and events.jsonl left out (listed by hash in manifest.json).`,
            ]
          : []),
        `Recorded as event ${ev.id}. Check a copy with: loanmail verify ${result.out}`,
      ].join("\n"),
  );
  return EXIT.ok;
}

export async function runVerify(ctx: Context, file: string | undefined, opts: { db?: boolean }): Promise<number> {
  const { verifyBundle } = await import("../../export/verify.js");
  const { verifyDatabase } = await import("../../export/verify-db.js");
  if (opts.db && file !== undefined) throw new UserError("give FILE.zip or --db, not both", "loanmail verify --db");
  if (opts.db) {
    const db = ctx.db();
    const tags = new Map(listCases(db).map((c) => [c.id, c.tag]));
    const r = verifyDatabase(db, (id) => tags.get(id));
    ctx.out.result(
      { ok: r.ok, events: r.events, chains: r.chains, messages: r.messages, blobs: r.blobs, mismatch: r.first },
      () =>
        r.ok
          ? `Database ${ctx.home.db}: ${r.events} events in ${r.chains} chains link and hash correctly; ${r.messages} messages and ${r.blobs} files match their SHA-256.`
          : `Database ${ctx.home.db}: MISMATCH at ${r.first?.subject}: ${r.first?.detail} (after ${r.events} events checked).`,
    );
    if (!r.ok && r.first) {
      throw new UserError(
        `${r.first.subject} does not match: ${r.first.detail}`,
        "the database was changed outside loanmail; keep this copy and compare with a backup or an exported bundle",
        EXIT.verifyMismatch,
      );
    }
    return EXIT.ok;
  }
  if (file === undefined)
    throw new UserError("which bundle?", "loanmail verify FILE.zip, or loanmail verify --db for the database");
  const r = await verifyBundle(file);
  ctx.out.result(
    {
      file,
      ok: r.ok,
      counts: r.counts,
      redacted: r.redacted,
      toolVersion: r.toolVersion,
      createdAt: r.createdAt,
      checks: r.findings,
      mismatch: r.first,
    },
    () =>
      [
        `Checked ${file}${r.toolVersion ? ` (made by loanmail ${r.toolVersion} on ${r.createdAt ?? "?"})` : ""}:`,
        ...r.findings.map((f) => `  ${f.ok ? "ok      " : "MISMATCH"}  ${f.subject}: ${f.detail}`),
        `${r.counts.files} files against the manifest, ${r.counts.messages} originals against their stored hashes, ${r.counts.events} events in ${r.counts.chains} chains${
          r.counts.omitted ? `; ${r.counts.omitted} files left out of this ${r.redacted ? "redacted " : ""}bundle` : ""
        }${r.redacted ? "; no event log in a redacted bundle" : ""}.`,
        r.ok ? "Everything matches." : `${r.findings.filter((f) => !f.ok).length} mismatch(es).`,
      ].join("\n"),
  );
  if (!r.ok && r.first) {
    throw new UserError(
      `${r.first.subject} does not match: ${r.first.detail}`,
      "this copy differs from the record it was made from; ask for the original bundle or the database",
      EXIT.verifyMismatch,
    );
  }
  return EXIT.ok;
}

export const evidenceCommands: CommandModule = {
  commands: [
    {
      name: "timeline [case]",
      description: "one row per event of a case (or --all), as text, JSON, CSV or HTML",
      options: [
        { flags: "--all", description: "every case" },
        {
          flags: "--format <format>",
          description: "output format",
          choices: ["text", "json", "csv", "html"],
          default: "text",
        },
        { flags: "--out <file>", description: "write to a file instead of stdout" },
        { flags: "--redact", description: "mask SSNs and account numbers to the last 4" },
      ],
      run: runTimeline,
    },
    {
      name: "export <case>",
      description: "write the case's evidence bundle (zip) with originals, exhibits, chronology and hashes",
      options: [
        { flags: "--out <file>", description: "the .zip to write" },
        { flags: "--redact", description: "mask SSNs and account numbers; leaves out the byte-exact originals" },
      ],
      run: runExport,
    },
    {
      name: "verify [file]",
      description: "check an evidence bundle's hashes and event chain (or --db: the database's chains)",
      options: [{ flags: "--db", description: "walk the event chains inside the database" }],
      run: runVerify,
    },
    {
      name: "backup",
      description: "write a consistent copy of the database",
      options: [{ flags: "--out <file>", description: "the copy to write" }],
      run: lazy(
        () => import("./backup.js"),
        (m) => m.runBackup,
      ),
    },
  ],
};
