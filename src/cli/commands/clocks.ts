/** Clock commands: `due`, `deadline`, `event`, `filed`. Clocks are computed, never stored. */
import { readCaseClockInput } from "../../app/clock-facts.js";
import { isoDateIn } from "../../app/letter-record.js";
import { isValidIsoDate } from "../../domain/calendar.js";
import {
  borrowerDeadline,
  type Clock,
  type ClockLetter,
  computeClocks,
  transferDeadline,
} from "../../domain/clocks.js";
import { parseSetOptions, validateFields } from "../../domain/fields.js";
import { isKindId, KIND_IDS, kindDef } from "../../domain/kinds.js";
import { EXIT, UserError } from "../../errors.js";
import { listAuthorizations } from "../../store/authorizations.js";
import { type CaseRecord, listCases, requireCase } from "../../store/cases.js";
import { appendCaseEvent, eventOf } from "../../store/events.js";
import { listLoans, listPastAccounts, requireClient } from "../../store/loans.js";
import { clockOutcome } from "../clock-text.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { checkPositiveInt } from "../validate.js";

function checkDate(value: string | undefined, flag: string): string {
  if (value === undefined || !isValidIsoDate(value))
    throw new UserError(`${flag} ${value ?? ""}: not a date`.trim(), "write dates as YYYY-MM-DD");
  return value;
}

/** The day `--as-of` names, else today in the user's time zone. */
export function asOfDate(ctx: Context, asOf: string | undefined): string {
  return asOf === undefined ? isoDateIn(ctx.now, ctx.timeZone()) : checkDate(asOf, "--as-of");
}

/** Clocks of one case on a day. */
export function caseClocks(ctx: Context, c: CaseRecord, asOf: string): Clock[] {
  return computeClocks(readCaseClockInput(ctx.db(), c, ctx.timeZone()), asOf);
}

interface DueRow {
  case: string | null;
  caseId: number | null;
  clock: Clock;
}

export function runDue(ctx: Context, opts: { within?: string; asOf?: string; check?: boolean }): number {
  const db = ctx.db();
  const asOf = asOfDate(ctx, opts.asOf);
  const within = opts.within === undefined ? undefined : checkPositiveInt(opts.within, "--within", 3650);
  const rows: DueRow[] = [];
  const clientId = ctx.options.client ? requireClient(db, ctx.options.client) : undefined;
  for (const c of listCases(db, { clientId }).filter((x) => x.status === "open" || x.status === "unresolved")) {
    for (const clock of caseClocks(ctx, c, asOf)) rows.push({ case: c.tag, caseId: c.id, clock });
  }
  for (const loan of listLoans(db, clientId)) {
    const past = listPastAccounts(db, loan.id);
    past.forEach((p, i) => {
      const to = past[i + 1]?.servicerName ?? loan.servicerName;
      rows.push({ case: null, caseId: null, clock: transferDeadline(p.until, to, asOf) });
    });
  }
  // A counselor's authority ends with the form: its expiry is the borrower's deadline to renew it.
  for (const a of listAuthorizations(db, clientId)) {
    if (!a.expiresOn) continue;
    rows.push({
      case: null,
      caseId: null,
      clock: borrowerDeadline(
        `authorization-${a.id}`,
        `Renew the third-party authorization for ${a.authorized}`,
        `${a.servicerName}'s authorization form`,
        { what: "form signed", on: a.signedOn },
        a.expiresOn,
        asOf,
      ),
    });
  }
  const horizon =
    within === undefined
      ? undefined
      : new Date(Date.parse(`${asOf}T00:00:00Z`) + within * 86_400_000).toISOString().slice(0, 10);
  const open = rows
    .filter((r) => r.clock.status === "open" || r.clock.status === "late")
    .filter((r) => r.clock.status === "late" || horizon === undefined || (r.clock.dueLenient ?? "") <= horizon)
    .sort((a, b) => (a.clock.dueLenient ?? "").localeCompare(b.clock.dueLenient ?? ""));
  const late = open.filter((r) => r.clock.status === "late" && r.clock.party === "servicer");
  ctx.out.result(
    { asOf, clocks: open.map((r) => ({ case: r.case, caseId: r.caseId, ...r.clock })), late: late.length },
    () =>
      open.length === 0
        ? `No open clocks on ${asOf}.`
        : formatTable(
            ["DUE", "CASE", "CLOCK", "RULE", "STATUS"],
            open.map((r) => [
              r.clock.dueLenient ?? "",
              r.case ?? "loan",
              `${r.clock.party === "borrower" ? "YOU: " : ""}${r.clock.name}`,
              r.clock.rule,
              clockOutcome(r.clock),
            ]),
          ),
  );
  return opts.check && late.length > 0 ? EXIT.late : EXIT.ok;
}

