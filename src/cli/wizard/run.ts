/**
 * `loanmail new`, and `loanmail` with no command on a terminal: the guided terminal. It asks, in order, the loan
 * (loan-step.ts), what happened and the letter's fields (letter-step.ts), the paragraph and exhibits
 * (summary-step.ts), shows the whole letter and what it starts (review.ts), and asks once. Nothing is written before
 * that yes; then one app call (src/app/new-letter.ts) adds a new servicer and loan and composes the letter, all in
 * one transaction. Ctrl-C at any prompt is PROMPT_CANCELLED: exit 130, nothing written.
 */
import type { NewLetter } from "../../app/new-letter.js";
import { type ChannelDecision, decideChannel } from "../../domain/channel.js";
import { canBeFormal, type KindDef } from "../../domain/kinds.js";
import { buildSubject } from "../../domain/subject.js";
import { EXIT, UserError } from "../../errors.js";
import { composedDoc } from "../compose-text.js";
import type { Context } from "../context.js";
import { today } from "../dates.js";
import { sanitizeForTerminal } from "../output.js";
import { askYesNo, canAsk } from "../prompts.js";
import { askFields, chooseKind } from "./letter-step.js";
import { type Channels, chooseLoan, type LoanTarget } from "./loan-step.js";
import { type Review, reviewText } from "./review.js";
import { askExhibits, askSummary } from "./summary-step.js";

/** Without a terminal `new` asks nothing: it says how a script writes the letter instead. */
export function needsTerminal(): UserError {
  return new UserError("loanmail new asks its questions on a terminal, and this is not one (or --json was given)", {
    code: "NEEDS_TERMINAL",
    hint: "in a script, write the letter with loanmail compose KIND --loan N --set NAME=VALUE --summary TEXT (loanmail kinds lists the kinds)",
  });
}

/**
 * The channel the letter takes. A formal kind at a servicer with no designated notice address: the user may send
 * it as an ordinary letter to customer service (it then starts no Reg X notice clock, 1024.35(c), 1024.36(b)).
 */
async function channelFor(ctx: Context, kind: KindDef, servicer: Channels): Promise<ChannelDecision> {
  try {
    return decideChannel(kind, servicer, undefined);
  } catch (err) {
    if (!(err instanceof UserError) || err.code !== "NO_NOTICE_ADDRESS") throw err;
    ctx.out.warn(
      `${err.message}: a notice of error or request for information starts the Reg X clocks only there (12 C.F.R. 1024.35(c), 1024.36(b))`,
    );
    if (await askYesNo("Write it as an ordinary letter to customer service instead?", false))
      return decideChannel(kind, servicer, false);
    throw err;
  }
}

/** What the app call writes: a new servicer and loan when they were typed, and the letter. */
function newLetter(target: LoanTarget, kind: KindDef, letter: Omit<NewLetter["letter"], "kind" | "loan">): NewLetter {
  if (target.existing) return { letter: { ...letter, kind: kind.id, loan: String(target.loanId) } };
  const s = target.newServicer;
  return {
    ...(s
      ? { servicer: { name: s.name, input: { email: s.email, domains: s.domains, noticeAddress: s.noticeAddress } } }
      : {}),
    loan: { servicer: target.servicer.name, ...target.loan },
    letter: { ...letter, kind: kind.id },
  };
}

function adds(target: LoanTarget): string[] {
  if (target.existing) return [];
  return [
    ...(target.newServicer ? [`servicer ${target.newServicer.name}`] : []),
    `loan ${target.loan.accountNumber} at ${target.servicer.name}`,
  ];
}

export async function runWizard(ctx: Context): Promise<number> {
  if (!canAsk(ctx)) throw needsTerminal();
  const app = await import("../../app/new-letter.js");
  const start = app.wizardStart(ctx);
  const target = await chooseLoan(ctx, start);
  const kind = await chooseKind();
  const decision = await channelFor(ctx, kind, target.servicer);
  const day = today(ctx);
  const fields = await askFields(ctx, kind, day);
  const account = target.existing ? target.account : target.loan.accountNumber;
  const summary = await askSummary(ctx, kind, account, fields);
  const { paths, exhibits } = await askExhibits(ctx);
  const { plannedClocks } = await import("../../app/deadline.js");
  const facts = target.existing ? target.facts : { product: "closed-end" as const, principalResidence: true };
  const review: Review = {
    kind,
    subject: buildSubject(account, kind.label, start.nextTag),
    servicerName: target.servicer.name,
    decision,
    fields,
    summary,
    exhibits: exhibits.map((e) => e.fileName),
    adds: adds(target),
    planned: plannedClocks(kind.id, day, fields, {
      formal: decision.formal,
      channel: decision.channel,
      loan: { ...facts, smallServicer: target.servicer.small },
    }),
    today: day,
  };
  for (const w of decision.warnings) ctx.out.warn(w);
  process.stdout.write(`\n${sanitizeForTerminal(reviewText(review))}\n\n`);
  if (!(await askYesNo("Write this letter now?", true))) {
    ctx.out.note("Nothing was written.");
    return EXIT.ok;
  }
  const r = await app.writeNewLetter(
    ctx,
    newLetter(target, kind, {
      set: Object.entries(fields).map(([k, v]) => `${k}=${v}`),
      summary,
      attach: paths,
      formal: canBeFormal(kind) ? decision.formal : undefined,
      cc: [],
      allowSensitive: false,
    }),
  );
  for (const w of r.letter.warnings) ctx.out.warn(w);
  const id = r.letter.caseRecord.id;
  ctx.out.result(
    { servicer: r.servicer, loan: r.loan, case: r.letter.caseRecord, message: composedDoc(r.letter) },
    () =>
      [
        ...(r.servicer ? [`Added servicer ${r.servicer.name} (servicer ${r.servicer.id})`] : []),
        ...(r.loan ? [`Added loan ${r.loan.id}: account ${r.loan.accountNumber} at ${r.loan.servicerName}`] : []),
        `Composed ${r.letter.caseRecord.tag} (case ${id}): ${r.letter.subject}`,
        `  letter ${r.letter.messageRowId}: draft, nothing sent`,
        ...r.letter.exhibits.map((e) => `  ${e.fileName}`),
        r.letter.decision.channel === "post"
          ? `Next: loanmail show ${id} --pdf letter.pdf, mail it certified, then loanmail mailed ${id} --tracking T`
          : `Next: loanmail show ${id}, then loanmail send ${id}`,
      ].join("\n"),
  );
  return EXIT.ok;
}
