/**
 * Evidence commands: `timeline` (a case and its escalations, or every case, as text, JSON, CSV or HTML),
 * `export` (the evidence bundle zip, recorded as an `exported` event) and `verify` (a bundle's hashes and event
 * chain, or the chains inside the database; exit 5 on the first mismatch), and `backup` (a consistent owner-only copy
 * of the database; config.toml holds no secret and is small: copy it beside if you want it). The work is in
 * src/app/evidence.ts and src/app/backup.ts.
 */
import type { TimelineFormat } from "../../app/evidence.js";
import { count } from "../../domain/words.js";
import { EXIT, UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { sanitizeForTerminal } from "../output.js";
import { progressFor } from "../progress.js";

const FORCE = { flags: "--force", description: "replace the --out file if it exists (never a folder, device or link)" };
const FORMATS: readonly TimelineFormat[] = ["text", "json", "csv", "html"];
const isFormat = (v: string): v is TimelineFormat => (FORMATS as readonly string[]).includes(v);

function checkOut(out: string): void {
  if (!out.trim()) throw new UserError("--out is empty", { code: "EMPTY_VALUE", hint: "give a file name" });
}

async function runTimeline(
  ctx: Context,
  ref: string | undefined,
  opts: { all?: boolean; format?: string; out?: string; redact?: boolean; force?: boolean },
): Promise<number> {
  if (ref !== undefined && opts.all)
    throw new UserError("give a CASE or --all, not both", {
      code: "CONFLICTING_OPTIONS",
      hint: "loanmail timeline 3",
    });
  if (ref === undefined && !opts.all)
    throw new UserError("which case?", {
      code: "MISSING_ARGUMENT",
      hint: "loanmail timeline CASE, or loanmail timeline --all for every case",
      exitCode: EXIT.user,
    });
  const requested = opts.format ?? "text";
  if (!isFormat(requested))
    throw new UserError(`--format ${opts.format}: not a format`, {
      code: "UNKNOWN_FORMAT",
      hint: `use one of: ${FORMATS.join(", ")}`,
    });
  // --json alone asks for the JSON document; with another format on stdout it would be a second answer to one
  // question (with --out, --format is the file's and --json the report's).
  if (ctx.out.json && opts.out === undefined && opts.format !== undefined && requested !== "json")
    throw new UserError(`--json and --format ${requested} ask for two formats`, {
      code: "CONFLICTING_OPTIONS",
      hint: `give one: --format ${requested} or --json`,
    });
  const format: TimelineFormat = ctx.out.json && requested === "text" ? "json" : requested;
  if (opts.out !== undefined) checkOut(opts.out);

  const { writeTimeline } = await import("../../app/evidence.js");
  const r = writeTimeline(ctx, {
    ref,
    format,
    redact: opts.redact === true,
    out: opts.out,
    force: opts.force === true,
    cleanText: sanitizeForTerminal,
  });
  if (opts.out === undefined) {
    process.stdout.write(r.text);
    return EXIT.ok;
  }
  ctx.out.result(
    { out: opts.out, format, cases: r.cases, rows: r.rows, redacted: r.redacted },
    () =>
      `Wrote ${opts.out}: ${count(r.cases, "case")}, ${count(r.rows, "row")}, ${format}${r.redacted ? ", redacted" : ""}.`,
  );
  return EXIT.ok;
}

type ExportOptions = { out?: string; redact?: boolean; batesPrefix?: string; force?: boolean };

async function runExport(ctx: Context, ref: string | undefined, opts: ExportOptions): Promise<number> {
  const client = ctx.clientName();
  if (ref === undefined && client === undefined)
    throw new UserError("which case, or which client?", {
      code: "MISSING_ARGUMENT",
      hint: 'loanmail export CASE --out case.zip, or a client\'s whole file: loanmail export --client "NAME" --out file.zip',
      exitCode: EXIT.user,
    });
  if (opts.out === undefined)
    throw new UserError("--out FILE.zip is required", {
      code: "MISSING_OPTION",
      hint: `for example: loanmail export ${ref ?? `--client "${client}"`} --out ${ref ? `case-${ref}` : "client-file"}.zip`,
    });
  checkOut(opts.out);
  if (ref === undefined) return runClientExport(ctx, client ?? "", { ...opts, out: opts.out });
  const { exportBundle } = await import("../../app/evidence.js");
  const exported = await exportBundle(ctx, {
    ref,
    out: opts.out,
    force: opts.force === true,
    redact: opts.redact === true,
    batesPrefix: opts.batesPrefix,
    progress: await progressFor(ctx),
  });
  const { caseRecord: c, bundle: result, event: ev } = exported;
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
        `Wrote ${result.out}: ${count(result.files, "file")} (${count(result.bytes, "byte")}) for ${c.tag}${
          result.chains.length > 1 ? ` and ${count(result.chains.length - 1, "escalation")}` : ""
        }, Bates ${result.bates.first ?? "none"} to ${result.bates.last ?? "none"}.`,
        "To sign: declaration.pdf (what you sent and received, 28 U.S.C. 1746) and certificate.pdf (the copies, FRE 902(14)). Read them first and strike anything that is not true.",
        `manifest.json SHA-256 ${result.manifestSha256}`,
        `chain head ${result.chainHead}`,
        ...(result.redacted
          ? [
              `Redacted: numbers masked to the last 4; ${count(result.omitted, "byte-exact original")} and events.jsonl left out (listed by hash in manifest.json).`,
            ]
          : []),
        `Recorded as event ${ev.id}. Check a copy with: loanmail verify ${result.out}`,
      ].join("\n"),
  );
  return EXIT.ok;
}

