/** A short account of an event for people, from its type and its data (the timeline's "detail"). */
import { addressedTo, PROOF_LABELS } from "../domain/departure.js";
import type { AsSentData, ProofKind } from "../domain/events.js";

/** A string that is not blank, else undefined. */
export const presentString = (v: unknown): string | undefined =>
  typeof v === "string" && v.trim() !== "" ? v : undefined;

const str = presentString;

const list = (v: unknown): string =>
  Array.isArray(v) ? v.filter((x) => typeof x === "string").join(", ") : (str(v) ?? "");

/** What the letter's departure meant under Reg X, as frozen in its event (nothing for records made before 0.2). */
function designationText(v: unknown): string {
  if (!v || typeof v !== "object") return "";
  const d = v as { designated?: unknown; where?: unknown; why?: unknown };
  if (d.designated === true && str(d.where)) return `; reached ${d.where}`;
  if (d.designated === false && str(d.why)) return `; Reg X clocks do not run: ${d.why}`;
  return "";
}

/** " to Mr. Cooper, PO Box ..., account 1234567" from an event's `as_sent`, when it has a readable one. */
function sentToText(v: unknown): string {
  if (!v || typeof v !== "object") return "";
  const a = v as Partial<AsSentData>;
  if (typeof a.servicer !== "string" || typeof a.account_number !== "string") return "";
  const full: AsSentData = {
    servicer: a.servicer,
    servicer_id: 0,
    account_number: a.account_number,
    borrowers: Array.isArray(a.borrowers) ? a.borrowers : [],
    channel: str(a.channel) ?? "",
    address: str(a.address) ?? null,
    email: Array.isArray(a.email) ? a.email.filter((x) => typeof x === "string") : [],
  };
  return ` to ${addressedTo(full)}, account ${a.account_number}`;
}

/**
 * What a leaving event says about the letter's printed copy. Null says loanmail printed none by the day it left,
 * not that it never printed it: a PDF printed later (a letter entered later) is kept, but is not what left.
 */
function printedCopyText(d: Record<string, unknown>): string {
  if (!("pdf_sha256" in d)) return "";
  return str(d.pdf_sha256)
    ? `; the PDF loanmail printed is kept (SHA-256 ${d.pdf_sha256})`
    : "; loanmail printed no copy of it by the day it left: no printed copy of what left is held";
}

function proofText(v: unknown): string {
  if (!Array.isArray(v)) return "";
  return v
    .map((f: { kind?: string; name?: string }) => {
      const label = PROOF_LABELS[f.kind as ProofKind] ?? "proof";
      return `${label}${str(f.name) ? ` ${f.name}` : ""}`;
    })
    .join("; ");
}

/** "; sale date D" when a loss-mitigation event names the foreclosure sale scheduled then. */
function saleText(d: Record<string, unknown>): string {
  return str(d["sale-date"]) ? `; sale date ${d["sale-date"]}` : "";
}

/**
 * An escalation, in words: the step it went from and to, whether the user chose that step or took the one
 * loanmail proposed from the record (and on which day it was judged), why (the triggers, which name the clocks
 * missed), and what it made.
 */
function escalatedText(d: Record<string, unknown>): string {
  const how =
    d.chosen === true ? "chosen by you" : d.chosen === false ? "the step loanmail proposed from the record" : "";
  const judged = str(d.as_of) ? `judged as of ${d.as_of}` : "";
  const reasons = Array.isArray(d.triggers)
    ? d.triggers.flatMap((t: { text?: unknown }) => (str(t?.text) ? [String(t.text)] : []))
    : [];
  const made = str(d.child)
    ? `new case ${d.child}${str(d.kind) ? `: ${d.kind}${d.formal === true ? " (formal)" : ""}` : ""}${str(d.channel) ? ` by ${d.channel}` : ""}`
    : d.packet && typeof d.packet === "object"
      ? "CFPB complaint packet written"
      : "";
  return [
    `escalated${str(d.from) ? ` from ${d.from}` : ""}${str(d.step) ? ` to ${d.step}` : ""}${how || judged ? ` (${[how, judged].filter(Boolean).join(", ")})` : ""}`,
    reasons.length > 0 ? `why: ${reasons.join("; ")}` : "",
    made,
  ]
    .filter(Boolean)
    .join("; ");
}

/** A loss-mitigation or payoff event of the case (12 C.F.R. 1024.41, Reg Z's payoff), in words. */
function caseEventText(type: string, d: Record<string, unknown>): string | undefined {
  switch (type) {
    case "paid-off":
      return `loan paid in full${str(d.on) ? ` on ${d.on}` : ""}`;
    case "application-complete":
      return `loss-mitigation application complete${str(d.on) ? ` on ${d.on}` : ""}${saleText(d)}`;
    case "denied":
      return `loss-mitigation denial notice${str(d.on) ? ` dated ${d.on}` : ""}${saleText(d)}`;
    case "offer":
      return `loss-mitigation offer notice${str(d.on) ? ` dated ${d.on}` : ""}${
        str(d["accept-by"]) ? `; answer by ${d["accept-by"]}` : ""
      }${saleText(d)}`;
    case "appealed":
      return `you appealed the loss-mitigation denial${str(d.on) ? ` on ${d.on}` : ""}`;
    case "accepted":
      return `you accepted the loss-mitigation offer${str(d.on) ? ` on ${d.on}` : ""}`;
    case "rejected":
      return `you rejected the loss-mitigation offer${str(d.on) ? ` on ${d.on}` : ""}`;
    default:
      return undefined;
  }
}

