/**
 * The timeline as one self-contained HTML page (timeline --format html, and index.html of an evidence bundle):
 * a chronology table per case, a timeline chart as inline SVG, the clocks met and missed, the exhibit index and
 * the messages. No script, no external URL (a Content-Security-Policy says so to the browser as well), CSS
 * inline and made for printing; every string goes through the one escapeHtml. Pure.
 */

import { count } from "../domain/words.js";
import { batesTable } from "./html-bates.js";
import { escapeHtml } from "./html-escape.js";
import { fileLink, isUnsafe, link, messagesSection } from "./html-messages.js";
import { defangUrls } from "./html-reply.js";
import { servicerSummary, type TimelineCase, type TimelineDoc, type TimelineRow } from "./timeline.js";
import { messageRef, rowRules } from "./timeline-render.js";

// Other modules and tests reach these through the report, as before they moved out.
export { defangUrls, escapeHtml };

export const CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** What a bundle adds to the page: where the files are and how to check them. */
export interface BundleFacts {
  toolVersion: string;
  /** Files left out (byte-exact originals under --redact), each with its hash. */
  omitted: readonly { path: string; size: number | null; sha256: string; reason: string }[];
  /** Files made for the bundle or kept beside a message: letter PDFs, sending confirmations. */
  /** `message` null for a file of a client's own record (a signed authorization), not of a letter. */
  files: readonly { path: string; what: string; case: string; message: number | null; sha256: string | null }[];
  chains: readonly { case: string; events: number; head: string }[];
  notes: readonly string[];
  eventsFile: string | null;
  /** Each evidence file's Bates numbers, in order (bates.ts); absent outside a bundle. */
  bates?: readonly { bates: string; path: string; what: string; sha256: string | null }[];
}

