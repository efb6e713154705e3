/**
 * Replies you can trust, against the real servers: mail delivered by Postfix and synced from Dovecot goes through
 * the same trust rules as an imported file (test/cli/reply-trust.test.ts), with the IMAP INTERNALDATE as its
 * arrival.
 *
 * The home: Jane in America/Chicago; Test Servicer (servicer.test, help@servicer.test) with a notice address by
 * post; a notice of error mailed Thu 2026-10-01 and delivered Mon 2026-10-05. Its clocks (12 C.F.R. 1024.35(d),
 * (e)(3)(i)(C)), counted by hand: acknowledgment 5 business days after receipt, Tue 6 (1), Wed 7 (2), Thu 8 (3),
 * Fri 9 (4), Mon 12 Columbus Day (skipped), Tue 13 (5): due Tue 2026-10-13; response 30 business days: due Wed
 * 2026-11-18 (Veterans Day 11-11 skipped). Every reply below reaches the mailbox today, after both due dates.
 *
 * The strangers come in through the servicer-facing MX listener (no AUTH), as mail from outside would; the
 * servicer's genuine reply through authenticated submission.
 */
import nodemailer from "nodemailer";
import { describe, expect, it } from "vitest";
import { json, type RunResult } from "../cli/helpers.js";
import { CA, countMessages, freshBorrower, HOST, labHome, PORTS, SERVICER, sendAs, waitFor } from "./lab.js";

interface ClockDoc {
  id: string;
  status: string;
  metBy: { messageId: number; on: string; class: string } | null;
  businessDaysLate: number | null;
}
interface MessageDoc {
  id: number;
  direction: string;
  from: string | null;
  messageId: string | null;
  trust: string | null;
  trustWhy: string[];
  heldFromClocks?: boolean;
  arrived: { at: string; source: string; by: string | null } | null;
  dateDiscrepancyDays?: number | null;
}
interface ShowDoc {
  case: { tag: string };
  clocks: ClockDoc[];
  messages: MessageDoc[];
}

const ok = (r: RunResult): RunResult => {
  if (r.code !== 0) throw new Error(`exit ${r.code}: ${r.stderr}`);
  return r;
};

/** The provider's authserv-id the user trusts: in the lab nothing else writes one, so the test writes it. */
const AUTHSERV = "mx.lab.loanmail.test";

/** Mail from outside: the MX listener, STARTTLS, no AUTH, any envelope sender. */
async function deliverFromOutside(mail: {
  from: string;
  to: string;
  subject: string;
  text: string;
  inReplyTo?: string;
  headers?: Record<string, string>;
}): Promise<void> {
  const transport = nodemailer.createTransport({
    host: HOST,
    port: PORTS.mx,
    secure: false,
    requireTLS: true,
    tls: { ca: [CA] },
  });
  try {
    await transport.sendMail(mail);
  } finally {
    transport.close();
  }
}

/** The day an instant falls on in America/Chicago (the home's zone), as YYYY-MM-DD. */
const chicagoDay = (iso: string): string =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "America/Chicago" }).format(new Date(iso));

