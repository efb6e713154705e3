/**
 * Classify a mortgage servicer's email reply (Regulation X correspondence) into one of six classes, with a
 * confidence; below the threshold it is needs-review, which meets no clock until the user says what it is.
 *
 * Pure: no fs, network, environment or clock. The method, chosen on evidence (README, "How replies are
 * classified"): a softmax (multinomial logistic) regression over the features of reply-features.ts (words, word
 * pairs, character n-grams, the hand-written cues of reply-cues.ts, the auto-reply headers), trained by
 * scripts/train-classifier.mjs on test/fixtures/replies and stored as data in reply-model.ts. Its probabilities
 * are calibrated (one temperature, fitted on cross-validation) and the thresholds that turn a doubtful answer into
 * needs-review were chosen there too, so that a reply is read as meeting a clock only when the model is sure.
 * A correction the user made to a near-identical reply from the same servicer decides first (reply-corrections.ts).
 */
import { IntMap } from "./int-table.js";
import { NEEDS_REVIEW, REPLY_CLASSES, type ReplyClass, type StoredReplyClass } from "./reply-classes.js";
import { type HomeCorrections, mayName, nearestCorrection } from "./reply-corrections.js";
import { type FeatureVector, hashName, type ReplyInput, replyFeatures } from "./reply-features.js";
import { REPLY_MODEL } from "./reply-model.js";

export { stripQuoted } from "./reply-text.js";
export { REPLY_CLASSES, type ReplyClass, type StoredReplyClass };
export type ReplyFeatures = ReplyInput;

/** When a reply is sure enough to be stored as its best class (else needs-review): see decide(). */
export interface ReplyThresholds {
  /** For response and exception, which meet the response clocks (and the acknowledgment ones). */
  substantive: number;
  /** For acknowledgment and extension, which meet the acknowledgment clocks. */
  acknowledging: number;
  /** For other and documents-requested, which meet none. */
  other: number;
  /** A response or exception must also read as an answer to the borrower (ANSWER_SIGNALS). */
  answer: boolean;
}

/** A trained model, as scripts/train-classifier.mjs writes it into reply-model.ts. */
export interface ReplyModelData {
  /** When and on what it was trained (for `classify --explain`). */
  trainedOn: string;
  classes: readonly string[];
  /** Calibration: logits are multiplied by it before the softmax. */
  temperature: number;
  thresholds: ReplyThresholds;
  bias: readonly number[];
  /** Weights are stored as integers: the real weight times `scale`. */
  scale: number;
  /** One feature a line: its name, a tab, its weight for each class in `classes` order, comma-separated. */
  weights: string;
}

export interface Classification {
  /** The class as stored: one of the six, or needs-review when the classifier is not sure enough. */
  class: StoredReplyClass;
  /** The classifier's best class, also when the reply needs review. */
  guess: ReplyClass;
  /** How sure: the calibrated probability of `guess` (or, after a user's correction, the wording's similarity). */
  confidence: number;
  /** Short human phrases saying what decided, strongest first. */
  reasons: string[];
  /** The message whose class the user set and whose wording this reply repeats, when that decided. */
  correctedBy?: number;
}

export interface Contribution {
  /** What a person reads: a word or phrase of the reply, a cue, a header. */
  label: string;
  /** How much it moved the score of the best class against the runner-up (log-odds). */
  weight: number;
}

export interface Explanation {
  classification: Classification;
  /** The calibrated probability of each class. */
  probabilities: Record<ReplyClass, number>;
  runnerUp: ReplyClass;
  /** What pushed the best class ahead of the runner-up, strongest first, and what held it back. */
  for: Contribution[];
  against: Contribution[];
}

export interface ClassifyOptions {
  /** The user's own corrections in this home (per-home adjustment). */
  corrections?: HomeCorrections;
  /** The servicer the reply came from, when known: corrections count only within one servicer. */
  servicerId?: number | null;
  /** Whose file the reply goes into: a correction in another client's file decides without being named. */
  clientId?: number | null;
  model?: ReplyModelData;
}

/** Classes that meet the response clocks (12 C.F.R. 1024.35(e), 1024.36(d)). */
const SUBSTANTIVE: ReadonlySet<ReplyClass> = new Set(["response", "exception"]);
/** Classes that meet only the acknowledgment clocks (12 C.F.R. 1024.35(d), 1024.36(c)). */
const ACKNOWLEDGING: ReadonlySet<ReplyClass> = new Set(["acknowledgment", "extension"]);

interface LoadedModel {
  data: ReplyModelData;
  /** Feature key (hashName of its name) → its row in `weights`. */
  rows: IntMap;
  /** Row-major: the weight of each feature for each class, in REPLY_CLASSES order. */
  weights: Float64Array;
}

