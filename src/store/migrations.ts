/**
 * Numbered schema migrations. Each runs in one transaction together with its `PRAGMA user_version` bump, so a
 * crash leaves the database at the old version or the new one, never between. Versions step by 10 (as Signal
 * Desktop does) so that a fix-up can be slotted in later without renumbering.
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 10,
    name: "foundation: clients, servicers, loans, cases, messages, exhibits, hash-chained events",
    sql: `
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;

CREATE TABLE clients (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  created_at TEXT NOT NULL
) STRICT;

CREATE TABLE servicers (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  email          TEXT NOT NULL,
  sla_days       INTEGER NOT NULL DEFAULT 3 CHECK (sla_days BETWEEN 1 AND 60),
  notice_address TEXT,
  notice_email   TEXT,
  payoff_email   TEXT,
  payoff_address TEXT,
  small          INTEGER NOT NULL DEFAULT 0 CHECK (small IN (0, 1)),
  created_at     TEXT NOT NULL
) STRICT;

-- A reply domain belongs to one servicer: threading looks a sender's domain up here.
CREATE TABLE servicer_domains (
  domain      TEXT PRIMARY KEY COLLATE NOCASE,
  servicer_id INTEGER NOT NULL REFERENCES servicers(id)
) STRICT;
CREATE INDEX servicer_domains_servicer ON servicer_domains(servicer_id);

CREATE TABLE loans (
  id                  INTEGER PRIMARY KEY,
  client_id           INTEGER NOT NULL REFERENCES clients(id),
  servicer_id         INTEGER NOT NULL REFERENCES servicers(id),
  account_number      TEXT NOT NULL,
  property_address    TEXT NOT NULL,
  borrowers           TEXT NOT NULL,
  product             TEXT NOT NULL DEFAULT 'closed-end' CHECK (product IN ('closed-end', 'heloc', 'reverse')),
  principal_residence INTEGER NOT NULL DEFAULT 1 CHECK (principal_residence IN (0, 1)),
  arm                 INTEGER NOT NULL DEFAULT 0 CHECK (arm IN (0, 1)),
  created_at          TEXT NOT NULL,
  UNIQUE (servicer_id, account_number)
) STRICT;
CREATE INDEX loans_account ON loans(account_number);
CREATE INDEX loans_client ON loans(client_id);

CREATE TABLE cases (
  id        INTEGER PRIMARY KEY,
  loan_id   INTEGER NOT NULL REFERENCES loans(id),
  kind      TEXT NOT NULL,
  formal    INTEGER NOT NULL CHECK (formal IN (0, 1)),
  channel   TEXT NOT NULL,
  tag       TEXT NOT NULL UNIQUE,
  status    TEXT NOT NULL CHECK (status IN ('draft', 'open', 'discarded', 'resolved', 'unresolved')),
  step      TEXT NOT NULL DEFAULT 'inquiry',
  parent_id INTEGER REFERENCES cases(id),
  opened_at TEXT NOT NULL,
  closed_at TEXT
) STRICT;
CREATE INDEX cases_loan ON cases(loan_id);
CREATE INDEX cases_status ON cases(status);
CREATE INDEX cases_parent ON cases(parent_id);

CREATE TABLE blobs (
  sha256 TEXT PRIMARY KEY,
  size   INTEGER NOT NULL,
  data   BLOB NOT NULL
) STRICT;

CREATE TABLE messages (
  id             INTEGER PRIMARY KEY,
  case_id        INTEGER REFERENCES cases(id),
  direction      TEXT NOT NULL CHECK (direction IN ('out', 'in')),
  channel        TEXT NOT NULL CHECK (channel IN ('email', 'notice-email', 'post', 'portal', 'fax', 'hand')),
  kind           TEXT,
  letter_input   TEXT,
  message_id     TEXT,
  in_reply_to    TEXT,
  refs           TEXT,
  from_addr      TEXT,
  to_addrs       TEXT NOT NULL DEFAULT '[]',
  cc_addrs       TEXT NOT NULL DEFAULT '[]',
  postal_address TEXT,
  subject        TEXT,
  body_text      TEXT,
  date           TEXT,
  raw            BLOB NOT NULL,
  raw_sha256     TEXT NOT NULL UNIQUE,
  state          TEXT CHECK (state IN ('draft', 'queued', 'sending', 'sent', 'unknown', 'failed')),
  retryable      INTEGER,
  smtp_accepted  TEXT,
  smtp_rejected  TEXT,
  smtp_response  TEXT,
  reply_class    TEXT,
  class_set_by   TEXT,
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
) STRICT;
CREATE INDEX messages_case ON messages(case_id);
CREATE INDEX messages_message_id ON messages(message_id);
CREATE INDEX messages_state ON messages(state) WHERE state IS NOT NULL;

CREATE TABLE attachments (
  id           INTEGER PRIMARY KEY,
  message_id   INTEGER NOT NULL REFERENCES messages(id),
  position     INTEGER NOT NULL,
  exhibit      TEXT,
  label        TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  content_type TEXT NOT NULL,
  size         INTEGER NOT NULL,
  sha256       TEXT NOT NULL REFERENCES blobs(sha256),
  UNIQUE (message_id, position)
) STRICT;
CREATE INDEX attachments_sha ON attachments(sha256);

-- Append-only: every change a user or the servicer makes to a case is a row here, and each row carries the
-- hash of the row before it in the same chain (one chain per case; chain 0 for events of no case).
CREATE TABLE events (
  id         INTEGER PRIMARY KEY,
  chain      INTEGER NOT NULL,
  case_id    INTEGER REFERENCES cases(id),
  loan_id    INTEGER REFERENCES loans(id),
  at         TEXT NOT NULL,
  type       TEXT NOT NULL,
  actor      TEXT NOT NULL,
  message_id INTEGER REFERENCES messages(id),
  data       TEXT NOT NULL DEFAULT '{}',
  prev_hash  TEXT NOT NULL,
  hash       TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX events_chain ON events(chain, id);
CREATE INDEX events_case ON events(case_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`,
  },
  {
    version: 20,
    name: "mail: outbox results, incoming mail, origins per mailbox, sync cursors",
    sql: `
ALTER TABLE messages ADD COLUMN account TEXT;
ALTER TABLE messages ADD COLUMN servicer_id INTEGER REFERENCES servicers(id);
ALTER TABLE messages ADD COLUMN filed_by TEXT;
ALTER TABLE messages ADD COLUMN auto_submitted TEXT;
ALTER TABLE messages ADD COLUMN queued_at TEXT;
ALTER TABLE messages ADD COLUMN sent_at TEXT;
CREATE INDEX messages_servicer_unfiled ON messages(servicer_id) WHERE case_id IS NULL;

-- Where a stored message was seen: one message may sit in several mailboxes (INBOX and All Mail, say).
CREATE TABLE message_origins (
  id            INTEGER PRIMARY KEY,
  message_id    INTEGER NOT NULL REFERENCES messages(id),
  account       TEXT NOT NULL,
  mailbox       TEXT NOT NULL,
  uidvalidity   INTEGER NOT NULL,
  uid           INTEGER NOT NULL,
  internal_date TEXT,
  seen_at       TEXT NOT NULL,
  UNIQUE (account, mailbox, uidvalidity, uid)
) STRICT;
CREATE INDEX message_origins_message ON message_origins(message_id);

-- The sync cursor per mailbox: everything up to last_uid under uidvalidity has been looked at.
CREATE TABLE sync_state (
  account     TEXT NOT NULL,
  mailbox     TEXT NOT NULL,
  uidvalidity INTEGER NOT NULL,
  last_uid    INTEGER NOT NULL,
  uidnext     INTEGER,
  updated_at  TEXT NOT NULL,
  PRIMARY KEY (account, mailbox)
) STRICT;
`,
  },
  {
    version: 30,
    name: "clocks: servicing transfers keep the old account numbers",
    sql: `
-- Every account number a loan has had, and at which servicer: threading and lint still know the old one.
CREATE TABLE loan_accounts (
  id             INTEGER PRIMARY KEY,
  loan_id        INTEGER NOT NULL REFERENCES loans(id),
  servicer_id    INTEGER NOT NULL REFERENCES servicers(id),
  account_number TEXT NOT NULL,
  until          TEXT NOT NULL
) STRICT;
CREATE INDEX loan_accounts_loan ON loan_accounts(loan_id);
CREATE INDEX loan_accounts_account ON loan_accounts(account_number);
`,
  },
  {
    version: 40,
    name: "third-party authorizations: the signed form a servicer needs before it talks to a counselor",
    sql: `
CREATE TABLE authorizations (
  id           INTEGER PRIMARY KEY,
  loan_id      INTEGER NOT NULL REFERENCES loans(id),
  servicer_id  INTEGER NOT NULL REFERENCES servicers(id),
  authorized   TEXT NOT NULL,
  signers      TEXT NOT NULL,
  file_name    TEXT NOT NULL,
  file_sha256  TEXT NOT NULL REFERENCES blobs(sha256),
  signed_on    TEXT NOT NULL,
  expires_on   TEXT,
  submitted_on TEXT,
  created_at   TEXT NOT NULL
) STRICT;
CREATE INDEX authorizations_loan ON authorizations(loan_id);
`,
  },
  {
    version: 50,
    name: "letters: a servicer's own designated portal for notices; one draft discarded on its own",
    sql: `
-- A portal counts as the designated channel for notices of error and requests for information only when the
-- servicer designated it (12 C.F.R. 1024.35(c), 1024.36(b)); NULL means it did not, or it is not known.
ALTER TABLE servicers ADD COLUMN notice_portal TEXT;
-- A draft discarded without its case (the state CHECK cannot change without rebuilding the table): its row,
-- bytes and state stay; the store reads it as 'discarded'.
ALTER TABLE messages ADD COLUMN discarded_at TEXT;
`,
  },
  {
    version: 70,
    name: "replies you can trust: who sent each reply, when it arrived, a Message-ID used again",
    sql: `
-- Who sent a reply (src/domain/reply-trust.ts): trusted, suspect (something says it is forged) or unverified
-- (not the servicer's address); why, as a JSON array of sentences; and when the user confirmed it. A suspect or
-- unverified reply meets no clock until confirmed.
ALTER TABLE messages ADD COLUMN trust TEXT CHECK (trust IN ('trusted', 'suspect', 'unverified'));
ALTER TABLE messages ADD COLUMN trust_why TEXT;
ALTER TABLE messages ADD COLUMN trust_confirmed_at TEXT;
-- When it reached the user's mailbox (src/domain/reply-arrival.ts), and how that is known. The Date header stays
-- in date and never decides a clock.
ALTER TABLE messages ADD COLUMN arrived_at TEXT;
ALTER TABLE messages ADD COLUMN arrival TEXT CHECK (arrival IN ('internaldate', 'received', 'recorded', 'typed'));
ALTER TABLE messages ADD COLUMN arrived_by TEXT;
-- Its Message-ID was already held by another message with other bytes.
ALTER TABLE messages ADD COLUMN message_id_reused INTEGER NOT NULL DEFAULT 0 CHECK (message_id_reused IN (0, 1));

-- Replies recorded before: a reply typed by hand (paper, portal, fax) arrived on the day typed and is the
-- user's own statement; mail arrived at its first INTERNALDATE, else when it was recorded (not proven).
UPDATE messages SET trust = 'trusted', trust_why = json_array('recorded by you'), arrived_at = date,
  arrival = 'typed'
  WHERE direction = 'in' AND channel <> 'email';
UPDATE messages SET arrival = 'internaldate',
  arrived_at = (SELECT min(o.internal_date) FROM message_origins o WHERE o.message_id = messages.id)
  WHERE direction = 'in' AND channel = 'email'
    AND EXISTS (SELECT 1 FROM message_origins o WHERE o.message_id = messages.id AND o.internal_date IS NOT NULL);
UPDATE messages SET arrival = 'recorded', arrived_at = created_at
  WHERE direction = 'in' AND channel = 'email' AND arrived_at IS NULL;
-- Their sender, judged by the From address alone (their Authentication-Results were not read then).
UPDATE messages SET trust = 'trusted',
  trust_why = json_array('From ' || from_addr || ' is a servicer''s address or reply domain (recorded before sender checks)')
  WHERE direction = 'in' AND channel = 'email' AND from_addr IS NOT NULL AND (
    EXISTS (SELECT 1 FROM servicers s WHERE lower(messages.from_addr) IN
      (lower(s.email), lower(coalesce(s.notice_email, '')), lower(coalesce(s.payoff_email, ''))))
    OR EXISTS (SELECT 1 FROM servicer_domains d
      WHERE lower(substr(messages.from_addr, instr(messages.from_addr, '@') + 1)) = lower(d.domain)
        OR substr(lower(messages.from_addr), -length(d.domain) - 1) = '.' || lower(d.domain)));
UPDATE messages SET trust = 'unverified',
  trust_why = json_array('From ' || coalesce(from_addr, '(none)') || ' is not a servicer''s address or reply domain (recorded before sender checks)')
  WHERE direction = 'in' AND channel = 'email' AND trust IS NULL;
`,
  },
  {
    version: 80,
    name: "loss mitigation: the day a loan became delinquent",
    sql: `
-- The due date of the oldest periodic payment still unpaid (\`loan set --delinquent-since\`): delinquency begins
-- that day (12 C.F.R. 1024.31), and no first foreclosure notice or filing may come until the loan is more than
-- 120 days delinquent (1024.41(f)(1)). NULL: current, or not recorded.
ALTER TABLE loans ADD COLUMN delinquent_since TEXT;
`,
  },
  {
    version: 100,
    name: "tamper evidence: each chain's head and length, kept beside the chain",
    sql: `
-- The hash chain proves that no event inside a chain was changed or removed, but not that its last events (or
-- the whole chain) are still there: this table keeps each chain's head and length, updated with every append in
-- the same transaction, so that verify --db can tell a chain cut short or gone (docs/ARCHITECTURE.md, "Evidence").
CREATE TABLE chain_heads (
  chain  INTEGER PRIMARY KEY,
  head   TEXT NOT NULL,
  events INTEGER NOT NULL
) STRICT;
INSERT INTO chain_heads (chain, head, events)
  SELECT e.chain, (SELECT h.hash FROM events h WHERE h.chain = e.chain ORDER BY h.id DESC LIMIT 1), count(*)
  FROM events e GROUP BY e.chain;
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
  BEGIN SELECT RAISE(ABORT, 'chain heads are kept'); END;
`,
  },
  {
    version: 110,
    name: "caseload: agencies and counselors, client intake, plans, closing, outcomes, revocation, purges",
    sql: `
-- A counselor's home (init --counselor) records its agency and counselor as rows, not only in config.toml: a
-- shared agency store is planned, and every record should already say whose it is.
CREATE TABLE agencies (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  hud_id     TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE TABLE counselors (
  id         INTEGER PRIMARY KEY,
  agency_id  INTEGER REFERENCES agencies(id),
  name       TEXT NOT NULL,
  email      TEXT,
  created_at TEXT NOT NULL
) STRICT;

-- A client household: who counsels it, what intake recorded (JSON, each field optional), when its file closed.
ALTER TABLE clients ADD COLUMN counselor_id INTEGER REFERENCES counselors(id);
ALTER TABLE clients ADD COLUMN intake TEXT NOT NULL DEFAULT '{}';
ALTER TABLE clients ADD COLUMN closed_on TEXT;
ALTER TABLE clients ADD COLUMN closed_reason TEXT;

-- The action plan: dated follow-ups of one client, shown in due until done.
CREATE TABLE client_plan (
  id         INTEGER PRIMARY KEY,
  client_id  INTEGER NOT NULL REFERENCES clients(id),
  text       TEXT NOT NULL,
  by_date    TEXT NOT NULL,
  done_on    TEXT,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX client_plan_client ON client_plan(client_id);
CREATE INDEX client_plan_open ON client_plan(by_date) WHERE done_on IS NULL;

-- A revoked authorization no longer lets a counselor write for the client.
ALTER TABLE authorizations ADD COLUMN revoked_on TEXT;
-- A case's outcome in HUD form 9902's categories (resolve --outcome).
ALTER TABLE cases ADD COLUMN outcome TEXT;

-- Retention (24 C.F.R. 214.315): a purge removes a closed client's events, and only those. The events and
-- chain_heads triggers refuse every DELETE except of a row listed here, which the purge fills and empties in
-- its one transaction; the purge's own record (a client-purged event on chain 0) lists what it removed.
CREATE TABLE purge_pending (
  what TEXT NOT NULL CHECK (what IN ('event', 'chain')),
  id   INTEGER NOT NULL,
  PRIMARY KEY (what, id)
) STRICT;
DROP TRIGGER events_no_delete;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  WHEN NOT EXISTS (SELECT 1 FROM purge_pending WHERE what = 'event' AND id = OLD.id)
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
DROP TRIGGER chain_heads_no_delete;
CREATE TRIGGER chain_heads_no_delete BEFORE DELETE ON chain_heads
  WHEN NOT EXISTS (SELECT 1 FROM purge_pending WHERE what = 'chain' AND id = OLD.chain)
  BEGIN SELECT RAISE(ABORT, 'chain heads are kept'); END;
`,
  },
  {
    version: 120,
    name: "a caseload at scale: indexes for cases, report outcomes and the agency log",
    sql: `
-- report outcomes reads the events of a period (by time) and the resolved events in it; client log reads the
-- closes, reopens and purges (by type). scripts/bench-caseload.mjs measures them (README, "For housing counselors").
CREATE INDEX events_at ON events(at);
CREATE INDEX events_type_at ON events(type, at);
-- cases shows each case's first letter out (its subject): one probe per case instead of a walk of its messages.
CREATE INDEX messages_case_direction ON messages(case_id, direction, id);
`,
  },
  {
    version: 130,
    name: "letters in Spanish: a loan's letter language",
    sql: `
-- The language a loan's letters are written in (loan set --lang); NULL: the client's preferred language when it
-- is Spanish, else English (src/domain/language.ts). Each letter records its own in messages.letter_input.
ALTER TABLE loans ADD COLUMN lang TEXT CHECK (lang IN ('en', 'es'));
`,
  },
  {
    version: 140,
    name: "a caseload at scale: the clocks' columns of every message in one covering index",
    sql: `
-- A message's bytes sit inside its row, and the columns added later (trust, arrival...) after them: reading those
-- of a 30 KB reply walks its overflow pages one by one. due and client list read them for every message of every
-- open case (src/store/messages.ts, listClockMessagesOfCases); this index holds exactly those columns, in the
-- order that query asks, so it never touches a row (EXPLAIN in test/store/caseload-indexes.test.ts).
CREATE INDEX messages_clock_facts ON messages(case_id, id, direction, channel, kind, letter_input, from_addr,
  to_addrs, postal_address, subject, date, state, discarded_at, reply_class, trust, trust_why, trust_confirmed_at,
  arrived_at, arrival, arrived_by, message_id_reused, created_at);
-- The same listing reads each case's events of the types that move clocks (composed, mailed, sent...), a tenth of
-- a case's events: found by chain and type instead of reading every event of the chain to look at its type.
CREATE INDEX events_chain_type ON events(chain, type, id);
`,
  },
  {
    version: 150,
    name: "a caseload at scale: a letter's clock facts and a reply's in two narrower covering indexes",
    sql: `
-- 140's one index held every clock column of every message: due and client list decoded 22 columns of each of a
-- caseload's 20,000 replies, though a reply's clocks need only when it arrived, its class and its standing. A
-- letter is read whole (src/store/clock-rows.ts), a reply by these eleven columns; each from its own partial
-- index, never a row (EXPLAIN in test/store/caseload-indexes.test.ts). The letters' index also gives each case's
-- first letter out that cases shows.
DROP INDEX messages_clock_facts;
CREATE INDEX messages_letter_clock_facts ON messages(case_id, id, direction, channel, kind, letter_input, from_addr,
  to_addrs, postal_address, subject, date, state, discarded_at, reply_class, trust, trust_why, trust_confirmed_at,
  arrived_at, arrival, arrived_by, message_id_reused, created_at) WHERE direction = 'out';
CREATE INDEX messages_reply_clock_facts ON messages(case_id, id, channel, date, reply_class, trust,
  trust_confirmed_at, arrived_at, arrival, arrived_by, created_at) WHERE direction = 'in';
`,
  },
  {
    version: 170,
    name: "a caseload at scale: the clocks' events in their own covering index",
    sql: `
-- due and client list read each open case's events of the types that move clocks (src/domain/events.ts,
-- CLOCK_EVENT_TYPES): a tenth of its events, spread among its replies' received events, so the read touched nearly
-- every page of the table. This index holds every column of exactly those events, by chain and id
-- (src/store/events.ts, readClockEventsOfCases; EXPLAIN in test/store/caseload-indexes.test.ts).
CREATE INDEX events_clock_facts ON events(chain, id, type, at, actor, message_id, case_id, loan_id, data,
  prev_hash, hash)
  WHERE type IN ('composed', 'queued', 'sent', 'mailed', 'delivered', 'paid-off', 'application-complete', 'denied',
  'cfpb-filed', 'cfpb-response', 'offer', 'appealed', 'accepted', 'rejected');
`,
  },
  {
    version: 180,
    name: "a caseload at scale: only the replies that can move a clock or that due lists, in their covering index",
    sql: `
-- Most of a caseload's replies are of class other and meet their clocks (trusted, or confirmed by the user): no clock
-- counts them (no clock lists other among the classes that meet it, and only an extension extends one) and due
-- does not list them, yet 150's index held them all, and due and client list decoded 20,000 replies to use 1,500.
-- This index holds the rest: any other class (or none yet, or needs-review), and every reply held back as suspect
-- or unverified. The query names the same term (src/store/clock-rows.ts, REPLY_COUNTS_TERM; EXPLAIN in
-- test/store/caseload-indexes.test.ts).
DROP INDEX messages_reply_clock_facts;
CREATE INDEX messages_reply_clock_counts ON messages(case_id, id, channel, date, reply_class, trust,
  trust_confirmed_at, arrived_at, arrival, arrived_by, created_at)
  WHERE direction = 'in'
  AND (reply_class IS NOT 'other' OR (trust IS NOT NULL AND trust <> 'trusted' AND trust_confirmed_at IS NULL));
`,
  },
];

/** The schema version this build writes. */
export const LATEST_VERSION: number = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
