/**
 * The draft declaration of an evidence bundle, under 28 U.S.C. 1746(2) (the form for a declaration signed within
 * the United States): what the borrower sent, when, how and to whom (with tracking), and what they received and
 * when, each with the Bates numbers and file of its copy in the bundle. Every sentence is drawn from the record:
 * a delivery, a tracking number or a proof file is stated only when the record holds it. The borrower is not a
 * business, so nothing here claims a business-records foundation (FRE 803(6)); the hash certification of the copies
 * is the separate certificate (bundle-manifest.ts, FRE 902(14)).
 */
import { addDays } from "../domain/calendar.js";
import { statedWhen } from "../domain/event-when.js";
import { longDate } from "../domain/letter-dates.js";
import { type EventRow, parseEventRow } from "../store/events.js";
import type { SignableDocument } from "./signable-document.js";
import type { TimelineCase, TimelineDoc, TimelineMessage } from "./timeline.js";
import { localDate } from "./timeline-when.js";

export interface DeclarationInput {
  name: string;
  /**
   * In a counselor's home, the counselor's agency: the declarant is the counselor who wrote and received for the
   * borrowers, never "a borrower on the loan" (which would be false under penalty of perjury).
   */
  counselorAgency?: string | undefined;
  timeZone: string;
  /** The bundle's timeline (with the bundle's paths). */
  doc: TimelineDoc;
  /** Each case's event rows, by case tag. */
  events: ReadonlyMap<string, readonly EventRow[]>;
  /** "LM-ABCD-2-0003 to LM-ABCD-2-0004" for a file of the bundle; null when it has none. */
  batesOf: (path: string | null) => string | null;
}

/** What the events say of one message: how and when it left or arrived. */
interface MessageFacts {
  mailed?: { on: string; tracking: string };
  delivered?: string;
  sent?: { on: string; via: string };
  paper?: { on: string; via: string };
}

function factsOf(rows: readonly EventRow[], timeZone: string): Map<number, MessageFacts> {
  const out = new Map<number, MessageFacts>();
  for (const row of rows) {
    if (row.message_id === null) continue;
    let e: ReturnType<typeof parseEventRow>;
    try {
      e = parseEventRow(row);
    } catch {
      continue; // an unreadable row states nothing; verify reports it
    }
    const f = out.get(row.message_id) ?? {};
    if (e.type === "mailed" && !f.mailed) f.mailed = { on: e.data.mailed_on, tracking: e.data.tracking };
    if (e.type === "delivered" && !f.delivered) f.delivered = e.data.delivered_on;
    if (e.type === "sent" && !f.sent) {
      const d = e.data;
      if ("via" in d) f.sent = { on: d.sent_on ?? localDate(row.at, timeZone), via: d.via };
      else if (!("resolved_by" in d)) f.sent = { on: localDate(row.at, timeZone), via: "email" };
    }
    if (e.type === "received" && "scan" in e.data) f.paper = { on: e.data.on, via: e.data.via };
    out.set(row.message_id, f);
  }
  return out;
}

const HOW: Readonly<Record<string, string>> = {
  email: "by email",
  "notice-email": "by email",
  portal: "through the servicer's online portal",
  fax: "by fax",
  hand: "by hand delivery",
};

/** "Exhibit A – Proof of payment" from the exhibit's file name (its label is part of the name). */
export function exhibitTitle(fileName: string): string {
  return fileName.replace(/\.[A-Za-z0-9]{1,8}$/, "");
}

/** "A true and correct copy is LM-...-0003 (letters/x.pdf)." */
function copySentence(x: DeclarationInput, path: string | null, what: string): string {
  if (!path) return `A copy of ${what} is not in this bundle.`;
  const bates = x.batesOf(path);
  return `A true and correct copy of ${what} is ${bates ? `${bates} (file ${path})` : `the file ${path}`}.`;
}

