// The reply classifier's training and evaluation, shared by scripts/train-classifier.mjs (which writes the model)
// and the tests. A multinomial logistic regression (softmax) over the features of src/domain/reply-features.ts,
// fitted by full-batch gradient descent (Adam) with an L2 penalty, classes weighted by their inverse frequency.
// Deterministic: no random numbers; the same corpus gives the same weights.
// Needs `npm run build` (it imports the built feature extractor, so training and use see the same features).
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

const root = resolve(import.meta.dirname, "..");
const dist = (p) => pathToFileURL(resolve(root, "dist", p)).href;
const { replyFeatures } = await import(dist("domain/reply-features.js"));
const { REPLY_CLASSES } = await import(dist("domain/reply-classes.js"));

export const CLASSES = [...REPLY_CLASSES];

/** The training options chosen on the development corpus (see the README's "How replies are classified"). */
export const DEFAULTS = { l2: 0.0003, iterations: 300, rate: 0.05, minDocs: 2 };

export function loadItems(files) {
  return files.flatMap((f) =>
    JSON.parse(readFileSync(resolve(root, f), "utf8")).map((it) => ({ ...it, source: f.split("/").pop() })),
  );
}

export function inputOf(item) {
  return { subject: item.subject, text: item.text, ...item.headers };
}

export function featurize(items, opts = {}) {
  return items.map((it) => {
    const v = replyFeatures(inputOf(it), { names: true, weight: opts.groups, chars: opts.chars });
    return {
      id: it.id,
      label: CLASSES.indexOf(it.label),
      names: v.names,
      values: v.values,
      answers: v.answers,
      source: it.source,
    };
  });
}

/** Fit the model on featurized documents. Returns { classes, bias, weights: Map<name, number[]> }. */
export function train(docs, opts = {}) {
  const { l2, iterations, rate, minDocs } = { ...DEFAULTS, ...opts };
  const K = CLASSES.length;
  const df = new Map();
  for (const d of docs) for (const n of d.names) df.set(n, (df.get(n) ?? 0) + 1);
  const vocab = [...df.entries()]
    .filter(([, c]) => c >= minDocs)
    .map(([n]) => n)
    .sort();
  const index = new Map(vocab.map((n, i) => [n, i]));
  const rows = docs.map((d) => {
    const idx = [];
    const val = [];
    d.names.forEach((n, j) => {
      const i = index.get(n);
      if (i !== undefined) {
        idx.push(i);
        val.push(d.values[j]);
      }
    });
    return { idx: Int32Array.from(idx), val: Float64Array.from(val), y: d.label };
  });
  const count = new Array(K).fill(0);
  for (const r of rows) count[r.y]++;
  const classWeight = count.map((c) => (c === 0 ? 0 : opts.flat ? 1 : rows.length / (K * c)));
  const totalWeight = rows.reduce((s, r) => s + classWeight[r.y], 0);

  const F = vocab.length;
  const W = new Float64Array(F * K);
  const b = new Float64Array(K);
  const adam = {
    mW: new Float64Array(F * K),
    vW: new Float64Array(F * K),
    mb: new Float64Array(K),
    vb: new Float64Array(K),
  };
  const gW = new Float64Array(F * K);
  const gb = new Float64Array(K);
  const p = new Float64Array(K);
  const b1 = 0.9;
  const b2 = 0.999;
  for (let t = 1; t <= iterations; t++) {
    gW.fill(0);
    gb.fill(0);
    for (const r of rows) {
      for (let k = 0; k < K; k++) p[k] = b[k];
      for (let j = 0; j < r.idx.length; j++) {
        const base = r.idx[j] * K;
        const x = r.val[j];
        for (let k = 0; k < K; k++) p[k] += W[base + k] * x;
      }
      softmaxInPlace(p);
      const cw = classWeight[r.y] / totalWeight;
      for (let k = 0; k < K; k++) {
        const g = (p[k] - (k === r.y ? 1 : 0)) * cw;
        gb[k] += g;
        if (g === 0) continue;
        for (let j = 0; j < r.idx.length; j++) gW[r.idx[j] * K + k] += g * r.val[j];
      }
    }
    for (let i = 0; i < F * K; i++) gW[i] += l2 * W[i];
    const c1 = 1 - b1 ** t;
    const c2 = 1 - b2 ** t;
    for (let i = 0; i < F * K; i++) {
      adam.mW[i] = b1 * adam.mW[i] + (1 - b1) * gW[i];
      adam.vW[i] = b2 * adam.vW[i] + (1 - b2) * gW[i] * gW[i];
      W[i] -= (rate * (adam.mW[i] / c1)) / (Math.sqrt(adam.vW[i] / c2) + 1e-8);
    }
    for (let k = 0; k < K; k++) {
      adam.mb[k] = b1 * adam.mb[k] + (1 - b1) * gb[k];
      adam.vb[k] = b2 * adam.vb[k] + (1 - b2) * gb[k] * gb[k];
      b[k] -= (rate * (adam.mb[k] / c1)) / (Math.sqrt(adam.vb[k] / c2) + 1e-8);
    }
  }
  const weights = new Map();
  vocab.forEach((n, i) => {
    weights.set(n, Array.from(W.subarray(i * K, i * K + K)));
  });
  return { classes: CLASSES, bias: Array.from(b), weights };
}

function softmaxInPlace(p) {
  let max = -Infinity;
  for (const x of p) max = Math.max(max, x);
  let sum = 0;
  for (let k = 0; k < p.length; k++) {
    p[k] = Math.exp(p[k] - max);
    sum += p[k];
  }
  for (let k = 0; k < p.length; k++) p[k] /= sum;
}

export function probabilities(model, doc) {
  const p = Float64Array.from(model.bias);
  doc.names.forEach((n, j) => {
    const w = model.weights.get(n);
    if (w) for (let k = 0; k < p.length; k++) p[k] += w[k] * doc.values[j];
  });
  softmaxInPlace(p);
  return Array.from(p);
}

/** Cross-validation: each fold (a function of the item: its source file, or id-hash mod k) held out in turn. */
export function crossValidate(docs, foldOf, opts = {}) {
  const folds = [...new Set(docs.map(foldOf))].sort();
  const out = [];
  for (const f of folds) {
    const trainDocs = docs.filter((d) => foldOf(d) !== f);
    const test = docs.filter((d) => foldOf(d) === f);
    const model = train(trainDocs, opts);
    for (const d of test) out.push({ doc: d, fold: f, p: probabilities(model, d) });
  }
  return out;
}

/** A stable fold number from an id (for k-fold cross-validation that mixes sources). */
export function hashFold(k) {
  return (d) => {
    let h = 2166136261;
    for (const ch of d.id) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
    return h % k;
  };
}
