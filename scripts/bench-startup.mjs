#!/usr/bin/env node
// Startup cost: `loanmail --help` and `loanmail kinds --json` against a bare `node -e ''`, each run as a whole
// process, interleaved so that machine noise hits both alike. Prints the median and minimum of each and the ratio
// of medians (the target for --help is at most 4x). Usage: node scripts/bench-startup.mjs [runs] (default 15).
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? 15);
const bin = fileURLToPath(new URL("../bin/loanmail.js", import.meta.url));
const commands = {
  "node -e ''": [process.execPath, ["-e", ""]],
  "loanmail --help": [process.execPath, [bin, "--help"]],
  "loanmail kinds --json": [process.execPath, [bin, "kinds", "--json"]],
};

const times = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
for (let i = 0; i < runs; i++) {
  for (const [name, [cmd, args]] of Object.entries(commands)) {
    const start = process.hrtime.bigint();
    const r = spawnSync(cmd, args, { stdio: "ignore", env: { ...process.env, LOANMAIL_HOME: "/nonexistent" } });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
    times[name].push(ms);
  }
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const base = median(times["node -e ''"]);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(
    `${name.padEnd(24)} median ${m.toFixed(1).padStart(7)} ms  min ${Math.min(...xs)
      .toFixed(1)
      .padStart(7)} ms  ${(m / base).toFixed(2)}x bare node`,
  );
}
