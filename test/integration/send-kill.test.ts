/**
 * `send` killed with SIGKILL across the SMTP dialogue, and the servers going away mid-run (issue 13, "Crash safety
 * of send at scale"). The letters go to the real Postfix through a relay in this process (tap-proxy.ts) that sees
 * the dialogue's shape behind TLS and lets the test kill the sender at a chosen point:
 *
 *   EHLO, STARTTLS, the TLS handshake, AUTH       (client chunks 0-4)       "before MAIL"
 *   MAIL, RCPT (servicer), RCPT (self copy), DATA  (chunk 5, pipelined)      "after RCPT"
 *   the message, ending with the final dot         (chunks 6..)              "during DATA"
 *   the server's "250 queued" and QUIT                                       "after the final dot"
 *
 * Afterwards the servicer's mailbox holds each letter at most once, and the record settles every letter: a letter
 * Postfix queued is found by its Message-ID (the self copy) and marked sent without a second SMTP connection; one it
 * never queued stays unknown until the user says `--resend-unknown`, and only then goes out, once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { BIN, json, ROOT, type RunResult, tempDir } from "../cli/helpers.js";
import {
  freshBorrower,
  HOST,
  labHome,
  PASSWORD,
  PORTS,
  paddedPdf,
  postfixLogOffset,
  postfixQueued,
  runAsync,
  SERVICER,
  sourcesWithMessageId,
  waitFor,
} from "./lab.js";
import { startTapProxy, type TapEvent, type TapProxy } from "./tap-proxy.js";

interface ComposeDoc {
  case: { id: number; tag: string };
  message: { id: number; messageId: string; size: number };
}
interface ShowDoc {
  messages: { id: number; state: string | null }[];
  events: { type: string; message: number | null; data: Record<string, unknown> }[];
}

const taps: TapProxy[] = [];
afterAll(async () => {
  for (const t of taps) await t.stop();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function composeLetter(L: (...a: string[]) => RunResult, pdf: string, n: number): ComposeDoc {
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
    `Paid March 1; it sits in suspense. (letter ${n})`,
    "--attach",
    `${pdf}=Bank statement`,
  );
  expect(r.code, r.stderr).toBe(0);
  return json<ComposeDoc>(r);
}

function stateOf(L: (...a: string[]) => RunResult, c: ComposeDoc): string | null {
  const r = L("--json", "show", String(c.case.id));
  expect(r.code, r.stderr).toBe(0);
  return json<ShowDoc>(r).messages.find((m) => m.id === c.message.id)?.state ?? null;
}

function eventsOf(L: (...a: string[]) => RunResult, c: ComposeDoc): string[] {
  const r = L("--json", "show", String(c.case.id));
  return json<ShowDoc>(r)
    .events.filter((e) => e.message === c.message.id)
    .map((e) => e.type);
}

function integrity(home: string): string {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    return db.pragma("integrity_check", { simple: true }) as string;
  } finally {
    db.close();
  }
}

function startSend(home: string, caseId: number): { child: ChildProcess; done: Promise<string | null> } {
  const child = spawn(process.execPath, [BIN, "--home", home, "--json", "send", String(caseId)], {
    cwd: ROOT,
    stdio: "ignore",
    env: { PATH: process.env.PATH, HOME: process.env.HOME, LANG: "C.UTF-8", NO_COLOR: "1", LAB_PASS: PASSWORD },
  });
  return { child, done: new Promise((resolve) => child.on("exit", (_code, signal) => resolve(signal))) };
}

type Phase = "before MAIL" | "after RCPT" | "during DATA" | "after the final dot";

/** What the relay has seen of the dialogue so far (one connection). */
interface Dialogue {
  /** The client's bytes up to and including its MAIL/RCPT/DATA turn (chunk 5): the message starts after it. */
  preBody: number;
  /** A chunk of the message itself has come from the client. */
  inBody: boolean;
  /** The server has spoken since the message began: its answer to the final dot. */
  answered: boolean;
}

/**
 * Where trial `t` kills the sender: a test on the relay's event, true to kill now. Five strata of ten, each spread
 * over its part of the dialogue (the chunk before which, or after which, the kill lands).
 */
function killPoint(t: number): { phase: Phase; at: (e: TapEvent, d: Dialogue, size: number) => boolean } {
  const k = Math.floor(t / 5);
  const client = (e: TapEvent) => e.from === "client";
  switch (t % 5) {
    case 0:
      // Before one of the client's first five turns reaches Postfix (EHLO .. AUTH): never MAIL FROM.
      return { phase: "before MAIL", at: (e) => client(e) && !e.passed && e.index === k % 5 };
    case 1:
      // MAIL, both RCPTs and DATA reached Postfix; half the trials also let its 354 reach the sender. No message.
      return {
        phase: "after RCPT",
        at: (e) => client(e) && (k % 2 === 0 ? e.passed && e.index === 5 : !e.passed && e.index === 6),
      };
    case 2:
      // Part of the message reached Postfix, never the final dot: before the chunk that crosses (k+1)/11 of it.
      return {
        phase: "during DATA",
        at: (e, d, size) => client(e) && !e.passed && d.inBody && e.clientTotal - d.preBody >= ((k + 1) / 11) * size,
      };
    case 3:
      // The final dot reached Postfix and it queued the letter; its "250 queued" never reaches the sender.
      return { phase: "after the final dot", at: (e, d) => !client(e) && !e.passed && d.inBody };
    default:
      // The "250 queued" reached the sender (which may or may not have written "sent"), or its QUIT is on the way.
      return {
        phase: "after the final dot",
        at: (e, d) => (k % 2 === 0 ? !client(e) && e.passed && d.inBody : client(e) && !e.passed && d.answered),
      };
  }
}

