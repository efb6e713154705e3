/**
 * Help that teaches, as a user reads it: every command's --help ends with examples (the table and its check are
 * test/unit/help-examples.test.ts), and a mistyped command, subcommand, option or kind is answered with the
 * nearest one.
 */
import { describe, expect, it } from "vitest";
import { run } from "./helpers.js";

describe("help", () => {
  it("a command's --help ends with its examples", () => {
    const r = run(["compose", "--help"]);
    expect(r.code).toBe(0);
    const tail = r.stdout.slice(r.stdout.indexOf("Examples:"));
    expect(tail).toMatch(/^Examples:\n {2}\$ loanmail compose notice-of-error --loan 1 /);
    expect(tail).toContain("  $ loanmail compose payoff-statement --loan 1 --set good-through=2026-12-31\n");
    expect(r.stdout.trimEnd().endsWith("a payoff statement request")).toBe(true);
  });

  it("groups and loanmail itself have examples too", () => {
    expect(run(["servicer", "--help"]).stdout).toContain("Examples:\n  $ loanmail servicer list\n");
    expect(run(["--help"]).stdout).toContain("Examples:\n  $ loanmail new\n");
    expect(run(["due", "--help"]).stdout).toContain("$ loanmail due --notify --within 3");
  });

  it("`loanmail help` and `loanmail help COMMAND` are asked-for help (exit 0); a bare command group is exit 2", () => {
    const all = run(["help"]);
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("Usage: loanmail");
    const one = run(["help", "cases"]);
    expect(one.code).toBe(0);
    expect(one.stdout).toContain("Usage: loanmail cases");
    expect(run(["servicer"]).code).toBe(2);
  });

  it("a mistyped command or subcommand suggests the nearest, with exit 2", () => {
    const top = run(["compse"]);
    expect(top.code).toBe(2);
    expect(top.stderr).toContain("loanmail: error: unknown command 'compse'\n(Did you mean compose?)");
    const sub = run(["servicer", "ad"]);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toContain("(Did you mean add?)");
    const option = run(["due", "--notfy"]);
    expect(option.code).toBe(2);
    expect(option.stderr).toContain("(Did you mean --notify?)");
  });

  it("with --json the suggestion is in the error document", () => {
    const r = run(["--json", "compse"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(JSON.parse(r.stderr)).toMatchObject({
      error: { code: "UNKNOWN_COMMAND", message: "unknown command 'compse'\n(Did you mean compose?)" },
    });
  });

  it("a mistyped kind suggests the nearest kind", () => {
    const r = run(["deadline", "payof", "--received", "2026-11-02"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('unknown letter kind "payof"');
    expect(r.stderr).toContain("did you mean payoff-statement?");
  });
});
