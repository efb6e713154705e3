/** The formal step's letter: a notice of error or a request for information built from the original letter. */
import { type IsoDate, isValidIsoDate } from "./calendar.js";
import type { HistoryLetter, PlannedLetter } from "./escalation-model.js";
import { formatAmount } from "./fields.js";
import { withinGrace } from "./kind-wording.js";
import { isKindId, type KindId, kindDef } from "./kinds.js";
import { longDate } from "./letter-dates.js";
import type { LetterVoice } from "./voice.js";

/** Kinds that dispute an error in substance: their formal step is a notice of error, every other a request for information. */
export const ERROR_DISPUTE_KINDS: readonly KindId[] = [
  "payment-application",
  "late-fee-dispute",
  "payment-delay",
  "notice-of-error",
];

/** The named fields that have a value. */
export function pick(fields: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = fields[n];
    if (v !== undefined && v !== "") out[n] = v;
  }
  return out;
}

/** A payment's day is the error's day and names the payment the notice concerns (12 C.F.R. 1024.35(i)). */
export function paymentFields(
  f: Readonly<Record<string, string>>,
  amountValue: string | undefined,
): Record<string, string> {
  const day = f["payment-date"] ?? "";
  return pick({ "error-date": day, amount: amountValue ?? "", "payment-date": day }, [
    "error-date",
    "amount",
    "payment-date",
  ]);
}

/** Amounts as a letter prints them. */
export const amount = (v: string | undefined) => (v ? formatAmount(v) : undefined);

/** A date field's value as a letter prints it ("March 1, 2026"); anything else as it was written. */
export const dateWords = (v: string | undefined) => (v && isValidIsoDate(v) ? longDate(v) : v);

/**
 * The fields of the formal notice of error or request for information, from the original letter. In a counselor's
 * voice (voice.ts) the payment and the loan documents are the borrower's, and the original letter is "the letter":
 * it may be one the borrower wrote.
 */
export function buildFormalLetter(
  root: HistoryLetter & { date: IsoDate },
  voice: LetterVoice = "borrower",
): PlannedLetter {
  const f = root.fields;
  const counselor = voice === "counselor";
  const my = counselor ? "the borrower's" : "my";
  const documents = counselor ? "the loan documents" : "my loan documents";
  const ref = `as set out in ${counselor ? "the" : "my"} letter of ${longDate(root.date)} (reference ${root.caseTag})`;
  const kind = isKindId(root.kind) ? root.kind : undefined;
  if (kind && ERROR_DISPUTE_KINDS.includes(kind)) {
    let fields: Record<string, string>;
    switch (kind) {
      case "notice-of-error":
        fields = pick(f, ["error", "error-date", "amount", "type", "sale-date", "payment-date"]);
        if (!fields.error) fields.error = `the error ${ref}`;
        break;
      case "payment-application":
        fields = {
          error: f.amount
            ? `${my} payment of ${amount(f.amount)} made on ${dateWords(f["payment-date"])} was not applied as ${documents} require, ${ref}`
            : `a payment was not applied as ${documents} require, ${ref}`,
          ...paymentFields(f, f.amount),
        };
        break;
      case "late-fee-dispute":
        // The error is the fee: its date is the day the fee was assessed, never the payment's. "Within the grace
        // period" is said only when the dates the user gave show it.
        fields = {
          error: `a late fee${f.fee ? ` of ${amount(f.fee)}` : ""} was charged for ${my} payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f["payment-date"] ? ` made on ${dateWords(f["payment-date"])}` : ""}${withinGrace(f) ? `, within the grace period, which ended on ${dateWords(f["grace-ends"])}` : ""}, ${ref}`,
          ...pick({ "error-date": f["fee-date"] ?? "", amount: f.fee ?? "", "payment-date": f["payment-date"] ?? "" }, [
            "error-date",
            "amount",
            "payment-date",
          ]),
        };
        break;
      default:
        fields = {
          error: `${my} payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f.method ? ` (${f.method})` : ""} received on ${dateWords(f["payment-date"]) ?? "its date of receipt"} was not credited as of the day it was received, ${ref}`,
          ...paymentFields(f, f.amount),
        };
    }
    return { kind: "notice-of-error", formal: true, fields };
  }
  if (kind === "successor-in-interest") {
    // Its formal step is the same request at the designated address (12 C.F.R. 1024.36(i)(2)(iii)).
    return {
      kind,
      formal: true,
      fields: pick(f, ["how", "transferor", "transfer-date", "relationship"]),
    };
  }
  if (kind === "information-request") {
    const fields = pick(f, ["information", "from", "to"]);
    if (!fields.information) fields.information = `the information ${ref}`;
    return { kind: "information-request", formal: true, fields };
  }
  const def = kind ? kindDef(kind) : undefined;
  const details = def
    ? def.fields
        .filter((d) => d.type !== "case" && f[d.name])
        .map(
          (d) =>
            `${d.name} ${d.type === "amount" ? amount(f[d.name]) : d.type === "date" ? dateWords(f[d.name]) : f[d.name]}`,
        )
    : [];
  const asks = def ? def.asks : "the information";
  const fields: Record<string, string> = {
    information: `${asks}${details.length ? ` (${details.join(", ")})` : ""}, ${ref}`,
  };
  if (kind === "payment-history") Object.assign(fields, pick(f, ["from", "to"]));
  return { kind: "information-request", formal: true, fields };
}
