/**
 * Edit a draft: the user changes the body text in their editor; the letter is linted again by the rules that
 * checked it at compose, its MIME bytes rebuilt (same Message-ID, new Date), and the old bytes kept as a blob
 * named by the `edited` event, so nothing is lost.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UserError } from "../errors.js";
import type { CaseRecord } from "../store/cases.js";
import { listCaseMessages } from "../store/messages.js";
import { chooseLetter } from "./case-letters.js";
import { requireCaseFor } from "./client-scope.js";
import { lintRevision, revisionDate, storeRevision } from "./draft-revision.js";
import { changeExhibits } from "./edit-exhibits.js";
import { rebuildLetterMime } from "./letter-record.js";
import type { Session } from "./session.js";

export interface EditRequest {
  /** The user's editor command ($VISUAL or $EDITOR); not needed when only the exhibits change. */
  editor: string | undefined;
  allowSensitive: boolean;
  /** Which letter of the case, when it holds more than one draft. */
  letter?: number | undefined;
  /** Files to add as exhibits (FILE[=LABEL]) and exhibits to take off (letter, label or file name). */
  attach?: readonly string[];
  detach?: readonly string[];
  /**
   * A person is at the terminal: an edit the checks refuse (the account-number line deleted, an SSN typed) reopens
   * the editor on the refused text with what was wrong at its top, instead of throwing the edit away.
   */
  reopenOnRefusal?: boolean;
}

export interface EditResult {
  caseRecord: CaseRecord;
  messageRowId: number;
  changed: boolean;
  fromSha256: string;
  toSha256: string;
  warnings: string[];
  /** The draft's exhibits after an exhibit change (absent for a text edit). */
  exhibits?: { exhibit: string; fileName: string; sha256: string }[];
  detached?: string[];
}

/** Run the user's editor on a copy of `text`; returns the edited text. */
function runEditor(editor: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), "loanmail-edit-"));
  const file = join(dir, "letter.txt");
  try {
    writeFileSync(file, text, { mode: 0o600 });
    // Ctrl-C in an editor that dies of it reaches loanmail too: caught (not fatal) so that the copy is removed
    // and the edit ends as a cancelled prompt does, exit 130 with the draft unchanged.
    process.on("SIGINT", ignore);
    // The editor's stdout goes to our stderr so that `--json` output stays a single document.
    const r = spawnSync(`${editor} "${file}"`, { shell: true, stdio: ["inherit", 2, "inherit"] });
    if (r.signal === "SIGINT" || r.status === 130)
      throw new UserError("stopped in the editor (Ctrl-C); the draft is unchanged", { code: "PROMPT_CANCELLED" });
    if (r.error)
      throw new UserError(`cannot start the editor "${editor}": ${r.error.message}`, {
        code: "EDITOR_NOT_STARTED",
        hint: "check $VISUAL / $EDITOR",
      });
    if (r.status !== 0) {
      throw new UserError(`the editor "${editor}" exited with status ${r.status}; the draft is unchanged`, {
        code: "EDITOR_FAILED",
        hint: "edit again",
      });
    }
    return readFileSync(file, "utf8");
  } finally {
    process.off("SIGINT", ignore);
    rmSync(dir, { recursive: true, force: true });
  }
}

function ignore(): void {}

/** Lines of the note put at the top of a refused edit; removed again when the editor closes. */
const NOTE = "# loanmail:";

function withNote(text: string, refused: UserError): string {
  const why = [`${refused.message}`, ...(refused.hint ? [refused.hint] : [])].join("\n").split("\n");
  return [
    `${NOTE} THIS EDIT WAS NOT SAVED. What was wrong:`,
    ...why.map((l) => `${NOTE}   ${l}`),
    `${NOTE} Fix the letter below and save. To give up, save it unchanged or empty: the draft stays as it was.`,
    `${NOTE} These lines are removed when you save.`,
    text,
  ].join("\n");
}

