#!/usr/bin/env node
// Benchmark: `loanmail export` of a case of several hundred MB must keep its peak memory far below the case size
// (a message or stored file goes from the database into the zip in a few parts, one at a time).
// Builds a throwaway home with one case holding N imported replies, each with an incompressible attachment of
// M MB, then runs export (and verify) in child processes that report their peak RSS. Prints case size, peak RSS
// and wall time; asserts nothing.
//   node scripts/bench-export.mjs [--messages 40] [--mb 8] [--keep]
// Needs `npm run build`.
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { binNodeFlags } from "./bin-flags.mjs";

const root = resolve(import.meta.dirname, "..");
const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : dflt;
};
const count = Number(arg("messages", "40"));
const mb = Number(arg("mb", "8"));
const keep = process.argv.includes("--keep");

const work = mkdtempSync(join(tmpdir(), "loanmail-bench-export-"));
const home = join(work, "home");
// The bundle the command line runs (bin/loanmail.js).
const mainUrl = pathToFileURL(join(root, "dist", "bundle", "main.js")).href;

/** Run loanmail in a child that reports its own peak RSS (process.resourceUsage().maxRSS, in KB). */
function measured(args) {
  const script = `
    const { main } = await import(${JSON.stringify(mainUrl)});
    const code = await main([process.execPath, "loanmail", ...JSON.parse(process.argv[1])]);
    process.stderr.write("\\nBENCH " + JSON.stringify({ code, maxRssKb: process.resourceUsage().maxRSS }) + "\\n");
    process.exitCode = code;`;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(
    process.execPath,
    [...binNodeFlags(root), "--input-type=module", "-e", script, JSON.stringify(["--home", home, ...args])],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, NO_COLOR: "1" },
    },
  );
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const line = r.stderr.split("\n").find((l) => l.startsWith("BENCH "));
  if (!line) throw new Error(`loanmail ${args.join(" ")} did not finish:\n${r.stderr}`);
  const { code, maxRssKb } = JSON.parse(line.slice(6));
  if (code !== 0) throw new Error(`loanmail ${args.join(" ")} exited ${code}:\n${r.stderr}`);
  return { seconds, maxRssMb: maxRssKb / 1024, stdout: r.stdout };
}

function L(...args) {
  const r = spawnSync(process.execPath, [join(root, "bin", "loanmail.js"), "--home", home, ...args], {
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (r.status !== 0) throw new Error(`loanmail ${args.join(" ")} failed: ${r.stderr}`);
  return r.stdout;
}

console.log(`building a case of ${count} replies with a ${mb} MB attachment each in ${work}`);
const t0 = Date.now();
L(
  "init",
  "--name",
  "Bench Borrower",
  "--email",
  "bench@example.test",
  "--address",
  "1 Main St\\nTown, ST 00001",
  "--timezone",
  "America/Chicago",
);
L(
  "servicer",
  "add",
  "Bench Servicing",
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
  "Bench Servicing",
  "--account",
  "1234567",
  "--property",
  "1 Main St, Town",
  "--borrower",
  "Bench Borrower",
);
// Written and mailed 20 days ago: a letter cannot be mailed before the day it was written (--dated).
const mailedOn = new Date(Date.now() - 20 * 86_400_000).toISOString().slice(0, 10);
const composed = JSON.parse(
  L(
    "--json",
    "compose",
    "--dated",
    mailedOn,
    "notice-of-error",
    "--loan",
    "1",
    "--set",
    "error=the payment sits in suspense",
    "--summary",
    "I paid on time.",
  ),
);
const tag = composed.case.tag;
L("mailed", "1", "--tracking", "9407000000000000000000", "--date", mailedOn);
for (let i = 0; i < count; i++) {
  const attachment = randomBytes(mb * 1024 * 1024)
    .toString("base64")
    .replace(/.{76}/g, "$&\r\n");
  const eml = join(work, `reply-${i}.eml`);
  writeFileSync(
    eml,
    [
      "From: Bench Servicing <care@servicer.test>",
      "To: bench@example.test",
      `Subject: Re: Notice of Error [${tag}] part ${i + 1}`,
      `Date: ${new Date(Date.now() - (19 - (i % 19)) * 86_400_000).toUTCString().replace("GMT", "+0000")}`,
      `Message-ID: <bench-export-${i}@servicer.test>`,
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="bench"',
      "",
      "--bench",
      "Content-Type: text/plain; charset=utf-8",
      "",
      `Enclosed is part ${i + 1} of the documents you asked for.`,
      "--bench",
      `Content-Type: application/pdf; name="statement-${i + 1}.pdf"`,
      `Content-Disposition: attachment; filename="statement-${i + 1}.pdf"`,
      "Content-Transfer-Encoding: base64",
      "",
      attachment,
      "--bench--",
      "",
    ].join("\r\n"),
  );
  L("import", eml);
  rmSync(eml);
}
const db = new Database(join(home, "loanmail.db"), { readonly: true });
const rawBytes = db.prepare("SELECT sum(length(raw)) FROM messages WHERE case_id = 1").pluck().get();
const blobBytes = db
  .prepare(
    "SELECT coalesce(sum(a.size), 0) FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.case_id = 1",
  )
  .pluck()
  .get();
db.close();
const caseMb = (rawBytes + blobBytes) / 1e6;
console.log(`  built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

const zip = join(work, "bundle.zip");
const exp = measured(["export", "1", "--out", zip]);
const zipMb = statSync(zip).size / 1e6;
const ver = measured(["verify", zip]);
const base = measured(["kinds"]);

const row = (label, r) =>
  `${label.padEnd(28)} ${r.maxRssMb.toFixed(0).padStart(6)} MB peak RSS  ${r.seconds.toFixed(1).padStart(6)} s`;
console.log("");
console.log(`case size (message bytes + attachment bytes): ${caseMb.toFixed(0)} MB (${count} messages)`);
console.log(`zip written: ${zipMb.toFixed(0)} MB`);
console.log(row("loanmail kinds (baseline)", base));
console.log(row("loanmail export", exp));
console.log(row("loanmail verify", ver));
console.log(`export peak RSS / case size: ${((exp.maxRssMb / caseMb) * 100).toFixed(1)}%`);
if (!keep) rmSync(work, { recursive: true, force: true });
else console.log(`kept ${work}`);
