/**
 * `loanmail mailed CASE --tracking T [--date D] [--delivered D]`: a letter that went by (certified) post. The
 * first call records the mailing; a later call with --delivered records the delivery date from the carrier's
 * tracking, which is when a Reg X clock starts.
 */

import { isoDateIn } from "../../app/letter-record.js";
import { isValidIsoDate } from "../../domain/fields.js";
import { UserError } from "../../errors.js";
import { requireCase, setCaseStatus } from "../../store/cases.js";
import { appendCaseEvent, readCaseEvents } from "../../store/events.js";
import { listCaseMessages, setMessageState } from "../../store/messages.js";
import type { Context } from "../context.js";

interface MailedOptions {
  tracking?: string;
  date?: string;
  delivered?: string;
}

function checkDate(value: string, flag: string, today: string): string {
  if (!isValidIsoDate(value)) throw new UserError(`${flag} ${value}: not a date`, "write dates as YYYY-MM-DD");
  if (value > today) throw new UserError(`${flag} ${value} is in the future`, "record it once it has happened");
  return value;
}

export function runMailed(ctx: Context, ref: string, opts: MailedOptions): number {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  const today = isoDateIn(ctx.now, ctx.timeZone());
  const letters = listCaseMessages(db, c.id).filter((m) => m.direction === "out" && m.channel === "post");
  const draft = letters.find((m) => m.state === "draft");
  const mailedEvents = readCaseEvents(db, c.id).flatMap((e) => (e.type === "mailed" ? [e] : []));
  if (c.status === "discarded") throw new UserError(`case ${c.tag} was discarded`, "nothing was mailed");
  if (letters.length === 0) {
    throw new UserError(
      `case ${c.tag} has no letter for the post`,
      "its letters go by email: they are sent with loanmail send (a letter that left another way: loanmail sent)",
    );
  }
  const delivered = opts.delivered === undefined ? undefined : checkDate(opts.delivered, "--delivered", today);

  if (draft) {
    const tracking = opts.tracking?.trim();
    if (!tracking) {
      throw new UserError(
        "--tracking is required",
        `give the certified-mail number: loanmail mailed ${c.id} --tracking 9407...`,
      );
    }
    const mailedOn = opts.date === undefined ? today : checkDate(opts.date, "--date", today);
    if (delivered && delivered < mailedOn) {
      throw new UserError(`--delivered ${delivered} is before the mailing date ${mailedOn}`, "check the dates");
    }
    db.transaction(() => {
      setMessageState(db, draft.id, "sent", ctx.nowIso);
      if (c.status === "draft") setCaseStatus(db, c.id, "open", ctx.nowIso);
      appendCaseEvent(db, c, {
        at: ctx.nowIso,
        type: "mailed",
        actor: "user",
        messageId: draft.id,
        data: { tracking, mailed_on: mailedOn, sha256: draft.rawSha256, postal_address: draft.postalAddress },
      });
      if (delivered) {
        appendCaseEvent(db, c, {
          at: ctx.nowIso,
          type: "delivered",
          actor: "user",
          messageId: draft.id,
          data: { tracking, delivered_on: delivered },
        });
      }
    })();
    ctx.out.result(
      { case: c.tag, message: draft.id, tracking, mailedOn, deliveredOn: delivered ?? null },
      () =>
        `Recorded ${c.tag} as mailed on ${mailedOn} (tracking ${tracking})` +
        (delivered
          ? `, delivered ${delivered}.`
          : `.\nWhen tracking shows delivery: loanmail mailed ${c.id} --delivered YYYY-MM-DD`),
    );
    return 0;
  }

  const last = mailedEvents[mailedEvents.length - 1];
  if (!last || !delivered) {
    throw new UserError(
      `every letter of ${c.tag} is already recorded as mailed`,
      `record the delivery with: loanmail mailed ${c.id} --delivered YYYY-MM-DD`,
    );
  }
  const lastData = last.data;
  if (delivered < lastData.mailed_on) {
    throw new UserError(`--delivered ${delivered} is before the mailing date ${lastData.mailed_on}`, "check the dates");
  }
  db.transaction(() =>
    appendCaseEvent(db, c, {
      at: ctx.nowIso,
      type: "delivered",
      actor: "user",
      messageId: last.message_id,
      data: { tracking: lastData.tracking, delivered_on: delivered },
    }),
  )();
  ctx.out.result(
    {
      case: c.tag,
      message: last.message_id,
      tracking: lastData.tracking,
      mailedOn: lastData.mailed_on,
      deliveredOn: delivered,
    },
    () => `Recorded delivery of ${c.tag} on ${delivered}.`,
  );
  return 0;
}
