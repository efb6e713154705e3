/**
 * `loanmail authorization add|list|submitted|revoke`: the borrower's signed third-party authorization that a
 * servicer needs before it talks to a housing counselor. The form is kept by hash; its expiry shows in `due`.
 */

import { authorizationState } from "../../domain/authorization-state.js";
import { isoDateIn } from "../../domain/time-zone.js";
import { typedDay } from "../../domain/typed-days.js";
import { UserError } from "../../errors.js";
import type { CommandModule } from "../command.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { requireOption } from "../validate.js";

function checkDate(value: string | undefined, flag: string, required: boolean): string | null {
  if (value === undefined) {
    if (required)
      throw new UserError(`${flag} is required`, {
        code: "MISSING_OPTION",
        hint: `write it as YYYY-MM-DD, e.g. ${flag} 2026-11-02`,
      });
    return null;
  }
  return typedDay(value, flag);
}

interface AddOptions {
  loan?: string;
  file?: string;
  authorized?: string;
  signer?: string[];
  signedOn?: string;
  expiresOn?: string;
}

async function runAuthorizationAdd(ctx: Context, opts: AddOptions): Promise<number> {
  const example =
    "loanmail authorization add --loan 1 --file signed-form.pdf --authorized 'Springfield Housing Counseling' --signed-on 2026-11-02";
  const loanRef = requireOption(opts.loan, "--loan", example);
  const file = requireOption(opts.file, "--file", example);
  const authorized = requireOption(opts.authorized?.trim(), "--authorized", example);
  const signedOn = checkDate(opts.signedOn, "--signed-on", true) as string;
  const expiresOn = checkDate(opts.expiresOn, "--expires-on", false);
  if (signedOn > isoDateIn(ctx.now, ctx.timeZone()))
    throw new UserError(`--signed-on ${signedOn} is in the future`, {
      code: "DATE_IN_FUTURE",
      hint: "give the day it was signed",
    });
  if (expiresOn && expiresOn <= signedOn)
    throw new UserError(`--expires-on ${expiresOn} is not after --signed-on ${signedOn}`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "check the dates",
    });
  const { addAuthorization } = await import("../../app/authorizations.js");
  const {
    authorization: added,
    loan,
    signers,
  } = await addAuthorization(ctx, { loanRef, file, authorized, signers: opts.signer, signedOn, expiresOn });
  ctx.out.result({ authorization: added }, () =>
    [
      `Recorded authorization ${added.id}: ${signers.join(", ")} authorized ${authorized} for loan ${loan.accountNumber} at ${loan.servicerName}, signed ${signedOn}${expiresOn ? `, expires ${expiresOn}` : ""}.`,
      `When it reaches ${loan.servicerName} (mailed, uploaded or faxed on paper, never as an email body): loanmail authorization submitted ${added.id} --date D`,
      `To write the authorization every borrower signs: loanmail compose third-party-authorization --loan ${loan.id} --set counselor='${authorized}' --set contact='PHONE, EMAIL' --summary "..." [--servicer-form FORM]`,
    ].join("\n"),
  );
  return 0;
}

async function runAuthorizationList(ctx: Context): Promise<number> {
  const today = isoDateIn(ctx.now, ctx.timeZone());
  const { listAuthorizations } = await import("../../app/authorizations.js");
  const { listsClients } = await import("../../app/client-scope.js");
  const clients = listsClients(ctx);
  const list = listAuthorizations(ctx).map((a) => ({
    ...a,
    client: a.clientName,
    loan: a.loanId,
    state: authorizationState(a, today),
  }));
  ctx.out.result({ asOf: today, authorizations: list }, () =>
    list.length === 0
      ? "No authorizations. Write one for every borrower to sign: loanmail compose third-party-authorization --loan LOAN --set counselor=NAME --set contact=DETAILS --summary TEXT; record the signed copy with: loanmail authorization add --loan LOAN --file SIGNED --authorized NAME --signed-on D"
      : formatTable(
          [
            "ID",
            ...(clients ? ["CLIENT"] : []),
            "LOAN",
            "ACCOUNT",
            "SERVICER",
            "AUTHORIZED",
            "SIGNED",
            "EXPIRES",
            "SUBMITTED",
            "STATE",
          ],
          list.map((a) => [
            String(a.id),
            ...(clients ? [a.clientName] : []),
            String(a.loanId),
            a.accountNumber,
            a.servicerName,
            a.authorized,
            a.signedOn,
            a.expiresOn ?? "-",
            a.submittedOn ?? "not yet",
            a.state,
          ]),
        ),
  );
  return 0;
}

