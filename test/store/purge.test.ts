/**
 * The chain walk after a purge (src/store/purge.ts, purge-ledger.ts): exactly the gaps and vanished chains a
 * `client-purged` event accounts for are accepted; a gap it does not account for, or a purge naming rows that
 * are still there, fails.
 */
import { describe, expect, it } from "vitest";
import type { PurgeData } from "../../src/domain/events.js";
import { type Db, openDb } from "../../src/store/db.js";
import { appendToChain, computeEventHash, verifyChains } from "../../src/store/events.js";
import { insertIncoming } from "../../src/store/mail.js";
import { idRuns, purgeClient, unfiledMailOfClient } from "../../src/store/purge.js";

const AT = "2026-03-03T12:00:00.000Z";

/** Two clients, each a loan and a case; legacy loan events on chain 0 interleaved with the home's own. */
function world(): { db: Db; a: number; b: number } {
  const db = openDb(":memory:");
  db.prepare("INSERT INTO servicers (id, name, email, created_at) VALUES (1, 'S', 's@s.test', ?)").run(AT);
  for (const id of [1, 2]) {
    db.prepare("INSERT INTO clients (id, name, created_at) VALUES (?, ?, ?)").run(id, `client ${id}`, AT);
    db.prepare(
      "INSERT INTO loans (id, client_id, servicer_id, account_number, property_address, borrowers, created_at) VALUES (?, ?, 1, ?, 'x', '[]', ?)",
    ).run(id, id, `acct-${id}`, AT);
    db.prepare(
      "INSERT INTO cases (id, loan_id, kind, formal, channel, tag, status, opened_at) VALUES (?, ?, 'k', 0, 'post', ?, 'open', ?)",
    ).run(id, id, `LM-T-${id}`, AT);
  }
  const ev = (chainPlace: { caseId: number | null; loanId?: number; clientId?: number }, type: string) =>
    appendToChain(db, { ...chainPlace, at: AT, actor: "user", type, data: { n: type } });
  ev({ caseId: null }, "init");
  // Written before release 0.3 put a client's loan events on its own chain: on chain 0, by a raw insert.
  legacyChain0(db, 1);
  ev({ caseId: null }, "servicer-added");
  legacyChain0(db, 2);
  legacyChain0(db, 1);
  ev({ caseId: 1, loanId: 1 }, "composed");
  ev({ caseId: 2, loanId: 2 }, "composed");
  ev({ caseId: null, clientId: 1 }, "note");
  ev({ caseId: null }, "servicer-changed");
  ev({ caseId: 1, loanId: 1 }, "mailed");
  return { db, a: 1, b: 2 };
}

/** A chain-0 event naming a loan, as release 0.2 wrote them. */
function legacyChain0(db: Db, loanId: number): void {
  const last = db.prepare("SELECT hash FROM events WHERE chain = 0 ORDER BY id DESC LIMIT 1").pluck().get() as string;
  // appendToChain would put it on the client's chain; write it as the old release did, on chain 0.
  const row = { chain: 0, case_id: null, loan_id: loanId, at: AT, type: "loan-added", actor: "user", message_id: null };
  const data = `{"loan":${loanId}}`;
  const hash = computeEventHash({ ...row, data, prev_hash: last } as never);
  db.prepare(
    "INSERT INTO events (chain, case_id, loan_id, at, type, actor, message_id, data, prev_hash, hash) VALUES (0, NULL, ?, ?, 'loan-added', 'user', NULL, ?, ?, ?)",
  ).run(loanId, AT, data, last, hash);
  db.prepare("UPDATE chain_heads SET head = ?, events = events + 1 WHERE chain = 0").run(hash);
}

function purge(db: Db, clientId: number) {
  return purgeClient(db, clientId, (plan, counts) => {
    const data: PurgeData = {
      client_id: clientId,
      by: "tester",
      closed_on: "2020-01-01",
      export: null,
      forced_reason: null,
      retained_until: "2023-01-01",
      counts,
      chain0: plan.chain0,
      chains: plan.chains,
      messages: plan.messageRuns,
    };
    return { caseId: null, at: AT, actor: "user", type: "client-purged", data };
  });
}

