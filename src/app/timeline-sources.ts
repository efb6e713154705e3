/**
 * The facts a timeline or an evidence bundle shows, clocks included: the clocks are computed here (from the
 * case's stored facts, by the pure clock engine) and handed to the export layer as plain data.
 */
import { readTimelineSources, type SourceCase } from "../export/timeline-sources.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { computeCaseClocks } from "./case-clocks.js";

/** Read the facts of each case of an ordered tree (collectCaseTree, orderCaseForest), with its clocks on `asOf`. */
export function gatherTimelineSources(
  db: Db,
  tree: readonly { c: CaseRecord; depth: number }[],
  timeZone: string,
  asOf: string,
): SourceCase[] {
  const clocks = new Map(tree.map(({ c }) => [c.id, computeCaseClocks(db, c, timeZone, asOf)]));
  return readTimelineSources(db, tree, clocks);
}
