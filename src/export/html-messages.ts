/**
 * The messages of the HTML report (html-report.ts): each letter and reply with its file, its record when it left
 * (whom it was addressed to, its printed copy, its proof of mailing) and its text; and the links to the bundle's
 * files, which a reply whose sender is not verified never gets. Pure; every string goes through escapeHtml.
 */

import { escapeHtml } from "./html-escape.js";
import { defangUrls, replyNotice, whenOfMessage } from "./html-reply.js";
import type { BundleFacts } from "./html-report.js";
import type { TimelineDoc, TimelineMessage } from "./timeline.js";
import { isReplyRecordedByHand } from "./timeline-message.js";
import { localDate } from "./timeline-when.js";

/** A relative link to a file inside the bundle, each path segment percent-encoded. */
function hrefOf(path: string): string {
  return path.split("/").map(encodeURIComponent).join("/");
}

export function link(path: string | null, text: string): string {
  return path ? `<a href="${escapeHtml(hrefOf(path))}">${escapeHtml(text)}</a>` : escapeHtml(text);
}

/**
 * A reply that may be forged (suspect), or whose sender is not the servicer's and was not confirmed, is never a
 * link: not its original, not its attachments, and the web addresses in its text are defanged, so that a
 * phishing message cannot be opened from the report (or from a PDF printed of it, where readers link bare URLs).
 */
export function isUnsafe(m: TimelineMessage): boolean {
  return m.trust === "suspect" || m.heldFromClocks;
}

/** A link to a file of a message, or (an unsafe message's) its name only. */
export function fileLink(path: string | null, text: string, unsafe: boolean): string {
  return unsafe && path ? `${escapeHtml(text)} <small>(not linked: sender not verified)</small>` : link(path, text);
}

/**
 * The PDFs loanmail printed of a letter other than the copy that left: kept in the record, and in a bundle only
 * when it holds them (it holds only the copy that left), so that no printing reads as the paper mailed.
 */
function otherPrintingsHtml(m: TimelineMessage, tz: string, bundle: BundleFacts | undefined): string {
  const copy = m.printedCopy;
  const others = m.printings.filter((p) => copy?.state !== "held" || p.sha256 !== copy.sha256);
  if (others.length === 0) return "";
  const what = !copy
    ? "Printed by loanmail (kept in the record)"
    : copy.state === "email"
      ? "Printed by loanmail as a reading copy, not the letter that left (it left by email: its .eml is the letter)"
      : copy.state === "not-recorded"
        ? "Printed by loanmail (the record does not say which copy left)"
        : "Printed by loanmail but not the copy that left (kept in the record)";
  const each = others.map(
    (p) =>
      `on ${escapeHtml(localDate(p.printedAt, tz))}, SHA-256 <span class="hash">${escapeHtml(p.sha256)}</span>${p.file ? `, ${link(p.file, p.file)}` : bundle ? ", not in this bundle" : ""}`,
  );
  return `<p class="meta printings">${escapeHtml(what)}: ${each.join("; ")}.</p>`;
}