/** A short account of an event for people, from its data. */
export function describeEvent(type: string, data: Record<string, unknown>): string {
  const d = data;
  switch (type) {
    case "composed":
      return [
        `${str(d.kind) ?? "letter"}${d.formal === true ? " (formal)" : ""} drafted`,
        // A letter written before it was entered: the event's time is the entry, this the day it was written.
        str(d.dated) ? `(written ${d.dated}, entered later)` : "",
        str(d.to) ? `to ${d.to}` : str(d.postal_address) ? `to ${String(d.postal_address).replace(/\n/g, ", ")}` : "",
      ]
        .filter(Boolean)
        .join(" ");
    case "edited":
      return "draft edited (the earlier text is kept)";
    case "queued":
      return `queued to send${str(d.account) ? ` from account ${d.account}` : ""}${designationText(d.designation)}`;
    case "sent":
      if (str(d.via))
        return `${d.imported === true ? "your letter, imported: " : ""}sent by ${d.via}${sentToText(d.as_sent)}${str(d.sent_on) ? ` on ${d.sent_on}` : ""}${
          d.proof && typeof d.proof === "object" ? `; confirmation ${(d.proof as { name?: string }).name ?? ""}` : ""
        }${printedCopyText(d)}${designationText(d.designation)}`;
      if (str(d.resolved_by)) return `found sent (${d.resolved_by}${str(d.mailbox) ? ` in ${d.mailbox}` : ""})`;
      return `sent by email${sentToText(d.as_sent)}${list(d.accepted) ? `; accepted for ${list(d.accepted)}` : ""}${
        list(d.rejected) ? `; refused for ${list(d.rejected)}` : ""
      }`;
    case "send-failed":
      if (d.phase === "connect")
        return `send failed before anything left${str(d.response) ? `: ${d.response}` : ""}${str(d.returned_to) ? ` (${d.returned_to === "draft" ? "a draft again" : `still ${d.returned_to}`})` : ""}`;
      return `send failed${str(d.response) ? `: ${d.response}` : ""}${d.retryable === true ? " (will retry)" : ""}`;
    case "send-unknown":
      return `outcome unknown${str(d.error) ? `: ${d.error}` : str(d.reason) ? `: ${d.reason}` : ""}`;
    case "resend":
      return `resent on purpose${str(d.reason) ? `: ${d.reason}` : ""}`;
    case "mailed":
      return `certified mail${sentToText(d.as_sent)}${str(d.tracking) ? `, tracking ${d.tracking}` : ""}${str(d.mailed_on) ? `, mailed ${d.mailed_on}` : ""}${printedCopyText(d)}${designationText(d.designation)}`;
    case "printed":
      return `printed as PDF${str(d.sha256) ? ` (SHA-256 ${d.sha256})` : ""}; the copy is kept`;
    case "mail-proof":
      return `proof kept: ${proofText(d.files)}`;
    case "delivered":
      return `delivered${str(d.delivered_on) ? ` ${d.delivered_on}` : ""}${str(d.tracking) ? ` (tracking ${d.tracking})` : ""}`;
    case "received":
      if (str(d.via) && !String(d.via).startsWith("imap") && d.via !== "import")
        return `reply received by ${d.via}${str(d.on) ? ` on ${d.on}` : ""}${str(d.scan) ? `; scan ${d.scan}` : ""}${
          str(d.class) ? `; class ${d.class}` : ""
        }`;
      return [`reply received${str(d.from) ? ` from ${d.from}` : ""}`, str(d.class) ? `class ${d.class}` : ""]
        .filter(Boolean)
        .join("; ");
    case "filed":
      return `message filed to this case${str(d.subject) ? `: ${d.subject}` : ""}`;
    case "classified": {
      const confirmed = d.confirmed && typeof d.confirmed === "object" ? (d.confirmed as { trust?: unknown }) : null;
      return `reply class set to ${str(d.to) ?? "?"}${str(d.from) ? ` (was ${d.from})` : ""}${
        confirmed
          ? `; you confirmed the sender (it was ${str(confirmed.trust) ?? "held back"}): it now meets clocks`
          : ""
      }`;
    }
    case "call":
      return `call with ${str(d.with) ?? "?"}: ${str(d.summary) ?? ""}`.trim();
    case "note":
      return str(d.text) ?? "";
    case "cfpb-filed":
      return `CFPB complaint ${str(d["cfpb-id"]) ?? ""} sent to the company${str(d.on) ? ` on ${d.on}` : ""}`;
    case "cfpb-response":
      return `the company's ${d.in_progress === true ? '"in progress" ' : ""}response to CFPB complaint ${str(d["cfpb-id"]) ?? ""}${str(d.on) ? ` on ${d.on}` : ""}`;
    case "exported":
      return `evidence bundle ${str(d.file) ?? ""} made${str(d.manifest_sha256) ? ` (manifest SHA-256 ${d.manifest_sha256})` : ""}${
        d.redacted === true ? ", redacted" : ""
      }`;
    case "escalated":
      return escalatedText(d);
    case "resolved":
    case "unresolved":
      return `case marked ${type}${str(d.previous_status) ? ` (was ${d.previous_status})` : ""}${str(d.outcome) ? `; outcome ${d.outcome}` : ""}`;
    case "discarded":
      return "case discarded";
    case "letter-discarded":
      return `draft ${str(d.kind) ?? "letter"} discarded (its text is kept)`;
    default: {
      const told = caseEventText(type, d);
      if (told !== undefined) return told;
      const simple = Object.entries(d)
        .filter(([, v]) => typeof v === "string" || typeof v === "number" || typeof v === "boolean")
        .slice(0, 6)
        .map(([k, v]) => `${k}: ${String(v)}`);
      return simple.join("; ");
    }
  }
}
