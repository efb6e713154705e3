/** `loanmail edit CASE`: edit the draft in $VISUAL / $EDITOR. */
import { editDraft } from "../../app/edit.js";
import type { Context } from "../context.js";

export async function runEdit(ctx: Context, ref: string, opts: { allowSensitive?: boolean }): Promise<number> {
  const r = await editDraft(
    {
      db: ctx.db(),
      config: ctx.config(),
      prefix: ctx.prefix(),
      now: ctx.now,
      editor: ctx.env.VISUAL || ctx.env.EDITOR || undefined,
    },
    ref,
    opts.allowSensitive === true,
  );
  for (const w of r.warnings) ctx.out.warn(w);
  ctx.out.result(
    {
      case: r.caseRecord.tag,
      message: r.messageRowId,
      changed: r.changed,
      fromSha256: r.fromSha256,
      toSha256: r.toSha256,
      warnings: r.warnings,
    },
    () =>
      r.changed
        ? `Edited the draft of ${r.caseRecord.tag}; it was checked and rebuilt.`
        : `No changes to ${r.caseRecord.tag}.`,
  );
  return 0;
}