/** `export --client C --out FILE.zip`: the client's whole file (every case, its own chain, intake and plan). */
async function runClientExport(ctx: Context, clientName: string, opts: ExportOptions & { out: string }) {
  const { exportClientFile } = await import("../../app/client-file.js");
  const r = await exportClientFile(ctx, {
    clientName,
    out: opts.out,
    force: opts.force === true,
    redact: opts.redact === true,
    batesPrefix: opts.batesPrefix,
    progress: await progressFor(ctx),
  });
  const b = r.bundle;
  ctx.out.result(
    {
      client: r.client.name,
      cases: r.cases,
      out: b.out,
      bytes: b.bytes,
      files: b.files,
      omitted: b.omitted,
      redacted: b.redacted,
      manifestSha256: b.manifestSha256,
      chainHead: b.chainHead,
      chains: b.chains,
      event: { id: r.event.id, type: r.event.type, hash: r.event.hash },
    },
    () =>
      [
        `Wrote ${b.out}: the whole file of ${r.client.name}: ${count(r.cases.length, "case")}${r.cases.length ? ` (${r.cases.join(", ")})` : ""}, the client's own record, intake and action plan; ${count(b.files, "file")} (${count(b.bytes, "byte")}).`,
        `manifest.json SHA-256 ${b.manifestSha256}`,
        ...b.chains.map((c) => `chain of ${c.case}: ${c.events} events, head ${c.head}`),
        ...(b.redacted
          ? ["Redacted: numbers masked to the last 4; byte-exact originals and events.jsonl left out."]
          : []),
        `Recorded as event ${r.event.id} on the client's own record. Check a copy with: loanmail verify ${b.out}`,
      ].join("\n"),
  );
  return EXIT.ok;
}

