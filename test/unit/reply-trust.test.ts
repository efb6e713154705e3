/**
 * Who sent a reply and when it arrived, as pure rules: RFC 8601 Authentication-Results read as written (comments,
 * quoted strings, versions, properties), only the user's own provider believed, the sender matched against the
 * servicer's addresses and domains, and the arrival taken from INTERNALDATE or the user's own Received field.
 */
import { describe, expect, it } from "vitest";
import { parseAuthenticationResults } from "../../src/domain/auth-results.js";
import {
  arrivalFromReceived,
  arrivalOf,
  dateDiscrepancyDays,
  ownServerDomains,
  parseReceived,
} from "../../src/domain/reply-arrival.js";
import { judgeReplyTrust, meetsClocks, type ServicerIdentity, servicerOfSender } from "../../src/domain/reply-trust.js";

const COOPER: ServicerIdentity = {
  id: 1,
  name: "Mr. Cooper",
  domains: ["servicer.test"],
  addresses: ["help@servicer.test", "payoff@other-host.test"],
};

describe("Authentication-Results (RFC 8601)", () => {
  it("reads the authserv-id, each method and result, reasons and properties", () => {
    const f = parseAuthenticationResults(
      "mx.google.com;\r\n       dkim=pass header.i=@servicer.test header.s=s1 header.b=AbC;\r\n       spf=pass (google.com: domain of bounce@servicer.test designates 192.0.2.1 as permitted sender) smtp.mailfrom=bounce@servicer.test;\r\n       dmarc=pass (p=REJECT sp=REJECT dis=NONE) header.from=servicer.test",
    );
    expect(f?.authservId).toBe("mx.google.com");
    expect(f?.results).toEqual([
      {
        method: "dkim",
        result: "pass",
        reason: null,
        props: { "header.i": "@servicer.test", "header.s": "s1", "header.b": "AbC" },
      },
      { method: "spf", result: "pass", reason: null, props: { "smtp.mailfrom": "bounce@servicer.test" } },
      { method: "dmarc", result: "pass", reason: null, props: { "header.from": "servicer.test" } },
    ]);
  });

  it("reads the RFC's own examples: a version, `none`, comments inside the payload, quoted reasons", () => {
    // RFC 8601 appendix B.2 and B.6 (abridged).
    expect(parseAuthenticationResults("example.org 1; none")).toEqual({ authservId: "example.org", results: [] });
    const b6 = parseAuthenticationResults(
      'example.com; dkim=pass reason="good signature" header.i=@mail-router.example.net; dkim=fail reason="bad signature" header.i=@newyork.example.com',
    );
    expect(b6?.results.map((r) => [r.method, r.result, r.reason])).toEqual([
      ["dkim", "pass", "good signature"],
      ["dkim", "fail", "bad signature"],
    ]);
    const commented = parseAuthenticationResults(
      "(a comment; with a semicolon) mail.example.net (x); DMARC (y) = FAIL",
    );
    expect(commented).toEqual({
      authservId: "mail.example.net",
      results: [{ method: "dmarc", result: "fail", reason: null, props: {} }],
    });
    expect(parseAuthenticationResults("  ")).toBeNull();
    expect(
      parseAuthenticationResults("mx.example.net; spf/1 = softfail smtp.mailfrom=a@b.test")?.results[0],
    ).toMatchObject({ method: "spf", result: "softfail" });
  });
});

