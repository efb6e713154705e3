#!/usr/bin/env node
/**
 * A counselor's caseload at scale (issue 12): builds a home with 300 clients, 1,500 loans (5 each), 1,500 cases
 * and 20,000 messages (each case a letter that left and about a dozen replies of 2-40 KB, with their events) directly
 * through the store functions of the built code (fast: one transaction), then times the built CLI:
 * `cases`, `due`, `client list` (when this build has it) and `report outcomes`. Targets: under 0.5 s each,
 * the report under 2 s. Run `npm run build` first; `npm run bench:caseload`.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const dist = (p) => import(join(ROOT, "dist", p));
const { openDb, inTransaction } = await dist("store/db.js");
const { ensureClient, insertLoan } = await dist("store/loans.js");
const { insertCase, setCaseStatus, setCaseOutcome } = await dist("store/cases.js");
const { insertDraft, setMessageState } = await dist("store/messages.js");
const { insertIncoming, addOrigin } = await dist("store/mail.js");
const { appendEvent, appendCaseEvent } = await dist("store/events.js");
const { getMeta } = await dist("store/meta.js");
const { OUTCOMES } = await dist("domain/outcomes.js");

const CLIENTS = 300;
const LOANS_PER_CLIENT = 5;
const MESSAGES = 20_000;
const work = mkdtempSync(join(tmpdir(), "loanmail-bench-caseload-"));
const home = join(work, "home");
const bin = join(ROOT, "bin", "loanmail.js");
const L = (...args) => spawnSync(process.execPath, [bin, "--home", home, ...args], { encoding: "utf8" });

function must(r, what) {
  if (r.status !== 0) throw new Error(`${what}: ${r.stderr}`);
  return r;
}

must(
  L(
    ...["init", "--name", "Pat Counselor", "--email", "pat@agency.test", "--address", "1 Main St\\nTown, IL 62701"],
    ...["--phone", "555-000-1111", "--timezone", "America/Chicago"],
  ),
  "init",
);
must(
  L(
    ...["servicer", "add", "Mr. Cooper", "--domain", "servicer.test", "--email", "help@servicer.test"],
    ...["--notice-address", "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261"],
  ),
  "servicer add",
);

const t0 = performance.now();
const db = openDb(join(home, "loanmail.db"));
const prefix = getMeta(db, "tag_prefix") ?? "BENCH";
const day = (n) => new Date(Date.UTC(2026, 0, 5) + n * 86_400_000).toISOString();
const casesTotal = CLIENTS * LOANS_PER_CLIENT;
const repliesPerCase = Math.floor(MESSAGES / casesTotal) - 1;
let extra = MESSAGES - casesTotal * (repliesPerCase + 1);
let messages = 0;
inTransaction(db, () => {
  for (let c = 1; c <= CLIENTS; c++) {
    const clientId = ensureClient(db, `Household ${String(c).padStart(3, "0")}`, day(0));
    for (let l = 1; l <= LOANS_PER_CLIENT; l++) {
      const n = (c - 1) * LOANS_PER_CLIENT + l;
      const account = String(10_000_000 + n);
      const loan = insertLoan(
        db,
        clientId,
        {
          servicerId: 1,
          accountNumber: account,
          propertyAddress: `${n} Oak St, Town, IL 62701`,
          borrowers: [`Borrower ${n}`],
          product: "closed-end",
          principalResidence: true,
          arm: false,
        },
        day(0),
      );
      appendEvent(db, {
        caseId: null,
        loanId: loan.id,
        at: day(0),
        actor: "user",
        type: "loan-added",
        data: { id: loan.id },
      });
      const kase = insertCase(
        db,
        { loanId: loan.id, kind: "notice-of-error", formal: true, channel: "post", openedAt: day(n % 300) },
        prefix,
      );
      const subject = `Account Number ${account} – Notice of Error [${kase.tag}]`;
      const raw = Buffer.from(
        `Subject: ${subject}\r\nMessage-ID: <l${n}@bench>\r\n\r\nPlease correct the error on ${account}.\r\n`,
      );
      const letter = insertDraft(db, {
        caseId: kase.id,
        channel: "post",
        kind: "notice-of-error",
        fields: { error: "suspense" },
        summary: "Paid on time.",
        messageId: `<l${n}@bench>`,
        from: "pat@agency.test",
        to: [],
        cc: [],
        postalAddress: "Mr. Cooper\nPO Box 619098\nDallas, TX 75261",
        subject,
        bodyText: `Please correct the error on ${account}.`,
        date: day(n % 300),
        raw,
        now: day(n % 300),
      });
      setMessageState(db, letter, "sent", day(n % 300));
      setCaseStatus(db, kase.id, "open", day(n % 300));
      appendCaseEvent(db, kase, {
        at: day(n % 300),
        actor: "user",
        messageId: letter,
        type: "mailed",
        data: {
          tracking: `94071118992233${n}`,
          mailed_on: day(n % 300).slice(0, 10),
          sha256: "0".repeat(64),
          postal_address: null,
        },
      });
      // Two letters in three have their delivery recorded, so that their Reg X clocks run (open, late or met) and
      // due has rows to print, as a counselor's would; the others wait for it ("not started").
      if (n % 3 !== 0) {
        const deliveredOn = day((n % 300) + 2);
        appendCaseEvent(db, kase, {
          at: deliveredOn,
          actor: "user",
          messageId: letter,
          type: "delivered",
          data: { tracking: `94071118992233${n}`, delivered_on: deliveredOn.slice(0, 10) },
        });
      }
      messages++;
      const replies = repliesPerCase + (extra-- > 0 ? 1 : 0);
      for (let r = 0; r < replies; r++) {
        const when = day((n % 300) + 3 + r);
        const body = `We received your letter about account ${account}. Reply ${r}.`;
        const id = insertIncoming(db, {
          caseId: kase.id,
          servicerId: 1,
          filedBy: "tag",
          account: "counselor",
          messageId: `<r${n}-${r}@servicer.test>`,
          inReplyTo: `<l${n}@bench>`,
          references: [],
          from: "care@servicer.test",
          to: ["pat@agency.test"],
          cc: [],
          subject: `Re: ${subject}`,
          bodyText: body,
          date: when,
          // Real replies are 2-40 KB (a letter, a statement attached): the bytes sit in the row before the
          // columns the clocks read, so their size matters to every listing.
          raw: Buffer.concat([
            Buffer.from(`From: care@servicer.test\r\nSubject: Re: ${subject}\r\n\r\n${body}\r\n`),
            Buffer.alloc((2 + ((n * 7 + r * 13) % 38)) * 1024, 0x41),
          ]),
          replyClass: r === 0 ? "acknowledgment" : "other",
          autoSubmitted: null,
          trust: { status: "trusted", why: ["bench"] },
          arrival: { at: when, source: "internaldate" },
          now: when,
        });
        // Where sync saw it: the clocks read a reply's first INTERNALDATE from here.
        addOrigin(
          db,
          { messageId: id, account: "counselor", mailbox: "INBOX", uidvalidity: 1, uid: messages, internalDate: when },
          when,
        );
        appendCaseEvent(db, kase, {
          at: when,
          actor: "servicer",
          messageId: id,
          type: "received",
          data: {
            from: "care@servicer.test",
            subject: null,
            date: when,
            message_id: null,
            sha256: "0".repeat(64),
            class: "other",
            reasons: [],
            filed_by: "tag",
            via: "bench",
          },
        });
        messages++;
      }
      // Every third case resolved with an outcome, in the year.
      if (n % 3 === 0) {
        const outcome = OUTCOMES[n % OUTCOMES.length].id;
        setCaseStatus(db, kase.id, "resolved", day((n % 300) + 40));
        setCaseOutcome(db, kase.id, outcome);
        appendCaseEvent(db, kase, {
          at: day((n % 300) + 40),
          actor: "user",
          type: "resolved",
          data: { previous_status: "open", last_reply: null, outcome },
        });
      }
    }
  }
});
db.close();
const built = (performance.now() - t0) / 1000;

function time(label, args, target) {
  must(L(...args), label); // warm the page cache once
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    must(L(...args), label);
    runs.push((performance.now() - t) / 1000);
  }
  const best = Math.min(...runs);
  console.log(
    `${label.padEnd(34)} ${best.toFixed(2)} s (best of 3; target under ${target} s)${best > target ? "  OVER" : ""}`,
  );
}

console.log(
  `Built ${CLIENTS} clients, ${casesTotal} loans and cases, ${messages} messages in ${built.toFixed(1)} s (${home}).`,
);
time("cases", ["cases"], 0.5);
time("due", ["due"], 0.5);
if (/^\s+list\b/m.test(L("client", "--help").stdout)) time("client list", ["client", "list"], 0.5);
else console.log("client list                        (not in this build: skipped)");
time("report outcomes (the year)", ["report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31"], 2);
time(
  "report outcomes --format csv",
  ["report", "outcomes", "--from", "2026-01-01", "--to", "2026-12-31", "--format", "csv"],
  2,
);
time("loanmail --version (the process alone)", ["--version"], 0.5);
// Figures on a shared machine mean little without the load they were taken under.
console.log(`1-minute load average at the end: ${loadavg()[0].toFixed(1)} on ${availableParallelism()} cores`);
if (!process.argv.includes("--keep")) rmSync(work, { recursive: true, force: true });
