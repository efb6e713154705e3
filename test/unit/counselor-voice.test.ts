/**
 * The counselor's voice (src/domain/voice.ts): a letter a counselor writes on the borrowers' behalf reads a
 * templates/<kind>.<lang>.counselor.md when the kind has one, with exactly its normal template's placeholders and
 * citations, and no sentence it carries (template, derived wording, formal paragraph, escalation account) speaks
 * of the borrower's payment, application, letter or loan as the writer's own. The borrower's voice is unchanged.
 */
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { readTemplate } from "../../src/app/templates.js";
import type { Clock } from "../../src/domain/clock-types.js";
import { buildCfpbComplaint, planEscalation } from "../../src/domain/escalation.js";
import { ESCALATION_EN, ESCALATION_EN_COUNSELOR } from "../../src/domain/escalation-en.js";
import { buildFormalLetterEs, ESCALATION_ES, ESCALATION_ES_COUNSELOR } from "../../src/domain/escalation-es.js";
import type { ChainCase, EscalationInput, EscalationWords } from "../../src/domain/escalation-model.js";
import { buildFormalLetter } from "../../src/domain/formal-letter.js";
import { kindWording, type WordingFacts } from "../../src/domain/kind-wording.js";
import { KIND_IDS, kindDef } from "../../src/domain/kinds.js";
import { LETTER_LANGUAGES, type LetterLanguage } from "../../src/domain/language.js";
import { letterWords } from "../../src/domain/letter.js";
import type { Protection, ProtectionKind } from "../../src/domain/protections.js";
import { templatePlaceholders } from "../../src/domain/template.js";
import { voiceOf } from "../../src/domain/voice.js";
import { wordingFacts } from "./wording-facts.js";

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");
const read = (file: string) => readFileSync(join(TEMPLATES, file), "utf8");
const COUNSELOR_FILES = readdirSync(TEMPLATES).filter((f) => f.endsWith(".counselor.md"));

/** Every rule a text cites ("12 C.F.R. 1024.35(b)(5)"), as spanish.test.ts counts them. */
function citations(text: string): string[] {
  const found = text.replace(/\s+/g, " ").match(/\b\d+ (?:C\.F\.R\.|U\.S\.C\.) \d+(?:\.\d+)?(?:\([A-Za-z0-9]+\))*/g);
  return [...new Set(found ?? [])].sort();
}

/** The borrower's own acts in the first person: what a counselor, who did not do them, must never write. */
const FIRST_PERSON: Readonly<Record<LetterLanguage, readonly RegExp[]>> = {
  en: [
    /\bmy (payment|application|letter|notice|loan|appeal|request|financial documents|identity|ownership)\b/i,
    /\bmy (complete )?loss mitigation application\b/i,
    /\bmy (marriage|government-issued)\b/i,
    /\bI (made|paid|sent|mailed|emailed|faxed|delivered|submitted|first submitted|have submitted|received)\b/,
    /\bI am (asking to be evaluated|writing as|the borrower|not eligible)\b/,
    /\bI have (rejected|failed)\b/,
    /\bI (must do|have not received)\b/,
    /\btreat me as a borrower\b/,
    /\bavailable to me\b/,
    /\basking me for\b/,
    /\bto me;/,
  ],
  // \b knows only ASCII letters ("realicé" ends in one it does not): Spanish words are bounded by \p{L}.
  es: [
    /(?<!\p{L})mis? (pago|solicitud|carta|aviso|préstamo|apelación|identificación|acta|identidad|derecho|documentos)(?!\p{L})/iu,
    /(?<!\p{L})(realicé|presenté|envié|entregué|recibí|soy|califico|debo|les escribo como)(?!\p{L})/iu,
    /(?<!\p{L})se me (evalúe|transfirió)(?!\p{L})/u,
    /(?<!\p{L})(tratarme|pidiéndome|informarme)(?!\p{L})/u,
    /(?<!\p{L})yo haya(?!\p{L})/u,
    /(?<!\p{L})no he recibido(?!\p{L})/iu,
  ],
};

function firstPersonIn(text: string, lang: LetterLanguage): string[] {
  return FIRST_PERSON[lang].filter((p) => p.test(text)).map(String);
}

