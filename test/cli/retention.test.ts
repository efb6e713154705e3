/**
 * A client's whole file and its retention, run as a counselor would: two households at the same servicer, one
 * exported whole (`export --client`), closed, refused a purge before three years after the close (24 C.F.R.
 * 214.315), then purged (`--as-of` past the three years): nothing of it is left in the database file or its WAL,
 * the other household is untouched, and verify --db accepts the agency log's purge entry.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { must, NGUYEN, setupCaseload } from "./caseload.js";
import { json, type RunResult, rowCounts, run } from "./helpers.js";

/** Every entry of a zip, as text (unzip -p), to look for what must not be there. */
function zipText(zip: string): string {
  return spawnSync("unzip", ["-p", zip], { encoding: "latin1", maxBuffer: 64 * 1024 * 1024 }).stdout;
}

function zipNames(zip: string): string[] {
  return spawnSync("unzip", ["-Z1", zip], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
}

function query<T>(home: string, sql: string, ...args: unknown[]): T[] {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...args) as T[];
  } finally {
    db.close();
  }
}

describe("a client's whole file, closing and purging it", () => {
  let home: string;
  let work: string;
  let L: (...args: string[]) => RunResult;
  let fileZip: string;

  beforeAll(() => {
    ({ home, work, L } = setupCaseload());
    fileZip = join(work, "nguyen-file.zip");
  });

  it("exports a client's whole file: every case, its own chain, authorization, intake and plan, and nothing of another client", () => {
    const r = json<{ cases: string[]; chains: { chain: number; case: string }[]; event: { id: number } }>(
      must(L("--json", "export", "--client", NGUYEN, "--out", fileZip), "export --client"),
    );
    expect(r.cases).toHaveLength(1);
    expect(r.chains.map((c) => c.case)).toEqual([`client ${NGUYEN}`, r.cases[0]]);
    const names = zipNames(fileZip);
    for (const n of ["client/intake.json", "client/plan.json", "client/plan.txt", "events.jsonl", "manifest.json"])
      expect(names).toContain(n);
    expect(names.some((n) => n.startsWith("client/authorizations/"))).toBe(true);
    const text = zipText(fileZip);
    expect(text).toContain("55501234");
    expect(text).not.toContain("Johnson");
    expect(text).not.toContain("77709876");
    const verify = json<{ ok: boolean; counts: { chains: number } }>(L("--json", "verify", fileZip, "--db"));
    expect(verify.ok).toBe(true);
    expect(verify.counts.chains).toBe(2);
    // One `exported` event, on the client's own chain (chain = minus its id), naming who exported it.
    const [ev] = query<{ chain: number; data: string }>(
      home,
      "SELECT chain, data FROM events WHERE id = ?",
      r.event.id,
    );
    expect(ev?.chain).toBeLessThan(0);
    expect(JSON.parse(ev?.data ?? "{}")).toMatchObject({ by: "Pat Counselor", client_id: -(ev?.chain ?? 0) });
    expect(L("verify", "--db").code).toBe(0);
  });

  it("refuses to purge an open client, and before three years after the close, changing nothing", () => {
    const before = rowCounts(home);
    const open = L("--json", "client", "purge", NGUYEN, "--no-export");
    expect(open.code).toBe(1);
    expect(JSON.parse(open.stderr).error.code).toBe("CLIENT_OPEN");
    // Closed 2025-01-02: kept until 2028-01-02 (three years after the close, 24 C.F.R. 214.315).
    const closed = json<{ retainedUntil: string }>(
      must(L("--json", "client", "close", NGUYEN, "--on", "2025-01-02", "--reason", "resolved"), "close"),
    );
    expect(closed.retainedUntil).toBe("2028-01-02");
    const afterClose = rowCounts(home);
    const early = L("--json", "client", "purge", NGUYEN, "--as-of", "2028-01-01", "--no-export");
    expect(early.code).toBe(1);
    expect(JSON.parse(early.stderr).error.code).toBe("RETENTION_NOT_OVER");
    const noReason = L("--json", "client", "purge", NGUYEN, "--force", "--no-export");
    expect(JSON.parse(noReason.stderr).error.code).toBe("FORCE_NEEDS_REASON");
    expect(rowCounts(home)).toEqual(afterClose);
    expect(afterClose.events).toBe((before.events ?? 0) + 1);
    expect(existsSync(join(work, "client-file-"))).toBe(false);
  });

  it("reopens and closes again, each recorded", () => {
    must(L("client", "reopen", NGUYEN), "reopen");
    expect(JSON.parse(L("--json", "client", "reopen", NGUYEN).stderr).error.code).toBe("CLIENT_NOT_CLOSED");
    must(L("client", "close", NGUYEN, "--on", "2025-01-02"), "close again");
    const log = json<{ entries: { type: string; client: string | null }[] }>(L("--json", "client", "log"));
    expect(log.entries.map((e) => e.type)).toEqual(["client-closed", "client-reopened", "client-closed"]);
    expect(log.entries.every((e) => e.client === NGUYEN)).toBe(true);
  });

  it("refuses to purge while unfiled mail names only the client's account, until it is filed to the client's case", () => {
    // A statement that came with no tag or thread: sync kept it unfiled, though it names Nguyen's account.
    const eml = join(work, "statement.eml");
    writeFileSync(
      eml,
      [
        "From: Mr. Cooper <help@servicer.test>",
        "To: pat@agency.test",
        "Subject: Your annual escrow statement",
        "Date: Mon, 05 Jan 2026 10:00:00 +0000",
        "Message-ID: <statement-1@servicer.test>",
        "",
        "Escrow statement for loan 55501234. Your new monthly payment is shown below.",
        "",
      ].join("\r\n"),
    );
    // Its one case resolved, the loan has no open case for the account number to file it to.
    const nguyenCase = json<{ cases: { tag: string }[] }>(L("--json", "--client", NGUYEN, "cases")).cases[0];
    must(L("resolve", String(nguyenCase?.tag)), "resolve");
    const imported = json<{ imported: { message: number; case: string | null }[] }>(
      must(L("--json", "import", eml), "import"),
    );
    const msg = { id: imported.imported[0]?.message };
    expect(imported.imported[0]?.case).toBeNull();
    const before = rowCounts(home);
    const refused = L("--json", "client", "purge", NGUYEN, "--as-of", "2028-01-02", "--no-export");
    expect(refused.code).toBe(1);
    const e = JSON.parse(refused.stderr) as { error: { code: string; message: string; hint: string } };
    expect(e.error.code).toBe("UNFILED_MAIL_OF_CLIENT");
    expect(e.error.message).toContain(`message ${msg?.id}, filed to no case, names ${NGUYEN}'s account number`);
    expect(e.error.hint).toContain("loanmail file MSG CASE");
    expect(rowCounts(home)).toEqual(before);
    // Filed to the client's case, it goes into the export and the purge (the next test counts 3 messages).
    must(L("file", String(msg?.id), String(nguyenCase?.tag)), "file");
  });

  it("purges after the three years: exported first, nothing of the client left, the agency log verified", () => {
    const out = join(work, "purged.zip");
    const r = json<{
      export: { sha256: string; out: string };
      counts: Record<string, number>;
      event: { id: number };
      scrubbed: boolean;
    }>(must(L("--json", "client", "purge", NGUYEN, "--as-of", "2028-01-02", "--out", out), "purge"));
    expect(r.scrubbed).toBe(true);
    expect(r.counts).toMatchObject({ clients: 1, loans: 1, cases: 1, messages: 3, authorizations: 1, chains: 2 });
    // The two scans and the authorization form were this client's alone; the printed PDF too.
    expect(r.counts.blobs).toBeGreaterThanOrEqual(3);
    const sha = spawnSync("sha256sum", [out], { encoding: "utf8" }).stdout.split(" ")[0];
    expect(r.export.sha256).toBe(sha);
    expect(zipText(out)).toContain("55501234");

    for (const file of ["loanmail.db", "loanmail.db-wal"]) {
      const path = join(home, file);
      if (!existsSync(path)) continue;
      const bytes = readFileSync(path, "latin1");
      for (const s of ["Nguyen", "55501234", "An Nguyen", "1 Oak St"])
        expect(bytes.includes(s), `${s} in ${file}`).toBe(false);
    }
    expect(query(home, "SELECT * FROM clients WHERE name = ?", NGUYEN)).toEqual([]);
    const johnson = json<{ ok: boolean }>(L("--json", "verify", "--db"));
    expect(johnson.ok).toBe(true);
    // The other household is whole.
    expect(query(home, "SELECT count(*) AS n FROM loans")).toEqual([{ n: 1 }]);
    expect(L("cases").stdout).toContain("77709876");
    // The export written first still checks against the database: the purge recorded it.
    expect(json<{ ok: boolean }>(L("--json", "verify", out, "--db")).ok).toBe(true);

    const log = json<{
      entries: { type: string; client: string | null; clientId: number; data: Record<string, unknown> }[];
    }>(L("--json", "client", "log"));
    const purge = log.entries.at(-1);
    expect(purge?.type).toBe("client-purged");
    expect(purge?.client).toBeNull();
    expect(purge?.data).toMatchObject({ by: "Pat Counselor", closed_on: "2025-01-02", forced_reason: null });
    expect(JSON.stringify(purge)).not.toContain("Nguyen");
  });

  it("never gives a purged case's number (and tag) to a new case", () => {
    const r = json<{ case: { id: number } }>(
      must(
        L("--json", "compose", "notice-of-error", "--loan", "2", "--set", "error=late fee", "--summary", "x"),
        "compose",
      ),
    );
    // Cases 1 (purged) and 2 (Johnson) existed: the next is 3, not 1.
    expect(r.case.id).toBe(3);
    expect(L("verify", "--db").code).toBe(0);
  });

  it("records a case's outcome in HUD-9902's categories and reports it from the event log", () => {
    const bad = L("--json", "resolve", "2", "--outcome", "modified", "--unresolved");
    expect(JSON.parse(bad.stderr).error.code).toBe("CONFLICTING_OPTIONS");
    const r = json<{ outcome: string; status: string }>(
      must(L("--json", "resolve", "2", "--outcome", "modified"), "resolve"),
    );
    expect(r).toMatchObject({ outcome: "modified", status: "resolved" });
    // Every event of this test was written today (the run's day): a period from 2026-01-01 to 2199-12-31 holds them.
    const report = json<{
      households: number;
      clients: { client: string; kinds: string[]; cases: { outcome: string | null }[] }[];
      totals: { outcome: string; cases: number; households: number }[];
    }>(L("--json", "report", "outcomes", "--from", "2026-01-01", "--to", "2199-12-31"));
    expect(report.households).toBe(1);
    expect(report.clients[0]?.client).toBe("Johnson household");
    expect(report.clients[0]?.kinds).toEqual(["notice-of-error"]);
    expect(report.totals.find((t) => t.outcome === "modified")).toEqual({
      outcome: "modified",
      label: "Mortgage modified",
      cases: 1,
      households: 1,
    });
    const csv = L("report", "outcomes", "--from", "2026-01-01", "--to", "2199-12-31", "--format", "csv").stdout;
    expect(csv.split("\r\n")[0]).toBe("client,purpose,case,kind,status,outcome,outcome_label,resolved_on");
    expect(csv).toContain(",resolved,modified,Mortgage modified,");
    expect(csv).not.toContain("Nguyen");
  });

  it("fails verify --db for a row removed outside loanmail, even a whole chain with its kept head", () => {
    const copy = join(work, "tampered");
    spawnSync("cp", ["-r", home, copy]);
    const db = new Database(join(copy, "loanmail.db"));
    db.exec("DROP TRIGGER events_no_delete; DROP TRIGGER chain_heads_no_delete;");
    // Johnson's case (later events follow its own; the ids of the last events of a home are not a gap).
    const chain = db.prepare("SELECT min(chain) FROM events WHERE chain > 0").pluck().get() as number;
    db.prepare("DELETE FROM events WHERE chain = ?").run(chain);
    db.prepare("DELETE FROM chain_heads WHERE chain = ?").run(chain);
    db.close();
    const r = run(["--home", copy, "--json", "verify", "--db"]);
    expect(r.code).toBe(5);
    expect(JSON.parse(r.stderr).error.message).toMatch(/no purge in the agency log/);
  });
});
