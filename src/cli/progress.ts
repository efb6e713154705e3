/**
 * Progress on a terminal: a bar on stderr with counts and an ETA (cli-progress), for the `Progress` the app
 * floor reports through (src/domain/progress.ts). Only on a TTY and without --json: anything else (a pipe, a log,
 * a script) gets nothing, so stderr stays clean. The bar is cleared when its stage ends; the command's own
 * output follows. The library is loaded only when a bar is drawn.
 */
import type { Progress } from "../domain/progress.js";
import type { Context } from "./context.js";
import { sanitizeForTerminal } from "./output.js";

type CliProgress = typeof import("cli-progress");

/** "812 KB", "1.4 GB". */
export function formatBytes(n: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB"];
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${n} bytes` : `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** "8s", "3m 05s", "1h 20m". */
export function formatSeconds(seconds: number): string {
  const s = Math.max(1, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.round((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** A label short enough to leave the bar, counts and ETA room on an 80-column terminal: a long path's end. */
function shortLabel(label: string, max = 22): string {
  const safe = sanitizeForTerminal(label);
  return safe.length > max ? `…${safe.slice(-(max - 1))}` : safe;
}

/** Bars drawn with cli-progress on `stream`, one stage at a time. */
export class TerminalProgress implements Progress {
  private bar: InstanceType<CliProgress["SingleBar"]> | undefined;
  private unit: "items" | "bytes" = "items";
  private total = 0;
  private startedAt = 0;

  constructor(
    private readonly lib: CliProgress,
    private readonly stream: NodeJS.WritableStream,
  ) {}

  private amount(n: number): string {
    return this.unit === "bytes" ? formatBytes(n) : n.toLocaleString("en-US");
  }

  start(label: string, total: number, unit: "items" | "bytes" = "items"): void {
    this.stop();
    if (total <= 0) return;
    this.unit = unit;
    this.total = total;
    this.bar = new this.lib.SingleBar(
      {
        stream: this.stream,
        format: `${shortLabel(label)} {bar} {done} of {all}{note}{left}`,
        barsize: 16,
        // Neither the cursor nor line wrapping is switched off: a Ctrl-C mid-bar leaves the terminal as it was.
        // Lines are cut to the terminal's width instead.
        hideCursor: false,
        linewrap: true,
        clearOnComplete: true,
        etaBuffer: 40,
        fps: 10,
        barCompleteChar: "█",
        barIncompleteChar: "░",
      },
      this.lib.Presets.shades_classic,
    );
    this.startedAt = Date.now();
    this.bar.start(total, 0, { done: this.amount(0), all: this.amount(total), note: "", left: "" });
  }

  /** The time left at the stage's average pace so far; nothing before there is a pace to go by. */
  private eta(done: number): string {
    const elapsed = (Date.now() - this.startedAt) / 1000;
    if (done <= 0 || done >= this.total || elapsed < 0.5) return "";
    return ` · ETA ${formatSeconds((elapsed * (this.total - done)) / done)}`;
  }

  update(done: number, note?: string): void {
    this.bar?.update(Math.min(done, this.total), {
      done: this.amount(done),
      all: this.amount(this.total),
      note: note ? ` · ${sanitizeForTerminal(note)}` : "",
      left: this.eta(done),
    });
  }

  stop(): void {
    this.bar?.stop();
    this.bar = undefined;
  }
}

/** The progress of this command: bars on a terminal's stderr, or undefined (no TTY, --json). */
export async function progressFor(ctx: Context): Promise<Progress | undefined> {
  if (ctx.out.json || process.stderr.isTTY !== true) return undefined;
  const lib = (await import("cli-progress")).default;
  return new TerminalProgress(lib, process.stderr);
}
