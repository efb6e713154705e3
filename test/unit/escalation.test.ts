/**
 * The escalation planner: each trigger, each refusal, the next step and its letter, and the citation text that
 * names every earlier letter and reply (date, subject, Message-ID) and every missed clock with its business days.
 * Clocks come from computeClocks on hand-made facts, as the app computes them.
 */
import { describe, expect, it } from "vitest";
import type { ReplyClass } from "../../src/domain/classify.js";
import { type CaseClockInput, type ClockLetter, computeClocks } from "../../src/domain/clocks.js";
import {
  buildCfpbComplaint,
  CFPB_TEXT_LIMIT,
  type ChainCase,
  type EscalationInput,
  type EscalationPlan,
  type EscalationRefusal,
  effectiveStep,
  type HistoryLetter,
  type HistoryReply,
  type LadderCase,
  planEscalation,
} from "../../src/domain/escalation.js";
import { type KindId, kindDef } from "../../src/domain/kinds.js";

const LOAN = { product: "closed-end" as const, principalResidence: true, smallServicer: false, slaDays: 3 };
const PARTIES = {
  borrowers: ["Jane Q. Doe"],
  accountNumber: "1234567",
  propertyAddress: "12 Elm St\nSpringfield, IL 62701",
  servicerName: "Mr. Cooper",
};

let nextRow = 1;

interface LetterSpec {
  kind: KindId;
  formal?: boolean;
  channel?: ClockLetter["channel"];
  leftOn: string | null;
  deliveredOn?: string | null;
  fields?: Record<string, string>;
  subject?: string;
  messageId?: string | null;
}

interface ReplySpec {
  on: string;
  class: ReplyClass;
  subject?: string;
  messageId?: string | null;
  channel?: string;
}

/** One case of a chain, with clocks computed from its letters and replies as the app does. */
function link(
  c: Partial<LadderCase> & { id: number; kind: string },
  letters: LetterSpec[],
  replies: ReplySpec[],
  asOf: string,
): ChainCase {
  const tag = `LM-K7QX-${c.id}`;
  const ladder: LadderCase = {
    tag,
    formal: false,
    step: "inquiry",
    status: "open",
    ...c,
  };
  const hl: HistoryLetter[] = letters.map((l) => {
    const row = nextRow++;
    return {
      message: row,
      caseTag: tag,
      kind: l.kind,
      date: l.leftOn,
      deliveredOn: l.deliveredOn ?? null,
      channel: l.channel ?? "email",
      subject: l.subject ?? `Account Number 1234567 \u2013 ${kindDef(l.kind).label} [${tag}]`,
      messageId: l.messageId === undefined ? `<${tag}.${row}abc@example.test>` : l.messageId,
      fields: l.fields ?? {},
    };
  });
  const hr: HistoryReply[] = replies.map((r) => {
    const row = nextRow++;
    return {
      message: row,
      caseTag: tag,
      date: r.on,
      channel: r.channel ?? "email",
      subject: r.subject ?? `Re: ${tag} (${r.class})`,
      messageId: r.messageId === undefined ? `<reply.${row}.20260908@servicer.test>` : r.messageId,
      class: r.class,
    };
  });
  const facts: CaseClockInput = {
    loan: LOAN,
    letters: hl.map((l, i) => ({
      messageId: l.message,
      kind: letters[i]?.kind as KindId,
      substance: kindDef(letters[i]?.kind as KindId).substance,
      formal: ladder.formal,
      // The ladder's formal rung goes to the designated channel; its other letters to customer service.
      designation: ladder.formal
        ? { designated: true, where: "the designated notice email" }
        : { designated: false, why: "an ordinary letter" },
      channel: l.channel as ClockLetter["channel"],
      leftOn: l.date,
      deliveredOn: l.deliveredOn,
      fields: l.fields,
    })),
    replies: hr.map((r) => ({ messageId: r.message, receivedOn: r.date, class: r.class })),
    events: [],
  };
  return { case: ladder, letters: hl, replies: hr, clocks: computeClocks(facts, asOf) };
}

function input(chain: ChainCase[], asOf: string, children: EscalationInput["children"] = []): EscalationInput {
  return { chain, children, loan: PARTIES, asOf };
}

function planned(i: EscalationInput): EscalationPlan {
  const p = planEscalation(i);
  if (!p.ok) throw new Error(`expected a plan, got a refusal: ${p.reason}`);
  return p;
}

