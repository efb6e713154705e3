#!/usr/bin/env node
// `loanmail __complete WHAT` runs on every Tab press of the completion scripts: it goes straight to its values
// (dist/cli/complete.js) without loading every command module. Everything else runs dist/cli/main.js.
const { main } =
  process.argv[2] === "__complete"
    ? { main: (await import("../dist/cli/complete.js")).complete }
    : await import("../dist/cli/main.js");

main(process.argv).then((code) => {
  process.exitCode = code;
});
