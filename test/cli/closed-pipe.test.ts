/**
 * A reader that stops early (`loanmail cases --json | head -c 300`) closes loanmail's stdout: the command ends
 * quietly, with its own exit code and no stack trace (issue 14, "Piping into head crashes").
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { BIN, setupHome } from "./helpers.js";

/** Run the CLI with its stdout closed by the reader at once; the exit code and what it wrote on stderr. */
function runWithClosedStdout(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, CI: "true" },
    });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (s: string) => {
      stderr += s;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

describe("a closed stdout", () => {
  const { home, L } = setupHome();
  // Enough cases that every listing writes more than a pipe takes in one write.
  for (let i = 0; i < 12; i++) {
    const r = L(
      "compose",
      "balance-verification",
      "--loan",
      "1",
      "--summary",
      `Please verify my balance as of statement ${i + 1}.`,
    );
    if (r.code !== 0) throw new Error(r.stderr);
  }

  const commands: string[][] = [
    ["--help"],
    ["kinds"],
    ["kinds", "--json"],
    ["cases"],
    ["cases", "--json"],
    ["due"],
    ["due", "--json"],
    ["timeline", "--all", "--format", "csv"],
    ["timeline", "--all", "--json"],
    ["loan", "list", "--json"],
  ];
  it.each(commands.map((c) => [c.join(" "), c] as const))("%s ends with exit 0 and no stack trace", async (_, args) => {
    const r = await runWithClosedStdout(["--home", home, ...args]);
    expect(r.stderr).not.toMatch(/EPIPE|Unhandled|node:events|at .*\.js:\d+/);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });
});