export interface ReportOptions {
  title: string;
  bundle?: BundleFacts;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 11pt/1.4 Georgia, "Times New Roman", serif; color: #111; margin: 2em auto; max-width: 70em; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.25em; border-bottom: 1px solid #999; margin-top: 1.8em; }
h3 { font-size: 1.05em; margin: 1.2em 0 0.4em; }
h3.child { margin-left: 1.5em; }
.meta { color: #333; margin: 0.2em 0; }
.notice { border: 1px solid #b00; background: #fff4f4; padding: 0.5em 0.8em; }
table { border-collapse: collapse; width: 100%; margin: 0.4em 0 1em; font-size: 9.5pt; }
th, td { border: 1px solid #bbb; padding: 0.25em 0.4em; vertical-align: top; text-align: left; }
th { background: #eee; }
td { overflow-wrap: break-word; }
table.chronology, table.clocks, table.exhibits { table-layout: fixed; }
table.chronology th:nth-child(1) { width: 11%; }
table.chronology th:nth-child(2) { width: 8%; }
table.chronology th:nth-child(3), table.chronology th:nth-child(4) { width: 6.5%; }
table.chronology th:nth-child(5) { width: 22%; }
table.chronology th:nth-child(6) { width: 14%; }
table.chronology th:nth-child(7), table.chronology th:nth-child(8) { width: 11%; }
table.chronology th:nth-child(9) { width: 9%; }
table.clocks th:nth-child(1) { width: 10%; } table.clocks th:nth-child(2) { width: 22%; }
table.clocks th:nth-child(3) { width: 15%; } table.clocks th:nth-child(4) { width: 20%; }
table.clocks th:nth-child(5) { width: 13%; }
table.exhibits th:nth-child(1) { width: 12%; } table.exhibits th:nth-child(2) { width: 26%; }
table.exhibits th:nth-child(3) { width: 20%; } table.exhibits th:nth-child(4) { width: 10%; }
table.exhibits th:nth-child(5) { width: 7%; }
* { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.hash, code { font-family: "DejaVu Sans Mono", Consolas, monospace; font-size: 8.5pt; word-break: break-all; }
.missed { color: #a00; font-weight: bold; }
.met { color: #060; }
.late td { background: #fff0f0; }
.excerpt { white-space: pre-wrap; font-size: 9pt; border-left: 3px solid #ccc; padding-left: 0.6em; margin: 0.3em 0 0.8em; }
.chart svg { width: 100%; height: auto; border: 1px solid #ccc; }
.legend span { margin-right: 1.2em; }
.sw { display: inline-block; width: 0.8em; height: 0.8em; border-radius: 50%; vertical-align: middle; margin-right: 0.3em; }
a { color: #024; }
@page { size: letter landscape; margin: 12mm; }
@media print {
  body { margin: 0; max-width: none; font-size: 10pt; }
  table { font-size: 8.5pt; }
  h2 { break-after: avoid; }
  tr, .msg { break-inside: avoid; }
  thead { display: table-header-group; }
  a { color: inherit; text-decoration: none; }
  .chart svg { border: none; }
}
`;

const ACTOR_COLORS: Record<string, string> = {
  user: "#1f5fa8",
  servicer: "#d2691e",
  loanmail: "#777777",
  borrower: "#1f5fa8",
  other: "#555555",
};

/** Milliseconds for a row's time: an instant, or noon UTC of a date. */
function timeOf(when: string): number {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(when) ? Date.parse(`${when}T12:00:00Z`) : Date.parse(when);
  return Number.isNaN(t) ? 0 : t;
}

const DAY = 86_400_000;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Axis ticks for a span: days, weeks, months or years (UTC dates, as labels of a chart). */
function ticks(t0: number, t1: number): { t: number; label: string }[] {
  const span = (t1 - t0) / DAY;
  const out: { t: number; label: string }[] = [];
  const start = new Date(t0);
  const fmt = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
  if (span <= 120) {
    const step = span <= 16 ? 1 : 7;
    let d = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate());
    if (d < t0) d += DAY;
    for (; d <= t1 && out.length < 40; d += step * DAY) out.push({ t: d, label: fmt(new Date(d)) });
    return out;
  }
  if (span <= 1100) {
    const stepMonths = span <= 400 ? 1 : 3;
    let y = start.getUTCFullYear();
    let m = start.getUTCMonth() + 1;
    for (let i = 0; i < 60; i++) {
      if (m > 11) {
        y += Math.floor(m / 12);
        m %= 12;
      }
      const d = Date.UTC(y, m, 1);
      if (d > t1) break;
      if (m % stepMonths === 0) out.push({ t: d, label: `${MONTHS[m]} ${y}` });
      m++;
    }
    return out;
  }
  for (let y = start.getUTCFullYear() + 1; Date.UTC(y, 0, 1) <= t1 && out.length < 40; y++) {
    out.push({ t: Date.UTC(y, 0, 1), label: String(y) });
  }
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** The timeline chart: one lane per case, a dot per event on a date axis, a red diamond per missed clock. */
export function renderChartSvg(doc: TimelineDoc): string {
  const lanes = doc.cases;
  const points = lanes.flatMap((c, lane) => c.rows.map((r) => ({ lane, r, t: timeOf(r.when) })));
  const left = 140;
  const right = 24;
  const width = 960;
  const laneH = 30;
  const top = 16;
  const height = top + Math.max(1, lanes.length) * laneH + 40;
  const parts: string[] = [
    `<svg id="timeline-chart" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="timeline-chart-title">`,
    `<title id="timeline-chart-title">${escapeHtml(`Timeline of ${lanes.map((c) => c.tag).join(", ") || "no cases"}`)}</title>`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (points.length === 0) {
    parts.push(`<text x="${left}" y="${top + 20}" font-size="13" fill="#333">No events.</text></svg>`);
    return parts.join("\n");
  }
  let t0 = Math.min(...points.map((p) => p.t));
  let t1 = Math.max(...points.map((p) => p.t));
  if (t1 - t0 < DAY) {
    t0 -= DAY;
    t1 += DAY;
  }
  const pad = (t1 - t0) * 0.03;
  t0 -= pad;
  t1 += pad;
  const x = (t: number) => round(left + ((t - t0) / (t1 - t0)) * (width - left - right));
  const axisY = top + lanes.length * laneH + 6;
  for (const tick of ticks(t0, t1)) {
    const tx = x(tick.t);
    parts.push(
      `<line x1="${tx}" y1="${top - 6}" x2="${tx}" y2="${axisY}" stroke="#e2e2e2" stroke-width="1"/>`,
      `<text x="${tx}" y="${axisY + 16}" font-size="11" text-anchor="middle" fill="#333">${escapeHtml(tick.label)}</text>`,
    );
  }
  parts.push(`<line x1="${left}" y1="${axisY}" x2="${width - right}" y2="${axisY}" stroke="#333" stroke-width="1"/>`);
  lanes.forEach((c, i) => {
    const y = top + i * laneH + laneH / 2;
    parts.push(
      `<line x1="${left}" y1="${y}" x2="${width - right}" y2="${y}" stroke="#bbb" stroke-width="1" stroke-dasharray="3 3"/>`,
      `<text x="${8 + c.depth * 10}" y="${y + 4}" font-size="12" fill="#111">${escapeHtml(c.tag)}</text>`,
    );
  });
  for (const p of points) {
    const y = top + p.lane * laneH + laneH / 2;
    const cx = x(p.t);
    const label = `${p.r.whenDisplay} ${p.r.type}${p.r.subject ? `: ${p.r.subject}` : ""}${p.r.detail ? ` (${p.r.detail})` : ""}`;
    if (p.r.type === "clock-missed") {
      parts.push(
        `<path class="missed-mark" d="M ${cx} ${y - 7} L ${round(cx + 7)} ${y} L ${cx} ${y + 7} L ${round(cx - 7)} ${y} Z" fill="#c00000"><title>${escapeHtml(label)}</title></path>`,
      );
    } else {
      // By its first word: "servicer (by post; sender not recorded)" is the servicer's colour.
      const color = ACTOR_COLORS[p.r.actor.split(" ")[0] ?? ""] ?? "#555555";
      parts.push(
        `<circle class="event-dot" cx="${cx}" cy="${y}" r="5" fill="${color}" stroke="#ffffff" stroke-width="1"><title>${escapeHtml(label)}</title></circle>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("\n");
}

function clockCells(r: TimelineRow): { started: string; outcome: string } {
  const started = r.clocks
    .filter((c) => c.role === "started")
    .map((c) => `${escapeHtml(c.name)}${c.due ? ` <span class="due">(due ${escapeHtml(c.due)})</span>` : ""}`)
    .join("<br>");
  const outcome = r.clocks
    .filter((c) => c.role !== "started")
    .map((c) => {
      if (c.role === "missed")
        return `<span class="missed">MISSED: ${escapeHtml(c.name)}${c.businessDaysLate !== null ? ` (late by ${escapeHtml(count(c.businessDaysLate, "business day"))})` : ""}</span>`;
      if (c.role === "met-late")
        return `<span class="missed">met late (${escapeHtml(count(c.businessDaysLate ?? 0, "business day"))}): ${escapeHtml(c.name)}</span>`;
      if (c.role === "extended")
        return `extended: ${escapeHtml(c.name)}${c.due ? ` <span class="due">(now due ${escapeHtml(c.due)})</span>` : ""}`;
      return `<span class="met">met: ${escapeHtml(c.name)}</span>`;
    })
    .join("<br>");
  return { started, outcome };
}

function chronology(c: TimelineCase): string {
  const unsafe = new Set(c.messages.filter(isUnsafe).map((m) => m.id));
  const rows = c.rows.map((r) => {
    const { started, outcome } = clockCells(r);
    const blocked = r.message !== null && unsafe.has(r.message.id);
    const ref = r.message ? fileLink(r.message.file, messageRef(r.message), blocked) : "";
    const exhibits = r.exhibits.map((x) => fileLink(x.file, x.file ?? x.name, blocked)).join("<br>");
    return `<tr class="event${r.type === "clock-missed" ? " late" : ""}">
<td class="when">${escapeHtml(r.whenDisplay)}</td>
<td>${escapeHtml(r.type)}</td>
<td>${escapeHtml(r.actor)}</td>
<td>${escapeHtml(r.channel ?? "")}</td>
<td>${r.subject ? `<strong>${escapeHtml(r.subject)}</strong><br>` : ""}${escapeHtml(r.detail)}</td>
<td>${[ref, exhibits].filter(Boolean).join("<br>")}</td>
<td>${started}</td>
<td>${outcome}</td>
<td>${escapeHtml(rowRules(r))}</td>
</tr>`;
  });
  return `<table class="chronology" data-case="${escapeHtml(c.tag)}">
<thead><tr><th>When</th><th>Event</th><th>Actor</th><th>Channel</th><th>Subject / what happened</th><th>Message / exhibits</th><th>Clock started</th><th>Met or missed</th><th>Rule</th></tr></thead>
<tbody>
${rows.join("\n") || '<tr><td colspan="9">No events.</td></tr>'}
</tbody>
</table>`;
}

function caseHeading(c: TimelineCase): string {
  const cls = c.depth > 0 ? ' class="child"' : "";
  const from = c.parent ? ` <small>(escalation of ${escapeHtml(c.parent)})</small>` : "";
  return `<h3${cls} id="case-${escapeHtml(c.tag)}">${escapeHtml(c.tag)}: ${escapeHtml(c.kind)}${c.formal ? " (formal)" : ""}${from}</h3>
<p class="meta">Client ${escapeHtml(c.client)}; status ${escapeHtml(c.status)}; opened ${escapeHtml(c.openedAt.slice(0, 10))}${c.closedAt ? `; closed ${escapeHtml(c.closedAt.slice(0, 10))}` : ""}; ${escapeHtml(servicerSummary(c))}; ${escapeHtml(c.events)} events</p>`;
}

/** What met a clock: a message, or a recorded event on its day (a decision notice, an appeal, an answer). */
function metByText(k: TimelineDoc["cases"][number]["clocks"][number]): string {
  if (k.metByEvent) return ` ${escapeHtml(k.metByEvent.on)} by the recorded ${escapeHtml(k.metByEvent.type)} event`;
  if (k.metBy)
    return ` ${escapeHtml(k.metBy.on)} by message ${escapeHtml(k.metBy.messageId)} (${escapeHtml(k.metBy.class)})`;
  return "";
}

/** A clock's due date, strict then lenient when they differ, escaped. */
function dueText(k: { dueStrict: string | null; dueLenient: string | null }): string {
  if (!k.dueStrict) return "";
  return `${escapeHtml(k.dueStrict)}${k.dueLenient && k.dueLenient !== k.dueStrict ? ` (lenient ${escapeHtml(k.dueLenient)})` : ""}`;
}

function clocksTable(doc: TimelineDoc): string {
  const rows = doc.cases.flatMap((c) =>
    c.clocks.map((k) => {
      const status =
        k.status === "late"
          ? `<span class="missed">MISSED, late by ${escapeHtml(count(k.businessDaysLate ?? 0, "business day"))}</span>`
          : k.status === "met"
            ? `<span class="${(k.businessDaysLate ?? 0) > 0 ? "missed" : "met"}">met${metByText(k)}${(k.businessDaysLate ?? 0) > 0 ? `, ${escapeHtml(count(k.businessDaysLate ?? 0, "business day"))} late` : ""}</span>`
            : escapeHtml(k.status === "not-applicable" ? "no clock" : k.status);
      const due = dueText(k);
      return `<tr class="clock"><td>${escapeHtml(c.tag)}</td><td>${k.party === "borrower" ? "Your deadline: " : ""}${escapeHtml(k.name)}</td><td>${escapeHtml(k.rule)}</td><td>${k.startedBy ? `${escapeHtml(k.startedBy.on)}: ${escapeHtml(k.startedBy.what)}` : ""}</td><td>${due}</td><td>${status}${k.note ? `<br><small>${escapeHtml(k.note)}</small>` : ""}${k.extendedBy ? `<br><small>extended by message ${escapeHtml(k.extendedBy.messageId)} of ${escapeHtml(k.extendedBy.on)}${k.beforeExtension?.dueStrict ? `; due ${dueText(k.beforeExtension)} before it` : ""}</small>` : ""}</td></tr>`;
    }),
  );
  return `<table class="clocks">
<thead><tr><th>Case</th><th>Clock</th><th>Rule</th><th>Started</th><th>Due</th><th>Met or missed (as of ${escapeHtml(doc.asOf)})</th></tr></thead>
<tbody>
${rows.join("\n") || '<tr><td colspan="6">No clocks (a draft starts none; ordinary letters start only the servicer\'s promise).</td></tr>'}
</tbody>
</table>`;
}

function exhibitIndex(doc: TimelineDoc, bundle: BundleFacts | undefined): string {
  const rows = doc.cases.flatMap((c) =>
    c.messages.flatMap((m) =>
      m.exhibits.map(
        (x) =>
          `<tr class="exhibit"><td>${escapeHtml(x.exhibit ? x.exhibit : m.direction === "in" ? "received" : "")}</td><td>${fileLink(x.file, x.file ?? x.name, isUnsafe(m))}${bundle && !x.file ? " <small>(left out of this bundle)</small>" : ""}</td><td>${escapeHtml(c.tag)}, ${m.direction === "out" ? "letter" : "reply"} ${fileLink(m.file, m.file ?? `message ${m.id}`, isUnsafe(m))}</td><td>${escapeHtml(x.contentType)}</td><td>${escapeHtml(x.size)}</td><td class="hash">${escapeHtml(x.sha256)}</td></tr>`,
      ),
    ),
  );
  const letters = (bundle?.files ?? []).map(
    (l) =>
      `<tr class="exhibit"><td>${escapeHtml(l.what)}</td><td>${link(l.path, l.path)}</td><td>${escapeHtml(l.case)}${l.message === null ? "" : `, message ${escapeHtml(l.message)}`}</td><td></td><td></td><td class="hash">${escapeHtml(l.sha256 ?? "see manifest.json")}</td></tr>`,
  );
  return `<table class="exhibits">
<thead><tr><th>Exhibit</th><th>File</th><th>With</th><th>Type</th><th>Bytes</th><th>SHA-256</th></tr></thead>
<tbody>
${[...rows, ...letters].join("\n") || '<tr><td colspan="6">No exhibits.</td></tr>'}
</tbody>
</table>`;
}

function integritySection(doc: TimelineDoc, b: BundleFacts): string {
  const chains = b.chains
    .map(
      (c) =>
        `<tr><td>${escapeHtml(c.case)}</td><td>${escapeHtml(c.events)}</td><td class="hash">${escapeHtml(c.head)}</td></tr>`,
    )
    .join("\n");
  const omitted = b.omitted
    .map(
      (o) =>
        `<tr><td>${escapeHtml(o.path)}</td><td>${escapeHtml(o.size ?? "")}</td><td class="hash">${escapeHtml(o.sha256)}</td><td>${escapeHtml(o.reason)}</td></tr>`,
    )
    .join("\n");
  return `<p>Every file of this bundle is listed in <code>manifest.json</code> with its size and SHA-256 hash;
<code>certificate.txt</code> names the hash of the manifest itself. ${
    b.eventsFile
      ? `<code>${escapeHtml(b.eventsFile)}</code> holds the case's event log: each event carries the hash of the one before it, so a change to any event breaks every later link.`
      : "The event log is not included in this redacted bundle (its events hold the unmasked numbers); the chain heads below identify it in the full record."
  }
To check a copy: <code>loanmail verify ${escapeHtml("FILE.zip")}</code>, or compare <code>sha256sum</code> of each file with the manifest.</p>
<table class="chains"><thead><tr><th>Case</th><th>Events</th><th>Chain head (hash of the last event)</th></tr></thead><tbody>
${chains}
</tbody></table>
${
  omitted
    ? `<h3>Left out of this bundle</h3>
<table class="omitted"><thead><tr><th>File</th><th>Bytes</th><th>SHA-256</th><th>Why</th></tr></thead><tbody>
${omitted}
</tbody></table>`
    : ""
}
${b.notes.map((n) => `<p class="meta">${escapeHtml(n)}</p>`).join("\n")}
<p class="meta">Made by loanmail ${escapeHtml(b.toolVersion)} on ${escapeHtml(doc.generatedAt)}.</p>`;
}

/** The whole page. */
export function renderHtmlReport(doc: TimelineDoc, opts: ReportOptions): string {
  const b = opts.bundle;
  const first = doc.cases[0];
  const borrowers = [...new Set(doc.cases.flatMap((c) => c.borrowers))].join(", ");
  const clients = [...new Set(doc.cases.map((c) => c.client))].join("; ");
  const servicers = [...new Set(doc.cases.map((c) => servicerSummary(c)))].join("; ");
  const properties = [...new Set(doc.cases.map((c) => c.property.replace(/\n/g, ", ")))].join("; ");
  const notice = doc.redacted
    ? `<p class="notice">Redacted copy: Social Security and account numbers are masked to their last 4 digits. The
byte-exact originals (the .eml messages and the exhibit files) are left out, because they cannot be masked without
changing them; their hashes are listed below so that they can be matched with the full record.</p>`
    : "";
  const sections = doc.cases.map((c) => `${caseHeading(c)}\n${chronology(c)}`).join("\n");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(CONTENT_SECURITY_POLICY)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(opts.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>${escapeHtml(opts.title)}</h1>
${first ? `<p class="meta">Client(s): ${escapeHtml(clients)}. Borrower(s): ${escapeHtml(borrowers)}. Servicer: ${escapeHtml(servicers)}. Property: ${escapeHtml(properties)}.</p>` : ""}
<p class="meta">As of ${escapeHtml(doc.asOf)}; times are shown in ${escapeHtml(doc.timeZone)} with their UTC offset.</p>
${notice}
</header>
<section id="chart" class="chart">
<h2>Timeline</h2>
${renderChartSvg(doc)}
<p class="legend"><span><span class="sw" style="background:${ACTOR_COLORS.user}"></span>you</span><span><span class="sw" style="background:${ACTOR_COLORS.servicer}"></span>servicer</span><span><span class="sw" style="background:${ACTOR_COLORS.loanmail}"></span>loanmail</span><span><span class="sw" style="background:#c00000;border-radius:0"></span>clock missed</span></p>
</section>
<section id="chronology">
<h2>Chronology</h2>
${sections || "<p>No cases.</p>"}
</section>
<section id="clocks">
<h2>Clocks met and missed</h2>
${clocksTable(doc)}
</section>
<section id="exhibits">
<h2>Exhibit index</h2>
${exhibitIndex(doc, b)}
</section>
${b?.bates ? `<section id="bates">\n<h2>Bates numbers</h2>\n${batesTable(b.bates)}\n</section>` : ""}
<section id="messages">
<h2>Messages</h2>
${messagesSection(doc, b)}
</section>
${b ? `<section id="integrity">\n<h2>How to check this record</h2>\n${integritySection(doc, b)}\n</section>` : ""}
</body>
</html>
`;
}
