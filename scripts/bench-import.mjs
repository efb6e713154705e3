#!/usr/bin/env node
// Importing an mbox: time and peak memory of `loanmail import FILE.mbox` (the built CLI, run as a whole process)
// for mboxes of several sizes, to show that memory stays flat as the file grows (the reader holds one message at
// a time, the file's transaction spills to the WAL, not to memory). Every message comes from the servicer's
// domain, so every one is parsed, classified and stored (the worst case); each has 8-bit bytes and a `From `
// line in its body (quoted `>From ` in the mbox, as Gmail Takeout writes it). Checks that the count reported is
// exact and that the record holds that many messages. Build first (npm run build).
// Usage: node scripts/bench-import.mjs [messages ...] (default 5000 20000)   env BODY_KB: body size (default 4)
import { spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";

const sizes = process.argv.slice(2).map(Number);
if (sizes.length === 0) sizes.push(5000, 20000);
const bodyKb = Number(process.env.BODY_KB ?? 4);
const bin = fileURLToPath(new URL("../bin/loanmail.js", import.meta.url));
// Loaded before the CLI: at exit, the process's peak resident set (kB) on fd 3.
const peak =
  "data:text/javascript,import {writeSync} from 'node:fs';process.on('exit',()=>{try{writeSync(3,String(process.resourceUsage().maxRSS))}catch{}})";

/** Write an mbox of `n` messages; returns its size in bytes. */
function writeMbox(path, n) {
  const fd = openSync(path, "w");
  const filler =
    `${"Your escrow analysis is enclosed. Caf\xe9 cr\xe8me. ".repeat(Math.ceil((bodyKb * 1024) / 44))}`.slice(
      0,
      bodyKb * 1024,
    );
  const wrapped = filler.replace(/(.{72})/g, "$1\n");
  let buf = [];
  let held = 0;
  for (let i = 1; i <= n; i++) {
    const msg = [
      `From 17${String(i).padStart(17, "0")}@xxx Tue Sep 08 15:00:00 +0000 2026`,
      `X-GM-THRID: 17${String(i).padStart(17, "0")}`,
      "X-Gmail-Labels: Inbox,Loan",
      "From: Mr. Cooper <help@servicer.test>",
      "To: jane@example.test",
      `Subject: Your escrow statement ${i}`,
      "Date: Tue, 08 Sep 2026 10:00:00 -0500",
      `Message-ID: <bench-${i}@servicer.test>`,
      "Content-Type: text/plain; charset=iso-8859-1",
      "Content-Transfer-Encoding: 8bit",
      "",
      `Statement ${i}.`,
      ">From the servicer's records: nothing is due.",
      wrapped,
      "",
      "",
    ].join("\n");
    const b = Buffer.from(msg, "latin1");
    buf.push(b);
    held += b.length;
    if (held > 1 << 20) {
      writeSync(fd, Buffer.concat(buf));
      buf = [];
      held = 0;
    }
  }
  writeSync(fd, Buffer.concat(buf));
  closeSync(fd);
  return statSync(path).size;
}

function loanmail(home, args, withPeak = false) {
  const r = spawnSync(process.execPath, [...(withPeak ? ["--import", peak] : []), bin, "--home", home, ...args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.status !== 0) throw new Error(`loanmail ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), "loanmail-bench-import-"));
try {
  console.log(`body ${bodyKb} KB per message; node ${process.version}`);
  for (const n of sizes) {
    const home = join(dir, `home-${n}`);
    loanmail(home, [
      "init",
      "--name",
      "Jane Doe",
      "--email",
      "jane@example.test",
      "--address",
      "1 Elm St\\nSpringfield, IL 62701",
      "--timezone",
      "America/Chicago",
    ]);
    loanmail(home, [
      "servicer",
      "add",
      "Mr. Cooper",
      "--domain",
      "servicer.test",
      "--email",
      "help@servicer.test",
      "--notice-address",
      "PO Box 1\\nDallas, TX 75261",
    ]);
    const mbox = join(dir, `takeout-${n}.mbox`);
    const bytes = writeMbox(mbox, n);
    const start = process.hrtime.bigint();
    // The text report (--json would list every message, which grows with the file by design).
    const r = loanmail(home, ["import", mbox], true);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const counts = /: (\d+) messages?: (\d+) new/.exec(r.stdout);
    const file = { messages: Number(counts?.[1]), new: Number(counts?.[2]) };
    const db = new Database(join(home, "loanmail.db"), { readonly: true });
    const stored = db.prepare("SELECT count(*) FROM messages WHERE direction = 'in'").pluck().get();
    db.close();
    const peakMb = Number(r.output[3]) / 1024;
    const ok = file.messages === n && file.new === n && stored === n;
    console.log(
      `${String(n).padStart(7)} messages  ${(bytes / 1024 / 1024).toFixed(1).padStart(7)} MB mbox  ${seconds.toFixed(1).padStart(6)} s  ${Math.round(
        n / seconds,
      )
        .toString()
        .padStart(
          5,
        )} msg/s  peak RSS ${peakMb.toFixed(0).padStart(4)} MB  counted ${file.messages}, new ${file.new}, stored ${stored} ${ok ? "ok" : "MISMATCH"}`,
    );
    if (!ok) process.exitCode = 1;
    rmSync(home, { recursive: true, force: true });
    rmSync(mbox, { force: true });
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
