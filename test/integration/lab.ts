/**
 * The integration tests' view of the mail lab (scripts/mail-lab.sh): its addresses, a borrower mailbox of the
 * test's own from the b01..b40 pool, a loanmail home set up against it, and servicer-side tools that use real
 * SMTP submission and IMAP (never a mock).
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ImapFlow } from "imapflow";
import nodemailer from "nodemailer";
import { BIN, type RunResult, run, tempDir } from "../cli/helpers.js";

const ROOT = resolve(import.meta.dirname, "../..");

function readLabEnv(): Record<string, string> {
  const text = execFileSync("bash", [join(ROOT, "scripts/mail-lab.sh"), "env"], { encoding: "utf8" });
  const out: Record<string, string> = {};
  for (const m of text.matchAll(/^export (\w+)=(.*?)(?:\s+#.*)?$/gm)) {
    if (m[1] && m[2] !== undefined) out[m[1]] = m[2].replace(/\\ /g, " ");
  }
  return out;
}

export const LAB = readLabEnv();
export const HOST = "127.0.0.1";
export const PASSWORD = LAB.LOANMAIL_LAB_PASSWORD ?? "lab-password";
export const CA_FILE = LAB.LOANMAIL_LAB_CA as string;
export const CA = readFileSync(CA_FILE);
/** The lab Postfix's own log (every queued message's Message-ID, every connection). */
export const POSTFIX_LOG = LAB.LOANMAIL_LAB_POSTFIX_LOG as string;
export const PORTS = {
  mx: Number(LAB.LOANMAIL_LAB_SMTP_PORT),
  submission: Number(LAB.LOANMAIL_LAB_SUBMISSION_PORT),
  smtps: Number(LAB.LOANMAIL_LAB_SMTPS_PORT),
  plain: Number(LAB.LOANMAIL_LAB_PLAIN_SMTP_PORT),
  imap: Number(LAB.LOANMAIL_LAB_IMAP_PORT),
  imaps: Number(LAB.LOANMAIL_LAB_IMAPS_PORT),
  imapsUntrusted: Number(LAB.LOANMAIL_LAB_IMAPS_UNTRUSTED_PORT),
};
export const SERVICER = "help@servicer.test";

/** Maildir root of a lab user. */
export function maildirOf(user: string): string {
  const [local, domain] = user.split("@");
  return join(LAB.LOANMAIL_LAB_MAIL_DIR as string, domain as string, local as string);
}

/** A pool borrower (b01..b40@example.test) with an empty mailbox; each test file uses its own numbers. */
export function freshBorrower(n: number): string {
  const user = `b${String(n).padStart(2, "0")}@example.test`;
  rmSync(maildirOf(user), { recursive: true, force: true });
  return user;
}

export interface LabHome {
  home: string;
  user: string;
  L: (...args: string[]) => RunResult;
  env: Record<string, string>;
}

/** A loanmail home for `user`: servicer (servicer.test), loan 1234567, mail account on the lab. */
export function labHome(
  user: string,
  opts: { noticeEmail?: boolean; imapPort?: number; smtpPort?: number } = {},
): LabHome {
  const home = join(tempDir("loanmail-it-"), "home");
  const env = { LAB_PASS: PASSWORD };
  const L = (...args: string[]) => run(["--home", home, ...args], { env });
  const steps: string[][] = [
    [
      "init",
      "--name",
      "Jane Q. Doe",
      "--email",
      user,
      "--address",
      "12 Elm St\\nSpringfield, IL 62701",
      "--timezone",
      "America/Chicago",
    ],
    [
      "servicer",
      "add",
      "Test Servicer",
      "--domain",
      "servicer.test",
      "--email",
      SERVICER,
      ...(opts.noticeEmail === false
        ? ["--notice-address", "PO Box 1\\nTown, ST 00001"]
        : ["--notice-email", "notices@servicer.test"]),
    ],
    [
      "loan",
      "add",
      "--servicer",
      "Test Servicer",
      "--account",
      "1234567",
      "--property",
      "12 Elm St, Springfield, IL 62701",
      "--borrower",
      "Jane Q. Doe",
    ],
    [
      "account",
      "set",
      "--email",
      user,
      "--smtp-host",
      HOST,
      "--smtp-port",
      String(opts.smtpPort ?? PORTS.submission),
      "--smtp-security",
      "starttls",
      "--imap-host",
      HOST,
      "--imap-port",
      String(opts.imapPort ?? PORTS.imaps),
      "--imap-security",
      "tls",
      "--password-env",
      "LAB_PASS",
      "--ca-file",
      CA_FILE,
    ],
  ];
  for (const s of steps) {
    const r = L(...s);
    if (r.code !== 0) throw new Error(`lab home step ${s.join(" ")} failed (${r.code}): ${r.stderr}`);
  }
  return { home, user, L, env };
}

/** Send as a lab user over real SMTP submission (STARTTLS + AUTH). */
export async function sendAs(
  from: string,
  mail: {
    to: string | string[];
    subject: string;
    text: string;
    inReplyTo?: string;
    references?: string[];
    headers?: Record<string, string>;
    messageId?: string;
  },
): Promise<string> {
  const transport = nodemailer.createTransport({
    host: HOST,
    port: PORTS.submission,
    secure: false,
    requireTLS: true,
    auth: { user: from, pass: PASSWORD },
    tls: { ca: [CA] },
  });
  try {
    const info = await transport.sendMail({ from, ...mail });
    return info.messageId;
  } finally {
    transport.close();
  }
}

