/**
 * `loanmail authorization add|list|submitted`: the borrower's signed third-party authorization that a
 * servicer needs before it talks to a housing counselor. The form is kept by hash; its expiry shows in `due`.
 */
import { basename } from "node:path";
import { readExhibits } from "../../app/attachments.js";
import { isoDateIn } from "../../app/letter-record.js";
import { isValidIsoDate } from "../../domain/calendar.js";
import { cleanLabel } from "../../domain/exhibits.js";
import { UserError } from "../../errors.js";
import {
  type Authorization,
  insertAuthorization,
  listAuthorizations,
  requireAuthorization,
  setAuthorizationSubmitted,
} from "../../store/authorizations.js";
import { appendEvent } from "../../store/events.js";
import { requireClient, requireLoan } from "../../store/loans.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { requireOption } from "../validate.js";

function checkDate(value: string | undefined, flag: string, required: boolean): string | null {
  if (value === undefined) {
    if (required) throw new UserError(`${flag} is required`, `write it as YYYY-MM-DD, e.g. ${flag} 2026-11-02`);
    return null;
  }
  if (!isValidIsoDate(value)) throw new UserError(`${flag} ${value}: not a date`, "write dates as YYYY-MM-DD");
  return value;
}

/** valid, expiring (within 30 days), or expired, on `today`. */
export function authorizationState(
  a: Pick<Authorization, "expiresOn">,
  today: string,
): "valid" | "expiring" | "expired" {
  if (!a.expiresOn) return "valid";
  if (a.expiresOn < today) return "expired";
  const soon = new Date(Date.parse(`${today}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10);
  return a.expiresOn <= soon ? "expiring" : "valid";
}

interface AddOptions {
  loan?: string;
  file?: string;
  authorized?: string;
  signer?: string[];
  signedOn?: string;
  expiresOn?: string;
}

export async function runAuthorizationAdd(ctx: Context, opts: AddOptions): Promise<number> {
  const db = ctx.db();
  const example =
    "loanmail authorization add --loan 1 --file signed-form.pdf --authorized 'Springfield Housing Counseling' --signed-on 2026-11-02";
  const loan = requireLoan(db, requireOption(opts.loan, "--loan", example));
  const file = requireOption(opts.file, "--file", example);
  const authorized = requireOption(opts.authorized?.trim(), "--authorized", example);
  const signedOn = checkDate(opts.signedOn, "--signed-on", true) as string;
  const expiresOn = checkDate(opts.expiresOn, "--expires-on", false);
  if (signedOn > isoDateIn(ctx.now, ctx.timeZone()))
    throw new UserError(`--signed-on ${signedOn} is in the future`, "give the day it was signed");
  if (expiresOn && expiresOn <= signedOn)
    throw new UserError(`--expires-on ${expiresOn} is not after --signed-on ${signedOn}`, "check the dates");
  const [form] = await readExhibits([file], ctx.config().limits);
  if (!form) throw new UserError(`--file ${file}: nothing to read`, "give the signed form (PDF, JPEG or PNG)");
  const signers = opts.signer?.map((s) => s.trim()).filter(Boolean) ?? loan.borrowers;
  const added = db.transaction(() => {
    const a = insertAuthorization(
      db,
      {
        loanId: loan.id,
        servicerId: loan.servicerId,
        authorized,
        signers,
        fileName: cleanLabel(basename(file)),
        file: form.data,
        signedOn,
        expiresOn,
      },
      ctx.nowIso,
    );
    appendEvent(db, {
      caseId: null,
      loanId: loan.id,
      at: ctx.nowIso,
      type: "authorization-added",
      actor: "user",
      data: { id: a.id, authorized, signers, signed_on: signedOn, expires_on: expiresOn, file_sha256: a.fileSha256 },
    });
    return a;
  })();
  ctx.out.result({ authorization: added }, () =>
    [
      `Recorded authorization ${added.id}: ${signers.join(", ")} authorized ${authorized} for loan ${loan.accountNumber} at ${loan.servicerName}, signed ${signedOn}${expiresOn ? `, expires ${expiresOn}` : ""}.`,
      `Send it with: loanmail compose third-party-authorization --loan ${loan.id} --set counselor='${authorized}' --attach ${file} --summary "..."`,
    ].join("\n"),
  );
  return 0;
}

export function runAuthorizationList(ctx: Context): number {
  const db = ctx.db();
  const today = isoDateIn(ctx.now, ctx.timeZone());
  const clientId = ctx.options.client ? requireClient(db, ctx.options.client) : undefined;
  const list = listAuthorizations(db, clientId).map((a) => ({ ...a, state: authorizationState(a, today) }));
  ctx.out.result({ asOf: today, authorizations: list }, () =>
    list.length === 0
      ? "No authorizations. Record a signed form with: loanmail authorization add --loan LOAN --file FORM --authorized NAME --signed-on D"
      : formatTable(
          ["ID", "ACCOUNT", "SERVICER", "AUTHORIZED", "SIGNED", "EXPIRES", "SUBMITTED", "STATE"],
          list.map((a) => [
            String(a.id),
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

export function runAuthorizationSubmitted(ctx: Context, ref: string, opts: { date?: string }): number {
  const db = ctx.db();
  const a = requireAuthorization(db, ref);
  const on = checkDate(opts.date, "--date", true) as string;
  if (on > isoDateIn(ctx.now, ctx.timeZone()))
    throw new UserError(`--date ${on} is in the future`, "record it once it was sent");
  if (on < a.signedOn)
    throw new UserError(`--date ${on} is before the form was signed (${a.signedOn})`, "check the date");
  db.transaction(() => {
    setAuthorizationSubmitted(db, a.id, on);
    appendEvent(db, {
      caseId: null,
      loanId: a.loanId,
      at: ctx.nowIso,
      type: "authorization-submitted",
      actor: "user",
      data: { id: a.id, on },
    });
  })();
  ctx.out.result(
    { authorization: a.id, submittedOn: on },
    () => `Recorded authorization ${a.id} as submitted to ${a.servicerName} on ${on}.`,
  );
  return 0;
}