async function runAuthorizationSubmitted(ctx: Context, ref: string, opts: { date?: string }): Promise<number> {
  const { findAuthorization, recordAuthorizationSubmitted } = await import("../../app/authorizations.js");
  const a = findAuthorization(ctx, ref);
  const on = checkDate(opts.date, "--date", true) as string;
  if (on > isoDateIn(ctx.now, ctx.timeZone()))
    throw new UserError(`--date ${on} is in the future`, {
      code: "DATE_IN_FUTURE",
      hint: "record it once it was sent",
    });
  if (on < a.signedOn)
    throw new UserError(`--date ${on} is before the form was signed (${a.signedOn})`, {
      code: "DATES_OUT_OF_ORDER",
      hint: "check the date",
    });
  recordAuthorizationSubmitted(ctx, a, on);
  ctx.out.result(
    { authorization: a.id, submittedOn: on },
    () => `Recorded authorization ${a.id} as submitted to ${a.servicerName} on ${on}.`,
  );
  return 0;
}

/** `authorization revoke ID [--on D]`: the borrowers took it back; from that day no letter goes under it. */
async function runAuthorizationRevoke(ctx: Context, ref: string, opts: { on?: string }): Promise<number> {
  const today = isoDateIn(ctx.now, ctx.timeZone());
  const on = checkDate(opts.on ?? today, "--on", true) as string;
  if (on > today)
    throw new UserError(`--on ${on} is in the future`, {
      code: "DATE_IN_FUTURE",
      hint: "record a revocation once it was made",
    });
  const { findAuthorization, revokeAuthorization } = await import("../../app/authorizations.js");
  const a = findAuthorization(ctx, ref);
  revokeAuthorization(ctx, a, on);
  ctx.out.result(
    { authorization: a.id, revokedOn: on },
    () =>
      `Recorded authorization ${a.id} (${a.authorized}, loan ${a.accountNumber} at ${a.servicerName}) as revoked on ${on}: no letter for the borrowers goes to ${a.servicerName} under it.`,
  );
  return 0;
}

export const authorizationCommands: CommandModule = {
  groups: [{ name: "authorization", description: "signed third-party authorizations for a counselor" }],
  commands: [
    {
      name: "authorization add",
      description: "record a borrower's signed authorization form (kept by hash)",
      options: [
        { flags: "--loan <loan>", description: "the loan it covers (its servicer is the one authorized to talk)" },
        { flags: "--file <form>", description: "the signed form (PDF, JPEG or PNG)" },
        { flags: "--authorized <name>", description: "the counselor or agency authorized" },
        { flags: "--signer <name>", description: "who signed (repeat; default the loan's borrowers)", repeat: true },
        { flags: "--signed-on <date>", description: "the day it was signed (YYYY-MM-DD)" },
        { flags: "--expires-on <date>", description: "the day it expires, if it says (YYYY-MM-DD)" },
      ],
      run: runAuthorizationAdd,
    },
    {
      name: "authorization list",
      description: "authorizations, with whether each is valid, expiring, expired or revoked, and submitted",
      run: runAuthorizationList,
    },
    {
      name: "authorization submitted <id>",
      description: "record the day the form reached the servicer",
      options: [{ flags: "--date <date>", description: "YYYY-MM-DD" }],
      run: runAuthorizationSubmitted,
    },
    {
      name: "authorization revoke <id>",
      description: "record that the borrowers revoked it: no letter goes under it from that day",
      options: [{ flags: "--on <date>", description: "the day it was revoked (YYYY-MM-DD; default today)" }],
      run: runAuthorizationRevoke,
    },
  ],
};
