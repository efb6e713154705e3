/**
 * An escalation letter in Spanish (docs/ARCHITECTURE.md, "Letters in Spanish"): its account of the record (each
 * letter and reply, each missed clock, why the matter is not resolved, the protections in force) and a formal
 * letter's fields, for a loan whose letters are Spanish. Each sentence says what its English twin says
 * (escalation-citations.ts, escalation-triggers.ts, escalation-rungs.ts, formal-letter.ts), claims a designated
 * address only where the record shows one, and cites the same rules in the same words. A letter is named by its
 * subject's English label (the servicer's systems file it by that subject). Pure.
 */
import type { IsoDate } from "./calendar.js";
import { isValidIsoDate } from "./calendar.js";
import type { Clock } from "./clock-types.js";
import type { EscalationWords, HistoryLetter, HistoryReply, PlannedLetter } from "./escalation-model.js";
import { amount, ERROR_DISPUTE_KINDS, paymentFields, pick } from "./formal-letter.js";
import { withinGrace } from "./kind-wording.js";
import { isKindId, type KindId, kindDef } from "./kinds.js";
import { longDateEs } from "./letter-dates.js";
import type { Protection } from "./protections.js";
import type { ReplyClass } from "./reply-classes.js";
import type { LetterVoice } from "./voice.js";

/** "1 día hábil", "3 días hábiles". */
const businessDays = (n: number) => `${n} ${n === 1 ? "día hábil" : "días hábiles"}`;

/** A date field's value as a Spanish letter prints it ("1 de marzo de 2026"); anything else as it was written. */
const fecha = (v: string | undefined) => (v && isValidIsoDate(v) ? longDateEs(v) : v);

/** A letter as the servicer knows it: its subject's label (English, as filed) and the tag its subject carries. */
function letterName(l: HistoryLetter): string {
  const label = isKindId(l.kind) ? kindDef(l.kind).label : null;
  return label ? `«${label}» (referencia ${l.caseTag})` : `«${l.subject ?? "(sin asunto)"}»`;
}

/** A letter that left; in a counselor's voice only that it left ("se envió la carta"): it may be the borrower's own. */
function citeLetterEs(l: HistoryLetter & { date: IsoDate }, voice: LetterVoice = "borrower"): string {
  const counselor = voice === "counselor";
  const on = `El ${longDateEs(l.date)}`;
  // Escrita otro día que el de su envío: también ese día ("mi carta fechada el 10 de noviembre de 2026 «...»").
  const dated = l.writtenOn && l.writtenOn !== l.date ? ` fechada el ${longDateEs(l.writtenOn)}` : "";
  const name = `${counselor ? "la" : "mi"} carta${dated} ${letterName(l)}`;
  const sent = counselor ? "se envió" : "envié";
  switch (l.channel) {
    case "post":
      return `${on} ${sent} por correo certificado ${name}${l.designated ? " a la dirección que ustedes designaron" : ""}${l.deliveredOn ? `, entregada el ${longDateEs(l.deliveredOn)}` : ""}.`;
    case "notice-email":
      return `${on} ${sent} por correo electrónico ${name}${l.designated ? " a la dirección que ustedes designaron para avisos" : ""}.`;
    case "portal":
      return `${on} ${sent} ${name} ${l.designated ? "por el portal que ustedes designaron para avisos" : "por su portal"}.`;
    case "fax":
      return `${on} ${sent} por fax ${name}.`;
    case "hand":
      return `${on} ${counselor ? "se entregó" : "entregué"} en mano ${name}.`;
    default:
      return `${on} ${sent} por correo electrónico ${name} a su dirección de correspondencia.`;
  }
}

const CLASS_ES: Readonly<Record<ReplyClass, string>> = {
  acknowledgment: "solo un acuse de recibo",
  extension: "tomándose más tiempo para responder",
  exception: "negándose a responder",
  "documents-requested": "pidiéndome documentos",
  response: "una respuesta",
  other: "que no respondió a mi solicitud",
};

/** The same in a counselor's voice: the request and the documents asked for may be the borrower's. */
const CLASS_ES_COUNSELOR: Readonly<Record<ReplyClass, string>> = {
  ...CLASS_ES,
  "documents-requested": "pidiendo documentos",
  other: "que no respondió a la solicitud",
};

const REPLY_CHANNEL_ES: Readonly<Record<string, string>> = {
  post: "por correo postal",
  portal: "por su portal",
  fax: "por fax",
  hand: "en mano",
};

