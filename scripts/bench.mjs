#!/usr/bin/env node
// `npm run bench`: loanmail's sync measured side by side, in one run, against mbsync (Debian isync) and a bare
// imapflow script, on the mail lab (scripts/mail-lab.sh: real Dovecot on 127.0.0.1, IMAPS). Never part of the
// timed test suite; asserts nothing, prints the figures, the ratios and the targets of issue 13.
//
//   npm run bench [-- --messages 20000] [--small 2000] [--servicer 1030] [--rounds 3] [--no-export] [--profile DIR]
//                 [--compare DIR]   (DIR: another build of loanmail, e.g. a worktree of an older commit after
//                                    `npm run build`; its first sync and re-sync are measured in the same rounds)
//
// It writes a mailbox of --messages messages (2-60 KB, some with PDF attachments, --servicer of them from the
// servicer's domain) straight into a lab user's Maildir, and a --small one into another user's, then measures,
// round by round (so that the load of a shared machine falls on every contender alike), each as a process's wall
// time: loanmail's first sync (a fresh home each round) with its peak RSS, loanmail's no-change re-sync of both
// mailboxes, mbsync's full sync into a fresh local Maildir, a bare imapflow SEARCH FROM the servicer's domain plus
// FETCH of those sources, and a bare imapflow connect + login + logout. Medians are reported. Then, unless
// --no-export, scripts/bench-export.mjs builds a case of about 300 MB and measures `export`'s peak RSS.
// Needs root (it writes the Maildir as Dovecot's own deliveries look), `npm run build`, and mbsync on the PATH
// (apt-get install isync; without it the mbsync row says so).
import { execFileSync, spawnSync } from "node:child_process";
import {
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { binNodeFlags } from "./bin-flags.mjs";

const root = resolve(import.meta.dirname, "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const total = Number(arg("messages", "20000"));
const small = Number(arg("small", "2000"));
const fromServicer = Number(arg("servicer", "1030"));
const rounds = Number(arg("rounds", "3"));
const profileDir = arg("profile", undefined);
const compareDir = arg("compare", undefined);
const bigUser = "b40@example.test";
const smallUser = "b39@example.test";
const servicerDomain = "servicer.test";

// ------------------------------------------------------------------------------------------------ the lab
const lab = (cmd) => execFileSync("bash", [join(root, "scripts/mail-lab.sh"), cmd], { encoding: "utf8" });
lab("start");
const env = Object.fromEntries([...lab("env").matchAll(/^export (\w+)=(\S*)/gm)].map((m) => [m[1], m[2]]));
const mailUid = Number(execFileSync("id", ["-u", "mail"], { encoding: "utf8" }));
const mailGid = Number(execFileSync("id", ["-g", "mail"], { encoding: "utf8" }));
const work = mkdtempSync(join(tmpdir(), "loanmail-bench-"));

// ------------------------------------------------------------------------------------------------ the mailbox
/** A deterministic pseudo-random number in [0, 1) for message i (so every run writes the same mailbox). */
const rand = (i, salt) => {
  let x = Math.imul(i ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35);
  x = Math.imul(x ^ (x >>> 15), 0x2c1b3c6d);
  return ((x ^ (x >>> 13)) >>> 0) / 2 ** 32;
};
const words =
  "the of and to in is for on that with your account payment escrow loan statement notice balance interest we our you this please review enclosed monthly".split(
    " ",
  );
const prose = (i, bytes) => {
  const out = [];
  let n = 0;
  for (let k = 0; n < bytes; k++) {
    const w = words[Math.floor(rand(i, k) * words.length)];
    out.push(k % 14 === 13 ? `${w}.\r\n` : w);
    n += w.length + 1;
  }
  return out.join(" ");
};
/** Servicers' letters as they write them: the classifier's training corpus, each with a legal footer. */
const corpus = readdirSync(join(root, "test/fixtures/replies/train"))
  .filter((f) => f.endsWith(".json"))
  .flatMap((f) => JSON.parse(readFileSync(join(root, "test/fixtures/replies/train", f), "utf8")));
const FOOTER =
  "This communication is from a debt collector attempting to collect a debt; any information obtained will be used for that purpose. Equal Housing Opportunity. NMLS #2210. This e-mail and any attachments may contain confidential or privileged information; if you are not the intended recipient, please delete it and notify the sender.";
const letterText = (i) => {
  const r = corpus[i % corpus.length];
  return `${r.text.replace(/\r?\n/g, "\r\n")}\r\n\r\n${FOOTER}\r\n`;
};
/** A small, valid-looking PDF of about `bytes` (an uncompressed content stream of filler), base64 in 76 columns. */
const pdfBase64 = (i, bytes) => {
  const stream = `BT /F1 12 Tf 72 720 Td (${prose(i + 7, Math.max(200, bytes - 400)).replace(/[()\\\r\n]/g, " ")}) Tj ET`;
  const pdf = `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >> endobj\n4 0 obj << /Length ${stream.length} >> stream\n${stream}\nendstream endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`;
  return Buffer.from(pdf).toString("base64").replace(/.{76}/g, "$&\r\n");
};
/**
 * Message i of a mailbox of `count`: 2-60 KB (most small). A servicer's message (every count/servicerCount-th) is a
 * letter from the reply corpus (test/fixtures/replies/train) with a legal footer, about 1 KB, as servicers write
 * them, and the rest of its size in a PDF attachment (a statement or notice); other mail is text of its whole
 * size, a tenth of it with a PDF.
 */
function message(i, user, count, servicerCount) {
  const step = Math.max(1, Math.floor(count / servicerCount));
  const servicer = i % step === 0 && i / step < servicerCount;
  const size = Math.round(2048 + 59392 * rand(i, 1) ** 3);
  const withPdf = servicer ? size > 3072 : i % 10 === 0;
  const from = servicer
    ? `Escrow Department <notices@${servicerDomain}>`
    : `News ${i % 50} <news${i % 50}@example.org>`;
  const subject = servicer ? "Account Number 1234567 escrow statement" : `Newsletter ${i}: this week's offers`;
  const head = [
    `From: ${from}`,
    `To: ${user}`,
    `Subject: ${subject}`,
    `Date: ${new Date(Date.UTC(2026, 9, 1) + i * 60_000).toUTCString().replace("GMT", "+0000")}`,
    `Message-ID: <bench-${i}@${servicer ? servicerDomain : "example.org"}>`,
    "MIME-Version: 1.0",
  ];
  const text = servicer ? letterText(i) : `${prose(i, withPdf ? Math.min(3000, size / 3) : size - 600)}\r\n`;
  const textBytes = text.length;
  if (!withPdf) return [...head, "Content-Type: text/plain; charset=utf-8", "", text].join("\r\n");
  return [
    ...head,
    'Content-Type: multipart/mixed; boundary="b"',
    "",
    "--b",
    "Content-Type: text/plain; charset=utf-8",
    "",
    text,
    "--b",
    `Content-Type: application/pdf; name="document-${i}.pdf"`,
    `Content-Disposition: attachment; filename="document-${i}.pdf"`,
    "Content-Transfer-Encoding: base64",
    "",
    pdfBase64(i, Math.max(1000, ((size - textBytes - 900) * 3) / 4)),
    "--b--",
    "",
  ].join("\r\n");
}
/** Write a mailbox straight into a lab user's Maildir, named as Dovecot names its own deliveries. */
function writeMailbox(user, count, servicerCount) {
  const [local, domain] = user.split("@");
  const userDir = join(env.LOANMAIL_LAB_MAIL_DIR, domain, local);
  rmSync(userDir, { recursive: true, force: true });
  const dirs = [userDir, join(userDir, "Maildir"), ...["new", "cur", "tmp"].map((d) => join(userDir, "Maildir", d))];
  for (const d of dirs) mkdirSync(d, { recursive: true });
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const msg = Buffer.from(message(i, user, count, servicerCount));
    const file = join(userDir, "Maildir", "new", `${1795000000 + i}.M${i}P1.bench,S=${msg.length},W=${msg.length}`);
    writeFileSync(file, msg);
    chownSync(file, mailUid, mailGid);
    bytes += msg.length;
  }
  for (const d of dirs) chownSync(d, mailUid, mailGid);
  return bytes;
}
const t0 = Date.now();
const bigBytes = writeMailbox(bigUser, total, fromServicer);
const smallServicer = Math.round((fromServicer * small) / total);
const smallBytes = writeMailbox(smallUser, small, smallServicer);
console.log(
  `mailboxes written in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${bigUser} ${total} messages (${(bigBytes / 1e6).toFixed(0)} MB, ${fromServicer} from ${servicerDomain}), ${smallUser} ${small} (${(smallBytes / 1e6).toFixed(0)} MB, ${smallServicer} from it)`,
);

// ------------------------------------------------------------------------------------------------ contenders
const childEnv = { ...process.env, LAB_PASS: env.LOANMAIL_LAB_PASSWORD, NO_COLOR: "1" };
// The bundle the command line runs (bin/loanmail.js), or the separate files of a build made before it.
const mainOf = (dir) =>
  pathToFileURL(join(dir, existsSync(join(dir, "dist/bundle/main.js")) ? "dist/bundle/main.js" : "dist/cli/main.js"))
    .href;
/** Run a process; its wall time in seconds, its stdout, and the peak RSS it reported as `maxrss_kb=N`. */
function timed(cmd, args, label, opts = {}) {
  const start = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { encoding: "utf8", env: childEnv, cwd: root, maxBuffer: 1 << 26, ...opts });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (r.status !== 0) throw new Error(`${label} failed (${r.status}): ${r.stderr}${r.error ?? ""}`);
  const rssKb = Number(/maxrss_kb=(\d+)/.exec(r.stderr)?.[1] ?? 0);
  return { seconds, rssMb: rssKb / 1024, stdout: r.stdout };
}
/** `loanmail ARGS` in a child that reports its own peak RSS (process.resourceUsage().maxRSS). */
function loanmail(home, args, label, prof, dir = root) {
  const script = `const { main } = await import(${JSON.stringify(mainOf(dir))}); const code = await main([process.execPath, "loanmail", "--home", ${JSON.stringify(home)}, ...${JSON.stringify(args)}]); process.stderr.write("maxrss_kb=" + process.resourceUsage().maxRSS + "\\n"); process.exitCode = code;`;
  const flags = [
    ...binNodeFlags(dir), // as the installed command runs
    ...(prof ? ["--cpu-prof", "--cpu-prof-dir", prof, "--heap-prof", "--heap-prof-dir", prof] : []),
  ];
  return timed(process.execPath, [...flags, "--input-type=module", "-e", script], label);
}
function newHome(user, dir = root) {
  const home = join(mkdtempSync(join(work, "home-")), "home");
  const cli = (...args) => loanmail(home, args, `loanmail ${args[0]}`, undefined, dir);
  cli("init", "--name", "Bench User", "--email", user, "--address", "1 Main St\\nTown", "--timezone", "UTC");
  cli(
    ...["servicer", "add", "Bench Servicer", "--domain", servicerDomain, "--email", `help@${servicerDomain}`],
    ...["--notice-address", "PO Box 1\\nDallas, TX 75261"],
  );
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
  // A case for the loan, so that the servicer's mail naming the account is filed to it (not left unfiled).
  cli(
    ...["compose", "notice-of-error", "--loan", "1", "--set", "error=the payment sits in suspense"],
    ...["--summary", "I paid on time."],
  );
  cli(
    ...["account", "set", "--email", user, "--smtp-host", "127.0.0.1", "--smtp-port", env.LOANMAIL_LAB_SUBMISSION_PORT],
    ...["--smtp-security", "starttls", "--imap-host", "127.0.0.1", "--imap-port", env.LOANMAIL_LAB_IMAPS_PORT],
    ...["--imap-security", "tls", "--password-env", "LAB_PASS", "--ca-file", env.LOANMAIL_LAB_CA],
  );
  return home;
}
const sync = (home, label, prof, dir = root) => {
  const r = loanmail(home, ["--json", "sync"], label, prof, dir);
  return { ...r, doc: JSON.parse(r.stdout) };
};

