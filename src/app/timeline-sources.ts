/**
 * The facts a timeline or an evidence bundle shows, clocks included: the clocks are computed here (from the
 * case's stored facts, by the pure clock engine) and handed to the export layer as plain data.
 */
import { addDays } from "../domain/calendar.js";
import { type CaseClockInput, type Clock, computeClocks } from "../domain/clocks.js";
import { readTimelineSources, type SourceCase, type SourceClock } from "../export/timeline-sources.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { readCaseClocks } from "./case-clocks.js";

/**
 * Each extended clock with its due dates and rule as they stood the day before the extension arrived (the same
 * facts, computed on that day): the row that started the clock must not give a due date that only a later reply
 * set. A clock extended on the day it started has no earlier state and keeps none.
 */
function withStateBeforeExtension(facts: CaseClockInput, clocks: readonly Clock[]): SourceClock[] {
  const onDay = new Map<string, Clock[]>();
  return clocks.map((k) => {
    if (!k.extendedBy) return k;
    const day = addDays(k.extendedBy.on, -1);
    let then = onDay.get(day);
    if (!then) {
      then = computeClocks(facts, day);
      onDay.set(day, then);
    }
    // By name and start, not id: a second letter of the kind, out since, adds its message to the id.
    const same = then.find(
      (b) =>
        b.name === k.name &&
        b.startedBy?.on === k.startedBy?.on &&
        b.startedBy?.messageId === k.startedBy?.messageId &&
        b.extendedBy === null,
    );
    return same
      ? { ...k, beforeExtension: { dueStrict: same.dueStrict, dueLenient: same.dueLenient, rule: same.rule } }
      : k;
  });
}

/** Read the facts of each case of an ordered tree (collectCaseTree, orderCaseForest), with its clocks on `asOf`. */
export function gatherTimelineSources(
  db: Db,
  tree: readonly { c: CaseRecord; depth: number }[],
  timeZone: string,
  asOf: string,
): SourceCase[] {
  const clocks = new Map(
    tree.map(({ c }) => {
      const { facts, clocks } = readCaseClocks(db, c, timeZone, asOf);
      return [c.id, withStateBeforeExtension(facts, clocks)];
    }),
  );
  return readTimelineSources(db, tree, clocks);
}
