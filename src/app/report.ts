/**
 * `report outcomes --from D --to D`: for a HUD-approved agency's report (HUD form 9902), per client household
 * served in the period (a case of it has an event in the period), the counseling purpose (its cases' kinds; every
 * loanmail case is about a mortgage servicer: 9902 item 9f) and each case's outcome as its `resolved` event in the
 * period recorded it (`resolve --outcome`, src/domain/outcomes.ts), then the agency's totals per outcome (cases
 * and households). Every number is read from the event log, not from the cases' current columns. loanmail is not
 * the agency's client management system: the CSV and JSON are for import into one.
 */
import { COUNSELING_PURPOSE, OUTCOMES, outcomeOf } from "../domain/outcomes.js";
import { isoDateIn, zonedTimeToInstant } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { listCasesActiveBetween, listResolvedBetween } from "../store/report.js";
import { fencedClient, fenceId } from "./client-scope.js";
import type { Session } from "./session.js";

export interface ReportCase {
  tag: string;
  kind: string;
  status: string;
  /** The outcome category's id, or null when no resolution with an outcome was recorded in the period. */
  outcome: string | null;
  outcomeLabel: string | null;
  resolvedOn: string | null;
}

export interface ReportClient {
  client: string;
  purpose: string;
  kinds: string[];
  cases: ReportCase[];
}

export interface OutcomeReport {
  from: string;
  to: string;
  timeZone: string;
  households: number;
  cases: number;
  clients: ReportClient[];
  totals: { outcome: string; label: string; cases: number; households: number }[];
  /** Cases active in the period with no outcome recorded in it. */
  noOutcome: { cases: number; households: number };
  /** The client the report is fenced to (--client, LOANMAIL_CLIENT), else null: the agency's whole caseload. */
  fenced: string | null;
}

/** The day after `d` (YYYY-MM-DD). */
function nextDay(d: string): string {
  return new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function outcomeReport(s: Session, from: string, to: string): OutcomeReport {
  if (to < from)
    throw new UserError(`the period ends (${to}) before it starts (${from})`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "give the first and the last day of the period",
    });
  const tz = s.timeZone();
  const fromIso = zonedTimeToInstant(from, "00:00", tz).toISOString();
  const toIso = zonedTimeToInstant(nextDay(to), "00:00", tz).toISOString();
  const db = s.db();
  const outcomes = new Map<number, { outcome: string; on: string }>();
  for (const r of listResolvedBetween(db, fromIso, toIso)) {
    let outcome: unknown;
    try {
      outcome = (JSON.parse(r.data) as { outcome?: unknown }).outcome;
    } catch {
      continue; // an unreadable row is verify --db's to report
    }
    // The last resolution of the period counts (a case reopened and resolved again).
    if (typeof outcome === "string") outcomes.set(r.chain, { outcome, on: r.at });
    else outcomes.delete(r.chain);
  }
  const byClient = new Map<number, ReportClient>();
  const households = new Map<string, Set<number>>();
  let none = 0;
  const noneHouseholds = new Set<number>();
  // Fenced to one client (--client, LOANMAIL_CLIENT), the report is that household's alone.
  const fence = fenceId(s);
  for (const c of listCasesActiveBetween(db, fromIso, toIso)) {
    if (fence !== undefined && c.client_id !== fence) continue;
    const o = outcomes.get(c.id);
    const entry = byClient.get(c.client_id) ?? { client: c.client, purpose: COUNSELING_PURPOSE, kinds: [], cases: [] };
    if (!entry.kinds.includes(c.kind)) entry.kinds.push(c.kind);
    entry.cases.push({
      tag: c.tag,
      kind: c.kind,
      status: c.status,
      outcome: o?.outcome ?? null,
      outcomeLabel: o ? (outcomeOf(o.outcome)?.label ?? o.outcome) : null,
      resolvedOn: o ? isoDateIn(new Date(o.on), tz) : null,
    });
    byClient.set(c.client_id, entry);
    if (o) households.set(o.outcome, (households.get(o.outcome) ?? new Set()).add(c.client_id));
    else {
      none++;
      noneHouseholds.add(c.client_id);
    }
  }
  const clients = [...byClient.values()];
  const totals = OUTCOMES.map((o) => ({
    outcome: o.id,
    label: o.label,
    cases: clients.reduce((n, c) => n + c.cases.filter((x) => x.outcome === o.id).length, 0),
    households: households.get(o.id)?.size ?? 0,
  }));
  return {
    from,
    to,
    timeZone: tz,
    households: clients.length,
    cases: clients.reduce((n, c) => n + c.cases.length, 0),
    clients,
    totals,
    noOutcome: { cases: none, households: noneHouseholds.size },
    fenced: fencedClient(s)?.name ?? null,
  };
}
