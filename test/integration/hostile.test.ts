/**
 * Hostile and malformed mail against the real lab: every fixture in test/fixtures/hostile (plus a 20 MB
 * attachment made here) is APPENDed to a fresh borrower's INBOX. One sync must keep every message with its exact
 * bytes, list it (filed by account number or unfiled), show it, store only safe attachment names and no script
 * text, and a second sync must store nothing new. `import FILE.eml` must do the same, once per distinct file.
 */
import { createHash, randomBytes } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { json, type RunResult, setupHome, tempDir } from "../cli/helpers.js";
import { appendTo, freshBorrower, imapAs, type LabHome, labHome } from "./lab.js";

const FIXTURES = resolve(import.meta.dirname, "../fixtures/hostile");
const ACCOUNT_TAG = "Account Number 1234567";

interface Fixture {
  name: string;
  raw: Buffer;
  sha: string;
  /** The planner sees the account number in its Subject, so it must be filed to the loan's only open case. */
  byAccount: boolean;
}

interface SyncDoc {
  totals: { new: number; filed: number; unfiled: number };
  fetched: { summaries: number; sources: number; sourceBytes: number };
  mailboxes: { mailbox: string; status: string; new: number }[];
}

interface StoredRow {
  id: number;
  raw_sha256: string;
  case_id: number | null;
  body_text: string | null;
  subject: string | null;
  from_addr: string | null;
}

const sha256 = (b: Buffer): string => createHash("sha256").update(b).digest("hex");

function fixture(name: string, raw: Buffer): Fixture {
  const head = raw
    .subarray(0, raw.indexOf("\r\n\r\n") === -1 ? raw.length : raw.indexOf("\r\n\r\n"))
    .toString("latin1");
  const subject = /^Subject: (.*)$/m.exec(head)?.[1] ?? "";
  return { name, raw, sha: sha256(raw), byAccount: subject.startsWith(ACCOUNT_TAG) };
}

/** A servicer message with a 20 MB (random, so incompressible) PDF attachment, base64 in 76-column lines. */
function bigAttachmentMessage(): Buffer {
  const data = randomBytes(20 * 1024 * 1024);
  const b64 = data.toString("base64").replace(/.{76}/g, "$&\r\n");
  const head = [
    "From: Big Files <documents@servicer.test>",
    "To: b16@example.test",
    `Subject: ${ACCOUNT_TAG} - complete loan file (20 MB)`,
    "Date: Mon, 02 Mar 2026 10:00:00 -0600",
    "Message-ID: <hostile-20mb@servicer.test>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="BIG"',
    "",
    "--BIG",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Your complete loan file is attached.",
    "--BIG",
    'Content-Type: application/pdf; name="loan-file.pdf"',
    'Content-Disposition: attachment; filename="loan-file.pdf"',
    "Content-Transfer-Encoding: base64",
    "",
  ].join("\r\n");
  return Buffer.from(`${head}\r\n${b64.replace(/\r\n$/, "")}\r\n--BIG--\r\n`, "latin1");
}

/** A stored attachment name must not be able to leave a folder, hide its extension or corrupt a terminal. */
function unsafeNameReasons(name: string): string[] {
  const reasons: string[] = [];
  if (name.includes("/")) reasons.push("contains /");
  if (name.includes("\\")) reasons.push("contains \\");
  if (name.startsWith("..")) reasons.push("starts with ..");
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is checked
  if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) reasons.push("control character");
  if (/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/.test(name)) reasons.push("bidi control");
  if (name.length === 0) reasons.push("empty");
  return reasons;
}

function openDb(home: string): Database.Database {
  return new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
}

function storedIn(home: string): StoredRow[] {
  const db = openDb(home);
  try {
    return db
      .prepare(
        "SELECT id, raw_sha256, case_id, body_text, subject, from_addr FROM messages WHERE direction = 'in' ORDER BY id",
      )
      .all() as StoredRow[];
  } finally {
    db.close();
  }
}