function citeReplyEs(r: HistoryReply, voice: LetterVoice = "borrower"): string {
  const email = r.channel === "email" || r.channel === "notice-email";
  const via = email ? "" : ` ${REPLY_CHANNEL_ES[r.channel] ?? `por ${r.channel}`}`;
  const subject = email && r.subject ? ` con el asunto «${r.subject}»` : "";
  return `El ${longDateEs(r.date)} ustedes respondieron${via}${subject}: ${(voice === "counselor" ? CLASS_ES_COUNSELOR : CLASS_ES)[r.class]}.`;
}

/** What a clock asked of the servicer, as the subject of a sentence (escalation-citations.ts clockSubject). */
function clockSubjectEs(c: Clock, voice: LetterVoice): string {
  const counselor = voice === "counselor";
  if (c.id.startsWith("promise-")) return `La respuesta que ustedes prometieron (${c.rule})`;
  if (c.id.endsWith("-ack")) return `El acuse de recibo exigido por ${c.rule}`;
  if (c.id === "payoff-statement") return `El estado de liquidación (payoff statement) exigido por ${c.rule}`;
  if (c.id.startsWith("lossmit-appeal-decision"))
    return `La decisión sobre ${counselor ? "la apelación del prestatario" : "mi apelación"} exigida por ${c.rule}`;
  if (c.id.startsWith("lossmit-decision"))
    return `La decisión por escrito sobre ${counselor ? "la" : "mi"} solicitud completa de mitigación de pérdidas${counselor ? " del prestatario" : ""} exigida por ${c.rule}`;
  if (c.id.startsWith("cfpb-")) return `El plazo «${c.name.replace(/^CFPB: /, "")}» conforme a ${c.rule}`;
  if (/-response$|^relied-documents$/.test(c.id)) return `La respuesta exigida por ${c.rule}`;
  return `El plazo «${c.name}» exigido por ${c.rule}`;
}

function missedEs(
  c: Clock,
  due: IsoDate,
  daysLate: number,
  asOf: IsoDate,
  arrivedOn: IsoDate | null,
  voice: LetterVoice = "borrower",
): string {
  const subject = clockSubjectEs(c, voice);
  // En la unidad que cuenta el plazo: uno de días naturales (el proceso de la CFPB) se retrasa en días.
  const n = c.calendarDaysLate;
  const late = n != null ? `${n} ${n === 1 ? "día" : "días"}` : businessDays(daysLate);
  return arrivedOn === null
    ? `${subject} vencía el ${longDateEs(due)} y no había llegado el ${longDateEs(asOf)}, con ${late} de retraso.`
    : `${subject} vencía el ${longDateEs(due)} y llegó el ${longDateEs(arrivedOn)}, con ${late} de retraso.`;
}

function protectionEs(p: Protection, voice: LetterVoice = "borrower"): string {
  const since = p.startedBy ? longDateEs(p.startedBy.on) : "";
  // A counselor's loan is "este préstamo", and the application the borrower's.
  const counselor = voice === "counselor";
  const pending = counselor
    ? `Mientras esté pendiente la solicitud completa de mitigación de pérdidas del prestatario, de fecha ${since},`
    : `Mientras esté pendiente mi solicitud completa de mitigación de pérdidas del ${since},`;
  switch (p.kind) {
    case "first-filing-120":
      return `${counselor ? "Este" : "Mi"} préstamo entró en mora el ${since}; conforme a ${p.rule}, no se puede hacer la primera notificación o presentación para la ejecución hipotecaria antes de que tenga más de 120 días de mora${p.until ? `, es decir, no antes de que haya pasado el ${longDateEs(p.until)}` : ""}.`;
    case "first-filing-pending":
      return `${pending} ${p.rule} prohíbe la primera notificación o presentación para la ejecución hipotecaria.`;
    case "sale-pending":
      return `${pending} ${p.rule} les prohíbe solicitar una sentencia de ejecución hipotecaria o una orden de venta, y llevar a cabo una venta por ejecución hipotecaria.`;
    case "transfer-payment":
      return `La administración de ${counselor ? "este" : "mi"} préstamo se transfirió el ${since}; conforme a ${p.rule}, hasta el ${p.until ? longDateEs(p.until) : "sexagésimo día"}, un pago enviado a tiempo al administrador anterior no puede generar un cargo por mora ni tratarse como atrasado.`;
  }
}

