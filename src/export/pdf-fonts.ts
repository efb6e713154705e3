/**
 * The fonts loanmail's PDFs print with. Noto Sans comes from font packages on npm, installed with loanmail:
 * `@fontsource/noto-sans` (Latin with Vietnamese, Greek, Cyrillic; a dependency) and `@fontsource/noto-sans-sc`
 * and `@fontsource/noto-sans-kr` (Chinese and Korean; optional dependencies, left out by `npm install
 * --omit=optional`). Each package holds the font cut into subsets by Unicode range (its unicode.json); a piece of
 * text is printed as runs, each in the subset file that holds its characters, and pdfkit embeds only the glyphs
 * used. The .woff files are read, not the .woff2 ones: fontkit's subsetter fails on the glyphs of the latter.
 *
 * Without `@fontsource/noto-sans` (a broken install) the PDFs fall back to pdfkit's standard Times, which can
 * only show Windows-1252: anything else prints as "?", and the builders report which characters were lost so
 * that the command says so. `fontStatus()` tells `loanmail doctor` what was found.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export type Weight = 400 | 700;

/** A stretch of text printed in one font: `font` is the name it is registered under in the document. */
export interface Run {
  font: string;
  /** The font file (woff), or null for a standard PDF font. */
  src: string | null;
  text: string;
}

interface Subset {
  /** "latin", "vietnamese", "[12]" as unicode.json names them. */
  name: string;
  ranges: readonly (readonly [number, number])[];
}

interface Family {
  pkg: string;
  version: string;
  /** The file prefix, e.g. "noto-sans-sc". */
  id: string;
  dir: string;
  /** [start, end, subset index], sorted by start, for a binary search. */
  table: readonly (readonly [number, number, number])[];
  subsets: readonly Subset[];
}

/** A font package loanmail uses and what it is for. */
interface FontPackage {
  pkg: string;
  covers: string;
  optional: boolean;
}

const PACKAGES: readonly FontPackage[] = [
  { pkg: "@fontsource/noto-sans", covers: "Latin (with Vietnamese), Greek, Cyrillic", optional: false },
  { pkg: "@fontsource/noto-sans-sc", covers: "Chinese", optional: true },
  { pkg: "@fontsource/noto-sans-kr", covers: "Korean", optional: true },
];

const STANDARD: Record<Weight, string> = { 400: "Times-Roman", 700: "Times-Bold" };

function parseRanges(spec: string): [number, number][] {
  const out: [number, number][] = [];
  for (const part of spec.split(",")) {
    const m = /^\s*U\+([0-9a-f]+)(?:-([0-9a-f]+))?\s*$/i.exec(part);
    if (!m?.[1]) continue;
    const start = Number.parseInt(m[1], 16);
    out.push([start, m[2] ? Number.parseInt(m[2], 16) : start]);
  }
  return out;
}

