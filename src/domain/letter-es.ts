/**
 * A letter's own sentences in Spanish (docs/ARCHITECTURE.md, "Letters in Spanish"), written for a servicer's
 * Spanish-language team: formal register (the servicer is addressed as "ustedes"), the terms of Regulation X in
 * Spanish with the English term where a servicer's staff would look for it ("aviso de error (notice of error)"),
 * and the same rules cited as in English (letter.ts), word for word. Pure.
 */
import type { KindDef } from "./kinds.js";
import type { LetterWords, OnBehalf } from "./letter.js";
import { longDateEs } from "./letter-dates.js";
import { regXSectionOutside } from "./regx-scope.js";
import type { LetterVoice } from "./voice.js";

/**
 * "A", "A y B", "A, B y C". Spanish writes "e" for "y" before a word that begins with the sound /i/ ("Juan e
 * Inés", "Ana e Hilda"), but not before a diphthong ("Ana y Hielo").
 */
export function joinNamesEs(names: readonly string[]): string {
  if (names.length === 0) return "";
  const last = names.at(-1) as string;
  const and = /^h?[iíIÍ](?![aeiouáéóú])/i.test(last) ? "e" : "y";
  return names.length === 1 ? last : `${names.slice(0, -1).join(", ")} ${and} ${last}`;
}

/** "Exhibit A" of the record as a Spanish letter names it ("Anexo A"); a Spanish name stays as it is. */
export function exhibitNameEs(exhibit: string): string {
  return exhibit.replace(/^Exhibit\s+/, "Anexo ");
}

function oneLine(address: string): string {
  return address
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .join(", ");
}

/** The sentence of 12 U.S.C. 2605(e) (letter.ts QWR_SENTENCE). */
const QWR_ES =
  "Esta carta es también una solicitud por escrito calificada (qualified written request) conforme a 12 U.S.C. 2605(e).";

/** The request of 12 C.F.R. 1024.35(i) (letter.ts NO_ADVERSE_REPORTING). */
const NO_ADVERSE_REPORTING_ES =
  "Conforme a lo que exige 12 C.F.R. 1024.35(i), les ruego que no proporcionen información negativa a ninguna " +
  "agencia de informes de crédito del consumidor sobre el pago al que se refiere este aviso durante los 60 días " +
  "siguientes a su recepción.";

function formalParagraphEs(
  kind: KindDef,
  toDesignated: boolean,
  paymentDisputed: boolean,
  voice: LetterVoice = "borrower",
): string | null {
  switch (kind.substance) {
    case "noe":
      return [
        "Esta carta es un aviso de error (notice of error) conforme a 12 C.F.R. 1024.35 (Regulación X, sección " +
          `6(k) de RESPA)${toDesignated ? ", enviado a la dirección que ustedes designaron para dichos avisos" : ""}.`,
        QWR_ES,
        "Les ruego que acusen recibo por escrito dentro de cinco días hábiles y que corrijan el error o, tras una " +
          "investigación razonable, me expliquen por escrito por qué consideran que no ocurrió ningún error, " +
          "dentro del plazo que permite 12 C.F.R. 1024.35(e).",
        ...(paymentDisputed ? [NO_ADVERSE_REPORTING_ES] : []),
      ].join(" ");
    case "rfi":
      return [
        "Esta carta es una solicitud de información (request for information) conforme a 12 C.F.R. 1024.36 " +
          `(Regulación X, sección 6(k) de RESPA)${toDesignated ? ", enviada a la dirección que ustedes designaron para dichas solicitudes" : ""}.`,
        QWR_ES,
        "Les ruego que acusen recibo por escrito dentro de cinco días hábiles y que me proporcionen la " +
          "información, o me expliquen por escrito por qué no está disponible, dentro del plazo que permite " +
          "12 C.F.R. 1024.36(d).",
      ].join(" ");
    case "owner-rfi":
      return (
        "Esta carta es una solicitud de información conforme a 12 C.F.R. 1024.36 sobre la identidad y los datos de " +
        `contacto del propietario o cesionario de ${voice === "counselor" ? "este" : "mi"} préstamo. Les ruego que acusen recibo dentro de cinco días ` +
        "hábiles y que respondan dentro de diez días hábiles, como exige 12 C.F.R. 1024.36(d)(2)(i)(A)."
      );
    case "relied-documents":
      return (
        "Conforme a 12 C.F.R. 1024.35(e)(4), les ruego que me proporcionen los documentos en los que se basaron " +
        "para determinar que no ocurrió ningún error, dentro de los quince días hábiles siguientes a la recepción " +
        "de esta solicitud."
      );
    case "successor":
      return (
        "Esta carta es una solicitud por escrito conforme a 12 C.F.R. 1024.36(i) de un posible sucesor en interés " +
        `(potential successor in interest)${toDesignated ? ", enviada a la dirección que ustedes designaron para las solicitudes de información" : ""}. ` +
        `Conforme a 12 C.F.R. 1024.36(i)(1), deben ${voice === "counselor" ? "tratar a mi cliente" : "tratarme"} como prestatario a efectos de 12 C.F.R. 1024.36(c) a ` +
        "(g) con respecto a ella: les ruego que acusen recibo por escrito dentro de cinco días hábiles y que " +
        "respondan dentro del plazo que permite 12 C.F.R. 1024.36(d)."
      );
    default:
      return null;
  }
}