export const ESCALATION_ES: EscalationWords = {
  history: "Los antecedentes de este asunto:",
  citeLetter: citeLetterEs,
  citeReply: citeReplyEs,
  missed: missedEs,
  protection: protectionEs,
  disputed: (on) =>
    `Impugno su respuesta del ${longDateEs(on)} en la que se niegan a atender mi solicitud; el asunto no está resuelto.`,
  unresolved: (last) =>
    last
      ? `Su ${last.class === "response" ? "respuesta" : "comunicación"} del ${longDateEs(last.date)} no resuelve el asunto.`
      : "El asunto no está resuelto.",
  acknowledgedOnly: (on) => `Ustedes acusaron recibo de mi carta el ${longDateEs(on)}, pero no la han respondido.`,
  openResponse: (label, due, rule) =>
    `Su respuesta a mi carta${label ? ` «${label}»` : ""} vence el ${longDateEs(due)} (${rule}).`,
  regulatorAsk:
    "Voy a presentar una queja ante la Oficina para la Protección Financiera del Consumidor (Consumer Financial Protection Bureau).",
  legalAsk: "Voy a entregar el expediente de este asunto a un abogado.",
};

/** The same in a counselor's voice (escalation-en.ts ESCALATION_EN_COUNSELOR): the borrower's acts are the borrower's. */
export const ESCALATION_ES_COUNSELOR: EscalationWords = {
  ...ESCALATION_ES,
  citeLetter: (l) => citeLetterEs(l, "counselor"),
  citeReply: (r) => citeReplyEs(r, "counselor"),
  missed: (c, due, daysLate, asOf, arrivedOn) => missedEs(c, due, daysLate, asOf, arrivedOn, "counselor"),
  protection: (p) => protectionEs(p, "counselor"),
  disputed: (on) =>
    `Impugno su respuesta del ${longDateEs(on)} en la que se niegan a atender la solicitud; el asunto no está resuelto.`,
  acknowledgedOnly: (on) => `Ustedes acusaron recibo de la carta el ${longDateEs(on)}, pero no la han respondido.`,
  openResponse: (label, due, rule) =>
    `Su respuesta a la carta${label ? ` «${label}»` : ""} vence el ${longDateEs(due)} (${rule}).`,
};

/** What each kind asks (kinds.ts `asks`), in the words of a Spanish request for information. */
const ASKS_ES: Partial<Record<KindId, string>> = {
  "balance-verification": "el saldo de principal, con su desglose",
  "payment-history": "el historial de transacciones de un período determinado",
  "escrow-inquiry":
    "el análisis de la cuenta de depósito en garantía (escrow), sus desembolsos y cualquier déficit o excedente",
  "rate-adjustment":
    "los datos del ajuste de mi préstamo de tasa ajustable (ARM): índice, margen, límites y próximo cambio",
  "partial-payment": "cómo se retienen o aplican los pagos parciales",
  "loss-mitigation": "cómo presentar una solicitud de mitigación de pérdidas (loss mitigation) o darle seguimiento",
  "payoff-statement": "el monto de liquidación (payoff) válido hasta una fecha",
  "tax-form-1098": "el estado de intereses de un año fiscal (formulario 1098)",
  assumption: "si el préstamo puede asumirse y cómo",
  "owner-request": "el propietario o cesionario del préstamo, incluido cualquier fideicomiso o conjunto (pool)",
  "relied-documents": "los documentos en que se basó su respuesta de que no hubo ningún error",
  "insurance-proof": "la prueba de cobertura que evita un seguro contratado por ustedes (force-placed insurance)",
  "follow-up": "una respuesta a una carta anterior que no fue contestada o no lo fue en lo sustancial",
  "escalation-request": "un supervisor o equipo de escalamiento que atienda este asunto",
  "third-party-authorization": "la autorización firmada por los prestatarios para un consejero de vivienda",
};

/** What a kind asks in a counselor's voice, where the loan would otherwise be "mi préstamo". */
const ASKS_ES_COUNSELOR: Partial<Record<KindId, string>> = {
  "rate-adjustment":
    "los datos del ajuste de este préstamo de tasa ajustable (ARM): índice, margen, límites y próximo cambio",
};

/** The names of the date and year fields a request's details print (`as-of 30 de junio de 2026`). */
const FIELD_ES: Readonly<Record<string, string>> = {
  "as-of": "al",
  from: "desde",
  to: "hasta",
  "good-through": "válido hasta",
  "tax-year": "año fiscal",
  year: "año",
  "change-date": "fecha del cambio",
};

