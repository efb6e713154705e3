/**
 * The facts a timeline shows, read from the store: each case of a tree (a case and its escalations, or every
 * case) with its loan, servicer, events and messages (metadata and a short excerpt, never the bytes). The clocks
 * are computed above this layer and handed in as data (app/timeline-sources.ts).
 */
import type { Clock } from "../domain/clocks.js";
import type { CaseRecord } from "../store/cases.js";
import type { Db } from "../store/db.js";
import { type EventRow, listCaseEvents } from "../store/events.js";
import { findCaseTag, listCaseMessageMeta, type MessageMeta } from "../store/evidence.js";
import { listPastAccounts, requireLoan } from "../store/loans.js";
import type { AttachmentRecord } from "../store/messages.js";
import { listAttachments } from "../store/messages.js";
import { requireServicer } from "../store/servicers.js";

/** A message of a case as the timeline needs it: metadata, a short excerpt of its text, never its bytes. */
export interface SourceMessage extends Omit<MessageMeta, "textStart"> {
  excerpt: string;
  attachments: AttachmentRecord[];
}

/**
 * A clock as the timeline reads it. An extended clock also carries its due dates and rule as they stood before the
 * extension arrived: the row that started it shows those (what was due then), the extension's row the new ones.
 */
export type SourceClock = Clock & {
  beforeExtension?: Pick<Clock, "dueStrict" | "dueLenient" | "rule"> | undefined;
};

/** Everything about one case that its part of the timeline shows. */
export interface SourceCase {
  record: CaseRecord;
  /** 0 for the case asked for; 1 for its children (escalations), 2 for theirs, ... */
  depth: number;
  parentTag: string | null;
  servicerName: string;
  servicerNoticeAddress: string | null;
  borrowers: string[];
  propertyAddress: string;
  accountNumber: string;
  pastAccountNumbers: string[];
  events: EventRow[];
  messages: SourceMessage[];
  clocks: SourceClock[];
}

/** How much of a message's text the timeline keeps (the full text is in the .eml). */
export const EXCERPT_CHARS = 600;

/** Messages of a case without their bytes and with only the start of their text, so a big case stays small. */
export function readCaseMessageMeta(db: Db, caseId: number): SourceMessage[] {
  return listCaseMessageMeta(db, caseId, EXCERPT_CHARS + 1).map(({ textStart, ...m }) => ({
    ...m,
    excerpt: excerptOf(textStart),
    attachments: listAttachments(db, m.id),
  }));
}

function excerptOf(text: string): string {
  const t = text.replace(/\r\n?/g, "\n").trim();
  return t.length > EXCERPT_CHARS ? `${t.slice(0, EXCERPT_CHARS).trimEnd()}…` : t;
}

/** A case and its descendants (escalations), depth first, each child right under its parent. */
export function collectCaseTree(root: CaseRecord, all: readonly CaseRecord[]): { c: CaseRecord; depth: number }[] {
  const byParent = new Map<number, CaseRecord[]>();
  for (const c of all) {
    if (c.parentId === null) continue;
    const list = byParent.get(c.parentId) ?? [];
    list.push(c);
    byParent.set(c.parentId, list);
  }
  const out: { c: CaseRecord; depth: number }[] = [];
  const seen = new Set<number>();
  const walk = (c: CaseRecord, depth: number) => {
    if (seen.has(c.id)) return; // a parent loop in a damaged database must not recurse forever
    seen.add(c.id);
    out.push({ c, depth });
    for (const child of [...(byParent.get(c.id) ?? [])].sort((a, b) => a.id - b.id)) walk(child, depth + 1);
  };
  walk(root, 0);
  return out;
}

/**
 * Roots for `timeline --all`: every case whose parent is not in the list, in id order, each followed by its
 * descendants.
 */
export function orderCaseForest(cases: readonly CaseRecord[]): { c: CaseRecord; depth: number }[] {
  const ids = new Set(cases.map((c) => c.id));
  const roots = cases.filter((c) => c.parentId === null || !ids.has(c.parentId)).sort((a, b) => a.id - b.id);
  const out: { c: CaseRecord; depth: number }[] = [];
  const seen = new Set<number>();
  for (const r of roots) {
    for (const x of collectCaseTree(r, cases)) {
      if (!seen.has(x.c.id)) {
        seen.add(x.c.id);
        out.push(x);
      }
    }
  }
  // Anything left (a parent loop) still shows, at the top level.
  for (const c of [...cases].sort((a, b) => a.id - b.id)) if (!seen.has(c.id)) out.push({ c, depth: 0 });
  return out;
}

/**
 * Read the facts of each case of an ordered tree; `clocks` holds each case's clocks by case id (computed by the
 * caller: the clock engine needs facts this layer does not gather); a case missing from it shows no clocks.
 */
export function readTimelineSources(
  db: Db,
  tree: readonly { c: CaseRecord; depth: number }[],
  clocks: ReadonlyMap<number, SourceClock[]>,
): SourceCase[] {
  const tagOf = new Map(tree.map((x) => [x.c.id, x.c.tag]));
  return tree.map(({ c, depth }) => {
    const loan = requireLoan(db, String(c.loanId));
    const servicer = requireServicer(db, loan.servicerId);
    const parentTag = c.parentId === null ? null : (tagOf.get(c.parentId) ?? (findCaseTag(db, c.parentId) || null));
    return {
      record: c,
      depth,
      parentTag,
      servicerName: servicer.name,
      servicerNoticeAddress: servicer.noticeAddress,
      borrowers: loan.borrowers,
      propertyAddress: loan.propertyAddress,
      accountNumber: loan.accountNumber,
      pastAccountNumbers: listPastAccounts(db, loan.id).map((a) => a.accountNumber),
      events: listCaseEvents(db, c.id),
      messages: readCaseMessageMeta(db, c.id),
      clocks: clocks.get(c.id) ?? [],
    };
  });
}
