/** Placeholder until the escalation ladder lands in this session. */
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";

export function runEscalate(_ctx: Context, _ref: string): number {
  throw new UserError("escalate is not built yet", "see the README status table");
}
export function runResolve(_ctx: Context, _ref: string, _opts: { unresolved?: boolean }): number {
  throw new UserError("resolve is not built yet", "see the README status table");
}