function refused(i: EscalationInput): EscalationRefusal {
  const p = planEscalation(i);
  if (p.ok) throw new Error(`expected a refusal, got a plan to ${p.step}`);
  return p;
}

/** A formal notice of error by post, delivered on `delivered`. */
function formalNoe(id: number, delivered: string, replies: ReplySpec[], asOf: string, extra: Partial<LadderCase> = {}) {
  return link(
    { id, kind: "notice-of-error", formal: true, ...extra },
    [
      {
        kind: "notice-of-error",
        channel: "post",
        leftOn: "2026-11-02",
        deliveredOn: delivered,
        fields: { error: "The March payment sits in suspense.", type: "general" },
      },
    ],
    replies,
    asOf,
  );
}

describe("the ladder", () => {
  it("places a case on its rung: stored step, else its kind or formality", () => {
    expect(effectiveStep({ step: "inquiry", kind: "payment-application", formal: false })).toBe("inquiry");
    expect(effectiveStep({ step: "inquiry", kind: "notice-of-error", formal: true })).toBe("formal");
    expect(effectiveStep({ step: "inquiry", kind: "follow-up", formal: false })).toBe("follow-up");
    expect(effectiveStep({ step: "inquiry", kind: "escalation-request", formal: false })).toBe("escalation-request");
    expect(effectiveStep({ step: "regulator", kind: "notice-of-error", formal: true })).toBe("regulator");
  });
});

describe("planEscalation: triggers", () => {
  it("a late clock with no reply: a formal notice climbs to the regulator, citing the missed clock exactly", () => {
    const asOf = "2026-12-31";
    const p = planned(input([formalNoe(1, "2026-11-05", [], asOf)], asOf));
    expect(p.from).toBe("formal");
    expect(p.step).toBe("regulator");
    expect(p.letter).toBeNull();
    expect(p.trigger.kind).toBe("late-clock");
    expect(p.missed.map((m) => m.clock)).toEqual(["noe-ack", "noe-response"]);
    expect(p.summary).toContain(
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due 2026-11-13 and had not arrived on 2026-12-31, 32 business days late.",
    );
    expect(p.summary).toContain(
      "The response required by 12 C.F.R. 1024.35(e)(3)(i)(C) was due 2026-12-21 and had not arrived on 2026-12-31, 7 business days late.",
    );
    expect(p.cites).toHaveLength(1);
    expect(p.summary).toContain("by certified mail to your designated address, delivered 2026-11-05");
  });

  it("only an acknowledgment by the response due date", () => {
    const asOf = "2026-12-31";
    const p = planned(input([formalNoe(1, "2026-11-05", [{ on: "2026-11-09", class: "acknowledgment" }], asOf)], asOf));
    expect(p.triggers.map((t) => t.kind)).toEqual(["acknowledgment-only", "late-clock"]);
    expect(p.trigger.text).toContain("only acknowledged it (2026-11-09)");
    expect(p.trigger.text).toContain("due 2026-12-21");
    // The acknowledgment clock was met on time: only the response is missed.
    expect(p.missed.map((m) => m.clock)).toEqual(["noe-response"]);
    expect(p.summary).toContain("You acknowledged my letter on 2026-11-09 but have not answered it.");
  });

  it("an exception the user disputes: unresolved after an exception reply climbs from inquiry to follow-up", () => {
    const asOf = "2026-11-27";
    const c = link(
      { id: 1, kind: "payment-application", status: "unresolved" },
      [{ kind: "payment-application", channel: "portal", leftOn: "2026-09-01" }],
      [{ on: "2026-09-08", class: "exception", subject: "Re: your request" }],
      asOf,
    );
    const p = planned(input([c], asOf));
    expect(p.trigger.kind).toBe("exception-disputed");
    expect(p.from).toBe("inquiry");
    expect(p.step).toBe("follow-up");
    expect(p.letter).toEqual({ kind: "follow-up", formal: false, fields: { case: "LM-K7QX-1" } });
    expect(p.formal).toBe(false);
    expect(p.summary).toContain("I dispute your answer of 2026-09-08 declining my request");
    expect(p.summary).toContain("I now ask for a complete written answer to my letter of 2026-09-01.");
  });

  it("resolve --unresolved with no reply at all: a follow-up climbs to an escalation request", () => {
    const asOf = "2026-11-27";
    const root = link(
      { id: 1, kind: "escrow-inquiry", status: "open" },
      [{ kind: "escrow-inquiry", channel: "portal", leftOn: "2026-09-01" }],
      [{ on: "2026-09-03", class: "acknowledgment" }],
      asOf,
    );
    const child = link(
      { id: 2, kind: "follow-up", step: "follow-up", status: "unresolved" },
      [{ kind: "follow-up", channel: "portal", leftOn: "2026-09-15", fields: { case: "LM-K7QX-1" } }],
      [],
      asOf,
    );
    const p = planned(input([root, child], asOf));
    expect(p.trigger.kind).toBe("unresolved");
    expect(p.from).toBe("follow-up");
    expect(p.step).toBe("escalation-request");
    expect(p.letter).toEqual({ kind: "escalation-request", formal: false, fields: { case: "LM-K7QX-2" } });
    expect(p.summary).toContain("The matter is not resolved.");
  });
});