function ok(r: RunResult, what: string): RunResult {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

const fixtures: Fixture[] = readdirSync(FIXTURES)
  .filter((f) => f.endsWith(".eml"))
  .sort()
  .map((f) => fixture(f, readFileSync(join(FIXTURES, f))));
const big = fixture("generated-20mb-attachment.eml", bigAttachmentMessage());
const all: Fixture[] = [...fixtures, big];

describe("hostile mail over IMAP", () => {
  let lab: LabHome;
  let user: string;
  let rows: StoredRow[] = [];

  beforeAll(async () => {
    user = freshBorrower(16);
    lab = labHome(user);
    // One open case on loan 1234567, so that mail naming the account is filed to it.
    ok(
      lab.L(
        "--json",
        "compose",
        "payment-application",
        "--no-formal",
        "--loan",
        "1",
        "--set",
        "payment-date=2026-03-01",
        "--set",
        "amount=1500",
        "--summary",
        "Paid March 1; it sits in suspense.",
      ),
      "compose",
    );
    await appendTo(
      user,
      "INBOX",
      all.map((f) => f.raw),
    );
  }, 120_000);

  it("has at least 15 fixtures, all CRLF-only and small", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
    for (const f of fixtures) {
      const text = f.raw.toString("latin1");
      expect(text.replace(/\r\n/g, "").includes("\n"), `${f.name} has a bare LF`).toBe(false);
      expect(text.replace(/\r\n/g, "").includes("\r"), `${f.name} has a bare CR`).toBe(false);
      expect(f.raw.length, f.name).toBeLessThan(128 * 1024);
    }
    expect(new Set(all.map((f) => f.sha)).size).toBe(all.length);
  });

  it("the server holds every fixture byte for byte (the premise of the SHA-256 comparison)", async () => {
    const client = await imapAs(user);
    const held = new Set<string>();
    try {
      await client.mailboxOpen("INBOX", { readOnly: true });
      for await (const m of client.fetch("1:*", { source: true }, { uid: true })) {
        if (m.source) held.add(sha256(m.source));
      }
    } finally {
      await client.logout();
    }
    expect(held.size).toBe(all.length);
    for (const f of all) expect(held.has(f.sha), `${f.name} as fetched from Dovecot`).toBe(true);
  });

  it("one sync keeps every message with its exact bytes and files the account-number ones", () => {
    const r = lab.L("--json", "sync");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = json<SyncDoc>(r);
    expect(doc.fetched.summaries).toBe(all.length);
    expect(doc.fetched.sources).toBe(all.length);
    expect(doc.totals.new).toBe(all.length);

    rows = storedIn(lab.home);
    expect(rows).toHaveLength(all.length);
    const bySha = new Map(rows.map((row) => [row.raw_sha256, row]));
    const missing = all.filter((f) => !bySha.has(f.sha)).map((f) => f.name);
    expect(missing, "fixtures not stored with their exact bytes").toEqual([]);

    // The stored blob itself hashes to the recorded SHA-256.
    const db = openDb(lab.home);
    try {
      for (const f of all) {
        const raw = db.prepare("SELECT raw FROM messages WHERE raw_sha256 = ?").pluck().get(f.sha) as Buffer;
        expect(raw.equals(f.raw), f.name).toBe(true);
      }
    } finally {
      db.close();
    }

    const misfiled = all
      .filter((f) => (bySha.get(f.sha)?.case_id ?? null) !== (f.byAccount ? 1 : null))
      .map((f) => `${f.name}: case ${bySha.get(f.sha)?.case_id ?? null}, expected ${f.byAccount ? 1 : null}`);
    expect(misfiled).toEqual([]);
    expect(doc.totals.filed).toBe(all.filter((f) => f.byAccount).length);
    expect(doc.totals.unfiled).toBe(all.filter((f) => !f.byAccount).length);
  });

  it("lists every message (case 1 or the unfiled list) and shows each one", () => {
    const cases = json<{ unfiled: { id: number }[] }>(ok(lab.L("--json", "cases"), "cases"));
    const show = json<{ messages: { id: number; direction: string }[] }>(ok(lab.L("--json", "show", "1"), "show 1"));
    const listed = new Set([
      ...cases.unfiled.map((m) => m.id),
      ...show.messages.filter((m) => m.direction === "in").map((m) => m.id),
    ]);
    for (const f of all) {
      const row = rows.find((x) => x.raw_sha256 === f.sha);
      expect(row, f.name).toBeDefined();
      const id = row?.id ?? -1;
      expect(listed.has(id), `${f.name} (message ${id}) is listed`).toBe(true);
      const text = lab.L("show-message", String(id));
      expect(text.code, `show-message ${id} (${f.name}): ${text.stderr}`).toBe(0);
      const doc = lab.L("--json", "show-message", String(id));
      expect(doc.code, `show-message --json ${id} (${f.name}): ${doc.stderr}`).toBe(0);
      expect(json<{ message: { rawSha256: string } }>(doc).message.rawSha256).toBe(f.sha);
    }
  });

  it("prints no terminal control characters from hostile headers or bodies", () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is checked
    const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;
    const offenders: string[] = [];
    const cases = ok(lab.L("cases"), "cases");
    if (control.test(cases.stdout)) offenders.push(`cases: ${JSON.stringify(cases.stdout.match(control)?.[0])}`);
    for (const f of all) {
      const id = rows.find((x) => x.raw_sha256 === f.sha)?.id ?? -1;
      const shown = lab.L("show-message", String(id));
      const hit = shown.stdout.match(control);
      if (hit) offenders.push(`show-message ${id} (${f.name}): ${JSON.stringify(hit[0])}`);
    }
    expect(offenders).toEqual([]);
  });

  it("records no invented Date: a malformed Date falls back like a missing one (the IMAP internal date)", () => {
    const db = openDb(lab.home);
    try {
      for (const prefix of ["06-", "07-"]) {
        const f = all.find((x) => x.name.startsWith(prefix));
        const r = db
          .prepare(
            "SELECT m.date, o.internal_date AS internalDate FROM messages m JOIN message_origins o ON o.message_id = m.id WHERE m.raw_sha256 = ?",
          )
          .get(f?.sha) as { date: string | null; internalDate: string | null };
        expect(r.internalDate, f?.name).not.toBeNull();
        expect(r.date, `${f?.name}: stored Date`).toBe(r.internalDate);
      }
    } finally {
      db.close();
    }
  });

  it("stores attachments under safe names only, the big one intact", () => {
    const db = openDb(lab.home);
    try {
      const atts = db
        .prepare(
          "SELECT a.file_name AS fileName, a.label, a.size, a.sha256, m.raw_sha256 AS msgSha FROM attachments a JOIN messages m ON m.id = a.message_id ORDER BY a.id",
        )
        .all() as { fileName: string; label: string; size: number; sha256: string; msgSha: string }[];
      const of = (name: string) => atts.filter((a) => a.msgSha === all.find((f) => f.name.startsWith(name))?.sha);
      // The hostile names are kept as attachments (renamed, not dropped).
      expect(of("10-").length).toBe(3);
      expect(of("11-").length).toBe(3);
      const unsafe = atts.flatMap((a) =>
        [a.fileName, a.label].flatMap((n) => unsafeNameReasons(n).map((why) => `${JSON.stringify(n)}: ${why}`)),
      );
      expect(unsafe).toEqual([]);
      const bigAtt = of("generated-20mb");
      expect(bigAtt).toHaveLength(1);
      expect(bigAtt[0]?.size).toBe(20 * 1024 * 1024);
      const blob = db.prepare("SELECT data FROM blobs WHERE sha256 = ?").pluck().get(bigAtt[0]?.sha256) as Buffer;
      expect(sha256(blob)).toBe(bigAtt[0]?.sha256);
    } finally {
      db.close();
    }
  });

  it("keeps no script in the stored text of the HTML-only message, but keeps its words", () => {
    const f = all.find((x) => x.name.startsWith("12-"));
    const row = rows.find((x) => x.raw_sha256 === f?.sha);
    expect(row).toBeDefined();
    expect(row?.body_text ?? "").not.toMatch(/<script/i);
    expect(row?.body_text ?? "").toContain("Your escrow analysis is ready.");
    const shown = lab.L("show-message", String(row?.id));
    expect(shown.code).toBe(0);
    expect(shown.stdout).not.toMatch(/<script/i);
  });

  it("a second sync stores nothing new and the database is intact", () => {
    const r = lab.L("--json", "sync");
    expect(r.code).toBe(0);
    const doc = json<SyncDoc>(r);
    expect(doc.totals.new).toBe(0);
    expect(doc.fetched.sources).toBe(0);
    expect(storedIn(lab.home)).toHaveLength(all.length);
    const db = openDb(lab.home);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(db.pragma("foreign_key_check")).toEqual([]);
    } finally {
      db.close();
    }
  });
});