describe("a purge and the chain walk", () => {
  it("accepts the gaps of a purge: chain-0 events bridged, the client's chains gone", () => {
    const { db, a } = world();
    expect(verifyChains(db).ok).toBe(true);
    const r = purge(db, a);
    // Two legacy chain-0 events of loan 1, its case chain (2 events) and its own chain (1 event).
    expect(r.plan.chain0.map((e) => e.id)).toEqual([2, 5]);
    expect(r.plan.chains.map((c) => [c.chain, c.events])).toEqual([
      [1, 2],
      [-1, 1],
    ]);
    expect(r.counts).toMatchObject({ events: 5, chains: 2, clients: 1, loans: 1, cases: 1 });
    expect(verifyChains(db)).toMatchObject({ ok: true });
    // The next events go on as before, and a new chain -1 (a new client given id 1) starts from genesis.
    db.prepare("INSERT INTO clients (id, name, created_at) VALUES (1, 'new', ?)").run(AT);
    appendToChain(db, { caseId: null, clientId: 1, at: AT, actor: "user", type: "note", data: {} });
    appendToChain(db, { caseId: null, at: AT, actor: "user", type: "servicer-changed", data: {} });
    expect(verifyChains(db)).toMatchObject({ ok: true });
  });

  it("fails a gap no purge accounts for", () => {
    const { db, a } = world();
    purge(db, a);
    db.exec("DROP TRIGGER events_no_delete");
    db.prepare("DELETE FROM events WHERE type = 'servicer-added'").run();
    expect(verifyChains(db)).toMatchObject({ ok: false, broken: { reason: "link to previous event" } });
  });

  it("fails a purge event that names an event still there", () => {
    const { db } = world();
    const data = {
      client_id: 2,
      chain0: [],
      chains: [{ chain: 2, head: "x", events: 1, ids: idRuns([7]) }],
      messages: [],
    };
    appendToChain(db, { caseId: null, at: AT, actor: "user", type: "client-purged", data });
    expect(verifyChains(db)).toMatchObject({ ok: false, broken: { id: 7, reason: "purged event present" } });
  });

  it("fails a purge that names a chain whose earlier events remain", () => {
    const { db } = world();
    const data = { client_id: 2, chain0: [], chains: [{ chain: 2, head: "x", events: 0, ids: [] }], messages: [] };
    appendToChain(db, { caseId: null, at: AT, actor: "user", type: "client-purged", data });
    expect(verifyChains(db)).toMatchObject({ ok: false, broken: { chain: 2, reason: "purged chain present" } });
  });
});

describe("unfiled mail of a client (client purge asks for it to be filed first)", () => {
  function unfiled(db: Db, n: number, text: string): number {
    return insertIncoming(db, {
      caseId: null,
      servicerId: 1,
      filedBy: null,
      account: "main",
      messageId: `<u${n}@s.test>`,
      inReplyTo: null,
      references: [],
      from: "help@s.test",
      to: ["me@x.test"],
      cc: [],
      subject: `Statement ${n}`,
      bodyText: text,
      date: AT,
      raw: Buffer.from(`Subject: Statement ${n}\r\n\r\n${text}\r\n`),
      replyClass: "other",
      autoSubmitted: null,
      trust: { status: "trusted", why: ["test"] },
      arrival: { at: AT, source: "internaldate" },
      now: AT,
    });
  }

  it("is the mail that names only this client's account numbers, whole words, current or past", () => {
    const { db } = world();
    db.prepare(
      "INSERT INTO loan_accounts (loan_id, servicer_id, account_number, until) VALUES (1, 1, 'old-9911', ?)",
    ).run(AT);
    const own = unfiled(db, 1, "Your loan acct-1 is past due.");
    const past = unfiled(db, 2, "About your former number old-9911.");
    unfiled(db, 3, "Loans acct-1 and acct-2 were transferred."); // names client 2's too: theirs as well
    unfiled(db, 4, "Loan acct-12 is not acct-1's neighbour"); // names acct-1 too, as a whole word
    unfiled(db, 5, "Loan xacct-1x."); // inside a longer word: names nothing
    unfiled(db, 6, "Our office hours are changing."); // names no account
    expect(unfiledMailOfClient(db, 1)).toEqual([own, past, own + 3]);
    expect(unfiledMailOfClient(db, 2)).toEqual([]);
  });
});
