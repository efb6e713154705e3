/**
 * The documents a bundle makes for people from its record: the declaration under 28 U.S.C. 1746 (declaration.ts)
 * and the exhibit list keyed to the Bates numbers (bates.ts), as the rows both exhibit-list.pdf and index.html show.
 */
import type { EventRow } from "../store/events.js";
import type { BatesCounter } from "./bates.js";
import type { ManifestFile } from "./bundle-manifest.js";
import type { BundlePlan } from "./bundle-plan.js";
import { buildDeclaration, exhibitTitle } from "./declaration.js";
import type { SignableDocument } from "./signable-document.js";
import type { ExhibitListRow } from "./signable-pdf.js";
import type { TimelineDoc, TimelineMessage } from "./timeline.js";
import { isReplyRecordedByHand } from "./timeline-message.js";
import type { SourceCase } from "./timeline-sources.js";

export function bundleDeclaration(
  declarant: { name: string; counselorAgency?: string | undefined },
  timeZone: string,
  doc: TimelineDoc,
  sources: readonly SourceCase[],
  bates: BatesCounter,
  redactor: ((s: string) => string) | undefined,
): SignableDocument {
  const events = new Map<string, readonly EventRow[]>(sources.map((sc) => [sc.record.tag, sc.events]));
  const d = buildDeclaration({
    name: declarant.name,
    counselorAgency: declarant.counselorAgency,
    timeZone,
    doc,
    events,
    batesOf: (p) => bates.rangeText(p),
  });
  return redactor ? { ...d, paragraphs: d.paragraphs.map(redactor) } : d;
}

/**
 * A reply recorded by hand: its .eml is loanmail's note of it, written when it was recorded (not an original
 * message), and the reply is the scan the user kept. No sender was recorded, so none is named.
 */
function handRecordedReply(out: Map<string, string>, tag: string, m: TimelineMessage): void {
  const what = `reply ${m.id} received by ${m.channel}${m.arrivedAt ? ` on ${m.arrivedAt}` : ""}${m.from ? ` from ${m.from}` : " (sender not recorded)"}`;
  const scans = m.exhibits.flatMap((x) => (x.file ? [x.file] : []));
  const kept = scans.length > 0 ? ` (the scan kept of it is ${scans.join(", ")})` : "";
  if (m.file) out.set(m.file, `${tag}, ${what}: loanmail's record of it, not the reply itself${kept}`);
  for (const scan of scans) out.set(scan, `${tag}, the scan kept of ${what}`);
}

/** What each evidence file of the bundle is, by its path. */
function descriptions(doc: TimelineDoc, plan: BundlePlan): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of doc.cases) {
    for (const m of c.messages) {
      if (isReplyRecordedByHand(m)) {
        handRecordedReply(out, c.tag, m);
        continue;
      }
      const what = m.direction === "out" ? `letter ${m.id}` : `reply ${m.id} from ${m.from ?? "unknown sender"}`;
      if (m.file) out.set(m.file, `${c.tag}, ${what}${m.subject ? `: ${m.subject}` : ""} (original message)`);
      for (const x of m.exhibits) {
        if (!x.file) continue;
        out.set(
          x.file,
          x.exhibit
            ? `${c.tag}, ${exhibitTitle(x.name)} (of letter ${m.id})`
            : `${c.tag}, attachment of ${what}: ${x.name}`,
        );
      }
    }
  }
  for (const f of plan.files) out.set(f.path, `${f.case}, message ${f.message}: ${f.what}`);
  out.set("declaration.pdf", "Declaration under 28 U.S.C. 1746 (to sign)");
  return out;
}

/** One row per numbered file, in Bates order, with what it is and its SHA-256 as the bundle holds it. */
export function exhibitRows(
  doc: TimelineDoc,
  plan: BundlePlan,
  bates: BatesCounter,
  records: readonly ManifestFile[],
): ExhibitListRow[] {
  const what = descriptions(doc, plan);
  const hashes = new Map(records.map((r) => [r.path, r.sha256]));
  return bates.ranges.map((r) => ({
    bates: r.first === r.last ? r.first : `${r.first} - ${r.last}`,
    path: r.path,
    what: `${what.get(r.path) ?? "file"}${r.pages === null ? "" : `; ${r.pages} page${r.pages === 1 ? "" : "s"}`}${r.stamped ? "; numbers printed on the pages" : ""}`,
    sha256: hashes.get(r.path) ?? null,
  }));
}

export const EXHIBIT_LIST_INTRO =
  "Each page of a PDF has its own Bates number; any other file (an email original, an image) has one number for the whole file. The numbers are printed on the PDFs loanmail made for this bundle; every other file is kept byte for byte, so its numbers are listed here and in manifest.json, not printed on it. The SHA-256 of each file identifies it exactly (see certificate.txt).";