describe("counselor templates: the same letter, the borrower's acts the borrower's", () => {
  it("exist for the kinds whose body spoke of the borrower's acts, in both languages", () => {
    const kinds = [...new Set(COUNSELOR_FILES.map((f) => f.split(".")[0]))].sort();
    expect(kinds).toEqual([
      "escalation-request",
      "follow-up",
      "late-fee-dispute",
      "loss-mitigation",
      "notice-of-error",
      "payment-application",
      "payment-delay",
      "relied-documents",
      "successor-in-interest",
    ]);
    for (const k of kinds)
      for (const lang of LETTER_LANGUAGES)
        expect(COUNSELOR_FILES, `${k}.${lang}`).toContain(`${k}.${lang}.counselor.md`);
  });

  it.each(COUNSELOR_FILES)("%s names a known kind and language", (file) => {
    const [kind, lang] = file.split(".");
    expect(KIND_IDS).toContain(kind);
    expect(LETTER_LANGUAGES).toContain(lang);
  });

  it.each(COUNSELOR_FILES)("%s has exactly its normal template's placeholders: none lost, none invented", (file) => {
    const normal = read(file.replace(/\.counselor\.md$/, ".md"));
    expect(templatePlaceholders(read(file)).sort()).toEqual(templatePlaceholders(normal).sort());
    // Each placeholder stays on a line with the same others, so a value left out drops the same sentence.
    const lines = (t: string) =>
      t
        .split("\n")
        .map((l) => templatePlaceholders(l).sort().join(","))
        .filter(Boolean);
    expect(lines(read(file))).toEqual(lines(normal));
  });

  it.each(COUNSELOR_FILES)("%s cites the rules its normal template cites", (file) => {
    expect(citations(read(file))).toEqual(citations(read(file.replace(/\.counselor\.md$/, ".md"))));
  });

  it.each(
    KIND_IDS.filter((k) => !kindDef(k).signedByBorrowers).flatMap((k) => LETTER_LANGUAGES.map((l) => [k, l] as const)),
  )("%s (%s) as a counselor's letter reads it never speaks of the borrower's acts as the writer's", (kind, lang) => {
    expect(firstPersonIn(readTemplate(kind, lang, "counselor"), lang)).toEqual([]);
  });

  it("the words looked for are found in exactly the normal templates that have a counselor variant", () => {
    // A kind's normal template that speaks of the borrower's acts with no variant would put them in a counselor's
    // mouth; a variant for a kind that needs none would be a second copy to keep in step.
    for (const kind of KIND_IDS.filter((k) => !kindDef(k).signedByBorrowers))
      for (const lang of LETTER_LANGUAGES) {
        const flagged = firstPersonIn(read(`${kind}.${lang}.md`), lang).length > 0;
        expect(flagged, `${kind}.${lang}`).toBe(COUNSELOR_FILES.includes(`${kind}.${lang}.counselor.md`));
      }
  });

  it("readTemplate: the counselor's variant only in the counselor's voice, the normal template otherwise", () => {
    expect(readTemplate("payment-application", "en", "counselor")).toBe(read("payment-application.en.counselor.md"));
    expect(readTemplate("payment-application", "es", "counselor")).toBe(read("payment-application.es.counselor.md"));
    expect(readTemplate("payment-application", "en", "borrower")).toBe(read("payment-application.en.md"));
    expect(readTemplate("payment-application")).toBe(read("payment-application.en.md"));
    // A kind with no first-person acts has no variant: the same template in both voices.
    expect(readTemplate("payoff-statement", "en", "counselor")).toBe(read("payoff-statement.en.md"));
    // The third-party authorization is the borrowers' own form, in their voice, wherever it is written.
    expect(readTemplate("third-party-authorization", "es", "counselor")).toBe(read("third-party-authorization.es.md"));
  });

  it("voiceOf: on-behalf words make the counselor's voice", () => {
    expect(voiceOf(undefined)).toBe("borrower");
    expect(voiceOf(null)).toBe("borrower");
    expect(voiceOf({ counselor: "Maria Lopez" })).toBe("counselor");
  });
});