describe("trust rules on mail synced from the lab", () => {
  it("strangers are unverified, a dmarc=fail copy is suspect, a backdated Date meets nothing in time", async () => {
    const user = freshBorrower(21);
    const { L } = labHome(user, { noticeEmail: false });
    ok(L("account", "set", "--authserv-id", AUTHSERV));
    const tag = json<{ case: { tag: string } }>(
      ok(
        L(
          "--json",
          "compose",
          "notice-of-error",
          "--loan",
          "1",
          "--dated",
          "2026-09-30",
          "--set",
          "error=the March 2026 payment of $1,500 was put in suspense",
          "--summary",
          "On 2026-03-01 I paid $1,500.00 online; it sits in suspense.",
        ),
      ),
    ).case.tag;
    ok(L("mailed", "1", "--tracking", "9407111899560000000021", "--date", "2026-10-01", "--delivered", "2026-10-05"));
    const ours = json<ShowDoc>(ok(L("--json", "show", "1"))).messages[0]?.messageId ?? "";
    expect(ours).toMatch(/^<LM\./);

    // 1. A stranger's reply carrying the case tag, and 2. a look-alike domain answering our Message-ID.
    await deliverFromOutside({
      from: "Mr. Cooper Support <noreply@evil.test>",
      to: user,
      subject: `Re: [${tag}] Your notice of error`,
      text: "We have completed our research and determined that no error occurred on your account.",
    });
    await deliverFromOutside({
      from: "Customer Care <care@servicer.test.support.test>",
      to: user,
      subject: "Re: your letter",
      inReplyTo: ours,
      text: "We have completed our research and determined that no error occurred on your account.",
    });
    // 3. A copy from the servicer's own domain that the user's provider marked as failing DMARC.
    await deliverFromOutside({
      from: `Test Servicer <${SERVICER}>`,
      to: user,
      subject: `Re: [${tag}] Your notice of error`,
      headers: {
        "Authentication-Results": `${AUTHSERV}; dkim=fail header.d=servicer.test; dmarc=fail header.from=servicer.test`,
      },
      text: "We have completed our research and determined that no error occurred on your account.",
    });
    // 4. The servicer's genuine acknowledgment, whose Date header claims Fri 2026-10-09 (inside the window).
    await sendAs(SERVICER, {
      to: user,
      subject: `Re: [${tag}] Your notice of error`,
      headers: { Date: "Fri, 09 Oct 2026 09:30:00 -0500" },
      text: "We have received your notice of error and will respond within 30 business days.",
    });
    await waitFor(async () => (await countMessages(user)) >= 4, "four messages in the borrower's INBOX");

    const synced = json<{ totals: { new: number; filed: number } }>(ok(L("--json", "sync")));
    expect(synced.totals).toMatchObject({ new: 4, filed: 4 });

    const doc = json<ShowDoc>(ok(L("--json", "show", "1")));
    const replies = doc.messages.filter((m) => m.direction === "in");
    const by = (from: string) => {
      const m = replies.find((r) => r.from === from && (from !== SERVICER || r.trust === "suspect"));
      if (!m) throw new Error(`no reply from ${from}`);
      return m;
    };
    const stranger = by("noreply@evil.test");
    expect(stranger).toMatchObject({ trust: "unverified", heldFromClocks: true });
    expect(stranger.trustWhy).toEqual(["From noreply@evil.test is not an address or reply domain of Test Servicer"]);
    expect(by("care@servicer.test.support.test")).toMatchObject({ trust: "unverified", heldFromClocks: true });
    const forged = by(SERVICER);
    expect(forged.trustWhy).toContain(
      `dmarc=fail in the Authentication-Results written by your provider (${AUTHSERV})`,
    );
    expect(forged.heldFromClocks).toBe(true);

    // The genuine acknowledgment arrived when Dovecot received it (INTERNALDATE), not on the Date it claims.
    const genuine = replies.find((r) => r.from === SERVICER && r.trust === "trusted");
    if (!genuine?.arrived) throw new Error("the genuine acknowledgment was not synced with an arrival");
    expect(genuine.arrived.source).toBe("internaldate");
    expect(Date.now() - Date.parse(genuine.arrived.at)).toBeLessThan(10 * 60_000);
    expect(genuine.dateDiscrepancyDays).toBeGreaterThanOrEqual(10);
    const arrivedOn = chicagoDay(genuine.arrived.at);

    const clock = (d: ShowDoc, id: string) => d.clocks.find((c) => c.id === id);
    // The acknowledgment is met on the day it arrived, late (never on 10-09); nothing met the response.
    expect(clock(doc, "noe-ack")).toMatchObject({
      status: "met",
      metBy: { messageId: genuine.id, on: arrivedOn, class: "acknowledgment" },
    });
    expect(clock(doc, "noe-ack")?.businessDaysLate).toBeGreaterThan(30);
    expect(clock(doc, "noe-response")).toMatchObject({ status: "late", metBy: null });

    const text = ok(L("show", "1")).stdout;
    expect(text).toContain("From:    noreply@evil.test");
    expect(text).toContain(`UNVERIFIED: From noreply@evil.test is not an address or reply domain of Test Servicer.`);
    expect(text).toContain("SUSPECT");
    expect(text).toContain("DISCREPANCY");
    expect(L("due", "--check").code).toBe(3);

    // The user checked with the servicer and confirms the stranger's reply: it meets the response on its arrival.
    ok(L("classify", String(stranger.id), "response", "--confirm"));
    const after = json<ShowDoc>(ok(L("--json", "show", "1")));
    expect(clock(after, "noe-response")).toMatchObject({
      status: "met",
      metBy: { messageId: stranger.id, class: "response" },
    });
  });
});