function sentParagraph(x: DeclarationInput, m: TimelineMessage, f: MessageFacts): string | null {
  const to = m.sentTo?.addressedTo ?? m.to.join(", ");
  const title = m.subject ? ` titled "${m.subject}"` : "";
  const parts: string[] = [];
  if (f.mailed) {
    parts.push(
      `On ${longDate(f.mailed.on)} I mailed a letter${title} to ${to} by USPS Certified Mail, tracking number ${f.mailed.tracking}.`,
    );
    parts.push(
      f.delivered
        ? `It was delivered on ${longDate(f.delivered)}.`
        : "My record does not show the day it was delivered.",
    );
    for (const p of m.proofs) parts.push(copySentence(x, p.file, `the ${p.label}`));
    const copy = m.printedCopy?.file ?? null;
    parts.push(copySentence(x, copy, "the letter as I mailed it"));
    // No printed copy of the paper: the letter's text as recorded is still in the bundle, and named for what it is.
    if (!copy && m.file)
      parts.push(copySentence(x, m.file, "the letter's text as my record holds it (not the paper itself)"));
  } else if (f.sent) {
    const how = HOW[f.sent.via] ?? `by ${f.sent.via}`;
    const address = f.sent.via === "email" || f.sent.via === "notice-email" ? ` (${m.to.join(", ")})` : "";
    parts.push(`On ${longDate(f.sent.on)} I sent a letter${title} to ${to}${address} ${how}.`);
    const copy = m.printedCopy?.state === "email" || !m.printedCopy?.file ? m.file : m.printedCopy.file;
    parts.push(copySentence(x, copy, "the letter as I sent it"));
  } else {
    return null; // not a letter that left: a declaration states only what happened
  }
  for (const e of m.exhibits.filter((e) => e.exhibit))
    parts.push(copySentence(x, e.file, `its ${exhibitTitle(e.name)}`));
  return parts.join(" ");
}

/** The day a reply by mail reached the mailbox (its arrival, else its Date), in the user's zone. */
function arrivedOn(m: TimelineMessage, timeZone: string): string | null {
  const when = m.arrivedAt ?? m.date;
  return when ? localDate(when, timeZone) : null;
}

function receivedParagraph(x: DeclarationInput, m: TimelineMessage, f: MessageFacts): string | null {
  const title = m.subject ? ` titled "${m.subject}"` : "";
  if (f.paper) {
    // A reply on paper: its subject and .eml are loanmail's own note of it; the copy of the letter is the scan.
    const how = f.paper.via === "post" ? "by mail" : (HOW[f.paper.via] ?? `by ${f.paper.via}`);
    const scan = m.exhibits[0]?.file ?? null;
    return `On ${longDate(f.paper.on)} I received a letter ${how}${m.from ? ` from ${m.from}` : ""}. ${copySentence(x, scan, "it, the scan I kept of it,")}`;
  }
  const day = arrivedOn(m, x.timeZone);
  if (!day) return null;
  const arrived = longDate(day);
  const proven =
    m.arrival === "recorded" ? " (the day I added it to my record; the day it reached my mailbox is not shown)" : "";
  return `On ${arrived}${proven} I received an email from ${m.from ?? "an unknown sender"}${title}. ${copySentence(x, m.file, "it")}`;
}

function caseParagraphs(x: DeclarationInput, c: TimelineCase): string[] {
  const facts = factsOf(x.events.get(c.tag) ?? [], x.timeZone);
  const out: string[] = [];
  const sorted = [...c.messages].sort((a, b) => a.id - b.id);
  for (const m of sorted) {
    const f = facts.get(m.id) ?? {};
    const p = m.direction === "out" ? sentParagraph(x, m, f) : receivedParagraph(x, m, f);
    if (p) out.push(p);
  }
  return out;
}

/** What each step is called in the list of steps entered later. */
const STEP: Readonly<Record<string, string>> = {
  composed: "the writing of the letter",
  mailed: "the mailing",
  delivered: "the delivery",
  sent: "the sending",
  received: "the receipt of the reply",
  call: "the call",
};