describe("planEscalation: citations", () => {
  it("cites every letter and reply of the case and its ancestors by date, subject and Message-ID, in order", () => {
    const asOf = "2026-12-31";
    const root = link(
      { id: 1, kind: "payment-application", status: "unresolved" },
      [
        {
          kind: "payment-application",
          channel: "portal",
          leftOn: "2026-09-01",
          fields: { "payment-date": "2026-03-01", amount: "1500.00" },
        },
      ],
      [
        {
          on: "2026-09-08",
          class: "acknowledgment",
          subject: "We received your letter",
          messageId: "<ack-1@servicer.test>",
        },
        {
          on: "2026-09-10",
          class: "exception",
          subject: "Your request is overbroad",
          messageId: null,
          channel: "post",
        },
      ],
      asOf,
    );
    const followUp = link(
      { id: 2, kind: "follow-up", step: "follow-up", status: "unresolved" },
      [{ kind: "follow-up", channel: "portal", leftOn: "2026-09-15", messageId: "<LM-K7QX-2.f00d@example.test>" }],
      [],
      asOf,
    );
    const escalation = link(
      { id: 3, kind: "escalation-request", step: "escalation-request", status: "unresolved" },
      [
        { kind: "escalation-request", channel: "portal", leftOn: "2026-09-22" },
        // A draft never left: never cited.
        { kind: "escalation-request", leftOn: null, subject: "A draft that never left", messageId: "<draft@x>" },
      ],
      [{ on: "2026-10-01", class: "other", subject: "Your monthly statement", messageId: "<stmt-9@servicer.test>" }],
      asOf,
    );
    const p = planned(input([root, followUp, escalation], asOf));
    expect(p.step).toBe("formal");
    const expected: [string, string, string][] = [
      [
        "2026-09-01",
        "Account Number 1234567 \u2013 Payment Clarification [LM-K7QX-1]",
        root.letters[0]?.messageId as string,
      ],
      ["2026-09-08", "We received your letter", "<ack-1@servicer.test>"],
      ["2026-09-10", "Your request is overbroad", "no Message-ID"],
      ["2026-09-15", "Account Number 1234567 \u2013 Follow-Up [LM-K7QX-2]", "<LM-K7QX-2.f00d@example.test>"],
      [
        "2026-09-22",
        "Account Number 1234567 \u2013 Escalation Request [LM-K7QX-3]",
        escalation.letters[0]?.messageId as string,
      ],
      ["2026-10-01", "Your monthly statement", "<stmt-9@servicer.test>"],
    ];
    expect(p.cites.map((c) => c.date)).toEqual(expected.map((e) => e[0]));
    let at = 0;
    for (const [date, subject, id] of expected) {
      const sentence = p.cites.find((c) => c.date === date)?.text ?? "";
      expect(sentence).toContain(date);
      expect(sentence).toContain(`"${subject}"`);
      expect(sentence).toContain(id);
      // In the summary, in order.
      const where = p.summary.indexOf(sentence);
      expect(where).toBeGreaterThan(at - 1);
      at = where;
    }
    expect(p.summary).not.toContain("A draft that never left");
    expect(p.summary).toContain("On 2026-09-10 you replied by post with");
    // The formal step of an error dispute is a notice of error carrying the original's date and amount.
    expect(p.letter?.kind).toBe("notice-of-error");
    expect(p.letter?.formal).toBe(true);
    expect(p.letter?.fields).toMatchObject({ "error-date": "2026-03-01", amount: "1500.00" });
    expect(p.letter?.fields.error).toContain("my payment of $1,500.00 made on 2026-03-01 was not applied");
    expect(p.ask).toContain("formal notice of this error under 12 C.F.R. 1024.35");
  });

  it("a clock met late is cited with the day the answer came", () => {
    const asOf = "2026-12-31";
    const c = formalNoe(1, "2026-11-05", [{ on: "2026-11-20", class: "acknowledgment" }], asOf);
    const p = planned(input([c], asOf));
    const ack = p.missed.find((m) => m.clock === "noe-ack");
    expect(ack).toMatchObject({ status: "met-late", arrivedOn: "2026-11-20", due: "2026-11-13", businessDaysLate: 5 });
    expect(ack?.text).toBe(
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due 2026-11-13 and arrived on 2026-11-20, 5 business days late.",
    );
  });

  it("the formal step of any other kind is a request for information naming what was asked", () => {
    const asOf = "2026-11-27";
    const root = link(
      { id: 1, kind: "payment-history" },
      [
        {
          kind: "payment-history",
          channel: "portal",
          leftOn: "2026-09-01",
          fields: { from: "2025-01-01", to: "2025-12-31" },
        },
      ],
      [],
      asOf,
    );
    const esc = link(
      { id: 2, kind: "escalation-request", step: "escalation-request", status: "unresolved" },
      [{ kind: "escalation-request", channel: "portal", leftOn: "2026-09-15" }],
      [],
      asOf,
    );
    const p = planned(input([root, esc], asOf));
    expect(p.letter?.kind).toBe("information-request");
    expect(p.letter?.fields).toMatchObject({ from: "2025-01-01", to: "2025-12-31" });
    expect(p.letter?.fields.information).toContain("transaction history for a stated period");
    expect(p.ask).toContain("12 C.F.R. 1024.36");
  });

  it("a late fee dispute becomes a notice of error about the fee", () => {
    const asOf = "2026-11-27";
    const root = link(
      { id: 1, kind: "late-fee-dispute" },
      [
        {
          kind: "late-fee-dispute",
          channel: "portal",
          leftOn: "2026-09-01",
          fields: { "payment-date": "2026-08-01", amount: "1500.00", fee: "75.00", "fee-date": "2026-08-17" },
        },
      ],
      [],
      asOf,
    );
    const esc = link(
      { id: 2, kind: "escalation-request", step: "escalation-request", status: "unresolved" },
      [{ kind: "escalation-request", channel: "portal", leftOn: "2026-09-15" }],
      [],
      asOf,
    );
    const p = planned(input([root, esc], asOf));
    expect(p.letter).toMatchObject({
      kind: "notice-of-error",
      fields: { "error-date": "2026-08-17", amount: "75.00" },
    });
    expect(p.letter?.fields.error).toContain("a late fee of $75.00 was charged");
  });
});

