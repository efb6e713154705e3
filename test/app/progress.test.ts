/**
 * What the long use cases report through the Progress of their options (src/domain/progress.ts), recorded in
 * process: sync a stage per mailbox with messages to fetch, import a stage per mbox by its bytes and one for
 * .eml files named together, export a stage over the bundle's files, verify --db a stage each for the events, the
 * stored messages and files and the facts, verify FILE.zip one over the zip's entries. Each stage starts with its
 * total, counts up to it without going back, and stops. Fake servers, no network, no terminal.
 */
import { mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exportBundle, verifyBundleFile, verifyStoredEvidence } from "../../src/app/evidence.js";
import { importFiles } from "../../src/app/import-files.js";
import { sendLetters } from "../../src/app/send.js";
import type { Session } from "../../src/app/session.js";
import { syncAll } from "../../src/app/sync.js";
import type { Progress } from "../../src/domain/progress.js";
import { parseMail } from "../../src/mail/parse.js";
import type { Db } from "../../src/store/db.js";
import { acceptAll, FakeImap, FakeSmtp, fakeAccountMail } from "./fake-mail.js";
import { composeEmailLetter, openRecord, type TestRecord, USER_EMAIL } from "./record.js";

interface Stage {
  label: string;
  total: number;
  unit: string;
  done: number[];
  notes: string[];
  stopped: boolean;
}

/** A Progress that keeps what it was told, stage by stage. */
class Recorder implements Progress {
  readonly stages: Stage[] = [];
  private open: Stage | undefined;
  start(label: string, total: number, unit: "items" | "bytes" = "items"): void {
    this.open = { label, total, unit, done: [], notes: [], stopped: false };
    this.stages.push(this.open);
  }
  update(done: number, note?: string): void {
    if (!this.open) throw new Error("update outside a stage");
    this.open.done.push(done);
    if (note) this.open.notes.push(note);
  }
  stop(): void {
    if (this.open) this.open.stopped = true;
    this.open = undefined;
  }
}

/** Every stage stopped, counting up without going back, and ending at its total. */
function expectWellFormed(stages: readonly Stage[]): void {
  for (const s of stages) {
    expect(s.stopped, `${s.label} stopped`).toBe(true);
    expect(
      [...s.done].sort((a, b) => a - b),
      `${s.label} counts up`,
    ).toEqual(s.done);
    expect(s.done.at(-1), `${s.label} reaches its total`).toBe(s.total);
  }
}

function reply(n: number, inReplyTo: string): string {
  return [
    "From: Customer Care <care@servicer.test>",
    `To: ${USER_EMAIL}`,
    `Subject: Your question about the loan (${n})`,
    "Date: Tue, 3 Mar 2026 10:00:00 -0600",
    `Message-ID: <reply${n}@servicer.test>`,
    `In-Reply-To: ${inReplyTo}`,
    "",
    "We have received your request and will respond within 30 business days.",
    "",
  ].join("\r\n");
}

function sessionOf(r: TestRecord): Session {
  return {
    get now() {
      return r.clock.now;
    },
    get nowIso() {
      return r.clock.now.toISOString();
    },
    db: () => r.db,
    config: () => r.config,
    prefix: () => r.prefix,
    timeZone: () => r.config.user.timezone,
  };
}

/** A record with one letter sent and `replies` replies to it synced, and the FakeImap it came from. */
async function syncedRecord(replies: number, progress?: Progress) {
  const r = openRecord();
  const imap = new FakeImap();
  const letter = await composeEmailLetter(r);
  const smtp = new FakeSmtp(acceptAll);
  const lockDir = mkdtempSync(join(tmpdir(), "loanmail-progress-"));
  await sendLetters(
    {
      db: r.db,
      prefix: r.prefix,
      config: () => r.config,
      now: () => r.clock.tick(),
      lockDir,
      mail: () => fakeAccountMail(r.account, smtp, imap),
    },
    String(letter.caseId),
    { dryRun: false },
  );
  imap.deliver("INBOX", smtp.deliveries[0]?.raw ?? "");
  for (let n = 1; n <= replies; n++) imap.deliver("INBOX", reply(n, letter.messageId));
  const mail = fakeAccountMail(r.account, smtp, imap);
  await syncAll({ db: r.db, prefix: r.prefix, lockDir, now: () => r.clock.tick(), mail, batchSize: 2, progress });
  return { r, letter };
}

