/**
 * Bates numbers for an evidence bundle: every page of the evidence gets its own number, `<prefix>0001` on, in the
 * bundle's order (the originals, the exhibits and attachments, the confirmations, the letters, the proof of
 * mailing, then the declaration). A PDF takes one number per page; any other file (an .eml, an image, a PDF that
 * cannot be read) takes one number for the whole file. Numbers are stamped on the PDFs loanmail makes for the
 * bundle; a file kept byte for byte (an original, an exhibit, the PDF printed when a letter left) cannot be stamped
 * without changing it, so its numbers are only listed (manifest.json, exhibit-list.pdf, index.html). The generated
 * keys and checks (events.jsonl, the timelines, index.html, the exhibit list, the manifest, the certificate) are
 * not evidence and take no number.
 */
import { UserError } from "../errors.js";

export interface BatesRange {
  path: string;
  first: string;
  last: string;
  /** Pages of a PDF; null for a file numbered as one item. */
  pages: number | null;
  /** Whether the numbers are printed on its pages. */
  stamped: boolean;
}

const WIDTH = 4;

/** The default prefix: the case tag and a dash, so the first page of case LM-ABCD-2 is LM-ABCD-2-0001. */
export function defaultBatesPrefix(tag: string): string {
  return `${tag}-`;
}

/** A prefix typed by the user: printable letters, digits and - _ . / , up to 24 characters. */
export function checkBatesPrefix(value: string, flag = "--bates-prefix"): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._/-]{0,23}$/.test(value)) return value;
  throw new UserError(`${flag} ${JSON.stringify(value)}: not a Bates prefix`, {
    code: "BAD_BATES_PREFIX",
    hint: "use up to 24 letters, digits, dashes, dots, slashes or underscores, starting with a letter or digit, e.g. DOE-",
  });
}

/** Hands out numbers in order and remembers the range of each file. */
export class BatesCounter {
  private next = 1;
  private readonly byPath = new Map<string, BatesRange>();

  constructor(readonly prefix: string) {}

  label(n: number): string {
    return `${this.prefix}${String(n).padStart(WIDTH, "0")}`;
  }

  /** The numbers of `path`: `pages` for a PDF, one for any other file. */
  take(path: string, pages: number | null, stamped: boolean): { range: BatesRange; labels: string[] } {
    const count = pages ?? 1;
    const labels = Array.from({ length: count }, (_, i) => this.label(this.next + i));
    this.next += count;
    const range = { path, first: labels[0] ?? "", last: labels.at(-1) ?? "", pages, stamped };
    this.byPath.set(path, range);
    return { range, labels };
  }

  /** "LM-ABCD-2-0003 to LM-ABCD-2-0004", or the one number; null for a file without numbers. */
  rangeText(path: string | null): string | null {
    const r = path === null ? undefined : this.byPath.get(path);
    if (!r) return null;
    return r.first === r.last ? r.first : `${r.first} to ${r.last}`;
  }

  get ranges(): BatesRange[] {
    return [...this.byPath.values()];
  }
}
