/** The formal step's letter: a notice of error or a request for information built from the original letter. */
import { type IsoDate, isValidIsoDate } from "./calendar.js";
import type { HistoryLetter, PlannedLetter } from "./escalation-model.js";
import { formatAmount } from "./fields.js";
import { isKindId, type KindId, kindDef } from "./kinds.js";
import { longDate } from "./letter-dates.js";

/** Kinds that dispute an error in substance: their formal step is a notice of error, every other a request for information. */
export const ERROR_DISPUTE_KINDS: readonly KindId[] = [
  "payment-application",
  "late-fee-dispute",
  "payment-delay",
  "notice-of-error",
];

/** The named fields that have a value. */
function pick(fields: Readonly<Record<string, string>>, names: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of names) {
    const v = fields[n];
    if (v !== undefined && v !== "") out[n] = v;
  }
  return out;
}

/** Amounts as a letter prints them. */
export const amount = (v: string | undefined) => (v ? formatAmount(v) : undefined);

/** A date field's value as a letter prints it ("March 1, 2026"); anything else as it was written. */
export const dateWords = (v: string | undefined) => (v && isValidIsoDate(v) ? longDate(v) : v);

/** The fields of the formal notice of error or request for information, from the original letter. */
export function buildFormalLetter(root: HistoryLetter & { date: IsoDate }): PlannedLetter {
  const f = root.fields;
  const ref = `as set out in my letter of ${longDate(root.date)} (reference ${root.caseTag})`;
  const kind = isKindId(root.kind) ? root.kind : undefined;
  if (kind && ERROR_DISPUTE_KINDS.includes(kind)) {
    let fields: Record<string, string>;
    switch (kind) {
      case "notice-of-error":
        fields = pick(f, ["error", "error-date", "amount", "type", "sale-date"]);
        if (!fields.error) fields.error = `the error ${ref}`;
        break;
      case "payment-application":
        fields = {
          error: f.amount
            ? `my payment of ${amount(f.amount)} made on ${dateWords(f["payment-date"])} was not applied as my loan documents require, ${ref}`
            : `a payment was not applied as my loan documents require, ${ref}`,
          ...pick({ "error-date": f["payment-date"] ?? "", amount: f.amount ?? "" }, ["error-date", "amount"]),
        };
        break;
      case "late-fee-dispute":
        fields = {
          error: `a late fee${f.fee ? ` of ${amount(f.fee)}` : ""} was charged although my payment${f.amount ? ` of ${amount(f.amount)}` : ""} was made on time on ${dateWords(f["payment-date"]) ?? "its due date"}, ${ref}`,
          ...pick({ "error-date": f["fee-date"] ?? f["payment-date"] ?? "", amount: f.fee ?? "" }, [
            "error-date",
            "amount",
          ]),
        };
        break;
      default:
        fields = {
          error: `my payment${f.amount ? ` of ${amount(f.amount)}` : ""}${f.method ? ` (${f.method})` : ""} received on ${dateWords(f["payment-date"]) ?? "its date of receipt"} was not credited as of the day it was received, ${ref}`,
          ...pick({ "error-date": f["payment-date"] ?? "", amount: f.amount ?? "" }, ["error-date", "amount"]),
        };
    }
    return { kind: "notice-of-error", formal: true, fields };
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