/** A letter's record: whom it was addressed to when it left, its printed copy and its proof of mailing. */
function letterRecordHtml(m: TimelineMessage, tz: string, bundle: BundleFacts | undefined): string {
  const out: string[] = [];
  const t = m.sentTo;
  if (t) {
    const who = `${t.addressedTo}; account ${t.accountNumber}; borrower(s) ${t.borrowers.join(", ")}`;
    out.push(
      t.recorded
        ? `<p class="meta sent-to">Addressed when it left: ${escapeHtml(who)}.</p>`
        : `<p class="meta sent-to">Whom it was addressed to was not recorded when it left (an older record); shown as the loan is now: ${escapeHtml(who)}.</p>`,
    );
  }
  const copy = m.printedCopy;
  if (copy?.state === "held" && copy.sha256) {
    const where = copy.file ? link(copy.file, copy.file) : bundle ? "left out of this bundle" : "kept in the record";
    out.push(
      `<p class="meta printed-copy">Printed copy that left: the PDF loanmail printed, ${where}; SHA-256 <span class="hash">${escapeHtml(copy.sha256)}</span></p>`,
    );
  } else if (copy?.state === "not-printed") {
    out.push(
      '<p class="meta printed-copy">Printed copy: not held. loanmail printed no copy of this letter by the day it left; its text is the record above.</p>',
    );
  } else if (copy?.state === "not-recorded") {
    out.push(
      '<p class="meta printed-copy">Printed copy: not recorded (the letter left before loanmail kept printed copies).</p>',
    );
  }
  out.push(otherPrintingsHtml(m, tz, bundle));
  for (const p of m.proofs) {
    out.push(
      `<p class="meta proof">Proof: ${escapeHtml(p.label)}: ${link(p.file, p.file ?? p.name)}${bundle && !p.file ? " (left out of this bundle)" : ""}; ${escapeHtml(p.size)} bytes; SHA-256 <span class="hash">${escapeHtml(p.sha256)}</span></p>`,
    );
  }
  return out.filter(Boolean).join("\n");
}

/**
 * A message's file: the original; for a reply recorded by hand, loanmail's own record of it, which is not the
 * reply (the reply is the scan kept of it, beside it).
 */
function fileHtml(m: TimelineMessage, bundle: BundleFacts | undefined): string {
  const unsafe = isUnsafe(m);
  if (isReplyRecordedByHand(m)) {
    const scans = m.exhibits.map((x) => fileLink(x.file, x.file ?? x.name, unsafe)).join(", ");
    const record = m.file ? fileLink(m.file, m.file, unsafe) : bundle ? "left out of this bundle" : "";
    return `; loanmail's record of this reply, not the reply itself${record ? `: ${record}` : ""}${scans ? `; the scan kept of the reply: ${scans}` : ""}`;
  }
  return m.file
    ? `; original: ${fileLink(m.file, m.file, unsafe)}`
    : bundle
      ? "; original left out of this bundle"
      : "";
}

/** Who sent a reply, as far as the record says: a reply recorded by hand names none unless one was given. */
function senderText(m: TimelineMessage): string {
  if (m.from) return `; from ${escapeHtml(m.from)}`;
  return isReplyRecordedByHand(m) ? "; sender not recorded" : "";
}

export function messagesSection(doc: TimelineDoc, bundle: BundleFacts | undefined): string {
  const items = doc.cases.flatMap((c) =>
    c.messages.map((m) => {
      const dest =
        m.direction === "out" && !m.sentTo ? ((m.to.join(", ") || m.postalAddress?.replace(/\n/g, ", ")) ?? "") : "";
      const unsafe = isUnsafe(m);
      return `<div class="msg">
<h3>${escapeHtml(m.direction === "out" ? "Letter" : "Reply")} ${escapeHtml(m.id)} (${escapeHtml(c.tag)}): ${escapeHtml(m.subject ?? "(no subject)")}</h3>
<p class="meta">${escapeHtml(whenOfMessage(m, doc.timeZone))}; ${escapeHtml(m.channel)}${senderText(m)}${dest ? `; to ${escapeHtml(dest)}` : ""}${m.state ? `; ${escapeHtml(m.state)}` : ""}${m.replyClass ? `; class ${escapeHtml(m.replyClass)}` : ""}</p>
${replyNotice(m)}<p class="meta">Message-ID ${escapeHtml(m.messageId ?? "(none)")}${m.messageIdReused ? " <strong>(reused: another message held it with other bytes)</strong>" : ""}; ${escapeHtml(m.size)} bytes; SHA-256 <span class="hash">${escapeHtml(m.sha256)}</span>${fileHtml(m, bundle)}</p>
${letterRecordHtml(m, doc.timeZone, bundle)}
${m.excerpt ? `<p class="excerpt">${escapeHtml(unsafe ? defangUrls(m.excerpt) : m.excerpt)}</p>` : ""}
</div>`;
    }),
  );
  return items.join("\n") || "<p>No messages.</p>";
}
