/**
 * An escalation letter's sentences in Spanish (escalation-es.ts) say what the English ones say: the same rule in
 * the same words, the same dates (in Spanish words), a designated address claimed only where the record shows
 * one, and a reply named by its channel or subject.
 */
import { describe, expect, it } from "vitest";
import { ESCALATION_EN } from "../../src/domain/escalation-en.js";
import { buildFormalLetterEs, ESCALATION_ES } from "../../src/domain/escalation-es.js";
import { buildFormalLetter } from "../../src/domain/formal-letter.js";
import type { Protection, ProtectionKind } from "../../src/domain/protections.js";

const LETTER = {
  message: 7,
  caseTag: "LM-K7QX-1",
  kind: "notice-of-error",
  date: "2026-11-02",
  deliveredOn: "2026-11-05",
  subject: null,
  messageId: null,
  fields: {},
};

function protection(kind: ProtectionKind, rule: string, until: string | null): Protection {
  return {
    id: kind,
    kind,
    name: kind,
    rule,
    status: "in-force",
    startedBy: { what: "x", on: "2026-06-01" },
    from: "2026-06-01",
    until,
    ends: "",
    note: null,
  };
}

describe("escalation sentences in Spanish", () => {
  it("a posted letter reached the designated address only when its record says so (12 C.F.R. 1024.35(c))", () => {
    expect(ESCALATION_ES.citeLetter({ ...LETTER, channel: "post", designated: true })).toBe(
      "El 2 de noviembre de 2026 envié por correo certificado mi carta «Notice of Error» (referencia LM-K7QX-1) a la dirección que ustedes designaron, entregada el 5 de noviembre de 2026.",
    );
    const elsewhere = ESCALATION_ES.citeLetter({ ...LETTER, channel: "post", designated: false });
    expect(elsewhere).not.toContain("designaron");
    expect(elsewhere).toContain("entregada el 5 de noviembre de 2026");
    for (const channel of ["portal", "notice-email", "email", "fax", "hand"])
      expect(ESCALATION_ES.citeLetter({ ...LETTER, channel, designated: false }), channel).not.toContain("designaron");
  });

  it("a reply by email is named by its subject, one on paper by its channel", () => {
    const reply = { message: 8, caseTag: "LM-K7QX-1", date: "2026-11-20", messageId: null };
    expect(ESCALATION_ES.citeReply({ ...reply, channel: "email", subject: "Re: su carta", class: "exception" })).toBe(
      "El 20 de noviembre de 2026 ustedes respondieron con el asunto «Re: su carta»: negándose a responder.",
    );
    expect(ESCALATION_ES.citeReply({ ...reply, channel: "post", subject: "scan", class: "acknowledgment" })).toBe(
      "El 20 de noviembre de 2026 ustedes respondieron por correo postal: solo un acuse de recibo.",
    );
  });

  it("each protection cites the rule its English sentence cites, with its dates in Spanish", () => {
    const cases: [ProtectionKind, string, string | null][] = [
      ["first-filing-120", "12 C.F.R. 1024.41(f)(1)", "2026-09-29"],
      ["first-filing-pending", "12 C.F.R. 1024.41(f)(2)", null],
      ["sale-pending", "12 C.F.R. 1024.41(g)", null],
      ["transfer-payment", "12 C.F.R. 1024.33(c)(1)", "2026-07-31"],
    ];
    for (const [kind, rule, until] of cases) {
      const p = protection(kind, rule, until);
      const es = ESCALATION_ES.protection(p);
      expect(ESCALATION_EN.protection(p), kind).toContain(rule);
      expect(es, kind).toContain(rule);
      expect(es, kind).toContain("1 de junio de 2026");
      if (until)
        expect(es, kind).toContain(until === "2026-09-29" ? "29 de septiembre de 2026" : "31 de julio de 2026");
      expect(es, kind).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });

  it("a formal step's fields keep the English ones' kinds, dates and amounts; only the sentences change", () => {
    const root = {
      ...LETTER,
      kind: "late-fee-dispute",
      channel: "portal",
      designated: false,
      // Paid Mon 03-02, grace ended Mon 03-16: within it; the fee was assessed Fri 03-20.
      fields: {
        "payment-date": "2026-03-02",
        amount: "1500",
        fee: "75",
        "fee-date": "2026-03-20",
        "grace-ends": "2026-03-16",
      },
    };
    const en = buildFormalLetter(root);
    const es = buildFormalLetterEs(root);
    expect(es.kind).toBe(en.kind);
    expect(es.formal).toBe(true);
    const { error: _en, ...enRest } = en.fields;
    const { error, ...esRest } = es.fields;
    expect(esRest).toEqual(enRest);
    expect(error).toBe(
      "se cobró un cargo por mora de $75.00 por mi pago de $1,500.00 realizado el 2 de marzo de 2026, dentro del período de gracia, que terminó el 16 de marzo de 2026, según lo expuesto en mi carta del 2 de noviembre de 2026 (referencia LM-K7QX-1)",
    );
    // A request for information built from a balance verification asks for the same thing, in Spanish.
    const rfi = buildFormalLetterEs({ ...root, kind: "balance-verification", fields: { "as-of": "2026-06-30" } });
    expect(rfi).toMatchObject({ kind: "information-request", formal: true });
    expect(rfi.fields.information).toBe(
      "el saldo de principal, con su desglose (al 30 de junio de 2026), según lo expuesto en mi carta del 2 de noviembre de 2026 (referencia LM-K7QX-1)",
    );
  });
});
