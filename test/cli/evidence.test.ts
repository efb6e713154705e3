/**
 * timeline, export and verify, run as a user would: a case with a posted notice of error (mailed, delivered), an
 * email letter recorded as sent through a portal, two replies imported from .eml files (one hostile: an
 * attachment named ../../x.pdf and a <script> in its HTML and subject), an exhibit, a call, a note, and an
 * escalation (child case). The bundle is unzipped with the system unzip and checked with sha256sum; then bytes
 * are flipped in an .eml, an exhibit and an event, and verify must exit 5 naming each.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  closeSync,
  copyFileSync,
  cpSync,
  createWriteStream,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { ZipFile } from "yazl";
import { readZipDirectory } from "../../src/export/zip-reader.js";
import { appendEvent } from "../../src/store/events.js";
import {
  addMailAccount,
  json,
  parseCsv,
  ROOT,
  receivedByUserServer,
  run,
  setupHome,
  tempDir,
  writePng,
} from "./helpers.js";

const PROOF = join(ROOT, "examples/proof-of-payment.pdf");
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
const day = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
const mailDate = (n: number) => new Date(Date.now() - n * 86_400_000).toUTCString().replace("GMT", "+0000");
const UTF8 = { ...process.env, LANG: "C.UTF-8", LC_ALL: "C.UTF-8" };

interface Manifest {
  schema: number;
  notes: string[];
  redacted: boolean;
  files: { path: string; size: number; sha256: string }[];
  messages: { id: number; path: string | null; sha256: string; direction: string }[];
  omitted: { path: string; sha256: string }[];
  events: { path: string | null; chains: { case: string; head: string; events: number }[] };
  chainHead: string;
}

interface TimelineJson {
  schema: number;
  redacted: boolean;
  cases: {
    tag: string;
    parent: string | null;
    depth: number;
    rows: { type: string; clocks: { role: string }[]; hash: string | null }[];
  }[];
}

function unzip(zip: string, dir: string): void {
  mkdirSync(dir, { recursive: true });
  execFileSync("unzip", ["-o", "-q", zip, "-d", dir], { env: UTF8 });
}

function zipNames(zip: string): string[] {
  return execFileSync("unzip", ["-Z1", zip], { env: UTF8, encoding: "utf8" }).split("\n").filter(Boolean);
}

/** Zip a folder again with the same entry order (what someone who edited a file and re-zipped would do). */
async function rezip(dir: string, names: readonly string[], out: string): Promise<void> {
  const zip = new ZipFile();
  for (const n of names) zip.addFile(join(dir, n), n);
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(out));
}

function flipByte(path: string, at: number): void {
  const b = readFileSync(path);
  const i = Math.min(at, b.length - 1);
  b[i] = (b[i] as number) ^ 0x20;
  writeFileSync(path, b);
}