const haveMbsync = spawnSync("mbsync", ["--version"], { encoding: "utf8" }).status === 0;
function mbsyncFull(user) {
  const dir = mkdtempSync(join(work, "mbsync-"));
  const conf = join(dir, "mbsyncrc");
  writeFileSync(
    conf,
    [
      "IMAPAccount lab",
      "Host localhost", // the lab certificate names localhost and 127.0.0.1; mbsync checks the host name
      `Port ${env.LOANMAIL_LAB_IMAPS_PORT}`,
      `User ${user}`,
      `Pass ${env.LOANMAIL_LAB_PASSWORD}`,
      "SSLType IMAPS",
      `CertificateFile ${env.LOANMAIL_LAB_CA}`,
      "",
      "IMAPStore remote",
      "Account lab",
      "",
      "MaildirStore local",
      `Path ${dir}/mail/`,
      `Inbox ${dir}/mail/INBOX`,
      "",
      "Channel lab",
      "Far :remote:",
      "Near :local:",
      "Patterns INBOX",
      "Create Near",
      "Sync Pull",
      "SyncState *",
      "",
    ].join("\n"),
  );
  mkdirSync(join(dir, "mail"));
  const r = timed("mbsync", ["-q", "-c", conf, "lab"], "mbsync");
  rmSync(dir, { recursive: true, force: true });
  return r;
}

