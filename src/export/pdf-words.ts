/**
 * The words loanmail itself prints on a letter's PDF pages (the page numbers, the packet's exhibit list, the
 * label and footer of each exhibit page, the page standing for an unprintable exhibit, the bookmarks and the alt
 * text), in the letter's language: a Spanish letter's packet is Spanish throughout (docs/ARCHITECTURE.md,
 * "Letters in Spanish"). The letter's own text is the record's; the CLI's messages about the PDF stay English.
 */
import type { LetterLanguage } from "../domain/language.js";

/** Why an exhibit cannot be printed (pdf-exhibits.ts). */
export type UnprintableWhy =
  | "unreadable-pdf"
  | "encrypted-pdf"
  | "empty-pdf"
  | "huge-pdf"
  | "unreadable-image"
  | "huge-image"
  | "other-type";

/** What a packet page says about one exhibit. */
export interface ExhibitFacts {
  /** "Exhibit B" / "Anexo B", or the file name of an attachment without a letter. */
  name: string;
  label: string;
  fileName: string;
  contentType: string;
}

export interface PdfWords {
  lang: LetterLanguage;
  /** "Page 2 of 7". */
  page(n: number, total: number): string;
  /** The label before the subject line of a printed letter: "Re:" ("Ref.:"); the subject stays English. */
  subjectLabel: string;
  /** The bookmarks of the letter and of the exhibit list. */
  letterBookmark: string;
  listBookmark: string;
  listHeading: string;
  listIntro: string;
  /** The exhibit list's column titles: exhibit, label, file, pages, SHA-256. */
  columns: readonly [string, string, string, string, string];
  /** The pages column: "3 (pp. 3–5)", "1 (p. 6)", or "not printable: ..." for the page standing for it. */
  pages(n: number, first: number, printable: boolean): string;
  /** The exhibit's name in this language ("Exhibit A" of an English record is "Anexo A" in Spanish). */
  name(exhibit: string | null, fileName: string): string;
  /** Over an exhibit page: "Exhibit B – Receipt (page 2 of 3)". */
  pageLabel(e: ExhibitFacts, page: number, of: number): string;
  /** In the footer of an exhibit page: "Exhibit B – p. 2". */
  stamp(name: string, page: number): string;
  /** A screen reader's words for an exhibit page. */
  alt(e: ExhibitFacts, page: number, of: number): string;
  /** The lines of the page that stands for an unprintable exhibit. */
  unprintable(e: ExhibitFacts, bytes: number, sha256: string, why: UnprintableWhy, detail: string): string[];
}

const EN_WHY: Record<UnprintableWhy, (detail: string) => string> = {
  "unreadable-pdf": () => "a PDF loanmail cannot read",
  "encrypted-pdf": () => "an encrypted PDF",
  "empty-pdf": () => "a PDF with no pages",
  "huge-pdf": () => "a PDF of more pages than a printed packet holds",
  "unreadable-image": () => "an image loanmail cannot read",
  "huge-image": () => "an image too large to print (over 50 megapixels)",
  "other-type": (type) => `a file of type ${type}, which is not a PDF or an image`,
};

const ES_WHY: Record<UnprintableWhy, (detail: string) => string> = {
  "unreadable-pdf": () => "es un PDF que loanmail no puede leer",
  "encrypted-pdf": () => "es un PDF cifrado",
  "empty-pdf": () => "es un PDF sin páginas",
  "huge-pdf": () => "es un PDF de más páginas de las que cabe en un paquete impreso",
  "unreadable-image": () => "es una imagen que loanmail no puede leer",
  "huge-image": () => "es una imagen demasiado grande para imprimir (más de 50 megapíxeles)",
  "other-type": (type) => `es un archivo de tipo ${type}, que no es un PDF ni una imagen`,
};

/** Why an exhibit is not printable, in English (also the CLI's warning). */
export function unprintableReason(why: UnprintableWhy, contentType: string): string {
  return EN_WHY[why](contentType);
}

