/**
 * `import` of what users have (issue 11): .eml files, mbox files (Gmail Takeout's included, `>From ` quoting and
 * all) and Maildir folders, each message through the one ingest path, byte for byte; a file that is neither is
 * refused with nothing written; each file lands whole or not at all, and the report says per file what came in;
 * a message over limits.message_mb is refused by its place and Subject; a kill -9 mid-file leaves the record as
 * it was, and the rerun takes every message once.
 */
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { BIN, json, type RunResult, rowCounts, setupHome, tempDir } from "./helpers.js";

const latin1 = (text: string) => Buffer.from(text, "latin1");

/** An mbox as Gmail Takeout writes it: a From line per message, `>` added to `>*From ` lines, an empty line after. */
function takeout(messages: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  messages.forEach((m, i) => {
    const id = `17${String(i + 1).padStart(17, "0")}`;
    parts.push(latin1(`From ${id}@xxx Tue Sep 08 15:00:00 +0000 2026\n`));
    parts.push(latin1(m.toString("latin1").replace(/^(>*From )/gm, ">$1")));
    parts.push(latin1("\n"));
  });
  return Buffer.concat(parts);
}

/** A reply from the servicer's domain, LF line ends, with Gmail's headers. */
function reply(n: number, body = "We received your request and will respond within 30 business days.\n"): Buffer {
  return latin1(
    [
      `X-GM-THRID: 1790000000000000${String(n).padStart(3, "0")}`,
      "X-Gmail-Labels: Inbox,Mortgage",
      "From: Mr. Cooper <help@servicer.test>",
      "To: jane@example.test",
      `Subject: Your request ${n}`,
      "Date: Tue, 08 Sep 2026 10:00:00 -0500",
      `Message-ID: <reply-${n}@servicer.test>`,
      "",
      body,
    ].join("\n"),
  );
}

/** The bytes of every incoming message stored, in order. */
function storedIncoming(home: string): Buffer[] {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT raw FROM messages WHERE direction = 'in' ORDER BY id").pluck().all() as Buffer[];
  } finally {
    db.close();
  }
}

function setLimit(home: string, mb: string): void {
  const path = join(home, "config.toml");
  const text = readFileSync(path, "utf8");
  expect(text, "init writes limits.message_mb").toMatch(/^message_mb = /m);
  writeFileSync(path, text.replace(/^message_mb = .*$/m, `message_mb = ${mb}`));
}

interface FileDoc {
  file: string;
  format: string;
  status: string;
  messages: number;
  new: number;
  alreadyHeld: number;
  skipped: number;
  filed: number;
  unfiled: number;
  error: { code: string; message: string } | null;
}
interface ImportDoc {
  files: FileDoc[];
  imported: { file: string; index: number; message: number; new: boolean; case: number | null; class: string }[];
}

function ok(r: RunResult): RunResult {
  expect(r.code, r.stderr).toBe(0);
  return r;
}

