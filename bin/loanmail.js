#!/usr/bin/env node
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
