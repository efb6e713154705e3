/**
 * The terminal's progress bar (src/cli/progress.ts) on a stand-in TTY: the label, the counts (bytes in KB/MB for
 * a file read in parts), the note and an ETA at the pace so far (the clock stood still by vitest); nothing for a stage of nothing; the bar cleared when the stage ends;
 * a label from a file name made safe for the terminal.
 */
import { Writable } from "node:stream";
import cliProgress from "cli-progress";
import { describe, expect, it, vi } from "vitest";
import { formatBytes, formatSeconds, TerminalProgress } from "../../src/cli/progress.js";

/** A writable that says it is a 100-column terminal and keeps what was written. */
function fakeTty(columns = 100): { stream: NodeJS.WritableStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  Object.assign(stream, { isTTY: true, columns });
  return { stream, text: () => chunks.join("") };
}

describe("progress on a terminal", () => {
  it("shows the label, counts, note and ETA, and clears the bar at the end", () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2026-12-02T10:00:00Z"));
      const tty = fakeTty();
      const p = new TerminalProgress(cliProgress, tty.stream);
      p.start("All.mbox", 4 * 1024 * 1024, "bytes");
      expect(tty.text()).toContain("All.mbox");
      expect(tty.text()).toContain("0 bytes of 4.0 MB");
      // No pace yet, no ETA.
      expect(tty.text()).not.toContain("ETA");
      // 1 MB in 20 s: the 3 MB left take 60 s at that pace.
      vi.setSystemTime(new Date("2026-12-02T10:00:20Z"));
      p.update(1024 * 1024, "1,204 messages");
      p.stop();
      const text = tty.text();
      expect(text).toContain("1.0 MB of 4.0 MB · 1,204 messages · ETA 1m 00s");
      // Cleared at the end: back to the first column, the line erased.
      expect(text.endsWith("\u001b[1G\u001b[2K")).toBe(true);
      // The cursor and line wrapping are left alone (a Ctrl-C mid-bar must not leave them off).
      expect(text).not.toContain("\u001b[?25l");
      expect(text).not.toContain("\u001b[?7l");
    } finally {
      vi.useRealTimers();
    }
  });

  it("counts items with thousands separators", () => {
    const tty = fakeTty();
    const p = new TerminalProgress(cliProgress, tty.stream);
    p.start("events", 12_000);
    p.update(12_000);
    p.stop();
    expect(tty.text()).toContain("12,000 of 12,000");
  });

  it("draws nothing for a stage of nothing; a later stage replaces the first", () => {
    const tty = fakeTty();
    const p = new TerminalProgress(cliProgress, tty.stream);
    p.start("stored files", 0);
    p.update(0);
    expect(tty.text()).toBe("");
    p.start("events", 10);
    p.start("stored messages", 5);
    p.stop();
    expect(tty.text()).toContain("stored messages");
  });

  it("makes a label safe for the terminal and keeps the end of a long one", () => {
    const tty = fakeTty();
    const p = new TerminalProgress(cliProgress, tty.stream);
    p.start(`mail/\u001b]0;owned\u0007${"x".repeat(60)}.mbox`, 10);
    p.stop();
    expect(tty.text()).not.toContain("\u001b]0;");
    expect(tty.text()).toContain(`…${"x".repeat(16)}.mbox`);
  });

  it("cuts the line to a narrow terminal's width", () => {
    const tty = fakeTty(30);
    const p = new TerminalProgress(cliProgress, tty.stream);
    p.start("events", 12_000);
    p.stop();
    const drawn = tty
      .text()
      // biome-ignore lint/suspicious/noControlCharactersInRegex: the terminal's escape sequences are split off
      .split(/\u001b\[[0-9;]*[A-Za-z]|\u001b[78]/)
      .filter(Boolean);
    expect(drawn.length).toBeGreaterThan(0);
    for (const line of drawn) expect(line.length).toBeLessThanOrEqual(30);
  });

  it("writes sizes as people read them", () => {
    expect(formatBytes(0)).toBe("0 bytes");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(250 * 1024 * 1024)).toBe("250 MB");
    expect(formatBytes(2 * 1024 ** 3)).toBe("2.0 GB");
    expect(formatSeconds(0.2)).toBe("1s");
    expect(formatSeconds(59)).toBe("59s");
    expect(formatSeconds(185)).toBe("3m 05s");
    expect(formatSeconds(4800)).toBe("1h 20m");
  });
});
