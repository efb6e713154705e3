/**
 * Safe, unique file names inside an evidence bundle: names that came from mail or a user are made into one
 * harmless path segment each, and collisions are numbered.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is removed
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
/** Bidi overrides and invisible format characters: "invoice\u202Efdp.exe" must not display as a PDF. */
const INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
/** Separators and characters Windows refuses, and look-alike slashes. */
const SEPARATORS = /[/\\:*?"<>|\u2044\u2215\u29f8\uff0f\uff3c]/g;
const RESERVED = /^(con|prn|aux|nul|clock\$|conin\$|conout\$|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3])$/i;
export const MAX_NAME_LENGTH = 100;

/** Split "a.b.pdf" into "a.b" and ".pdf" (an extension of up to 12 characters after the last dot). */
export function splitExtension(name: string): { stem: string; ext: string } {
  const i = name.lastIndexOf(".");
  if (i <= 0 || name.length - i > 13) return { stem: name, ext: "" };
  return { stem: name.slice(0, i), ext: name.slice(i) };
}

/**
 * One safe path segment from a name that came from mail or a user: no separators, no "..", no control or bidi
 * characters, no leading or trailing dots and spaces, not a reserved device name (CON, NUL, COM1, ...), at most
 * MAX_NAME_LENGTH characters with its extension kept. Never empty.
 */
export function sanitizeFileName(name: string, fallback = "file", maxLength = MAX_NAME_LENGTH): string {
  let s = name
    .normalize("NFC")
    .replace(CONTROL, " ")
    .replace(INVISIBLE, "")
    .replace(SEPARATORS, "_")
    .replace(/\s+/g, " ")
    .replace(/\.{2,}/g, ".")
    .replace(/^[\s.]+|[\s.]+$/g, "");
  const chars = Array.from(s);
  if (chars.length > maxLength) {
    const { stem, ext } = splitExtension(s);
    const keep = Math.max(1, maxLength - Array.from(ext).length);
    s = `${Array.from(stem)
      .slice(0, keep)
      .join("")
      .replace(/[\s.]+$/g, "")}${ext}`;
  }
  const first = s.split(".")[0]?.trim() ?? "";
  if (RESERVED.test(first)) s = `_${s}`;
  return s || fallback;
}

/** Hands out unique paths inside the zip; a taken name (compared case-insensitively) becomes "name (2).ext". */
export class NameAllocator {
  private readonly used = new Set<string>();

  /** A unique `dir/name` (dir may be ""); `name` must already be sanitized. */
  take(dir: string, name: string): string {
    const { stem, ext } = splitExtension(name);
    for (let i = 1; ; i++) {
      const candidate = i === 1 ? name : `${stem} (${i})${ext}`;
      const path = dir ? `${dir}/${candidate}` : candidate;
      const key = path.toLowerCase();
      if (!this.used.has(key)) {
        this.used.add(key);
        return path;
      }
    }
  }
}
