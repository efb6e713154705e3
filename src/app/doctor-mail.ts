/**
 * `doctor`'s checks of the mail accounts in config.toml (src/app/doctor.ts): each account as the mail layer reads
 * it, then its SMTP and IMAP servers reached over verified TLS (src/mail/tls-probe.ts): the host found, the port
 * answering, STARTTLS where configured, the certificate trusted and not about to expire. A login (which runs the
 * account's password command) only with `--login`, through the same path as `account test`.
 */
import { type Account, readCa, validateAccount } from "../config/accounts.js";
import type { Config } from "../config/config.js";
import { UserError } from "../errors.js";
import { type ProbeEndpoint, type ProbeResult, probeTls } from "../mail/tls-probe.js";
import { testAccount } from "./accounts.js";
import type { DoctorCheck } from "./doctor.js";

export type ProbeFn = (ep: ProbeEndpoint, timeoutMs: number) => Promise<ProbeResult>;

/** A certificate that ends within this many days is a warning. */
const EXPIRY_WARNING_DAYS = 14;

interface MailCheckOptions {
  env: NodeJS.ProcessEnv;
  now: Date;
  login: boolean;
  /** The home is not private: no password command is run. */
  untrusted: boolean;
  timeoutMs: number;
  probe?: ProbeFn | undefined;
}

/** What to do when a server cannot be reached, by where it failed. */
function fixFor(account: Account, which: "smtp" | "imap", r: Extract<ProbeResult, { ok: false }>): string {
  const set = `loanmail account set ${account.name}`;
  const ports = which === "smtp" ? "587 with starttls or 465 with tls" : "993 with tls or 143 with starttls";
  switch (r.stage) {
    case "dns":
      return `check the server's name (your provider's help pages give it): ${set} --${which}-host HOST`;
    case "connect":
      return `check the port (usually ${ports}) and that the server is up: ${set} --${which}-port PORT --${which}-security MODE`;
    case "timeout":
      return `check the host and port, and whether a firewall blocks the connection (or wait longer: loanmail doctor --timeout 20)`;
    case "starttls":
      return `loanmail never sends a password in plaintext: use the server's TLS port instead (${ports})`;
    case "tls":
      return `if the server uses its own certificate authority: ${set} --ca-file CA.pem; otherwise do not use this server (someone may be in between)`;
  }
}

async function serverCheck(account: Account, which: "smtp" | "imap", ca: Buffer | undefined, o: MailCheckOptions) {
  const ep = account[which];
  const check = `account ${account.name} ${which}`;
  const where = `${ep.host}:${ep.port} (${ep.security === "tls" ? "TLS" : "STARTTLS"})`;
  const r = await (o.probe ?? probeTls)(
    { host: ep.host, port: ep.port, security: ep.security, protocol: which, ca },
    o.timeoutMs,
  );
  if (!r.ok)
    return {
      check,
      status: "fail" as const,
      detail: `${which.toUpperCase()} ${where}: ${r.message}`,
      fix: fixFor(account, which, r),
    };
  const until = r.validTo ? r.validTo.toISOString().slice(0, 10) : "unknown";
  const detail = `${which.toUpperCase()} ${where}: ${r.tlsVersion}, certificate verified${r.issuer ? ` (${r.issuer})` : ""}, valid until ${until}`;
  const soon = r.validTo !== null && r.validTo.getTime() - o.now.getTime() < EXPIRY_WARNING_DAYS * 86_400_000;
  if (soon)
    return {
      check,
      status: "warn" as const,
      detail: `${detail}: it expires within ${EXPIRY_WARNING_DAYS} days`,
      fix: "nothing to do now; if it is not renewed in time, sending and syncing will stop with a certificate error",
    };
  return { check, status: "ok" as const, detail, fix: null };
}

async function loginCheck(config: Config, account: Account, o: MailCheckOptions): Promise<DoctorCheck> {
  const check = `account ${account.name} login`;
  if (o.untrusted)
    return {
      check,
      status: "warn",
      detail: "not logging in: the home is not private, so its config.toml could run someone else's password command",
      fix: "fix the home first (above), then run loanmail doctor --login again",
    };
  try {
    await testAccount({ config: () => config }, account.name, o.env);
    return { check, status: "ok", detail: "SMTP and IMAP accepted the login over verified TLS", fix: null };
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return { check, status: "fail", detail: err.message, fix: err.hint ?? null };
  }
}

/** The checks of every account in config.toml. */
export async function accountChecks(config: Config, o: MailCheckOptions): Promise<DoctorCheck[]> {
  const names = Object.keys(config.accounts);
  if (names.length === 0)
    return [
      {
        check: "accounts",
        status: "ok",
        detail: "no mail account (needed only to send and sync by email: loanmail account set)",
        fix: null,
      },
    ];
  const checks: DoctorCheck[] = [];
  for (const name of names) {
    let account: Account;
    let ca: Buffer | undefined;
    try {
      account = validateAccount(name, config.accounts[name] ?? {});
      ca = readCa(account);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      checks.push({ check: `account ${name}`, status: "fail", detail: err.message, fix: err.hint ?? null });
      continue;
    }
    const servers = await Promise.all([serverCheck(account, "smtp", ca, o), serverCheck(account, "imap", ca, o)]);
    checks.push(...servers);
    if (o.login && servers.every((c) => c.status !== "fail")) checks.push(await loginCheck(config, account, o));
  }
  return checks;
}
