/**
 * The candidate SEARCH of sync (src/domain/sync-search.ts): its hits must include every message the planner
 * could keep, so each reason to keep has a key, and the anchors stay few.
 */
import { describe, expect, it } from "vitest";
import { indexWithFiled, planMessage, type ThreadIndex } from "../../src/domain/sync-plan.js";
import { anchorOf, candidateQuery, MAX_ANCHORS, queryMatches } from "../../src/domain/sync-search.js";

function index(over: Partial<ThreadIndex> = {}): ThreadIndex {
  return {
    prefix: "ABCD",
    caseByMessageId: new Map([
      ["<LM.ABCD.1.a1b2c3@example.test>", 1],
      ["<x9@mx.servicer.test>", 1],
    ]),
    ownMessageIds: new Set(["<LM.ABCD.1.a1b2c3@example.test>"]),
    caseIds: new Set([1]),
    servicerByDomain: new Map([["servicer.test", 7]]),
    accounts: [{ servicerId: 7, account: "1234567", caseId: 1 }],
    ...over,
  };
}

const headers = (h: Partial<Parameters<typeof queryMatches>[1]>) => ({
  from: null,
  subject: "",
  messageId: null,
  inReplyTo: null,
  references: null,
  ...h,
});

describe("sync's candidate search", () => {
  it("anchors our Message-IDs by their tag part, others by their host", () => {
    expect(anchorOf("<LM.ABCD.12.0f0f0f0f0f0f@example.test>")).toBe("LM.ABCD.");
    expect(anchorOf("<x9@MX.Servicer.test>")).toBe("@mx.servicer.test>");
    expect(anchorOf("<no-at-sign>")).toBe("<no-at-sign>");
  });

  it("has a key for each reason the planner keeps a message", () => {
    const idx = index();
    const q = candidateQuery(idx);
    expect(q).toEqual({
      fromDomains: ["servicer.test"],
      subjectTag: "LM-ABCD-",
      threadAnchors: ["LM.ABCD.", "@mx.servicer.test>"],
      ownAnchors: ["LM.ABCD."],
    });
    const kept = [
      headers({ from: "Care <care@mail.servicer.test>" }), // a servicer's subdomain
      headers({ from: "x@elsewhere.test", subject: "Re: your letter [lm-abcd-1]" }), // the tag, any case
      headers({ from: "x@elsewhere.test", inReplyTo: "<LM.ABCD.1.a1b2c3@example.test>" }),
      headers({ from: "x@elsewhere.test", references: "<a@b.test> <x9@mx.servicer.test>" }),
      headers({ from: "me@example.test", messageId: "<LM.ABCD.1.a1b2c3@example.test>" }), // our letter's copy
    ];
    for (const h of kept) {
      const plan = planMessage(
        {
          messageId: h.messageId,
          inReplyTo: h.inReplyTo,
          references: h.references?.split(" ") ?? [],
          subject: h.subject,
          from: (h.from ?? "").replace(/.*</, "").replace(">", ""),
        },
        idx,
      );
      expect(plan.action).not.toBe("skip");
      expect(queryMatches(q, h)).toBe(true);
    }
    expect(queryMatches(q, headers({ from: "news@elsewhere.test", subject: "Weekly offers" }))).toBe(false);
    expect(queryMatches(q, headers({ from: "x@elsewhere.test", inReplyTo: "<other@elsewhere.test>" }))).toBe(false);
  });

  it("past MAX_ANCHORS, asks for every message with an In-Reply-To or References header", () => {
    const many = new Map(Array.from({ length: MAX_ANCHORS + 1 }, (_, i) => [`<m@host${i}.test>`, 1] as const));
    const q = candidateQuery(index({ caseByMessageId: many }));
    expect(q.threadAnchors).toBeNull();
    expect(queryMatches(q, headers({ references: "<anything@anywhere.test>" }))).toBe(true);
    expect(queryMatches(q, headers({ from: "news@elsewhere.test" }))).toBe(false);
  });

  it("a home with no servicer, case or letter asks for nothing", () => {
    const q = candidateQuery(
      index({ caseByMessageId: new Map(), ownMessageIds: new Set(), caseIds: new Set(), servicerByDomain: new Map() }),
    );
    expect(q).toEqual({ fromDomains: [], subjectTag: null, threadAnchors: [], ownAnchors: [] });
  });
});

describe("the thread index a sync's pass carries from batch to batch", () => {
  it("gains each stored message filed to a case; the first message stored with an ID keeps it", () => {
    const before = index();
    const after = indexWithFiled(before, [
      { messageId: "<a1@mx.bank.example>", caseId: 1 },
      { messageId: "<x9@mx.servicer.test>", caseId: 2 }, // held already: stays with case 1
      { messageId: "<u1@servicer.test>", caseId: null }, // unfiled: threads nothing
      { messageId: null, caseId: 1 },
    ]);
    expect([...after.caseByMessageId]).toEqual([
      ["<LM.ABCD.1.a1b2c3@example.test>", 1],
      ["<x9@mx.servicer.test>", 1],
      ["<a1@mx.bank.example>", 1],
    ]);
    expect(before.caseByMessageId.has("<a1@mx.bank.example>")).toBe(false);
    // A stranger's answer to the new message is now filed by its References.
    const answer = { messageId: "<z@law.example>", inReplyTo: null, references: ["<a1@mx.bank.example>"] };
    expect(planMessage({ ...answer, subject: "Re: escrow", from: "lawyer@law.example" }, after)).toMatchObject({
      action: "keep",
      caseId: 1,
      filedBy: "references",
    });
  });
});

describe("filing by account number", () => {
  const two = index({
    accounts: [
      { servicerId: 7, account: "1234567", caseId: 1 },
      { servicerId: 7, account: "7654321", caseId: 2 },
    ],
  });
  const plan = (subject: string) =>
    planMessage(
      { messageId: "<m@servicer.test>", inReplyTo: null, references: [], subject, from: "a@servicer.test" },
      two,
    );

  it("files mail naming one account to that account's case", () => {
    expect(plan("Statement for account 7654321")).toMatchObject({
      action: "keep",
      caseId: 2,
      filedBy: "account-number",
    });
  });

  it("leaves mail naming two accounts (two loans, perhaps two households) unfiled for the user", () => {
    expect(plan("Statements for accounts 1234567 and 7654321")).toMatchObject({ action: "keep", caseId: null });
  });
});
