/**
 * Letters in Spanish (issue 14): Spanish dates, the language a letter is written in, and Spanish templates and
 * sentences that carry the same fields, facts and citations as the English ones.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { exhibitFileName, exhibitName } from "../../src/domain/exhibits.js";
import { validateFields } from "../../src/domain/fields.js";
import { kindWording, SUCCESSOR_DOCUMENTS, type WordingFacts } from "../../src/domain/kind-wording.js";
import { WORDING_ES } from "../../src/domain/kind-wording-es.js";
import { KIND_IDS, type KindId, kindDef } from "../../src/domain/kinds.js";
import { letterLanguage } from "../../src/domain/language.js";
import { buildLetterBody, type LetterInput, withEnclosures } from "../../src/domain/letter.js";
import { letterDate, longDateEs } from "../../src/domain/letter-dates.js";
import { enumWordsEs, joinNamesEs } from "../../src/domain/letter-es.js";
import { regXSectionOutside } from "../../src/domain/regx-scope.js";
import { templatePlaceholders } from "../../src/domain/template.js";
import { wordingFacts } from "./wording-facts.js";

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");
const template = (id: KindId, lang: "en" | "es") => readFileSync(join(TEMPLATES, `${id}.${lang}.md`), "utf8");

/** Every rule a text cites: "12 C.F.R. 1024.35(b)(5)", "12 U.S.C. 2605(e)" (whitespace as one space). */
function citations(text: string): string[] {
  const found = text.replace(/\s+/g, " ").match(/\b\d+ (?:C\.F\.R\.|U\.S\.C\.) \d+(?:\.\d+)?(?:\([A-Za-z0-9]+\))*/g);
  return [...new Set(found ?? [])].sort();
}

describe("longDateEs: a date as a Spanish letter prints it", () => {
  it("writes the day without a leading zero, the month in lower case, then the year", () => {
    expect(longDateEs("2026-06-01")).toBe("1 de junio de 2026");
    expect(longDateEs("2026-09-08")).toBe("8 de septiembre de 2026");
    expect(longDateEs("2026-12-31")).toBe("31 de diciembre de 2026");
    expect(longDateEs("2026-01-15T18:00:00.000Z")).toBe("15 de enero de 2026"); // the day the string starts with
    expect(longDateEs("2028-02-29")).toBe("29 de febrero de 2028"); // 2028 is a leap year
  });

  it("names every month", () => {
    const months = Array.from({ length: 12 }, (_, i) => longDateEs(`2026-${String(i + 1).padStart(2, "0")}-10`));
    expect(months.map((d) => d.split(" ")[2])).toEqual([
      "enero",
      "febrero",
      "marzo",
      "abril",
      "mayo",
      "junio",
      "julio",
      "agosto",
      "septiembre",
      "octubre",
      "noviembre",
      "diciembre",
    ]);
  });

  it("refuses what is not a calendar date", () => {
    for (const bad of ["2026-02-30", "2027-02-29", "2026-13-01", "2026-00-10", "1 de junio de 2026", "2026-6-1", ""]) {
      expect(() => longDateEs(bad), bad).toThrow(RangeError);
    }
  });

  it("letterDate picks the language", () => {
    expect(letterDate("2026-06-01", "en")).toBe("June 1, 2026");
    expect(letterDate("2026-06-01", "es")).toBe("1 de junio de 2026");
  });
});

describe("letterLanguage: --lang, else the loan's, else a Spanish-speaking client, else English", () => {
  it("takes the flag over everything", () => {
    expect(letterLanguage("en", "es", "es")).toEqual({ lang: "en", from: "flag" });
    expect(letterLanguage("es", "en", undefined)).toEqual({ lang: "es", from: "flag" });
  });

  it("takes the loan's language over the client's", () => {
    expect(letterLanguage(undefined, "en", "es")).toEqual({ lang: "en", from: "loan" });
    expect(letterLanguage(undefined, "es", "vi")).toEqual({ lang: "es", from: "loan" });
  });

  it("takes the client's preferred language only when it is Spanish (any region)", () => {
    expect(letterLanguage(undefined, null, "es")).toEqual({ lang: "es", from: "client" });
    expect(letterLanguage(undefined, null, "es-MX")).toEqual({ lang: "es", from: "client" });
    expect(letterLanguage(undefined, null, "vi")).toEqual({ lang: "en", from: "default" });
    expect(letterLanguage(undefined, null, "est")).toEqual({ lang: "en", from: "default" }); // Estonian
    expect(letterLanguage(undefined, undefined, undefined)).toEqual({ lang: "en", from: "default" });
  });
});

