/**
 * The certificate of a bundle against its manifest (verify.ts): certificate.txt and certificate.pdf are made after
 * manifest.json and state its SHA-256, so the manifest cannot list them (certification.ts, UNLISTED_FILES). The
 * text must state the manifest's hash; the PDF, the page that gets signed, must have the hash the text states for
 * it and state the manifest's hash too: a manifest changed with certificate.txt to match still differs from the
 * certificate.pdf that was signed.
 */
import { statedManifestHash } from "./certification.js";
import type { Findings } from "./verify.js";
import { digestEntry, entryText, type OpenZip, type ZipEntry } from "./zip-reader.js";

/** The largest certificate.pdf read whole for its metadata (loanmail's is a page or two, some 15 kB). */
const PDF_CAP = 16 * 1024 * 1024;

/**
 * certificate.txt must be there and state the manifest's SHA-256; the hash it states for certificate.pdf (which
 * comes before it, after the manifest) is what that PDF is checked against. Returns that hash, if stated.
 */
export async function checkCertificate(
  zip: OpenZip,
  byName: ReadonlyMap<string, ZipEntry>,
  manifestSha: string,
  f: Findings,
): Promise<string | null> {
  const e = byName.get("certificate.txt");
  if (!e) {
    f.fail("certificate.txt", "missing: the certificate that names the manifest's SHA-256 was removed");
    return null;
  }
  let pdfSha: string | null;
  try {
    const text = await entryText(zip, e, 1024 * 1024);
    const stated = statedManifestHash(text);
    if (!stated) f.fail("certificate.txt", "does not state the manifest's SHA-256");
    else if (stated !== manifestSha)
      f.fail("certificate.txt", `states manifest SHA-256 ${stated}, but manifest.json hashes to ${manifestSha}`);
    else f.pass("certificate.txt", `names the manifest's SHA-256 ${manifestSha}`);
    pdfSha = /certificate\.pdf SHA-256:\s*([0-9a-f]{64})/.exec(text)?.[1] ?? null;
  } catch (err) {
    f.fail("certificate.txt", `cannot be read: ${(err as Error).message}`);
    return null;
  }
  // Removing the PDF must not remove its check: the text names it, so it was there.
  if (!byName.has("certificate.pdf")) {
    if (pdfSha) f.fail("certificate.pdf", `missing: certificate.txt states its SHA-256 ${pdfSha}`);
    else
      f.skip(
        "certificate.pdf: not in the bundle, and certificate.txt states no hash for it (a bundle made before loanmail wrote one)",
      );
  }
  return pdfSha;
}

/**
 * certificate.pdf (not in the manifest, which it names) against the hash certificate.txt states for it, then the
 * manifest hash it states in its document metadata against manifest.json's. A PDF without that metadata (made
 * before loanmail wrote it) is named as not checked, never as matching.
 */
export async function checkCertificatePdf(
  zip: OpenZip,
  e: ZipEntry,
  statedByText: string | null,
  manifestSha: string,
  f: Findings,
): Promise<void> {
  const chunks: Buffer[] = [];
  try {
    const d = await digestEntry(zip, e, e.size <= PDF_CAP ? (c: Buffer) => chunks.push(c) : undefined);
    if (!statedByText) f.fail(e.name, "is in the zip but certificate.txt states no hash for it");
    else if (d.sha256 !== statedByText)
      f.fail(e.name, `SHA-256 ${d.sha256} differs from the one certificate.txt states (${statedByText})`);
    else f.pass(e.name, `SHA-256 ${d.sha256} matches the hash certificate.txt states`);
  } catch (err) {
    f.fail(e.name, `cannot be read: ${(err as Error).message}`);
    return;
  }
  if (e.size > PDF_CAP) {
    f.fail(e.name, `is ${e.size} bytes, larger than any certificate loanmail makes: its manifest SHA-256 was not read`);
    return;
  }
  const subject = await pdfSubject(Buffer.concat(chunks));
  if (subject === null) {
    f.fail(e.name, "cannot be read as a PDF, so the manifest SHA-256 it states cannot be compared");
    return;
  }
  const stated = statedManifestHash(subject ?? "");
  if (!stated)
    f.skip(
      `${e.name}: the manifest SHA-256 printed on it, since its document metadata states none (a bundle made before loanmail wrote it there); compare the hash on its page with manifest.json's, ${manifestSha}`,
    );
  else if (stated !== manifestSha)
    f.fail(
      e.name,
      `states manifest SHA-256 ${stated} in its document metadata (written with the one printed on its page), but manifest.json hashes to ${manifestSha}`,
    );
  else f.pass(e.name, `states the manifest's SHA-256 ${manifestSha} in its document metadata`);
}

/**
 * The Subject of a PDF's document information (undefined when it has none), or null when pdf-lib cannot read it.
 * pdf-lib is loaded here, only for this: verify otherwise needs no PDF library (src/app/evidence.ts).
 */
async function pdfSubject(bytes: Buffer): Promise<string | undefined | null> {
  const { PDFDocument } = await import("pdf-lib");
  try {
    const doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: false });
    return doc.getSubject();
  } catch {
    return null;
  }
}
