/**
 * The queries of a caseload at scale use indexes (migrations 120, 140, 150, 170, 180), not a full scan of messages
 * or events: `report outcomes` (events of a period, resolved events), `client log` (by type), the first letter of
 * each case that `cases` shows, and what `due` reads of each case. scripts/bench-caseload.mjs measures the commands themselves.
 */
import { describe, expect, it } from "vitest";
import { CASE_EVENT_TYPES, CLOCK_EVENT_TYPES, LEAVING_EVENT_TYPES } from "../../src/domain/events.js";
import { LETTERS_OF_CASES_SQL, REPLIES_OF_CASES_SQL } from "../../src/store/clock-rows.js";
import { openDb } from "../../src/store/db.js";
import { CLOCK_EVENTS_OF_CASES_SQL } from "../../src/store/events.js";
import { FIRST_INTERNAL_DATES_OF_CASES_SQL } from "../../src/store/origins.js";
import { ACTIVE_CASES_SQL, RESOLVED_SQL } from "../../src/store/report.js";

function plan(sql: string, ...args: unknown[]): string {
  const db = openDb(":memory:");
  const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[];
  db.close();
  return rows.map((r) => r.detail).join("\n");
}

const FULL_SCAN = /\bSCAN (events|messages)\b(?! USING)/;

describe("caseload queries use indexes", () => {
  it("report outcomes: the events of a period by time, the resolved ones by type and time", () => {
    const active = plan(ACTIVE_CASES_SQL, "2026-01-01", "2027-01-01");
    expect(active).toMatch(/events USING (COVERING )?INDEX events_at/);
    expect(active).not.toMatch(FULL_SCAN);
    const resolved = plan(RESOLVED_SQL, "2026-01-01", "2027-01-01");
    expect(resolved).toMatch(/events USING INDEX events_type_at/);
    expect(resolved).not.toMatch(FULL_SCAN);
  });

  it("client log: closes, reopens and purges by type", () => {
    const log = plan(
      "SELECT * FROM events WHERE type IN ('client-closed', 'client-reopened', 'client-purged') ORDER BY id",
    );
    expect(log).toMatch(/events USING INDEX events_type_at/);
    expect(log).not.toMatch(FULL_SCAN);
  });

  it("due and client list: letters and replies come from their covering indexes, never a row", () => {
    const letters = plan(LETTERS_OF_CASES_SQL, "[1,2,3]");
    expect(letters).toMatch(/messages USING COVERING INDEX messages_letter_clock_facts/);
    expect(letters).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    const replies = plan(REPLIES_OF_CASES_SQL, "[1,2,3]");
    expect(replies).toMatch(/messages USING COVERING INDEX messages_reply_clock_counts/);
    expect(replies).not.toMatch(/USE TEMP B-TREE FOR ORDER BY/);
    // Only the replies that can count (REPLY_COUNTS_TERM), and their first INTERNALDATE by the same index.
    const origins = plan(FIRST_INTERNAL_DATES_OF_CASES_SQL, "[1,2,3]");
    expect(origins).toMatch(/messages USING COVERING INDEX messages_reply_clock_counts/);
    expect(origins).toMatch(/o USING INDEX message_origins_message/);
    expect(origins).not.toMatch(/SCAN o\b|SCAN message_origins/);
    const events = plan(CLOCK_EVENTS_OF_CASES_SQL, "[1,2,3]");
    expect(events).toMatch(/events USING COVERING INDEX events_clock_facts \(chain=\?\)/);
    expect(events).not.toMatch(/TEMP B-TREE/);
  });

  it("the clocks' event types are every event a clock reads: a letter's composing and leaving, and case events", () => {
    // A type added to CASE_EVENT_TYPES or the leaving events and not here would be skipped by due; one added here
    // needs a migration that rebuilds events_clock_facts with the same list (the plan above checks they agree).
    const clock: readonly string[] = CLOCK_EVENT_TYPES;
    for (const t of [...CASE_EVENT_TYPES, ...LEAVING_EVENT_TYPES, "composed", "queued"]) expect(clock).toContain(t);
  });

  it("cases: each case's first letter out is one probe of an index", () => {
    const first = plan(
      "SELECT m.subject FROM messages m WHERE m.case_id = ? AND m.direction = 'out' ORDER BY m.id LIMIT 1",
      1,
    );
    // By the case's letters out (120), or by the letters' covering index (150), which holds the subject too.
    expect(first).toMatch(/SEARCH m USING (INDEX messages_case_direction|COVERING INDEX messages_letter_clock_facts)/);
    expect(first).not.toMatch(/TEMP B-TREE/);
  });
});