describe("Spanish templates: the same fields, facts and citations as the English ones", () => {
  it.each(KIND_IDS)("%s has templates/<kind>.es.md with the English template's placeholders", (id) => {
    expect(existsSync(join(TEMPLATES, `${id}.es.md`))).toBe(true);
    expect(templatePlaceholders(template(id, "es")).sort()).toEqual(templatePlaceholders(template(id, "en")).sort());
  });

  it.each(KIND_IDS)("%s cites the rules its English template cites", (id) => {
    expect(citations(template(id, "es"))).toEqual(citations(template(id, "en")));
  });

  it.each(KIND_IDS)("%s never prints a Message-ID or an ISO date", (id) => {
    expect(template(id, "es")).not.toMatch(/message-id/i);
    expect(template(id, "es")).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it("every enum value a kind prints in words has Spanish words", () => {
    for (const id of KIND_IDS) {
      for (const f of kindDef(id).fields.filter((f) => f.words)) {
        for (const v of Object.keys(f.words ?? {}))
          expect(enumWordsEs(kindDef(id), f.name, v), `${id}.${v}`).toBeTruthy();
      }
    }
  });

  it("the successor's documents exist in Spanish for every way the property passed", () => {
    expect(Object.keys(WORDING_ES.successorDocuments).sort()).toEqual(Object.keys(SUCCESSOR_DOCUMENTS).sort());
  });
});

describe("joinNamesEs and exhibit names", () => {
  it('lists names with "y", and "e" before the sound /i/', () => {
    expect(joinNamesEs(["Jane Doe"])).toBe("Jane Doe");
    expect(joinNamesEs(["Jane Doe", "John Doe"])).toBe("Jane Doe y John Doe");
    expect(joinNamesEs(["Ana", "Luis", "Marta"])).toBe("Ana, Luis y Marta");
    expect(joinNamesEs(["Juan", "Inés"])).toBe("Juan e Inés");
    expect(joinNamesEs(["Ana", "Hilda"])).toBe("Ana e Hilda");
    expect(joinNamesEs(["Ana", "Hiedra"])).toBe("Ana y Hiedra"); // a diphthong: "y"
  });

  it("names a Spanish letter's exhibits Anexo, lettered as the English ones", () => {
    expect(exhibitName(0, "es")).toBe("Anexo A");
    expect(exhibitName(27)).toBe("Exhibit AB");
    expect(exhibitFileName(1, "Comprobante de pago", "pdf", "es")).toBe("Anexo B \u2013 Comprobante de pago.pdf");
  });
});

const TAG = "LM-K7QX-3";

function input(kindId: KindId, fields: Record<string, string>, overrides: Partial<LetterInput> = {}): LetterInput {
  const kind = kindDef(kindId);
  const lang = overrides.lang ?? "es";
  return {
    kind,
    fields: validateFields(kind, fields),
    formal: true,
    toDesignated: true,
    template: template(kindId, lang),
    servicerName: "Acme Servicing",
    borrowers: ["Juana Pérez"],
    account: "1234567",
    property: "742 Evergreen Terrace\nSpringfield, IL 62704\n",
    summary: "El 1 de marzo de 2026 pagué $1,500.00.",
    userName: "Juana Pérez",
    tag: TAG,
    exhibits: [],
    lang,
    ...overrides,
  };
}

describe("buildLetterBody in Spanish", () => {
  const fields = { "payment-date": "2026-03-01", amount: "1500" };
  const body = buildLetterBody(input("payment-application", fields, { exhibits: ["Anexo A \u2013 Estado.pdf"] }));

  it("greets, states the account, asks for the tag, closes and lists the enclosures in Spanish", () => {
    expect(body.startsWith("Estimados señores de Acme Servicing:\n\n")).toBe(true);
    expect(body).toContain("Prestatario: Juana Pérez\nNúmero de cuenta: 1234567\n");
    expect(body).toContain("Dirección de la propiedad: 742 Evergreen Terrace, Springfield, IL 62704\n");
    expect(body).toContain(`Les ruego que incluyan la referencia ${TAG} en su respuesta`);
    expect(body).toContain("Atentamente,\n\nJuana Pérez");
    expect(body.endsWith("\n\nAnexos:\nAnexo A \u2013 Estado.pdf\n")).toBe(true);
    expect(buildLetterBody(input("assumption", {})).endsWith("\n\nAnexos: ninguno\n")).toBe(true);
  });

  it("writes dates and amounts as a Spanish letter does", () => {
    expect(body).toContain("Ustedes no aplicaron mi pago de $1,500.00, realizado el 1 de marzo de 2026,");
    expect(body).not.toMatch(/March|2026-03-01/);
  });

  it("a formal letter is an aviso de error citing what the English one cites, with 1024.35(i)", () => {
    expect(body).toContain("Esta carta es un aviso de error (notice of error) conforme a 12 C.F.R. 1024.35");
    expect(body).toContain("enviado a la dirección que ustedes designaron para dichos avisos");
    const english = buildLetterBody(input("payment-application", fields, { lang: "en" }));
    expect(citations(body)).toEqual(citations(english));
    expect(citations(body)).toContain("12 C.F.R. 1024.35(i)");
  });

  it.each(["information-request", "owner-request", "relied-documents", "successor-in-interest"] as const)(
    "the formal paragraph of %s cites the same rules as the English one",
    (id) => {
      const f: Record<string, Record<string, string>> = {
        "information-request": { information: "el historial de pagos" },
        "relied-documents": { case: "1" },
        "successor-in-interest": { how: "death" },
      };
      const reference = {
        tag: "LM-K7QX-1",
        subject: "s",
        date: "2026-06-01",
        messageId: "<x@y>",
        responseDate: "2026-07-15",
      };
      const es = buildLetterBody(input(id, f[id] ?? {}, { reference }));
      const en = buildLetterBody(input(id, f[id] ?? {}, { reference, lang: "en" }));
      expect(citations(es)).toEqual(citations(en));
      expect(es).not.toMatch(/This letter is|Please /);
    },
  );

  it("says in Spanish why Regulation X does not reach the loan, for each of the four reasons", () => {
    const loan = { product: "closed-end" as const, principalResidence: true, smallServicer: false, slaDays: 0 };
    const reasons = [
      regXSectionOutside("1024.35", { ...loan, product: "heloc" }),
      regXSectionOutside("1024.41", { ...loan, product: "reverse" }),
      regXSectionOutside("1024.41", { ...loan, smallServicer: true }),
      regXSectionOutside("1024.41", { ...loan, principalResidence: false }),
    ];
    for (const why of reasons) {
      const es = buildLetterBody(input("loss-mitigation", {}, { formal: false, outsideRegX: why }));
      const en = buildLetterBody(input("loss-mitigation", {}, { formal: false, outsideRegX: why, lang: "en" }));
      expect(es).toContain("Fuera del ámbito de la Regulación X: no hay plazo federal");
      expect(es, String(why)).not.toMatch(/do(?:es)? not apply|exempt|applies only/);
      expect(citations(es)).toEqual(citations(en));
    }
  });

  it("a counselor's letter says who writes, for whom, under which authorization, in Spanish", () => {
    const onBehalf = {
      counselor: "Rosa Díaz",
      agency: "Casa de la Vivienda",
      hudAgencyId: "80123",
      borrowers: ["Juan Pérez", "Inés Pérez"],
      signedOn: "2026-05-04",
      formExhibit: "Anexo A",
    };
    const letter = buildLetterBody(input("assumption", {}, { onBehalf }));
    expect(letter).toContain(
      "Presto servicios de consejería de vivienda (housing counseling) en Casa de la Vivienda y escribo en nombre de Juan Pérez e Inés Pérez, con su autorización por escrito firmada el 4 de mayo de 2026, que se adjunta como Anexo A.",
    );
    expect(letter).toContain(
      "Atentamente,\n\nRosa Díaz, consejería de vivienda (Housing Counselor), Casa de la Vivienda (ID de agencia de HUD 80123), en nombre de Juan Pérez e Inés Pérez",
    );
  });

  it("an authorization every borrower signs has Spanish signature and date lines", () => {
    const letter = buildLetterBody(
      input(
        "third-party-authorization",
        { counselor: "Rosa Díaz", contact: "555-0100" },
        { formal: false, borrowers: ["Juan Pérez", "Inés Pérez"] },
      ),
    );
    expect(letter).toContain("Firmado por cada prestatario:");
    expect(letter).toContain("Firma: ______________________________   Fecha: ________________\nInés Pérez");
    expect(letter).not.toContain("Atentamente");
  });

  it("an exhibit change rewrites the Spanish enclosures paragraph", () => {
    expect(withEnclosures(body, [], "es").endsWith("\n\nAnexos: ninguno\n")).toBe(true);
    expect(withEnclosures(body, ["Anexo B \u2013 Otro.pdf"], "es")).toContain("Atentamente,");
    expect(withEnclosures(body, ["Anexo B \u2013 Otro.pdf"], "es").match(/Anexos:/g)).toHaveLength(1);
  });
});

describe("the derived wording in Spanish: the same conditions, Spanish words", () => {
  const facts = (kind: KindId, fields: Record<string, string>, more: Partial<WordingFacts> = {}): WordingFacts =>
    wordingFacts(kind, fields, { lang: "es", ...more });

  it("loss mitigation: the application, the sale's protection (more than 37 days away, or not) and the documents", () => {
    // 2026-06-01 + 37 days = 2026-07-08: a sale on 07-09 is protected, one on 07-08 is not.
    const far = kindWording(facts("loss-mitigation", { "sale-date": "2026-07-09" })).values;
    expect(far.application).toContain("conforme a 12 C.F.R. 1024.41(b)(1)");
    expect(far["sale-protection"]).toMatch(/^Conforme a 12 C\.F\.R\. 1024\.41\(g\), si reciben mi solicitud completa/);
    expect(far["documents-channel"]).toContain("por su canal seguro");
    const near = kindWording(facts("loss-mitigation", { "sale-date": "2026-07-08" }));
    expect(near.values["sale-protection"]).toMatch(/^La venta está a 37 días o menos/);
    expect(near.warnings[0]).toContain("37 days or fewer"); // loanmail's own messages stay English
  });

  it("an escalation for a delinquent loan cites continuity of contact (1024.40)", () => {
    const w = kindWording(facts("escalation-request", { "delinquent-since": "2026-04-01" })).values;
    expect(w["continuity-of-contact"]).toMatch(/^Conforme a 12 C\.F\.R\. 1024\.40\(a\) \(continuidad del contacto\)/);
  });

  it("late fee: within the grace period only when the dates show it", () => {
    const f = { "payment-date": "2026-05-10", "grace-ends": "2026-05-15" };
    expect(kindWording(facts("late-fee-dispute", f)).values["within-grace"]).toBe("dentro del período de gracia");
    const late = { ...f, "payment-date": "2026-05-20" };
    expect(kindWording(facts("late-fee-dispute", late)).values["within-grace"]).toBeUndefined();
  });

  it("an authorization speaks for one borrower or for all, and points to the servicer's form as an Anexo", () => {
    const one = kindWording(facts("third-party-authorization", {}, { servicerForm: "Anexo A" })).values;
    expect([one.authorizers, one.our, one.us]).toEqual(["Yo, Juan Pérez, autorizo a", "mi", "me"]);
    expect(one["open-ended"]).toBe("Esta autorización no tiene fecha de vencimiento: es válida hasta que se revoque.");
    expect(one["servicer-form"]).toContain("Se adjunta, como Anexo A, su propio formulario");
    const two = kindWording(
      facts("third-party-authorization", { expires: "2027-06-01" }, { borrowers: ["Juan Pérez", "Inés Pérez"] }),
    ).values;
    expect([two.authorizers, two.our, two.us]).toEqual([
      "Nosotros, Juan Pérez e Inés Pérez, autorizamos a",
      "nuestro",
      "nos",
    ]);
    expect(two["open-ended"]).toBeUndefined();
  });

  it("a successor names the transferor and the documents in Spanish", () => {
    const w = kindWording(
      facts("successor-in-interest", { how: "death" }, { borrowers: ["Ana Ruiz", "Inés Ruiz"] }),
    ).values;
    expect(w.transferor).toBe("Ana Ruiz e Inés Ruiz");
    expect(w["successor-documents"]).toMatch(/^una copia del certificado de defunción/);
  });
});
