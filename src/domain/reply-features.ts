/**
 * What the reply classifier sees: a reply turned into named features. Shared by the classifier (classify.ts) and
 * its training script (scripts/train-classifier.mjs, which imports the built copy), so that a model is always
 * trained on exactly the features it is later given.
 *
 * The reply's own words only: quoted earlier mail is removed first (stripQuoted), and so is any sentence that
 * repeats one of our own letters word for word (a servicer that pastes the borrower's letter below its answer).
 * Features, each with the words a person would recognise as its source:
 *  - words and word pairs of each sentence; a sentence that states a possibility ("we may extend", "if we need
 *    documents") gives its words under a separate name, so "may extend" does not count as "extended";
 *  - character 4-grams of each word, which carry over to misspellings and to inflected Spanish (3- to 5-grams
 *    did no better in cross-validation, at twice the features);
 *  - the hand-written cues of reply-cues.ts (phrases and concept pairs, hedge-aware) that fire;
 *  - the subject's words (without Re:, our tag and the account number), the auto-reply headers.
 * Each group is scaled to a fixed length, so a long letter does not outvote a short one by its size alone.
 */
import { IntSet } from "./int-table.js";
import type { ReplyClass } from "./reply-classes.js";
import { ANSWER_SIGNALS, CUES, type Cue, HEDGEABLE } from "./reply-cues.js";
import { flatten, normalise, type Sentence, sentences, stripQuoted, withoutOwnText } from "./reply-text.js";

export interface ReplyInput {
  subject: string;
  /** Plain-text body (HTML already converted to text by the caller); may be "". */
  text: string;
  /** Auto-Submitted header value, e.g. "auto-replied", "auto-generated", "no". */
  autoSubmitted?: string | null;
  /** X-Autoreply / X-Autorespond header value. */
  xAutoreply?: string | null;
  /** Precedence header, e.g. "auto_reply", "bulk", "list", "junk". */
  precedence?: string | null;
  /** The text of our own letters (to the same servicer): sentences of the reply that repeat them are ignored. */
  ownLetters?: readonly string[];
}

/**
 * The features of one reply: parallel lists of keys (a 32-bit FNV-1a hash of each feature's name, see hashName),
 * values, and what each came from (an index into `labels`, for explanations); their names only when asked for
 * (training). Hashing lets a reply be read without building a string for each of its character n-grams.
 */
export interface FeatureVector {
  keys: number[];
  values: number[];
  /** Each feature's group: "word" (words and word pairs), "char", "subject", "cue", "header". */
  groups: FeatureGroup[];
  /** For each feature, the index in `labels` of what a person reads as its source. */
  labelOf: number[];
  /** The words, phrases, cues and headers the features came from ("extended", extension cue "..."). */
  labels: string[];
  /** The features' names ("w:extended", "c:ten"), only with `names: true`. */
  names: string[] | null;
  /** The reply's own sentences, as classified. */
  body: Sentence[];
  /** Signs that it answers the borrower: it refers to their letter, reports a review, or replies to our subject. */
  answers: string[];
}

export type FeatureGroup = "word" | "char" | "subject" | "cue" | "header";
type Group = FeatureGroup;

/** Relative weight of each feature group (each group is scaled to this length). */
export const GROUP_WEIGHT: Readonly<Record<Group, number>> = {
  word: 1,
  char: 1,
  subject: 0.5,
  cue: 0.3,
  header: 0.3,
};

/** The lengths of the character n-grams. */
const CHARS: readonly [number, number] = [4, 4];

const FNV_OFFSET = 0x811c9dc5;

/** Continue a 32-bit FNV-1a hash over the characters of `s`. */
function hashOn(h: number, s: string): number {
  let x = h;
  for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), 16777619);
  return x;
}

/** 30 bits: small integers, which the JavaScript engine stores and compares without allocating. */
const KEY_MASK = 0x3fffffff;

/** The key of a feature name: how the model's weights are looked up (reply-model.ts stores names). */
export function hashName(name: string): number {
  return hashOn(FNV_OFFSET, name) & KEY_MASK;
}

const H = {
  w: hashOn(FNV_OFFSET, "w:"),
  b: hashOn(FNV_OFFSET, "b:"),
  hw: hashOn(FNV_OFFSET, "h:w:"),
  hb: hashOn(FNV_OFFSET, "h:b:"),
  c: hashOn(FNV_OFFSET, "c:"),
};
const UNDERSCORE = 95;
const SPACE = 32;

