/**
 * `loanmail doctor` as a user runs it: a fresh home is all ok (exit 0); a home others may write, a config.toml
 * with a value of the wrong type, a changed event, an account whose server does not answer, or one whose
 * certificate nobody vouches for, each FAIL with what to do (exit 1), and doctor itself changes nothing. The TLS
 * servers are small Node processes on 127.0.0.1 with a certificate made by openssl for the test (not the mail lab).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { json, ROOT, type RunResult, rowCounts, run, setupHome, tempDir } from "./helpers.js";

interface Check {
  check: string;
  status: "ok" | "warn" | "fail";
  detail: string;
  fix: string | null;
}

const doctor = (home: string, ...args: string[]) => run(["--home", home, "doctor", ...args]);
const checksOf = (r: RunResult) => json<{ ok: boolean; checks: Check[] }>(r).checks;
const failures = (r: RunResult) => checksOf(r).filter((c) => c.status === "fail");

/** A port nothing listens on: bound by the system, then let go. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A mail account of `home` named `name`, both servers at 127.0.0.1:port. */
function account(home: string, name: string, port: number, security: string, extra: string[] = []): void {
  const r = run([
    "--home",
    home,
    "account",
    "set",
    name,
    "--email",
    "jane@example.test",
    "--smtp-host",
    "127.0.0.1",
    "--smtp-port",
    String(port),
    "--smtp-security",
    security,
    "--imap-host",
    "127.0.0.1",
    "--imap-port",
    String(port),
    "--imap-security",
    security,
    "--password-env",
    "LOANMAIL_TEST_PASSWORD",
    ...extra,
  ]);
  if (r.code !== 0) throw new Error(r.stderr);
}

