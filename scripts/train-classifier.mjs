#!/usr/bin/env node
// Train the reply classifier and write its weights into src/domain/reply-model.ts (data, loaded by the pure
// domain module classify.ts). Trains ONLY on test/fixtures/replies/train/*.json (the development corpus); the
// holdouts (test/fixtures/replies/holdout-*.json) are never read here.
//   npm run build && node scripts/train-classifier.mjs [--dry-run]     (about two minutes on this machine)
// Steps:
//  1. cross-validation by source file (each file held out in turn: its wording and style unseen), which is the
//     evidence for the method and the figures in the README;
//  2. calibration: the temperature that makes the held-out probabilities honest (least log-loss);
//  3. the needs-review thresholds: on the held-out decisions, the lowest thresholds with no reply read as
//     meeting a clock it does not meet (a "wrong stop"), most replies decided correctly;
//  4. the final model on the whole corpus, weights in hundredths, written with its temperature and thresholds.
// Deterministic: the same corpus gives the same file. Then `npm run build` again to use it.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { CLASSES, crossValidate, DEFAULTS, featurize, loadItems, train } from "./classifier-training.mjs";

const root = resolve(import.meta.dirname, "..");
const { decide } = await import(pathToFileURL(resolve(root, "dist/domain/classify.js")).href);
const dryRun = process.argv.includes("--dry-run");

const trainDir = "test/fixtures/replies/train";
const files = readdirSync(resolve(root, trainDir))
  .filter((f) => f.endsWith(".json"))
  .sort()
  .map((f) => `${trainDir}/${f}`);
const items = loadItems(files);
const docs = featurize(items);
const hash = createHash("sha256");
for (const f of files) hash.update(readFileSync(resolve(root, f)));
const corpusHash = hash.digest("hex").slice(0, 16);
console.log(`corpus: ${items.length} replies in ${files.length} files (sha256 ${corpusHash})`);

const MEETS = new Set(["acknowledgment", "extension", "response", "exception"]);
const SUBSTANTIVE = new Set(["response", "exception"]);

/**
 * A stored class that would stop a clock the reply does not meet: "severe" when it stops a response clock
 * (read as response or exception; the confusion the issue forbids), "ack" when it stops only an acknowledgment
 * clock (other or documents-requested read as acknowledgment or extension).
 */
function wrongStop(truth, stored) {
  if (SUBSTANTIVE.has(stored) && !SUBSTANTIVE.has(truth)) return "severe";
  return MEETS.has(stored) && !MEETS.has(truth) ? "ack" : null;
}

/** How many right answers one wrongly stopped acknowledgment clock is worth giving up, when choosing thresholds. */
const ACK_STOP_COST = 20;

function scale(p, t) {
  const l = p.map((x) => Math.log(Math.max(x, 1e-12)) * t);
  const m = Math.max(...l);
  const e = l.map((x) => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / s);
}

function outcome(results, temperature, thresholds) {
  const o = { correct: 0, review: 0, wrong: 0, wrongStops: 0, severe: 0, stops: [] };
  for (const r of results) {
    const d = decide(scale(r.p, temperature), r.doc.answers, thresholds);
    const truth = CLASSES[r.doc.label];
    if (d.class === "needs-review") o.review++;
    else if (d.class === truth) o.correct++;
    else {
      o.wrong++;
      const kind = wrongStop(truth, d.class);
      if (kind) {
        o.wrongStops++;
        if (kind === "severe") o.severe++;
        o.stops.push(`${r.doc.id} ${truth}->${d.class}`);
      }
    }
  }
  return o;
}