describe("import: mbox files", () => {
  it("a Gmail Takeout mbox stores each message on its own, byte for byte, `>From ` lines un-quoted", () => {
    const { home, L } = setupHome();
    const tag = json<{ case: { tag: string } }>(
      ok(
        L(
          "--json",
          "compose",
          "assumption",
          "--loan",
          "1",
          "--summary",
          "A buyer asked whether the loan can be assumed.",
        ),
      ),
    ).case.tag;
    const messages = [
      // 8-bit bytes (not UTF-8) and body lines that begin with From, >From and >>From.
      latin1(
        `${reply(1).toString("latin1")}caf\xe9 cr\xe8me \xff\nFrom the servicer's records: nothing is due.\n>From a quoted reply\n>>From twice quoted\n`,
      ),
      // Threads to the case by its tag.
      latin1(reply(2).toString("latin1").replace("Subject: Your request 2", `Subject: Re: ${tag} received`)),
      // CRLF line ends, as Thunderbird keeps them.
      latin1(reply(3).toString("latin1").replaceAll("\n", "\r\n")),
      // A friend's mail, not about the loan: counted, not kept.
      latin1(
        "From: Pat <pat@friends.test>\nTo: jane@example.test\nSubject: dinner\nMessage-ID: <d@friends.test>\n\nFrom seven on?\n",
      ),
    ];
    const dir = tempDir();
    const mbox = join(dir, "All mail Including Spam and Trash.mbox");
    writeFileSync(mbox, takeout(messages));
    const before = rowCounts(home).messages ?? 0;

    const doc = json<ImportDoc>(ok(L("--json", "import", mbox)));
    expect(doc.files).toEqual([
      expect.objectContaining({
        format: "mbox",
        status: "imported",
        messages: 4,
        new: 3,
        alreadyHeld: 0,
        skipped: 1,
        filed: 1,
        unfiled: 2,
        error: null,
      }),
    ]);
    expect(doc.imported.map((m) => [m.index, m.case])).toEqual([
      [1, null],
      [2, 1],
      [3, null],
    ]);
    expect(rowCounts(home).messages).toBe(before + 3);
    const stored = storedIncoming(home);
    expect(stored).toHaveLength(3);
    for (const [i, raw] of stored.entries()) {
      expect(raw.equals(messages[i] as Buffer), `message ${i + 1} byte for byte`).toBe(true);
    }
    expect(stored[0]?.toString("latin1")).toContain("\nFrom the servicer's records");
    expect(stored[0]?.toString("latin1")).toContain("\n>From a quoted reply\n>>From twice quoted\n");

    // Again: every message recognised, nothing doubled; the text report says so per file.
    const text = ok(L("import", mbox)).stdout;
    expect(text).toContain(`${mbox} (mbox): 4 messages: 0 new, 3 already held, 1 not about your loans (skipped)`);
    expect(text).toMatch(/message 2: message \d+ \(already held\), case 1, /);
    expect(rowCounts(home).messages).toBe(before + 3);

    // --all keeps the friend's mail too (unfiled).
    const all = json<ImportDoc>(ok(L("--json", "import", "--all", mbox)));
    expect(all.files[0]).toMatchObject({ messages: 4, new: 1, alreadyHeld: 3, skipped: 0 });
    expect(storedIncoming(home)[3]?.equals(messages[3] as Buffer)).toBe(true);
  });

  it("counts every message of a 5,000-message mbox", { timeout: 180_000 }, () => {
    const { home, L } = setupHome();
    const n = 5000;
    const mbox = join(tempDir(), "takeout.mbox");
    writeFileSync(mbox, takeout(Array.from({ length: n }, (_, i) => reply(i + 1, `Statement ${i + 1}.\n`))));
    const doc = json<ImportDoc>(ok(L("--json", "import", mbox)));
    expect(doc.files[0]).toMatchObject({ messages: n, new: n, alreadyHeld: 0, skipped: 0, unfiled: n });
    expect(doc.imported).toHaveLength(n);
    expect(new Set(doc.imported.map((m) => m.message)).size).toBe(n);
    expect(storedIncoming(home)).toHaveLength(n);
  });
});

describe("import: Maildir folders and .eml files", () => {
  it("takes the messages of a Maildir's cur/ and new/ (not tmp/), each as its file holds it", () => {
    const { home, L } = setupHome();
    const maildir = join(tempDir(), "Mortgage");
    for (const d of ["cur", "new", "tmp"]) mkdirSync(join(maildir, d), { recursive: true });
    const a = latin1(reply(1).toString("latin1").replaceAll("\n", "\r\n"));
    const b = reply(2);
    writeFileSync(join(maildir, "cur", "1788000001.M1P1.host:2,S"), a);
    writeFileSync(join(maildir, "new", "1788000002.M2P1.host"), b);
    writeFileSync(join(maildir, "tmp", "1788000003.M3P1.host"), reply(3));
    const doc = json<ImportDoc>(ok(L("--json", "import", maildir)));
    expect(doc.files).toEqual([
      expect.objectContaining({ format: "maildir", status: "imported", messages: 2, new: 2 }),
    ]);
    const stored = storedIncoming(home);
    expect(stored).toHaveLength(2);
    expect(stored[0]?.equals(a)).toBe(true);
    expect(stored[1]?.equals(b)).toBe(true);
  });

  it("an .eml file is still one message, kept even when nothing threads it", () => {
    const { home, L } = setupHome();
    const eml = join(tempDir(), "hello.eml");
    const bytes = latin1("From: Pat <pat@friends.test>\r\nSubject: hi\r\n\r\nFrom me, hello.\r\n");
    writeFileSync(eml, bytes);
    const r = ok(L("import", eml));
    expect(r.stdout).toMatch(/hello\.eml: message \d+, unfiled, /);
    expect(storedIncoming(home)).toEqual([bytes]);
  });
});

