/**
 * The servers going away mid-run (issue 13): Postfix while `send` talks to it, Dovecot while `sync` fetches.
 * The lab's servers are shared by the tests running beside this file, so a server's death is played by the relay
 * in front of it (tap-proxy.ts `stop()`): every connection is cut mid-conversation and nothing listens on the
 * port any more. To loanmail that is exactly a daemon that died; the real server behind it is untouched, which is
 * what lets the test then bring "the server back" (the account pointed at the real port) and check that nothing
 * was lost.
 */
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { json, type RunResult } from "../cli/helpers.js";
import {
  appendTo,
  freshBorrower,
  HOST,
  labHome,
  PORTS,
  postfixLogOffset,
  postfixQueued,
  runAsync,
  SERVICER,
  sourcesWithMessageId,
  waitFor,
} from "./lab.js";
import { startTapProxy, type TapProxy } from "./tap-proxy.js";

const RUN_ID = randomBytes(4).toString("hex");
const taps: TapProxy[] = [];
afterAll(async () => {
  for (const t of taps) await t.stop();
});

interface ComposeDoc {
  case: { id: number; tag: string };
  message: { id: number; messageId: string };
}
interface ShowDoc {
  messages: { id: number; state: string | null }[];
}

function compose(L: (...a: string[]) => RunResult): ComposeDoc {
  const r = L(
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
    `Paid March 1; it sits in suspense. (${RUN_ID})`,
  );
  expect(r.code, r.stderr).toBe(0);
  return json<ComposeDoc>(r);
}

function stateOf(L: (...a: string[]) => RunResult, c: ComposeDoc): string | null {
  const r = L("--json", "show", String(c.case.id));
  return json<ShowDoc>(r).messages.find((m) => m.id === c.message.id)?.state ?? null;
}

function incoming(home: string): { count: number; distinct: number; integrity: string } {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    const count = db.prepare("SELECT count(*) FROM messages WHERE direction = 'in'").pluck().get() as number;
    const distinct = db
      .prepare("SELECT count(DISTINCT raw_sha256) FROM messages WHERE direction = 'in'")
      .pluck()
      .get() as number;
    return { count, distinct, integrity: db.pragma("integrity_check", { simple: true }) as string };
  } finally {
    db.close();
  }
}

