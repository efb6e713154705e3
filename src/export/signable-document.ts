/** A document loanmail drafts for a person to print, read and sign (the declaration, the certificate). */

/** A document to print and sign: a title, paragraphs and the signature block (signable-pdf.ts renders it). */
export interface SignableDocument {
  title: string;
  subtitle: string;
  /** For the reader of the text copy only; not printed on the page that is signed. */
  note: string;
  paragraphs: string[];
  closing: string[];
}

/** A paragraph broken into lines of at most `width` characters (a word longer than that keeps its line). */
export function wrapText(text: string, width = 96): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** A signable document as text (declaration.txt, certificate.txt): the note first, in brackets. */
export function signableText(d: SignableDocument): string {
  const body = d.paragraphs.flatMap((p) => [...wrapText(p), ""]);
  return `${[...wrapText(`[${d.note}]`), "", d.title, d.subtitle, "", ...body, ...d.closing].join("\n")}\n`;
}