/** The keys already added for the reply being read (one reply at a time: the classifier is synchronous). */
const SEEN = new IntSet();

class Builder {
  private readonly index: IntSet;
  readonly keys: number[] = [];
  readonly groups: Group[] = [];
  readonly labelOf: number[] = [];
  readonly labels: string[] = [];
  readonly names: string[] | null;
  constructor(
    names: boolean,
    readonly weight: Readonly<Record<Group, number>>,
    readonly chars: readonly [number, number],
  ) {
    this.names = names ? [] : null;
    SEEN.clear();
    this.index = SEEN;
  }
  label(text: string): number {
    this.labels.push(text);
    return this.labels.length - 1;
  }
  /** Add a feature by its hashed key; its name is kept only for training (build it only when `names`). */
  add(group: Group, key: number, label: number, name: string): void {
    const k = key & KEY_MASK;
    if (!this.index.add(k)) return;
    this.keys.push(k);
    this.groups.push(group);
    this.labelOf.push(label);
    this.names?.push(name);
  }
  named(group: Group, name: string, label: number): void {
    this.add(group, hashOn(FNV_OFFSET, name), label, name);
  }
  /** Binary features, each group scaled to unit length times its weight (cues and headers count one each). */
  values(): number[] {
    // Counted in plain variables: an object keyed by group name cost a tenth of the classifier's time.
    let word = 0;
    let char = 0;
    let subject = 0;
    for (const g of this.groups) {
      if (g === "word") word++;
      else if (g === "char") char++;
      else if (g === "subject") subject++;
    }
    const w = this.weight;
    const wordValue = w.word / Math.sqrt(word || 1);
    const charValue = w.char / Math.sqrt(char || 1);
    const subjectValue = w.subject / Math.sqrt(subject || 1);
    const out: number[] = [];
    for (const g of this.groups) {
      out.push(g === "word" ? wordValue : g === "char" ? charValue : g === "subject" ? subjectValue : w[g]);
    }
    return out;
  }
}

const MONTH = "(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?";
const MES = "(?:enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre)";
const PLACEHOLDERS: [RegExp, string][] = [
  [/\$\s?\d[\d,]*(?:\.\d+)?/g, " zmoney "],
  [/\b\d[\d,]*\.\d\d\b/g, " zmoney "],
  [/\b\d{1,4}[/.-]\d{1,2}(?:[/.-]\d{2,4})?\b/g, " zdate "],
  [new RegExp(`\\b${MONTH} \\d{1,2}(?:st|nd|rd|th)?(?:,? \\d{4})?\\b`, "g"), " zdate "],
  [new RegExp(`\\b\\d{1,2} (?:de )?${MES}(?: (?:de |del )?\\d{4})?\\b`, "g"), " zdate "],
  [/\b[a-z]+\d[a-z\d]*\b|\b\d+[a-z][a-z\d]*\b/g, " zid "],
];

/** How the placeholders read in an explanation (labels only: the features keep the placeholder). */
const PLACEHOLDER_WORDS: Readonly<Record<string, string>> = {
  zmoney: "<amount>",
  zdate: "<date>",
  zid: "<reference>",
  znum: "<number>",
  zyear: "<year>",
};

/** Characters outside ASCII: only then can a text hold accents to take off. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Words as the classifier reads them: lower case, no accents, amounts, dates and numbers as placeholders.
 * `normalised`: the text has been through normalise() already (a sentence of sentences()), which is not redone.
 */
