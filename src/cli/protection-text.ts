/** How a foreclosure protection reads in a terminal (`due`, `show`, `escalate`): not a deadline, never late. */
import type { Protection } from "../domain/dual-tracking.js";

/** The heading of a list of protections. */
export const PROTECTIONS_HEADING =
  "Protections (what the servicer may not do in foreclosure; not deadlines, they never turn late):";

/** One protection as two lines: what is barred and its rule, then since when, until when and why. */
export function protectionLines(p: Protection, who: string): string[] {
  const head = `  ${who}  ${p.name} [${p.rule}]`;
  if (p.status === "not-applicable") return [head, `    does not apply: ${p.note ?? ""}`];
  const since = p.startedBy ? ` since ${p.startedBy.on} (${p.startedBy.what})` : "";
  const state = p.status === "ended" ? "ended" : "in force";
  const until = p.until === null ? ", with no end date yet" : ` through ${p.until}`;
  const note = p.note ? `; ${p.note}` : "";
  return [head, `    ${state}${since}${until}: ${p.ends}${note}`];
}