describe("planEscalation: refusals", () => {
  it("refuses when the servicer answered and no clock is late, and says what to do", () => {
    const asOf = "2026-12-31";
    const c = formalNoe(
      4,
      "2026-11-05",
      [
        { on: "2026-11-09", class: "acknowledgment" },
        { on: "2026-11-20", class: "response" },
      ],
      asOf,
    );
    const r = refused(input([c], asOf));
    expect(r.reason).toBe(
      "the servicer answered on 2026-11-20 (response) and no clock is late; mark it loanmail resolve 4 --unresolved if the answer does not resolve it",
    );
    expect(r.hint).toContain("loanmail resolve 4 --unresolved");
  });

  it("refuses before any clock is late, naming the next due date", () => {
    const asOf = "2026-11-10";
    const r = refused(input([formalNoe(1, "2026-11-05", [], asOf)], asOf));
    expect(r.reason).toContain("no clock is late yet on 2026-11-10");
    expect(r.reason).toContain("due 2026-11-13");
  });

  it("refuses after an acknowledgment while the response is not yet due", () => {
    const asOf = "2026-11-20";
    const r = refused(input([formalNoe(1, "2026-11-05", [{ on: "2026-11-09", class: "acknowledgment" }], asOf)], asOf));
    expect(r.reason).toContain("acknowledged it on 2026-11-09");
    expect(r.reason).toContain("response is due 2026-12-21");
  });

  it("refuses a case whose letter never left, a resolved or discarded one, one already escalated, and the top", () => {
    const asOf = "2026-12-31";
    const draft = link(
      { id: 1, kind: "assumption", status: "draft" },
      [{ kind: "assumption", leftOn: null }],
      [],
      asOf,
    );
    expect(refused(input([draft], asOf)).reason).toContain("has no letter that left yet");
    expect(refused(input([formalNoe(1, "2026-11-05", [], asOf, { status: "resolved" })], asOf)).reason).toContain(
      "is resolved",
    );
    expect(refused(input([formalNoe(1, "2026-11-05", [], asOf, { status: "discarded" })], asOf)).reason).toContain(
      "was discarded",
    );
    const already = refused(
      input([formalNoe(1, "2026-11-05", [], asOf)], asOf, [
        { id: 2, tag: "LM-K7QX-2", step: "regulator", status: "open" },
      ]),
    );
    expect(already.reason).toContain("already escalated: LM-K7QX-2");
    expect(already.hint).toContain("loanmail escalate LM-K7QX-2");
    // A discarded escalation does not block a new one.
    expect(
      planEscalation(
        input([formalNoe(1, "2026-11-05", [], asOf)], asOf, [
          { id: 2, tag: "LM-K7QX-2", step: "regulator", status: "discarded" },
        ]),
      ).ok,
    ).toBe(true);
    const top = refused(input([formalNoe(1, "2026-11-05", [], asOf, { step: "legal" })], asOf));
    expect(top.reason).toContain("top of the ladder");
    expect(top.hint).toContain("loanmail export 1 --out FILE.zip");
  });

  it("refuses an ordinary letter through a portal (no clock) that is not marked unresolved", () => {
    const asOf = "2026-11-27";
    const c = link(
      { id: 1, kind: "escrow-inquiry" },
      [{ kind: "escrow-inquiry", channel: "portal", leftOn: "2026-09-01" }],
      [],
      asOf,
    );
    const r = refused(input([c], asOf));
    expect(r.reason).toContain("no deadline runs for LM-K7QX-1");
    expect(r.hint).toContain("loanmail resolve 1 --unresolved");
  });

  it("a late promise clock of an ordinary email climbs to a follow-up", () => {
    const asOf = "2026-11-27";
    const c = link(
      { id: 1, kind: "escrow-inquiry" },
      [{ kind: "escrow-inquiry", channel: "email", leftOn: "2026-11-02" }],
      [],
      asOf,
    );
    const p = planned(input([c], asOf));
    expect(p.step).toBe("follow-up");
    expect(p.missed[0]?.text).toMatch(
      /^The answer promised within the servicer's stated response time \(3 business days\) was due 2026-11-05 and had not arrived on 2026-11-27, \d+ business days late\.$/,
    );
  });
});

