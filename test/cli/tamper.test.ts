/**
 * Tamper evidence of the database (issue 13, "every fact shown is anchored to the chain"), tried as an attacker
 * who holds the file would: each case copies one honest home, changes one thing behind loanmail's back (after
 * dropping the append-only triggers where it must), and expects `verify --db` to exit 5 naming it.
 *
 * The honest home: a notice of error mailed 2026-10-01 and delivered 10-05, the servicer's acknowledgment and its
 * answer imported from .eml files (arrived 10-08 and 10-20 at the user's server), a reply by portal recorded by
 * hand (`received`, 10-22, with its scan), and one export.
 */

import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { beforeAll, describe, expect, it } from "vitest";
import { computeEventHash } from "../../src/store/events.js";
import {
  addMailAccount,
  mailedNoticeOfError,
  ROOT,
  type RunResult,
  receivedByUserServer,
  run,
  setupHome,
  tempDir,
} from "./helpers.js";

const ok = (r: RunResult): RunResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
};

let honest: string;
let bundle: string;

function reply(work: string, name: string, tag: string, day: string, id: string, body: string): string {
  const file = join(work, name);
  writeFileSync(
    file,
    [
      receivedByUserServer(`${day} 09:30:00 -0500`),
      "From: Mr. Cooper <help@servicer.test>",
      "To: jane@example.test",
      `Subject: Re: [${tag}] Your notice of error`,
      `Date: ${day} 09:29:00 -0500`,
      `Message-ID: <${id}@servicer.test>`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      body,
      "",
    ].join("\r\n"),
  );
  return file;
}

beforeAll(() => {
  const { home, L } = setupHome();
  honest = home;
  const work = tempDir("loanmail-tamper-");
  const tag = mailedNoticeOfError(L, "9407111899560000000013", [
    "--attach",
    `${join(ROOT, "examples/proof-of-payment.pdf")}=Proof of payment`,
  ]);
  addMailAccount(L);
  ok(
    L(
      "import",
      reply(
        work,
        "ack.eml",
        tag,
        "Thu, 8 Oct 2026",
        "ack-1",
        "We have received your notice of error and will respond.",
      ),
    ),
  );
  ok(
    L(
      "import",
      reply(
        work,
        "answer.eml",
        tag,
        "Tue, 20 Oct 2026",
        "answer-1",
        "We have completed our research and determined that no error occurred on your account.",
      ),
    ),
  );
  const scan = join(work, "portal-scan.pdf");
  writeFileSync(scan, "%PDF-1.4\n% the servicer's letter, downloaded from its portal\n");
  ok(L("received", "1", "--date", "2026-10-22", "--file", scan, "--via", "portal", "--class", "other"));
  bundle = join(work, "case.zip");
  ok(L("export", "1", "--out", bundle));
  ok(L("verify", "--db"));
});

/** A copy of the honest home changed by `attack` (with the append-only triggers dropped), then verified. */
function tampered(attack: (db: Database.Database) => void): RunResult {
  const home = join(tempDir("loanmail-tampered-"), "home");
  cpSync(honest, home, { recursive: true });
  const db = new Database(join(home, "loanmail.db"));
  try {
    db.exec("DROP TRIGGER IF EXISTS events_no_update; DROP TRIGGER IF EXISTS events_no_delete;");
    db.pragma("foreign_keys = OFF");
    attack(db);
  } finally {
    db.close();
  }
  return run(["--home", home, "verify", "--db"]);
}

const reply1 = (db: Database.Database) =>
  db.prepare("SELECT id FROM messages WHERE direction = 'in' ORDER BY id LIMIT 1").pluck().get() as number;
const reply2 = (db: Database.Database) =>
  db
    .prepare("SELECT id FROM messages WHERE direction = 'in' AND from_addr IS NOT NULL ORDER BY id DESC LIMIT 1")
    .pluck()
    .get() as number;
const paperReply = (db: Database.Database) =>
  db.prepare("SELECT id FROM messages WHERE direction = 'in' AND from_addr IS NULL").pluck().get() as number;
const letter = (db: Database.Database) =>
  db.prepare("SELECT id FROM messages WHERE direction = 'out' ORDER BY id LIMIT 1").pluck().get() as number;