describe("doctor", () => {
  it("a fresh home: every check ok, exit 0, nothing changed", () => {
    const { home } = setupHome();
    const before = rowCounts(home);
    const r = doctor(home);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe("Everything checked is in order.");
    for (const line of lines.slice(0, -1)) expect(line).toMatch(/^ok {4}/);
    const checks = checksOf(doctor(home, "--json"));
    expect(checks.map((c) => c.check)).toEqual([
      "home",
      "config file",
      "database file",
      "config",
      "database",
      "schema",
      "integrity",
      "quick check",
      "chains",
      "accounts",
      "pdf",
      "fonts",
    ]);
    expect(checks.every((c) => c.status === "ok")).toBe(true);
    expect(checks.find((c) => c.check === "fonts")?.detail).toBe(
      "PDFs print in Noto Sans (embedded), covering latin, vietnamese, chinese, korean",
    );
    expect(checks.find((c) => c.check === "chains")?.detail).toMatch(/^\d+ events in \d+ chains/);
    expect(rowCounts(home)).toEqual(before);
  });

  it("no home: FAIL with the init to run", () => {
    const home = join(tempDir(), "nowhere");
    const r = doctor(home);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`FAIL  home: no loanmail home at ${home}; fix: loanmail init --name NAME`);
  });

  it("a home anyone may write: FAIL with the chmod to run, and the mode left as it was", () => {
    const { home } = setupHome();
    chmodSync(home, 0o777);
    try {
      const r = doctor(home);
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(
        `FAIL  home: the loanmail home ${home} may be changed by its group and everyone (mode 0777)`,
      );
      expect(r.stdout).toContain(`fix: make it yours alone: chmod 700 ${home}`);
      expect(failures(doctor(home, "--json")).map((c) => c.check)).toEqual(["home"]);
      expect(statSync(home).mode & 0o777).toBe(0o777);
    } finally {
      chmodSync(home, 0o700);
    }
    // A database others may read is a warning, not a failure.
    chmodSync(join(home, "loanmail.db"), 0o644);
    const r = doctor(home);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      `warn  database file: the database ${join(home, "loanmail.db")} may be read by other users`,
    );
    expect(r.stdout).toContain(`fix: chmod 600 ${join(home, "loanmail.db")}`);
  });

  it("a config value of the wrong type: FAIL naming the key", () => {
    const { home } = setupHome();
    const config = join(home, "config.toml");
    writeFileSync(config, readFileSync(config, "utf8").replace("message_mb = 50", 'message_mb = "fifty"'));
    const r = doctor(home);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL {2}config: .*config\.toml \[limits\]: message_mb must be a number of megabytes above 0; fix: for example message_mb = 10/,
    );
    expect(failures(doctor(home, "--json")).map((c) => c.check)).toEqual(["config"]);
  });

  it("an event changed outside loanmail: the chains FAIL", () => {
    const { home } = setupHome();
    const db = new Database(join(home, "loanmail.db"));
    db.exec("DROP TRIGGER IF EXISTS events_no_update");
    db.prepare(
      "UPDATE events SET data = replace(data, 'Mr. Cooper', 'Mr. Hooper') WHERE type = 'servicer-added'",
    ).run();
    db.close();
    const r = doctor(home);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /FAIL {2}chains: event \d+ .*its content does not match its hash; fix: run loanmail verify --db/,
    );
  });

  it("a database of an older release: warned, not upgraded (doctor writes nothing)", () => {
    const { home } = setupHome();
    const db = join(home, "loanmail.db");
    copyFileSync(join(ROOT, "test/fixtures/release-0.1.0/loanmail.db"), db);
    chmodSync(db, 0o600);
    const version = () => {
      const d = new Database(db, { readonly: true });
      try {
        return d.pragma("user_version", { simple: true }) as number;
      } finally {
        d.close();
      }
    };
    const before = version();
    const checks = checksOf(doctor(home, "--json"));
    expect(checks.find((c) => c.check === "schema")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining(`the database is at schema version ${before}`),
    });
    expect(checks.find((c) => c.check === "integrity")?.status).toBe("ok");
    expect(checks.find((c) => c.check === "chains")?.status).toBe("warn");
    expect(checks.filter((c) => c.status === "fail")).toEqual([]);
    expect(doctor(home).code).toBe(0);
    expect(version()).toBe(before);
  });

  it("an account pointed at a closed port: FAIL for that account's servers, with the port to check", async () => {
    const { home } = setupHome();
    const port = await closedPort();
    account(home, "work", port, "starttls");
    const before = rowCounts(home);
    const r = doctor(home, "--timeout", "3");
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `FAIL  account work smtp: SMTP 127.0.0.1:${port} (STARTTLS): the connection was refused`,
    );
    expect(r.stdout).toContain("loanmail account set work --smtp-port PORT");
    expect(r.stdout).toContain(
      `FAIL  account work imap: IMAP 127.0.0.1:${port} (STARTTLS): the connection was refused`,
    );
    expect(failures(doctor(home, "--json", "--timeout", "3")).map((c) => c.check)).toEqual([
      "account work smtp",
      "account work imap",
    ]);
    expect(rowCounts(home)).toEqual(before);
  });

  describe("TLS", () => {
    let dir: string;
    let server: ChildProcess;
    let port: number;

    beforeAll(async () => {
      dir = tempDir();
      // A certificate for 127.0.0.1 that no public authority signed: trusted only with --ca-file.
      const made = spawnSync("openssl", [
        ...["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "30"],
        ...["-subj", "/CN=loanmail test", "-addext", "subjectAltName=IP:127.0.0.1"],
        ...["-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem")],
      ]);
      if (made.status !== 0) throw new Error(`openssl: ${made.stderr}`);
      // SMTP with STARTTLS, as far as the probe goes: greeting, EHLO offering STARTTLS, then TLS on the socket.
      const script = `
        const net = require("node:net"), tls = require("node:tls"), fs = require("node:fs");
        const ctx = tls.createSecureContext({ key: fs.readFileSync(${JSON.stringify(join(dir, "key.pem"))}),
          cert: fs.readFileSync(${JSON.stringify(join(dir, "cert.pem"))}) });
        const server = net.createServer((s) => {
          s.on("error", () => {});
          s.write("220 test ESMTP\\r\\n");
          s.on("data", function on(d) {
            const line = d.toString();
            if (/^EHLO/i.test(line)) s.write("250-test\\r\\n250 STARTTLS\\r\\n");
            else if (/^STARTTLS/i.test(line)) {
              s.off("data", on);
              s.write("220 go ahead\\r\\n", () => {
                const t = new tls.TLSSocket(s, { isServer: true, secureContext: ctx });
                t.on("error", () => {});
              });
            }
          });
        }).listen(0, "127.0.0.1", () => console.log(server.address().port));`;
      server = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
      port = await new Promise<number>((resolve) =>
        server.stdout?.once("data", (d: Buffer) => resolve(Number(d.toString()))),
      );
    });

    afterAll(() => {
      server.kill();
    });

    it("a certificate nobody vouches for: FAIL, with --ca-file to trust a private one; with it: ok", async () => {
      const { home } = setupHome();
      // IMAP at a closed port, so that only the SMTP line is about the certificate.
      account(home, "private", port, "starttls");
      const config = join(home, "config.toml");
      const imapClosed = await closedPort();
      writeFileSync(
        config,
        readFileSync(config, "utf8").replace(/(\[accounts\.private\.imap\][^[]*?port = )\d+/, `$1${imapClosed}`),
      );
      const r = doctor(home, "--timeout", "5");
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(
        new RegExp(
          `FAIL {2}account private smtp: SMTP 127\\.0\\.0\\.1:${port} \\(STARTTLS\\): self.signed certificate`,
        ),
      );
      expect(r.stdout).toContain("loanmail account set private --ca-file CA.pem");
      // Told to trust the certificate: the handshake and its check succeed.
      expect(run(["--home", home, "account", "set", "private", "--ca-file", join(dir, "cert.pem")]).code).toBe(0);
      const trusted = checksOf(doctor(home, "--json", "--timeout", "5")).find(
        (c) => c.check === "account private smtp",
      );
      expect(trusted?.status).toBe("ok");
      expect(trusted?.detail).toMatch(/^SMTP 127\.0\.0\.1:\d+ \(STARTTLS\): TLSv1\.[23], certificate verified/);
    });
  });
});
