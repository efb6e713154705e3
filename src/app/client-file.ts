/**
 * A client's whole file (`export --client C --out FILE.zip`): every case of the client (each with its
 * escalations) in one evidence bundle, with the same manifest, hashes, certificate and verify as a case's bundle,
 * plus the client's own chain (loans, authorizations, intake, plan, closing), the signed authorizations, the
 * intake and the action plan. The export is recorded as ONE `exported` event on the client's own chain, naming
 * every chain head the bundle holds and who exported it (docs/ARCHITECTURE.md, "Evidence").
 */
import { checkOutput, writeOutput } from "../config/safe-files.js";
import type { Progress } from "../domain/progress.js";
import { isoDateIn } from "../domain/time-zone.js";
import { checkBatesPrefix } from "../export/bates.js";
import { type BundleResult, writeBundle } from "../export/bundle.js";
import type { ClientFile } from "../export/bundle-content.js";
import { buildRedactor } from "../export/redact.js";
import { orderCaseForest } from "../export/timeline-sources.js";
import { listAuthorizations } from "../store/authorizations.js";
import { listCases } from "../store/cases.js";
import { getClientRow } from "../store/clients.js";
import { inTransaction, withSmallPageCache } from "../store/db.js";
import { appendEvent, type EventRow, eventsAfterHead } from "../store/events.js";
import { requireClient } from "../store/loans.js";
import { listChainEvents, listClientPlanRows } from "../store/retention.js";
import { readToolVersion } from "../version.js";
import { counselorHome } from "./counselor-home.js";
import { freeDeadExportParts } from "./dead-buffers.js";
import { accountNumbers, exportedData } from "./evidence.js";
import type { Session } from "./session.js";
import { gatherTimelineSources } from "./timeline-sources.js";

export interface ClientExportRequest {
  clientName: string;
  out: string;
  force?: boolean;
  redact: boolean;
  batesPrefix?: string;
  /** The bundle's files counted as they are written (src/domain/progress.ts). */
  progress?: Progress;
}

export interface ClientExportOutcome {
  client: { id: number; name: string };
  cases: string[];
  bundle: BundleResult;
  /** The `exported` event recorded on the client's own chain. */
  event: EventRow;
}

/** The client's own record as the bundle holds it (read in one go: a client's chain is short). */
function clientFileOf(s: Session, id: number): ClientFile {
  const db = s.db();
  const row = getClientRow(db, id);
  if (!row) throw new Error(`client ${id} vanished`);
  return {
    id,
    name: row.name,
    chain: listChainEvents(db, -id),
    intake: row.intake,
    plan: listClientPlanRows(db, id),
    authorizations: listAuthorizations(db, id).map((a) => ({ id: a.id, fileName: a.fileName, sha256: a.fileSha256 })),
  };
}

/** Write a client's whole file to `out`, then record it as an `exported` event on the client's chain. */
export async function exportClientFile(s: Session, req: ClientExportRequest): Promise<ClientExportOutcome> {
  const target = { path: req.out, who: `--out ${req.out}`, force: req.force === true };
  checkOutput(target);
  const batesPrefix = req.batesPrefix === undefined ? undefined : checkBatesPrefix(req.batesPrefix);
  const db = s.db();
  const id = requireClient(db, req.clientName);
  const client = clientFileOf(s, id);
  const tree = orderCaseForest(listCases(db, { clientId: id }));
  const asOf = isoDateIn(s.now, s.timeZone());
  const sources = gatherTimelineSources(db, tree, s.timeZone(), asOf);
  let written: BundleResult | undefined;
  // Every message and file of the client is read once, past SQLite's page cache (withSmallPageCache).
  const bytes = await withSmallPageCache(db, () =>
    writeOutput(target, async ({ fd }) => {
      written = await writeBundle({
        db,
        sources,
        out: req.out,
        fd,
        redact: req.redact,
        redactor: buildRedactor(accountNumbers(sources)),
        now: s.now,
        asOf,
        user: s.config().user,
        counselorAgency: counselorHome(db)?.agency.name,
        toolVersion: readToolVersion(),
        batesPrefix: batesPrefix ?? `CLIENT-${id}-`,
        client,
        progress: req.progress,
        afterPart: freeDeadExportParts,
      });
    }),
  );
  if (!written) throw new Error("exportClientFile: the bundle was not written");
  const result: BundleResult = { ...written, bytes };
  const event = inTransaction(db, () =>
    appendEvent(db, {
      caseId: null,
      clientId: id,
      at: s.nowIso,
      type: "exported",
      actor: "user",
      data: {
        ...exportedData(result, s.config().user.name),
        appended_since: eventsAfterHead(db, -id, result.chainHead),
        client_id: id,
      },
    }),
  );
  return { client: { id, name: client.name }, cases: sources.map((x) => x.record.tag), bundle: result, event };
}