export function words(text: string, normalised = false): string[] {
  let t = (normalised ? text : normalise(text)).toLowerCase();
  if (NON_ASCII.test(t)) t = t.normalize("NFD").replace(/\p{M}+/gu, "");
  for (const [re, to] of PLACEHOLDERS) t = t.replace(re, to);
  const out: string[] = [];
  for (const w of t.match(/[a-z0-9]+(?:'[a-z]+)?/g) ?? []) {
    if (/^\d+$/.test(w)) out.push(w.length <= 2 ? w : /^(?:19|20)\d\d$/.test(w) ? "zyear" : "znum");
    else out.push(w);
  }
  return out;
}

/** The character n-grams of a word padded with "_" ("_ten_": "_te", "ten", "en_", "_ten", ...), hashed in place. */
function addCharGrams(b: Builder, w: string, label: number): void {
  const [CHAR_MIN, CHAR_MAX] = b.chars;
  const len = w.length + 2;
  const code = (k: number) => (k === 0 || k === len - 1 ? UNDERSCORE : w.charCodeAt(k - 1));
  for (let j = 0; j + CHAR_MIN <= len; j++) {
    let h = H.c;
    for (let k = j; k < j + CHAR_MAX && k < len; k++) {
      h = Math.imul(h ^ code(k), 16777619);
      const n = k - j + 1;
      if (n >= CHAR_MIN) b.add("char", h, label, b.names ? `c:${`_${w}_`.slice(j, j + n)}` : "");
    }
  }
}

function addWords(b: Builder, s: Sentence): void {
  const ws = words(s.text, true);
  const hedged = s.hedged;
  const pre = hedged ? "h:" : "";
  const shown = ws.map((w) => PLACEHOLDER_WORDS[w] ?? w);
  const labels = shown.map((w) => b.label(hedged ? `"${w}" (possibility)` : `"${w}"`));
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i] as string;
    const label = labels[i] as number;
    b.add("word", hashOn(hedged ? H.hw : H.w, w), label, b.names ? `${pre}w:${w}` : "");
    const next = ws[i + 1];
    if (next !== undefined) {
      const both = `${shown[i]} ${shown[i + 1]}`;
      const pair = b.label(hedged ? `"${both}" (possibility)` : `"${both}"`);
      const key = hashOn(Math.imul(hashOn(hedged ? H.hb : H.b, w) ^ SPACE, 16777619), next);
      b.add("word", key, pair, b.names ? `${pre}b:${w} ${next}` : "");
    }
    if (!hedged && !w.startsWith("z") && w.length >= 2) addCharGrams(b, w, label);
  }
}

function quote(s: string): string {
  const t = s.replace(/\s+/g, " ").trim();
  return t.length > 50 ? `${t.slice(0, 47)}...` : t;
}

/** A cue ready to test: its class, the feature names it sets, and its patterns for the whole-text pre-test. */
interface PreparedCue {
  cls: ReplyClass;
  cue: Cue;
  hedgeable: boolean;
  name: string;
  hedgedName: string;
  /**
   * The cue's patterns for the pre-test on the joined text in lower case: "^" matching at each line (so a match
   * in any sentence is a match in the joined text) and case-sensitive (faster; every cue is written in lower case).
   */
  pre: RegExp;
  preAnd: RegExp | null;
}

const multiline = (re: RegExp) => new RegExp(re.source, `${re.flags.replace(/[gimy]/g, "")}m`);

const PREPARED: PreparedCue[] = (Object.keys(CUES) as ReplyClass[]).flatMap((cls) =>
  CUES[cls].map((cue, i) => ({
    cls,
    cue,
    hedgeable: HEDGEABLE.has(cls) && cue.hedgeable !== false,
    name: `q:${cls}:${i}`,
    hedgedName: `qh:${cls}:${i}`,
    pre: multiline(cue.re),
    preAnd: cue.and ? multiline(cue.and) : null,
  })),
);

/** Which of the hand-written cues fire: `q:` in a plain sentence, `qh:` only in a hedged one. */
function addCues(b: Builder, body: Sentence[]): void {
  // One test of each cue on the whole text first: most cues are absent, and then no sentence needs trying.
  const all = body
    .map((s) => s.text)
    .join("\n")
    .toLowerCase();
  for (const c of PREPARED) {
    if (!c.pre.test(all) || (c.preAnd && !c.preAnd.test(all))) continue;
    let hedged: string | null = null;
    let plain: string | null = null;
    for (const s of body) {
      const m = c.cue.re.exec(s.text);
      if (!m || (c.cue.and && !c.cue.and.test(s.text))) continue;
      if (c.hedgeable && s.hedged) {
        hedged ??= m[0];
        continue;
      }
      plain = m[0];
      break;
    }
    if (plain !== null) b.named("cue", c.name, b.label(`${c.cls} cue "${quote(plain)}"`));
    else if (hedged !== null) b.named("cue", c.hedgedName, b.label(`possibility only "${quote(hedged)}"`));
  }
}