describe("progress", () => {
  it("sync: a stage per mailbox with messages to fetch, counted by group, with the new ones so far", async () => {
    const recorder = new Recorder();
    await syncedRecord(5, recorder);
    // INBOX holds the letter's own copy and 5 replies: 6 candidates, stored 2 at a time (batchSize 2).
    expect(recorder.stages.map((s) => [s.label, s.total, s.done])).toEqual([["home/INBOX", 6, [2, 4, 6]]]);
    expect(recorder.stages[0]?.notes.at(-1)).toBe("5 new");
    expectWellFormed(recorder.stages);
  });

  it("import: an mbox by its bytes with the messages so far; .eml files named together as one stage", async () => {
    const r = openRecord();
    const dir = mkdtempSync(join(tmpdir(), "loanmail-progress-"));
    const mbox = join(dir, "saved.mbox");
    const messages = [1, 2, 3].map((n) => `From care@servicer.test Tue Mar  3 10:00:00 2026\n${reply(n, "<x@y>")}`);
    writeFileSync(mbox, messages.join("\n"));
    const emls = [4, 5].map((n) => {
      const path = join(dir, `reply${n}.eml`);
      writeFileSync(path, reply(n, "<x@y>"));
      return path;
    });
    const recorder = new Recorder();
    const deps = {
      db: r.db,
      prefix: r.prefix,
      now: () => r.clock.tick(),
      config: () => r.config,
      all: true,
      progress: recorder,
    };
    await importFiles(deps, [emls[0] as string, mbox, emls[1] as string]);
    const [first, box, second] = recorder.stages;
    expect(first).toMatchObject({ label: "2 .eml files", total: 2, done: [0, 1] });
    expect(box).toMatchObject({ label: mbox, total: statSync(mbox).size, unit: "bytes" });
    expect(box?.notes).toEqual(["1 message", "2 messages", "3 messages"]);
    // The .eml stage is taken up again after the mbox, where it left off.
    expect(second).toMatchObject({ label: "2 .eml files", total: 2, done: [1, 2] });
    expectWellFormed([box as Stage, second as Stage]);
  });

  it("export, verify --db and verify FILE.zip: their stages, each counted to its end", async () => {
    const { r, letter } = await syncedRecord(3);
    const s = sessionOf(r);
    const out = join(mkdtempSync(join(tmpdir(), "loanmail-progress-")), "case.zip");
    const exporting = new Recorder();
    const exported = await exportBundle(s, { ref: String(letter.caseId), out, redact: false, progress: exporting });
    expect(exporting.stages).toHaveLength(1);
    expect(exporting.stages[0]).toMatchObject({ label: "case.zip" });
    // Every file of the bundle but the manifest's own count is produced through the zip: at least the originals.
    expect(exporting.stages[0]?.total).toBeGreaterThanOrEqual(exported.bundle.files);
    expectWellFormed(exporting.stages);

    const checking = new Recorder();
    const report = await verifyStoredEvidence(s, undefined, checking);
    expect(report.ok).toBe(true);
    expect(checking.stages.map((x) => [x.label, x.total])).toEqual([
      ["events", report.events],
      ["stored messages", report.messages],
      ["stored files", report.blobs],
      ["facts of each message", report.messages],
    ]);
    expectWellFormed(checking.stages.filter((x) => x.total > 0));

    const bundle = new Recorder();
    expect((await verifyBundleFile(out, undefined, bundle)).ok).toBe(true);
    expect(bundle.stages.map((x) => x.label)).toEqual(["case.zip"]);
    expectWellFormed(bundle.stages);
  });
});

/** The database with every execution of the one-message bytes query counted (the statement findMessageRaw runs). */
function countingRawReads(db: Db): { db: Db; reads: () => number } {
  let reads = 0;
  const counted = (stmt: object): object => {
    const proxy: object = new Proxy(stmt, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== "function") return value;
        return (...args: unknown[]) => {
          if (key === "get" || key === "all" || key === "iterate") reads++;
          const out = (value as (...a: unknown[]) => unknown).apply(target, args);
          return out === target ? proxy : out;
        };
      },
    });
    return proxy;
  };
  const wrapped = new Proxy(db, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (key === "prepare")
        return (sql: string) => {
          const stmt = target.prepare(sql);
          return /^SELECT raw FROM messages WHERE id = \?$/.test(sql.trim()) ? counted(stmt) : stmt;
        };
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: wrapped, reads: () => reads };
}

describe("verify --db reads", () => {
  it("each message's bytes once: the hash check and the parse of a mail reply share the read", async () => {
    const { r } = await syncedRecord(3);
    const counting = countingRawReads(r.db);
    const s = { ...sessionOf(r), db: () => counting.db };
    let parsed = 0;
    const report = await verifyStoredEvidence(s, async (raw) => {
      parsed++;
      return parseMail(raw);
    });
    expect(report.ok).toBe(true);
    // The letter sent, its own copy synced back (the same bytes: one row) and 3 replies: 4 messages stored.
    expect(report.messages).toBe(4);
    expect(counting.reads()).toBe(report.messages);
    // The 3 replies and the letter are parsed again against their stored subject, text and Date.
    expect(parsed).toBe(4);
  });
});