/** The bare imapflow scripts: what any client must pay, with no record kept. */
const bareScript = (searchAndFetch) => `
  const { ImapFlow } = await import("imapflow");
  const { readFileSync } = await import("node:fs");
  const c = new ImapFlow({ host: "127.0.0.1", port: ${env.LOANMAIL_LAB_IMAPS_PORT}, secure: true, logger: false,
    auth: { user: process.argv[1], pass: ${JSON.stringify(env.LOANMAIL_LAB_PASSWORD)} },
    tls: { ca: [readFileSync(${JSON.stringify(env.LOANMAIL_LAB_CA)})] } });
  await c.connect();
  ${
    searchAndFetch
      ? `await c.mailboxOpen("INBOX", { readOnly: true });
  const uids = await c.search({ from: ${JSON.stringify(servicerDomain)} }, { uid: true });
  let n = 0, bytes = 0;
  for await (const m of c.fetch(uids.join(","), { uid: true, source: true }, { uid: true })) { n++; bytes += m.source.length; }
  console.log(n, bytes);`
      : ""
  }
  await c.logout();
  process.stderr.write("maxrss_kb=" + process.resourceUsage().maxRSS + "\\n");`;
const bare = (user, searchAndFetch) =>
  timed(process.execPath, ["--input-type=module", "-e", bareScript(searchAndFetch), user], "bare imapflow");