export function runDeadline(
  ctx: Context,
  kindArg: string,
  opts: { received?: string; set?: string[]; formal?: boolean },
): number {
  if (!isKindId(kindArg)) throw new UserError(`unknown letter kind "${kindArg}"`, `use one of: ${KIND_IDS.join(", ")}`);
  const kind = kindDef(kindArg);
  const received = checkDate(opts.received, "--received");
  const given = parseSetOptions(opts.set ?? []);
  // Planning: required fields the user has not decided yet are not needed to know the clocks.
  const fields = validateFields({ ...kind, fields: kind.fields.map((f) => ({ ...f, required: false })) }, given);
  const letter: ClockLetter = {
    messageId: 0,
    kind: kind.id,
    substance: kind.substance,
    formal: true,
    channel:
      kind.substance === "payoff" || kind.substance === "loss-mitigation" || kind.substance === "insurance-proof"
        ? "email"
        : "notice-email",
    leftOn: received,
    deliveredOn: received,
    fields,
  };
  const loan = { product: "closed-end" as const, principalResidence: true, smallServicer: false, slaDays: 3 };
  const clocks = computeClocks({ loan, letters: [letter], replies: [], events: [] }, received).filter(
    (c) => !c.id.startsWith("promise-"),
  );
  ctx.out.result({ kind: kind.id, received, clocks }, () =>
    clocks.length === 0
      ? `A ${kind.id} letter starts no regulatory clock (only the servicer's own promise, for email).`
      : [
          `If a ${kind.id} letter is received at the designated channel on ${received}:`,
          ...clocks.map(
            (c) =>
              `  ${c.name} [${c.rule}]: due ${c.dueStrict}${c.dueLenient !== c.dueStrict ? ` (lenient ${c.dueLenient})` : ""}${c.note ? `; ${c.note}` : ""}`,
          ),
        ].join("\n"),
  );
  return 0;
}

const EVENT_TYPES = ["paid-off", "application-complete", "denied"] as const;
type RecordedEventType = (typeof EVENT_TYPES)[number];
const isRecordedEventType = (v: string): v is RecordedEventType => (EVENT_TYPES as readonly string[]).includes(v);

export function runEvent(ctx: Context, ref: string, type: string, opts: { date?: string; saleDate?: string }): number {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  if (!isRecordedEventType(type)) {
    throw new UserError(`"${type}" is not an event loanmail tracks`, `use one of: ${EVENT_TYPES.join(", ")}`);
  }
  const on = checkDate(opts.date, "--date");
  if (on > isoDateIn(ctx.now, ctx.timeZone()))
    throw new UserError(`--date ${on} is in the future`, "record it once it has happened");
  const data: { on: string; "sale-date"?: string } = { on };
  if (opts.saleDate !== undefined) data["sale-date"] = checkDate(opts.saleDate, "--sale-date");
  const ev = db.transaction(() => appendCaseEvent(db, c, { at: ctx.nowIso, actor: "user", ...eventOf(type, data) }))();
  ctx.out.result({ case: c.tag, event: { id: ev.id, type, on } }, () => `Recorded ${type} on ${on} for ${c.tag}.`);
  return 0;
}

export function runFiled(ctx: Context, ref: string, opts: { cfpbId?: string; date?: string }): number {
  const db = ctx.db();
  const c = requireCase(db, ref, ctx.prefix());
  const id = opts.cfpbId?.trim();
  if (!id) throw new UserError("--cfpb-id is required", "the complaint number the CFPB gave you, e.g. 261127-12345678");
  const on = checkDate(opts.date, "--date");
  if (on > isoDateIn(ctx.now, ctx.timeZone()))
    throw new UserError(`--date ${on} is in the future`, "record it once it was filed");
  db.transaction(() =>
    appendCaseEvent(db, c, { at: ctx.nowIso, type: "cfpb-filed", actor: "user", data: { on, "cfpb-id": id } }),
  )();
  ctx.out.result(
    { case: c.tag, cfpbId: id, on },
    () => `Recorded CFPB complaint ${id} of ${on} for ${c.tag}; its process clocks now run.`,
  );
  return 0;
}
