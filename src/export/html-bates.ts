/** The Bates table of a bundle's page: every evidence file with its numbers, what it is and its hash (no links). */
import { escapeHtml } from "./html-escape.js";

export function batesTable(
  rows: readonly { bates: string; path: string; what: string; sha256: string | null }[],
): string {
  const body = rows
    .map(
      (r) =>
        `<tr><td>${escapeHtml(r.bates)}</td><td>${escapeHtml(r.path)}</td><td>${escapeHtml(r.what)}</td><td class="hash">${escapeHtml(r.sha256 ?? "see manifest.json")}</td></tr>`,
    )
    .join("\n");
  return `<p class="meta">Each page of a PDF has its own number; any other file has one. The numbers are printed on the
PDFs loanmail made for this bundle; every other file is kept byte for byte, so its numbers are listed here, in
<code>exhibit-list.pdf</code> and in <code>manifest.json</code>.</p>
<table class="bates"><thead><tr><th>Bates</th><th>File</th><th>What</th><th>SHA-256</th></tr></thead><tbody>
${body || '<tr><td colspan="4">No evidence files.</td></tr>'}
</tbody></table>`;
}
