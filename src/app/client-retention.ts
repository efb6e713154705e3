/**
 * Retention of a client's file (docs/ARCHITECTURE.md, "Clients", Retention). A HUD-approved counseling agency
 * keeps a client's file for three years after it closes (24 C.F.R. 214.315): `client close` records the day
 * (clients.closed_on, a `client-closed` event on the client's chain), `client reopen` clears it, and `client purge`
 * removes the whole file once the three years are over (or earlier with a reason, `--force`): first the client's
 * whole-file export, then every row in one transaction (src/store/purge.ts), recorded by a `client-purged` event
 * on chain 0, the agency log, which survives the purge and which verify --db checks. `client log` lists it.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { LogEvent, PurgeData } from "../domain/events.js";
import { isoDateIn } from "../domain/time-zone.js";
import { UserError } from "../errors.js";
import { listCases } from "../store/cases.js";
import { type ClientRow, getClientRow } from "../store/clients.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendEvent, type EventRow, parseEventRow } from "../store/events.js";
import { listLoans, requireClient } from "../store/loans.js";
import { purgeClient, scrubAfterPurge, unfiledMailOfClient } from "../store/purge.js";
import { listRetentionEvents, setClientClosed } from "../store/retention.js";
import { exportClientFile } from "./client-file.js";
import { checkFence, fenceId } from "./client-scope.js";
import type { Session } from "./session.js";

/** How long a closed client's file is kept: three years after it closes (24 C.F.R. 214.315). */
export const RETENTION_YEARS = 3;
export const RETENTION_RULE = "24 C.F.R. 214.315";

/** The day the retention period of a file closed on `closedOn` ends: the same day three years later (Feb 29: Mar 1). */
export function retainedUntil(closedOn: string): string {
  const [y, m, d] = closedOn.split("-").map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y + RETENTION_YEARS, m - 1, d));
  return date.toISOString().slice(0, 10);
}

function clientOf(s: Session, name: string): ClientRow {
  const id = requireClient(s.db(), name);
  const row = getClientRow(s.db(), id);
  if (!row) throw new Error(`client ${id} vanished`);
  // Under --client C, another client's file is not there to close, reopen or purge.
  checkFence(s, row.id, `client "${row.name}"`);
  return row;
}

export interface CloseOutcome {
  client: { id: number; name: string };
  closedOn: string;
  reason: string | null;
  retainedUntil: string;
  event: number;
}

/** `client close C [--on DATE] [--reason TEXT]`: the file closes that day (default today). */
export function closeClient(s: Session, req: { name: string; on?: string; reason?: string }): CloseOutcome {
  const db = s.db();
  const c = clientOf(s, req.name);
  if (c.closed_on !== null)
    throw new UserError(`client "${c.name}" was already closed on ${c.closed_on}`, {
      code: "CLIENT_ALREADY_CLOSED",
      hint: `to change the day, reopen it first: loanmail client reopen "${c.name}"`,
    });
  const on = req.on ?? isoDateIn(s.now, s.timeZone());
  // A file closed before it was entered here is possible (an agency's older files): the day is the user's word.
  const reason = req.reason?.trim() || null;
  const ev = inTransaction(db, () => {
    setClientClosed(db, c.id, on, reason);
    return appendEvent(db, {
      caseId: null,
      clientId: c.id,
      at: s.nowIso,
      actor: "user",
      type: "client-closed",
      data: { on, reason, by: s.config().user.name },
    });
  });
  return { client: { id: c.id, name: c.name }, closedOn: on, reason, retainedUntil: retainedUntil(on), event: ev.id };
}

/** `client reopen C`: the file is open again (its close date cleared; the closing stays in its chain). */
export function reopenClient(s: Session, name: string): { client: { id: number; name: string }; event: number } {
  const db = s.db();
  const c = clientOf(s, name);
  const closedOn = c.closed_on;
  if (closedOn === null)
    throw new UserError(`client "${c.name}" is not closed`, {
      code: "CLIENT_NOT_CLOSED",
      hint: "only a closed client's file can be reopened",
    });
  const ev = inTransaction(db, () => {
    setClientClosed(db, c.id, null, null);
    return appendEvent(db, {
      caseId: null,
      clientId: c.id,
      at: s.nowIso,
      actor: "user",
      type: "client-reopened",
      data: { closed_on: closedOn, by: s.config().user.name },
    });
  });
  return { client: { id: c.id, name: c.name }, event: ev.id };
}

export interface PurgeRequest {
  name: string;
  /** The day the three years are checked on (default today). */
  asOf?: string;
  force: boolean;
  reason?: string;
  /** Where the whole-file export goes (never replacing a file); null for none (`--no-export`). */
  out: string | null;
}

export interface PurgeOutcome {
  client: { id: number; name: string };
  closedOn: string;
  retainedUntil: string;
  export: { out: string; sha256: string; bytes: number; manifestSha256: string } | null;
  counts: Record<string, number>;
  event: EventRow;
  /** The file was rebuilt and the WAL truncated; false when another command was reading (old pages remain). */
  scrubbed: boolean;
}