const K = REPLY_CLASSES.length;
const loaded = new WeakMap<ReplyModelData, LoadedModel>();

/** Decode the stored weights once: lines of "name<TAB>w1,w2,..." (times `scale`), classes in the model's order. */
function load(data: ReplyModelData): LoadedModel {
  const cached = loaded.get(data);
  if (cached) return cached;
  const order = REPLY_CLASSES.map((c) => data.classes.indexOf(c));
  if (order.some((i) => i < 0)) throw new Error("reply model: its classes do not match REPLY_CLASSES");
  const lines = data.weights.split("\n").filter((l) => l.includes("\t"));
  const rows = new IntMap(lines.length);
  const weights = new Float64Array(lines.length * K);
  lines.forEach((line, row) => {
    const tab = line.lastIndexOf("\t");
    const w = line.slice(tab + 1).split(",");
    rows.set(hashName(line.slice(0, tab)), row);
    order.forEach((i, k) => {
      weights[row * K + k] = Number(w[i] ?? 0) / data.scale;
    });
  });
  const model = { data, rows, weights };
  loaded.set(data, model);
  return model;
}

/**
 * Typed arrays of doubles, not arrays: a plain array's element kind (small integers or doubles) depended on the
 * values, and the optimizing compiler threw away `score` at each change (500 times in a sync of 1,030 replies).
 */
function softmax(scores: Float64Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const s of scores) if (s > max) max = s;
  const e = scores.map((s) => Math.exp(s - max));
  let sum = 0;
  for (const x of e) sum += x;
  return e.map((x) => x / sum);
}

function pct(p: number): string {
  return `${Math.round(p * 100)}%`;
}

/**
 * The decision on calibrated probabilities (in REPLY_CLASSES order): the best class when the model is sure
 * enough, else needs-review with why. The more clocks a class meets, the surer the model must be (`thresholds`);
 * with `answer`, a response or exception must also read as an answer to the borrower (`answers`).
 */
export function decide(
  p: ArrayLike<number>,
  answers: readonly string[],
  t: ReplyThresholds,
): { class: StoredReplyClass; guess: ReplyClass; confidence: number; why: string | null } {
  let best = 0;
  for (let k = 1; k < p.length; k++) if ((p[k] ?? 0) > (p[best] ?? 0)) best = k;
  const guess = REPLY_CLASSES[best] as ReplyClass;
  const confidence = p[best] ?? 0;
  const review = (why: string) => ({ class: NEEDS_REVIEW as StoredReplyClass, guess, confidence, why });
  const need = SUBSTANTIVE.has(guess) ? t.substantive : ACKNOWLEDGING.has(guess) ? t.acknowledging : t.other;
  if (confidence < need) {
    const meets = need === t.other ? "" : " to meet a clock";
    return review(`needs review: ${pct(confidence)} sure it is ${guess}, below the ${pct(need)} needed${meets}`);
  }
  if (t.answer && SUBSTANTIVE.has(guess) && answers.length === 0) {
    return review(`needs review: reads as ${guess} but neither refers to the letter nor reports a review`);
  }
  return { class: guess, guess, confidence, why: null };
}

/** A reply read and scored: its features, the model row of each, the calibrated probabilities. */
interface Scored {
  model: LoadedModel;
  v: FeatureVector;
  rowOf: Int32Array;
  p: Float64Array;
  best: number;
  second: number;
}

function score(f: ReplyFeatures, data: ReplyModelData): Scored {
  const model = load(data);
  const v = replyFeatures(f);
  const t = model.data.temperature;
  const logits = new Float64Array(K);
  for (let k = 0; k < K; k++) {
    logits[k] = (model.data.bias[model.data.classes.indexOf(REPLY_CLASSES[k] as string)] ?? 0) * t;
  }
  const rowOf = new Int32Array(v.keys.length);
  const w = model.weights;
  for (let j = 0; j < v.keys.length; j++) {
    const row = model.rows.get(v.keys[j] ?? 0);
    rowOf[j] = row;
    if (row < 0) continue;
    const x = (v.values[j] ?? 0) * t;
    for (let k = 0; k < K; k++) logits[k] = (logits[k] ?? 0) + (w[row * K + k] ?? 0) * x;
  }
  const p = softmax(logits);
  let best = 0;
  for (let k = 1; k < K; k++) if ((p[k] ?? 0) > (p[best] ?? 0)) best = k;
  let second = best === 0 ? 1 : 0;
  for (let k = 0; k < K; k++) if (k !== best && (p[k] ?? 0) > (p[second] ?? 0)) second = k;
  return { model, v, rowOf, p, best, second };
}