function withoutNote(text: string): string {
  const lines = text.replace(/\r\n/g, "\n").split("\n");
  let i = 0;
  while (i < lines.length && lines[i]?.startsWith(NOTE)) i++;
  return lines.slice(i).join("\n");
}

/**
 * Run the editor until the checks accept the text (`check` returns its warnings) or the user gives up. Returns
 * undefined when the text ends as it began. Without `reopen`, a refusal is thrown at once: the draft unchanged.
 */
function editUntilAccepted(
  editor: string,
  before: string,
  reopen: boolean,
  check: (text: string) => string[],
): { text: string; warnings: string[] } | undefined {
  let shown = before;
  let refused: { text: string; error: UserError } | undefined;
  for (;;) {
    const after = withoutNote(runEditor(editor, shown));
    if (after.trimEnd() === before.trimEnd()) return undefined;
    // Saved unchanged after a refusal: the user gave up; say again what was wrong, the draft unchanged.
    if (refused && after.trimEnd() === refused.text.trimEnd()) throw refused.error;
    if (!after.trim())
      throw new UserError("the edited letter is empty; the draft is unchanged", {
        code: "EDITED_LETTER_EMPTY",
        hint: "edit again",
      });
    try {
      return { text: after, warnings: check(after) };
    } catch (err) {
      if (!(err instanceof UserError) || !reopen) throw err;
      refused = { text: after, error: err };
      shown = withNote(after, err);
    }
  }
}

/** Edit a draft of a case: its text in the user's editor, or its exhibits. */
export async function editDraft(s: Session, ref: string, req: EditRequest): Promise<EditResult> {
  // Read up front, as before: a broken config is reported before anything about the case (whose lookup reads the
  // prefix).
  const db = s.db();
  const config = s.config();
  const { now } = s;
  const { allowSensitive } = req;
  const c = requireCaseFor(s, ref);
  if (c.status === "discarded")
    throw new UserError(`case ${c.tag} was discarded`, {
      code: "CASE_DISCARDED",
      hint: "compose a new letter instead",
    });
  const letters = listCaseMessages(db, c.id).filter((m) => m.direction === "out");
  const draft = chooseLetter(c, letters, (m) => m.state === "draft", req.letter, {
    command: "edit",
    what: "still a draft",
    none: () =>
      new UserError(`case ${c.tag} has no draft to edit`, {
        code: "NO_DRAFT",
        hint: `a letter that left cannot change; add a new one with: loanmail compose KIND --case ${c.id}`,
      }),
  });
  if ((req.attach?.length ?? 0) > 0 || (req.detach?.length ?? 0) > 0) {
    const change = { attach: req.attach ?? [], detach: req.detach ?? [], allowSensitive };
    const r = await changeExhibits(db, config, c, draft, change, now);
    return { caseRecord: c, messageRowId: draft.id, changed: true, ...r };
  }
  if (!req.editor) {
    throw new UserError("no editor: $VISUAL and $EDITOR are unset", {
      code: "NO_EDITOR",
      hint: "set one, e.g. EDITOR=nano loanmail edit CASE",
    });
  }
  const before = (draft.bodyText ?? "").replace(/\r\n/g, "\n");
  const edited = editUntilAccepted(req.editor, before, req.reopenOnRefusal === true, (text) =>
    lintRevision(db, c, draft, text, allowSensitive),
  );
  if (!edited) {
    return {
      caseRecord: c,
      messageRowId: draft.id,
      changed: false,
      fromSha256: draft.rawSha256,
      toSha256: draft.rawSha256,
      warnings: [],
    };
  }
  const { text: after, warnings } = edited;
  const text = after.endsWith("\n") ? after : `${after}\n`;
  const date = revisionDate(db, c, draft, config.user.timezone, now);
  const raw = await rebuildLetterMime(db, config, draft, text, date);
  const toSha = storeRevision(db, c, draft, { body: text, date, raw, warnings, allowSensitive, nowIso: s.nowIso });
  return {
    caseRecord: c,
    messageRowId: draft.id,
    changed: true,
    fromSha256: draft.rawSha256,
    toSha256: toSha,
    warnings,
  };
}
