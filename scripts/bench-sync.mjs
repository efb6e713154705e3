#!/usr/bin/env node
// Benchmark: sync of a large mailbox against the mail lab, and the no-change re-sync that must stay flat.
// Prints wall time and peak memory (maxRSS) of each `loanmail sync`; asserts nothing.
//   node scripts/bench-sync.mjs [--messages 20000] [--servicer 1030] [--user b40@example.test]
// Needs root (it writes the lab user's Maildir directly, as Dovecot's own deliveries look) and `npm run build`.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

const root = resolve(import.meta.dirname, "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const total = Number(arg("messages", "20000"));
const fromServicer = Number(arg("servicer", "1030"));
const user = arg("user", "b40@example.test");

execFileSync("bash", [join(root, "scripts/mail-lab.sh"), "start"], { stdio: ["ignore", "pipe", "pipe"] });
const env = Object.fromEntries(
  [
    ...execFileSync("bash", [join(root, "scripts/mail-lab.sh"), "env"], { encoding: "utf8" }).matchAll(
      /^export (\w+)=(\S*)/gm,
    ),
  ].map((m) => [m[1], m[2]]),
);
const [local, domain] = user.split("@");
const userDir = join(env.LOANMAIL_LAB_MAIL_DIR, domain, local);
rmSync(userDir, { recursive: true, force: true });
const newDir = join(userDir, "Maildir", "new");
for (const d of ["new", "cur", "tmp"]) mkdirSync(join(userDir, "Maildir", d), { recursive: true });
const mailUid = Number(execFileSync("id", ["-u", "mail"], { encoding: "utf8" }));
const mailGid = Number(execFileSync("id", ["-g", "mail"], { encoding: "utf8" }));

console.log(`writing ${total} messages (${fromServicer} from the servicer) into ${user}'s Maildir`);
let bytes = 0;
const filler = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(250);
const t0 = Date.now();
for (let i = 0; i < total; i++) {
  const servicer =
    i % Math.max(1, Math.floor(total / fromServicer)) === 0 && i / Math.floor(total / fromServicer) < fromServicer;
  const from = servicer ? "notices@servicer.test" : `news${i % 50}@example.org`;
  const body = `${servicer ? "Your escrow analysis for account 1234567 is enclosed." : "Weekly newsletter."}\r\n${filler.slice(0, 2000 + (i % 20) * 700)}\r\n`;
  const msg = `From: ${from}\r\nTo: ${user}\r\nSubject: ${servicer ? "Account Number 1234567 statement" : `Newsletter ${i}`}\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench-${i}@${from.split("@")[1]}>\r\n\r\n${body}`;
  const size = Buffer.byteLength(msg);
  const name = `${1795000000 + i}.M${i}P1.bench,S=${size},W=${size}`;
  writeFileSync(join(newDir, name), msg);
  chownSync(join(newDir, name), mailUid, mailGid);
  bytes += size;
}
for (const p of [
  userDir,
  join(userDir, "Maildir"),
  join(userDir, "Maildir", "new"),
  join(userDir, "Maildir", "cur"),
  join(userDir, "Maildir", "tmp"),
])
  chownSync(p, mailUid, mailGid);
console.log(`  ${(bytes / 1e6).toFixed(0)} MB written in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const home = join(mkdtempSync(join(tmpdir(), "loanmail-bench-")), "home");
const childEnv = { ...process.env, LAB_PASS: env.LOANMAIL_LAB_PASSWORD, NO_COLOR: "1" };
const cli = (...args) => {
  const r = spawnSync(process.execPath, [join(root, "bin/loanmail.js"), "--home", home, ...args], {
    encoding: "utf8",
    env: childEnv,
  });
  if (r.status !== 0) throw new Error(`loanmail ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
};
cli("init", "--name", "Bench User", "--email", user, "--address", "1 Main St\\nTown", "--timezone", "UTC");
cli("servicer", "add", "Bench Servicer", "--domain", "servicer.test", "--email", "help@servicer.test");
cli(
  "loan",
  "add",
  "--servicer",
  "Bench Servicer",
  "--account",
  "1234567",
  "--property",
  "1 Main St, Town",
  "--borrower",
  "Bench User",
);
cli(
  "account",
  "set",
  "--email",
  user,
  "--smtp-host",
  "127.0.0.1",
  "--smtp-port",
  env.LOANMAIL_LAB_SUBMISSION_PORT,
  "--smtp-security",
  "starttls",
  "--imap-host",
  "127.0.0.1",
  "--imap-port",
  env.LOANMAIL_LAB_IMAPS_PORT,
  "--imap-security",
  "tls",
  "--password-env",
  "LAB_PASS",
  "--ca-file",
  env.LOANMAIL_LAB_CA,
);

// Run the CLI in a child that reports its own peak RSS on exit.
const measured = (label) => {
  const script = `import(${JSON.stringify(join(root, "dist/cli/main.js"))}).then(m => m.main(["node", "loanmail", "--home", ${JSON.stringify(home)}, "--json", "sync"])).then(c => { process.stderr.write("maxrss_kb=" + process.resourceUsage().maxRSS + "\\n"); process.exitCode = c; })`;
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
    encoding: "utf8",
    env: childEnv,
    maxBuffer: 1 << 26,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${label} failed: ${r.stderr}`);
  const doc = JSON.parse(r.stdout);
  const rss = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  console.log(
    `${label.padEnd(22)} ${(ms / 1000).toFixed(2).padStart(7)} s   peak RSS ${(rss / 1024).toFixed(0).padStart(4)} MB   summaries ${doc.fetched.summaries}   sources ${doc.fetched.sources} (${(doc.fetched.sourceBytes / 1e6).toFixed(1)} MB)   new ${doc.totals.new}`,
  );
};
console.log(`\nloanmail sync of ${user}: ${total} messages, ${fromServicer} from the servicer domain`);
measured("full sync");
measured("no-change sync");
measured("no-change sync again");
rmSync(join(home, ".."), { recursive: true, force: true });
