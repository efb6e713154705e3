/**
 * An in-process loanmail home for the app tests: a `:memory:` database with one user, one servicer (replies from
 * servicer.test, a notice address for the post) and one loan (account 1234567), built through the store
 * functions the commands use, with the events they write, plus a temporary folder for files and the config a
 * command would read.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Config, DEFAULT_LIMITS } from "../../src/config/config.js";
import { type Db, inTransaction, openDb } from "../../src/store/db.js";
import { appendEvent } from "../../src/store/events.js";
import { ensureClient, insertLoan, type Loan } from "../../src/store/loans.js";
import { setMeta } from "../../src/store/meta.js";
import { insertServicer, type Servicer } from "../../src/store/servicers.js";

export const PREFIX = "K7QX";
export const NOW = new Date("2026-10-15T15:00:00.000Z");

export interface World {
  db: Db;
  prefix: string;
  config: Config;
  servicer: Servicer;
  loan: Loan;
  /** A fresh folder for files the test writes (scans, .eml, exhibits) and for the home's letters/ folder. */
  dir: string;
}

/** The user's client row, the servicer and the loan every app test starts from, under a case-tag prefix. */
export function seedRecord(db: Db, prefix: string, at: string): { servicer: Servicer; loan: Loan } {
  setMeta(db, "tag_prefix", prefix);
  const clientId = ensureClient(db, "Jane Q. Doe", at);
  const servicer = insertServicer(
    db,
    "Mr. Cooper",
    {
      email: "help@servicer.test",
      domains: ["servicer.test"],
      noticeAddress: "Mr. Cooper\nPO Box 619098\nDallas, TX 75261",
      payoffEmail: "payoff@servicer.test",
    },
    at,
  );
  const loan = insertLoan(
    db,
    clientId,
    {
      servicerId: servicer.id,
      accountNumber: "1234567",
      propertyAddress: "12 Elm St, Springfield, IL 62701",
      borrowers: ["Jane Q. Doe"],
      product: "closed-end",
      principalResidence: true,
      arm: false,
    },
    at,
  );
  // The events the commands write with them (servicer add, loan add), which verify --db checks the rows against.
  inTransaction(db, () => {
    appendEvent(db, { caseId: null, at, type: "servicer-added", actor: "user", data: { ...servicer } });
    appendEvent(db, { caseId: null, loanId: loan.id, at, type: "loan-added", actor: "user", data: { ...loan } });
  });
  return { servicer, loan };
}

export function makeWorld(): World {
  const db = openDb(":memory:");
  const { servicer, loan } = seedRecord(db, PREFIX, NOW.toISOString());
  const config: Config = {
    schema: 1,
    user: {
      name: "Jane Q. Doe",
      email: "jane@example.test",
      address: "12 Elm St\nSpringfield, IL 62701",
      phone: "555-123-4567",
      timezone: "America/Chicago",
    },
    limits: DEFAULT_LIMITS,
    accounts: {},
  };
  return { db, prefix: PREFIX, config, servicer, loan, dir: mkdtempSync(join(tmpdir(), "loanmail-app-")) };
}

/** A minimal but real PDF file. */
export function writePdf(path: string): string {
  writeFileSync(
    path,
    "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n",
  );
  return path;
}

/** A reply as its RFC 5322 bytes (CRLF line ends), headers first. */
export function eml(headers: readonly string[], body: string): Buffer {
  return Buffer.from([...headers, "Content-Type: text/plain; charset=utf-8", "", body, ""].join("\r\n"));
}

/** Row counts of every table, to prove a refusal changed nothing. */
export function rowCounts(db: Db): Record<string, number> {
  const tables = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
    .pluck()
    .all();
  return Object.fromEntries(
    tables.map((t) => [
      String(t),
      Number(
        db
          .prepare(`SELECT count(*) FROM "${String(t)}"`)
          .pluck()
          .get(),
      ),
    ]),
  );
}
