/**
 * The escalation planner: each trigger, each refusal, the rung it proposes (the regulator only after a missed
 * response to a formal letter) or checks (`to`), its letter, and the citation text that names every earlier letter
 * (by its day in words and its tag) and reply (by its subject) and every missed clock with its business days.
 * Message-IDs stay in the citations' record, never in the letter's words. Clocks come from computeClocks on
 * hand-made facts, as the app computes them.
 */
import { describe, expect, it } from "vitest";
import type { ReplyClass } from "../../src/domain/classify.js";
import { type CaseClockInput, type ClockLetter, computeClocks } from "../../src/domain/clocks.js";
import {
  buildCfpbComplaint,
  CFPB_TEXT_LIMIT,
  type ChainCase,
  citeLetter,
  type EscalationInput,
  type EscalationPlan,
  type EscalationRefusal,
  effectiveStep,
  type HistoryLetter,
  type HistoryReply,
  type LadderCase,
  type LadderStep,
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
      // As in the clock facts below: the formal rung's letters reached the designated channel.
      designated: ladder.formal,
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

function input(
  chain: ChainCase[],
  asOf: string,
  children: EscalationInput["children"] = [],
  to?: LadderStep,
): EscalationInput {
  return { chain, children, loan: PARTIES, asOf, to };
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

/** A formal notice of error by post, mailed on `leftOn` and delivered on `delivered`. */
function formalNoe(
  id: number,
  delivered: string,
  replies: ReplySpec[],
  asOf: string,
  extra: Partial<LadderCase> = {},
  leftOn = "2026-11-02",
) {
  return link(
    { id, kind: "notice-of-error", formal: true, ...extra },
    [
      {
        kind: "notice-of-error",
        channel: "post",
        leftOn,
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
  it("a missed response to a formal notice: the regulator, citing the missed clocks exactly", () => {
    // Delivered Thu 2026-11-05. Acknowledgment: 5 business days (Veterans Day, Wed 11-11, is closed): 11-06, 09,
    // 10, 12, 13 -> due 2026-11-13. Response: 30 business days -> due Mon 2026-12-21; on 12-31 it is 7 business
    // days late (12-22, 23, 24, 28, 29, 30, 31; Christmas closed).
    const asOf = "2026-12-31";
    const p = planned(input([formalNoe(1, "2026-11-05", [], asOf)], asOf));
    expect(p.from).toBe("formal");
    expect(p.step).toBe("regulator");
    expect(p.chosen).toBe(false);
    expect(p.passedOver).toBeNull();
    expect(p.action).toContain("write the CFPB complaint packet for LM-K7QX-1");
    expect(p.letter).toBeNull();
    expect(p.trigger.kind).toBe("late-clock");
    expect(p.missed.map((m) => m.clock)).toEqual(["noe-ack", "noe-response"]);
    expect(p.clocks.map((c) => [c.clock, c.rule, c.due, c.status, c.businessDaysLate])).toEqual([
      ["noe-ack", "12 C.F.R. 1024.35(d)", "2026-11-13", "late", 32],
      ["noe-response", "12 C.F.R. 1024.35(e)(3)(i)(C)", "2026-12-21", "late", 7],
    ]);
    expect(p.summary).toContain(
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due November 13, 2026 and had not arrived on December 31, 2026, 32 business days late.",
    );
    expect(p.summary).toContain(
      "The response required by 12 C.F.R. 1024.35(e)(3)(i)(C) was due December 21, 2026 and had not arrived on December 31, 2026, 7 business days late.",
    );
    expect(p.cites).toHaveLength(1);
    expect(p.summary).toContain("by certified mail to your designated address, delivered November 5, 2026");
  });

  it("a missed acknowledgment alone: a follow-up, not the regulator, saying when the response is due", () => {
    // Delivered Thu 2026-09-03; acknowledgment due Fri 09-11 (5 business days: 09-04, 08, 09, 10, 11; Labor Day
    // Mon 09-07 closed); on Mon 09-14 it is 1 business day late. The response (30 business days, 12 C.F.R.
    // 1024.35(e)(3)(i)(C)) is due Mon 2026-10-19 (Columbus Day, Mon 10-12, closed) and is still open.
    const asOf = "2026-09-14";
    const c = formalNoe(1, "2026-09-03", [], asOf, {}, "2026-09-01");
    const p = planned(input([c], asOf));
    expect(p.from).toBe("formal");
    expect(p.step).toBe("follow-up");
    expect(p.letter).toEqual({ kind: "follow-up", formal: false, fields: { case: "LM-K7QX-1" } });
    expect(p.trigger).toMatchObject({ kind: "late-clock" });
    expect(p.trigger.text).toBe("Notice of error: acknowledgment (12 C.F.R. 1024.35(d)) is 1 business day late");
    expect(p.passedOver).toBe(
      "not the regulator rung: a regulator complaint rests on a missed response to a formal letter, and the response to LM-K7QX-1 (12 C.F.R. 1024.35(e)(3)(i)(C)) is due 2026-10-19: not missed on 2026-09-14",
    );
    expect(p.clocks.map((x) => [x.clock, x.due, x.status])).toEqual([
      ["noe-ack", "2026-09-11", "late"],
      ["noe-response", "2026-10-19", "open"],
    ]);
    expect(p.summary).toContain(
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due September 11, 2026 and had not arrived on September 14, 2026, 1 business day late.",
    );
    expect(p.summary).toContain(
      "Your response to my notice of error is due by October 19, 2026 (12 C.F.R. 1024.35(e)(3)(i)(C)).",
    );
    // Picking the regulator on purpose is refused, with the reason; picking the follow-up is what was proposed.
    const r = refused(input([c], asOf, [], "regulator"));
    expect(r.code).toBe("RUNG_NOT_AVAILABLE");
    expect(r.reason).toContain("no regulator complaint for LM-K7QX-1");
    expect(r.reason).toContain("is due 2026-10-19: not missed on 2026-09-14");
    expect(r.hint).toBe("escalate after 2026-10-19 if it has not come");
    expect(planned(input([c], asOf, [], "follow-up"))).toMatchObject({ step: "follow-up", chosen: true });
    // The day after the response's due date (Tue 10-20), it is 1 business day late: now the regulator.
    const later = planned(input([formalNoe(1, "2026-09-03", [], "2026-10-20", {}, "2026-09-01")], "2026-10-20"));
    expect(later.step).toBe("regulator");
  });

  it("a missed extended response: the regulator", () => {
    // Delivered Thu 2026-11-05, response due Mon 2026-12-21; an extension arrives 12-01 (in time): 15 more business
    // days: 12-22, 23, 24, 28, 29, 30, 31, 2027-01-04, 05, 06, 07, 08, 11, 12, 13 (Christmas, New Year's Day closed)
    // -> due Wed 2027-01-13. On Wed 01-20: 01-14, 15, 19, 20 (MLK Day, Mon 01-18, closed) -> 4 business days late.
    const asOf = "2027-01-20";
    const c = formalNoe(
      1,
      "2026-11-05",
      [
        { on: "2026-11-09", class: "acknowledgment" },
        { on: "2026-12-01", class: "extension" },
      ],
      asOf,
    );
    const p = planned(input([c], asOf));
    expect(p.step).toBe("regulator");
    expect(p.clocks.find((x) => x.clock === "noe-response")).toMatchObject({
      due: "2027-01-13",
      extended: true,
      status: "late",
      businessDaysLate: 4,
    });
    // Before the extended due date the extension holds: nothing is late (the acknowledgment came in time).
    const before = refused(
      input([formalNoe(1, "2026-11-05", [{ on: "2026-12-01", class: "extension" }], "2027-01-13")], "2027-01-13"),
    );
    expect(before.code).toBe("ESCALATION_NOT_WARRANTED");
  });

  it("a formal notice answered in time, the answer disputed: a follow-up, not the regulator", () => {
    // Delivered 2026-11-05; acknowledged 11-09 and answered 11-20, both in time (due 11-13 and 12-21).
    const asOf = "2026-12-31";
    const c = formalNoe(
      4,
      "2026-11-05",
      [
        { on: "2026-11-09", class: "acknowledgment" },
        { on: "2026-11-20", class: "response" },
      ],
      asOf,
      { status: "unresolved" },
    );
    const p = planned(input([c], asOf));
    expect(p.step).toBe("follow-up");
    expect(p.trigger.kind).toBe("unresolved");
    expect(p.passedOver).toContain(
      "the servicer answered LM-K7QX-4 on 2026-11-20, within 12 C.F.R. 1024.35(e)(3)(i)(C)",
    );
    const r = refused(input([c], asOf, [], "regulator"));
    expect(r.code).toBe("RUNG_NOT_AVAILABLE");
    expect(r.hint).toContain("relied-documents");
    expect(r.hint).toContain("loanmail escalate 4 --to legal");
    // The attorney is always open to a case that warrants escalation.
    expect(planned(input([c], asOf, [], "legal"))).toMatchObject({ step: "legal", chosen: true, letter: null });
    // A second formal notice on the same matter is refused: the servicer need not answer a duplicative one.
    const again = refused(input([c], asOf, [], "formal"));
    expect(again.reason).toContain("LM-K7QX-4 is already the formal letter of this matter (it left on 2026-11-02)");
    expect(again.reason).toContain("12 C.F.R. 1024.35(g)(1)(i)");
  });

  it("under a formal notice, the letters climb to an escalation request, then wait for the missed response", () => {
    // The notice (delivered 2026-09-03, acknowledgment due 09-11) was never acknowledged; its response is due
    // 2026-10-19. A follow-up (case 2) went out, then an escalation request (case 3), both marked unresolved.
    const asOf = "2026-10-01";
    const noe = formalNoe(1, "2026-09-03", [], asOf, {}, "2026-09-01");
    const followUp = link(
      { id: 2, kind: "follow-up", step: "follow-up", status: "unresolved" },
      [{ kind: "follow-up", channel: "email", leftOn: "2026-09-15", fields: { case: "LM-K7QX-1" } }],
      [],
      asOf,
    );
    expect(planned(input([noe, followUp], asOf))).toMatchObject({ from: "follow-up", step: "escalation-request" });
    const esc = link(
      { id: 3, kind: "escalation-request", step: "escalation-request", status: "unresolved" },
      [{ kind: "escalation-request", channel: "email", leftOn: "2026-09-22", fields: { case: "LM-K7QX-2" } }],
      [],
      asOf,
    );
    const r = refused(input([noe, followUp, esc], asOf));
    expect(r.code).toBe("ESCALATION_NOT_WARRANTED");
    expect(r.reason).toContain("the response to LM-K7QX-1 (12 C.F.R. 1024.35(e)(3)(i)(C)) is due 2026-10-19");
    // Once the notice's response is late (Tue 10-20), the escalation request climbs to the regulator. The later
    // cases' own clocks are left out and case 3 is not marked unresolved: the notice's late response, two cases up
    // the chain, is the trigger.
    const late = "2026-10-20";
    const p = planned(
      input(
        [
          formalNoe(1, "2026-09-03", [], late, {}, "2026-09-01"),
          { ...followUp, clocks: [] },
          { ...esc, case: { ...esc.case, status: "open" }, clocks: [] },
        ],
        late,
      ),
    );
    // A draft that continues the chain continues nothing yet: it is not escalated in its place.
    const draft = link(
      { id: 4, kind: "follow-up", step: "follow-up", status: "draft" },
      [{ kind: "follow-up", leftOn: null }],
      [],
      late,
    );
    expect(refused(input([formalNoe(1, "2026-09-03", [], late, {}, "2026-09-01"), draft], late)).code).toBe(
      "NO_LETTER_LEFT",
    );
    expect(p.step).toBe("regulator");
    expect(p.trigger.text).toBe(
      "Notice of error: response of LM-K7QX-1 (12 C.F.R. 1024.35(e)(3)(i)(C)) is 1 business day late",
    );
  });

  it("only an acknowledgment by the response due date", () => {
    const asOf = "2026-12-31";
    const p = planned(input([formalNoe(1, "2026-11-05", [{ on: "2026-11-09", class: "acknowledgment" }], asOf)], asOf));
    expect(p.triggers.map((t) => t.kind)).toEqual(["acknowledgment-only", "late-clock"]);
    expect(p.trigger.text).toContain("only acknowledged it (2026-11-09)");
    expect(p.trigger.text).toContain("due 2026-12-21");
    expect(p.step).toBe("regulator");
    // The acknowledgment clock was met on time: only the response is missed.
    expect(p.missed.map((m) => m.clock)).toEqual(["noe-response"]);
    expect(p.summary).toContain("You acknowledged my letter on November 9, 2026 but have not answered it.");
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
    expect(p.summary).toBe(
      'The history of this matter: On September 1, 2026 I sent my letter "Payment Clarification" (reference LM-K7QX-1) through your portal. On September 8, 2026 you replied with "Re: your request": declining to answer. I dispute your answer of September 8, 2026 declining my request; the matter is not resolved.',
    );
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
  it("cites every letter and reply of the case and its ancestors by date, kind and tag or subject, in order", () => {
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
    // Each citation keeps its Message-ID in the record; the sentence names the letter by kind and tag.
    const expected: [string, string | null, string][] = [
      [
        "2026-09-01",
        root.letters[0]?.messageId as string,
        'On September 1, 2026 I sent my letter "Payment Clarification" (reference LM-K7QX-1) through your portal.',
      ],
      [
        "2026-09-08",
        "<ack-1@servicer.test>",
        'On September 8, 2026 you replied with "We received your letter": an acknowledgment only.',
      ],
      // A reply on paper is cited by its channel: its subject is loanmail's label, not the servicer's words.
      ["2026-09-10", null, "On September 10, 2026 you replied by post: declining to answer."],
      [
        "2026-09-15",
        "<LM-K7QX-2.f00d@example.test>",
        'On September 15, 2026 I sent my letter "Follow-Up" (reference LM-K7QX-2) through your portal.',
      ],
      [
        "2026-09-22",
        escalation.letters[0]?.messageId as string,
        'On September 22, 2026 I sent my letter "Escalation Request" (reference LM-K7QX-3) through your portal.',
      ],
      [
        "2026-10-01",
        "<stmt-9@servicer.test>",
        'On October 1, 2026 you replied with "Your monthly statement": which did not answer my request.',
      ],
    ];
    expect(p.cites.map((c) => [c.date, c.messageId, c.text])).toEqual(expected);
    // In the summary, in order, and no Message-ID anywhere in the letter's words.
    const positions = expected.map(([, , text]) => p.summary.indexOf(text));
    expect(positions.every((x) => x >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(p.summary).not.toMatch(/Message-ID|<[^>]*@[^>]*>/);
    expect(p.summary).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    expect(p.summary).not.toContain("A draft that never left");
    // The formal step of an error dispute is a notice of error carrying the original's date and amount.
    expect(p.letter?.kind).toBe("notice-of-error");
    expect(p.letter?.formal).toBe(true);
    expect(p.letter?.fields).toMatchObject({ "error-date": "2026-03-01", amount: "1500.00" });
    expect(p.letter?.fields.error).toBe(
      "my payment of $1,500.00 made on March 1, 2026 was not applied as my loan documents require, as set out in my letter of September 1, 2026 (reference LM-K7QX-1)",
    );
    // The formal paragraph of the notice gives notice under 12 C.F.R. 1024.35; the summary does not say it twice.
    expect(p.ask).toBe("");
    expect(p.summary).not.toContain("1024.35");
  });

  it("a clock met late is cited with the day the answer came", () => {
    const asOf = "2026-12-31";
    const c = formalNoe(1, "2026-11-05", [{ on: "2026-11-20", class: "acknowledgment" }], asOf);
    const p = planned(input([c], asOf));
    const ack = p.missed.find((m) => m.clock === "noe-ack");
    expect(ack).toMatchObject({ status: "met-late", arrivedOn: "2026-11-20", due: "2026-11-13", businessDaysLate: 5 });
    expect(ack?.text).toBe(
      "The acknowledgment required by 12 C.F.R. 1024.35(d) was due November 13, 2026 and arrived on November 20, 2026, 5 business days late.",
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
    expect(p.letter?.fields.information).toContain("from January 1, 2025, to December 31, 2025");
    expect(p.ask).toBe("");
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

  it("names a clock met late when it refuses because the servicer answered", () => {
    // Delivered Thu 2026-11-05: acknowledgment due in 5 business days: Fri 11-06 (1), Mon 11-09 (2), Tue 11-10 (3),
    // Thu 11-12 (4; Wed 11-11 is Veterans Day), Fri 11-13 (5). Acknowledged Tue 11-17: 2 business days late.
    const asOf = "2026-12-31";
    const c = formalNoe(
      4,
      "2026-11-05",
      [
        { on: "2026-11-17", class: "acknowledgment" },
        { on: "2026-11-20", class: "response" },
      ],
      asOf,
    );
    const r = refused(input([c], asOf));
    expect(r.reason).toContain("and no clock is late now (");
    expect(r.reason).toContain("was met 2 business days late");
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
      /^The answer promised within the servicer's stated response time \(3 business days\) was due November 5, 2026 and had not arrived on November 27, 2026, \d+ business days late\.$/,
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
    // Item 16: the matter in the user's words from the letter (its error field here, no summary), and the account
    // number left out of the narrative (the form has its own field).
    expect(complaint.whatHappened).toContain("I am Jane Q. Doe. Mr. Cooper services my mortgage loan on ");
    expect(complaint.whatHappened).toMatch(
      /I wrote to Mr\. Cooper \(notice of error\): The March payment sits in suspense\. It has not resolved the matter\./,
    );
    expect(complaint.whatHappened).not.toContain("1234567");
    expect(complaint.whatHappened).not.toContain("one specific error with dates and amounts");
    expect(complaint.form).toMatchObject({
      product: "Mortgage",
      issue: "Trouble during payment process",
      triedToFix:
        "Yes. I wrote to Mr. Cooper once, first on November 2, 2026 (by certified mail), and received 1 reply that did not resolve it.",
    });
    expect(complaint.whatHappened).toMatch(/^1\. November 2, 2026: I sent Mr\. Cooper my letter /m);
    expect(complaint.whatHappened).toMatch(/^2\. November 9, 2026: Mr\. Cooper replied .*an acknowledgment only\.$/m);
    expect(complaint.whatHappened).toContain("12 C.F.R. 1024.35(e)(3)(i)(C) was due December 21, 2026");
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

  it("never quotes a subject loanmail wrote for a paper reply as the servicer's words", () => {
    const asOf = "2026-12-31";
    const i = input([formalNoe(1, "2026-11-05", [{ on: "2026-11-09", class: "acknowledgment" }], asOf)], asOf);
    const paper = {
      ...i,
      chain: i.chain.map((c) => ({
        ...c,
        replies: c.replies.map((r) => ({ ...r, channel: "post", subject: "Reply received by post on 2026-11-09" })),
      })),
    };
    const complaint = buildCfpbComplaint(paper, planned(paper));
    // A reply on paper carries no Message-ID of the servicer's: none is given (only an email's is).
    expect(complaint.whatHappened).toMatch(
      /^2\. November 9, 2026: Mr\. Cooper replied by letter: an acknowledgment only\.$/m,
    );
    expect(complaint.whatHappened).not.toContain("Reply received by post");
  });
});

describe("citing a letter never claims more than its record", () => {
  const base = {
    message: 7,
    caseTag: "LM-K7QX-1",
    kind: "notice-of-error",
    date: "2026-11-02",
    deliveredOn: "2026-11-05",
    subject: null,
    messageId: null,
    fields: {},
  };
  it("a posted letter is 'to your designated address' only when it reached it (12 C.F.R. 1024.35(c))", () => {
    expect(citeLetter({ ...base, channel: "post", designated: true })).toContain(
      "by certified mail to your designated address, delivered November 5, 2026",
    );
    const elsewhere = citeLetter({ ...base, channel: "post", designated: false });
    expect(elsewhere).toContain("by certified mail, delivered November 5, 2026");
    expect(elsewhere).not.toContain("designated");
    expect(citeLetter({ ...base, channel: "portal", designated: false })).not.toContain("designated");
  });
});