describe("the sender: trusted, suspect, unverified", () => {
  const base = { servicers: [COOPER], authResults: [] as string[], trustedAuthservIds: ["mx.mail.test"] };

  it("trusts the servicer's reply domain, a subdomain of it, and its recorded addresses", () => {
    expect(servicerOfSender("help@servicer.test", [COOPER])?.by).toBe("address help@servicer.test");
    expect(servicerOfSender("Notices@Mail.Servicer.Test", [COOPER])?.by).toBe("reply domain servicer.test");
    expect(servicerOfSender("payoff@other-host.test", [COOPER])?.servicer.name).toBe("Mr. Cooper");
    // A look-alike domain is not a subdomain.
    expect(servicerOfSender("help@evilservicer.test", [COOPER])).toBeNull();
    expect(servicerOfSender("help@servicer.test.evil.test", [COOPER])).toBeNull();
    expect(judgeReplyTrust({ ...base, from: "help@servicer.test" })).toEqual({
      status: "trusted",
      why: ["From help@servicer.test is Mr. Cooper's (address help@servicer.test)"],
    });
  });

  it("a stranger is unverified, whatever the message says", () => {
    expect(judgeReplyTrust({ ...base, from: "noreply@evil.test" })).toEqual({
      status: "unverified",
      why: ["From noreply@evil.test is not an address or reply domain of Mr. Cooper"],
    });
    expect(judgeReplyTrust({ ...base, from: null }).status).toBe("unverified");
  });

  it("a fail written by the user's own provider makes the servicer's domain suspect; another server's is ignored", () => {
    const forged =
      "mx.mail.test; dkim=fail header.d=servicer.test; spf=fail smtp.mailfrom=servicer.test; dmarc=fail header.from=servicer.test";
    const v = judgeReplyTrust({ ...base, from: "help@servicer.test", authResults: [forged] });
    expect(v.status).toBe("suspect");
    expect(v.why).toEqual([
      "dmarc=fail in the Authentication-Results written by your provider (mx.mail.test)",
      "spf=fail in the Authentication-Results written by your provider (mx.mail.test)",
      "dkim=fail in the Authentication-Results written by your provider (mx.mail.test): header.d=servicer.test",
      "From help@servicer.test is Mr. Cooper's (address help@servicer.test)",
    ]);
    // The same field by another authserv-id (written by the sender, or a server on the way) says nothing.
    const other = forged.replace("mx.mail.test", "mx.evil.test");
    expect(judgeReplyTrust({ ...base, from: "help@servicer.test", authResults: [other] }).status).toBe("trusted");
    // Without a trusted authserv-id, no field is believed.
    expect(
      judgeReplyTrust({ ...base, trustedAuthservIds: [], from: "help@servicer.test", authResults: [forged] }).status,
    ).toBe("trusted");
    // authserv-ids compare without case.
    expect(
      judgeReplyTrust({
        ...base,
        trustedAuthservIds: ["MX.Mail.Test"],
        from: "help@servicer.test",
        authResults: [forged],
      }).status,
    ).toBe("suspect");
  });

  it("a failed DKIM signature beside one that verified is not a forgery; softfail and none are not fail", () => {
    const twice =
      "mx.mail.test; dkim=pass header.d=servicer.test; dkim=fail header.d=list.test; spf=softfail; dmarc=none";
    const v = judgeReplyTrust({ ...base, from: "help@servicer.test", authResults: [twice] });
    expect(v.status).toBe("trusted");
    expect(v.why).toContain("dkim=pass by mx.mail.test");
  });

  it("a stranger whose mail also fails is suspect (the stronger warning)", () => {
    const v = judgeReplyTrust({ ...base, from: "x@evil.test", authResults: ["mx.mail.test; dmarc=fail"] });
    expect(v.status).toBe("suspect");
    expect(v.why.at(-1)).toBe("From x@evil.test is not an address or reply domain of Mr. Cooper");
  });

  it("--verify-dkim: a signature of the From domain that verifies; one that does not is suspect", () => {
    const from = "help@servicer.test";
    expect(
      judgeReplyTrust({
        ...base,
        from,
        dkim: { signatures: [{ domain: "servicer.test", result: "pass", comment: null }] },
      }),
    ).toEqual({
      status: "trusted",
      why: [
        "From help@servicer.test is Mr. Cooper's (address help@servicer.test)",
        "DKIM signature of servicer.test verified",
      ],
    });
    const broken = judgeReplyTrust({
      ...base,
      from,
      dkim: { signatures: [{ domain: "servicer.test", result: "neutral", comment: "body hash did not verify" }] },
    });
    expect(broken).toMatchObject({ status: "suspect" });
    expect(broken.why[0]).toBe(
      "the DKIM signature of servicer.test does not verify (neutral: body hash did not verify)",
    );
    expect(judgeReplyTrust({ ...base, from, dkim: { signatures: [] } }).why).toContain("no DKIM signature");
    expect(judgeReplyTrust({ ...base, from, dkim: { error: "DNS timeout" } })).toMatchObject({ status: "trusted" });
  });

  it("only a trusted or confirmed reply meets a clock; a reply with no standing is one recorded by hand", () => {
    expect(meetsClocks({})).toBe(true);
    expect(meetsClocks({ trust: { status: "trusted", confirmed: false } })).toBe(true);
    expect(meetsClocks({ trust: { status: "unverified", confirmed: false } })).toBe(false);
    expect(meetsClocks({ trust: { status: "suspect", confirmed: false } })).toBe(false);
    expect(meetsClocks({ trust: { status: "suspect", confirmed: true } })).toBe(true);
  });
});