// ------------------------------------------------------------------------------------------------ rounds
const results = {};
const note = (key, r) => {
  results[key] ??= [];
  results[key].push(r);
};
const loads = [loadavg()[0]];
const warm = newHome(bigUser);
sync(warm, "warm-up sync"); // the page cache and Dovecot's index now hold the mailbox for every contender
const smallHome = newHome(smallUser);
sync(smallHome, "small first sync");
for (let round = 1; round <= rounds; round++) {
  const home = newHome(bigUser);
  const first = sync(home, "first sync", profileDir && round === 1 ? join(profileDir, "first") : undefined);
  if (round === 1)
    console.log(
      `first sync: ${first.doc.fetched.summaries} summaries, ${first.doc.fetched.sources} sources (${(first.doc.fetched.sourceBytes / 1e6).toFixed(1)} MB), ${first.doc.totals.new} new (${first.doc.totals.filed} filed)`,
    );
  note("first", first);
  note("resyncBig", sync(home, "re-sync big", profileDir && round === 1 ? join(profileDir, "resync") : undefined));
  note("resyncSmall", sync(smallHome, "re-sync small"));
  if (compareDir) {
    const before = newHome(bigUser, compareDir);
    note("cmpFirst", sync(before, "compared first sync", undefined, compareDir));
    note("cmpResync", sync(before, "compared re-sync", undefined, compareDir));
    rmSync(join(before, ".."), { recursive: true, force: true });
  }
  if (haveMbsync) note("mbsync", mbsyncFull(bigUser));
  note("bareFetch", bare(bigUser, true));
  note("bareLogin", bare(bigUser, false));
  rmSync(join(home, ".."), { recursive: true, force: true });
  loads.push(loadavg()[0]);
  process.stdout.write(`round ${round} of ${rounds} done (load ${loadavg()[0].toFixed(1)})\n`);
}

