#!/usr/bin/env -S node --max-semi-space-size=4 --optimize-for-size
// --max-semi-space-size=4 (MB): V8's young generation stays at most 12 MB instead of growing to 48 MB under a
// sync's or an export's stream of short-lived buffers; the first sync of 1,030 messages peaked 20 MB lower, at
// the same speed. --optimize-for-size: V8 grows its heaps less eagerly and compiles smaller code, which leaves
// room under the first sync's 120 MB for its parsing thread's heap (README, "Speed"). Run as
// `node bin/loanmail.js`, Node's defaults apply instead.
// The command line runs from its bundle (dist/bundle/, made by `npm run build`: scripts/bundle.mjs), which starts
// faster than the same code as a hundred separate files. `loanmail __complete WHAT` runs on every Tab press of the
// completion scripts: it goes straight to its values (complete.js) without loading every command module.
const { main } =
  process.argv[2] === "__complete"
    ? { main: (await import("../dist/bundle/complete.js")).complete }
    : await import("../dist/bundle/main.js");

main(process.argv).then((code) => {
  process.exitCode = code;
});
