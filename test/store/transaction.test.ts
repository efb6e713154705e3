/**
 * `inTransactionAsync`: one transaction held across awaits (an imported file's messages, parsed one by one), all
 * its writes or none; `inTransaction` inside it nests; another connection waits for it and sees nothing before
 * COMMIT.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { inTransaction, inTransactionAsync, openDb } from "../../src/store/db.js";

const tick = () => new Promise((r) => setImmediate(r));

function countRows(db: ReturnType<typeof openDb>): number {
  return db.prepare("SELECT count(*) FROM t").pluck().get() as number;
}

function table(): ReturnType<typeof openDb> {
  const db = openDb(":memory:");
  db.exec("CREATE TABLE t (x INTEGER)");
  return db;
}

describe("inTransactionAsync", () => {
  it("commits every write made across awaits, nested inTransaction included", async () => {
    const db = table();
    const result = await inTransactionAsync(db, async () => {
      for (let i = 0; i < 3; i++) {
        await tick();
        inTransaction(db, () => db.prepare("INSERT INTO t VALUES (?)").run(i));
      }
      return "done";
    });
    expect(result).toBe("done");
    expect(db.inTransaction).toBe(false);
    expect(countRows(db)).toBe(3);
  });

  it("rolls every write back when it throws after an await, and throws that error", async () => {
    const db = table();
    const boom = new Error("message 3 is over the limit");
    await expect(
      inTransactionAsync(db, async () => {
        db.prepare("INSERT INTO t VALUES (1)").run();
        await tick();
        inTransaction(db, () => db.prepare("INSERT INTO t VALUES (2)").run());
        throw boom;
      }),
    ).rejects.toBe(boom);
    expect(db.inTransaction).toBe(false);
    expect(countRows(db)).toBe(0);
  });

  it("refuses to open inside another transaction", async () => {
    const db = table();
    await expect(inTransactionAsync(db, () => inTransactionAsync(db, async () => 1))).rejects.toThrow(/already open/);
    expect(db.inTransaction).toBe(false);
  });

  it("holds the write lock from BEGIN: another connection sees nothing until COMMIT, and cannot write", async () => {
    const path = join(mkdtempSync(join(tmpdir(), "loanmail-tx-")), "t.db");
    const a = openDb(path, { create: true });
    a.exec("CREATE TABLE t (x INTEGER)");
    const b = openDb(path);
    b.pragma("busy_timeout = 0");
    await inTransactionAsync(a, async () => {
      a.prepare("INSERT INTO t VALUES (1)").run();
      await tick();
      expect(countRows(b)).toBe(0);
      expect(() => b.prepare("INSERT INTO t VALUES (2)").run()).toThrow(/locked|busy/i);
    });
    expect(countRows(b)).toBe(1);
    a.close();
    b.close();
  });
});
