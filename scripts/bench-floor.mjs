#!/usr/bin/env node
// What any sync that files replies must spend, with no record kept: the floor under loanmail's first sync.
//   npm run build && node scripts/bench-floor.mjs [--user b40@example.test] [--rounds 3]
// Needs the mail lab running and the bench mailbox written by `npm run bench` (a lab user's INBOX with the
// servicer's letters from servicer.test). Each contender is a whole process started with loanmail's own Node flags
// (bin/loanmail.js's first line), timed from start to exit, the median of --rounds:
//   bare     connect, login, SEARCH FROM the servicer, FETCH those messages' sources (npm run bench's bare script)
//   +parse   the same, each source parsed by loanmail's parser (src/mail/parse.ts, postal-mime) as it arrives
//   +class   the same, each parsed reply also classified (src/domain/classify.ts), as a sync must before it files
// and, unless --no-sync, loanmail's own first sync of a fresh home for the same mailbox. It prints each against
// the bare one: issue 13's target is the first sync at 2.5x the bare SEARCH + FETCH. Asserts nothing.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { binNodeFlags } from "./bin-flags.mjs";

const root = resolve(import.meta.dirname, "..");
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const user = arg("user", "b40@example.test");
const rounds = Number(arg("rounds", "3"));
const flags = binNodeFlags(root);
const labEnv = Object.fromEntries(
  spawnSync("bash", [join(root, "scripts/mail-lab.sh"), "env"], { encoding: "utf8" })
    .stdout.split("\n")
    .flatMap((l) => {
      const m = /^export (\w+)=(\S*)/.exec(l);
      return m ? [[m[1], m[2].replace(/\\ /g, " ")]] : [];
    }),
);
if (!labEnv.LOANMAIL_LAB_IMAPS_PORT)
  throw new Error("the mail lab's settings are missing: bash scripts/mail-lab.sh start");

const mod = (p) => JSON.stringify(pathToFileURL(join(root, p)).href);
/** A contender's script: `work` runs on each fetched message (its source Buffer in `m.source`). */
const script = (setup, work) => `
  const { ImapFlow } = await import("imapflow");
  const { readFileSync } = await import("node:fs");
  ${setup}
  const c = new ImapFlow({ host: "127.0.0.1", port: ${labEnv.LOANMAIL_LAB_IMAPS_PORT}, secure: true, logger: false,
    auth: { user: ${JSON.stringify(user)}, pass: ${JSON.stringify(labEnv.LOANMAIL_LAB_PASSWORD)} },
    tls: { ca: [readFileSync(${JSON.stringify(labEnv.LOANMAIL_LAB_CA)})] } });
  await c.connect();
  await c.mailboxOpen("INBOX", { readOnly: true });
  const uids = await c.search({ from: "servicer.test" }, { uid: true });
  let n = 0;
  for await (const m of c.fetch(uids.join(","), { uid: true, source: true }, { uid: true })) { n++; ${work} }
  await c.logout();
  console.log(n);`;
const parseSetup = `const { parseMail } = await import(${mod("dist/mail/parse.js")});`;
const classSetup = `${parseSetup} const { classifyReply } = await import(${mod("dist/domain/classify.js")});`;
const parse = "const p = await parseMail(m.source);";
const classify = `${parse} classifyReply({ subject: p.subject, text: p.text, autoSubmitted: p.autoSubmitted, xAutoreply: p.xAutoreply, precedence: p.precedence });`;

const contenders = [
  ["bare SEARCH + FETCH", script("", "")],
  ["+ parse each", script(parseSetup, parse)],
  ["+ parse and classify each", script(classSetup, classify)],
];

function timed(args, env = process.env) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", env });
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status !== 0) throw new Error(`${args.slice(-3).join(" ")} failed: ${r.stderr}`);
  return s;
}

function firstSync() {
  const home = mkdtempSync(join(tmpdir(), "lm-floor-"));
  const env = { ...process.env, NO_COLOR: "1", LAB_PASS: labEnv.LOANMAIL_LAB_PASSWORD };
  const L = (...a) => timed([...flags, join(root, "bin/loanmail.js"), "--home", home, ...a], env);
  L("init", "--name", "Floor User", "--email", user, "--address", "1 Main St\\nTown", "--timezone", "UTC");
  L(
    "servicer",
    "add",
    "Bench Servicer",
    "--domain",
    "servicer.test",
    "--email",
    "help@servicer.test",
    "--notice-address",
    "PO Box 1\\nDallas, TX 75261",
  );
  L(
    "loan",
    "add",
    "--servicer",
    "Bench Servicer",
    "--account",
    "1234567",
    "--property",
    "1 Main St, Town",
    "--borrower",
    "Floor User",
  );
  L(
    ...[
      "compose",
      "notice-of-error",
      "--loan",
      "1",
      "--set",
      "error=the payment sits in suspense",
      "--summary",
      "I paid on time.",
    ],
  );
  L(
    ...["account", "set", "--email", user, "--imap-host", "127.0.0.1", "--imap-port", labEnv.LOANMAIL_LAB_IMAPS_PORT],
    ...["--imap-security", "tls", "--smtp-host", "127.0.0.1", "--smtp-port", labEnv.LOANMAIL_LAB_SUBMISSION_PORT],
    ...["--smtp-security", "starttls", "--password-env", "LAB_PASS", "--ca-file", labEnv.LOANMAIL_LAB_CA],
  );
  const s = L("sync");
  rmSync(home, { recursive: true, force: true });
  return s;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = new Map();
const note = (k, s) => times.set(k, [...(times.get(k) ?? []), s]);
timed([...flags, "--input-type=module", "-e", contenders[0][1]]); // warm the page cache and Dovecot's index
for (let r = 0; r < rounds; r++) {
  for (const [name, code] of contenders) note(name, timed([...flags, "--input-type=module", "-e", code]));
  if (!process.argv.includes("--no-sync")) note("loanmail first sync", firstSync());
}
const bare = median(times.get(contenders[0][0]));
console.log(`floor of a first sync (${user}, median of ${rounds}, Node flags: ${flags.join(" ") || "none"})`);
for (const [name, xs] of times)
  console.log(
    `  ${name.padEnd(28)} ${median(xs).toFixed(2)} s  ${(median(xs) / bare).toFixed(2)}x bare  (${xs.map((x) => x.toFixed(2)).join(", ")})`,
  );
