/**
 * The whole loop against real Postfix and Dovecot: compose → send over SMTP submission → the letter is in the
 * servicer's INBOX byte for byte (after the headers the servers prepend) → the servicer answers three ways →
 * sync files all three with the right classes → a second sync downloads no message at all.
 */
import { createHash } from "node:crypto";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { json } from "../cli/helpers.js";
import {
  countMessages,
  dovecotFetchStats,
  dovecotLogOffset,
  freshBorrower,
  labHome,
  PORTS,
  SERVICER,
  sendAs,
  sourcesWithMessageId,
  waitFor,
} from "./lab.js";

interface SendDoc {
  letters: { id: number; state: string; messageId: string; envelope: { to: string[] }; accepted: string[] }[];
}
interface ShowDoc {
  case: { status: string; tag: string };
  messages: {
    id: number;
    direction: string;
    replyClass: string | null;
    subject: string;
    messageId: string;
    rawSha256: string;
    state: string | null;
  }[];
  events: { type: string }[];
}
interface SyncDoc {
  totals: { new: number; filed: number; unfiled: number };
  fetched: { summaries: number; sources: number };
  mailboxes: { mailbox: string; status: string; ownCopies: number }[];
}

describe("round trip", () => {
  it("sends exactly the stored bytes, syncs three kinds of reply to the case, then fetches nothing", async () => {
    const user = freshBorrower(1);
    const { L, home } = labHome(user);
    const composed = L(
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
      "--attach",
      "examples/proof-of-payment.pdf=Proof of payment",
    );
    expect(composed.code).toBe(0);
    const tag = json<{ case: { tag: string } }>(composed).case.tag;

    const sent = L("--json", "send", "1");
    expect(sent.stderr).toBe("");
    expect(sent.code).toBe(0);
    const letter = json<SendDoc>(sent).letters[0];
    expect(letter?.state).toBe("sent");
    expect(letter?.envelope.to).toEqual([SERVICER, user]);
    expect(letter?.accepted.sort()).toEqual([SERVICER, user].sort());

    // The servicer's copy ends with exactly the bytes we stored (Postfix and Dovecot only prepend headers).
    const show = json<ShowDoc>(L("--json", "show", "1"));
    const out = show.messages[0];
    expect(out?.state).toBe("sent");
    const [copy] = await waitFor(async () => {
      const found = await sourcesWithMessageId(SERVICER, out?.messageId ?? "");
      return found.length > 0 ? found : null;
    }, "the letter in the servicer's INBOX");
    const dbRaw = readStoredRaw(home, out?.id ?? 0);
    expect(copy?.subarray(copy.length - dbRaw.length).equals(dbRaw)).toBe(true);
    expect(createHash("sha256").update(dbRaw).digest("hex")).toBe(out?.rawSha256);

    // The servicer answers: a threaded substantive reply, an auto-acknowledgment, and one with only the tag.
    await sendAs(SERVICER, {
      to: user,
      subject: `Re: ${out?.subject}`,
      inReplyTo: out?.messageId,
      references: [out?.messageId ?? ""],
      text: "Dear Borrower,\n\nWe have completed our research. Your payment of $1,500.00 received on March 1, 2026 was applied on March 2, 2026: $812.40 to principal, $402.10 to interest and $285.50 to escrow. No funds remain in suspense. A corrected payment history is enclosed.\n\nSincerely,\nCustomer Relations",
    });
    await sendAs(SERVICER, {
      to: user,
      // Auto-responders quote the original subject (and so its tag), but set no In-Reply-To.
      subject: `Automatic reply: ${out?.subject}`,
      headers: { "Auto-Submitted": "auto-replied", "X-Autoreply": "yes" },
      text: "Thank you for contacting us. This is an automated message confirming that we have received your correspondence. Please allow up to 30 business days for a response. Please do not reply to this email.",
    });
    await sendAs(SERVICER, {
      to: user,
      subject: `Your inquiry ${tag}`,
      text: "We are writing to let you know that we need additional time to complete our review of your request. We are extending the time to respond by an additional 15 business days because we must obtain records from our payment processor.",
    });
    await waitFor(async () => (await countMessages(user)) >= 4, "three replies and the self copy");

    const first = L("--json", "sync");
    expect(first.code).toBe(0);
    const s1 = json<SyncDoc>(first);
    expect(s1.totals).toEqual({ new: 3, filed: 3, unfiled: 0 });
    expect(s1.mailboxes.find((m) => m.mailbox === "INBOX")?.ownCopies).toBe(1);
    // The three replies, and the self copy of our letter: its bytes are compared before it is taken for ours
    // (a Message-ID alone is not trusted to be unique).
    expect(s1.fetched.sources).toBe(4);

    const after = json<ShowDoc>(L("--json", "show", "1"));
    const replies = after.messages.filter((m) => m.direction === "in");
    expect(replies.map((r) => r.replyClass).sort()).toEqual(["acknowledgment", "extension", "response"]);
    expect(after.events.filter((e) => e.type === "received")).toHaveLength(3);

    // Nothing changed on the server: STATUS alone answers, and Dovecot confirms no body was fetched.
    const offset = dovecotLogOffset();
    const second = L("--json", "sync");
    const s2 = json<SyncDoc>(second);
    expect(s2.totals.new).toBe(0);
    expect(s2.fetched).toMatchObject({ summaries: 0, sources: 0 });
    expect(s2.mailboxes.every((m) => m.status === "unchanged")).toBe(true);
    const stats = await waitFor(() => {
      const st = dovecotFetchStats(user, offset);
      return st.sessions > 0 ? st : null;
    }, "Dovecot's logout line");
    expect(stats.bodyCount).toBe(0);
  });
});

function readStoredRaw(home: string, id: number): Buffer {
  const db = new Database(join(home, "loanmail.db"), { readonly: true });
  try {
    return db.prepare("SELECT raw FROM messages WHERE id = ?").pluck().get(id) as Buffer;
  } finally {
    db.close();
  }
}

describe("the other TLS modes", () => {
  it("sends over SMTPS (implicit TLS) and syncs over IMAP with STARTTLS", async () => {
    const user = freshBorrower(2);
    const { L } = labHome(user);
    const set = L(
      "account",
      "set",
      "--smtp-port",
      String(PORTS.smtps),
      "--smtp-security",
      "tls",
      "--imap-port",
      String(PORTS.imap),
      "--imap-security",
      "starttls",
    );
    expect(set.code).toBe(0);
    const test = L("--json", "account", "test");
    expect(test.code).toBe(0);
    expect(json<{ smtp: { secure: boolean } }>(test).smtp.secure).toBe(true);
    L("compose", "assumption", "--loan", "1", "--summary", "Can my son assume the loan?");
    const sent = L("--json", "send", "1");
    expect(sent.code).toBe(0);
    const messageId = json<SendDoc>(sent).letters[0]?.messageId ?? "";
    await waitFor(
      async () => (await sourcesWithMessageId(SERVICER, messageId)).length === 1,
      "the letter at the servicer",
    );
    await sendAs(SERVICER, {
      to: user,
      subject: "Re: your question",
      inReplyTo: messageId,
      text: "We have reviewed your request. The loan is assumable by a successor in interest; the enclosed packet lists the documents.",
    });
    await waitFor(async () => (await countMessages(user)) >= 2, "the reply and the self copy");
    const synced = L("--json", "sync");
    expect(synced.code).toBe(0);
    expect(json<SyncDoc>(synced).totals).toEqual({ new: 1, filed: 1, unfiled: 0 });
  });
});
