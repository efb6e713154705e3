/**
 * The certification of an evidence bundle's copies under Federal Rule of Evidence 902(14): data copied from an
 * electronic file, authenticated by a process of digital identification (each file's SHA-256 hash), as shown by
 * the certification of a qualified person meeting Rule 902(11)'s requirements, made as a declaration under 28
 * U.S.C. 1746(2). A borrower is not a business: it claims no business-records foundation (FRE 803(6)); what was
 * sent and received is the declaration's (declaration.ts).
 */
import type { UserConfig } from "../config/config.js";
import { count } from "../domain/words.js";
import type { Manifest } from "./bundle-manifest.js";
import type { SignableDocument } from "./signable-document.js";

/** The line verify reads: the manifest's own SHA-256 (one paragraph, never wrapped). */
export const MANIFEST_HASH_LINE = "manifest.json SHA-256:";
/** The line certificate.txt adds: the hash of certificate.pdf, which comes before it in the zip. */
export const CERTIFICATE_PDF_LINE = "certificate.pdf SHA-256:";
/**
 * The files manifest.json cannot list: itself, and the certificate in both forms, made after it because they state
 * its hash. verify checks each otherwise (certificate.txt against the manifest, certificate.pdf against both).
 */
export const UNLISTED_FILES = ["manifest.json", "certificate.pdf", "certificate.txt"] as const;

/**
 * The document metadata (Subject) of certificate.pdf: the manifest's hash as its page prints it, where verify can
 * read it back with pdf-lib (the printed text is drawn in content streams with an embedded font, which verify does
 * not parse).
 */
export function certificatePdfSubject(manifestSha256: string): string {
  return `${MANIFEST_HASH_LINE} ${manifestSha256}`;
}

/** The manifest hash a certificate states (certificate.txt's text, or certificate.pdf's Subject), if any. */
export function statedManifestHash(text: string): string | undefined {
  return /manifest\.json SHA-256:\s*([0-9a-f]{64})/.exec(text)?.[1];
}

export function buildCertification(
  m: Manifest,
  manifestSha256: string,
  zipName: string,
  user: UserConfig,
): SignableDocument {
  return {
    title: "CERTIFICATION OF DATA COPIED FROM ELECTRONIC FILES",
    subtitle: "Federal Rule of Evidence 902(14); declaration under 28 U.S.C. 1746",
    note: "Prepared by loanmail for the person who made the copies to read and sign; strike anything that is not true. It is not legal advice, and a state court, agency or arbitrator may have its own rules. Under FRE 902(11) and 902(14) the party offering the records must give every adverse party reasonable written notice and make the records and this certification available for inspection before the trial or hearing.",
    paragraphs: [
      `I, ${user.name}, declare:`,
      "1. I am over 18 years of age. I made the copies described below from my own record of my correspondence with my mortgage servicer, which I kept with the program loanmail, and I know the process by which they were made and identified.",
      `2. The evidence bundle "${zipName}" was made by loanmail ${m.tool.version} on ${m.createdAt} from ${recordOf(m)}. Each file in it was copied from that record and identified by its SHA-256 hash, a process of digital identification: a file whose SHA-256 hash equals the one listed for it is identical, bit for bit, to the file listed. Each letter, reply and exhibit was stored with its SHA-256 hash when it was entered into loanmail, which may be after the day it was written, sent or received (a letter written before it was entered, a reply on paper recorded days later); the event log records both the day each step names and the day it was entered. Each copy was checked against that hash when the bundle was made.`,
      `3. The file manifest.json lists every file of the bundle with its size and SHA-256 hash, except the three made after it: manifest.json itself, and this certification as a PDF and as text (certificate.pdf and certificate.txt), which state the manifest's SHA-256 hash; certificate.txt also states the hash of certificate.pdf. The manifest's own SHA-256 hash is:`,
      `${MANIFEST_HASH_LINE} ${manifestSha256}`,
      `Files listed: ${m.files.length}; with manifest.json, certificate.pdf and certificate.txt, the bundle holds ${m.files.length + UNLISTED_FILES.length} files${m.omitted.length ? `; files left out, listed with their hashes: ${m.omitted.length}` : ""}.`,
      ...m.events.chains.map(
        (c) => `Event log of ${c.case}: ${count(c.events, "event")}; the hash of the last one is ${c.head}.`,
      ),
      ...(m.redacted
        ? [
            "This is a redacted copy: account numbers and Social Security numbers are masked to their last 4 digits, and the byte-exact originals and the event log are left out. The hashes above identify the full record from which it was made.",
          ]
        : []),
      `4. Anyone can check the copies: "loanmail verify ${zipName}" recomputes every hash and every link of the event log, and any SHA-256 tool (for example sha256sum) checks a single file against manifest.json.`,
      "I declare under penalty of perjury that the foregoing is true and correct.",
    ],
    closing: ["Executed on ____________________ (date).", "", "", "______________________________________", user.name],
  };
}

/** What the bundle was made from: a case and its escalations, or a client's whole file. */
function recordOf(m: Manifest): string {
  if (m.client) {
    const tags = m.cases.map((c) => c.tag);
    return `my record of the file of client ${m.client.name}${tags.length ? ` (cases ${tags.join(", ")})` : ""} and of the client's own record (loans, authorizations, intake and action plan)`;
  }
  const root = m.cases[0];
  const others = m.cases.slice(1).map((c) => c.tag);
  return `my record of case ${root?.tag ?? ""}${others.length ? ` and the cases escalated from it (${others.join(", ")})` : ""}`;
}
