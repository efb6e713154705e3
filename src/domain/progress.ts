/**
 * How a long task (sync, import, export, verify) says how far it is: the app and export floors call a `Progress`
 * given in their options; the CLI passes one that draws a bar with counts and an ETA on a terminal's stderr
 * (src/cli/progress.ts), or none (no TTY, --json, tests). Nothing below the CLI draws or knows the library.
 */
export interface Progress {
  /**
   * A stage begins: its label (a mailbox, a file, "events") and how much of it there is: items, or bytes of a
   * file read in parts. A stage of nothing (`total` 0) may be skipped.
   */
  start(label: string, total: number, unit?: "items" | "bytes"): void;
  /** How much of the stage is done, with a short note ("1,204 messages"). */
  update(done: number, note?: string): void;
  /** The stage is over: its bar goes. */
  stop(): void;
}