/** Refuse an open client, and a purge before the three years are over without `--force` and a reason. */
function checkPurgeAllowed(c: ClientRow, req: PurgeRequest, asOf: string): { closedOn: string; until: string } {
  if (c.closed_on === null)
    throw new UserError(`client "${c.name}" is open: only a closed file is purged`, {
      code: "CLIENT_OPEN",
      hint: `close it first (the three years of ${RETENTION_RULE} run from the close): loanmail client close "${c.name}"`,
    });
  const until = retainedUntil(c.closed_on);
  if (req.force && !req.reason?.trim())
    throw new UserError("a purge before the retention period is over needs a reason", {
      code: "FORCE_NEEDS_REASON",
      hint: "say why the file is removed early (it is recorded in the agency log)",
    });
  if (asOf < until && !req.force)
    throw new UserError(
      `client "${c.name}" closed on ${c.closed_on}: its file must be kept until ${until} (three years after it closed, ${RETENTION_RULE}); as of ${asOf} it cannot be purged`,
      { code: "RETENTION_NOT_OVER", hint: "wait until the retention period is over, or give a reason to purge early" },
    );
  return { closedOn: c.closed_on, until };
}

/**
 * Mail filed to no case that names only this client's accounts would outlive the purge, outside its export: it is
 * filed to one of the client's cases first, so that the export keeps it and the purge removes it.
 */
function checkNoUnfiledMail(db: Db, c: ClientRow): void {
  const ids = unfiledMailOfClient(db, c.id);
  if (ids.length === 0) return;
  const list = ids.length === 1 ? `message ${ids[0]}` : `messages ${ids.join(", ")}`;
  throw new UserError(
    `${list}, filed to no case, ${ids.length === 1 ? "names" : "name"} ${c.name}'s account number and no other client's: a purge would leave ${ids.length === 1 ? "it" : "them"} behind, outside the export`,
    {
      code: "UNFILED_MAIL_OF_CLIENT",
      hint: `${whereToFile(db, c)}: loanmail show-message MSG, then loanmail file MSG CASE; then purge again`,
    },
  );
}

/** Where the unfiled mail of a client can go: one of its cases, or a draft opened for it when it has none. */
function whereToFile(db: Db, c: ClientRow): string {
  if (listCases(db, { clientId: c.id }).length > 0) return `file each to one of ${c.name}'s cases`;
  const loan = listLoans(db, c.id)[0];
  return `${c.name} has no case to file it to: open one (a draft is enough: loanmail compose KIND --loan ${loan?.id ?? "LOAN"}) and file each to it`;
}

async function fileSha256(path: string): Promise<string> {
  const h = createHash("sha256");
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest("hex");
}

/** `client purge C`: export the whole file (unless none is asked for), then remove it in one transaction. */
export async function purgeClientFile(s: Session, req: PurgeRequest): Promise<PurgeOutcome> {
  const db = s.db();
  const c = clientOf(s, req.name);
  const asOf = req.asOf ?? isoDateIn(s.now, s.timeZone());
  const { closedOn, until } = checkPurgeAllowed(c, req, asOf);
  checkNoUnfiledMail(db, c);
  let exported: PurgeOutcome["export"] = null;
  if (req.out !== null) {
    const r = await exportClientFile(s, { clientName: c.name, out: req.out, redact: false });
    const out = r.bundle.out;
    exported = {
      out,
      sha256: await fileSha256(out),
      bytes: (await stat(out)).size,
      manifestSha256: r.bundle.manifestSha256,
    };
  }
  const by = s.config().user.name;
  const result = purgeClient(db, c.id, (plan, counts) => {
    const data: PurgeData = {
      client_id: c.id,
      by,
      closed_on: closedOn,
      export: exported
        ? { sha256: exported.sha256, bytes: exported.bytes, manifest_sha256: exported.manifestSha256 }
        : null,
      forced_reason: asOf < until ? (req.reason?.trim() ?? null) : null,
      retained_until: until,
      counts,
      chain0: plan.chain0,
      chains: plan.chains,
      messages: plan.messageRuns,
    };
    return { caseId: null, at: s.nowIso, actor: "user", type: "client-purged", data };
  });
  const scrub = scrubAfterPurge(db);
  return {
    client: { id: c.id, name: c.name },
    closedOn,
    retainedUntil: until,
    export: exported,
    counts: result.counts,
    event: result.event,
    scrubbed: scrub.vacuumed && !scrub.walBusy,
  };
}

export interface LogEntry {
  event: number;
  at: string;
  type: string;
  clientId: number | null;
  /** The client's name while it exists; a purged client is known by its id only. */
  client: string | null;
  data: LogEvent["data"];
}

/** `client log`: the agency log, every close, reopen and purge in order. */
export function agencyLog(s: Session): LogEntry[] {
  const db = s.db();
  const fence = fenceId(s);
  const entries = listRetentionEvents(db).map((row) => {
    const e = parseEventRow(row);
    // A purged client's id may be given again to a new client: a purge names its client by id only.
    const clientId = e.type === "client-purged" ? e.data.client_id : row.chain < 0 ? -row.chain : null;
    const name = clientId === null || e.type === "client-purged" ? null : (getClientRow(db, clientId)?.name ?? null);
    return { event: row.id, at: row.at, type: row.type, clientId, client: name, data: e.data };
  });
  // Under --client C only C's closes and reopens: a purge names a client that no longer exists, whose id a new
  // client may have been given since.
  return fence === undefined ? entries : entries.filter((e) => e.type !== "client-purged" && e.clientId === fence);
}
