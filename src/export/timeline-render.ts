/**
 * The timeline as text for a terminal or a printout, as RFC 4180 CSV for a spreadsheet, and as its JSON
 * document (the HTML page is in html-report.ts).
 */

import { count } from "../domain/words.js";
import {
  type ClockRole,
  type RowMessage,
  servicerSummary,
  type TimelineCase,
  type TimelineDoc,
  type TimelineRow,
} from "./timeline.js";
import { DATE_ONLY, formatWhen } from "./timeline-when.js";

/** The JSON document, pretty-printed, ending in a newline. */
export function renderTimelineJson(doc: TimelineDoc): string {
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** One field of RFC 4180 CSV: quoted when it holds a comma, a double quote, CR or LF; quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** One CSV record (fields joined by commas; the caller ends it with CRLF). */
export function csvRecord(fields: readonly string[]): string {
  return fields.map(csvField).join(",");
}

/**
 * Text from mail that starts like a formula (=, +, -, @, tab, CR) would run as one when a spreadsheet opens the
 * file: such a cell gets a leading apostrophe, which spreadsheets show as plain text.
 */
export function neutralizeFormula(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * The CSV's columns. Times (README, "timeline"): `day (local)` is the day in the home's time zone on every row;
 * `when (local)` is one ISO 8601 date-time with its UTC offset (2026-06-01T09:30:00-05:00), and is left empty
 * when the record holds only the day (a mailing or delivery date, a clock's due day): no midnight is invented.
 * `recorded (local)` is when loanmail wrote the event, in the same form.
 */
export const CSV_HEADER = [
  "case",
  "parent case",
  "day (local)",
  "when (local)",
  "recorded (local)",
  "event",
  "actor",
  "channel",
  "subject",
  "message",
  "exhibits",
  "detail",
  "clock started",
  "met or missed",
  "rule",
  "event hash",
  "client",
  "servicer",
] as const;

function clockCell(r: TimelineRow, roles: readonly ClockRole[]): string {
  return r.clocks
    .filter((c) => roles.includes(c.role))
    .map((c) => {
      switch (c.role) {
        case "started":
          return `${c.name}${c.due ? ` (due ${c.due})` : ""}`;
        case "met":
          return `met: ${c.name}`;
        case "met-late":
          return `met late (${count(c.businessDaysLate ?? 0, "business day")}): ${c.name}`;
        case "extended":
          // The extension's row gives the new due date (the row that started the clock gives the one before).
          return `extended: ${c.name}${c.due ? ` (now due ${c.due})` : ""}`;
        case "missed":
          return `MISSED: ${c.name}${c.businessDaysLate !== null ? ` (late by ${count(c.businessDaysLate, "business day")})` : ""}`;
      }
      return "";
    })
    .join("; ");
}

/** The rules named by a row's clocks, each once. */
export function rowRules(r: TimelineRow): string {
  return [...new Set(r.clocks.map((c) => c.rule))].join("; ");
}

/** The message reference of a row: its file in a bundle, else "message N <Message-ID>". */
export function messageRef(m: RowMessage | null): string {
  if (!m) return "";
  return m.file ?? `message ${m.id}${m.messageId ? ` ${m.messageId}` : ""}`;
}

function exhibitsCell(r: TimelineRow): string {
  return r.exhibits
    .map((x) => x.file ?? (x.label === x.name || x.name.startsWith(x.label) ? x.name : `${x.label}: ${x.name}`))
    .join("; ");
}

/**
 * The servicer a case's letters went to, for a CSV cell: the loan's servicer now, and, after a transfer, the one
 * the letters were addressed to when they left.
 */
function servicerCell(c: TimelineCase): string {
  const before = [...new Set(c.lettersSentTo.map((p) => p.servicer))].filter((s) => s !== c.servicer);
  return before.length === 0 ? c.servicer : `${c.servicer} (letters went to ${before.join("; ")})`;
}

/** The time cells of a row: its local day, its local date-time (empty for a day alone), when it was recorded. */
function timeCells(r: TimelineRow, timeZone: string): [string, string, string] {
  const dayOnly = DATE_ONLY.test(r.whenLocal);
  return [
    r.whenLocal.slice(0, 10),
    dayOnly ? "" : r.whenLocal,
    r.recordedAt === null ? "" : formatWhen(r.recordedAt, timeZone).local,
  ];
}

/** CSV (RFC 4180: CRLF line ends, quoted fields) with a UTF-8 byte-order mark so spreadsheets read UTF-8. */
export function renderTimelineCsv(doc: TimelineDoc): string {
  const lines = [csvRecord(CSV_HEADER)];
  for (const c of doc.cases) {
    for (const r of c.rows) {
      const text = (s: string | null | undefined) => neutralizeFormula(s ?? "");
      lines.push(
        csvRecord([
          c.tag,
          c.parent ?? "",
          ...timeCells(r, doc.timeZone),
          r.type,
          r.actor,
          r.channel ?? "",
          text(r.subject),
          text(messageRef(r.message)),
          text(exhibitsCell(r)),
          text(r.detail),
          text(clockCell(r, ["started"])),
          text(clockCell(r, ["met", "met-late", "extended", "missed"])),
          text(rowRules(r)),
          r.hash ?? "",
          text(c.client),
          text(servicerCell(c)),
        ]),
      );
    }
  }
  return `\ufeff${lines.join("\r\n")}\r\n`;
}

/** Plain text for a terminal or a printout: one block per case (children indented under their parent). */
export function renderTimelineText(doc: TimelineDoc): string {
  const out: string[] = [];
  out.push(
    `Timeline as of ${doc.asOf}; times in ${doc.timeZone}${doc.redacted ? "; account numbers and SSNs masked" : ""}`,
  );
  if (doc.cases.length === 0) out.push("", "No cases.");
  for (const c of doc.cases) {
    const pad = "  ".repeat(c.depth);
    out.push("");
    out.push(
      `${pad}== ${c.tag}${c.parent ? ` (escalated from ${c.parent})` : ""}  ${c.kind}${c.formal ? " (formal)" : ""}  status ${c.status}  ${servicerSummary(c)}  client ${c.client}`,
    );
    if (c.rows.length === 0) out.push(`${pad}   (no events)`);
    for (const r of c.rows) {
      const head = [r.whenDisplay, r.type, r.actor, r.channel ?? ""].filter(Boolean).join("  ");
      out.push(`${pad}${head}${r.subject ? `  ${r.subject}` : ""}`);
      const sub = `${pad}    `;
      if (r.detail) out.push(`${sub}${r.detail.replace(/\s*\n\s*/g, " ")}`);
      const ref = messageRef(r.message);
      if (ref) out.push(`${sub}${ref}${r.message ? ` (sha256 ${r.message.sha256.slice(0, 16)}…)` : ""}`);
      for (const x of r.exhibits) out.push(`${sub}exhibit: ${x.file ?? x.name}`);
      const started = clockCell(r, ["started"]);
      if (started) out.push(`${sub}clock started: ${started}`);
      const outcome = clockCell(r, ["met", "met-late", "extended", "missed"]);
      if (outcome) out.push(`${sub}${outcome}`);
      const rules = rowRules(r);
      if (rules) out.push(`${sub}rule: ${rules}`);
    }
  }
  return `${out.join("\n")}\n`;
}