/**
 * Why Regulation X does not reach a loan, in Spanish: regx-scope.ts gives the reason in English, one of four,
 * each found here by asking regx-scope for it, so that its words and these never drift apart unseen.
 */
function outsideWhyEs(why: string): string {
  const loan = { product: "closed-end" as const, principalResidence: true, smallServicer: false, slaDays: 0 };
  const table: [string | null, string][] = [
    [
      regXSectionOutside("1024.35", { ...loan, product: "heloc" }),
      'una línea de crédito abierta (HELOC) no es un "préstamo hipotecario" (mortgage loan) según 12 C.F.R. ' +
        "1024.31, por lo que las normas de administración de préstamos de la Regulación X (1024.30 a 1024.41) no " +
        "se aplican",
    ],
    [
      regXSectionOutside("1024.41", { ...loan, product: "reverse" }),
      "12 C.F.R. 1024.30(b)(2): las secciones 1024.38 a 1024.41 no se aplican a una hipoteca revertida (reverse mortgage)",
    ],
    [
      regXSectionOutside("1024.41", { ...loan, smallServicer: true }),
      "12 C.F.R. 1024.30(b)(1): un administrador pequeño (small servicer) está exento de las secciones 1024.38 a " +
        "1024.41 (salvo 1024.41(j))",
    ],
    [
      regXSectionOutside("1024.41", { ...loan, principalResidence: false }),
      "12 C.F.R. 1024.30(c)(2): las secciones 1024.39 a 1024.41 solo se aplican a la residencia principal del prestatario",
    ],
  ];
  return table.find(([en]) => en === why)?.[1] ?? why;
}

function outsideRegXParagraphEs(why: string): string {
  const reason = outsideWhyEs(why);
  return (
    "Fuera del ámbito de la Regulación X: no hay plazo federal; solo rige el compromiso propio del administrador " +
    `del préstamo (servicer). ${reason.charAt(0).toUpperCase()}${reason.slice(1).replace(/\.?$/, ".")} ` +
    "Cualquier disposición de la Regulación X mencionada arriba describe el problema; no afirmo que los obligue " +
    "respecto de este préstamo. Les ruego que respondan dentro del plazo que prometen a sus clientes."
  );
}

