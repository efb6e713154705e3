import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { readReferencedLetter } from "../../src/app/letter-record.js";
import { kindDef } from "../../src/domain/kinds.js";
import { UserError } from "../../src/errors.js";
import { insertCase, listCases, requireCase, setCaseStatus } from "../../src/store/cases.js";
import { type Db, migrate, openDb, schemaVersion } from "../../src/store/db.js";
import {
  // The chain's own tests hash arbitrary content, so they append through the untyped chain mechanism.
  appendToChain as appendEvent,
  canonicalJson,
  computeEventHash,
  GENESIS_HASH,
  listCaseEvents,
  verifyChains,
} from "../../src/store/events.js";
import { ensureClient, insertLoan, type LoanInput, requireClient, requireLoan } from "../../src/store/loans.js";
import {
  findMessage,
  findMessageByMessageId,
  getBlob,
  insertAttachments,
  insertDraft,
  listAttachments,
  listCaseMessages,
  type NewOutgoing,
  putBlob,
  readRaw,
  setMessageState,
  sha256Hex,
} from "../../src/store/messages.js";
import { getMeta, setMeta } from "../../src/store/meta.js";
import { LATEST_VERSION, MIGRATIONS } from "../../src/store/migrations.js";
import { findServicer, insertServicer, requireServicer, updateServicer } from "../../src/store/servicers.js";

const NOW = "2026-03-03T12:00:00.000Z";
const PREFIX = "K7QX";

const TMP = mkdtempSync(join(tmpdir(), "loanmail-store-"));
afterAll(() => rmSync(TMP, { recursive: true, force: true }));
let fileCounter = 0;
const tempDbPath = () => join(TMP, `db-${++fileCounter}.db`);

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

function tableNames(db: Database.Database): string[] {
  return db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all() as string[];
}

function schemaDump(db: Database.Database): string[] {
  return db
    .prepare("SELECT type || ' ' || name || ' ' || coalesce(sql, '') FROM sqlite_master ORDER BY 1")
    .pluck()
    .all() as string[];
}

/** Tables a migration creates, read from its own SQL so a later migration is checked without editing this test. */
function tablesCreatedBy(sql: string): string[] {
  return Array.from(sql.matchAll(/CREATE TABLE (?:IF NOT EXISTS )?(\w+)/gi), (m) => m[1] as string);
}

function loanInput(servicerId: number, accountNumber = "1234567"): LoanInput {
  return {
    servicerId,
    accountNumber,
    propertyAddress: "742 Evergreen Terrace\nSpringfield, IL 62704",
    borrowers: ["Jane Q. Borrower"],
    product: "closed-end",
    principalResidence: true,
    arm: false,
  };
}

/** A servicer, a client and a loan: what every case needs. */
function seed(db: Db) {
  const servicer = insertServicer(
    db,
    "Acme Servicing",
    { email: "service@acme.example", domains: ["acme.example"], noticeEmail: "notices@acme.example" },
    NOW,
  );
  const clientId = ensureClient(db, "Jane Q. Borrower", NOW);
  const loan = insertLoan(db, clientId, loanInput(servicer.id), NOW);
  return { servicer, clientId, loan };
}

function newCase(db: Db, loanId: number, kind = "payment-application") {
  return insertCase(db, { loanId, kind, formal: false, channel: "email", openedAt: NOW }, PREFIX);
}

function draft(caseId: number, overrides: Partial<NewOutgoing> = {}): NewOutgoing {
  return {
    caseId,
    channel: "email",
    kind: "payment-application",
    fields: { "payment-date": "2026-03-01", amount: "1500.00" },
    summary: "I paid.",
    messageId: `<case-${caseId}@loanmail.example>`,
    from: "jane@example.com",
    to: ["service@acme.example"],
    cc: [],
    postalAddress: null,
    subject: `Account Number 1234567 \u2013 Payment Clarification [LM-${PREFIX}-${caseId}]`,
    bodyText: "Dear Acme Servicing:\n",
    date: "Tue, 03 Mar 2026 12:00:00 +0000",
    raw: Buffer.from(`raw message of case ${caseId}\r\n`),
    now: NOW,
    ...overrides,
  };
}

