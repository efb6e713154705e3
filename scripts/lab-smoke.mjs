#!/usr/bin/env node
// Smoke test of the mail lab (scripts/mail-lab.sh): real Postfix + Dovecot on 127.0.0.1.
//   bash scripts/mail-lab.sh start && node scripts/lab-smoke.mjs
// Prints one PASS/FAIL line per check; exits 1 if any check fails. IMAP is spoken raw over node:tls (no imapflow).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import tls from "node:tls";
import { fileURLToPath } from "node:url";
import nodemailer from "nodemailer";

const here = path.dirname(fileURLToPath(import.meta.url));

// The lab's settings, exactly as `mail-lab.sh env` exports them (evaluated by bash, so quoting is bash's).
function labEnv() {
  const out = execFileSync("bash", ["-c", 'eval "$(bash "$0" env)" && env -0', path.join(here, "mail-lab.sh")], {
    stdio: ["ignore", "pipe", "inherit"],
  }).toString();
  const env = {};
  for (const entry of out.split("\0")) {
    const eq = entry.indexOf("=");
    if (entry.startsWith("LOANMAIL_LAB_") && eq > 0) env[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return env;
}

const E = labEnv();
const host = E.LOANMAIL_LAB_HOST;
const password = E.LOANMAIL_LAB_PASSWORD;
const borrower = E.LOANMAIL_LAB_BORROWER;
const servicer = E.LOANMAIL_LAB_SERVICER;
const tempfail = E.LOANMAIL_LAB_TEMPFAIL;
const ca = readFileSync(E.LOANMAIL_LAB_CA, "utf8");
const untrustedCert = readFileSync(E.LOANMAIL_LAB_UNTRUSTED_CERT, "utf8");
const port = (name) => Number(E[`LOANMAIL_LAB_${name}_PORT`]);

let failures = 0;
async function check(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    console.log(`PASS ${name}${detail ? ` (${detail})` : ""} [${Date.now() - t0} ms]`);
  } catch (err) {
    failures++;
    console.log(`FAIL ${name}: ${err?.message ?? err}${err?.code ? ` [code ${err.code}]` : ""}`);
  }
}
function expect(cond, message) {
  if (!cond) throw new Error(message);
}

const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 15_000 };
const submission = (extra = {}) =>
  nodemailer.createTransport({
    host,
    port: port("SUBMISSION"),
    secure: false,
    requireTLS: true,
    tls: { ca: [ca] },
    auth: { user: borrower, pass: password },
    ...timeouts,
    ...extra,
  });

// ------------------------------------------------------------------------------------------ raw IMAP over TLS

/** A minimal IMAP session: `cmd(text)` sends a tagged command and resolves with everything up to its tagged reply. */
function imapConnect({ port: p, ca: caList }) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host, port: p, ca: caList, timeout: 10_000 });
    let buf = "";
    let waiter = null;
    let tagNo = 0;
    const fail = (err) => {
      if (waiter) {
        waiter.reject(err);
        waiter = null;
      } else reject(err);
    };
    socket.on("error", fail);
    socket.on("timeout", () => socket.destroy(new Error("IMAP socket timeout")));
    // Hand the buffered text up to the waiter's terminating line to the waiter, if it is complete.
    const pump = () => {
      const m = waiter && buf.match(waiter.done);
      if (!m) return;
      const text = buf.slice(0, m.index + m[0].length);
      buf = buf.slice(m.index + m[0].length);
      const w = waiter;
      waiter = null;
      w.resolve(text);
    };
    socket.on("data", (chunk) => {
      buf += chunk.toString("latin1");
      pump();
    });
    const session = {
      socket,
      cmd(text) {
        const tag = `A${++tagNo}`;
        return new Promise((res, rej) => {
          waiter = { done: new RegExp(`(^|\\r\\n)${tag} (OK|NO|BAD)[^\\r\\n]*\\r\\n`), resolve: res, reject: rej };
          socket.write(`${tag} ${text}\r\n`);
        }).then((reply) => {
          const status = reply.match(new RegExp(`(?:^|\\r\\n)${tag} (OK|NO|BAD)([^\\r\\n]*)\\r\\n$`));
          if (status[1] !== "OK") throw new Error(`IMAP ${text.split(" ")[0]}: ${status[1]}${status[2]}`);
          return reply;
        });
      },
      close() {
        socket.destroy();
      },
    };
    socket.once("secureConnect", () => {
      // wait for the untagged greeting
      waiter = {
        done: /^\* (OK|PREAUTH|BYE)[^\r\n]*\r\n/,
        resolve: (greeting) => (greeting.startsWith("* OK") ? resolve(session) : reject(new Error(greeting.trim()))),
        reject,
      };
      pump();
    });
  });
}

