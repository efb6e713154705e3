/**
 * `doctor`'s account checks in process, with the TLS probe stood in for (no network for the servers): a
 * certificate about to expire is a warning, and `--login` runs the account's password command only in a home no
 * one else may change (a config.toml others can write could name any command).
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import type { DoctorCheck } from "../../src/app/doctor.js";
import { runDoctor } from "../../src/app/doctor.js";
import { resolveHome } from "../../src/config/home.js";
import type { ProbeResult } from "../../src/mail/tls-probe.js";
import { openDb } from "../../src/store/db.js";
import { NOW } from "./world.js";

/** A port nothing listens on, so that a real login attempt fails at once. */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

describe("doctor: mail accounts", () => {
  let dir: string;
  let marker: string;

  beforeEach(async () => {
    const work = mkdtempSync(join(tmpdir(), "loanmail-doctor-"));
    dir = join(work, "home");
    mkdirSync(dir, { mode: 0o700 });
    marker = join(work, "password-command-ran");
    const port = await closedPort();
    writeFileSync(
      join(dir, "config.toml"),
      [
        "schema = 1",
        "[user]",
        'name = "Jane Q. Doe"',
        'email = "jane@example.test"',
        'address = "12 Elm St"',
        'timezone = "America/Chicago"',
        "[accounts.work]",
        'email = "jane@example.test"',
        // The password command leaves a mark: whether doctor ran it is seen on disk.
        `password_command = ["sh", "-c", "touch ${marker}; echo secret"]`,
        "password_command_shell = false",
        `smtp = { host = "127.0.0.1", port = ${port}, security = "tls" }`,
        `imap = { host = "127.0.0.1", port = ${port}, security = "tls" }`,
        "",
      ].join("\n"),
      { mode: 0o600 },
    );
    openDb(join(dir, "loanmail.db"), { create: true }).close();
  });

  // 2026-10-15 (NOW) + 10 days = 2026-10-25: within the 14 days that make a warning.
  const expiring = async (): Promise<ProbeResult> => ({
    ok: true,
    address: "127.0.0.1",
    tlsVersion: "TLSv1.3",
    validTo: new Date("2026-10-25T00:00:00Z"),
    issuer: "Test CA",
  });
  const doctor = (login: boolean): Promise<DoctorCheck[]> =>
    runDoctor({ home: resolveHome(dir, {}), env: {}, now: NOW, login, timeoutMs: 2000, probe: expiring });
  const of = (checks: DoctorCheck[], name: string) => checks.find((c) => c.check === name);

  it("a certificate that ends within 14 days is a warning; no login without --login", async () => {
    const checks = await doctor(false);
    expect(of(checks, "account work smtp")).toMatchObject({
      status: "warn",
      detail: expect.stringContaining("valid until 2026-10-25: it expires within 14 days"),
    });
    expect(of(checks, "account work login")).toBeUndefined();
    expect(existsSync(marker)).toBe(false);
  });

  it("--login runs the password command in a private home (the login itself then fails here)", async () => {
    const checks = await doctor(true);
    expect(existsSync(marker)).toBe(true);
    expect(of(checks, "account work login")?.status).toBe("fail");
  });

  it("--login in a home others may write: not logging in, the password command not run", async () => {
    chmodSync(dir, 0o777);
    try {
      const checks = await doctor(true);
      expect(of(checks, "home")?.status).toBe("fail");
      expect(of(checks, "account work login")).toMatchObject({
        status: "warn",
        detail: expect.stringContaining("not logging in: the home is not private"),
      });
      expect(existsSync(marker)).toBe(false);
    } finally {
      chmodSync(dir, 0o700);
    }
  });
});
