/** The escalation ladder in the cases table: each case's step and the case it continues (parent). */
import type { Db } from "./db.js";

export interface ChildCaseRow {
  id: number;
  tag: string;
  step: string;
  status: string;
}

/** Cases that continue `parentId` (its escalations), oldest first. */
export function listChildCases(db: Db, parentId: number): ChildCaseRow[] {
  return db
    .prepare("SELECT id, tag, step, status FROM cases WHERE parent_id = ? ORDER BY id")
    .all(parentId) as ChildCaseRow[];
}

/** Make `caseId` the escalation of `parentId` at `step`. Call inside the caller's transaction. */
export function setCaseParentAndStep(db: Db, caseId: number, parentId: number, step: string): void {
  db.prepare("UPDATE cases SET parent_id = ?, step = ? WHERE id = ?").run(parentId, step, caseId);
}

/** Move a case itself to a step (regulator, legal: steps that open no new case). */
export function setCaseStep(db: Db, caseId: number, step: string): void {
  db.prepare("UPDATE cases SET step = ? WHERE id = ?").run(step, caseId);
}