describe("Postfix stops while send talks to it", () => {
  it("during login: exit 4 naming the server, the letter a draft again, and goes out once when it is back", async () => {
    const user = freshBorrower(31);
    const { L, home } = labHome(user);
    const letter = compose(L);
    const tap = await startTapProxy({ host: HOST, port: PORTS.submission });
    taps.push(tap);
    expect(L("account", "set", "--smtp-port", String(tap.port)).code).toBe(0);
    // The server dies as the client's AUTH reaches it (client turn 4, after STARTTLS and the TLS handshake).
    tap.at = (e) => {
      if (e.from === "client" && e.index === 4 && !e.passed) void tap.stop();
      return undefined;
    };
    const offset = postfixLogOffset();
    const r = await runAsync(home, "--json", "send", String(letter.case.id));
    expect(r.code, r.stderr).toBe(4);
    expect(JSON.parse(r.stderr).error.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${tap.port}`));
    expect(r.stdout).toBe("");
    expect(stateOf(L, letter)).toBe("draft");

    // A second try while it is still down: refused at once (nothing listens), still exit 4, still a draft.
    const down = await runAsync(home, "send", String(letter.case.id));
    expect(down.code, down.stderr).toBe(4);
    expect(down.stderr).not.toMatch(/\n\s+at /);
    expect(stateOf(L, letter)).toBe("draft");
    expect(postfixQueued(offset, letter.message.messageId)).toBe(false);

    // The server is back: the letter goes out, once.
    expect(L("account", "set", "--smtp-port", String(PORTS.submission)).code).toBe(0);
    const back = await runAsync(home, "send", String(letter.case.id));
    expect(back.code, back.stderr).toBe(0);
    expect(stateOf(L, letter)).toBe("sent");
    const copies = await waitFor(async () => {
      const found = await sourcesWithMessageId(SERVICER, letter.message.messageId);
      return found.length > 0 ? found : null;
    }, "the letter at the servicer");
    expect(copies).toHaveLength(1);
  });

  it("during the message: exit 6, the letter unknown (never resent by itself), as the README says", async () => {
    const user = freshBorrower(32);
    const { L, home } = labHome(user);
    const letter = compose(L);
    const tap = await startTapProxy({ host: HOST, port: PORTS.submission });
    taps.push(tap);
    expect(L("account", "set", "--smtp-port", String(tap.port)).code).toBe(0);
    // Dies once MAIL, RCPT and DATA have gone through (client turn 5) and before the message (turn 6) arrives.
    tap.at = (e) => {
      if (e.from === "client" && e.index === 6 && !e.passed) {
        void tap.stop();
        return "cut";
      }
      return undefined;
    };
    const r = await runAsync(home, "--json", "send", String(letter.case.id));
    expect(r.code, r.stderr).toBe(6);
    expect(stateOf(L, letter)).toBe("unknown");
    expect(L("account", "set", "--smtp-port", String(PORTS.submission)).code).toBe(0);
    // Back up, a plain send still does not send it: not found in the mailbox, it stays unknown (exit 1, named).
    const again = await runAsync(home, "--json", "send", String(letter.case.id));
    expect(again.code, again.stderr).toBe(1);
    expect(JSON.parse(again.stderr).error.code).toBe("SEND_OUTCOME_UNKNOWN");
    expect(stateOf(L, letter)).toBe("unknown");
    expect(await sourcesWithMessageId(SERVICER, letter.message.messageId)).toHaveLength(0);
  });
});

describe("Dovecot stops while sync fetches", () => {
  it("exit 4 naming the server, what was stored stays whole, and the next sync gets the rest once", async () => {
    const user = freshBorrower(33);
    const { L, home } = labHome(user);
    const filler = "Your statement details follow. ".repeat(300);
    const mail = Array.from({ length: 120 }, (_, i) =>
      Buffer.from(
        [
          "From: Test Servicer <help@servicer.test>",
          `To: ${user}`,
          `Date: ${new Date(Date.UTC(2026, 5, 1, 0, i)).toUTCString().replace("GMT", "+0000")}`,
          `Message-ID: <stop-${RUN_ID}-${i}@servicer.test>`,
          `Subject: Your account 1234567: notice ${i}`,
          "",
          `Notice ${i} of run ${RUN_ID}.`,
          filler,
          "",
        ].join("\r\n"),
      ),
    );
    await appendTo(user, "INBOX", mail);
    const total = mail.reduce((n, m) => n + m.length, 0);

    const tap = await startTapProxy({ host: HOST, port: PORTS.imaps });
    taps.push(tap);
    expect(L("account", "set", "--imap-port", String(tap.port)).code).toBe(0);
    // The server dies once about half the mailbox's bytes have come down.
    let served = 0;
    tap.at = (e) => {
      if (e.from !== "server" || e.passed) return undefined;
      served += e.bytes;
      if (served < total / 2) return undefined;
      void tap.stop();
      return "cut";
    };
    const r = await runAsync(home, "--json", "sync");
    expect(r.code, r.stderr).toBe(4);
    expect(JSON.parse(r.stderr).error.message).toMatch(new RegExp(`127\\.0\\.0\\.1:${tap.port}`));
    const after = incoming(home);
    expect(after.integrity).toBe("ok");
    expect(after.count).toBeLessThan(120);
    expect(after.distinct).toBe(after.count);

    expect(L("account", "set", "--imap-port", String(PORTS.imaps)).code).toBe(0);
    const back = await runAsync(home, "--json", "sync");
    expect(back.code, back.stderr).toBe(0);
    const whole = incoming(home);
    expect(whole).toEqual({ count: 120, distinct: 120, integrity: "ok" });
    const settled = await runAsync(home, "--json", "sync");
    expect(json<{ totals: { new: number } }>(settled).totals.new).toBe(0);
  });
});
