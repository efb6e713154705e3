/** How the HTML report shows a reply: when it arrived, whether its sender is held back, its text defanged. */

import { count } from "../domain/words.js";
import { escapeHtml } from "./html-escape.js";
import type { TimelineMessage } from "./timeline.js";
import { formatWhen } from "./timeline-when.js";

/** Web addresses made unclickable for any reader: hxxps://example[.]test/..., www[.]example[.]test. */
export function defangUrls(text: string): string {
  return text
    .replace(/\b(h)(?:tt|xx)(ps?):\/\/([^\s/?#<>"']+)/gi, (_m, h: string, ps: string, host: string) => {
      return `${h}xx${ps}://${host.replace(/\./g, "[.]")}`;
    })
    .replace(/\bwww\.([^\s/?#<>"']+)/gi, (_m, host: string) => `www[.]${host.replace(/\./g, "[.]")}`);
}

/** A reply: when it arrived (and its Date header beside it); a letter: its date. */
export function whenOfMessage(m: TimelineMessage, tz: string): string {
  if (m.direction === "out" && m.writtenOn) return `written ${m.writtenOn} (entered later)`;
  if (m.direction === "out" || !m.arrivedAt) return m.date ? formatWhen(m.date, tz).display : "";
  const arrived = /^\d{4}-\d{2}-\d{2}$/.test(m.arrivedAt) ? m.arrivedAt : formatWhen(m.arrivedAt, tz).display;
  const how = m.arrival === "recorded" ? " (arrival not proven: when it was recorded)" : "";
  const date = m.date && m.arrival !== "typed" ? `; Date header ${formatWhen(m.date, tz).display}` : "";
  return `arrived ${arrived}${how}${date}${m.dateDiscrepancyDays !== null ? ` (${count(m.dateDiscrepancyDays, "day")} earlier)` : ""}`;
}

/** The warning on a reply held back from the clocks, or the note that the user confirmed it. */
export function replyNotice(m: TimelineMessage): string {
  if (m.direction !== "in" || m.trust === null || m.trust === "trusted") return "";
  const why = escapeHtml(m.trustWhy.join("; "));
  if (m.trustConfirmed) return `<p class="meta">Sender ${escapeHtml(m.trust)}, confirmed by the borrower: ${why}</p>\n`;
  return `<p class="notice"><strong>${escapeHtml(m.trust.toUpperCase())} sender</strong>: ${why}. It meets no clock unless the borrower confirms it; its links are not followed here.</p>\n`;
}