function copyParagraphEs(kind: KindDef): string {
  const what =
    kind.substance === "rfi" || kind.substance === "owner-rfi"
      ? "solicitud de información conforme a 12 C.F.R. 1024.36"
      : kind.substance === "successor"
        ? "solicitud conforme a 12 C.F.R. 1024.36(i)"
        : "aviso de error conforme a 12 C.F.R. 1024.35";
  return (
    "Esta es una copia, para su equipo de servicio al cliente, de una carta dirigida a la dirección que ustedes " +
    `designaron para dichos avisos. Esa carta, y no esta copia, es mi ${what}.`
  );
}

function onBehalfParagraphEs(o: OnBehalf): string {
  return (
    `Presto servicios de consejería de vivienda (housing counseling) en ${o.agency} y escribo en nombre de ` +
    `${joinNamesEs(o.borrowers)}, con su autorización por escrito firmada el ${longDateEs(o.signedOn)}` +
    `${o.formExhibit ? `, que se adjunta como ${exhibitNameEs(o.formExhibit)}` : ""}.`
  );
}

function onBehalfLineEs(o: OnBehalf): string {
  const agency = `${o.agency}${o.hudAgencyId ? ` (ID de agencia de HUD ${o.hudAgencyId})` : ""}`;
  return `${o.counselor}, consejería de vivienda (Housing Counselor), ${agency}, en nombre de ${joinNamesEs(o.borrowers)}`;
}

/** The Spanish of the words `successor-in-interest` prints for `how` (kinds.ts), by value. */
const ENUM_WORDS_ES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  "successor-in-interest.how": {
    death: "por el fallecimiento del prestatario (por testamento, herencia o derecho de supervivencia)",
    divorce:
      "en virtud de una sentencia de divorcio, un acuerdo de separación legal o un acuerdo de liquidación de bienes",
    "spouse-or-child": "como cónyuge, hijo o hija del prestatario",
    trust:
      "mediante una transferencia a un fideicomiso en vida (inter vivos) del que el prestatario es y sigue siendo beneficiario",
  },
};

/** The enum fields that print words, and the Spanish words of each value (kinds-and-templates test checks them all). */
export function enumWordsEs(kind: KindDef, field: string, value: string): string | undefined {
  return ENUM_WORDS_ES[`${kind.id}.${field}`]?.[value];
}

/** A line to sign on and a line to date, as a printed form has them. */
export const SIGNATURE_LINE_ES = "Firma: ______________________________   Fecha: ________________";

export const SPANISH: LetterWords = {
  date: longDateEs,
  // "carta" and "aviso" differ in gender: the day it left is said without an adjective that agrees with either.
  writtenThenSent: (written, left) => `${longDateEs(written)}, con fecha de envío el ${longDateEs(left)}`,
  joinNames: joinNamesEs,
  greeting: (servicer) => `Estimados señores de ${servicer}:`,
  accountLines: (borrowers, account, property) =>
    [
      `${borrowers.length > 1 ? "Prestatarios" : "Prestatario"}: ${borrowers.join(", ")}`,
      `Número de cuenta: ${account}`,
      `Dirección de la propiedad: ${oneLine(property)}`,
    ].join("\n"),
  onBehalfParagraph: onBehalfParagraphEs,
  onBehalfLine: onBehalfLineEs,
  formalParagraph: formalParagraphEs,
  outsideRegXParagraph: outsideRegXParagraphEs,
  copyParagraph: copyParagraphEs,
  referenceLine: (tag) =>
    `Les ruego que incluyan la referencia ${tag} en su respuesta para que llegue al expediente correcto.`,
  closing: "Atentamente,",
  borrowerSignatures: (borrowers) => [
    borrowers.length === 1 ? "Firmado por el prestatario:" : "Firmado por cada prestatario:",
    ...borrowers.map((b) => `${SIGNATURE_LINE_ES}\n${b}`),
  ],
  enclosuresBlock: (exhibits) => (exhibits.length > 0 ? ["Anexos:", ...exhibits].join("\n") : "Anexos: ninguno"),
  enclosuresHeading: "Anexos:",
  enumWords: enumWordsEs,
};
