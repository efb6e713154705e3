/**
 * `filed CASE ...` (declared with the case commands in case.ts): a CFPB complaint sent to the company, or the
 * company's response to it. Its clocks are src/domain/cfpb-clocks.ts.
 */
import { UserError } from "../../errors.js";
import type { Context } from "../context.js";
import { checkPastDate } from "../dates.js";

interface FiledOptions {
  cfpbId?: string;
  date?: string;
  responseDate?: string;
  inProgress?: boolean;
}

/**
 * `filed CASE --cfpb-id ID --date D`: a CFPB complaint sent to the company; its process clocks start.
 * `filed CASE --response-date D [--in-progress] [--cfpb-id ID]`: the company's response (src/domain/cfpb-clocks.ts).
 */
export async function runFiled(ctx: Context, ref: string, opts: FiledOptions): Promise<number> {
  const { findCase } = await import("../../app/case-records.js");
  const c = findCase(ctx, ref);
  const id = opts.cfpbId?.trim();
  const past = (flag: string, value: string | undefined) =>
    checkPastDate(ctx, value, flag, "record it once it happened");
  if (opts.inProgress && opts.responseDate === undefined)
    throw new UserError("--in-progress needs --response-date", {
      code: "MISSING_OPTION",
      hint: 'the day the company\'s "in progress" response arrived: --response-date YYYY-MM-DD --in-progress',
    });
  if (opts.date === undefined && opts.responseDate === undefined)
    throw new UserError("--date or --response-date is required", {
      code: "MISSING_OPTION",
      hint: "--cfpb-id ID --date D records the complaint; --response-date D [--in-progress] the company's response",
    });
  const on = opts.date === undefined ? undefined : past("--date", opts.date);
  const responseOn = opts.responseDate === undefined ? undefined : past("--response-date", opts.responseDate);
  if (on !== undefined && !id)
    throw new UserError("--cfpb-id is required", {
      code: "MISSING_OPTION",
      hint: "the complaint number the CFPB gave you, e.g. 261127-12345678",
    });
  const { recordCfpbFiling, recordCfpbResponse } = await import("../../app/case-events.js");
  if (on !== undefined && id) {
    // Not before its packet was written (or the case's first letter left): refused before anything is written.
    const { checkCfpbFilingDay } = await import("../../app/complaint-packet.js");
    checkCfpbFilingDay(ctx, c, on);
    recordCfpbFiling(ctx, c, id, on);
  }
  const response =
    responseOn === undefined ? undefined : recordCfpbResponse(ctx, c, responseOn, opts.inProgress === true, id);
  const said = opts.inProgress ? '"in progress" response' : "response";
  ctx.out.result(
    {
      case: c.tag,
      cfpbId: response?.cfpbId ?? id,
      ...(on === undefined ? {} : { on }),
      ...(response ? { response: { on: responseOn, inProgress: opts.inProgress === true } } : {}),
    },
    () =>
      [
        ...(on === undefined
          ? []
          : [`Recorded CFPB complaint ${id} of ${on} for ${c.tag}; its process clocks now run.`]),
        ...(response
          ? [
              `Recorded the company's ${said} of ${responseOn} to complaint ${response.cfpbId} (${c.tag}); see loanmail due.`,
            ]
          : []),
      ].join("\n"),
  );
  return 0;
}