/** Rewrite one event's data (and its hash, and the kept head when it is the last of its chain). */
function rewriteEvent(db: Database.Database, id: number, change: (data: Record<string, unknown>) => object): void {
  const e = db.prepare("SELECT * FROM events WHERE id = ?").get(id) as Record<string, unknown> & { data: string };
  const data = JSON.stringify(change(JSON.parse(e.data) as Record<string, unknown>));
  const { id: _id, hash: oldHash, ...rest } = e;
  const hash = computeEventHash({ ...(rest as Parameters<typeof computeEventHash>[0]), data });
  db.prepare("UPDATE events SET data = ?, hash = ? WHERE id = ?").run(data, hash, id);
  db.prepare("UPDATE chain_heads SET head = ? WHERE head = ?").run(hash, oldHash);
}

describe("verify --db catches a change made behind loanmail's back", () => {
  it("the last events of a chain deleted", () => {
    const r = tampered((db) =>
      db.exec("DELETE FROM events WHERE id IN (SELECT id FROM events WHERE chain = 1 ORDER BY id DESC LIMIT 2)"),
    );
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(
      /MISMATCH at chain of LM-[A-Z0-9]+-1: it ends after \d+ events, but \d+ were recorded: its last 2 are gone/,
    );
  });

  it("a whole chain deleted", () => {
    const r = tampered((db) => db.exec("DELETE FROM events WHERE chain = 1"));
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/chain of LM-[A-Z0-9]+-1: all \d+ of its events are gone/);
  });

  it("a reply's bytes changed together with their stored hash (its received event recorded the original)", () => {
    const r = tampered((db) => {
      const id = reply2(db);
      const raw = Buffer.from(
        (db.prepare("SELECT raw FROM messages WHERE id = ?").pluck().get(id) as Buffer)
          .toString("utf8")
          .replace("no error occurred", "we admit the error"),
      );
      const sha = createHash("sha256").update(raw).digest("hex");
      db.prepare("UPDATE messages SET raw = ?, raw_sha256 = ? WHERE id = ?").run(raw, sha, id);
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(
      /MISMATCH at message \d+: its stored SHA-256 [0-9a-f]{64} is not the [0-9a-f]{64} event \d+ recorded/,
    );
  });

  it("two messages' bytes swapped with their hashes", () => {
    const r = tampered((db) => {
      const [a, b] = [reply1(db), reply2(db)];
      const get = db.prepare("SELECT raw, raw_sha256 FROM messages WHERE id = ?");
      const ra = get.get(a) as { raw: Buffer; raw_sha256: string };
      const rb = get.get(b) as { raw: Buffer; raw_sha256: string };
      const set = db.prepare("UPDATE messages SET raw = ?, raw_sha256 = ? WHERE id = ?");
      set.run(ra.raw, "swap", a); // raw_sha256 is UNIQUE: move one out of the way first
      set.run(ra.raw, ra.raw_sha256, b);
      set.run(rb.raw, rb.raw_sha256, a);
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toContain("is not the");
  });

  for (const [what, column, value, expected] of [
    ["Date (a late clock would flip to met)", "date", "2026-10-06T14:00:00.000Z", /its Date reads/],
    [
      "its arrival",
      "arrived_at",
      "2026-10-06T14:00:00.000Z",
      /its arrival reads 2026-10-06T14:00:00\.000Z, but event \d+ recorded/,
    ],
    ["class", "reply_class", "response", /its class reads "response", but event \d+ says "acknowledgment"/],
    ["subject", "subject", "We admit the error", /its subject reads "We admit the error", but its bytes say/],
    ["text", "body_text", "We admit the error.", /its text reads "We admit the error\.", but its bytes say/],
  ] as const) {
    it(`a reply's ${what} changed`, () => {
      const r = tampered((db) => db.prepare(`UPDATE messages SET ${column} = ? WHERE id = ?`).run(value, reply1(db)));
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(expected);
    });
  }

  for (const [what, column, value, expected] of [
    [
      "subject",
      "subject",
      "We admit the error",
      /its subject reads "We admit the error", but event \d+ recorded "Reply received by portal on 2026-10-22"/,
    ],
    [
      "text",
      "body_text",
      "We admit the error.",
      /its text reads "We admit the error\.", but event \d+ recorded "Scan: portal-scan\.pdf"/,
    ],
    [
      "day (a clock would flip)",
      "date",
      "2026-10-06",
      /its Date reads "2026-10-06", but event \d+ recorded "2026-10-22"/,
    ],
    ["arrival", "arrived_at", "2026-10-06", /its arrival reads "2026-10-06", but event \d+ recorded "2026-10-22"/],
  ] as const) {
    it(`a reply recorded by hand: its ${what} changed`, () => {
      const r = tampered((db) =>
        db.prepare(`UPDATE messages SET ${column} = ? WHERE id = ?`).run(value, paperReply(db)),
      );
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(expected);
    });
  }

  for (const [what, column, value, expected] of [
    ["subject", "subject", "Thank you", /its subject reads "Thank you", but its bytes say "Account Number/],
    ["text", "body_text", "I owe nothing more.", /its text reads "I owe nothing more\.", but its bytes say "/],
    ["Date", "date", "2026-09-01T12:00:00.000Z", /its Date reads "2026-09-01T12:00:00\.000Z", but its bytes say "/],
    ["postal address", "postal_address", "Nowhere", /its postal address reads "Nowhere", but event \d+ recorded "/],
    ["state", "state", "draft", /it reads as a draft, but event \d+ records it leaving/],
  ] as const) {
    it(`a letter's ${what} changed`, () => {
      const r = tampered((db) => db.prepare(`UPDATE messages SET ${column} = ? WHERE id = ?`).run(value, letter(db)));
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(expected);
    });
  }

  it("a reply's sender changed", () => {
    const r = tampered((db) =>
      db.prepare("UPDATE messages SET from_addr = 'legal@servicer.test' WHERE id = ?").run(reply1(db)),
    );
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/its sender reads legal@servicer\.test, but event \d+ recorded help@servicer\.test/);
  });

  it("an exhibit's stored file replaced under a new hash: its composed event recorded the original", () => {
    const r = tampered((db) => {
      const forged = Buffer.from("%PDF-1.4\n% a different proof\n");
      const sha = createHash("sha256").update(forged).digest("hex");
      db.prepare("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)").run(sha, forged.length, forged);
      db.prepare("UPDATE attachments SET sha256 = ?, size = ? WHERE exhibit IS NOT NULL").run(sha, forged.length);
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/its file "Exhibit A – Proof of payment\.pdf" is [0-9a-f]{64}, but event \d+ recorded/);
  });

  it("a scan's stored file replaced under a new hash: its received event recorded the original", () => {
    const r = tampered((db) => {
      const forged = Buffer.from("%PDF-1.4\n% the servicer admits the error\n");
      const sha = createHash("sha256").update(forged).digest("hex");
      db.prepare("INSERT INTO blobs (sha256, size, data) VALUES (?, ?, ?)").run(sha, forged.length, forged);
      db.prepare("UPDATE attachments SET sha256 = ? WHERE message_id = ?").run(sha, paperReply(db));
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/its file "portal-scan\.pdf" is [0-9a-f]{64}, but event \d+ recorded/);
  });

  for (const [what, sql, expected] of [
    [
      "account number",
      "UPDATE loans SET account_number = '7654321'",
      /loan 1: its accountNumber reads "7654321", but event \d+ recorded "/,
    ],
    ["property", "UPDATE loans SET property_address = '99 Oak St'", /loan 1: its propertyAddress reads "99 Oak St"/],
    ["borrowers", `UPDATE loans SET borrowers = '["John Roe"]'`, /loan 1: its borrowers reads \["John Roe"\]/],
  ] as const) {
    it(`a loan's ${what} changed`, () => {
      const r = tampered((db) => db.exec(sql));
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(expected);
    });
  }

  for (const [what, sql, expected] of [
    [
      "kind",
      "UPDATE cases SET kind = 'request-for-information'",
      /case 1: its kind reads "request-for-information", but event \d+ recorded "notice-of-error"/,
    ],
    ["formality", "UPDATE cases SET formal = 0", /case 1: its formality reads false, but event \d+ recorded true/],
    [
      "opening time",
      "UPDATE cases SET opened_at = '2026-09-01T00:00:00.000Z'",
      /case 1: its opening time reads "2026-09-01T00:00:00\.000Z"/,
    ],
    [
      "status (resolved with no event)",
      "UPDATE cases SET status = 'resolved'",
      /case 1: its status reads resolved, but no event made it so/,
    ],
    ["loan", "UPDATE cases SET loan_id = 7", /case 1: its loan reads 7, but event \d+ recorded 1/],
  ] as const) {
    it(`a case's ${what} changed`, () => {
      const r = tampered((db) => db.exec(sql));
      expect(r.code).toBe(5);
      expect(r.stdout).toMatch(expected);
    });
  }

  it("a servicer's notice address changed (where a notice of error must go)", () => {
    const r = tampered((db) => db.exec("UPDATE servicers SET notice_address = 'PO Box 1, Nowhere'"));
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/servicer 1: its noticeAddress reads "PO Box 1, Nowhere", but event \d+ recorded/);
  });

  it("a reply moved to another case", () => {
    const r = tampered((db) => db.prepare("UPDATE messages SET case_id = NULL WHERE id = ?").run(reply1(db)));
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/it is filed to no case, but event \d+ files it to case 1/);
  });

  it("a message row deleted, and one added", () => {
    const gone = tampered((db) => db.prepare("DELETE FROM messages WHERE id = ?").run(reply1(db)));
    expect(gone.code).toBe(5);
    expect(gone.stdout).toMatch(/message \d+: its events name it, but its row is gone/);
    const added = tampered((db) => {
      // A copy of a reply with one more byte, under its own hash: consistent in itself, recorded by no event.
      const last = db.prepare("SELECT * FROM messages WHERE id = ?").get(reply2(db)) as Record<string, unknown>;
      const raw = Buffer.concat([last.raw as Buffer, Buffer.from("\n")]);
      const row = {
        ...last,
        id: 999,
        message_id: "<forged@servicer.test>",
        raw,
        raw_sha256: createHash("sha256").update(raw).digest("hex"),
      };
      const cols = Object.keys(row);
      db.prepare(`INSERT INTO messages (${cols.join(", ")}) VALUES (${cols.map((c) => `@${c}`).join(", ")})`).run(row);
    });
    expect(added.code).toBe(5);
    expect(added.stdout).toContain("message 999: no event records it");
  });

  it("an export's recorded chain head rewritten, with its hash recomputed to match", () => {
    const r = tampered((db) => {
      const e = db.prepare("SELECT * FROM events WHERE type = 'exported'").get() as Record<string, unknown> & {
        id: number;
        data: string;
      };
      const data = JSON.stringify({ ...JSON.parse(e.data), chain_head: "ab".repeat(32) });
      const { id: _id, hash: _hash, ...rest } = e;
      const hash = computeEventHash({ ...(rest as Parameters<typeof computeEventHash>[0]), data });
      db.prepare("UPDATE events SET data = ?, hash = ? WHERE id = ?").run(data, hash, e.id);
      db.prepare("UPDATE chain_heads SET head = ? WHERE chain = ?").run(hash, e.chain);
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toContain(
      "the chain head it says its bundle anchors is not the head its chain had when the bundle was made",
    );
  });

  it("an export's recorded chain head moved back to an earlier real event, with its hash recomputed", () => {
    const r = tampered((db) => {
      const e = db.prepare("SELECT id, prev_hash, chain FROM events WHERE type = 'exported'").get() as {
        id: number;
        prev_hash: string;
        chain: number;
      };
      const earlier = db
        .prepare("SELECT hash FROM events WHERE chain = ? AND hash != ? AND id < ? ORDER BY id DESC LIMIT 1")
        .pluck()
        .get(e.chain, e.prev_hash, e.id) as string;
      rewriteEvent(db, e.id, (d) => ({ ...d, chain_head: earlier }));
    });
    expect(r.code).toBe(5);
    expect(r.stdout).toContain("is not the head its chain had when the bundle was made");
  });
});

describe("verify FILE.zip catches a bundle changed after it was made", () => {
  const UTF8 = { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };
  const sha = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
  const EXHIBIT = "exhibits/Exhibit A \u2013 Proof of payment.pdf";

  /** The bundle unzipped into a folder of its own, with the names of its entries in the zip's order. */
  function unzipped(): { dir: string; names: string[] } {
    const dir = join(tempDir("loanmail-unzipped-"), "b");
    mkdirSync(dir);
    execFileSync("unzip", ["-q", bundle, "-d", dir], { env: UTF8 });
    const names = execFileSync("unzip", ["-Z1", bundle], { env: UTF8, encoding: "utf8" }).split("\n").filter(Boolean);
    return { dir, names };
  }

  /** The folder zipped again with Info-ZIP, in the same order. */
  function zipAgain({ dir, names }: { dir: string; names: string[] }): string {
    const out = join(dir, "..", "again.zip");
    execFileSync("zip", ["-q", "-X", out, ...names], { cwd: dir, env: UTF8 });
    return out;
  }

  /** The bundle unzipped, changed by `edit` in its folder, and zipped again with Info-ZIP in the same order. */
  function rezipped(edit: (dir: string) => void): string {
    const u = unzipped();
    edit(u.dir);
    return zipAgain(u);
  }

  it("a bundle unzipped and zipped again with Info-ZIP still verifies (names with an en dash survive)", () => {
    const r = run(["verify", rezipped(() => undefined)]);
    expect(r.stdout).toContain("Everything matches.");
    expect(r.code).toBe(0);
  });

  /** Replace a file of the unzipped bundle, with the manifest and the certificate updated to match. */
  function forge(dir: string, path: string, forged: Buffer): void {
    writeFileSync(join(dir, path), forged);
    const manifestPath = join(dir, "manifest.json");
    const m = JSON.parse(readFileSync(manifestPath, "utf8")) as {
      files: { path: string; size: number; sha256: string }[];
    };
    for (const f of m.files) if (f.path === path) Object.assign(f, { size: forged.length, sha256: sha(forged) });
    const text = `${JSON.stringify(m, null, 2)}\n`;
    writeFileSync(manifestPath, text);
    const certPath = join(dir, "certificate.txt");
    writeFileSync(
      certPath,
      readFileSync(certPath, "utf8").replace(
        /manifest\.json SHA-256: [0-9a-f]{64}/,
        `manifest.json SHA-256: ${sha(text)}`,
      ),
    );
  }

  it("an exhibit replaced, with the manifest and the certificate updated to match: its event recorded the original", () => {
    const r = run([
      "verify",
      rezipped((dir) => forge(dir, EXHIBIT, Buffer.from("%PDF-1.4\n% a different statement\n"))),
    ]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(
      new RegExp(`MISMATCH  ${EXHIBIT}: SHA-256 [0-9a-f]{64} is not the hash event \\d+ recorded for this file`),
    );
  });

  it("a scan of a reply recorded by hand replaced, manifest and certificate updated: its received event recorded it", () => {
    const names = execFileSync("unzip", ["-Z1", bundle], { env: UTF8, encoding: "utf8" }).split("\n");
    const scan = names.find((n) => /^exhibits\/received\/\d+-portal-scan\.pdf$/.test(n));
    if (!scan) throw new Error(`no scan in ${names.join(", ")}`);
    const r = run(["verify", rezipped((dir) => forge(dir, scan, Buffer.from("%PDF-1.4\n% we admit the error\n")))]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(
      /MISMATCH +exhibits\/received\/\d+-portal-scan\.pdf: SHA-256 [0-9a-f]{64} is not the hash event \d+ recorded/,
    );
  });

  /** certificate.pdf's document metadata rewritten to state `subject` (or none), and certificate.txt's hash of it. */
  async function reSign(dir: string, subject: string | null): Promise<void> {
    const pdfPath = join(dir, "certificate.pdf");
    const doc = await PDFDocument.load(readFileSync(pdfPath), { updateMetadata: false });
    if (subject === null) {
      // As a bundle made before loanmail wrote the manifest's hash there: no Subject at all.
      const info = doc.context.trailerInfo.Info;
      if (info) doc.context.lookup(info, PDFDict).delete(PDFName.of("Subject"));
    } else doc.setSubject(subject);
    const pdf = Buffer.from(await doc.save({ useObjectStreams: false }));
    writeFileSync(pdfPath, pdf);
    const certPath = join(dir, "certificate.txt");
    writeFileSync(
      certPath,
      readFileSync(certPath, "utf8").replace(
        /certificate\.pdf SHA-256: [0-9a-f]{64}/,
        `certificate.pdf SHA-256: ${sha(pdf)}`,
      ),
    );
  }

  /** declaration.txt with one word changed, the manifest and certificate.txt updated to match (the attorney's t3.zip). */
  function wordChanged(dir: string): void {
    const text = readFileSync(join(dir, "declaration.txt"), "utf8");
    if (!text.includes("I mailed")) throw new Error(`no "I mailed" in declaration.txt:\n${text}`);
    forge(dir, "declaration.txt", Buffer.from(text.replace("I mailed", "I emailed")));
  }

  const originalManifest = () => sha(execFileSync("unzip", ["-p", bundle, "manifest.json"]));

  it("one word of declaration.txt changed, manifest and certificate.txt updated: certificate.pdf, and the database, hold the original manifest hash", () => {
    const out = rezipped(wordChanged);
    const alone = run(["verify", out]);
    expect(alone.code).toBe(5);
    expect(alone.stdout).toMatch(
      new RegExp(
        `MISMATCH  certificate\\.pdf: states manifest SHA-256 ${originalManifest()} in its document metadata .*, but manifest\\.json hashes to [0-9a-f]{64}`,
      ),
    );
    expect(alone.stdout).not.toContain("Everything matches.");
    const withDb = run(["--home", honest, "verify", out, "--db"]);
    expect(withDb.code).toBe(5);
    expect(withDb.stdout).toMatch(
      new RegExp(
        `MISMATCH  manifest\\.json: its SHA-256 [0-9a-f]{64} is not the ${originalManifest()} that exported event \\d+ of LM-[A-Z0-9]+-1 in the database recorded when it wrote case\\.zip`,
      ),
    );
  });

  it("the same change with certificate.pdf rewritten to match too: the exported event in the database still holds the original", async () => {
    const u = unzipped();
    wordChanged(u.dir);
    // The forger's certificate.pdf states the forged manifest's hash: nothing in the bundle disagrees any more.
    await reSign(u.dir, `manifest.json SHA-256: ${sha(readFileSync(join(u.dir, "manifest.json")))}`);
    const out = zipAgain(u);
    expect(run(["verify", out]).code).toBe(0);
    const r = run(["--home", honest, "verify", out, "--db"]);
    expect(r.code).toBe(5);
    expect(r.stderr).toMatch(
      new RegExp(
        `manifest\\.json does not match: its SHA-256 [0-9a-f]{64} is not the ${originalManifest()} that exported event`,
      ),
    );
  });

  it("a certificate.pdf that states no manifest hash (made before loanmail wrote one) is named as not checked, never as matching", async () => {
    const u = unzipped();
    await reSign(u.dir, null);
    const r = run(["verify", zipAgain(u)]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /NOT CHECKED {2}certificate\.pdf: the manifest SHA-256 printed on it, since its document metadata states none/,
    );
    expect(r.stdout).not.toMatch(/ok +certificate\.pdf: states the manifest/);
    expect(r.stdout).not.toContain("Everything matches.");
    expect(r.stdout).toContain("Everything checked matches; what was not checked is named above.");
  });

  it("certificate.pdf removed while certificate.txt names its hash", () => {
    const out = join(tempDir("loanmail-nopdf-"), "nopdf.zip");
    writeFileSync(out, readFileSync(bundle));
    execFileSync("zip", ["-q", "-d", out, "certificate.pdf"], { env: UTF8 });
    const r = run(["verify", out]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/MISMATCH {2}certificate\.pdf: missing: certificate\.txt states its SHA-256 [0-9a-f]{64}/);
  });

  it("a local header naming an entry otherwise than the zip's directory", () => {
    const bytes = readFileSync(bundle);
    // The first local header (signature PK\x03\x04) names messages/001-...: change one letter of its name there only.
    const at = bytes.indexOf(Buffer.from("messages/001-"), bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04])));
    bytes[at] = "M".charCodeAt(0);
    const out = join(tempDir("loanmail-local-"), "local.zip");
    writeFileSync(out, bytes);
    const r = run(["verify", out]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/its local header names it "Messages\/001-/);
  });
});

describe("a whole rewrite of the database, and the bundle that pins it", () => {
  it("verify FILE.zip --db also walks the database: a row changed behind the chain since the export", () => {
    const home = join(tempDir("loanmail-since-"), "home");
    cpSync(honest, home, { recursive: true });
    const db = new Database(join(home, "loanmail.db"));
    try {
      db.exec("UPDATE loans SET account_number = '7654321'");
    } finally {
      db.close();
    }
    const r = run(["--home", home, "verify", bundle, "--db"]);
    expect(r.code).toBe(5);
    expect(r.stdout).toMatch(/MISMATCH +database: loan 1: its accountNumber reads "7654321"/);
    expect(ok(run(["--home", honest, "verify", bundle, "--db"])).stdout).toMatch(/ok +database: its chains/);
  });

  it("verify FILE.zip --db with a database that holds no exported event of the bundle: its manifest hash is not checked, and says so", () => {
    const home = join(tempDir("loanmail-noexport-"), "home");
    cpSync(honest, home, { recursive: true });
    const db = new Database(join(home, "loanmail.db"));
    try {
      // As a copy of the database from before the export: its exported event (the last of chain 1) and the kept
      // head moved back with it, so that the database alone is consistent.
      db.exec("DROP TRIGGER events_no_delete;");
      const last = db
        .prepare("SELECT id, type, prev_hash FROM events WHERE chain = 1 ORDER BY id DESC LIMIT 1")
        .get() as {
        id: number;
        type: string;
        prev_hash: string;
      };
      expect(last.type).toBe("exported");
      db.prepare("DELETE FROM events WHERE id = ?").run(last.id);
      db.prepare("UPDATE chain_heads SET head = ?, events = events - 1 WHERE chain = 1").run(last.prev_hash);
    } finally {
      db.close();
    }
    expect(ok(run(["--home", home, "verify", "--db"])).code).toBe(0);
    const r = ok(run(["--home", home, "verify", bundle, "--db"]));
    expect(r.stdout).toMatch(
      /NOT CHECKED {2}manifest\.json against the database: no exported event of LM-[A-Z0-9]+-1 anchors this bundle's head [0-9a-f]{64}/,
    );
    expect(r.stdout).not.toContain("Everything matches.");
    expect(ok(run(["--home", honest, "verify", bundle, "--db"])).stdout).toMatch(
      /ok +manifest\.json in the database: its SHA-256 [0-9a-f]{64} is the one exported event \d+ recorded for case\.zip/,
    );
  });

  it("verify --db cannot see a consistent rewrite; verify FILE.zip --db can, from the bundle's heads", () => {
    const home = join(tempDir("loanmail-rewritten-"), "home");
    cpSync(honest, home, { recursive: true });
    expect(ok(run(["--home", home, "verify", bundle, "--db"])).stdout).toMatch(
      /ok +chain of LM-[A-Z0-9]+-1 in the database: continues from the bundle's head [0-9a-f]{64}/,
    );
    // The attacker rewrites the acknowledgment's class to "response" in its received event and in its row, and recomputes
    // every hash of the chain from there, and the kept head: the database alone is consistent again.
    const db = new Database(join(home, "loanmail.db"));
    try {
      db.exec("DROP TRIGGER events_no_update;");
      const rows = db.prepare("SELECT * FROM events WHERE chain = 1 ORDER BY id").all() as (Record<string, unknown> & {
        id: number;
        type: string;
        data: string;
        prev_hash: string;
        hash: string;
        message_id: number | null;
      })[];
      const target = rows.find((r) => r.type === "received" && r.message_id === reply1(db));
      if (!target) throw new Error("no received event");
      let prev: string | undefined;
      for (const r of rows) {
        if (r.id < target.id) continue;
        const parsed = JSON.parse(r.data) as Record<string, unknown>;
        // The export's own record of the head it anchored is rewritten too (verify --db checks it).
        const data =
          r.id === target.id
            ? JSON.stringify({ ...parsed, class: "response" })
            : r.type === "exported"
              ? JSON.stringify({
                  ...parsed,
                  chain_head: prev,
                  chain_heads: Object.fromEntries(Object.keys(parsed.chain_heads as object).map((k) => [k, prev])),
                })
              : r.data;
        const { id: _id, hash: _hash, ...rest } = r;
        const row = { ...(rest as Parameters<typeof computeEventHash>[0]), data, prev_hash: prev ?? r.prev_hash };
        const hash = computeEventHash(row);
        db.prepare("UPDATE events SET data = ?, prev_hash = ?, hash = ? WHERE id = ?").run(
          data,
          row.prev_hash,
          hash,
          r.id,
        );
        prev = hash;
      }
      db.prepare("UPDATE chain_heads SET head = ? WHERE chain = 1").run(prev);
      db.prepare("UPDATE messages SET reply_class = 'response' WHERE id = ?").run(reply1(db));
    } finally {
      db.close();
    }
    expect(run(["--home", home, "verify", "--db"]).code).toBe(0);
    const pinned = run(["--home", home, "verify", bundle, "--db"]);
    expect(pinned.code).toBe(5);
    expect(pinned.stdout).toMatch(
      /MISMATCH +chain of LM-[A-Z0-9]+-1 in the database: holds no event with the bundle's head [0-9a-f]{64}: it was rewritten since/,
    );
  });
});