describe("derived wording and formal paragraphs in the counselor's voice", () => {
  const facts = wordingFacts;
  // Every derived sentence that can speak of the borrower: loss mitigation in and outside 1024.41 (a HELOC), a sale
  // more than 37 days away (2026-06-01 + 37 = 07-08), no exhibits; continuity of contact; each successor's papers.
  const cases: WordingFacts[] = [
    facts("loss-mitigation", { "sale-date": "2026-07-09" }),
    facts("loss-mitigation", {}, { loan: { product: "heloc", principalResidence: true, smallServicer: false } }),
    facts("escalation-request", { "delinquent-since": "2026-04-01" }),
    ...["death", "divorce", "spouse-or-child", "trust"].map((how) => facts("successor-in-interest", { how })),
  ];

  it.each(LETTER_LANGUAGES)("no derived sentence of a counselor's %s letter is the borrower's first person", (lang) => {
    for (const f of cases) {
      const counselor = Object.values(kindWording({ ...f, lang, voice: "counselor" }).values).join(" ");
      expect(firstPersonIn(counselor, lang), `${f.kind} ${JSON.stringify(f.fields)}`).toEqual([]);
      // The borrower's voice keeps its own words (these are the sentences that differ).
      const own = Object.values(kindWording({ ...f, lang }).values).join(" ");
      expect(own, f.kind).not.toBe(counselor);
    }
  });

  it("the counselor's loss-mitigation sentences name the borrower's application and documents", () => {
    const en = kindWording({ ...facts("loss-mitigation", { "sale-date": "2026-07-09" }), voice: "counselor" }).values;
    expect(en["sale-protection"]).toMatch(/^Under 12 C\.F\.R\. 1024\.41\(g\), if you receive the borrower's complete/);
    expect(en["documents-channel"]).toMatch(/^Please tell me how to send the borrower's financial documents/);
    const es = kindWording({
      ...facts("loss-mitigation", { "sale-date": "2026-07-09" }),
      lang: "es",
      voice: "counselor",
    }).values;
    expect(es["sale-protection"]).toContain("si reciben la solicitud completa del prestatario");
    expect(es["documents-channel"]).toContain("los documentos financieros del prestatario");
  });

  it.each(LETTER_LANGUAGES)("the %s formal paragraphs in the counselor's voice: this loan, my client", (lang) => {
    const words = letterWords(lang);
    for (const id of KIND_IDS) {
      const text = words.formalParagraph(kindDef(id), true, true, "counselor") ?? "";
      expect(firstPersonIn(text, lang), id).toEqual([]);
      // Only the owner request and the successor's request change; every other paragraph reads the same.
      const own = words.formalParagraph(kindDef(id), true, true) ?? "";
      if (id !== "owner-request" && id !== "successor-in-interest") expect(text, id).toBe(own);
      else expect(citations(text), id).toEqual(citations(own));
    }
    expect(words.formalParagraph(kindDef("successor-in-interest"), true, false, "counselor")).toContain(
      lang === "es" ? "deben tratar a mi cliente como prestatario" : "you must treat my client as a borrower",
    );
  });
});

describe("an escalation's account of the record in the counselor's voice", () => {
  const LETTER = {
    message: 7,
    caseTag: "LM-K7QX-1",
    kind: "payment-application",
    date: "2026-11-02",
    deliveredOn: "2026-11-05",
    subject: null,
    messageId: null,
    fields: { amount: "1500", "payment-date": "2026-10-15", fee: "35", method: "check" },
  };
  const protection = (kind: ProtectionKind): Protection => ({
    id: kind,
    kind,
    name: kind,
    rule: "12 C.F.R. 1024.41(g)",
    status: "in-force",
    startedBy: { what: "x", on: "2026-06-01" },
    from: "2026-06-01",
    until: "2026-09-01",
    ends: "",
    note: null,
  });
  const clock = (id: string): Clock => ({
    id,
    name: "Decision",
    rule: "12 C.F.R. 1024.41(c)(1)",
    party: "servicer",
    status: "late",
    startedBy: null,
    dueStrict: "2026-07-01",
    dueLenient: "2026-07-01",
    metBy: null,
    businessDaysLate: 3,
    extendedBy: null,
    note: null,
  });

  /** Every sentence a phrasebook can write about this record. */
  function sentences(w: EscalationWords): string {
    const channels = ["post", "notice-email", "portal", "fax", "hand", "email"];
    const classes = ["acknowledgment", "extension", "exception", "documents-requested", "response", "other"] as const;
    const reply = { message: 8, caseTag: "LM-K7QX-1", date: "2026-11-20", messageId: null, subject: "Re" };
    return [
      ...channels.map((channel) => w.citeLetter({ ...LETTER, channel, designated: true })),
      ...classes.map((c) => w.citeReply({ ...reply, channel: "email", class: c })),
      ...["lossmit-decision", "lossmit-appeal-decision-1"].map((id) =>
        w.missed(clock(id), "2026-07-01", 3, "2026-07-08", null),
      ),
      ...(["first-filing-120", "first-filing-pending", "sale-pending", "transfer-payment"] as const).map((k) =>
        w.protection(protection(k)),
      ),
      w.disputed("2026-11-20"),
      w.acknowledgedOnly("2026-11-20"),
      w.openResponse("Notice of Error", "2026-12-01", "12 C.F.R. 1024.35(e)(3)"),
    ].join(" ");
  }

  it("never claims the letters, payment, application or loan as the counselor's, in English or Spanish", () => {
    expect(firstPersonIn(sentences(ESCALATION_EN_COUNSELOR), "en")).toEqual([]);
    expect(firstPersonIn(sentences(ESCALATION_ES_COUNSELOR), "es")).toEqual([]);
    // The borrower's own phrasebooks are unchanged: "I mailed my letter", "envié ... mi carta".
    expect(sentences(ESCALATION_EN)).toContain("On November 2, 2026 I mailed my letter");
    expect(sentences(ESCALATION_ES)).toContain("El 2 de noviembre de 2026 envié por correo certificado mi carta");
  });

  it("cites the same rules and dates as the borrower's sentences", () => {
    expect(citations(sentences(ESCALATION_EN_COUNSELOR))).toEqual(citations(sentences(ESCALATION_EN)));
    expect(citations(sentences(ESCALATION_ES_COUNSELOR))).toEqual(citations(sentences(ESCALATION_ES)));
    expect(ESCALATION_EN_COUNSELOR.citeLetter({ ...LETTER, channel: "post", designated: true })).toBe(
      'On November 2, 2026 the letter "Payment Clarification" (reference LM-K7QX-1) was mailed by certified mail to your designated address, delivered November 5, 2026.',
    );
    expect(ESCALATION_ES_COUNSELOR.citeLetter({ ...LETTER, channel: "hand", designated: false })).toBe(
      "El 2 de noviembre de 2026 se entregó en mano la carta «Payment Clarification» (referencia LM-K7QX-1).",
    );
  });

  it("the formal step's error names the borrower's payment and the letter, not mine", () => {
    for (const kind of ["payment-application", "late-fee-dispute", "payment-delay", "rate-adjustment"]) {
      const root = { ...LETTER, kind, channel: "portal", designated: false };
      const en = buildFormalLetter(root, "counselor").fields;
      const es = buildFormalLetterEs(root, "counselor").fields;
      expect(firstPersonIn(Object.values(en).join(" "), "en"), kind).toEqual([]);
      expect(firstPersonIn(Object.values(es).join(" "), "es"), kind).toEqual([]);
      // The borrower's voice keeps "my letter of" / "mi carta del".
      expect(Object.values(buildFormalLetter(root).fields).join(" "), kind).toContain("my letter of");
      expect(Object.values(buildFormalLetterEs(root).fields).join(" "), kind).toContain("mi carta del");
    }
    const root = { ...LETTER, channel: "portal", designated: false };
    expect(buildFormalLetter(root, "counselor").fields.error).toBe(
      "the borrower's payment of $1,500.00 made on October 15, 2026 was not applied as the loan documents require, as set out in the letter of November 2, 2026 (reference LM-K7QX-1)",
    );
  });

  /**
   * The CFPB complaint of a counselor's home and the plan escalate shows: a case of `kind` whose letter left by
   * `channel`, answered in every way a reply can be, with late decision, appeal and response clocks and the
   * protections in force; picked for an attorney (`to: legal`: any late clock warrants it).
   */
  function complaintOf(
    kind: string,
    channel: string,
    borrowers: string[],
    counselor: boolean,
    status: ChainCase["case"]["status"] = "open",
  ) {
    const classes = ["acknowledgment", "extension", "exception", "documents-requested", "response", "other"] as const;
    const link: ChainCase = {
      case: { id: 1, tag: "LM-K7QX-1", kind, formal: true, step: "formal", status },
      letters: [{ ...LETTER, kind, channel, designated: true, summary: "The household paid on time." }],
      replies: classes.map((c, k) => ({
        message: 20 + k,
        caseTag: "LM-K7QX-1",
        date: "2026-11-20",
        channel: k % 2 ? "email" : "post",
        subject: "Re",
        messageId: null,
        class: c,
      })),
      clocks: ["lossmit-decision", "lossmit-appeal-decision-1", "noe-response"].map(clock),
      protections: (["first-filing-120", "first-filing-pending", "sale-pending", "transfer-payment"] as const).map(
        protection,
      ),
    };
    const input: EscalationInput = {
      chain: [link],
      children: [],
      loan: { borrowers, accountNumber: "1234567", propertyAddress: "12 Elm St", servicerName: "Acme" },
      asOf: "2026-12-01",
      to: "legal",
      voice: counselor ? "counselor" : "borrower",
    };
    const plan = planEscalation(input);
    if (!plan.ok) throw new Error(plan.reason);
    const onBehalf = { counselor: "Maria Lopez", agency: "SHC", hudAgencyId: null, borrowers, signedOn: null };
    return { plan, complaint: buildCfpbComplaint(input, plan, counselor ? onBehalf : undefined) };
  }

  /** What a complaint or plan says in the first person beyond a letter's words: the borrower's loan, acts, name. */
  const COMPLAINT_FIRST_PERSON = [
    /\bmy (mortgage|letters|account)\b/i,
    /\bI (wrote|reported)\b/,
    /\bI am (Juan|Ana)\b/,
    /\bto me in writing\b/,
    /\byour (loan|Note|mortgage)\b/,
    /\bGive me\b/,
  ];

  it("a counselor's CFPB complaint and the plan escalate shows never speak as the borrower", () => {
    const kinds = ["payment-application", "late-fee-dispute", "payment-delay", "notice-of-error", "escrow-inquiry"];
    for (const kind of kinds)
      for (const channel of ["post", "notice-email", "portal", "fax", "hand", "email"])
        for (const borrowers of [["Juan Pérez"], ["Juan Pérez", "Ana Pérez"]]) {
          const { plan, complaint } = complaintOf(kind, channel, borrowers, true);
          const text = [
            complaint.whatHappened,
            complaint.desiredResolution,
            ...Object.values(complaint.form),
            ...complaint.chronology,
            ...plan.cites.map((x) => x.text),
            ...plan.missed.map((m) => m.text),
            ...plan.protections.map((p) => p.text),
            ...plan.triggers.map((t) => t.sentence),
          ].join(" ");
          const said = `${kind} ${channel} ${borrowers.length}`;
          expect(firstPersonIn(text, "en"), said).toEqual([]);
          for (const p of COMPLAINT_FIRST_PERSON) expect(text, `${said} ${p}`).not.toMatch(p);
          expect(complaint.whatHappened, said).toContain(`on behalf of ${borrowers.join(" and ")}`);
        }
  });

  it("counts the borrowers in the complaint, names no authorization without one, and keeps the borrower's own", () => {
    const two = complaintOf("payment-application", "post", ["Juan Pérez", "Ana Pérez"], true).complaint;
    expect(two.whatHappened).toContain(
      "I am Maria Lopez, a housing counselor at SHC, and submit this complaint on behalf of Juan Pérez and Ana Pérez, the borrowers. Acme services the borrowers' mortgage loan on 12 Elm St.",
    );
    expect(two.whatHappened).toContain("The decision on the borrowers' appeal required by");
    expect(two.desiredResolution).toMatch(/^Apply the borrowers' payment of \$1,500\.00 made on October 15, 2026 /);
    const one = complaintOf("payment-application", "post", ["Juan Pérez"], true).complaint;
    expect(one.whatHappened).toContain("on behalf of Juan Pérez, the borrower. Acme services the borrower's mortgage");
    expect(one.whatHappened).not.toContain("authorization");
    // The borrower's own complaint is in the first person, as before.
    const own = complaintOf("payment-application", "post", ["Juan Pérez"], false).complaint;
    expect(own.whatHappened).toContain("I am Juan Pérez. Acme services my mortgage loan on 12 Elm St.");
    expect(own.whatHappened).toMatch(/^1\. November 2, 2026: I sent Acme my letter /m);
    expect(own.desiredResolution).toMatch(/^Apply my payment of \$1,500\.00 /);
  });

  it("says why it comes now to the CFPB, not to the user or the servicer: the dispute is the borrowers'", () => {
    // Marked unresolved after the exception of November 20, 2026 (the replies of complaintOf).
    const why = (borrowers: string[], counselor: boolean) =>
      complaintOf("notice-of-error", "post", borrowers, counselor, "unresolved").complaint.whatHappened;
    const own = why(["Juan Pérez"], false);
    expect(own).toContain(
      "Why I am complaining now: Acme declined to answer on November 20, 2026, claiming an exception, and I dispute that.",
    );
    expect(why(["Juan Pérez", "Ana Pérez"], true)).toContain(
      "Acme declined to answer on November 20, 2026, claiming an exception, and the borrowers dispute that.",
    );
    expect(why(["Juan Pérez"], true)).toContain("claiming an exception, and the borrower disputes that.");
    for (const text of [own, why(["Juan Pérez"], true)]) expect(text).not.toMatch(/\byou (dispute|marked)\b|\byour\b/i);
  });
});
