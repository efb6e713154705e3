/** `loanmail servicer add|set|list`. */
import { UserError } from "../../errors.js";
import { appendEvent } from "../../store/events.js";
import {
  insertServicer,
  listServicers,
  requireServicer,
  type Servicer,
  type ServicerInput,
  updateServicer,
} from "../../store/servicers.js";
import type { Context } from "../context.js";
import { formatTable } from "../output.js";
import { checkDomain, checkEmail, checkPositiveInt, requireOption } from "../validate.js";

interface ServicerOptions {
  domain?: string[];
  email?: string;
  slaDays?: string;
  noticeAddress?: string;
  noticeEmail?: string;
  payoffEmail?: string;
  payoffAddress?: string;
  small?: boolean;
}

function toInput(opts: ServicerOptions): ServicerInput {
  const address = (v: string | undefined) => (v === undefined ? undefined : v.replace(/\\n/g, "\n").trim() || null);
  const email = (v: string | undefined, flag: string) => (v === undefined ? undefined : checkEmail(v, flag));
  return {
    email: email(opts.email, "--email"),
    domains: opts.domain?.map(checkDomain),
    slaDays: opts.slaDays === undefined ? undefined : checkPositiveInt(opts.slaDays, "--sla-days", 60),
    noticeAddress: address(opts.noticeAddress),
    noticeEmail: email(opts.noticeEmail, "--notice-email"),
    payoffEmail: email(opts.payoffEmail, "--payoff-email"),
    payoffAddress: address(opts.payoffAddress),
    small: opts.small,
  };
}

function describe(s: Servicer): string {
  const lines = [
    `${s.name} (servicer ${s.id})`,
    `  email:          ${s.email} (promises an answer in ${s.slaDays} business days)`,
    `  reply domains:  ${s.domains.join(", ") || "none"}`,
    `  notices:        ${s.noticeEmail ?? (s.noticeAddress ? s.noticeAddress.replace(/\n/g, ", ") : "not recorded")}`,
    `  payoff:         ${s.payoffEmail ?? s.payoffAddress?.replace(/\n/g, ", ") ?? "not recorded"}`,
  ];
  if (s.small) lines.push("  small servicer");
  return lines.join("\n");
}

export function runServicerAdd(ctx: Context, name: string, opts: ServicerOptions): number {
  const cleanName = requireOption(name.trim() || undefined, "NAME", 'loanmail servicer add "Mr. Cooper" ...');
  const input = toInput(opts);
  const email = requireOption(input.email, "--email", `loanmail servicer add "${cleanName}" --email help@example.com`);
  if (!input.domains || input.domains.length === 0) {
    throw new UserError(
      "--domain is required",
      `name the domain its replies come from, e.g. loanmail servicer add "${cleanName}" --domain ${email.split("@")[1]} --email ${email}`,
    );
  }
  const db = ctx.db();
  const servicer = db.transaction(() => {
    const s = insertServicer(db, cleanName, { ...input, email }, ctx.nowIso);
    appendEvent(db, { caseId: null, at: ctx.nowIso, type: "servicer-added", actor: "user", data: { ...s } });
    return s;
  })();
  ctx.out.result({ servicer }, () => `Added ${describe(servicer)}`);
  if (!servicer.noticeAddress && !servicer.noticeEmail) {
    ctx.out.note(
      `Formal notices need the designated notice address from your statement: loanmail servicer set "${servicer.name}" --notice-address "..."`,
    );
  }
  return 0;
}

export function runServicerSet(ctx: Context, name: string, opts: ServicerOptions): number {
  const db = ctx.db();
  const current = requireServicer(db, name);
  const input = toInput(opts);
  if (Object.values(input).every((v) => v === undefined)) {
    throw new UserError("nothing to change", "give at least one option, e.g. --notice-address TEXT");
  }
  const servicer = db.transaction(() => {
    const s = updateServicer(db, current, input);
    appendEvent(db, { caseId: null, at: ctx.nowIso, type: "servicer-changed", actor: "user", data: { ...s } });
    return s;
  })();
  ctx.out.result({ servicer }, () => `Changed ${describe(servicer)}`);
  return 0;
}

export function runServicerList(ctx: Context): number {
  const servicers = listServicers(ctx.db());
  ctx.out.result({ servicers }, () =>
    servicers.length === 0
      ? "No servicers yet. Add one: loanmail servicer add NAME --domain D --email ADDR"
      : formatTable(
          ["ID", "NAME", "EMAIL", "DOMAINS", "NOTICES"],
          servicers.map((s) => [
            String(s.id),
            s.name,
            s.email,
            s.domains.join(","),
            s.noticeEmail ? `email ${s.noticeEmail}` : s.noticeAddress ? "post" : "-",
          ]),
        ),
  );
  return 0;
}
