/** Placeholder until evidence export lands in this session. */
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";

const later = () => {
  throw new UserError("evidence export is not built yet", "see the README status table");
};
export function runTimeline(_ctx: Context, _ref: string | undefined, _opts: Record<string, unknown>): number {
  return later();
}
export function runExport(_ctx: Context, _ref: string, _opts: Record<string, unknown>): number {
  return later();
}
export function runVerify(_ctx: Context, _file: string | undefined, _opts: Record<string, unknown>): number {
  return later();
}