describe("timeline, export and verify", () => {
  let home: string;
  let L: ReturnType<typeof setupHome>["L"];
  let tag: string;
  let childTag: string;
  let work: string;
  let zip: string;
  let dir: string;
  let manifest: Manifest;
  let names: string[];
  let hostileEml: Buffer;

  beforeAll(async () => {
    ({ home, L } = setupHome());
    work = tempDir("loanmail-evidence-");
    const must = (r: ReturnType<typeof L>, what: string) => {
      if (r.code !== 0) throw new Error(`${what} failed (${r.code}): ${r.stderr}`);
      return r;
    };
    const composed = json<{ case: { tag: string } }>(
      must(
        L(
          "--json",
          "compose",
          "notice-of-error",
          "--loan",
          "1",
          // Written the day before it was mailed, and recorded now.
          "--dated",
          day(41),
          "--set",
          "error=the March payment sits in suspense",
          "--summary",
          "I paid 1500 on time and it was not applied.",
          "--attach",
          `${PROOF}=Proof of payment`,
        ),
        "compose",
      ),
    );
    tag = composed.case.tag;
    // Printed by loanmail today, after the day it is recorded as mailed: not the copy mailed (see the layout test).
    must(L("show", "1", "--pdf", join(tempDir(), "notice.pdf")), "show --pdf");
    must(L("mailed", "1", "--tracking", "9407111899223344556677", "--date", day(40), "--delivered", day(36)), "mailed");
    must(
      L(
        "compose",
        "information-request",
        "--case",
        "1",
        "--dated",
        day(36),
        "--set",
        "information=the 2025 escrow disbursement ledger",
        "--summary",
        "Escrow went up.",
        "--no-formal",
      ),
      "compose 2",
    );
    const confirmation = writePng(join(work, "portal confirmation.png"));
    must(L("sent", "1", "--via", "portal", "--date", day(35), "--file", confirmation), "sent");

    // The replies arrived when the user's own server's Received fields say (their Date headers decide nothing).
    addMailAccount(L);
    const ack = join(work, "ack.eml");
    writeFileSync(
      ack,
      [
        receivedByUserServer(mailDate(33)),
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        `Subject: Re: Notice of Error [${tag}]`,
        `Date: ${mailDate(33)}`,
        "Message-ID: <ack-1@servicer.test>",
        "",
        "We have received your request and will respond within 30 business days.",
        "",
      ].join("\r\n"),
    );
    const pdf = readFileSync(PROOF).toString("base64").replace(/.{76}/g, "$&\r\n");
    const hostile = join(work, "hostile.eml");
    writeFileSync(
      hostile,
      [
        receivedByUserServer(mailDate(31)),
        "From: Customer Care <care@servicer.test>",
        "To: jane@example.test",
        `Subject: Re: Account Number 1234567 [${tag}] <script>alert(1)</script>`,
        `Date: ${mailDate(31)}`,
        "Message-ID: <hostile-1@servicer.test>",
        "MIME-Version: 1.0",
        'Content-Type: multipart/mixed; boundary="b1"',
        "",
        "--b1",
        "Content-Type: text/html; charset=utf-8",
        "",
        '<p>We reviewed account 1234567.</p><script>alert(1)</script><img src="http://tracker.test/p.gif">',
        "--b1",
        'Content-Type: application/pdf; name="../../x.pdf"',
        'Content-Disposition: attachment; filename="../../x.pdf"',
        "Content-Transfer-Encoding: base64",
        "",
        pdf,
        "--b1--",
        "",
      ].join("\r\n"),
    );
    hostileEml = readFileSync(hostile);
    must(L("import", ack, hostile), "import");
    must(
      L(
        "call",
        "1",
        "--with",
        "Agent Smith, ID 4411",
        "--summary",
        "Promised a callback",
        "--date",
        `${day(30)}T10:30`,
      ),
      "call",
    );
    must(L("note", "1", "Agent read back account 1234567 and asked for SSN 123-45-6789"), "note");

    // An escalation: a child case of case 1 (added directly, with no composed event: escalate has its own tests;
    // verify --db names it below).
    const db = new Database(join(home, "loanmail.db"));
    try {
      const prefix = db.prepare("SELECT value FROM meta WHERE key = 'tag_prefix'").pluck().get() as string;
      childTag = `LM-${prefix}-2`;
      const now = new Date().toISOString();
      db.prepare(
        `INSERT INTO cases (id, loan_id, kind, formal, channel, tag, status, parent_id, opened_at)
         VALUES (2, 1, 'follow-up', 0, 'email', ?, 'open', 1, ?)`,
      ).run(childTag, now);
      db.transaction(() =>
        appendEvent(db, {
          caseId: 2,
          loanId: 1,
          at: now,
          type: "note",
          actor: "user",
          data: { text: "Escalated: no response to the notice of error" },
        }),
      )();
    } finally {
      db.close();
    }

    zip = join(work, "evidence.zip");
    must(L("export", "1", "--out", zip), "export");
    dir = join(work, "unzipped");
    unzip(zip, dir);
    manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Manifest;
    names = zipNames(zip);
  });

  it("writes an owner-only zip that the system unzip opens and sha256sum agrees with", () => {
    expect(statSync(zip).mode & 0o777).toBe(0o600);
    expect(manifest.schema).toBe(1);
    expect(manifest.files.length).toBeGreaterThan(8);
    for (const f of manifest.files) {
      const out = execFileSync("sha256sum", ["--", f.path], { cwd: dir, env: UTF8, encoding: "utf8" });
      expect(out.split(" ")[0], f.path).toBe(f.sha256);
      expect(statSync(join(dir, f.path)).size, f.path).toBe(f.size);
    }
    // Every file is in the manifest, except the manifest and the certificate (text and PDF) that name its hash;
    // certificate.txt names the PDF's hash in turn.
    expect([...names].sort()).toEqual(
      [...manifest.files.map((f) => f.path), "certificate.pdf", "certificate.txt", "manifest.json"].sort(),
    );
    const certificate = readFileSync(join(dir, "certificate.txt"), "utf8");
    expect(certificate).toContain(`manifest.json SHA-256: ${sha256(readFileSync(join(dir, "manifest.json")))}`);
    expect(certificate).toContain(`certificate.pdf SHA-256: ${sha256(readFileSync(join(dir, "certificate.pdf")))}`);
    expect(certificate).toMatch(/Federal Rule of Evidence 902\(14\); declaration under 28 U\.S\.C\. 1746/);
    expect(certificate).toMatch(/I declare under penalty of perjury that the foregoing is true and correct\./);
  });

  it("holds the DESIGN §8 layout: originals, exhibits, letters, events, timeline, index", () => {
    const eml = names.filter((n) => n.startsWith("messages/"));
    expect(eml).toHaveLength(4);
    for (const n of eml) expect(n).toMatch(/^messages\/\d{3}-\d{4}-\d{2}-\d{2}-(in|out)\.eml$/);
    expect(names).toContain("exhibits/Exhibit A \u2013 Proof of payment.pdf");
    expect(names.some((n) => /^exhibits\/confirmations\/\d{3}-portal confirmation\.png$/.test(n))).toBe(true);
    // The notice was printed today, after the day it was mailed (40 days ago), so that PDF is not the paper mailed;
    // the letter uploaded to the portal was never printed by loanmail. The bundle holds neither as a printed copy
    // and says so instead of making a PDF of either (an emailed letter would be its .eml).
    expect(names.filter((n) => n.startsWith("letters/") && n.endsWith(".pdf"))).toHaveLength(0);
    expect(manifest.notes.join("\n")).toMatch(/mailed with no copy printed by loanmail by that day/);
    expect(manifest.notes.join("\n")).toMatch(/sent by portal with no copy printed by loanmail by that day/);
    for (const n of [
      "declaration.pdf",
      "declaration.txt",
      "events.jsonl",
      "timeline.csv",
      "timeline.json",
      "exhibit-list.pdf",
      "index.html",
      "manifest.json",
      "certificate.pdf",
      "certificate.txt",
    ])
      expect(names).toContain(n);
    expect(manifest.events.chains.map((c) => c.case)).toEqual([tag, childTag]);
    const lines = readFileSync(join(dir, "events.jsonl"), "utf8").trim().split("\n");
    expect(lines.length).toBe(manifest.events.chains.reduce((n, c) => n + c.events, 0));
    // No printed copy of the notice is held (printed after its mailing day): its text is its .eml.
    const notice = readFileSync(join(dir, names.find((n) => /^messages\/001-.*-out\.eml$/.test(n)) as string), "utf8");
    expect(notice).toContain("the March payment sits in suspense");
  });

  it("keeps the originals byte-exact and every name from mail safe", () => {
    const hostileEntry = manifest.messages.find((m) => m.sha256 === sha256(hostileEml));
    expect(hostileEntry?.path).toBeTruthy();
    expect(readFileSync(join(dir, hostileEntry?.path as string)).equals(hostileEml)).toBe(true);
    for (const n of names) {
      for (const part of n.split("/")) {
        expect(part, n).not.toContain("..");
        expect(part, n).not.toMatch(/^[.\s]|[.\s]$/);
        // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for control characters
        expect(part, n).not.toMatch(/[\u0000-\u001f\u007f\\:*?"<>|\u202a-\u202e]/);
      }
    }
    expect(names.some((n) => /^exhibits\/received\/\d{3}-[^/]*x\.pdf$/.test(n))).toBe(true);
    expect(existsSync(join(work, "x.pdf"))).toBe(false);
    expect(readdirSync(work).sort()).toEqual([
      "ack.eml",
      "evidence.zip",
      "hostile.eml",
      "portal confirmation.png",
      "unzipped",
    ]);
    const html = readFileSync(join(dir, "index.html"), "utf8");
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//i);
    expect(html).toContain("Content-Security-Policy");
    // The exhibit index names each exhibit once, as the letter's enclosures do.
    expect(html).toContain(">Exhibit A<");
    expect(html).not.toContain("Exhibit Exhibit");
  });

  it("verify checks every file, original and event and says so", () => {
    const r = run(["verify", zip]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    for (const f of manifest.files) expect(r.stdout).toContain(f.path);
    expect(r.stdout).toMatch(/matches the manifest and the hash stored for message \d+ \(event \d+\)/);
    expect(r.stdout).toMatch(new RegExp(`chain of ${tag}: \\d+ events linked`));
    expect(r.stdout).toMatch(/Everything matches\./);
    const doc = json<{ ok: boolean; counts: { messages: number; chains: number; events: number } }>(
      run(["--json", "verify", zip]),
    );
    expect(doc).toMatchObject({ ok: true, counts: { messages: 4, chains: 2 } });
  });

  it.each([
    ["an .eml original", (m: Manifest) => m.messages.find((x) => x.direction === "in")?.path as string, 120],
    ["an exhibit", () => "exhibits/Exhibit A \u2013 Proof of payment.pdf", 300],
  ])("exits 5 naming %s whose byte was flipped", async (_what, pick, at) => {
    const copy = join(tempDir(), "tampered");
    cpSync(dir, copy, { recursive: true });
    const victim = pick(manifest);
    flipByte(join(copy, victim), at);
    const out = join(tempDir(), "tampered.zip");
    await rezip(copy, names, out);
    const r = run(["verify", out]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(victim);
    expect(r.stdout).toMatch(/MISMATCH/);
  });

  it("exits 5 naming the event whose line in events.jsonl was changed", async () => {
    const copy = join(tempDir(), "tampered");
    cpSync(dir, copy, { recursive: true });
    const path = join(copy, "events.jsonl");
    const lines = readFileSync(path, "utf8").split("\n");
    const i = lines.findIndex((l) => l.includes('"type":"call"'));
    expect(i).toBeGreaterThanOrEqual(0);
    const id = (JSON.parse(lines[i] as string) as { id: number }).id;
    lines[i] = (lines[i] as string).replace("Promised", "Premised");
    writeFileSync(path, lines.join("\n"));
    const out = join(tempDir(), "tampered.zip");
    await rezip(copy, names, out);
    const r = run(["verify", out]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`event ${id} (events.jsonl line ${i + 1}, case ${tag})`);
  });

  it("exits 5 naming the entry when a byte of the zip itself is damaged", async () => {
    const copy = join(tempDir(), "damaged.zip");
    copyFileSync(zip, copy);
    const fd = openSync(copy, "r");
    const { entries } = await readZipDirectory({ fd, size: fstatSync(fd).size }).finally(() => closeSync(fd));
    const e = entries.find((x) => x.name.startsWith("exhibits/Exhibit A")) ?? entries[0];
    if (!e) throw new Error("no entries");
    const head = readFileSync(copy).subarray(e.localHeaderOffset, e.localHeaderOffset + 30);
    const start = e.localHeaderOffset + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
    flipByte(copy, start + Math.floor(e.compressedSize / 2));
    const r = run(["verify", copy]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(e.name);
  });

  it("records each export as an event naming the manifest's hash and the chain head it anchors", () => {
    const events = json<{ events: { type: string; data: Record<string, unknown> }[] }>(L("--json", "show", "1")).events;
    const exported = events.filter((e) => e.type === "exported");
    expect(exported.length).toBeGreaterThanOrEqual(1);
    expect(exported[0]?.data).toMatchObject({
      file: "evidence.zip",
      manifest_sha256: sha256(readFileSync(join(dir, "manifest.json"))),
      chain_head: manifest.chainHead,
      redacted: false,
    });
    // The head the manifest records is the event just before the export event.
    const lines = readFileSync(join(dir, "events.jsonl"), "utf8").trim().split("\n");
    const last = lines
      .map((l) => JSON.parse(l) as { chain: number; hash: string })
      .filter((e) => e.chain === 1)
      .at(-1);
    expect(last?.hash).toBe(manifest.chainHead);
  });

  it("--redact masks numbers, leaves out the originals and the event log, and says so", () => {
    const red = join(work, "redacted.zip");
    const r = L("--json", "export", "1", "--out", red, "--redact");
    expect(r.code).toBe(0);
    expect(json<{ redacted: boolean; omitted: number }>(r)).toMatchObject({ redacted: true });
    const rdir = join(tempDir(), "red");
    unzip(red, rdir);
    const rnames = zipNames(red);
    expect(rnames.some((n) => n.endsWith(".eml"))).toBe(false);
    expect(rnames.some((n) => n.startsWith("exhibits/"))).toBe(false);
    expect(rnames).not.toContain("events.jsonl");
    const m = JSON.parse(readFileSync(join(rdir, "manifest.json"), "utf8")) as Manifest;
    expect(m.redacted).toBe(true);
    expect(m.events.path).toBeNull();
    expect(m.omitted.filter((o) => o.path.startsWith("messages/"))).toHaveLength(4);
    for (const file of ["index.html", "timeline.csv", "timeline.json", "manifest.json", "certificate.txt"]) {
      const text = readFileSync(join(rdir, file), "utf8");
      expect(text, file).not.toContain("1234567");
      expect(text, file).not.toContain("123-45-6789");
    }
    const html = readFileSync(join(rdir, "index.html"), "utf8");
    expect(html).toContain("***4567");
    expect(html).toContain("***-**-6789");
    expect(html).toMatch(/left out/);
    expect(readFileSync(join(rdir, "timeline.csv"), "utf8")).toContain("***4567");
    const letter = execFileSync(
      "pdftotext",
      [join(rdir, rnames.find((n) => n.startsWith("letters/")) as string), "-"],
      {
        encoding: "utf8",
      },
    );
    expect(letter).not.toContain("1234567");
    expect(letter).toContain("REDACTED COPY");
    const v = run(["verify", red]);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/left out of this redacted bundle/);
  });

  it("timeline: text, JSON, CSV and HTML, with the escalation under its parent", () => {
    const text = L("timeline", "1");
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`== ${tag}`);
    expect(text.stdout).toContain(`  == ${childTag} (escalated from ${tag})`);
    expect(text.stdout).toMatch(/clock started: Notice of error: acknowledgment/);
    expect(text.stdout).toMatch(/\(UTC-0[56]:00\)/);

    const doc = JSON.parse(L("timeline", "1", "--format", "json").stdout) as TimelineJson;
    expect(doc.schema).toBe(1);
    expect(doc.cases.map((c) => [c.tag, c.parent, c.depth])).toEqual([
      [tag, null, 0],
      [childTag, tag, 1],
    ]);
    const types = doc.cases[0]?.rows.map((r) => r.type) ?? [];
    for (const t of ["composed", "mailed", "delivered", "sent", "received", "call", "note", "exported"])
      expect(types).toContain(t);
    expect(doc.cases[0]?.rows.some((r) => r.clocks.some((c) => c.role === "started"))).toBe(true);
    expect(doc.cases[0]?.rows.some((r) => r.clocks.some((c) => c.role === "met"))).toBe(true);
    expect({ ...(JSON.parse(L("--json", "timeline", "1").stdout) as TimelineJson), generatedAt: "" }).toEqual({
      ...doc,
      generatedAt: "",
    });

    const csv = L("timeline", "1", "--format", "csv").stdout;
    expect(csv.startsWith("\ufeffcase,parent case,day (local),when (local),recorded (local),")).toBe(true);
    const records = parseCsv(csv.slice(1));
    expect(records.length - 1).toBe(doc.cases.reduce((n, c) => n + c.rows.length, 0));
    expect(records.every((r) => r.length === records[0]?.length)).toBe(true);
    expect(records.find((r) => r[5] === "call")?.[11]).toBe("call with Agent Smith, ID 4411: Promised a callback");

    const html = L("timeline", "1", "--format", "html").stdout;
    expect(html).toContain('<svg id="timeline-chart"');
    expect(html).not.toMatch(/<script/i);

    const all = JSON.parse(L("timeline", "--all", "--format", "json").stdout) as TimelineJson;
    expect(all.cases.map((c) => c.tag)).toEqual([tag, childTag]);

    const redacted = L("timeline", "1", "--format", "csv", "--redact").stdout;
    expect(redacted).not.toContain("1234567");
    expect(redacted).toContain("***4567");

    const out = join(tempDir(), "timeline.csv");
    const wrote = L("--json", "timeline", "1", "--format", "csv", "--out", out);
    expect(wrote.code).toBe(0);
    expect(json(wrote)).toMatchObject({ out, format: "csv", cases: 2 });
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readFileSync(out, "utf8")).toBe(csv);
  });

  it("refuses what it cannot do, naming the fix", () => {
    expect(L("timeline").code).toBe(1);
    // A CASE and --all ask for two things: a usage error (exit 2), like every pair of conflicting options.
    expect(L("timeline", "1", "--all").code).toBe(2);
    expect(L("timeline", "1", "--format", "pdf").code).toBe(2);
    const noOut = L("export", "1");
    expect(noOut.code).toBe(1);
    expect(noOut.stderr).toMatch(/--out FILE\.zip is required/);
    const toDir = L("export", "1", "--out", work);
    expect(toDir.code).toBe(1);
    expect(toDir.stderr).toMatch(/--out .* is a folder/);
    expect(L("verify").code).toBe(1);
    const notZip = join(work, "ack.eml");
    const r = run(["verify", notZip]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/not a readable zip/);
    expect(run(["verify", join(work, "missing.zip")]).code).toBe(1);
  });

  it("verify --db walks the chains, and exits 5 naming an event changed behind its back", () => {
    // The fixture's child case was put straight into the database (beforeAll), as an attacker would add a row:
    // the chains hold, and the case is named as made outside loanmail.
    const added = L("verify", "--db");
    expect(added.code).toBe(5);
    expect(added.stdout).toMatch(
      /MISMATCH at case 2: no composed event opened it: it was added outside loanmail \(after \d+ events checked\)/,
    );

    const copy = join(tempDir(), "home");
    mkdirSync(copy, { mode: 0o700 });
    copyFileSync(join(home, "loanmail.db"), join(copy, "loanmail.db"));
    copyFileSync(join(home, "config.toml"), join(copy, "config.toml"));
    const db = new Database(join(copy, "loanmail.db"));
    let id: number;
    try {
      db.exec("DROP TRIGGER events_no_update");
      id = db.prepare("SELECT id FROM events WHERE type = 'note' ORDER BY id LIMIT 1").pluck().get() as number;
      db.prepare("UPDATE events SET data = ? WHERE id = ?").run('{"text":"nothing was said"}', id);
    } finally {
      db.close();
    }
    const bad = run(["--home", copy, "verify", "--db"]);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain(`event ${id} (${tag})`);
  });

  it("refuses to export a message whose stored bytes no longer match their hash, leaving no file", () => {
    const copy = join(tempDir(), "home");
    mkdirSync(copy, { mode: 0o700 });
    copyFileSync(join(home, "loanmail.db"), join(copy, "loanmail.db"));
    copyFileSync(join(home, "config.toml"), join(copy, "config.toml"));
    const db = new Database(join(copy, "loanmail.db"));
    let id: number;
    try {
      id = db.prepare("SELECT id FROM messages WHERE direction = 'in' ORDER BY id LIMIT 1").pluck().get() as number;
      db.prepare("UPDATE messages SET raw = CAST(? AS BLOB) WHERE id = ?").run("altered", id);
    } finally {
      db.close();
    }
    const out = join(tempDir(), "bundle.zip");
    const r = run(["--home", copy, "export", "1", "--out", out]);
    expect(r.code).toBe(5);
    expect(r.stderr).toContain(`message ${id}'s stored bytes do not match`);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(join(out, ".."))).toEqual([]);
    const v = run(["--home", copy, "verify", "--db"]);
    expect(v.code).toBe(5);
    expect(v.stderr).toContain(`message ${id} does not match`);
  });
});