/** Signs of an answer (ANSWER_SIGNALS) in a plain sentence, and a subject that replies to ours. */
function addAnswerSignals(b: Builder, body: Sentence[], subject: string): string[] {
  const found: string[] = [];
  for (const [id, re] of Object.entries(ANSWER_SIGNALS)) {
    for (const s of body) {
      const m = s.hedged ? null : re.exec(s.text);
      if (!m) continue;
      const what = id === "refers" ? "refers to the borrower's letter" : "reports a review";
      b.named("cue", `a:${id}`, b.label(`${what} "${quote(m[0])}"`));
      found.push(id);
      break;
    }
  }
  if (/^\s*(?:re|rv|aw|sv)\s*:/i.test(subject) || /\[LM-[A-Z0-9]+-\d+\]/i.test(subject)) {
    b.named("cue", "a:reply-subject", b.label(`subject answers ours "${quote(subject)}"`));
    found.push("reply-subject");
  }
  return found;
}

/** Auto-reply headers (RFC 3834): auto-replied answers the borrower's message; auto-generated is any machine mail. */
function addHeaders(b: Builder, f: ReplyInput): void {
  const as = f.autoSubmitted?.trim().toLowerCase();
  const xa = f.xAutoreply?.trim();
  const pr = f.precedence?.trim().toLowerCase();
  if (as && as !== "no") {
    const kind = as.startsWith("auto-generated") ? "hdr:generated" : "hdr:replied";
    b.named("header", kind, b.label(`header Auto-Submitted: ${as}`));
  }
  if (xa && !/^(?:no|false|0)$/i.test(xa)) {
    b.named("header", "hdr:replied", b.label(`header X-Autoreply: ${xa}`));
  }
  if (pr === "auto_reply" || pr === "auto-reply") {
    b.named("header", "hdr:replied", b.label(`header Precedence: ${pr}`));
  } else if (pr === "bulk" || pr === "list" || pr === "junk") {
    b.named("header", "hdr:bulk", b.label(`header Precedence: ${pr}`));
  }
}

/** The subject's own words: without Re:/Fwd:, our case tag and the account number we wrote. */
function addSubject(b: Builder, subject: string): void {
  const s = subject
    .replace(/^\s*(?:(?:re|fw|fwd|aw|rv|sv|tr)\s*:\s*)+/i, "")
    .replace(/\[LM-[A-Z0-9]+-\d+\]/gi, "")
    .replace(/\baccount number\s+\S+/i, "");
  const ws = words(s);
  for (let i = 0; i < ws.length; i++) {
    b.named("subject", `s:${ws[i]}`, b.label(`subject "${ws[i]}"`));
    if (i + 1 < ws.length) b.named("subject", `sb:${ws[i]} ${ws[i + 1]}`, b.label(`subject "${ws[i]} ${ws[i + 1]}"`));
  }
}

/** Our letters as withoutOwnText looks in them, flattened once per list (a sync passes one list to every reply). */
const flattened = new WeakMap<readonly string[], string[]>();
function flatLetters(letters: readonly string[] | undefined): string[] {
  if (!letters) return [];
  let flat = flattened.get(letters);
  if (!flat) {
    flat = letters.map(flatten);
    flattened.set(letters, flat);
  }
  return flat;
}

/** The reply's own sentences: quoted mail and repeats of our own letters removed. */
export function ownSentences(f: Pick<ReplyInput, "text" | "ownLetters">): Sentence[] {
  const body = sentences(stripQuoted(f.text ?? ""));
  return withoutOwnText(body, flatLetters(f.ownLetters));
}

/**
 * The features of a reply. `names` keeps each feature's name (for training); `weight` is for experiments with
 * the group weights (scripts/classifier-training.mjs).
 */
export function replyFeatures(
  f: ReplyInput,
  opts: { names?: boolean; weight?: Readonly<Record<Group, number>>; chars?: readonly [number, number] } = {},
): FeatureVector {
  const b = new Builder(opts.names === true, opts.weight ?? GROUP_WEIGHT, opts.chars ?? CHARS);
  const body = ownSentences(f);
  for (const s of body) addWords(b, s);
  addCues(b, body);
  const answers = addAnswerSignals(b, body, f.subject ?? "");
  addHeaders(b, f);
  addSubject(b, f.subject ?? "");
  const { keys, groups, labelOf, labels, names } = b;
  return { keys, values: b.values(), groups, labelOf, labels, names, body, answers };
}