const quote = (s) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

/** Subjects of every message in a user's INBOX (LOGIN, SELECT INBOX, FETCH 1:* header SUBJECT, LOGOUT). */
async function inboxSubjects(user) {
  const s = await imapConnect({ port: port("IMAPS"), ca: [ca] });
  try {
    await s.cmd(`LOGIN ${quote(user)} ${quote(password)}`);
    const sel = await s.cmd("SELECT INBOX");
    const exists = Number(sel.match(/\* (\d+) EXISTS/)?.[1] ?? 0);
    // FETCH 1:* on an empty mailbox is an error: skip it then.
    const fetched = exists > 0 ? await s.cmd("FETCH 1:* (BODY.PEEK[HEADER.FIELDS (SUBJECT)])") : "";
    await s.cmd("LOGOUT").catch(() => {});
    return [...fetched.matchAll(/^Subject: ?(.*)$/gim)].map((m) => m[1].trim());
  } finally {
    s.close();
  }
}

async function waitForSubject(user, subject, ms = 15_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const subjects = await inboxSubjects(user);
    if (subjects.includes(subject)) return subjects.length;
    if (Date.now() > deadline)
      throw new Error(`"${subject}" not in ${user}'s INBOX after ${ms} ms (${subjects.length} messages there)`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectTlsFailure(p, caList) {
  try {
    const s = await imapConnect({ port: p, ca: caList });
    s.close();
  } catch (err) {
    expect(
      /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS_CERT/.test(err.code ?? "") || /certificate/i.test(err.message),
      `expected a certificate error, got ${err.code ?? ""} ${err.message}`,
    );
    return `${err.code}: ${err.message}`;
  }
  throw new Error(`port ${p} accepted the TLS connection`);
}

// ------------------------------------------------------------------------------------------ checks

const tag = randomBytes(6).toString("hex");
const subject = `lab smoke ${tag}`;

await check(`submission ${port("SUBMISSION")}: STARTTLS + AUTH, to ${servicer} cc ${borrower}`, async () => {
  const t = submission();
  try {
    const info = await t.sendMail({
      from: borrower,
      to: servicer,
      cc: borrower,
      subject,
      messageId: `<${tag}@example.test>`,
      date: new Date(),
      text: "Smoke test of the loanmail mail lab.\r\n",
    });
    expect(info.rejected.length === 0, `rejected: ${info.rejected.join(", ")}`);
    expect(
      info.accepted.includes(servicer) && info.accepted.includes(borrower),
      `accepted only ${info.accepted.join(", ")}`,
    );
    return info.response;
  } finally {
    t.close();
  }
});

await check(`IMAPS ${port("IMAPS")}: message arrived in ${servicer}'s INBOX`, async () => {
  const n = await waitForSubject(servicer, subject);
  return `${n} message(s) in INBOX`;
});

await check(`IMAPS ${port("IMAPS")}: the cc arrived in ${borrower}'s INBOX`, async () => {
  const n = await waitForSubject(borrower, subject);
  return `${n} message(s) in INBOX`;
});

await check(`submission: RCPT ${tempfail} is refused with 450`, async () => {
  const t = submission();
  try {
    await t.sendMail({ from: borrower, to: tempfail, subject: `tempfail ${tag}`, text: "x\r\n" });
  } catch (err) {
    expect(err.responseCode === 450, `responseCode ${err.responseCode} (${err.code}: ${err.message})`);
    return `${err.code} ${err.response}`;
  } finally {
    t.close();
  }
  throw new Error("the message was accepted");
});

await check(`plaintext SMTP ${port("PLAIN_SMTP")}: requireTLS refuses to send (ETLS)`, async () => {
  const t = nodemailer.createTransport({
    host,
    port: port("PLAIN_SMTP"),
    secure: false,
    requireTLS: true,
    tls: { ca: [ca] },
    ...timeouts,
  });
  try {
    await t.sendMail({ from: borrower, to: servicer, subject: `plaintext ${tag}`, text: "x\r\n" });
  } catch (err) {
    expect(err.code === "ETLS", `code ${err.code}: ${err.message}`);
    return `${err.code} ${err.responseCode ?? ""} ${err.message}`;
  } finally {
    t.close();
  }
  throw new Error("the message was sent in plaintext");
});

await check(`IMAPS ${port("IMAPS_UNTRUSTED")}: certificate refused by a client trusting the lab CA`, () =>
  expectTlsFailure(port("IMAPS_UNTRUSTED"), [ca]),
);

await check(`IMAPS ${port("IMAPS_UNTRUSTED")}: certificate refused with the default trust store`, () =>
  expectTlsFailure(port("IMAPS_UNTRUSTED"), undefined),
);

await check(`IMAPS ${port("IMAPS_UNTRUSTED")}: a real IMAP server once its own cert is pinned`, async () => {
  const s = await imapConnect({ port: port("IMAPS_UNTRUSTED"), ca: [untrustedCert] });
  try {
    await s.cmd(`LOGIN ${quote(servicer)} ${quote(password)}`);
    await s.cmd("LOGOUT").catch(() => {});
  } finally {
    s.close();
  }
});

await check(`IMAPS ${port("IMAPS")}: refused without the lab CA`, () => expectTlsFailure(port("IMAPS"), undefined));

await check(`IMAP ${port("IMAP")}: STARTTLS offered, upgrade verified against the lab CA, LOGIN`, async () => {
  // Note: Dovecot treats a client whose address equals the server's (127.0.0.1 -> 127.0.0.1) as "secured", so it
  // would accept LOGIN before STARTTLS here despite ssl = required; this check only proves STARTTLS works.
  const plain = net.connect({ host, port: port("IMAP") });
  plain.setTimeout(10_000, () => plain.destroy(new Error("timeout")));
  let buf = "";
  const readUntil = (re) =>
    new Promise((resolve, reject) => {
      const onData = (d) => {
        buf += d;
        if (re.test(buf)) {
          plain.off("data", onData);
          plain.off("error", reject);
          resolve(buf);
        }
      };
      plain.on("data", onData);
      plain.once("error", reject);
      onData("");
    });
  const greeting = await readUntil(/\r\n/);
  expect(/STARTTLS/.test(greeting), `no STARTTLS in greeting: ${greeting.trim()}`);
  plain.write("A1 STARTTLS\r\n");
  const reply = await readUntil(/A1 (OK|NO|BAD)[^\r\n]*\r\n/);
  expect(/A1 OK/.test(reply), reply.trim());
  const secure = tls.connect({ socket: plain, ca: [ca], servername: "localhost" });
  await new Promise((resolve, reject) => {
    secure.once("secureConnect", resolve);
    secure.once("error", reject);
  });
  const protocol = secure.getProtocol();
  let out = "";
  secure.on("data", (d) => {
    out += d;
  });
  secure.write(`A2 LOGIN ${quote(borrower)} ${quote(password)}\r\nA3 LOGOUT\r\n`);
  await new Promise((resolve) => secure.once("close", resolve));
  expect(/A2 OK/.test(out), out.trim());
  return `${protocol}`;
});

console.log(failures ? `lab-smoke: ${failures} check(s) FAILED` : "lab-smoke: all checks passed");
process.exit(failures ? 1 : 0);