describe("send killed with SIGKILL across the SMTP dialogue (50 trials)", () => {
  it("delivers each letter at most once and settles every letter: sent, or unknown until --resend-unknown", async () => {
    const user = freshBorrower(30);
    const { L, home } = labHome(user);
    const pdf = paddedPdf(join(tempDir("loanmail-sendkill-"), "statement.pdf"), 150_000);
    const tap = await startTapProxy({ host: HOST, port: PORTS.submission });
    taps.push(tap);
    expect(L("account", "set", "--smtp-port", String(tap.port)).code).toBe(0);

    const outcomes: string[] = [];
    const byPhase = new Map<Phase, number>();
    for (let t = 0; t < 50; t++) {
      const letter = composeLetter(L, pdf, t);
      const { phase, at } = killPoint(t);
      const label = `trial ${t} (${phase})`;
      const offset = postfixLogOffset();
      const connectionsBefore = tap.connections;
      const { child, done } = startSend(home, letter.case.id);
      const d: Dialogue = { preBody: Number.POSITIVE_INFINITY, inBody: false, answered: false };
      let killed = false;
      tap.at = (e) => {
        if (!e.passed && e.from === "client" && e.index === 5) {
          // The dialogue's shape this test relies on: MAIL, RCPT, RCPT and DATA in one short pipelined turn.
          expect(e.bytes, `${label}: chunk 5 is the MAIL/RCPT/DATA turn`).toBeLessThan(400);
          d.preBody = e.clientTotal;
        }
        if (!e.passed && e.from === "client" && e.index === 6) {
          expect(e.bytes, `${label}: chunk 6 is the message`).toBeGreaterThan(4_000);
          d.inBody = true;
        }
        if (killed || !at(e, d, letter.message.size)) {
          if (e.passed && e.from === "server" && d.inBody) d.answered = true;
          return undefined;
        }
        killed = true;
        child.kill("SIGKILL");
        return e.passed ? undefined : "cut";
      };
      const signal = await done;
      tap.at = () => undefined;
      expect(signal, `${label}: the sender was killed mid-dialogue`).toBe("SIGKILL");
      expect(tap.connections, label).toBe(connectionsBefore + 1);
      expect(integrity(home), `${label}: database integrity right after the kill`).toBe("ok");
      const left = stateOf(L, letter);
      expect(["sending", "sent", "queued"], `${label}: the row as the kill left it`).toContain(left);

      // Did Postfix queue it? Its queue manager names it once it has the whole message.
      const queued = phase === "after the final dot";
      if (queued) {
        await waitFor(() => postfixQueued(offset, letter.message.messageId), `${label}: Postfix queued the letter`);
        await waitFor(
          async () => (await sourcesWithMessageId(user, letter.message.messageId)).length === 1,
          `${label}: the self copy`,
        );
      } else {
        // Give Postfix time to see the connection end; it must not have queued a partial message.
        await sleep(500);
        expect(postfixQueued(offset, letter.message.messageId), `${label}: Postfix did not queue it`).toBe(false);
      }

      // The next plain `send` never opens an SMTP connection for a letter whose fate is not known.
      const again = await runAsync(home, "--json", "send", String(letter.case.id));
      expect(tap.connections, `${label}: no second SMTP connection without --resend-unknown`).toBe(
        connectionsBefore + 1,
      );
      if (left === "sent") {
        // The sender had written "sent" before it died: there is nothing left to send.
        expect(queued, label).toBe(true);
        expect(JSON.parse(again.stderr).error.code, label).toBe("NOTHING_TO_SEND");
      } else if (queued) {
        // Found by its Message-ID (the self copy in the INBOX) and marked sent.
        expect(again.code, `${label}: ${again.stderr}`).toBe(0);
        expect(stateOf(L, letter), label).toBe("sent");
      } else {
        // Refused, naming the state and the flag that overrides it (exit 1, SEND_OUTCOME_UNKNOWN).
        expect(again.code, `${label}: ${again.stderr}`).toBe(1);
        expect(JSON.parse(again.stderr).error.code, label).toBe("SEND_OUTCOME_UNKNOWN");
        expect(stateOf(L, letter), label).toBe("unknown");
        // The user, having checked, sends it again on purpose: it goes out once.
        const resend = await runAsync(
          home,
          "send",
          String(letter.case.id),
          "--resend-unknown",
          String(letter.message.id),
        );
        expect(resend.code, `${label}: ${resend.stderr}`).toBe(0);
        expect(stateOf(L, letter), label).toBe("sent");
      }
      const copies = await waitFor(async () => {
        const found = await sourcesWithMessageId(SERVICER, letter.message.messageId);
        return found.length > 0 ? found : null;
      }, `${label}: the letter at the servicer`);
      expect(copies, `${label}: exactly one copy at the servicer`).toHaveLength(1);
      expect(
        eventsOf(L, letter).filter((e) => e === "sent"),
        `${label}: one sent event`,
      ).toHaveLength(1);
      byPhase.set(phase, (byPhase.get(phase) ?? 0) + 1);
      outcomes.push(`${t}:${left}:${queued ? (left === "sent" ? "recorded" : "found") : "resent"}`);
    }
    console.info(`[send-kill] ${outcomes.join(" ")}`);
    expect(Object.fromEntries(byPhase)).toEqual({
      "before MAIL": 10,
      "after RCPT": 10,
      "during DATA": 10,
      "after the final dot": 20,
    });
  }, 900_000);
});
