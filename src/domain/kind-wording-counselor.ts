/**
 * The derived sentences of kind-wording.ts that speak of the borrower's own acts, in a counselor's voice
 * (voice.ts): the same conditions decide which a letter carries and each cites the same rule as its twin, but the
 * application, the documents and the options are the borrower's ("el prestatario"), and a successor's papers are
 * "my client's" ("mi cliente"). Only these differ; every other sentence reads the same in both voices. Pure.
 */
import type { WordingText } from "./kind-wording.js";

/** The sentences that change with the voice. */
export type VoicedWording = Pick<
  WordingText,
  "applicationOutside" | "saleProtected" | "documentsChannel" | "continuityOfContact" | "successorDocuments"
>;

export const COUNSELOR_EN: VoicedWording = {
  applicationOutside:
    "Please treat this letter as the borrower's application for every loss mitigation option you offer.",
  saleProtected:
    "Under 12 C.F.R. 1024.41(g), if you receive the borrower's complete application more than 37 days before that " +
    "sale, you may not move for a foreclosure judgment or order of sale, or conduct the sale, unless you have told " +
    "the borrower in writing that the borrower is not eligible for any option and any appeal is over, the borrower " +
    "has rejected every option you offered, or the borrower has failed to perform under an agreement on an option.",
  documentsChannel:
    "Please tell me how to send the borrower's financial documents (such as pay stubs, bank statements and tax " +
    "returns) through your secure channel, such as your secure document upload or a mailing address, rather than " +
    "by ordinary email.",
  continuityOfContact:
    "Under 12 C.F.R. 1024.40(a) (continuity of contact), your procedures must assign personnel to a delinquent " +
    "borrower by the 45th day of delinquency and make them available to the borrower by telephone. Please tell " +
    "me in writing the name and direct telephone number of the person assigned to this loan, who can tell the " +
    "borrower the loss mitigation options available to the borrower, what the borrower must do to be evaluated " +
    "for them, the status of any application the borrower has submitted, and the deadlines that apply " +
    "(12 C.F.R. 1024.40(b)).",
  successorDocuments: {
    death:
      "a copy of the death certificate; the will, letters testamentary or of administration, or a court order, " +
      "or, where there was no probate, an affidavit of heirship; the recorded deed, if any; and my client's " +
      "government-issued photo identification.",
    divorce:
      "the divorce decree, legal separation agreement or property settlement agreement; the recorded deed, if " +
      "any; and my client's government-issued photo identification.",
    "spouse-or-child":
      "the recorded deed or other document that transferred the interest to my client; my client's marriage or " +
      "birth certificate; and my client's government-issued photo identification.",
    trust:
      "the trust instrument or a certification of trust; the recorded deed into the trust; and my client's " +
      "government-issued photo identification.",
  },
};

export const COUNSELOR_ES: VoicedWording = {
  applicationOutside:
    "Les ruego que consideren esta carta como la solicitud del prestatario para todas las opciones de mitigación " +
    "de pérdidas (loss mitigation) que ofrecen.",
  saleProtected:
    "Conforme a 12 C.F.R. 1024.41(g), si reciben la solicitud completa del prestatario más de 37 días antes de esa " +
    "venta, no podrán solicitar una sentencia de ejecución hipotecaria ni una orden de venta, ni llevar a cabo la " +
    "venta, a menos que hayan informado por escrito al prestatario que no califica para ninguna opción y que " +
    "cualquier apelación haya concluido, que el prestatario haya rechazado todas las opciones que le ofrecieron, " +
    "o que no haya cumplido un acuerdo sobre alguna opción.",
  documentsChannel:
    "Les ruego que me indiquen cómo enviar los documentos financieros del prestatario (como talones de pago, " +
    "estados de cuenta bancarios y declaraciones de impuestos) por su canal seguro, por ejemplo su sistema seguro " +
    "de carga de documentos o una dirección postal, y no por correo electrónico ordinario.",
  continuityOfContact:
    "Conforme a 12 C.F.R. 1024.40(a) (continuidad del contacto), sus procedimientos deben asignar personal a un " +
    "prestatario moroso a más tardar el día 45 de morosidad y ponerlo a su disposición por teléfono. Les ruego " +
    "que me informen por escrito el nombre y el número de teléfono directo de la persona asignada a este " +
    "préstamo, que pueda informar al prestatario sobre las opciones de mitigación de pérdidas a su alcance, lo " +
    "que debe hacer para que se le evalúe para ellas, el estado de cualquier solicitud que haya presentado y los " +
    "plazos aplicables (12 C.F.R. 1024.40(b)).",
  successorDocuments: {
    death:
      "una copia del certificado de defunción; el testamento, las cartas testamentarias o de administración, o " +
      "una orden judicial o, si no hubo proceso sucesorio (probate), una declaración jurada de herederos " +
      "(affidavit of heirship); la escritura registrada, si la hay; y la identificación oficial con fotografía de " +
      "mi cliente.",
    divorce:
      "la sentencia de divorcio, el acuerdo de separación legal o el acuerdo de liquidación de bienes; la " +
      "escritura registrada, si la hay; y la identificación oficial con fotografía de mi cliente.",
    "spouse-or-child":
      "la escritura registrada u otro documento por el que se transfirió el derecho a mi cliente; el acta de " +
      "matrimonio o de nacimiento de mi cliente; y la identificación oficial con fotografía de mi cliente.",
    trust:
      "el instrumento del fideicomiso o una certificación del fideicomiso; la escritura registrada de " +
      "transferencia al fideicomiso; y la identificación oficial con fotografía de mi cliente.",
  },
};