describe("hostile mail through import FILE.eml", () => {
  const dir = tempDir("loanmail-hostile-");
  const paths = all.map((f) => {
    const p = join(dir, f.name);
    writeFileSync(p, f.raw);
    return { ...f, path: p };
  });
  let home: ReturnType<typeof setupHome>;

  beforeAll(() => {
    home = setupHome();
  });

  it("imports every fixture, each stored once with its exact bytes", () => {
    for (const f of paths) {
      const r = home.L("--json", "import", f.path);
      expect(r.code, `import ${f.name}: ${r.stderr}`).toBe(0);
      const doc = json<{ imported: { message: number; new: boolean }[] }>(r);
      expect(doc.imported[0]?.new, f.name).toBe(true);
    }
    const stored = storedIn(home.home);
    expect(stored).toHaveLength(all.length);
    expect(new Set(stored.map((s) => s.raw_sha256))).toEqual(new Set(all.map((f) => f.sha)));
    for (const s of stored) expect(home.L("show-message", String(s.id)).code, `show-message ${s.id}`).toBe(0);
  });

  it("records no invented Date for a malformed Date header (none, like a missing one)", () => {
    const db = openDb(home.home);
    try {
      for (const prefix of ["06-", "07-"]) {
        const f = all.find((x) => x.name.startsWith(prefix));
        const date = db.prepare("SELECT date FROM messages WHERE raw_sha256 = ?").pluck().get(f?.sha);
        expect(date, `${f?.name}: stored Date`).toBeNull();
      }
    } finally {
      db.close();
    }
  });

  it("importing the same files again stores nothing", () => {
    const r = home.L("--json", "import", ...paths.map((f) => f.path));
    expect(r.code, r.stderr).toBe(0);
    const doc = json<{ imported: { new: boolean }[] }>(r);
    expect(doc.imported).toHaveLength(all.length);
    expect(doc.imported.every((i) => i.new === false)).toBe(true);
    expect(storedIn(home.home)).toHaveLength(all.length);
    const db = openDb(home.home);
    try {
      expect(db.pragma("integrity_check", { simple: true })).toBe("ok");
    } finally {
      db.close();
    }
  });

  it("stores imported attachments under safe names only", () => {
    const db = openDb(home.home);
    try {
      const names = db.prepare("SELECT file_name FROM attachments").pluck().all() as string[];
      expect(names.length).toBeGreaterThanOrEqual(10);
      expect(names.flatMap((n) => unsafeNameReasons(n).map((why) => `${JSON.stringify(n)}: ${why}`))).toEqual([]);
    } finally {
      db.close();
    }
  });
});