// ------------------------------------------------------------------------------------------------ export
let exportRow = null;
if (!process.argv.includes("--no-export")) {
  const r = spawnSync(process.execPath, [join(root, "scripts/bench-export.mjs"), "--messages", "16", "--mb", "8"], {
    encoding: "utf8",
    env: childEnv,
  });
  const caseMb = Number(/case size[^:]*: (\d+) MB/.exec(r.stdout)?.[1] ?? Number.NaN);
  const rss = Number(/loanmail export\s+(\d+) MB peak RSS/.exec(r.stdout)?.[1] ?? Number.NaN);
  exportRow = { caseMb, rss };
}

// ------------------------------------------------------------------------------------------------ report
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const sec = (key) => (results[key] ? median(results[key].map((r) => r.seconds)) : Number.NaN);
const all = (key) => (results[key] ?? []).map((r) => r.seconds.toFixed(2)).join(", ");
const first = sec("first");
const firstRss = median(results.first.map((r) => r.rssMb));
const rows = [
  [`loanmail first sync (${total})`, "first"],
  [`loanmail no-change re-sync (${total})`, "resyncBig"],
  [`loanmail no-change re-sync (${small})`, "resyncSmall"],
  ...(compareDir
    ? [
        [`--compare build: first sync (${total})`, "cmpFirst"],
        [`--compare build: re-sync (${total})`, "cmpResync"],
      ]
    : []),
  [`mbsync full sync (${total})`, "mbsync"],
  ["imapflow SEARCH FROM + FETCH", "bareFetch"],
  ["imapflow connect+login+logout", "bareLogin"],
];
console.log(
  `\nmachine: ${cpus().length} cores (${cpus()[0]?.model ?? "?"}), Node ${process.version}; 1-min load average ${loads.map((l) => l.toFixed(1)).join(" -> ")} during the run`,
);
console.log(`median of ${rounds} rounds, each a process's wall time (all rounds in brackets):`);
for (const [label, key] of rows) {
  const s = sec(key);
  console.log(
    `  ${label.padEnd(34)} ${Number.isNaN(s) ? "   n/a" : `${s.toFixed(2).padStart(6)} s`}  [${results[key] ? all(key) : key === "mbsync" ? "mbsync not installed: apt-get install isync" : ""}]`,
  );
}
const check = (label, value, target, unit = "x") => {
  const ok = value <= target;
  console.log(
    `  ${label.padEnd(52)} ${Number.isNaN(value) ? "n/a" : `${value.toFixed(2)}${unit}`} (target <= ${target}${unit}) ${Number.isNaN(value) ? "" : ok ? "met" : "NOT MET"}`,
  );
};
console.log("ratios against the targets (issue 13):");
check("first sync / mbsync full sync", first / sec("mbsync"), 0.15);
check("first sync / bare SEARCH + FETCH", first / sec("bareFetch"), 2.5);
check(`re-sync (${total}) / bare connect+login+logout`, sec("resyncBig") / sec("bareLogin"), 1.3);
check(`re-sync ${total} / re-sync ${small} (flat)`, sec("resyncBig") / sec("resyncSmall"), 1.3);
check("first-sync peak RSS", firstRss, 120, " MB");
if (compareDir) {
  const cmpRss = median(results.cmpFirst.map((r) => r.rssMb));
  console.log(`the --compare build (${compareDir}), same rounds:`);
  check("  its first sync / mbsync full sync", sec("cmpFirst") / sec("mbsync"), 0.15);
  check("  its first sync / bare SEARCH + FETCH", sec("cmpFirst") / sec("bareFetch"), 2.5);
  check("  its re-sync / bare connect+login+logout", sec("cmpResync") / sec("bareLogin"), 1.3);
  check("  its first-sync peak RSS", cmpRss, 120, " MB");
}
if (exportRow) check(`export peak RSS (case of ${exportRow.caseMb} MB)`, exportRow.rss, 150, " MB");
rmSync(work, { recursive: true, force: true });
