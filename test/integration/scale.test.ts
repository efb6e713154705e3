/**
 * Incremental sync at scale against the real lab: 2,000 newsletters and 10 servicer messages in one INBOX. The
 * first sync asks Dovecot with SEARCH which messages could matter, so it reads the summaries of the 10 servicer
 * messages only and downloads those 10; a sync with no change on the server reads nothing (STATUS only, Dovecot
 * confirms no header or body fetch); 6 new messages cost the one summary and the one source that matter. Wall
 * times are printed for information, never asserted (`npm run bench` measures speed).
 */
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { json, type RunResult } from "../cli/helpers.js";
import {
  appendTo,
  countMessages,
  dovecotFetchStats,
  dovecotLogOffset,
  freshBorrower,
  type LabHome,
  labHome,
  waitFor,
} from "./lab.js";

interface SyncDoc {
  totals: { new: number; filed: number; unfiled: number };
  fetched: { summaries: number; sources: number; sourceBytes: number };
  mailboxes: { mailbox: string; status: string; scanned: number; new: number }[];
}

const SENDERS = ["news", "deals", "weekly", "digest", "offers", "updates", "hello", "noreply"];
const LISTS = ["gardening.example.org", "travel.example.org", "example.org", "shop.example.org", "tech.example.org"];

function newsletter(i: number, user: string): string {
  const from = `${SENDERS[i % SENDERS.length]}@${LISTS[i % LISTS.length]}`;
  const day = String((i % 28) + 1).padStart(2, "0");
  return [
    `From: "Newsletter ${i % 37}" <${from}>`,
    `To: ${user}`,
    `Subject: Issue #${i}: ten things you missed this week`,
    `Date: Mon, ${day} Feb 2026 08:${String(i % 60).padStart(2, "0")}:00 +0000`,
    `Message-ID: <newsletter-${i}@${LISTS[i % LISTS.length]}>`,
    "List-Unsubscribe: <mailto:unsubscribe@example.org>",
    "Precedence: bulk",
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Hello! This is issue ${i}.`,
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore.",
    "",
  ].join("\r\n");
}

function servicerMail(i: number, user: string): string {
  return [
    "From: Test Servicer <help@servicer.test>",
    `To: ${user}`,
    `Subject: A message from your servicer (${i})`,
    `Date: Tue, 03 Mar 2026 10:${String(i).padStart(2, "0")}:00 -0600`,
    `Message-ID: <servicer-scale-${i}@servicer.test>`,
    "MIME-Version: 1.0",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Dear Borrower, this is servicer notice number ${i}. Please log in to read it.`,
    "",
  ].join("\r\n");
}

function ok(r: RunResult, what: string): RunResult {
  if (r.code !== 0) throw new Error(`${what} exited ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** `loanmail --json sync`, its parsed report, its wall time (process included) and Dovecot's count of it. */
async function timedSync(
  lab: LabHome,
): Promise<{ doc: SyncDoc; ms: number; stats: ReturnType<typeof dovecotFetchStats> }> {
  const offset = dovecotLogOffset();
  const start = performance.now();
  const r = ok(lab.L("--json", "sync"), "sync");
  const ms = performance.now() - start;
  expect(r.stderr).toBe("");
  const stats = await waitFor(() => {
    const s = dovecotFetchStats(lab.user, offset);
    return s.sessions > 0 ? s : null;
  }, "Dovecot's logout line for the sync");
  return { doc: json<SyncDoc>(r), ms, stats };
}

/** APPEND, then wait for that session's own logout line, so a later log offset sees only the sync's session. */
async function append(user: string, raws: string[]): Promise<number> {
  const offset = dovecotLogOffset();
  const start = performance.now();
  await appendTo(user, "INBOX", raws);
  const ms = performance.now() - start;
  await waitFor(() => dovecotFetchStats(user, offset).sessions > 0, "Dovecot's logout line for the APPEND session");
  return ms;
}

function storedMessageIds(home: string): string[] {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db
      .prepare("SELECT message_id FROM messages WHERE direction = 'in' ORDER BY message_id")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

describe("sync at scale", () => {
  let lab: LabHome;
  let user: string;

  beforeAll(async () => {
    user = freshBorrower(20);
    lab = labHome(user);
    // 2,000 newsletters with the 10 servicer messages spread among them, over one IMAP connection.
    const raws: string[] = [];
    for (let i = 0; i < 2000; i++) {
      raws.push(newsletter(i, user));
      if (i % 200 === 137) raws.push(servicerMail(raws.length, user));
    }
    expect(raws).toHaveLength(2010);
    const ms = await append(user, raws);
    console.log(`scale: APPEND of 2,010 messages over one connection took ${(ms / 1000).toFixed(2)} s`);
    expect(await countMessages(user)).toBe(2010);
  }, 120_000);

  it("the first sync looks at 2,010 messages but reads and downloads only the 10 servicer messages", async () => {
    const { doc, ms, stats } = await timedSync(lab);
    console.log(`scale: full sync of 2,010 messages took ${(ms / 1000).toFixed(2)} s (wall, CLI process included)`);
    expect(doc.fetched.summaries).toBe(10);
    expect(doc.fetched.sources).toBe(10);
    expect(doc.totals).toEqual({ new: 10, filed: 0, unfiled: 10 });
    expect(doc.mailboxes.find((m) => m.mailbox === "INBOX")?.scanned).toBe(2010);
    // The server agrees: the planner's headers of the ten its SEARCH found, and their ten full bodies, no more.
    expect(stats.hdrCount).toBe(10);
    expect(stats.bodyCount).toBe(10);
    const ids = storedMessageIds(lab.home);
    expect(ids).toHaveLength(10);
    expect(ids.every((id) => /^<servicer-scale-\d+@servicer\.test>$/.test(id))).toBe(true);
  });

  it("a sync with no change on the server fetches nothing at all", async () => {
    const { doc, ms, stats } = await timedSync(lab);
    console.log(`scale: no-change sync took ${(ms / 1000).toFixed(2)} s (wall, CLI process included)`);
    expect(doc.fetched).toMatchObject({ summaries: 0, sources: 0 });
    expect(doc.totals.new).toBe(0);
    expect(doc.mailboxes.length).toBeGreaterThan(0);
    expect(doc.mailboxes.every((m) => m.status === "unchanged")).toBe(true);
    expect(stats.bodyCount).toBe(0);
    expect(stats.hdrCount).toBe(0);
    expect(storedMessageIds(lab.home)).toHaveLength(10);
  });

  it("six new messages cost the one summary and the one source kept", async () => {
    const more = [2000, 2001, 2002].map((i) => newsletter(i, user));
    more.push(servicerMail(99, user), ...[2003, 2004].map((i) => newsletter(i, user)));
    await append(user, more);
    expect(await countMessages(user)).toBe(2016);
    const { doc, stats } = await timedSync(lab);
    expect(doc.fetched.summaries).toBe(1);
    expect(doc.fetched.sources).toBe(1);
    expect(doc.totals).toEqual({ new: 1, filed: 0, unfiled: 1 });
    expect(doc.mailboxes.find((m) => m.mailbox === "INBOX")?.scanned).toBe(6);
    expect(stats.hdrCount).toBe(1);
    expect(stats.bodyCount).toBe(1);
    const ids = storedMessageIds(lab.home);
    expect(ids).toHaveLength(11);
    expect(ids).toContain("<servicer-scale-99@servicer.test>");
  });
});