/** The formal letter's error when the original disputed one (formal-letter.ts, in English), in Spanish. */
function errorEs(kind: KindId, f: Readonly<Record<string, string>>, ref: string, voice: LetterVoice): string {
  // In a counselor's voice the payment is the borrower's ("el pago ... del prestatario") and the loan "el préstamo".
  const counselor = voice === "counselor";
  const payment = (what: string) => (counselor ? `el pago${what} del prestatario` : `mi pago${what}`);
  const documents = counselor ? "los documentos del préstamo" : "los documentos de mi préstamo";
  switch (kind) {
    case "payment-application":
      return f.amount
        ? `${payment(` de ${amount(f.amount)}`)} realizado el ${fecha(f["payment-date"])} no se aplicó como lo exigen ${documents}, ${ref}`
        : `un pago no se aplicó como lo exigen ${documents}, ${ref}`;
    case "late-fee-dispute":
      return `se cobró un cargo por mora${f.fee ? ` de ${amount(f.fee)}` : ""} por ${payment(f.amount ? ` de ${amount(f.amount)}` : "")}${f["payment-date"] ? ` realizado el ${fecha(f["payment-date"])}` : ""}${withinGrace(f) ? `, dentro del período de gracia, que terminó el ${fecha(f["grace-ends"])}` : ""}, ${ref}`;
    default:
      return `${payment(f.amount ? ` de ${amount(f.amount)}` : "")}${f.method ? ` (${f.method})` : ""}${f["payment-date"] ? ` recibido el ${fecha(f["payment-date"])}` : ""} no se acreditó en la fecha en que se recibió, ${ref}`;
  }
}

/**
 * The fields of the formal notice of error or request for information, from the original letter, in Spanish
 * (formal-letter.ts buildFormalLetter): the same kinds, fields and dates; the sentences the letter prints in
 * Spanish. What the user wrote (an error, the information asked) stays in their words.
 */
export function buildFormalLetterEs(
  root: HistoryLetter & { date: IsoDate },
  voice: LetterVoice = "borrower",
): PlannedLetter {
  const f = root.fields;
  const counselor = voice === "counselor";
  const ref = `según lo expuesto en ${counselor ? "la" : "mi"} carta del ${longDateEs(root.date)} (referencia ${root.caseTag})`;
  const kind = isKindId(root.kind) ? root.kind : undefined;
  if (kind && ERROR_DISPUTE_KINDS.includes(kind)) {
    if (kind === "notice-of-error") {
      const fields = pick(f, ["error", "error-date", "amount", "type", "sale-date", "payment-date"]);
      if (!fields.error) fields.error = `el error ${ref}`;
      return { kind: "notice-of-error", formal: true, fields };
    }
    const dated =
      kind === "late-fee-dispute"
        ? pick({ "error-date": f["fee-date"] ?? "", amount: f.fee ?? "", "payment-date": f["payment-date"] ?? "" }, [
            "error-date",
            "amount",
            "payment-date",
          ])
        : paymentFields(f, f.amount);
    return { kind: "notice-of-error", formal: true, fields: { error: errorEs(kind, f, ref, voice), ...dated } };
  }
  if (kind === "successor-in-interest")
    return { kind, formal: true, fields: pick(f, ["how", "transferor", "transfer-date", "relationship"]) };
  if (kind === "information-request") {
    const fields = pick(f, ["information", "from", "to"]);
    if (!fields.information) fields.information = `la información ${ref}`;
    return { kind: "information-request", formal: true, fields };
  }
  const def = kind ? kindDef(kind) : undefined;
  const details = def
    ? def.fields
        .filter((d) => d.type !== "case" && f[d.name])
        .map(
          (d) =>
            `${FIELD_ES[d.name] ?? d.name} ${d.type === "amount" ? amount(f[d.name]) : d.type === "date" ? fecha(f[d.name]) : f[d.name]}`,
        )
    : [];
  const asks = (kind && ((counselor && ASKS_ES_COUNSELOR[kind]) || ASKS_ES[kind])) ?? "la información";
  const fields: Record<string, string> = {
    information: `${asks}${details.length ? ` (${details.join(", ")})` : ""}, ${ref}`,
  };
  if (kind === "payment-history") Object.assign(fields, pick(f, ["from", "to"]));
  return { kind: "information-request", formal: true, fields };
}
