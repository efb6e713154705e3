/**
 * freeDeadBuffers (src/app/dead-buffers.ts): message buffers dead in the old generation are given back once they
 * pile up past the threshold, not left for V8's own (much later) full collection.
 */
import { describe, expect, it } from "vitest";
import { freeDeadBuffers } from "../../src/app/dead-buffers.js";

describe("freeDeadBuffers", () => {
  it("frees 64 MB of dropped buffers that no young collection would", async () => {
    freeDeadBuffers(); // the baseline: whatever this process holds now
    let held: Buffer[] | null = Array.from({ length: 64 }, () => Buffer.alloc(1024 * 1024, 1));
    const before = process.memoryUsage().arrayBuffers;
    expect(held.length).toBe(64);
    held = null;
    freeDeadBuffers();
    // V8 releases the memory of collected ArrayBuffers on a background sweep, just after the collection.
    await new Promise((r) => setTimeout(r, 100));
    const after = process.memoryUsage().arrayBuffers;
    expect(before - after, `ArrayBuffers ${before} before, ${after} after`).toBeGreaterThan(32 * 1024 * 1024);
  });
});
