/**
 * The derived sentences of kind-wording.ts in Spanish, for a servicer's Spanish-language team: the same
 * conditions decide which a letter carries, and each cites the same rule as its English twin. Pure.
 */
import type { WordingText } from "./kind-wording.js";
import { exhibitNameEs, joinNamesEs } from "./letter-es.js";

export const WORDING_ES: WordingText = {
  joinNames: joinNamesEs,
  withinGrace: "dentro del período de gracia",
  applicationOutside:
    "Les ruego que consideren esta carta como mi solicitud para todas las opciones de mitigación de pérdidas " +
    "(loss mitigation) que ofrecen.",
  applicationRegX:
    "Les ruego que consideren esta carta como una solicitud de mitigación de pérdidas (loss mitigation " +
    "application) conforme a 12 C.F.R. 1024.41(b)(1).",
  saleProtected:
    "Conforme a 12 C.F.R. 1024.41(g), si reciben mi solicitud completa más de 37 días antes de esa venta, no " +
    "podrán solicitar una sentencia de ejecución hipotecaria ni una orden de venta, ni llevar a cabo la venta, a " +
    "menos que me hayan informado por escrito que no califico para ninguna opción y que cualquier apelación haya " +
    "concluido, que yo haya rechazado todas las opciones que me ofrecieron, o que no haya cumplido un acuerdo " +
    "sobre alguna opción.",
  saleTooNear:
    "La venta está a 37 días o menos, por lo que es posible que 12 C.F.R. 1024.41(g) no proteja esta solicitud; " +
    "les pido que pospongan la venta mientras la evalúan.",
  documentsChannel:
    "Les ruego que me indiquen cómo enviar mis documentos financieros (como talones de pago, estados de cuenta " +
    "bancarios y declaraciones de impuestos) por su canal seguro, por ejemplo su sistema seguro de carga de " +
    "documentos o una dirección postal, y no por correo electrónico ordinario.",
  continuityOfContact:
    "Conforme a 12 C.F.R. 1024.40(a) (continuidad del contacto), sus procedimientos deben asignar personal a un " +
    "prestatario moroso a más tardar el día 45 de morosidad y ponerlo a su disposición por teléfono. Les ruego " +
    "que me informen por escrito el nombre y el número de teléfono directo de la persona asignada a mi préstamo, " +
    "que pueda informarme sobre las opciones de mitigación de pérdidas a mi alcance, lo que debo hacer para que " +
    "se me evalúe para ellas, el estado de cualquier solicitud que haya presentado y los plazos aplicables " +
    "(12 C.F.R. 1024.40(b)).",
  successorDocuments: {
    death:
      "una copia del certificado de defunción; el testamento, las cartas testamentarias o de administración, o una " +
      "orden judicial o, si no hubo proceso sucesorio (probate), una declaración jurada de herederos (affidavit of " +
      "heirship); la escritura registrada, si la hay; y mi identificación oficial con fotografía.",
    divorce:
      "la sentencia de divorcio, el acuerdo de separación legal o el acuerdo de liquidación de bienes; la escritura " +
      "registrada, si la hay; y mi identificación oficial con fotografía.",
    "spouse-or-child":
      "la escritura registrada u otro documento por el que se me transfirió el derecho; mi acta de matrimonio o de " +
      "nacimiento; y mi identificación oficial con fotografía.",
    trust:
      "el instrumento del fideicomiso o una certificación del fideicomiso; la escritura registrada de transferencia " +
      "al fideicomiso; y mi identificación oficial con fotografía.",
  },
  authorizers: (one, names) => (one ? `Yo, ${names}, autorizo a` : `Nosotros, ${names}, autorizamos a`),
  our: (one) => (one ? "mi" : "nuestro"),
  us: (one) => (one ? "me" : "nos"),
  openEnded: "Esta autorización no tiene fecha de vencimiento: es válida hasta que se revoque.",
  servicerForm: (exhibit) =>
    `Se adjunta, como ${exhibitNameEs(exhibit)}, su propio formulario de autorización de terceros, completado y ` +
    "firmado por cada prestatario.",
};