async function runVerify(ctx: Context, file: string | undefined, opts: { db?: boolean }): Promise<number> {
  if (opts.db && file === undefined) {
    const { verifyStoredEvidence } = await import("../../app/evidence.js");
    const r = await verifyStoredEvidence(ctx, undefined, await progressFor(ctx));
    ctx.out.result(
      { ok: r.ok, events: r.events, chains: r.chains, messages: r.messages, blobs: r.blobs, mismatch: r.first },
      () =>
        r.ok
          ? `Database ${ctx.home.db}: ${count(r.events, "event")} in ${count(r.chains, "chain")} link and hash correctly; ${count(r.messages, "message")} and ${count(r.blobs, "file")} match their SHA-256; every message's hash, class, case, arrival and parsed fields match its events and bytes.`
          : `Database ${ctx.home.db}: MISMATCH at ${r.first?.subject}: ${r.first?.detail} (after ${count(r.events, "event")} checked).`,
    );
    if (!r.ok && r.first) {
      throw new UserError(`${r.first.subject} does not match: ${r.first.detail}`, {
        code: "DATABASE_MISMATCH",
        hint: "the database was changed outside loanmail; keep this copy and compare with a backup or an exported bundle",
      });
    }
    return EXIT.ok;
  }
  if (file === undefined)
    throw new UserError("which bundle?", {
      code: "MISSING_ARGUMENT",
      hint: "loanmail verify FILE.zip, or loanmail verify --db for the database",
      exitCode: EXIT.user,
    });
  const { verifyBundleFile } = await import("../../app/evidence.js");
  // With --db, the bundle is also checked against this home's database (its chains must continue the bundle's).
  const r = await verifyBundleFile(file, opts.db ? ctx : undefined, await progressFor(ctx));
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
      notChecked: r.notChecked ?? [],
    },
    () =>
      [
        `Checked ${file}${r.toolVersion ? ` (made by loanmail ${r.toolVersion} on ${r.createdAt ?? "?"})` : ""}:`,
        ...r.findings.map((f) => `  ${f.ok ? "ok      " : "MISMATCH"}  ${f.subject}: ${f.detail}`),
        ...(r.notChecked ?? []).map((w) => `  NOT CHECKED  ${w}`),
        `${count(r.counts.files, "file")} against the manifest, ${count(r.counts.messages, "original")} against their stored hashes, ${count(r.counts.events, "event")} in ${count(r.counts.chains, "chain")}${
          r.counts.omitted
            ? `; ${count(r.counts.omitted, "file")} left out of this ${r.redacted ? "redacted " : ""}bundle`
            : ""
        }${r.redacted ? "; no event log in a redacted bundle" : ""}.`,
        r.ok
          ? r.notChecked?.length
            ? "Everything checked matches; what was not checked is named above."
            : "Everything matches."
          : `${r.findings.filter((f) => !f.ok).length} mismatch(es).`,
      ].join("\n"),
  );
  if (!r.ok && r.first) {
    throw new UserError(`${r.first.subject} does not match: ${r.first.detail}`, {
      code: "BUNDLE_MISMATCH",
      hint: "this copy differs from the record it was made from; ask for the original bundle or the database",
    });
  }
  return EXIT.ok;
}

/** `backup --out FILE`: a consistent copy of the database (SQLite's online backup, safe while others run). */
async function runBackup(ctx: Context, opts: { out?: string; force?: boolean }): Promise<number> {
  const out = opts.out;
  if (!out)
    throw new UserError("--out is required", {
      code: "MISSING_OPTION",
      hint: "for example: loanmail backup --out loanmail-2026-11-27.db",
    });
  const { backupTo } = await import("../../app/backup.js");
  const pages = await backupTo(ctx, out, opts.force === true);
  ctx.out.result(
    { out, pages },
    () => `Wrote a copy of the database to ${out} (${pages} pages). Keep it somewhere only you can read.`,
  );
  return 0;
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
          // No commander default: a --format the user typed and --json together on stdout are a conflict.
          description: "output format (default text; json with --json)",
          choices: ["text", "json", "csv", "html"],
        },
        { flags: "--out <file>", description: "write to a file instead of stdout" },
        FORCE,
        { flags: "--redact", description: "mask SSNs and account numbers to the last 4" },
      ],
      run: runTimeline,
    },
    {
      name: "export [case]",
      description:
        "write the case's evidence bundle (zip) with originals, exhibits, chronology and hashes; with --client and no case, the client's whole file",
      options: [
        { flags: "--out <file>", description: "the .zip to write" },
        FORCE,
        { flags: "--redact", description: "mask SSNs and account numbers; leaves out the byte-exact originals" },
        {
          flags: "--bates-prefix <prefix>",
          description: "what each Bates number starts with (default: the case tag and -)",
        },
      ],
      run: runExport,
    },
    {
      name: "verify [file]",
      description: "check an evidence bundle's hashes and event chain (or --db: the database's chains)",
      options: [
        {
          flags: "--db",
          description: "walk the database's chains and facts; with FILE.zip, check the bundle against the database",
        },
      ],
      run: runVerify,
    },
    {
      name: "backup",
      description: "write a consistent copy of the database",
      options: [{ flags: "--out <file>", description: "the copy to write" }, FORCE],
      run: runBackup,
    },
  ],
};