/** An IMAP client logged in as a lab user (closed by the caller). */
export async function imapAs(user: string): Promise<ImapFlow> {
  const client = new ImapFlow({
    host: HOST,
    port: PORTS.imaps,
    secure: true,
    auth: { user, pass: PASSWORD },
    tls: { ca: [CA] },
    logger: false,
  });
  await client.connect();
  return client;
}

/** APPEND raw messages to a user's mailbox (creating it if needed). */
export async function appendTo(user: string, mailbox: string, raws: readonly (Buffer | string)[]): Promise<void> {
  const client = await imapAs(user);
  try {
    if (mailbox !== "INBOX") await client.mailboxCreate(mailbox).catch(() => undefined);
    for (const raw of raws) await client.append(mailbox, raw);
  } finally {
    await client.logout();
  }
}

/** Full sources in a user's mailbox whose Message-ID header is `messageId`. */
export async function sourcesWithMessageId(user: string, messageId: string, mailbox = "INBOX"): Promise<Buffer[]> {
  const client = await imapAs(user);
  try {
    await client.mailboxOpen(mailbox, { readOnly: true });
    const uids = (await client.search({ header: { "message-id": messageId } }, { uid: true })) || [];
    const out: Buffer[] = [];
    if (uids.length === 0) return out;
    for await (const m of client.fetch(uids.join(","), { source: true }, { uid: true })) {
      if (m.source?.toString("latin1").includes(`Message-ID: ${messageId}`)) out.push(m.source);
    }
    return out;
  } finally {
    await client.logout();
  }
}

/** Poll until `fn` returns a truthy value (mail delivery through Postfix takes a moment). */
export async function waitFor<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 15_000): Promise<NonNullable<T>> {
  const start = Date.now();
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Number of messages in a user's mailbox (server side). */
export async function countMessages(user: string, mailbox = "INBOX"): Promise<number> {
  const client = await imapAs(user);
  try {
    const s = await client.status(mailbox, { messages: true });
    return s ? Number(s.messages ?? 0) : 0;
  } finally {
    await client.logout();
  }
}

/** Dovecot's own per-session fetch statistics for a user, from its log, after a byte offset. */
export function dovecotFetchStats(
  user: string,
  fromOffset: number,
): { sessions: number; bodyCount: number; hdrCount: number } {
  const log = readFileSync(LAB.LOANMAIL_LAB_DOVECOT_LOG as string, "latin1").slice(fromOffset);
  let sessions = 0;
  let bodyCount = 0;
  let hdrCount = 0;
  for (const line of log.split("\n")) {
    if (!line.includes(`imap(${user})`) || !line.includes("Disconnected")) continue;
    sessions++;
    bodyCount += Number(/body_count=(\d+)/.exec(line)?.[1] ?? 0);
    hdrCount += Number(/hdr_count=(\d+)/.exec(line)?.[1] ?? 0);
  }
  return { sessions, bodyCount, hdrCount };
}

/** Current size of the Dovecot log, to read only what a step adds. */
export function dovecotLogOffset(): number {
  return statSync(LAB.LOANMAIL_LAB_DOVECOT_LOG as string).size;
}

/** The Postfix log's length now: read what it says after this with postfixLogSince. */
export function postfixLogOffset(): number {
  return statSync(POSTFIX_LOG).size;
}

export function postfixLogSince(offset: number): string {
  return readFileSync(POSTFIX_LOG, "latin1").slice(offset);
}

/** A minimal but real PDF padded to about `bytes` (so a letter that attaches it is clearly larger than its SMTP
 * preamble). */
export function paddedPdf(path: string, bytes: number): string {
  const pad = Array.from({ length: Math.ceil(bytes / 72) }, () => `% ${randomBytes(35).toString("hex")}`).join("\n");
  writeFileSync(
    path,
    `%PDF-1.4\n${pad}\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  );
  return path;
}

/**
 * `loanmail --home HOME ARGS` without blocking this process's event loop (the drop proxy runs in it; `run` uses
 * spawnSync, which would stall the proxy and so the CLI's SMTP greeting).
 */
export function runAsync(home: string, ...args: string[]): Promise<RunResult> {
  const child = spawn(process.execPath, [BIN, "--home", home, ...args], {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", NO_COLOR: "1", LAB_PASS: PASSWORD },
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString("utf8");
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString("utf8");
  });
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Whether Postfix queued (accepted for delivery) the message with this Message-ID since `offset`: its cleanup
 * daemon names the Message-ID as soon as the headers arrive, even of a message the client never finishes; only a
 * whole message reaches the queue manager, which logs "QUEUEID: from=<...>, size=..., nrcpt=N (queue active)".
 */
export function postfixQueued(offset: number, messageId: string): boolean {
  const log = postfixLogSince(offset);
  const ids = [...log.matchAll(/ ([0-9A-F]+): message-id=(<[^>]*>)/g)]
    .filter((m) => m[2] === messageId)
    .map((m) => m[1]);
  return ids.some((id) => log.includes(` ${id}: from=<`));
}