describe("buildCfpbComplaint", () => {
  it("tells the story as a numbered chronology with the missed deadlines, under the form's limit", () => {
    const asOf = "2026-12-31";
    const i = input([formalNoe(1, "2026-11-05", [{ on: "2026-11-09", class: "acknowledgment" }], asOf)], asOf);
    const p = planned(i);
    const complaint = buildCfpbComplaint(i, p);
    expect(complaint.whatHappened.length).toBeLessThanOrEqual(CFPB_TEXT_LIMIT);
    expect(complaint.whatHappened).toContain("I am Jane Q. Doe. Mr. Cooper services my mortgage loan, account 1234567");
    expect(complaint.whatHappened).toMatch(/^1\. 2026-11-02: I sent Mr\. Cooper my letter /m);
    expect(complaint.whatHappened).toMatch(/^2\. 2026-11-09: Mr\. Cooper replied .*an acknowledgment only\.$/m);
    expect(complaint.whatHappened).toContain("12 C.F.R. 1024.35(e)(3)(i)(C) was due 2026-12-21");
    expect(complaint.desiredResolution).toContain("Correct the error I reported (The March payment sits in suspense)");
    expect(complaint.desiredResolution.length).toBeLessThanOrEqual(CFPB_TEXT_LIMIT);
  });

  it("shortens a long history to fit, pointing to exhibits.txt", () => {
    const asOf = "2026-12-31";
    const replies: ReplySpec[] = Array.from({ length: 40 }, (_, k) => ({
      on: `2026-11-${String(6 + (k % 20)).padStart(2, "0")}`,
      class: "other" as const,
      subject: `A statement that says nothing useful about the matter, number ${k + 1}`,
    }));
    const i = input([formalNoe(1, "2026-11-05", replies, asOf)], asOf);
    const complaint = buildCfpbComplaint(i, planned(i));
    expect(complaint.chronology).toHaveLength(41);
    expect(complaint.whatHappened.length).toBeLessThanOrEqual(CFPB_TEXT_LIMIT);
    expect(complaint.whatHappened).toMatch(/more entries: see exhibits\.txt/);
    expect(complaint.whatHappened).toContain("12 C.F.R. 1024.35(e)(3)(i)(C)");
  });
});