const ENGLISH: PdfWords = {
  lang: "en",
  page: (n, total) => `Page ${n} of ${total}`,
  subjectLabel: "Re:",
  letterBookmark: "Letter",
  listBookmark: "Exhibit list",
  listHeading: "Exhibits",
  listIntro:
    "The exhibits enclosed with this letter, in order. Each exhibit page carries its exhibit letter and page in the footer. SHA-256 is the start of the file's fingerprint as kept in the record, to match a copy against it.",
  columns: ["Exhibit", "Label", "File", "Pages", "SHA-256"],
  pages: (n, first, printable) => {
    if (!printable) return `not printable: attach a printed copy (p. ${first})`;
    return n === 1 ? `1 (p. ${first})` : `${n} (pp. ${first}\u2013${first + n - 1})`;
  },
  name: (exhibit, fileName) => exhibit ?? fileName,
  pageLabel: (e, page, of) => `${e.name} \u2013 ${e.label}${of > 1 ? ` (page ${page} of ${of})` : ""}`,
  stamp: (name, page) => `${name} \u2013 p. ${page}`,
  alt: (e, page, of) => `${e.name}, ${e.label}, page ${page} of ${of}: a copy of ${e.fileName} as enclosed`,
  unprintable: (e, bytes, sha256, why, detail) => [
    `File: ${e.fileName} (${e.contentType}, ${bytes} bytes, SHA-256 ${sha256})`,
    `Not printable: attach a printed copy of this exhibit here. loanmail cannot print it: it is ${EN_WHY[why](detail)}.`,
  ],
};

const SPANISH: PdfWords = {
  lang: "es",
  page: (n, total) => `Página ${n} de ${total}`,
  subjectLabel: "Ref.:",
  letterBookmark: "Carta",
  listBookmark: "Lista de anexos",
  listHeading: "Anexos",
  listIntro:
    "Los anexos que acompañan esta carta, en orden. Cada página de un anexo lleva al pie la letra del anexo y su número de página. SHA-256 es el comienzo de la huella digital del archivo tal como se conserva en el registro, para cotejar una copia con ella.",
  columns: ["Anexo", "Descripción", "Archivo", "Páginas", "SHA-256"],
  pages: (n, first, printable) => {
    if (!printable) return `no imprimible: adjunte una copia impresa (pág. ${first})`;
    return n === 1 ? `1 (pág. ${first})` : `${n} (págs. ${first}\u2013${first + n - 1})`;
  },
  name: (exhibit, fileName) => (exhibit ? exhibit.replace(/^Exhibit\s+/, "Anexo ") : fileName),
  pageLabel: (e, page, of) => `${e.name} \u2013 ${e.label}${of > 1 ? ` (página ${page} de ${of})` : ""}`,
  stamp: (name, page) => `${name} \u2013 pág. ${page}`,
  alt: (e, page, of) => `${e.name}, ${e.label}, página ${page} de ${of}: copia de ${e.fileName} tal como se adjunta`,
  unprintable: (e, bytes, sha256, why, detail) => [
    `Archivo: ${e.fileName} (${e.contentType}, ${bytes} bytes, SHA-256 ${sha256})`,
    `No imprimible: adjunte aquí una copia impresa de este anexo. loanmail no puede imprimirlo: ${ES_WHY[why](detail)}.`,
  ],
};

/** The words of a PDF in this language, given as a BCP 47 tag ("es-US") or a letter language ("es"). */
export function pdfWords(lang: string | undefined): PdfWords {
  return /^es(?:-|$)/i.test(lang ?? "") ? SPANISH : ENGLISH;
}

/** The exhibit's letter alone, for the list's first column: "A" of "Exhibit A" or "Anexo A". */
export function exhibitLetterOf(exhibit: string | null): string {
  return exhibit?.replace(/^(?:Exhibit|Anexo)\s+/, "") ?? "-";
}