/** What each label (a word with its character n-grams, a phrase, a cue) did for `best` against `second`. */
function byLabel(s: Scored): Map<string, number> {
  const { v, rowOf, model, best, second } = s;
  const sums = new Float64Array(v.labels.length);
  const t = model.data.temperature;
  for (let j = 0; j < rowOf.length; j++) {
    const row = rowOf[j] as number;
    if (row < 0) continue;
    const d = (model.weights[row * K + best] ?? 0) - (model.weights[row * K + second] ?? 0);
    const l = v.labelOf[j] ?? 0;
    sums[l] = (sums[l] ?? 0) + (v.values[j] ?? 0) * d * t;
  }
  const merged = new Map<string, number>();
  for (let l = 0; l < sums.length; l++) {
    const x = sums[l] as number;
    if (Math.abs(x) < 0.005) continue;
    const label = v.labels[l] ?? "";
    merged.set(label, (merged.get(label) ?? 0) + x);
  }
  return merged;
}

/** Whether a contribution of `weight` for `label` comes before `c`: the greater weight, then the label's order. */
function comesBefore(weight: number, label: string, c: Contribution): boolean {
  return weight > c.weight || (weight === c.weight && label < c.label);
}

const byWeight = (a: Contribution, b: Contribution) =>
  comesBefore(a.weight, a.label, b) ? -1 : comesBefore(b.weight, b.label, a) ? 1 : 0;

function signed(x: number): string {
  return `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(2)}`;
}

/** The stored classification: the decision, its reasons, and a user's correction when one decides. */
function classification(f: ReplyFeatures, s: Scored, forBest: Contribution[], opts: ClassifyOptions): Classification {
  const d = decide(s.p, s.v.answers, s.model.data.thresholds);
  const runnerUp = REPLY_CLASSES[s.second] as ReplyClass;
  const reasons = [
    `${d.guess} ${pct(d.confidence)}, next ${runnerUp} ${pct(s.p[s.second] ?? 0)}`,
    ...forBest.slice(0, 4).map((c) => `${c.label} ${signed(c.weight)}`),
  ];
  if (d.why) reasons.unshift(d.why);
  const near = opts.corrections ? nearestCorrection(opts.corrections, f, opts.servicerId ?? null) : null;
  if (!near) return { class: d.class, guess: d.guess, confidence: d.confidence, reasons };
  const named = mayName(near, opts.clientId);
  const like = named ? `like message ${near.messageId}` : "like a reply in another client's file";
  return {
    class: near.class,
    guess: near.class,
    confidence: near.similarity,
    reasons: [
      `${like}, which you classified as ${near.class} (${pct(near.similarity)} the same wording, same servicer)`,
      ...reasons.map((r) => `model: ${r}`),
    ],
    ...(named ? { correctedBy: near.messageId } : {}),
  };
}

/** Classify a reply and say why: the probabilities, and what moved the best class ahead of the runner-up. */
export function explainReply(f: ReplyFeatures, opts: ClassifyOptions = {}): Explanation {
  const s = score(f, opts.model ?? REPLY_MODEL);
  const all = [...byLabel(s).entries()].map(([label, weight]) => ({ label, weight })).sort(byWeight);
  const forBest = all.filter((c) => c.weight > 0);
  const against = all.filter((c) => c.weight < 0).reverse();
  const probabilities = Object.fromEntries(REPLY_CLASSES.map((c, k) => [c, s.p[k] ?? 0])) as Record<ReplyClass, number>;
  const runnerUp = REPLY_CLASSES[s.second] as ReplyClass;
  return { classification: classification(f, s, forBest, opts), probabilities, runnerUp, for: forBest, against };
}

/** Read the model's weights now (16 ms), while something else waits, rather than at the first reply. */
export function loadReplyModel(data: ReplyModelData = REPLY_MODEL): void {
  load(data);
}

/** How many contributions a stored classification names among its reasons. */
const TOP_REASONS = 4;

/** Classify a reply: its class (or needs-review), confidence and the few reasons that decided. */
export function classifyReply(f: ReplyFeatures, opts: ClassifyOptions = {}): Classification {
  const s = score(f, opts.model ?? REPLY_MODEL);
  // The best few by byWeight, kept in order as the labels go by: a sync classifies every reply it takes in, and
  // sorting at each label (or making an object for each) was a tenth of the classifier's time and garbage.
  const top: Contribution[] = [];
  for (const [label, weight] of byLabel(s)) {
    if (weight <= 0) continue;
    let at = top.length;
    while (at > 0 && comesBefore(weight, label, top[at - 1] as Contribution)) at--;
    if (at >= TOP_REASONS) continue;
    top.splice(at, 0, { label, weight });
    if (top.length > TOP_REASONS) top.pop();
  }
  return classification(f, s, top, opts);
}
