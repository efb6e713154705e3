/**
 * A bundle's manifest against the `exported` event its export recorded (`verify FILE.zip --db`, verify.ts). The
 * export appends that event after the zip is complete, on the chain of the bundle's first chain (the case asked
 * for, or the client's own chain for a client's file), naming the head the bundle anchors (`chain_head`, the
 * manifest's first chain head) and the manifest's SHA-256. A manifest changed after the export, with the
 * certificate's text changed to match, no longer has that hash: the database holds the one the export wrote.
 */
import type { Db } from "../store/db.js";
import { listCaseEvents } from "../store/events.js";
import type { Findings } from "./verify.js";

/** An `exported` event that anchors a bundle's head: what it recorded of the bundle it wrote. */
interface ExportRecord {
  id: number;
  at: string;
  file: string;
  manifestSha256: string;
}

/** The `exported` events of `chain` after its event `afterId` that name `head` as the head their bundle anchors. */
function exportsAnchoring(db: Db, chain: number, afterId: number, head: string): ExportRecord[] {
  const out: ExportRecord[] = [];
  for (const e of listCaseEvents(db, chain)) {
    if (e.id <= afterId || e.type !== "exported") continue;
    let d: { chain_head?: unknown; manifest_sha256?: unknown; file?: unknown };
    try {
      d = JSON.parse(e.data) as typeof d;
    } catch {
      continue; // an event whose data does not parse is verify --db's finding
    }
    if (d.chain_head !== head || typeof d.manifest_sha256 !== "string") continue;
    out.push({
      id: e.id,
      at: e.at,
      file: typeof d.file === "string" ? d.file : "?",
      manifestSha256: d.manifest_sha256,
    });
  }
  return out;
}

/**
 * The manifest's SHA-256 against the one the `exported` event of this bundle recorded. `root` is the bundle's first
 * chain, found in the database at event `at` of the same chain (verify.ts checks that first). Two exports of the same
 * head (written at the same time by two commands) each recorded their own manifest: one of them must be this one's.
 * No such event (an export stopped before recording it, a copy of the database from before it) is named as not
 * checked: the database then holds nothing to compare with.
 */
export function checkExportedManifest(
  db: Db,
  root: { chain: number; case: string; head: string },
  at: { id: number },
  manifest: { sha256: string; createdAt: string | null },
  f: Findings,
): void {
  const records = exportsAnchoring(db, root.chain, at.id, root.head);
  const same = records.find((r) => r.manifestSha256 === manifest.sha256);
  if (same) {
    f.pass(
      "manifest.json in the database",
      `its SHA-256 ${manifest.sha256} is the one exported event ${same.id} recorded for ${same.file} (${same.at})`,
    );
    return;
  }
  // The export whose time is the manifest's own, else the last one that anchored this head.
  const r = records.find((x) => x.at === manifest.createdAt) ?? records.at(-1);
  if (r)
    f.fail(
      "manifest.json",
      `its SHA-256 ${manifest.sha256} is not the ${r.manifestSha256} that exported event ${r.id} of ${root.case} in the database recorded when it wrote ${r.file} (${r.at}): the manifest was changed after the export`,
    );
  else
    f.skip(
      `manifest.json against the database: no exported event of ${root.case} anchors this bundle's head ${root.head}, so the database holds no manifest hash to compare (an export that stopped before recording it, or a copy of the database from before the export)`,
    );
}
