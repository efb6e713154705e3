/**
 * loanmail's IMAP session (src/mail/imap.ts) against the lab's real Dovecot over TLS: what a sync with no news
 * asks the server. Dovecot announces LIST-STATUS (RFC 5819), so the one LIST answers each mailbox's STATUS too.
 * The session's imapflow client is watched (a spy on the real object, the conversation itself untouched).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ImapSession } from "../../src/mail/imap.js";
import { appendTo, CA, freshBorrower, HOST, imapAs, PASSWORD, PORTS } from "./lab.js";

const user = freshBorrower(3);

function message(n: number): string {
  return [
    "From: Escrow <escrow@servicer.test>",
    `To: ${user}`,
    `Subject: Escrow statement ${n}`,
    "Date: Tue, 3 Mar 2026 10:00:00 -0600",
    `Message-ID: <session-${n}@servicer.test>`,
    "",
    "Your escrow statement is ready.",
    "",
  ].join("\r\n");
}

describe("IMAP session", () => {
  let session: ImapSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
  });

  it("takes each mailbox's STATUS from the LIST (LIST-STATUS) once, then asks the server again", async () => {
    await appendTo(user, "INBOX", [message(1), message(2)]);
    const expected = await imapAs(user).then(async (c) => {
      const s = await c.status("INBOX", { uidNext: true, uidValidity: true, messages: true });
      await c.logout();
      if (!s) throw new Error("the lab refused STATUS INBOX");
      return s;
    });

    session = await ImapSession.open(
      { host: HOST, port: PORTS.imaps, security: "tls", ca: CA },
      { user, pass: PASSWORD },
    );
    expect(session.capabilities()).toContain("LIST-STATUS");
    const asked = vi.spyOn(session.client, "status");

    expect(await session.resolveMailbox("INBOX")).toBe("INBOX");
    const first = await session.status("INBOX");
    expect(asked).not.toHaveBeenCalled();
    expect(first).toEqual({
      path: "INBOX",
      uidValidity: Number(expected.uidValidity),
      uidNext: Number(expected.uidNext),
      messages: 2,
    });

    // A later STATUS of the same mailbox is the server's answer then, not the LIST's.
    await appendTo(user, "INBOX", [message(3)]);
    const second = await session.status("INBOX");
    expect(asked).toHaveBeenCalledTimes(1);
    expect(second.messages).toBe(3);
    expect(second.uidNext).toBe(first.uidNext + 1);
  });
});
