/**
 * On a real terminal (tmux), loanmail asks for what the flags left out; the answers land where the flags would
 * have put them. Without a terminal the same commands fail naming the flag (test/cli/bad-input.test.ts).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { json, rowCounts, setupHome, tempDir } from "./helpers.js";
import { Terminal } from "./pty.js";

const term = new Terminal("prompts");
const startOnTerminal = (args: string[], env: Record<string, string> = {}): void => term.start(args, env);
const screenShows = (text: string): Promise<string> => term.shows(text);
const answer = (prompt: string, text: string): Promise<void> => term.answer(prompt, text);
const retype = (text: string): void => term.retype(text);

afterEach(() => term.kill());

describe("prompts on a terminal", () => {
  it("init asks for each detail, checks each answer as it is typed, and asks again until it is right", async () => {
    const home = join(tempDir(), "home");
    startOnTerminal(["--home", home, "init"]);
    await answer("Your full name", "Ann Lee");
    await answer("Your email address", "ann@example");
    await screenShows('"ann@example" is not an email address');
    retype("ann@example.test");
    // The address: one line per prompt, an empty line ends it; one line alone is not an address.
    await answer("line 1:", "1 Main St");
    await answer("line 2 (an empty line when done)", "");
    await screenShows("an address needs at least two lines");
    await answer("line 1:", "1 Main St");
    await answer("line 2 (an empty line when done)", "Town, ST 00001");
    await answer("line 3 (an empty line when done)", "");
    await answer("A phone number", "867-5309");
    await screenShows("has 7 digits, not a full number");
    retype("(555) 867-5309");
    await answer("Your time zone", "Mars/Base");
    await screenShows('"Mars/Base" is not a time zone this machine knows');
    retype("America/Chicago");
    await screenShows("EXIT=0");
    const config = readFileSync(join(home, "config.toml"), "utf8");
    expect(config).toContain('name = "Ann Lee"');
    expect(config).toContain('email = "ann@example.test"');
    expect(config).toContain('address = "1 Main St\\nTown, ST 00001"');
    expect(config).toContain('phone = "(555) 867-5309"');
    expect(config).toContain('timezone = "America/Chicago"');
  });

  it("init's phone may be left out, and the time zone defaults to this machine's", async () => {
    const home = join(tempDir(), "home");
    startOnTerminal(["--home", home, "init", "--name", "Ann Lee", "--email", "ann@example.test"], {
      TZ: "America/Denver",
    });
    await answer("line 1:", "1 Main St");
    await answer("line 2 (an empty line when done)", "Town, ST 00001");
    await answer("line 3 (an empty line when done)", "");
    await answer("A phone number", "");
    await screenShows("America/Denver");
    await answer("Your time zone", "");
    await screenShows("EXIT=0");
    const config = readFileSync(join(home, "config.toml"), "utf8");
    expect(config).not.toContain("phone");
    expect(config).toContain('timezone = "America/Denver"');
  });

  it("Ctrl-C at init's third question writes nothing and exits 130", async () => {
    const parent = tempDir();
    startOnTerminal(["--home", join(parent, "home"), "init"]);
    await answer("Your full name", "Ann Lee");
    await answer("Your email address", "ann@example.test");
    await screenShows("line 1:");
    term.keys("C-c");
    const screen = await screenShows("EXIT=");
    expect(screen).toContain("stopped at the prompt; nothing was changed");
    expect(screen).toContain("EXIT=130");
    expect(readdirSync(parent)).toEqual([]);
  });

  it("compose asks for each required field and the summary, and discard asks before it acts", async () => {
    const { home, L } = setupHome();
    startOnTerminal(["--home", home, "compose", "payment-application", "--loan", "1"], { LC_ALL: "en_US.UTF-8" });
    // A wrong date and a wrong amount are shown under their prompt and asked again; the answers are kept.
    await answer("date the payment was made", "2026-02-30");
    await screenShows('"2026-02-30" is not a day of the calendar');
    retype("03/01/2026"); // month first in en-US: March 1, 2026
    await answer("payment amount", "fifteen hundred");
    await screenShows('"fifteen hundred" is not an amount in dollars');
    retype("$1,500");
    await answer("One paragraph", "Paid on March 1; it sits in suspense.");
    await screenShows("EXIT=0");
    const show = json<{ messages: { bodyText: string }[] }>(L("--json", "show", "1"));
    expect(show.messages[0]?.bodyText).toContain("You failed to apply my payment of $1,500.00, made on March 1, 2026,");
    expect(show.messages[0]?.bodyText).toContain("Paid on March 1; it sits in suspense.");

    term.kill();
    startOnTerminal(["--home", home, "discard", "1"]);
    await answer("Discard", "n");
    await screenShows("EXIT=0");
    expect(json<{ case: { status: string } }>(L("--json", "show", "1")).case.status).toBe("draft");
  });

  /**
   * An editor script for tmux: its first run deletes the account-number line and adds a sentence (the user's work);
   * its second run keeps a copy of what it was shown, then runs `second` (a sed script) on the file.
   */
  function twoStepEditor(dir: string, second: string): string {
    const script = join(dir, "editor.sh");
    writeFileSync(
      script,
      [
        "#!/bin/sh",
        `if [ ! -e "${dir}/ran" ]; then touch "${dir}/ran"`,
        `  sed -i -e '/^Account number/d' -e 's/^Dear \\(.*\\)$/Dear \\1\\nThe buyer closes in June./' "$1"`,
        `else cp "$1" "${dir}/shown.txt"; ${second} "$1"; fi`,
        "",
      ].join("\n"),
      { mode: 0o700 },
    );
    return script;
  }

  it("edit: deleting the account-number line reopens the editor with what was wrong, and the work is kept", async () => {
    const { home, L } = setupHome();
    expect(L("compose", "assumption", "--loan", "1", "--summary", "A buyer asked about assuming the loan.").code).toBe(
      0,
    );
    const dir = tempDir();
    const editor = twoStepEditor(dir, "sed -i 's/^The buyer closes in June\\.$/Account number: 1234567\\n&/'");
    startOnTerminal(["--home", home, "edit", "1"], { EDITOR: editor, VISUAL: "" });
    await screenShows("EXIT=0");
    const shown = readFileSync(join(dir, "shown.txt"), "utf8");
    expect(shown).toMatch(/^# loanmail: THIS EDIT WAS NOT SAVED/);
    expect(shown).toMatch(/no longer states the account number/);
    expect(shown).toContain("The buyer closes in June.");
    const body = json<{ messages: { bodyText: string }[] }>(L("--json", "show", "1")).messages[0]?.bodyText ?? "";
    expect(body).toContain("The buyer closes in June.");
    expect(body).toMatch(/^Account number: 1234567$/m);
    expect(body).not.toContain("# loanmail:");
  });

  it("edit: Ctrl-C in an editor that dies of it leaves the draft unchanged and exits 130", async () => {
    const { home, L } = setupHome();
    expect(L("compose", "assumption", "--loan", "1", "--summary", "A buyer asked about assuming the loan.").code).toBe(
      0,
    );
    const before = rowCounts(home);
    const dir = tempDir();
    const editor = join(dir, "editor.sh");
    writeFileSync(editor, `#!/bin/sh\ntouch "${dir}/started"\nsleep 20\n`, { mode: 0o700 });
    startOnTerminal(["--home", home, "edit", "1"], { EDITOR: editor, VISUAL: "" });
    for (let i = 0; i < 100 && !existsSync(join(dir, "started")); i++) await new Promise((r) => setTimeout(r, 100));
    term.keys("C-c");
    const screen = await screenShows("EXIT=");
    expect(screen).toContain("stopped in the editor (Ctrl-C); the draft is unchanged");
    expect(screen).toContain("EXIT=130");
    expect(rowCounts(home)).toEqual(before);
  });

  it("edit: saving the refused text unchanged gives up, says what was wrong, and changes nothing", async () => {
    const { home, L } = setupHome();
    expect(L("compose", "assumption", "--loan", "1", "--summary", "A buyer asked about assuming the loan.").code).toBe(
      0,
    );
    const before = rowCounts(home);
    const bodyBefore = json<{ messages: { bodyText: string }[] }>(L("--json", "show", "1")).messages[0]?.bodyText;
    const dir = tempDir();
    startOnTerminal(["--home", home, "edit", "1"], { EDITOR: twoStepEditor(dir, "true"), VISUAL: "" });
    const screen = await screenShows("EXIT=1");
    expect(screen).toMatch(/no longer states the account number/);
    expect(rowCounts(home)).toEqual(before);
    expect(json<{ messages: { bodyText: string }[] }>(L("--json", "show", "1")).messages[0]?.bodyText).toBe(bodyBefore);
  });
});
