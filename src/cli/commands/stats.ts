/** Placeholder until stats lands in this session. */
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";

export function runStats(_ctx: Context): number {
  throw new UserError("stats is not built yet", "see the README status table");
}
export function runCalendar(_ctx: Context, _opts: { out?: string }): number {
  throw new UserError("calendar is not built yet", "see the README status table");
}
