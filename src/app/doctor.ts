/**
 * `loanmail doctor`: what would stop loanmail working or keeping a true record, one check at a time, each ok, warn
 * or fail with what to do. It only reads: the home's paths (owner, modes: config/home.ts inspectHome), config.toml
 * (parsed and typed as every command reads it), the database (opened read-only: schema version, SQLite's
 * integrity_check and quick_check, the hash chains and the stored bytes' hashes as `verify --db` walks them),
 * each mail account (doctor-mail.ts: DNS, connection, TLS and certificate; a login only with `--login`), and
 * the PDF renderer. Unlike every other command it runs on a home that is not private, to say what is wrong.
 */
import { existsSync } from "node:fs";
import { type Config, readConfig } from "../config/config.js";
import { type HomePaths, inspectHome } from "../config/home.js";
import { count } from "../domain/words.js";
import { UserError } from "../errors.js";
import { renderProbePdf } from "../export/pdf-probe.js";
import { verifyDatabase } from "../export/verify-db.js";
import { listCases } from "../store/cases.js";
import { type Db, openDbToRead } from "../store/db.js";
import { schemaVersions, sqliteCheck } from "../store/health.js";
import { accountChecks, type ProbeFn } from "./doctor-mail.js";

export type CheckStatus = "ok" | "warn" | "fail";

export interface DoctorCheck {
  /** What was checked: "home", "config", "database", "integrity", "account gmail smtp", "pdf", ... */
  check: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or failure; null when nothing is to be done. */
  fix: string | null;
}

export interface DoctorRequest {
  home: HomePaths;
  env: NodeJS.ProcessEnv;
  now: Date;
  /** Also log in to each account (runs its password command). */
  login: boolean;
  /** How long each server may take to answer. */
  timeoutMs: number;
  /** The TLS probe (tests may pass their own). */
  probe?: ProbeFn;
}

const INIT = "loanmail init --name NAME --email ADDR --address TEXT (or name another home with --home)";

const ok = (check: string, detail: string): DoctorCheck => ({ check, status: "ok", detail, fix: null });
const warn = (check: string, detail: string, fix: string | null): DoctorCheck => ({
  check,
  status: "warn",
  detail,
  fix,
});
const fail = (check: string, detail: string, fix: string | null): DoctorCheck => ({
  check,
  status: "fail",
  detail,
  fix,
});

/** The folder, config.toml and loanmail.db: the user's, writable by no one else, readable by no one else. */
function homeChecks(home: HomePaths): DoctorCheck[] {
  const names: Record<string, string> = {
    [home.dir]: "home",
    [home.config]: "config file",
    [home.db]: "database file",
  };
  return inspectHome(home).flatMap((p) => {
    const check = names[p.path] ?? p.path;
    if (p.problem) return [fail(check, p.problem.message, p.problem.hint ?? null)];
    // A missing config or database is said by its own check below.
    if (p.mode === null) return [];
    const mode = p.mode.toString(8).padStart(4, "0");
    if (p.othersMayRead)
      return [
        warn(
          check,
          `${p.what} ${p.path} may be read by other users (mode ${mode}); it holds the borrower's records`,
          `chmod ${p.privateMode} ${p.path}`,
        ),
      ];
    return [ok(check, `${p.path}: yours alone (mode ${mode})`)];
  });
}

function configCheck(home: HomePaths): { check: DoctorCheck; config?: Config } {
  if (!existsSync(home.config)) return { check: fail("config", `no config.toml in ${home.dir}`, INIT) };
  try {
    const config = readConfig(home.config);
    const accounts = Object.keys(config.accounts).length;
    const detail = `config.toml is valid: ${config.user.name}, time zone ${config.user.timezone}, ${count(accounts, "mail account")}`;
    return { check: ok("config", detail), config };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { check: fail("config", err.message, err.hint ?? null) };
  }
}