describe("migrations", () => {
  it("are numbered upwards and LATEST_VERSION is the last one", () => {
    const versions = MIGRATIONS.map((m) => m.version);
    expect(versions.length).toBeGreaterThan(0);
    expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    expect(new Set(versions).size).toBe(versions.length);
    expect(LATEST_VERSION).toBe(versions[versions.length - 1]);
  });

  it("step one version at a time, setting user_version and creating each migration's tables", () => {
    // openDb always migrates to the latest, so step a bare connection by hand.
    const db = new Database(":memory:");
    db.pragma("foreign_keys = ON");
    expect(schemaVersion(db)).toBe(0);
    const expected = new Set<string>();
    for (const m of MIGRATIONS) {
      migrate(db, m.version);
      expect(db.pragma("user_version", { simple: true })).toBe(m.version);
      for (const t of tablesCreatedBy(m.sql)) expected.add(t);
      expect(tableNames(db)).toEqual([...expected].sort());
    }
    db.close();
  });

  it("version 10 creates the foundation tables, indexes and append-only triggers", () => {
    const db = new Database(":memory:");
    migrate(db, 10);
    expect(tableNames(db)).toEqual(
      [
        "attachments",
        "blobs",
        "cases",
        "clients",
        "events",
        "loans",
        "messages",
        "meta",
        "servicer_domains",
        "servicers",
      ].sort(),
    );
    const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all();
    expect(triggers).toEqual(["events_no_delete", "events_no_update"]);
    db.close();
  });

  it("version 70 judges replies recorded before it: their sender by From alone, their arrival as known", () => {
    const db = new Database(":memory:");
    migrate(db, 50);
    const at = "2026-10-20T12:00:00.000Z";
    db.exec(`
      INSERT INTO servicers (id, name, email, payoff_email, created_at)
        VALUES (1, 'Mr. Cooper', 'help@servicer.test', 'payoff@elsewhere.test', '${at}');
      INSERT INTO servicer_domains (domain, servicer_id) VALUES ('servicer.test', 1);`);
    const insert = db.prepare(
      `INSERT INTO messages (id, direction, channel, from_addr, date, raw, raw_sha256, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const rows: [number, string, string, string | null, string | null][] = [
      [1, "out", "email", "jane@example.test", "2026-10-01T15:00:00.000Z"],
      [2, "in", "email", "care@mail.servicer.test", "2026-10-02T15:00:00.000Z"], // synced: INTERNALDATE below
      [3, "in", "email", "payoff@elsewhere.test", "2026-10-03T15:00:00.000Z"], // imported, a recorded address
      [4, "in", "email", "noreply@evil.test", "2026-10-04T15:00:00.000Z"], // imported, a stranger
      [5, "in", "post", null, "2026-10-05"], // typed by hand
      [6, "in", "email", "x@notservicer.test", "2026-10-06T15:00:00.000Z"], // a look-alike domain
    ];
    for (const [id, dir, ch, from, date] of rows)
      insert.run(id, dir, ch, from, date, Buffer.from(`m${id}`), `h${id}`, at, at);
    db.prepare(
      `INSERT INTO message_origins (message_id, account, mailbox, uidvalidity, uid, internal_date, seen_at)
       VALUES (2, 'main', 'INBOX', 1, 9, '2026-10-02T15:00:09.000Z', ?)`,
    ).run(at);
    migrate(db, 70);
    const got = db
      .prepare("SELECT id, trust, trust_why, arrived_at, arrival, message_id_reused FROM messages ORDER BY id")
      .all();
    expect(got).toEqual([
      { id: 1, trust: null, trust_why: null, arrived_at: null, arrival: null, message_id_reused: 0 },
      {
        id: 2,
        trust: "trusted",
        trust_why: JSON.stringify([
          "From care@mail.servicer.test is a servicer's address or reply domain (recorded before sender checks)",
        ]),
        arrived_at: "2026-10-02T15:00:09.000Z",
        arrival: "internaldate",
        message_id_reused: 0,
      },
      {
        id: 3,
        trust: "trusted",
        trust_why: JSON.stringify([
          "From payoff@elsewhere.test is a servicer's address or reply domain (recorded before sender checks)",
        ]),
        // Imported: when it was recorded, not its Date header.
        arrived_at: at,
        arrival: "recorded",
        message_id_reused: 0,
      },
      {
        id: 4,
        trust: "unverified",
        trust_why: JSON.stringify([
          "From noreply@evil.test is not a servicer's address or reply domain (recorded before sender checks)",
        ]),
        arrived_at: at,
        arrival: "recorded",
        message_id_reused: 0,
      },
      {
        id: 5,
        trust: "trusted",
        trust_why: JSON.stringify(["recorded by you"]),
        arrived_at: "2026-10-05",
        arrival: "typed",
        message_id_reused: 0,
      },
      {
        id: 6,
        trust: "unverified",
        trust_why: JSON.stringify([
          "From x@notservicer.test is not a servicer's address or reply domain (recorded before sender checks)",
        ]),
        arrived_at: at,
        arrival: "recorded",
        message_id_reused: 0,
      },
    ]);
    db.close();
  });

  it("does nothing for a target at or below the stored version", () => {
    const db = openDb(":memory:");
    const before = schemaDump(db);
    migrate(db);
    migrate(db, LATEST_VERSION);
    migrate(db, 0);
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    expect(schemaDump(db)).toEqual(before);
    db.close();
  });

  it("reopening a file database is idempotent and keeps its data", () => {
    const path = tempDbPath();
    const db1 = openDb(path, { create: true });
    setMeta(db1, "prefix", PREFIX);
    const before = schemaDump(db1);
    db1.close();
    const db2 = openDb(path);
    expect(schemaVersion(db2)).toBe(LATEST_VERSION);
    expect(schemaDump(db2)).toEqual(before);
    expect(getMeta(db2, "prefix")).toBe(PREFIX);
    db2.close();
    // create: true on an existing file must not wipe it either.
    const db3 = openDb(path, { create: true });
    expect(getMeta(db3, "prefix")).toBe(PREFIX);
    db3.close();
  });

  it("opens a database left at each earlier version and migrates it, also past a migration that drops an index", () => {
    // Migration 150 drops 140's messages_clock_facts: a file at 150 must not be taken for a foreign one because it
    // lacks what 140 added (the check compares with the schema each version leaves, not with all ever added).
    for (const m of MIGRATIONS.filter((x) => x.version >= 130)) {
      const path = tempDbPath();
      const raw = new Database(path);
      raw.pragma("journal_mode = WAL");
      migrate(raw, m.version);
      raw.close();
      const db = openDb(path);
      expect(db.pragma("user_version", { simple: true })).toBe(LATEST_VERSION);
      db.close();
    }
  });

  it("refuses a database from a newer loanmail and leaves it untouched", () => {
    const path = tempDbPath();
    openDb(path, { create: true }).close();
    const future = LATEST_VERSION + 10;
    const raw = new Database(path);
    raw.pragma(`user_version = ${future}`);
    raw.exec("CREATE TABLE from_the_future (x INTEGER)");
    const before = schemaDump(raw);
    raw.close();

    const e = userError(() => openDb(path));
    expect(e.message).toContain("newer");
    expect(e.message).toContain(String(future));

    const after = new Database(path, { readonly: true });
    expect(after.pragma("user_version", { simple: true })).toBe(future);
    expect(schemaDump(after)).toEqual(before);
    after.close();
  });

  it("migrate() itself refuses a newer in-memory database", () => {
    const db = new Database(":memory:");
    db.pragma(`user_version = ${LATEST_VERSION + 1}`);
    expect(userError(() => migrate(db)).message).toContain("newer");
    expect(tableNames(db)).toEqual([]);
    db.close();
  });

  it("refuses to create a database unless asked to", () => {
    const path = tempDbPath();
    expect(userError(() => openDb(path)).hint).toContain("init");
    expect(existsSync(path)).toBe(false);
  });

  it("refuses a file that is not a database", () => {
    const path = tempDbPath();
    // 4 KiB of text: not an SQLite header.
    writeFileSync(path, "not a database\n".repeat(300));
    expect(userError(() => openDb(path)).message).toContain("not a loanmail database");
  });
});

describe("openDb settings", () => {
  it("turns foreign keys on: a loan with a missing servicer is refused", () => {
    const db = openDb(":memory:");
    expect(db.pragma("foreign_keys", { simple: true })).toBe(1);
    const clientId = ensureClient(db, "Jane", NOW);
    expect(() => insertLoan(db, clientId, loanInput(999), NOW)).toThrow(/FOREIGN KEY/);
    expect(db.prepare("SELECT count(*) FROM loans").pluck().get()).toBe(0);
    db.close();
  });

  it("creates a file database with mode 0600 and uses WAL", () => {
    const path = tempDbPath();
    const db = openDb(path, { create: true });
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    // Write something so the WAL file exists; SQLite gives it the database file's mode.
    setMeta(db, "k", "v");
    if (existsSync(`${path}-wal`)) expect(statSync(`${path}-wal`).mode & 0o777).toBe(0o600);
    db.close();
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });
});

describe("indexes (EXPLAIN QUERY PLAN)", () => {
  const db = openDb(":memory:");
  afterAll(() => db.close());

  function plan(sql: string, ...params: unknown[]): string[] {
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
  }

  it.each([
    ["cases by loan_id", "SELECT * FROM cases WHERE loan_id = ?", 1],
    ["cases by status", "SELECT * FROM cases WHERE status = ?", "open"],
    ["messages by case_id", "SELECT * FROM messages WHERE case_id = ? ORDER BY id", 1],
    ["messages by message_id", "SELECT * FROM messages WHERE message_id = ? ORDER BY id LIMIT 1", "<a@b>"],
    ["events by chain ordered by id", "SELECT hash FROM events WHERE chain = ? ORDER BY id DESC LIMIT 1", 1],
    ["events of a chain in order", "SELECT * FROM events WHERE chain = ? ORDER BY id", 1],
    ["loans by account_number", "SELECT * FROM loans WHERE account_number = ?", "1234567"],
    ["servicer_domains by domain", "SELECT servicer_id FROM servicer_domains WHERE domain = ?", "acme.example"],
  ])("%s uses an index", (_name, sql, param) => {
    const details = plan(sql, param);
    expect(
      details.some((d) => /USING (COVERING )?INDEX|USING INTEGER PRIMARY KEY/.test(d)),
      details.join(" | "),
    ).toBe(true);
    // A full scan or a sort would mean the index does not serve the query.
    expect(
      details.some((d) => /^SCAN /.test(d)),
      details.join(" | "),
    ).toBe(false);
    expect(
      details.some((d) => d.includes("TEMP B-TREE")),
      details.join(" | "),
    ).toBe(false);
  });
});

describe("events", () => {
  let db: Db;
  let loanId: number;
  beforeEach(() => {
    db = openDb(":memory:");
    loanId = seed(db).loan.id;
  });

  it("chains hashes per case, starting from GENESIS_HASH", () => {
    const c1 = newCase(db, loanId);
    const c2 = newCase(db, loanId);
    const a = appendEvent(db, { caseId: c1.id, loanId, at: NOW, type: "composed", actor: "user", data: { n: 1 } });
    const b = appendEvent(db, { caseId: c2.id, loanId, at: NOW, type: "composed", actor: "user" });
    const c = appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user", data: { text: "hi" } });
    const g = appendEvent(db, { caseId: null, at: NOW, type: "servicer-added", actor: "user" });

    expect(a.prev_hash).toBe(GENESIS_HASH);
    expect(b.prev_hash).toBe(GENESIS_HASH); // c2 is its own chain, not after a
    expect(c.prev_hash).toBe(a.hash);
    expect(g.chain).toBe(0);
    expect(g.prev_hash).toBe(GENESIS_HASH);
    expect(new Set([a.hash, b.hash, c.hash, g.hash]).size).toBe(4);

    const rows = listCaseEvents(db, c1.id);
    expect(rows.map((r) => r.id)).toEqual([a.id, c.id]);
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(rows[0]?.data).toBe('{"n":1}');
    const { id: _id, hash, ...rest } = rows[0] as NonNullable<(typeof rows)[0]>;
    expect(computeEventHash(rest)).toBe(hash);
  });

  it("verifyChains passes a good log and counts its rows", () => {
    const c1 = newCase(db, loanId);
    for (let i = 0; i < 3; i++) appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user", data: { i } });
    appendEvent(db, { caseId: null, at: NOW, type: "x", actor: "loanmail" });
    expect(verifyChains(db)).toEqual({ ok: true, checked: 4 });
  });

  it("verifyChains of an empty log is ok", () => {
    expect(verifyChains(db)).toEqual({ ok: true, checked: 0 });
  });

  it("refuses UPDATE and DELETE while the append-only triggers exist", () => {
    const c1 = newCase(db, loanId);
    const e = appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user" });
    expect(() => db.prepare("UPDATE events SET data = '{}' WHERE id = ?").run(e.id)).toThrow(/append-only/);
    expect(() => db.prepare("DELETE FROM events WHERE id = ?").run(e.id)).toThrow(/append-only/);
    expect(verifyChains(db).ok).toBe(true);
  });

  it("reports the row whose content was changed", () => {
    const c1 = newCase(db, loanId);
    appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user", data: { amount: "10.00" } });
    const target = appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user", data: { amount: "20.00" } });
    appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user" });
    // Tampering needs the trigger out of the way, as someone editing the file with sqlite3 would do.
    db.exec("DROP TRIGGER events_no_update");
    db.prepare("UPDATE events SET data = ? WHERE id = ?").run('{"amount":"2000.00"}', target.id);
    const report = verifyChains(db);
    expect(report.ok).toBe(false);
    expect(report.broken).toEqual({ id: target.id, chain: c1.id, reason: "content changed" });
    expect(report.checked).toBe(1);
  });

  it("reports a broken link when a row's hash is rewritten to match its new content", () => {
    const c1 = newCase(db, loanId);
    const first = appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user", data: { v: 1 } });
    const second = appendEvent(db, { caseId: c1.id, at: NOW, type: "note", actor: "user" });
    db.exec("DROP TRIGGER events_no_update");
    const { id: _id, hash: _hash, ...rest } = first;
    const forged = { ...rest, data: '{"v":2}' };
    db.prepare("UPDATE events SET data = ?, hash = ? WHERE id = ?").run(
      forged.data,
      computeEventHash(forged),
      first.id,
    );
    expect(verifyChains(db).broken).toEqual({ id: second.id, chain: c1.id, reason: "link to previous event" });
  });

  it("an event must name an existing case (foreign key)", () => {
    expect(() => appendEvent(db, { caseId: 999, at: NOW, type: "note", actor: "user" })).toThrow(/FOREIGN KEY/);
  });
});

describe("canonicalJson", () => {
  it("sorts keys at every level, so property order never changes a hash", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
    expect(canonicalJson({ x: 1, y: 2 })).toBe(canonicalJson({ y: 2, x: 1 }));
  });

  it("drops undefined properties like JSON.stringify", () => {
    expect(canonicalJson({ a: undefined, b: "x" })).toBe('{"b":"x"}');
  });

  it("escapes strings as JSON and handles scalars", () => {
    expect(canonicalJson('a"b\n')).toBe(JSON.stringify('a"b\n'));
    expect(canonicalJson(3)).toBe("3");
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(true)).toBe("true");
  });

  it("always produces valid JSON, even with undefined inside an array", () => {
    // JSON.stringify writes null for an undefined array element; the event data column must stay parseable.
    const out = canonicalJson({ list: [1, undefined, 2] });
    expect(() => JSON.parse(out)).not.toThrow();
    expect(out).toBe('{"list":[1,null,2]}');
  });
});

describe("servicers", () => {
  let db: Db;
  beforeEach(() => {
    db = openDb(":memory:");
  });

  it("inserts with defaults and finds by name (any case) or id", () => {
    const s = insertServicer(db, "Mr. Cooper", { email: "help@mrcooper.example", domains: ["MrCooper.example"] }, NOW);
    expect(s).toMatchObject({
      name: "Mr. Cooper",
      email: "help@mrcooper.example",
      slaDays: 3,
      noticeAddress: null,
      noticeEmail: null,
      payoffEmail: null,
      payoffAddress: null,
      small: false,
      domains: ["mrcooper.example"],
      createdAt: NOW,
    });
    expect(findServicer(db, "mr. cooper")?.id).toBe(s.id);
    expect(findServicer(db, "MR. COOPER")?.id).toBe(s.id);
    expect(findServicer(db, s.id)?.name).toBe("Mr. Cooper");
    expect(findServicer(db, String(s.id))?.name).toBe("Mr. Cooper");
    expect(findServicer(db, "Nobody")).toBeUndefined();
  });

  it("refuses a second servicer of the same name, in any case", () => {
    insertServicer(db, "Acme", { email: "a@acme.example" }, NOW);
    expect(userError(() => insertServicer(db, "ACME", { email: "b@acme.example" }, NOW)).message).toContain(
      "already exists",
    );
  });

  it("requireServicer names the known servicers", () => {
    expect(userError(() => requireServicer(db, "Acme")).hint).toContain("servicer add");
    insertServicer(db, "Acme", { email: "a@acme.example" }, NOW);
    expect(userError(() => requireServicer(db, "Other")).hint).toContain("Acme");
  });

  it("updates only the fields given", () => {
    const s = insertServicer(db, "Acme", { email: "a@acme.example", domains: ["acme.example"] }, NOW);
    const u = updateServicer(db, s, { noticeAddress: "PO Box 1", slaDays: 5, small: true });
    expect(u).toMatchObject({
      email: "a@acme.example",
      noticeAddress: "PO Box 1",
      slaDays: 5,
      small: true,
      domains: ["acme.example"],
    });
    const v = updateServicer(db, u, { domains: ["acme.example", "acme-mail.example"] });
    expect(v.domains).toEqual(["acme-mail.example", "acme.example"]);
    expect(v.noticeAddress).toBe("PO Box 1");
  });

  it("refuses a reply domain that belongs to another servicer, in any case", () => {
    insertServicer(db, "Acme", { email: "a@acme.example", domains: ["acme.example"] }, NOW);
    const other = insertServicer(db, "Other", { email: "o@other.example", domains: ["other.example"] }, NOW);
    const e = userError(() => updateServicer(db, other, { domains: ["other.example", "ACME.example"] }));
    expect(e.message).toContain("Acme");
    // The refusal comes before any change: Other keeps its own domain.
    expect(findServicer(db, "Other")?.domains).toEqual(["other.example"]);
    // Inserting with a taken domain inside a transaction leaves nothing behind.
    expect(() =>
      db.transaction(() => insertServicer(db, "Third", { email: "t@x.example", domains: ["acme.example"] }, NOW))(),
    ).toThrow(UserError);
    expect(findServicer(db, "Third")).toBeUndefined();
  });
});

describe("clients and loans", () => {
  let db: Db;
  let servicerId: number;
  let clientId: number;
  beforeEach(() => {
    db = openDb(":memory:");
    const s = seed(db);
    servicerId = s.servicer.id;
    clientId = s.clientId;
  });

  it("ensureClient returns the same client for the same name", () => {
    expect(ensureClient(db, "Jane Q. Borrower", NOW)).toBe(clientId);
    expect(ensureClient(db, "jane q. borrower", NOW)).toBe(clientId); // name is NOCASE
    expect(requireClient(db, "Jane Q. Borrower")).toBe(clientId);
    expect(userError(() => requireClient(db, "Nobody")).hint).toContain("Jane Q. Borrower");
  });

  it("requireLoan finds a loan by id or by account number", () => {
    const loan = requireLoan(db, "1");
    expect(loan).toMatchObject({
      id: 1,
      clientName: "Jane Q. Borrower",
      servicerName: "Acme Servicing",
      accountNumber: "1234567",
      borrowers: ["Jane Q. Borrower"],
      product: "closed-end",
      principalResidence: true,
      arm: false,
    });
    expect(requireLoan(db, "1234567").id).toBe(1);
    expect(userError(() => requireLoan(db, "7654321")).message).toContain("no loan");
  });

  it("refuses an account number shared by loans at two servicers as ambiguous", () => {
    const other = insertServicer(db, "Other", { email: "o@other.example" }, NOW);
    const second = insertLoan(db, clientId, loanInput(other.id), NOW);
    const e = userError(() => requireLoan(db, "1234567"));
    expect(e.message).toContain("several loans");
    expect(e.hint).toContain("id");
    expect(requireLoan(db, String(second.id)).servicerName).toBe("Other");
  });

  it("refuses a reference that is one loan's id and another loan's account number", () => {
    const other = insertServicer(db, "Other", { email: "o@other.example" }, NOW);
    insertLoan(db, clientId, loanInput(other.id, "1"), NOW);
    expect(userError(() => requireLoan(db, "1")).message).toContain("several loans");
  });

  it("refuses the same account number twice at one servicer", () => {
    expect(userError(() => insertLoan(db, clientId, loanInput(servicerId), NOW)).message).toContain("already exists");
  });
});

describe("cases", () => {
  let db: Db;
  let loanId: number;
  beforeEach(() => {
    db = openDb(":memory:");
    loanId = seed(db).loan.id;
  });

  it("insertCase tags the case LM-<prefix>-<id>, as a draft", () => {
    const c1 = newCase(db, loanId);
    const c2 = insertCase(
      db,
      { loanId, kind: "follow-up", formal: true, channel: "notice-email", parentId: c1.id, openedAt: NOW },
      PREFIX,
    );
    expect(c1).toMatchObject({ id: 1, tag: "LM-K7QX-1", status: "draft", formal: false, parentId: null });
    expect(c2).toMatchObject({
      id: 2,
      tag: "LM-K7QX-2",
      kind: "follow-up",
      formal: true,
      channel: "notice-email",
      parentId: 1,
      accountNumber: "1234567",
      servicerName: "Acme Servicing",
      clientName: "Jane Q. Borrower",
      subject: null,
    });
  });

  it("requireCase finds a case by number or by tag (any case)", () => {
    const c = newCase(db, loanId);
    expect(requireCase(db, "1", PREFIX).id).toBe(c.id);
    expect(requireCase(db, "LM-K7QX-1", PREFIX).id).toBe(c.id);
    expect(requireCase(db, " lm-k7qx-1 ", PREFIX).id).toBe(c.id);
  });

  it("refuses a tag from another home and a case that does not exist", () => {
    newCase(db, loanId);
    const e = userError(() => requireCase(db, "LM-ZZZZ-1", PREFIX));
    expect(e.message).toContain("another loanmail home");
    expect(e.hint).toContain("--home");
    expect(userError(() => requireCase(db, "2", PREFIX)).message).toContain("no case");
    expect(userError(() => requireCase(db, "LM-K7QX-2", PREFIX)).message).toContain("no case");
    expect(userError(() => requireCase(db, "banana", PREFIX)).message).toContain("no case");
  });

  it("setCaseStatus closes terminal cases and listCases filters by status, newest first", () => {
    const c1 = newCase(db, loanId);
    const c2 = newCase(db, loanId);
    setCaseStatus(db, c1.id, "resolved", NOW);
    setCaseStatus(db, c2.id, "open", NOW);
    expect(requireCase(db, "1", PREFIX)).toMatchObject({ status: "resolved", closedAt: NOW });
    expect(requireCase(db, "2", PREFIX)).toMatchObject({ status: "open", closedAt: null });
    expect(listCases(db).map((c) => c.id)).toEqual([2, 1]);
    expect(listCases(db, { status: "open" }).map((c) => c.id)).toEqual([2]);
  });

  it("the status CHECK refuses an unknown status", () => {
    const c = newCase(db, loanId);
    expect(() => setCaseStatus(db, c.id, "bogus" as "open", NOW)).toThrow(/CHECK/);
  });
});

describe("messages, blobs and attachments", () => {
  let db: Db;
  let caseId: number;
  beforeEach(() => {
    db = openDb(":memory:");
    caseId = newCase(db, seed(db).loan.id).id;
  });

  it("insertDraft stores a letter that listCaseMessages returns intact", () => {
    const d = draft(caseId, { cc: ["me@example.com"] });
    const id = insertDraft(db, d);
    const list = listCaseMessages(db, caseId);
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      id,
      caseId,
      direction: "out",
      channel: "email",
      kind: "payment-application",
      letterInput: { fields: d.fields, summary: d.summary },
      messageId: d.messageId,
      inReplyTo: null,
      from: d.from,
      to: d.to,
      cc: ["me@example.com"],
      postalAddress: null,
      subject: d.subject,
      bodyText: d.bodyText,
      date: d.date,
      rawSha256: sha256Hex(d.raw),
      size: d.raw.length,
      state: "draft",
      replyClass: null,
      createdAt: NOW,
      updatedAt: NOW,
    });
    expect(readRaw(db, id).equals(d.raw)).toBe(true);
    expect(findMessage(db, id)?.id).toBe(id);
    expect(findMessageByMessageId(db, d.messageId)?.id).toBe(id);
    // The case's subject is its first outgoing letter's.
    expect(requireCase(db, String(caseId), PREFIX).subject).toBe(d.subject);
  });

  it("lists only the case's own messages, in order", () => {
    const other = newCase(db, 1).id;
    const a = insertDraft(db, draft(caseId));
    insertDraft(db, draft(other));
    const b = insertDraft(db, draft(caseId, { messageId: "<second@x>", raw: Buffer.from("second") }));
    expect(listCaseMessages(db, caseId).map((m) => m.id)).toEqual([a, b]);
  });

  it("putBlob stores identical bytes once and returns their SHA-256", () => {
    const bytes = new TextEncoder().encode("%PDF-1.4 proof of payment");
    const h1 = putBlob(db, bytes);
    const h2 = putBlob(db, Buffer.from(bytes));
    expect(h1).toBe(h2);
    expect(h1).toBe(sha256Hex(bytes));
    expect(db.prepare("SELECT count(*) FROM blobs").pluck().get()).toBe(1);
    expect(getBlob(db, h1)?.equals(Buffer.from(bytes))).toBe(true);
    expect(getBlob(db, "0".repeat(64))).toBeUndefined();
  });

  it("insertAttachments records exhibits in position order and dedupes their bytes", () => {
    const id = insertDraft(db, draft(caseId));
    const pdf = Buffer.from("%PDF-1.4 same bytes");
    insertAttachments(db, id, [
      {
        position: 1,
        exhibit: "Exhibit B",
        label: "Copy",
        fileName: "Exhibit B \u2013 Copy.pdf",
        contentType: "application/pdf",
        data: pdf,
      },
      {
        position: 0,
        exhibit: "Exhibit A",
        label: "Proof",
        fileName: "Exhibit A \u2013 Proof.pdf",
        contentType: "application/pdf",
        data: pdf,
      },
    ]);
    const list = listAttachments(db, id);
    expect(list.map((a) => [a.position, a.exhibit, a.label, a.fileName])).toEqual([
      [0, "Exhibit A", "Proof", "Exhibit A \u2013 Proof.pdf"],
      [1, "Exhibit B", "Copy", "Exhibit B \u2013 Copy.pdf"],
    ]);
    expect(list[0]).toMatchObject({ messageId: id, contentType: "application/pdf", size: pdf.length });
    expect(list[0]?.sha256).toBe(sha256Hex(pdf));
    expect(list[1]?.sha256).toBe(list[0]?.sha256);
    expect(db.prepare("SELECT count(*) FROM blobs").pluck().get()).toBe(1);
    expect(listAttachments(db, id + 100)).toEqual([]);
  });

  it("refuses two attachments at one position", () => {
    const id = insertDraft(db, draft(caseId));
    const a = { position: 0, exhibit: null, label: "x", fileName: "x.pdf", contentType: "application/pdf" };
    expect(() =>
      insertAttachments(db, id, [
        { ...a, data: Buffer.from("1") },
        { ...a, data: Buffer.from("2") },
      ]),
    ).toThrow(/UNIQUE/);
  });
});

describe("meta and referenced letters", () => {
  it("setMeta inserts then replaces a value", () => {
    const db = openDb(":memory:");
    expect(getMeta(db, "prefix")).toBeUndefined();
    setMeta(db, "prefix", "AAAA");
    setMeta(db, "prefix", PREFIX);
    expect(getMeta(db, "prefix")).toBe(PREFIX);
    db.close();
  });

  it("readReferencedLetter cites only a letter that left, by the day it left in the user's zone", () => {
    const db = openDb(":memory:");
    const caseId = newCase(db, seed(db).loan.id).id;
    const followUp = kindDef("follow-up");
    const cite = (tz: string) => readReferencedLetter(db, `LM-${PREFIX}-${caseId}`, PREFIX, tz, followUp, "2026-03-10");
    // No letter yet: nothing to refer to.
    expect(userError(() => cite("UTC")).message).toContain("no letter");
    const d = draft(caseId, { date: "Wed, 04 Mar 2026 02:30:00 +0000" });
    const id = insertDraft(db, d);
    // A draft did not leave: "my letter sent on ..." would be false.
    expect(userError(() => cite("UTC"))).toMatchObject({ code: "NO_LETTER_LEFT" });
    expect(userError(() => cite("UTC")).message).toContain(`letter ${id} (draft)`);
    setMessageState(db, id, "sent", NOW);
    const ref = cite("America/Chicago");
    expect(ref).toMatchObject({ tag: `LM-${PREFIX}-${caseId}`, subject: d.subject, messageId: d.messageId });
    // An email left on its Date: 02:30 UTC on the 4th is still the 3rd in Chicago.
    expect(ref.date).toBe("2026-03-03");
    expect(ref.caseRecord.id).toBe(caseId);
    db.close();
  });
});