let temperature;
let thresholds;
{
  console.log("cross-validation: each source file held out in turn ...");
  const results = crossValidate(docs, (d) => d.source);
  const top = (p) => p.indexOf(Math.max(...p));
  const argmax = results.filter((r) => top(r.p) === r.doc.label).length;
  console.log(`  best class right: ${argmax}/${results.length} = ${((100 * argmax) / results.length).toFixed(1)}%`);
  const bySource = {};
  for (const r of results) {
    bySource[r.doc.source] ??= [0, 0];
    const s = bySource[r.doc.source];
    s[1]++;
    if (top(r.p) === r.doc.label) s[0]++;
  }
  console.log(
    `  by file: ${Object.entries(bySource)
      .map(([f, [a, b]]) => `${f.replace(".json", "")} ${a}/${b}`)
      .join(", ")}`,
  );
  let best = [1, Number.POSITIVE_INFINITY];
  for (let t = 0.5; t <= 6.001; t += 0.05) {
    const nll = results.reduce((s, r) => s - Math.log(scale(r.p, t)[r.doc.label]), 0);
    if (nll < best[1]) best = [Math.round(t * 100) / 100, nll];
  }
  temperature = best[0];
  console.log(`  calibration: temperature ${temperature}`);
  const grid = [];
  const steps = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
  for (const answer of [false, true])
    for (const substantive of steps)
      for (const acknowledging of steps)
        for (const other of [0.3, 0.4, 0.5]) {
          const t = { substantive, acknowledging, other, answer };
          grid.push({ t, o: outcome(results, temperature, t) });
        }
  // No response clock stopped wrongly; then the most right answers, a wrongly stopped acknowledgment clock
  // counting against ACK_STOP_COST of them; then the least strict thresholds.
  const strictness = (t) => t.substantive + t.acknowledging + t.other;
  const score = (o) => o.correct - ACK_STOP_COST * (o.wrongStops - o.severe);
  grid.sort((a, b) => a.o.severe - b.o.severe || score(b.o) - score(a.o) || strictness(a.t) - strictness(b.t));
  const chosen = grid[0];
  thresholds = chosen.t;
  console.log("  thresholds (substantive / acknowledging / other / answer-signal): right, review, wrong, wrong stops");
  const shown = grid.filter(
    (x) =>
      x.t.other === chosen.t.other && x.t.answer === chosen.t.answer && x.t.acknowledging === chosen.t.acknowledging,
  );
  const acks = grid.filter(
    (x) => x.t.other === chosen.t.other && x.t.answer === chosen.t.answer && x.t.substantive === chosen.t.substantive,
  );
  for (const g of [...shown, ...acks.filter((x) => !shown.includes(x))]) {
    const mark =
      (g === chosen ? "  <- chosen" : "") +
      (g.o.wrongStops > 0 && g.o.wrongStops < 6 ? `  [${g.o.stops.join(", ")}]` : "");
    console.log(
      `    ${g.t.substantive} / ${g.t.acknowledging} / ${g.t.other} / ${g.t.answer}: ${g.o.correct} right, ${g.o.review} review, ${g.o.wrong} wrong, ${g.o.wrongStops} wrong stops${mark}`,
    );
  }
  const o = chosen.o;
  const n = results.length;
  console.log(
    `  chosen: ${((100 * o.correct) / n).toFixed(1)}% right, ${((100 * o.review) / n).toFixed(1)}% needs review, ${((100 * o.wrong) / n).toFixed(1)}% wrong, ${o.wrongStops} wrong stops (${o.severe} of a response clock) ${o.stops.join(", ")}`,
  );
}

console.log("training on the whole corpus ...");
const model = train(docs);
const SCALE = 100;
const lines = [];
for (const [name, w] of [...model.weights.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
  const q = w.map((x) => Math.round(x * SCALE));
  if (q.every((x) => x === 0)) continue;
  if (name.includes("\n") || name.includes("\t")) throw new Error(`feature name with a tab or newline: ${name}`);
  lines.push(`${name}\t${q.join(",")}`);
}
const data = {
  trainedOn: `${items.length} replies in ${trainDir} (sha256 ${corpusHash}); ${Object.entries(DEFAULTS)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ")}`,
  classes: CLASSES,
  temperature,
  thresholds,
  bias: model.bias.map((b) => Math.round(b * 1e4) / 1e4),
  scale: SCALE,
  weights: lines.join("\n"),
};
const out = [
  "// Generated by scripts/train-classifier.mjs from test/fixtures/replies/train: do not edit, retrain.",
  `// ${lines.length} features; temperature ${temperature}; thresholds ${JSON.stringify(thresholds)}.`,
  'import type { ReplyModelData } from "./classify.js";',
  "",
  "export const REPLY_MODEL: ReplyModelData = {",
  "  trainedOn:",
  `    ${JSON.stringify(data.trainedOn)},`,
  `  classes: [${data.classes.map((c) => JSON.stringify(c)).join(", ")}],`,
  `  temperature: ${temperature},`,
  `  thresholds: { ${Object.entries(thresholds)
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ")} },`,
  `  bias: [${data.bias.join(", ")}],`,
  `  scale: ${SCALE},`,
  "  weights:",
  `    ${JSON.stringify(data.weights)},`,
  "};",
  "",
].join("\n");
if (dryRun) console.log(`would write ${out.length} bytes`);
else {
  writeFileSync(resolve(root, "src/domain/reply-model.ts"), out);
  console.log(`wrote src/domain/reply-model.ts: ${lines.length} features, ${out.length} bytes`);
}