/** The database's own checks, on a read-only connection. */
function recordChecks(db: Db): DoctorCheck[] {
  const out: DoctorCheck[] = [];
  const v = schemaVersions(db);
  if (v.file < v.latest)
    out.push(
      warn(
        "schema",
        `the database is at schema version ${v.file}; this loanmail writes ${v.latest}`,
        "the next loanmail command that opens it upgrades it (to keep this version, copy loanmail.db first, while no loanmail runs)",
      ),
    );
  else out.push(ok("schema", `schema version ${v.file} (current)`));
  const restore =
    "keep this file aside (do not write to it), restore your latest loanmail backup, and ask for help with the damaged copy";
  for (const [which, check] of [
    ["integrity_check", "integrity"],
    ["quick_check", "quick check"],
  ] as const) {
    const found = sqliteCheck(db, which);
    if (found.length === 1 && found[0] === "ok") out.push(ok(check, `SQLite's ${which} says ok`));
    else out.push(fail(check, `SQLite's ${which} found: ${found.join("; ")}`, restore));
  }
  if (v.file < v.latest) {
    // The walk reads tables of the current schema; a read-only doctor does not upgrade the file to get them.
    out.push(
      warn(
        "chains",
        "not walked: the database is not yet at the current schema",
        "run loanmail doctor again after the upgrade",
      ),
    );
    return out;
  }
  out.push(chainCheck(db));
  return out;
}

/**
 * What verify --db checks first: every event's hash and link, the kept chain heads, then each stored message's and
 * file's bytes against their SHA-256. Its last part (every fact shown against the chain, each message parsed
 * again) is left to verify --db itself.
 */
function chainCheck(db: Db): DoctorCheck {
  const tags = new Map(listCases(db).map((c) => [c.id, c.tag]));
  const report = verifyDatabase(db, (id) => tags.get(id));
  if (report.ok)
    return ok(
      "chains",
      `${count(report.events, "event")} in ${count(report.chains, "chain")}, ${count(report.messages, "message")} and ${count(report.blobs, "file")} match their hashes (the facts shown: loanmail verify --db)`,
    );
  return fail(
    "chains",
    `${report.first?.subject}: ${report.first?.detail}`,
    "run loanmail verify --db for the whole report; the record was changed outside loanmail, so restore your latest backup and keep this copy as it is",
  );
}

function databaseChecks(home: HomePaths): DoctorCheck[] {
  if (!existsSync(home.db)) return [fail("database", `no loanmail.db in ${home.dir}`, INIT)];
  let db: Db;
  try {
    db = openDbToRead(home.db);
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return [fail("database", err.message, err.hint ?? null)];
  }
  try {
    return [ok("database", `${home.db} opens`), ...recordChecks(db)];
  } finally {
    db.close();
  }
}

async function pdfCheck(): Promise<DoctorCheck[]> {
  const checks: DoctorCheck[] = [];
  try {
    const bytes = await renderProbePdf();
    checks.push(ok("pdf", `the PDF renderer (pdfkit) wrote a one-line page (${bytes} bytes)`));
  } catch (err) {
    checks.push(
      fail(
        "pdf",
        `the PDF renderer failed: ${(err as Error).message}`,
        "reinstall loanmail (npm install -g loanmail): a package it prints with is missing or broken",
      ),
    );
  }
  // The Unicode font for names outside Windows-1252 (Vietnamese, Chinese, Korean): without it they print as "?".
  const { fontStatus } = await import("../export/pdf-fonts.js");
  const fonts = fontStatus();
  const scripts = Object.entries(fonts.covers)
    .filter(([, covered]) => covered)
    .map(([script]) => script);
  if (fonts.problems.length === 0)
    checks.push(ok("fonts", `PDFs print in ${fonts.font}, covering ${scripts.join(", ")}`));
  else
    for (const problem of fonts.problems) {
      const [what, fix] = problem.split("; ");
      checks.push(warn("fonts", what ?? problem, fix ?? null));
    }
  return checks;
}

/** Every check, in the order a user fixes things: home, config, database, accounts, PDF. */
export async function runDoctor(req: DoctorRequest): Promise<DoctorCheck[]> {
  const { home } = req;
  const checks: DoctorCheck[] = [];
  if (!existsSync(home.dir)) {
    checks.push(fail("home", `no loanmail home at ${home.dir}`, INIT));
    return [...checks, ...(await pdfCheck())];
  }
  const paths = homeChecks(home);
  checks.push(...paths);
  const { check, config } = configCheck(home);
  checks.push(check, ...databaseChecks(home));
  if (config) {
    // A home others may change may hold someone else's password command: doctor does not run it.
    const trusted = !paths.some((c) => c.status === "fail");
    checks.push(...(await accountChecks(config, { ...req, untrusted: !trusted })));
  }
  checks.push(...(await pdfCheck()));
  return checks;
}
