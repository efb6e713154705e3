/**
 * A real terminal for the interactive tests: loanmail runs in a detached tmux session (a pseudo-terminal), the test
 * reads the screen and types keys. One Terminal per test file, named so that files running at once do not meet.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { BIN, ROOT } from "./helpers.js";

function tmux(...args: string[]): string {
  return execFileSync("tmux", args, { encoding: "utf8" });
}

export class Terminal {
  readonly session: string;

  constructor(name: string) {
    this.session = `loanmail-${name}-${process.pid}`;
  }

  /** Start `loanmail ARGS` in a fresh session (a real TTY), with extra environment variables if given. */
  start(args: string[], env: Record<string, string> = {}): void {
    if (spawnSync("tmux", ["-V"]).status !== 0)
      throw new Error("tmux is needed for the prompt tests: apt-get install tmux");
    const vars = Object.entries(env).map(([k, v]) => `${k}=${v}`);
    const command = [...(vars.length ? ["env", ...vars] : []), process.execPath, BIN, ...args]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(" ");
    tmux(
      "new-session",
      "-d",
      "-s",
      this.session,
      "-x",
      "160",
      "-y",
      "50",
      "-c",
      ROOT,
      `${command}; echo EXIT=$?; sleep 30`,
    );
  }

  /** The screen, with the lines scrolled off it (the wizard asks more questions than fit). */
  screen(): string {
    return tmux("capture-pane", "-p", "-S", "-200", "-t", this.session);
  }

  /** Wait until the screen shows `text`; returns the screen. */
  async shows(text: string, timeoutMs = 10_000): Promise<string> {
    const start = Date.now();
    for (;;) {
      const screen = this.screen();
      if (screen.includes(text)) return screen;
      if (Date.now() - start > timeoutMs) throw new Error(`the terminal never showed "${text}":\n${screen}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Wait for `prompt`, type `text` and Enter. */
  async answer(prompt: string, text: string): Promise<void> {
    await this.shows(prompt);
    this.type(text);
  }

  /** Type `text` and Enter. */
  type(text: string): void {
    if (text !== "") tmux("send-keys", "-t", this.session, "-l", text);
    tmux("send-keys", "-t", this.session, "Enter");
  }

  /** Clear the rejected answer still on the prompt line (Ctrl-U) and type another. */
  retype(text: string): void {
    tmux("send-keys", "-t", this.session, "C-u");
    this.type(text);
  }

  /** Keys by tmux name (C-c, Down, Enter). */
  keys(...keys: string[]): void {
    tmux("send-keys", "-t", this.session, ...keys);
  }

  kill(): void {
    spawnSync("tmux", ["kill-session", "-t", this.session]);
  }
}