describe("arrival: the user's own server, never the Date header", () => {
  const NOW = new Date("2026-12-01T17:00:00Z");
  const RECEIVED = [
    // Newest first, as they sit in the message. The top one is the user's server (by mx2.mail.test).
    "from out.servicer.test (out.servicer.test [192.0.2.7])\r\n\tby mx2.mail.test (Postfix) with ESMTPS id 4QX for <jane@example.test>;\r\n\tMon, 30 Nov 2026 09:12:44 -0600 (CST)",
    "by out.servicer.test (Postfix, from userid 1000) id 77; Fri, 20 Nov 2026 10:00:00 -0600",
  ];

  it("reads the host and the time of a Received field", () => {
    expect(parseReceived(RECEIVED[0] as string)).toEqual({ by: "mx2.mail.test", at: "2026-11-30T15:12:44.000Z" });
    expect(parseReceived("from a (comment with by evil.test) by mx.mail.test; not a date")).toEqual({
      by: "mx.mail.test",
      at: null,
    });
  });

  it("takes the newest field added by the user's server, matched by the account's hosts or their domain", () => {
    expect(ownServerDomains(["imap.mail.test", "smtp.mail.test", "127.0.0.1"])).toEqual([
      "imap.mail.test",
      "mail.test",
      "smtp.mail.test",
      "127.0.0.1",
    ]);
    expect(arrivalFromReceived(RECEIVED, ["imap.mail.test"], NOW)).toEqual({
      at: "2026-11-30T15:12:44.000Z",
      by: "mx2.mail.test",
    });
    // No own host: nothing the sender wrote counts.
    expect(arrivalFromReceived(RECEIVED, [], NOW)).toBeNull();
    expect(arrivalFromReceived(RECEIVED, ["imap.other.test"], NOW)).toBeNull();
    // A field dated after the import is impossible and is ignored.
    expect(arrivalFromReceived(RECEIVED, ["imap.mail.test"], new Date("2026-11-30T00:00:00Z"))).toBeNull();
  });

  it("INTERNALDATE first, then the Received field, else the time of recording (not proven)", () => {
    expect(
      arrivalOf({
        internalDate: "2026-11-29T10:00:00.000Z",
        received: RECEIVED,
        ownHosts: ["imap.mail.test"],
        now: NOW,
      }),
    ).toEqual({ at: "2026-11-29T10:00:00.000Z", source: "internaldate" });
    expect(arrivalOf({ internalDate: null, received: RECEIVED, ownHosts: ["imap.mail.test"], now: NOW })).toMatchObject(
      {
        source: "received",
        by: "mx2.mail.test",
      },
    );
    expect(arrivalOf({ internalDate: null, received: RECEIVED, ownHosts: [], now: NOW })).toEqual({
      at: "2026-12-01T17:00:00.000Z",
      source: "recorded",
    });
  });

  it("a Date more than a day before the arrival is a discrepancy, in whole days", () => {
    const arrival = { at: "2026-12-01T17:00:00.000Z", source: "recorded" as const };
    // Nov 21 17:00Z to Dec 1 17:00Z is 10 days.
    expect(dateDiscrepancyDays("2026-11-21T17:00:00.000Z", arrival)).toBe(10);
    // 23 hours before: within a day, no flag.
    expect(dateDiscrepancyDays("2026-11-30T18:00:00.000Z", arrival)).toBeNull();
    expect(dateDiscrepancyDays(null, arrival)).toBeNull();
    expect(dateDiscrepancyDays("2026-11-01", { at: "2026-12-01", source: "typed" })).toBeNull();
  });
});
