/** Sync downloads kept messages in groups small enough to hold in memory, and moves its cursor group by group. */
import { describe, expect, it } from "vitest";
import { groupBySize } from "../../src/app/sync-groups.js";
import type { PlanDecision } from "../../src/domain/sync-plan.js";

const keep: PlanDecision = { action: "keep", caseId: null, servicerId: 1, filedBy: null };
const skip: PlanDecision = { action: "skip" };
const MB = 1024 * 1024;

describe("groupBySize", () => {
  it("keeps a batch whole when its kept messages are small", () => {
    const batch = [1, 2, 3, 4];
    const groups = groupBySize(
      batch,
      batch.map((uid) => ({ uid, size: 10_000 })),
      new Map(batch.map((u) => [u, u % 2 ? keep : skip])),
    );
    expect(groups).toEqual([{ first: 1, last: 4, count: 4, keep: [1, 3] }]);
  });

  it("cuts after the kept bytes pass 32 MB, so a batch of large attachments is never held at once", () => {
    const batch = [10, 11, 12, 13, 14];
    const summaries = batch.map((uid) => ({ uid, size: 20 * MB }));
    const groups = groupBySize(batch, summaries, new Map(batch.map((u) => [u, keep])));
    expect(groups.map((g) => g.keep)).toEqual([[10, 11], [12, 13], [14]]);
    // Every UID of the batch belongs to exactly one group, in order, so the cursor never skips one.
    expect(groups.map((g) => [g.first, g.last])).toEqual([
      [10, 11],
      [12, 13],
      [14, 14],
    ]);
  });

  it("cuts after 50 kept messages, and skipped messages ride along with their group", () => {
    const batch = Array.from({ length: 120 }, (_, i) => i + 1);
    const decisions = new Map(batch.map((u) => [u, u % 2 === 0 ? keep : skip]));
    const groups = groupBySize(
      batch,
      batch.map((uid) => ({ uid, size: 1000 })),
      decisions,
    );
    expect(groups.map((g) => g.keep.length)).toEqual([50, 10]);
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(120);
    expect(groups[0]?.last).toBe(100);
  });
});
