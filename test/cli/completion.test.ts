/**
 * Shell completion as a user gets it: `loanmail completion bash|zsh|fish` loaded into the real shells, with a
 * `loanmail` on PATH (a wrapper of the built CLI) that the scripts call for the record's values. Bash's and zsh's
 * completion functions are called with the words typed (bash sets COMP_WORDS; zsh's completion builtins are
 * stood in for by functions that print what they were given); fish completes a command line itself
 * (`complete -C`). `__complete` never prints an error: no home, a home that is not private, an unknown WHAT give
 * nothing and exit 0.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { JOHNSON, NGUYEN, setupCaseload } from "./caseload.js";
import { BIN, type RunResult, rowCounts, run, setupHome, tempDir } from "./helpers.js";

let bin: string;
let home: string;
/** The bash script, written once. */
let bashScript: string;

/** Run `script` in `shell` with the wrapper first on PATH. */
function shell(cmd: string, args: string[], script: string, env: Record<string, string> = {}): RunResult {
  const r = spawnSync(cmd, [...args, script], {
    encoding: "utf8",
    env: { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, LANG: "C.UTF-8", H: home, ...env },
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** What bash's completion function offers for the words typed (the last one is the word at the cursor). */
function bashOffers(...words: string[]): string[] {
  const quoted = words.map((w) => `'${w.replace(/'/g, `'\\''`)}'`).join(" ");
  const r = shell(
    "bash",
    ["-c"],
    `source ${bashScript} && COMP_WORDS=(${quoted}) && COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)) && _loanmail && printf '%s\\n' "\${COMPREPLY[@]}"`,
  );
  if (r.code !== 0) throw new Error(`bash completion failed: ${r.stderr}`);
  return r.stdout.split("\n").filter(Boolean);
}

describe("shell completion", () => {
  beforeAll(() => {
    let L: (...args: string[]) => RunResult;
    ({ home, L } = setupHome());
    const composed = L(
      "compose",
      "payoff-statement",
      "--loan",
      "1",
      "--set",
      "good-through=2026-12-31",
      "--summary",
      "I need the payoff amount to refinance.",
    );
    if (composed.code !== 0) throw new Error(composed.stderr);
    bin = tempDir("loanmail-bin-");
    writeFileSync(join(bin, "loanmail"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, "loanmail"), 0o755);
    bashScript = join(bin, "loanmail.bash");
    writeFileSync(bashScript, run(["completion", "bash"]).stdout);
  });

  it("bash: the script loads and registers loanmail", () => {
    const r = shell("bash", ["-c"], "source <(loanmail completion bash); complete -p loanmail");
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe("complete -F _loanmail loanmail");
    expect(r.stderr).toBe("");
  });

  it("bash: commands, subcommands, options and fixed choices", () => {
    expect(bashOffers("loanmail", "com")).toEqual(["compose", "completion"]);
    expect(bashOffers("loanmail", "servicer", "")).toEqual(["add", "set", "list"]);
    expect(bashOffers("loanmail", "due", "--no")).toEqual(["--notify", "--no-color"]);
    expect(bashOffers("loanmail", "cases", "--status", "")).toEqual([
      "draft",
      "open",
      "discarded",
      "resolved",
      "unresolved",
    ]);
    expect(bashOffers("loanmail", "event", "1", "de")).toEqual(["denied"]);
  });

  it("bash: kinds after compose, case ids after show, from the record", () => {
    const kinds = bashOffers("loanmail", "compose", "");
    expect(kinds).toContain("notice-of-error");
    expect(kinds).toHaveLength(21);
    expect(bashOffers("loanmail", "compose", "pay")).toEqual([
      "payment-history",
      "payment-application",
      "payment-delay",
      "payoff-statement",
    ]);
    // The home typed on the command line is the one asked; without it, LOANMAIL_HOME.
    expect(bashOffers("loanmail", "--home", home, "show", "")).toEqual(["1"]);
    const fromEnv = shell(
      "bash",
      ["-c"],
      `source ${bashScript}; COMP_WORDS=(loanmail show ''); COMP_CWORD=2; _loanmail; echo "\${COMPREPLY[*]}"`,
      { LOANMAIL_HOME: home },
    );
    expect(fromEnv.stdout.trim()).toBe("1");
  });

  it("bash: client names, loans and servicers from the record, quoted for the command line", () => {
    // A name with spaces comes back quoted for the command line.
    expect(bashOffers("loanmail", "--home", home, "client", "show", "")).toEqual(["Jane\\ Q.\\ Doe"]);
    expect(bashOffers("loanmail", "--home", home, "due", "--client", "Ja")).toEqual(["Jane\\ Q.\\ Doe"]);
    expect(bashOffers("loanmail", "--home", home, "compose", "notice-of-error", "--loan", "")).toEqual(["1"]);
    expect(bashOffers("loanmail", "--home", home, "servicer", "set", "")).toEqual(["Mr.\\ Cooper"]);
  });

  it("completion is fenced as commands are: --client on the line, else LOANMAIL_CLIENT; an unknown client offers nothing", () => {
    // Two households, each with a loan and a case: Nguyen's loan 1 and case 1, Johnson's loan 2 and case 2.
    const { home: h } = setupCaseload();
    const ids = (what: string, extra: string[] = [], env: Record<string, string> = {}) =>
      run(["__complete", what, "--home", h, ...extra], { env })
        .stdout.split("\n")
        .filter(Boolean)
        .map((v) => v.split("\t")[0]);
    expect(ids("cases").sort()).toEqual(["1", "2"]);
    expect(ids("cases", ["--client", NGUYEN])).toEqual(["1"]);
    expect(ids("loans", ["--client", JOHNSON])).toEqual(["2"]);
    expect(ids("clients", ["--client", JOHNSON])).toEqual([JOHNSON]);
    expect(ids("loans", ["--client", "Nobody"])).toEqual([]);
    expect(ids("cases", [], { LOANMAIL_CLIENT: JOHNSON })).toEqual(["2"]);
    // In the shell: a --client typed before the cursor fences what Tab offers; one at the cursor is completed.
    expect(bashOffers("loanmail", "--home", h, "--client", NGUYEN, "show", "")).toEqual(["1"]);
    expect(bashOffers("loanmail", "--home", h, "due", "--client", "Jo")).toEqual(["Johnson\\ household"]);
  });

  it("__complete: values with what they are; nothing, and no error, without a home or with an unsafe one", () => {
    const before = rowCounts(home);
    const files = readdirSync(home).sort();
    const cases = run(["__complete", "cases", "--home", home]);
    expect(cases).toMatchObject({ code: 0, stderr: "" });
    expect(cases.stdout).toMatch(/^1\tLM-[A-Z0-9]+-1 payoff-statement \(draft\) Jane Q\. Doe\n$/);
    // Through main too (the hidden command), and it only reads: no row, no file added.
    expect(run(["--home", home, "__complete", "servicers"]).stdout).toBe("Mr. Cooper\tservicer\n");
    expect(rowCounts(home)).toEqual(before);
    expect(readdirSync(home).sort()).toEqual(files);
    const none = run(["__complete", "cases", "--home", join(tempDir(), "nowhere")]);
    expect(none).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(run(["__complete", "secrets", "--home", home])).toEqual({ code: 0, stdout: "", stderr: "" });
    chmodSync(home, 0o777);
    try {
      expect(run(["__complete", "cases", "--home", home])).toEqual({ code: 0, stdout: "", stderr: "" });
    } finally {
      chmodSync(home, 0o700);
    }
    // Kinds need no home.
    expect(run(["__complete", "kinds"], { env: { LOANMAIL_HOME: join(tempDir(), "none") } }).stdout).toContain(
      "notice-of-error\tNotice of Error\n",
    );
  });

  it("completion with no or another shell is a usage error", () => {
    expect(run(["completion"]).code).toBe(2);
    const r = run(["completion", "tcsh"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no completion for the shell tcsh");
  });

  it("zsh: the script parses, and its completer offers commands, kinds and cases", () => {
    const script = join(tempDir(), "_loanmail");
    writeFileSync(script, run(["completion", "zsh"]).stdout);
    expect(shell("zsh", ["-n"], script)).toMatchObject({ code: 0, stderr: "" });
    // zsh's completion builtins, stood in for: each prints the candidates it was given (the last argument names
    // the array), and the walker is called as zsh would call it, with words and CURRENT set.
    const probe = `
      compdef() { print "compdef $*" }
      _describe() { local -a a; a=("\${(@P)\${@[-1]}}"); print -l -- "\${a[@]}" }
      compadd() { local -a a; a=("\${(@P)\${@[-1]}}"); print -l -- "\${a[@]}" }
      _files() { print "<files>" }
      source ${script}
      t() { words=("$@"); CURRENT=\${#words}; print "== $*"; _loanmail }
      t loanmail com
      t loanmail --home $H show ''
      t loanmail compose ''
      t loanmail cases --status ''
      t loanmail import ''
    `;
    const r = shell("zsh", ["-c"], probe);
    expect(r.stderr).toBe("");
    const out = r.stdout;
    expect(out).toContain("compdef _loanmail loanmail");
    expect(out).toContain("compose:compose a letter of KIND as a draft (nothing is sent)");
    expect(out).toMatch(/== loanmail --home \S+ show \n1:LM-[A-Z0-9]+-1 payoff-statement \(draft\) Jane Q\. Doe\n/);
    expect(out).toContain("notice-of-error:Notice of Error");
    expect(out).toContain("== loanmail cases --status \ndraft\nopen\n");
    expect(out).toContain("== loanmail import \n<files>");
  });

  it("fish: the script parses, and fish completes commands, kinds and case ids with it", () => {
    const script = join(tempDir(), "loanmail.fish");
    writeFileSync(script, run(["completion", "fish"]).stdout);
    expect(shell("fish", ["-n"], script)).toMatchObject({ code: 0, stderr: "" });
    const complete = (line: string) =>
      shell("fish", ["-c"], `source ${script}; complete -C '${line}'`).stdout.split("\n").filter(Boolean);
    expect(complete("loanmail com")).toEqual([
      "completion\tprint a shell completion script (bash, zsh, fish)",
      "compose\tcompose a letter of KIND as a draft (nothing is sent)",
    ]);
    expect(complete("loanmail compose payo")).toEqual(["payoff-statement\tPayoff Statement Request"]);
    expect(complete(`loanmail --home ${home} show `)).toHaveLength(1);
    expect(complete(`loanmail --home ${home} show `)[0]).toMatch(/^1\tLM-[A-Z0-9]+-1 payoff-statement/);
    expect(complete("loanmail due --no")).toEqual(["--notify", "--no-color"]);
  });
});