/** The package's folder, version and subsets, or null when it is not installed (or not readable). */
function loadFamily(pkg: string): Family | null {
  try {
    const require = createRequire(import.meta.url);
    const unicodeFile = require.resolve(`${pkg}/unicode.json`);
    const dir = dirname(unicodeFile);
    const meta = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { version?: string };
    const spec = JSON.parse(readFileSync(unicodeFile, "utf8")) as Record<string, string>;
    const subsets = Object.entries(spec).map(([name, ranges]) => ({ name, ranges: parseRanges(ranges) }));
    const table = subsets
      .flatMap((s, i) => s.ranges.map(([a, b]) => [a, b, i] as const))
      .sort((x, y) => x[0] - y[0] || x[2] - y[2]);
    return { pkg, version: meta.version ?? "?", id: pkg.replace(/^@fontsource\//, ""), dir, table, subsets };
  } catch {
    return null;
  }
}

const loaded = new Map<string, Family | null>();

/** A font package, or null when it is missing; read once per process, and only when a character needs it. */
function family(pkg: string): Family | null {
  let f = loaded.get(pkg);
  if (f === undefined) {
    f = loadFamily(pkg);
    loaded.set(pkg, f);
  }
  return f;
}

const families = (): (Family | null)[] => PACKAGES.map((p) => family(p.pkg));

/** The subsets of `f` whose ranges hold `cp` (a range list may overlap another's; the first listed wins). */
function subsetsFor(f: Family, cp: number): number[] {
  const out: number[] = [];
  // Ranges are short next to the table, so a scan from the first range that could hold cp is enough.
  let lo = 0;
  let hi = f.table.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((f.table[mid]?.[0] ?? 0) <= cp) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo - 1; i >= 0 && i >= lo - 64; i--) {
    const [a, b, s] = f.table[i] ?? [0, -1, 0];
    if (a <= cp && cp <= b && !out.includes(s)) out.push(s);
  }
  return out.sort((x, y) => x - y);
}

function fileOf(f: Family, subset: Subset, weight: Weight): string {
  return join(f.dir, "files", `${f.id}-${subset.name.replace(/[[\]]/g, "")}-${weight}-normal.woff`);
}

const existing = new Map<string, boolean>();
function fileExists(path: string): boolean {
  let ok = existing.get(path);
  if (ok === undefined) {
    ok = existsSync(path);
    existing.set(path, ok);
  }
  return ok;
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7af\ud7b0-\ud7ff]/;

/** Korean letters are taken from the Korean font first: the Chinese font has some Hangul, drawn differently. */
function familyOrder(ch: string, pkgs: readonly string[]): string[] {
  if (!HANGUL.test(ch)) return [...pkgs];
  return [...pkgs.filter((p) => p.endsWith("-kr")), ...pkgs.filter((p) => !p.endsWith("-kr"))];
}

/** The font file that prints `ch` at `weight`, or null when no installed font has it (of the packages `pkgs`). */
function fileFor(ch: string, weight: Weight, pkgs: readonly string[]): string | null {
  const cp = ch.codePointAt(0) ?? 0;
  for (const pkg of familyOrder(ch, pkgs)) {
    const f = family(pkg);
    if (!f) continue;
    for (const s of subsetsFor(f, cp)) {
      const subset = f.subsets[s];
      if (!subset) continue;
      const file = fileOf(f, subset, weight);
      if (fileExists(file)) return file;
    }
  }
  return null;
}

/** Code points above 0xFF that WinAnsiEncoding still has a glyph for (en dash, curly quotes, euro, ...). */
const WIN_ANSI_EXTRAS = new Set([
  0x0152, 0x0153, 0x0160, 0x0161, 0x0178, 0x017d, 0x017e, 0x0192, 0x02c6, 0x02dc, 0x2013, 0x2014, 0x2018, 0x2019,
  0x201a, 0x201c, 0x201d, 0x201e, 0x2020, 0x2021, 0x2022, 0x2026, 0x2030, 0x2039, 0x203a, 0x20ac, 0x2122,
]);

function isWinAnsi(cp: number): boolean {
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xff) || WIN_ANSI_EXTRAS.has(cp);
}

/**
 * Text as a printer should see it, whatever the font: NFC (so "ầ" is one character with its own glyph), odd-width
 * spaces as spaces (a "?" would look like a typo), invisible characters left invisible, other control characters
 * dropped, non-breaking hyphens and the minus sign as "-".
 */
export function printable(text: string): string {
  let out = "";
  for (const ch of text.normalize("NFC").replace(/\r\n?/g, "\n")) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp === 0x09 || (cp >= 0x2000 && cp <= 0x200a) || cp === 0x202f || cp === 0x205f || cp === 0x3000) out += " ";
    else if (cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0xfeff) continue;
    else if (cp === 0x2010 || cp === 0x2011 || cp === 0x2212) out += "-";
    else if (cp === 0x0a || cp >= 0x20) out += ch;
  }
  return out;
}

/**
 * For the standard fonts, which can only show WinAnsi: anything else would come out as a wrong glyph, so it
 * becomes "?" — visibly lost rather than silently garbled.
 */
export function toWinAnsi(text: string): string {
  let out = "";
  for (const ch of printable(text)) out += isWinAnsi(ch.codePointAt(0) ?? 0) ? ch : "?";
  return out;
}

/**
 * The fonts of one PDF: splits text into runs by font and remembers each character no font could print (it is
 * printed as "?"). Unicode mode needs `@fontsource/noto-sans`; without it every run is a standard font.
 */
export class FontBook {
  readonly unicode: boolean;
  /** Characters printed as "?" because no font found has them. */
  readonly missing = new Set<string>();
  private readonly pkgs: readonly string[];
  private readonly cache = new Map<string, string | null>();

