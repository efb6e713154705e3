/**
 * `edit CASE --attach FILE[=LABEL] --detach LABEL`: change a draft's exhibits. The files are checked like
 * compose's (type by content, size limits, now over the whole set), the exhibits re-lettered, the enclosures
 * paragraph rewritten to match, the letter linted again and its bytes rebuilt; the old bytes stay in the record
 * (the `edited` event names them), and so do the detached files' blobs.
 */
import { extname } from "node:path";
import type { Config } from "../config/config.js";
import { exhibitFileName, exhibitName } from "../domain/exhibits.js";
import { withEnclosures } from "../domain/letter.js";
import { UserError } from "../errors.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import {
  getBlob,
  listAttachments,
  listCaseMessages,
  type MessageRecord,
  type NewAttachment,
  sha256Hex,
} from "../store/messages.js";
import { readExhibits } from "./attachments.js";
import { lintRevision, revisionDate, storeRevision } from "./draft-revision.js";
import { rebuildLetterMime } from "./letter-record.js";

const MB = 1024 * 1024;

export interface ExhibitChange {
  attach: readonly string[];
  detach: readonly string[];
  allowSensitive: boolean;
}

export interface ExhibitChangeResult {
  fromSha256: string;
  toSha256: string;
  exhibits: { exhibit: string; fileName: string; sha256: string }[];
  detached: string[];
  warnings: string[];
}

/** "B", "Exhibit B" (or "Anexo B"), the label or the file name, in any letter case. */
function matches(a: { exhibit: string | null; label: string; fileName: string }, wanted: string): boolean {
  const w = wanted.trim().toLowerCase();
  const letter = a.exhibit?.replace(/^(?:Exhibit|Anexo)\s+/i, "").toLowerCase();
  return (
    w === a.exhibit?.toLowerCase() || w === letter || w === a.label.toLowerCase() || w === a.fileName.toLowerCase()
  );
}

/**
 * The first exhibit position of this draft: after the exhibits of the case's earlier letters, and after every
 * other letter's exhibits when starting there would reuse a letter already given in this case.
 */
function firstPosition(db: Db, c: CaseRecord, draft: MessageRecord, count: number): number {
  const others = listCaseMessages(db, c.id).filter((m) => m.id !== draft.id && m.state !== "discarded");
  const earlier = others.filter((m) => m.id < draft.id).reduce((n, m) => n + listAttachments(db, m.id).length, 0);
  const taken = new Set(others.flatMap((m) => listAttachments(db, m.id).map((a) => a.position)));
  const clash = Array.from({ length: count }, (_, i) => earlier + i).some((p) => taken.has(p));
  return clash ? Math.max(...taken) + 1 : earlier;
}

/** Change the exhibits of `draft` (a draft of case `c`); throws UserError and writes nothing on bad input. */
export async function changeExhibits(
  db: Db,
  config: Config,
  c: CaseRecord,
  draft: MessageRecord,
  change: ExhibitChange,
  now: Date,
): Promise<ExhibitChangeResult> {
  const current = listAttachments(db, draft.id);
  for (const wanted of change.detach) {
    if (!current.some((a) => matches(a, wanted))) {
      throw new UserError(`letter ${draft.id} has no exhibit "${wanted}"`, {
        code: "EXHIBIT_NOT_FOUND",
        hint:
          current.length > 0
            ? `its exhibits: ${current.map((a) => `${a.exhibit ?? "?"} (${a.label})`).join(", ")}`
            : "it has no exhibits",
      });
    }
  }
  const kept = current.filter((a) => !change.detach.some((w) => matches(a, w)));
  // The draft keeps its language: its exhibits are named, and its enclosures listed, in it.
  const lang = draft.letterInput?.lang ?? "en";
  const added = await readExhibits(change.attach, config.limits, 0, "--attach", lang);
  const total = kept.reduce((n, a) => n + a.size, 0) + added.reduce((n, e) => n + e.data.length, 0);
  if (total > config.limits.total_mb * MB) {
    throw new UserError(`the exhibits would come to over the ${config.limits.total_mb} MB limit for one letter`, {
      code: "ATTACHMENTS_OVER_TOTAL_LIMIT",
      hint: "detach one, or send the rest in another letter (limits.total_mb in config.toml)",
    });
  }
  const start = firstPosition(db, c, draft, kept.length + added.length);
  const files = [
    ...kept.map((a) => ({
      label: a.label,
      ext: extname(a.fileName).slice(1),
      contentType: a.contentType,
      data: getBlob(db, a.sha256) as Buffer,
    })),
    ...added.map((e) => ({
      label: e.label,
      ext: extname(e.fileName).slice(1),
      contentType: e.contentType,
      data: e.data,
    })),
  ];
  const next: NewAttachment[] = files.map((f, i) => ({
    position: start + i,
    exhibit: exhibitName(start + i, lang),
    label: f.label,
    fileName: exhibitFileName(start + i, f.label, f.ext, lang),
    contentType: f.contentType,
    data: f.data,
  }));

  const body = withEnclosures(
    draft.bodyText ?? "",
    next.map((a) => a.fileName),
    lang,
  );
  const warnings = lintRevision(db, c, draft, body, change.allowSensitive);
  const detached = current.filter((a) => !kept.includes(a)).map((a) => a.fileName);
  const exhibits = next.map((a) => ({ exhibit: a.exhibit ?? "", fileName: a.fileName, sha256: sha256Hex(a.data) }));
  const date = revisionDate(db, c, draft, config.user.timezone, now);
  const raw = await rebuildLetterMime(db, config, draft, body, date, undefined, next);
  const toSha = storeRevision(db, c, draft, {
    body,
    date,
    raw,
    warnings,
    allowSensitive: change.allowSensitive,
    nowIso: now.toISOString(),
    exhibits: { attachments: next, detached },
  });
  return { fromSha256: draft.rawSha256, toSha256: toSha, exhibits, detached, warnings };
}
