// The Node flags the installed command runs with: those of bin/loanmail.js's `#!/usr/bin/env -S node ...` line.
// The benches start loanmail's code with the same flags, so that they measure what a user's `loanmail` does.
import { readFileSync } from "node:fs";
import { join } from "node:path";

/** The flags after `node` on the first line of DIR/bin/loanmail.js (none for a build whose line has none). */
export function binNodeFlags(dir) {
  const first = readFileSync(join(dir, "bin", "loanmail.js"), "utf8").split("\n", 1)[0] ?? "";
  const m = /^#!\/usr\/bin\/env(?: -S)? node\b(.*)$/.exec(first);
  return m ? m[1].trim().split(/\s+/).filter(Boolean) : [];
}