/**
 * Steps the record shows were entered more than a day after the day they name (`compose --dated`, `mailed
 * --date` weeks later, a reply typed in late, a reply synced or imported days after it reached the mailbox): the
 * declaration may not say the record was kept "at or near the time" of those, so it lists them with the day each
 * was entered.
 */
function enteredLater(x: DeclarationInput): string[] {
  const out: string[] = [];
  const messages = new Map(x.doc.cases.flatMap((c) => c.messages.map((m) => [m.id, m])));
  for (const [tag, rows] of x.events) {
    for (const row of rows) {
      const step = STEP[row.type];
      if (!step) continue;
      let data: Record<string, unknown>;
      try {
        data = { ...parseEventRow(row).data };
      } catch {
        continue; // an unreadable row states nothing; verify reports it
      }
      // A reply by mail names no day in its event: it happened when it arrived, the day paragraph says it came.
      const m = row.type === "received" && row.message_id !== null ? messages.get(row.message_id) : undefined;
      const happened =
        statedWhen(row.type, data)?.value ?? (m && m.direction === "in" ? arrivedOn(m, x.timeZone) : null);
      if (!happened) continue;
      const day = localDate(happened, x.timeZone);
      const entered = localDate(row.at, x.timeZone);
      if (entered <= addDays(day, 1)) continue;
      const which = row.message_id === null ? tag : `${tag}, message ${row.message_id}`;
      out.push(`${step} (${which}) on ${longDate(day)}, entered on ${longDate(entered)}`);
    }
  }
  return out;
}

/** The borrowers of the bundle's loans, as their loans name them ("Ana Garcia and Luis Garcia"). */
function borrowersOf(x: DeclarationInput): string {
  const names = [...new Set(x.doc.cases.flatMap((c) => c.borrowers))];
  if (names.length === 0) return "the borrowers";
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The declaration; paragraphs are left to the renderer to wrap. */
export function buildDeclaration(x: DeclarationInput): SignableDocument {
  const first = x.doc.cases[0];
  const servicers = [...new Set(x.doc.cases.map((c) => c.servicer))].join(" and ");
  const numbered: string[] = [];
  const property = first ? ` for the property at ${first.property.replace(/\n/g, ", ")}` : "";
  const later = enteredLater(x);
  // "At or near the time" only when the record shows it: steps entered later are listed instead.
  const kept =
    later.length === 0
      ? "I kept the record of it myself with the program loanmail, at or near the time of each step."
      : "I kept the record of it myself with the program loanmail; the steps I entered in it more than a day after they happened are listed below, each with the day I entered it.";
  numbered.push(
    x.counselorAgency === undefined
      ? `I am over 18 years of age. I am a borrower on the mortgage loan${property}, serviced by ${servicers}. I have personal knowledge of the facts below: I sent and received the correspondence described, and ${kept}`
      : `I am over 18 years of age. I am a housing counselor with ${x.counselorAgency}. I assisted ${borrowersOf(x)} with the mortgage loan${property}, serviced by ${servicers}. I have personal knowledge of the facts below: I sent and received the correspondence described for them, and ${kept}`,
  );
  for (const c of x.doc.cases) numbered.push(...caseParagraphs(x, c));
  if (later.length > 0)
    numbered.push(`I entered these steps in my record later than they happened: ${later.join("; ")}.`);
  numbered.push(
    "Each copy named above is a true and correct copy of what I sent or received, as kept in my record. The SHA-256 hash of each file is listed in the bundle's manifest.json and its exhibit list.",
  );
  return {
    title: `DECLARATION OF ${x.name.toUpperCase()}`,
    subtitle: "under 28 U.S.C. 1746",
    note: "Prepared by loanmail from the record, for the declarant to read, correct and sign: strike anything that is not true before signing. It is not legal advice, and a state court may have its own form.",
    paragraphs: [
      `I, ${x.name}, declare:`,
      ...numbered.map((p, i) => `${i + 1}. ${p}`),
      "I declare under penalty of perjury that the foregoing is true and correct.",
    ],
    closing: ["Executed on ____________________ (date).", "", "", "______________________________________", x.name],
  };
}
