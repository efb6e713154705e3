/**
 * An in-memory loanmail record for the use-case tests: the user, one servicer (email help@servicer.test,
 * domain servicer.test), one loan, a mail account, and helpers to compose letters and read what a user would see.
 */
import { composeLetter } from "../../src/app/compose.js";
import { type Account, validateAccount } from "../../src/config/accounts.js";
import { type Config, validateConfig } from "../../src/config/config.js";
import { buildPrefix } from "../../src/domain/subject.js";
import { type CaseRecord, requireCase } from "../../src/store/cases.js";
import { type Db, openDb } from "../../src/store/db.js";
import { listCaseEvents } from "../../src/store/events.js";
import { findMessage, type MessageRecord } from "../../src/store/messages.js";
import { seedRecord } from "./world.js";

export const USER_EMAIL = "jane@example.test";
export const SERVICER_EMAIL = "help@servicer.test";

export interface TestRecord {
  db: Db;
  config: Config;
  prefix: string;
  account: Account;
  /** A fixed clock that tests move forward by hand. */
  clock: { now: Date; tick: (ms?: number) => Date };
}

export function openRecord(accountOverrides: { [key: string]: unknown } = {}): TestRecord {
  const db = openDb(":memory:");
  const start = new Date("2026-03-02T15:00:00.000Z");
  const clock = {
    now: start,
    tick(ms = 1000) {
      this.now = new Date(this.now.getTime() + ms);
      return this.now;
    },
  };
  const at = start.toISOString();
  const config = validateConfig(
    {
      schema: 1,
      user: {
        name: "Jane Q. Doe",
        email: USER_EMAIL,
        address: "12 Elm St\nSpringfield, IL 62701",
        phone: "555-123-4567",
        timezone: "America/Chicago",
      },
    },
    "test config",
  );
  const prefix = buildPrefix(Buffer.from([1, 2, 3, 4]));
  seedRecord(db, prefix, at);
  const account = validateAccount("home", {
    email: USER_EMAIL,
    smtp: { host: "smtp.example.test", port: 587, security: "starttls" },
    imap: { host: "imap.example.test", port: 993, security: "tls" },
    password_env: "UNUSED",
    ...accountOverrides,
  });
  return { db, config, prefix, account, clock };
}

/** Compose an email letter (an assumption question goes to the servicer's email) in a new case. */
export async function composeEmailLetter(
  r: TestRecord,
  cc: readonly string[] = [],
): Promise<{ caseId: number; letterId: number; messageId: string }> {
  const result = await composeLetter(
    { db: r.db, config: r.config, prefix: r.prefix, now: r.clock.now },
    {
      kind: "assumption",
      loan: "1",
      set: [],
      summary: "Can my son assume the loan?",
      attach: [],
      cc,
      allowSensitive: false,
    },
  );
  return { caseId: result.caseRecord.id, letterId: result.messageRowId, messageId: result.messageId };
}

export function caseOf(r: TestRecord, id: number): CaseRecord {
  return requireCase(r.db, String(id), r.prefix);
}

export function letterOf(r: TestRecord, id: number): MessageRecord {
  const m = findMessage(r.db, id);
  if (!m) throw new Error(`no message ${id}`);
  return m;
}

/** The case's event types in order, as `loanmail show` lists them. */
export function eventTypes(r: TestRecord, caseId: number): string[] {
  return listCaseEvents(r.db, caseId).map((e) => e.type);
}

/** The data of the case's last event of this type. */
export function lastEventData(r: TestRecord, caseId: number, type: string): { [key: string]: unknown } {
  const e = listCaseEvents(r.db, caseId)
    .filter((x) => x.type === type)
    .at(-1);
  if (!e) throw new Error(`case ${caseId} has no ${type} event`);
  return JSON.parse(e.data);
}
