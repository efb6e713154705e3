/**
 * A database written by loanmail 0.1.0, before the event log was typed (made by make.sh beside it), must still
 * verify link by link and read back through the typed event log: the hashed bytes of old events never change.
 */
import { copyFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EVENT_TYPES } from "../../src/domain/events.js";
import { UserError } from "../../src/errors.js";
import { listCases } from "../../src/store/cases.js";
import { openDb } from "../../src/store/db.js";
import { listCaseEvents, readCaseEvents, verifyChains } from "../../src/store/events.js";

const dir = mkdtempSync(join(tmpdir(), "lm-release-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function openCopy() {
  const path = join(dir, `copy-${Math.random().toString(36).slice(2)}.db`);
  copyFileSync(new URL("../fixtures/release-0.1.0/loanmail.db", import.meta.url), path);
  return openDb(path);
}

describe("a database written by release 0.1.0", () => {
  it("verifies every chain", () => {
    const db = openCopy();
    const report = verifyChains(db);
    expect(report.ok).toBe(true);
    expect(report.checked).toBeGreaterThan(20);
    db.close();
  });

  it("reads every event through the typed log, with the same data as stored", () => {
    const db = openCopy();
    const seen = new Set<string>();
    for (const c of listCases(db, {})) {
      const raw = listCaseEvents(db, c.id);
      const typed = readCaseEvents(db, c.id);
      expect(typed.map((e) => e.hash)).toEqual(raw.map((e) => e.hash));
      typed.forEach((e, i) => {
        expect(EVENT_TYPES).toContain(e.type);
        expect(e.data).toEqual(JSON.parse(raw[i]?.data ?? "null"));
        seen.add(e.type);
      });
    }
    // The certified letter of case 2: mailed with its tracking number, delivered four days later.
    const mailed = readCaseEvents(db, 2).find((e) => e.type === "mailed");
    expect(mailed?.type === "mailed" && mailed.data.tracking).toBe("9407111899223197428490");
    expect([...seen]).toEqual(expect.arrayContaining(["composed", "sent", "mailed", "delivered", "received", "note"]));
    db.close();
  });
});

describe("an event row changed outside loanmail", () => {
  it("is a user error naming the row and how to find the change, not a crash", () => {
    const db = openCopy();
    db.exec("DROP TRIGGER events_no_update");
    const first = listCaseEvents(db, 2)[0];
    if (!first) throw new Error("the fixture's case 2 has events");
    db.prepare("UPDATE events SET data = ? WHERE id = ?").run("{not json", first.id);
    let thrown: unknown;
    try {
      readCaseEvents(db, 2);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(UserError);
    expect(thrown).toMatchObject({
      code: "EVENT_UNREADABLE",
      message: `event ${first.id} of the record has data that is not JSON`,
    });
    db.close();
  });
});
