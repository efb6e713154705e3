/**
 * How a protection reads in a terminal (`due`, `show`, `event`): a transfer's 60 days or a foreclosure protection;
 * not a deadline, never late.
 */
import type { Protection } from "../domain/protections.js";

/** The heading of the one list of protections (`due` and `show` print it as a section, `── ` before it). */
export const PROTECTIONS_HEADING = "Protections (what the servicer may not do; not deadlines, they never turn late)";

/** One protection as two lines: what is barred and its rule, then since when, until when and why. */
export function protectionLines(p: Protection, who: string): string[] {
  const head = `  ${who}  ${p.name} [${p.rule}]`;
  if (p.status === "not-applicable") return [head, `    does not apply: ${p.note ?? ""}`];
  const since = p.startedBy ? ` since ${p.startedBy.on} (${p.startedBy.what})` : "";
  const note = p.note ? `; ${p.note}` : "";
  if (p.status === "ended") {
    const from = p.startedBy ? `; in force from ${p.startedBy.on} (${p.startedBy.what})` : "";
    return [head, `    ended after ${p.until}${from}: ${p.ends}${note}`];
  }
  const until = p.until === null ? ", with no end date yet" : ` through ${p.until}`;
  return [head, `    in force${since}${until}: ${p.ends}${note}`];
}