  constructor(options: { standardOnly?: boolean } = {}) {
    this.pkgs = options.standardOnly ? [] : PACKAGES.map((p) => p.pkg);
    this.unicode = this.pkgs.length > 0 && family(PACKAGES[0]?.pkg ?? "") !== null;
  }

  private file(ch: string, weight: Weight): string | null {
    const key = `${weight}${ch}`;
    let file = this.cache.get(key);
    if (file === undefined) {
      file = fileFor(ch, weight, this.pkgs);
      this.cache.set(key, file);
    }
    return file;
  }

  /** `text` (already passed through printable()) as runs of one font each. */
  runs(text: string, weight: Weight): Run[] {
    const out: Run[] = [];
    const push = (src: string | null, ch: string) => {
      const last = out.at(-1);
      if (last && last.src === src) last.text += ch;
      else out.push({ font: src === null ? STANDARD[weight] : fontName(src), src, text: ch });
    };
    for (const ch of text) {
      const cp = ch.codePointAt(0) ?? 0;
      if (!this.unicode) {
        if (!isWinAnsi(cp)) this.missing.add(ch);
        push(null, isWinAnsi(cp) ? ch : "?");
        continue;
      }
      const file = this.file(ch, weight);
      if (file) push(file, ch);
      else {
        this.missing.add(ch);
        push(this.file("?", weight), "?");
      }
    }
    return out;
  }
}

/** The name a woff file is registered under in a document: the file name itself is unique and readable. */
function fontName(src: string): string {
  return src.slice(src.lastIndexOf("/") + 1).replace(/\.woff$/, "");
}

/** Samples of each script a borrower's name may be written in, to check the fonts found print them. */
const SAMPLES = {
  latin: "José Muñoz",
  vietnamese: "Trần Thị Mai",
  chinese: "王小明",
  korean: "김민준",
} as const;

export interface FontPackageStatus {
  name: string;
  /** What it prints. */
  covers: string;
  optional: boolean;
  found: boolean;
  version: string | null;
  /** The package's folder, when found. */
  path: string | null;
}

export interface FontStatus {
  /** The font letters print in. */
  font: string;
  /** False when only the standard PDF fonts (Windows-1252) are available. */
  unicode: boolean;
  /** Whether every sample of each script (regular and bold) has a font file. */
  covers: Record<keyof typeof SAMPLES, boolean>;
  packages: FontPackageStatus[];
  /** What is wrong and what to do, one sentence each; empty when all is well. */
  problems: string[];
}

/** What the PDFs print with, and what to fix (for `loanmail doctor`). */
export function fontStatus(): FontStatus {
  const all = families();
  const pkgs = PACKAGES.map((p) => p.pkg);
  const unicode = all[0] != null;
  const covers = Object.fromEntries(
    Object.entries(SAMPLES).map(([script, sample]) => [
      script,
      [...sample.replace(/\s/g, "")].every((ch) =>
        unicode ? ([400, 700] as const).every((w) => fileFor(ch, w, pkgs) !== null) : isWinAnsi(ch.codePointAt(0) ?? 0),
      ),
    ]),
  ) as FontStatus["covers"];
  const packages = PACKAGES.map((p, i): FontPackageStatus => {
    const f = all[i];
    return {
      name: p.pkg,
      covers: p.covers,
      optional: p.optional,
      found: !!f,
      version: f?.version ?? null,
      path: f?.dir ?? null,
    };
  });
  const problems = packages
    .filter((p) => !p.found)
    .map((p) =>
      p.optional
        ? `${p.name} is not installed: ${p.covers} names print as "?" in PDFs; install loanmail with its optional dependencies (npm install without --omit=optional)`
        : `${p.name} is not installed: PDFs use the standard Times font, and any name outside Windows-1252 prints as "?"; reinstall loanmail (npm install)`,
    );
  for (const [script, ok] of Object.entries(covers)) {
    const pkgMissing = packages.some((p) => !p.found);
    if (!ok && !pkgMissing)
      problems.push(
        `the fonts found do not print ${script} (${SAMPLES[script as keyof typeof SAMPLES]}); reinstall loanmail (npm install)`,
      );
  }
  return {
    font: unicode ? "Noto Sans (embedded)" : "Times (standard PDF font, Windows-1252 only)",
    unicode,
    covers,
    packages,
    problems,
  };
}