describe("import: what is refused", () => {
  it("a file or folder that is neither an .eml, an mbox nor a Maildir, before anything is written", () => {
    const { home, L } = setupHome();
    const dir = tempDir();
    const good = join(dir, "good.mbox");
    writeFileSync(good, takeout([reply(1)]));
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "From the desk of Jane\nremember to call the servicer\n");
    const folder = join(dir, "scans");
    mkdirSync(folder);
    const before = rowCounts(home);
    for (const [bad, said] of [
      [notes, /notes\.txt does not look like an email message, an mbox file or a Maildir folder/],
      [folder, /scans is a folder but not a Maildir \(it has no cur\/ or new\/ folder\)/],
    ] as const) {
      const r = L("import", good, bad);
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(said);
      expect(JSON.parse(L("--json", "import", good, bad).stderr).error.code).toBe("NOT_AN_EMAIL");
    }
    expect(rowCounts(home)).toEqual(before);
  });

  it("a message over limits.message_mb, by its place and Subject; nothing of its file is stored", () => {
    const { home, L } = setupHome();
    setLimit(home, "0.01"); // 10,485.76 bytes
    const mbox = join(tempDir(), "big.mbox");
    const big = reply(2, `${"x".repeat(70)}\n`.repeat(200)); // about 14 KB
    writeFileSync(mbox, takeout([reply(1), big, reply(3)]));
    const before = rowCounts(home);
    const r = L("import", mbox);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${mbox}: message 2 (Subject "Your request 2", Message-ID <reply-2@servicer.test>) over the 0.01 MB limit for one message`,
    );
    expect(r.stderr).toMatch(/limits\.message_mb/);
    expect(JSON.parse(L("--json", "import", mbox).stderr).error.code).toBe("MESSAGE_TOO_LARGE");
    expect(rowCounts(home)).toEqual(before);

    // An .eml over the limit is refused unread, with its size.
    const eml = join(tempDir(), "big.eml");
    writeFileSync(eml, big);
    const e = L("import", eml);
    expect(e.code).toBe(1);
    expect(e.stderr).toMatch(
      /big\.eml: the message \(Subject "Your request 2", .*\) is 14 KB: over the 0\.01 MB limit/,
    );
    expect(rowCounts(home)).toEqual(before);
  });

  it("each file whole or not at all: the second file refused, the first file's messages kept, the third's too", () => {
    const { home, L } = setupHome();
    setLimit(home, "0.01");
    const dir = tempDir();
    const first = join(dir, "first.mbox");
    writeFileSync(first, takeout([reply(1), reply(2)]));
    const second = join(dir, "second.mbox");
    writeFileSync(second, takeout([reply(3), reply(4), reply(5, `${"y".repeat(70)}\n`.repeat(200))]));
    const third = join(dir, "third.eml");
    writeFileSync(third, reply(6));

    const r = L("--json", "import", first, second, third);
    expect(r.code).toBe(1);
    const doc = json<ImportDoc>(r);
    expect(doc.files.map((f) => [f.status, f.messages, f.new])).toEqual([
      ["imported", 2, 2],
      ["refused", 0, 0],
      ["imported", 1, 1],
    ]);
    expect(doc.files[1]?.error).toMatchObject({
      code: "MESSAGE_TOO_LARGE",
      message: expect.stringMatching(/message 3 /),
    });
    expect(doc.imported.map((m) => m.file)).toEqual([first, first, third]);
    expect(JSON.parse(r.stderr).error).toMatchObject({
      code: "MESSAGE_TOO_LARGE",
      message: expect.stringContaining(`1 of 3 files refused, nothing from it imported: ${second}`),
    });
    const subjects = storedIncoming(home).map((b) => /Subject: (.*)/.exec(b.toString())?.[1]);
    expect(subjects).toEqual(["Your request 1", "Your request 2", "Your request 6"]);

    // With the limit raised, the same command takes the rest, each message once.
    setLimit(home, "50");
    const again = json<ImportDoc>(ok(L("--json", "import", first, second, third)));
    expect(again.files.map((f) => [f.messages, f.new, f.alreadyHeld])).toEqual([
      [2, 0, 2],
      [3, 3, 0],
      [1, 0, 1],
    ]);
    expect(storedIncoming(home)).toHaveLength(6);
  });
});

describe("import: a crash mid-file", () => {
  it("kill -9 while an mbox is imported leaves the record as it was; the rerun takes every message once", {
    timeout: 240_000,
  }, async () => {
    const { home, L } = setupHome();
    const n = 2000;
    const mbox = join(tempDir(), "takeout.mbox");
    writeFileSync(mbox, takeout(Array.from({ length: n }, (_, i) => reply(i + 1, `${"z".repeat(70)}\n`.repeat(40)))));
    const before = rowCounts(home);

    const child = spawn(process.execPath, [BIN, "--home", home, "import", mbox], { stdio: "ignore" });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Mid-file: the transaction has spilled pages to the write-ahead log, which grows only while it writes.
    const wal = join(home, "loanmail.db-wal");
    const deadline = Date.now() + 120_000;
    while ((statSync(wal, { throwIfNoEntry: false })?.size ?? 0) < 4 * 1024 * 1024) {
      expect(child.exitCode, "the import ended before it could be killed").toBeNull();
      expect(Date.now()).toBeLessThan(deadline);
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill("SIGKILL");
    expect(await exited).toBeNull();

    expect(rowCounts(home)).toEqual(before);
    const doc = json<ImportDoc>(ok(L("--json", "import", mbox)));
    expect(doc.files[0]).toMatchObject({ status: "imported", messages: n, new: n, alreadyHeld: 0 });
    expect(storedIncoming(home)).toHaveLength(n);
    expect(ok(L("verify", "--db")).stdout).not.toMatch(/mismatch/i);
  });
});
