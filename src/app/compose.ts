/**
 * Compose: check everything (kind, fields, loan, channel, attachments, lint), build the exact MIME bytes, then
 * write case, message, exhibits and the `composed` event in one transaction. A refusal writes nothing.
 */
import { randomBytes } from "node:crypto";
import type { Config } from "../config/config.js";
import { addYears } from "../domain/borrower-deadlines.js";
import { type ChannelDecision, decideChannel } from "../domain/channel.js";
import type { PriorServicerData } from "../domain/events.js";
import { parseSetOptions, validateFields } from "../domain/fields.js";
import { kindWording, withLoanFields } from "../domain/kind-wording.js";
import { canBeFormal, isKindId, type KindDef, kindDef, unknownKind } from "../domain/kinds.js";
import type { LanguageSource, LetterLanguage } from "../domain/language.js";
import { buildLetterBody, type ReferencedLetter } from "../domain/letter.js";
import { lintLetter } from "../domain/lint.js";
import type { SaleReferral } from "../domain/referral.js";
import { OUTSIDE_REGX, regXSectionOf, regXSectionOutside } from "../domain/regx-scope.js";
import { buildSubject, caseTag } from "../domain/subject.js";
import { voiceOf } from "../domain/voice.js";
import { UserError } from "../errors.js";
import { buildMime } from "../mail/mime.js";
import { type CaseRecord, insertCase, nextCaseId, requireCase } from "../store/cases.js";
import { type Db, inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import { type Loan, listPastAccounts, requireLoan } from "../store/loans.js";
import { insertAttachments, insertDraft, listAttachments, listCaseMessages, sha256Hex } from "../store/messages.js";
import { requireServicer, type Servicer } from "../store/servicers.js";
import { type Exhibit, readExhibits } from "./attachments.js";
import { requireCaseFor, requireCaseOfClient, requireLoanFor, type Scope, scopeOf } from "./client-scope.js";
import { type ComposeAuthority, composeAuthority } from "./compose-authority.js";
import { readSummary, writtenWhen } from "./compose-input.js";
import { languageOfLetter } from "./letter-language.js";
import { applyLint, buildLintInput, readReferencedLetter, senderOf } from "./letter-record.js";
import { addressedLoan, checkPriorServicerKind, resolvePriorServicer } from "./prior-servicer.js";
import { isNewSaleDate, referralFor } from "./sale-referral.js";
import { readTemplate } from "./templates.js";

export interface ComposeRequest {
  kind: string;
  loan?: string;
  case?: string;
  set: readonly string[];
  summary?: string;
  bodyFile?: string;
  attach: readonly string[];
  formal?: boolean;
  to?: string;
  cc: readonly string[];
  allowSensitive: boolean;
  /**
   * The servicer's own third-party authorization form, for a kind every borrower signs: attached as the letter's
   * first exhibit, and the letter says so.
   */
  servicerForm?: string | undefined;
  /** Values the caller cites verbatim and knows are safe (an escalation's Message-IDs): lint does not refuse them. */
  exempt?: readonly string[];
  /** This letter is the informal copy of the case's formal one: it says so, and keeps the same exhibit letters. */
  copyOf?: { firstExhibit: number };
  /**
   * The day the letter was written (YYYY-MM-DD), when it is entered later: a letter of a dispute already under
   * way. Its text and Date carry that day; the record keeps both (`composed` at entry, `dated` the written day),
   * and later dates (mailed, sent, delivered) are checked against it. It starts no clock by itself.
   */
  dated?: string | undefined;
  /**
   * Address the letter to the loan's servicer before a transfer (`--prior-servicer [NAME]`): `true` for the one
   * transferred from last, or its name. Only notices of error and requests for information (prior-servicer.ts).
   */
  priorServicer?: string | true | undefined;
  /** A copy (copyOf) carries the authorization's signed form exactly when its formal letter did. */
  carryForm?: boolean | undefined;
  /** The language to write in (`compose --lang`); else the loan's, else the client's preference (language.ts). */
  lang?: LetterLanguage | undefined;
}

export interface ComposeDeps {
  db: Db;
  config: Config;
  prefix: string;
  now: Date;
  /** The command's client fence (client-scope.ts); none when absent. */
  scope?: Scope;
}

export interface ComposeResult {
  caseRecord: CaseRecord;
  newCase: boolean;
  messageRowId: number;
  messageId: string;
  subject: string;
  decision: ChannelDecision;
  exhibits: Omit<Exhibit, "data">[];
  sha256: string;
  size: number;
  warnings: string[];
  /** The day written (YYYY-MM-DD): `dated` when given, else today. */
  writtenOn: string;
  /** The `--dated` day, when the letter was written before it was entered; else null. */
  dated: string | null;
  /** The servicer before a transfer the letter is addressed to (`--prior-servicer`), else null. */
  priorServicer: PriorServicerData | null;
  /** In a counselor's home: the authorization written under, and the exhibit carrying its form (or null). */
  authorization: { id: number; formExhibit: string | null } | null;
  /** A foreclosure sale date this letter gives for the first time in its case: the referral, said once. */
  referral: SaleReferral | undefined;
  /** The language the letter is written in, and what chose it (the subject stays English). */
  lang: LetterLanguage;
  langFrom: LanguageSource;
}

function letterReferral(
  deps: ComposeDeps,
  c: CaseRecord,
  saleDate: string | undefined,
  messageId: number,
): SaleReferral | undefined {
  if (saleDate === undefined || !isNewSaleDate(deps.db, c, saleDate, { messageId })) return undefined;
  return referralFor(deps.db, c, saleDate, deps.now, deps.config.user.timezone);
}

/** The message-id domain: the user's own mail domain, so the id is globally unique and plausibly theirs. */
function messageIdFor(tag: string, email: string): string {
  const domain = email.split("@")[1] ?? "loanmail.invalid";
  // Dots, not the tag's hyphens: a printed letter may break a line after a hyphen, splitting a cited id.
  return `<${tag.replace(/-/g, ".")}.${randomBytes(6).toString("hex")}@${domain}>`;
}

function resolveKind(kind: string): KindDef {
  if (!isKindId(kind)) {
    throw unknownKind(kind);
  }
  return kindDef(kind);
}

/** The files to attach, the servicer's own form (compose --servicer-form) first, labelled in the letter's language. */
function attachments(req: ComposeRequest, kind: KindDef, servicer: Servicer, lang: LetterLanguage): readonly string[] {
  if (req.servicerForm === undefined) return req.attach;
  if (!kind.signedByBorrowers) {
    throw new UserError(
      `--servicer-form is for a letter every borrower signs (third-party-authorization), not ${kind.id}`,
      {
        code: "OPTION_NOT_FOR_KIND",
        hint: "attach documents with --attach FILE=LABEL",
      },
    );
  }
  const label =
    lang === "es"
      ? `formulario de autorización de terceros de ${servicer.name}`
      : `${servicer.name} third-party authorization form`;
  return [`${req.servicerForm}=${label}`, ...req.attach];
}

/** The case a letter goes into (an existing one, or none yet for a new case) and its loan. */
function caseAndLoan(scope: Scope, req: ComposeRequest): { existing: CaseRecord | undefined; loan: Loan } {
  const db = scope.db();
  if ((req.loan === undefined) === (req.case === undefined)) {
    throw req.loan === undefined
      ? new UserError("compose needs --loan or --case", {
          code: "COMPOSE_NEEDS_LOAN_OR_CASE",
          hint: "name the loan to open a new case, or the case to add this letter to",
        })
      : new UserError("give --loan or --case, not both", {
          code: "COMPOSE_LOAN_AND_CASE",
          hint: "name the loan to open a new case, or the case to add this letter to",
        });
  }
  if (req.case === undefined) return { existing: undefined, loan: requireLoanFor(scope, req.loan ?? "") };
  const existing = requireCaseFor(scope, req.case);
  if (existing.status === "discarded") {
    throw new UserError(`case ${existing.tag} was discarded`, {
      code: "COMPOSE_INTO_DISCARDED_CASE",
      hint: "compose for the loan instead, which opens a new case",
    });
  }
  return { existing, loan: requireLoan(db, String(existing.loanId)) };
}

/** Everything about the letter that does not depend on its case number. */
interface LetterPlan {
  kind: KindDef;
  existing: CaseRecord | undefined;
  loan: Loan;
  servicer: Servicer;
  pastAccounts: string[];
  fields: Record<string, string>;
  reference: ReferencedLetter | undefined;
  summary: string;
  decision: ChannelDecision;
  exhibits: Exhibit[];
  /** The day written (YYYY-MM-DD), the instant its Date carries, and whether it was given with --dated. */
  written: { on: string; at: Date; dated: boolean };
  /** Addressed to the servicer before a transfer; `loan` then names that servicer and its account number. */
  prior: PriorServicerData | undefined;
  /** Why Regulation X does not reach this letter on this loan (regx-scope.ts), else null. */
  outsideRegX: string | null;
  /** A counselor's letter: its authorization, the signed form it carries, the "on behalf of" words. */
  authority: ComposeAuthority | undefined;
  /** The language it is written in (its body, dates, exhibit names; never its subject). */
  lang: LetterLanguage;
}

/** A draft with its case number settled: subject, checked body and the exact bytes to send. */
interface Draft {
  caseId: number;
  subject: string;
  body: string;
  warnings: string[];
  messageId: string;
  raw: Buffer;
}

async function buildDraft(plan: LetterPlan, req: ComposeRequest, deps: ComposeDeps, caseId: number): Promise<Draft> {
  const { config, prefix } = deps;
  const { kind, loan, fields, reference, decision, exhibits } = plan;
  const tag = caseTag(prefix, caseId);
  const subject = buildSubject(loan.accountNumber, kind.label, tag);
  // A counselor's letter names the borrower's acts as the borrower's: its template and derived words both say so.
  const voice = voiceOf(plan.authority?.onBehalf);
  const wording = kindWording({
    kind: kind.id,
    fields,
    writtenOn: plan.written.on,
    borrowers: loan.borrowers,
    // The signed third-party authorization carried as an exhibit is no financial document: a letter whose only
    // exhibit it is sends none by email, and is not warned as if it did.
    exhibits: exhibits.filter((e) => e.exhibit !== plan.authority?.form?.exhibit).map((e) => e.fileName),
    channel: decision.channel,
    loan: { product: loan.product, principalResidence: loan.principalResidence, smallServicer: plan.servicer.small },
    servicerName: plan.servicer.name,
    servicerForm: req.servicerForm !== undefined ? exhibits[0]?.exhibit : undefined,
    lang: plan.lang,
    voice,
  });
  const body = buildLetterBody({
    kind,
    fields,
    formal: decision.formal,
    toDesignated: decision.formal && (decision.channel === "notice-email" || decision.channel === "post"),
    copyOfFormal: req.copyOf !== undefined,
    template: readTemplate(kind.id, plan.lang, voice),
    servicerName: plan.servicer.name,
    borrowers: loan.borrowers,
    account: loan.accountNumber,
    property: loan.propertyAddress,
    summary: plan.summary,
    userName: config.user.name,
    userPhone: config.user.phone,
    userEmail: config.user.email,
    tag,
    exhibits: exhibits.map((e) => e.fileName),
    reference,
    derived: wording.values,
    outsideRegX: plan.outsideRegX,
    onBehalf: plan.authority?.onBehalf,
    lang: plan.lang,
  });
  const agencyId = plan.authority?.onBehalf.hudAgencyId;
  const exempt = [...(reference ? [reference.messageId] : []), ...(req.exempt ?? []), ...(agencyId ? [agencyId] : [])];
  const lintWarnings = applyLint(
    lintLetter(buildLintInput(body, kind.id, loan, fields, exempt, plan.pastAccounts)),
    req.allowSensitive,
  );
  const messageId = messageIdFor(tag, config.user.email);
  const raw = await buildMime({
    from: senderOf(config),
    to: decision.to ? [decision.to] : [],
    cc: [...req.cc],
    subject,
    text: body,
    messageId,
    date: plan.written.at,
    lang: plan.lang,
    attachments: exhibits.map((e) => ({ fileName: e.fileName, contentType: e.contentType, data: e.data })),
  });
  const warnings = [...decision.warnings, ...wording.warnings, ...lintWarnings];
  return { caseId, subject, body, warnings, messageId, raw };
}

/**
 * Store the draft (and its new case) with its exhibits and `composed` event in one transaction; undefined when
 * another process took the planned case number meanwhile.
 */
function storeDraft(
  deps: ComposeDeps,
  plan: LetterPlan,
  req: ComposeRequest,
  d: Draft,
): { caseRecord: CaseRecord; rowId: number } | undefined {
  const { db, config, prefix } = deps;
  const { kind, existing, loan, decision, exhibits } = plan;
  const nowIso = deps.now.toISOString();
  return inTransaction(db, () => {
    if (!existing && nextCaseId(db) !== d.caseId) return undefined;
    const caseRecord =
      existing ??
      insertCase(
        db,
        { loanId: loan.id, kind: kind.id, formal: decision.formal, channel: decision.channel, openedAt: nowIso },
        prefix,
      );
    const rowId = insertDraft(db, {
      caseId: caseRecord.id,
      channel: decision.channel,
      kind: kind.id,
      fields: plan.fields,
      summary: plan.summary,
      priorServicer: plan.prior,
      lang: plan.lang,
      messageId: d.messageId,
      from: config.user.email,
      to: decision.to ? [decision.to] : [],
      cc: [...req.cc],
      postalAddress: decision.postalAddress,
      subject: d.subject,
      bodyText: d.body,
      date: plan.written.at.toISOString(),
      raw: d.raw,
      now: nowIso,
    });
    insertAttachments(
      db,
      rowId,
      exhibits.map((e) => ({
        position: e.position,
        exhibit: e.exhibit,
        label: e.label,
        fileName: e.fileName,
        contentType: e.contentType,
        data: e.data,
      })),
    );
    appendEvent(db, {
      caseId: caseRecord.id,
      loanId: loan.id,
      at: nowIso,
      type: "composed",
      actor: "user",
      messageId: rowId,
      data: {
        kind: kind.id,
        new_case: !existing,
        formal: decision.formal,
        channel: decision.channel,
        to: decision.to,
        cc: [...req.cc],
        postal_address: decision.postalAddress,
        subject: d.subject,
        message_id: d.messageId,
        sha256: sha256Hex(d.raw),
        exhibits: exhibits.map((e) => ({ exhibit: e.exhibit, file: e.fileName, sha256: sha256Hex(e.data) })),
        warnings: d.warnings,
        allow_sensitive: req.allowSensitive,
        lang: plan.lang,
        ...(plan.written.dated ? { dated: plan.written.on } : {}),
        ...(plan.prior ? { prior_servicer: plan.prior } : {}),
        ...(plan.authority ? { authorization: authorizationData(plan.authority) } : {}),
      },
    });
    return { caseRecord, rowId };
  });
}

/**
 * What Regulation X means for this letter: why it does not reach it (a HELOC, loss mitigation outside 1024.41),
 * and the warnings to show: that it claims no federal deadline, and that a prior servicer need not answer a notice
 * written more than a year after the transfer (12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A)).
 */
function regXScopeOf(
  kind: KindDef,
  loan: Loan,
  servicer: Servicer,
  prior: PriorServicerData | undefined,
  writtenOn: string,
): { outside: string | null; warnings: string[] } {
  const facts = {
    product: loan.product,
    principalResidence: loan.principalResidence,
    smallServicer: servicer.small,
    slaDays: servicer.slaDays,
  };
  const section = regXSectionOf(kind.substance);
  const outside = section ? regXSectionOutside(section, facts) : null;
  const warnings = outside ? [`${OUTSIDE_REGX} (${outside})`] : [];
  if (outside && loan.product === "heloc" && kind.substance === "noe")
    warnings.push(
      "a billing error on a HELOC statement has its own procedure under Regulation Z (12 C.F.R. 1026.13: within 60 days of the statement, to the billing-error address), which loanmail does not track",
    );
  if (prior && writtenOn > addYears(prior.transferred_on, 1))
    warnings.push(
      `${prior.servicer} need not answer: servicing was transferred from it on ${prior.transferred_on}, more than a year before this letter (12 C.F.R. 1024.35(g)(1)(iii)(A), 1024.36(f)(1)(v)(A))`,
    );
  return { outside, warnings };
}

function authorizationData(a: ComposeAuthority): { id: number; form_exhibit: string | null } {
  return { id: a.authorization.id, form_exhibit: a.form?.exhibit ?? null };
}

/** Compose a draft letter; throws UserError (and writes nothing) on any bad input. */
export async function composeLetter(deps: ComposeDeps, req: ComposeRequest): Promise<ComposeResult> {
  const { db, config, prefix } = deps;
  const kind = resolveKind(req.kind);
  const written = { ...writtenWhen(req, deps.now, config.user.timezone), dated: req.dated !== undefined };
  const fence = scopeOf(deps);
  const cased = caseAndLoan(fence, req);
  const { existing } = cased;
  if (req.priorServicer !== undefined) checkPriorServicerKind(kind.id, canBeFormal(kind));
  const prior = req.priorServicer === undefined ? undefined : resolvePriorServicer(db, cased.loan, req.priorServicer);
  // A letter to the prior servicer names it and the account number the loan had there; every number is the user's.
  const loan = addressedLoan(cased.loan, prior);
  const servicer = requireServicer(db, loan.servicerId);
  const pastAccounts = [cased.loan.accountNumber, ...listPastAccounts(db, loan.id).map((a) => a.accountNumber)];
  // What the loan records fills a field the user did not give (an escalation request's delinquent-since).
  const fields = withLoanFields(kind.id, validateFields(kind, parseSetOptions(req.set)), cased.loan, written.on);
  // The case a letter cites is its own client's: one household's letter never cites another's.
  if (fields.case !== undefined)
    requireCaseOfClient(fence, fields.case, { id: cased.loan.clientId, name: cased.loan.clientName });
  const reference =
    fields.case !== undefined
      ? readReferencedLetter(db, fields.case, prefix, config.user.timezone, kind, written.on)
      : undefined;
  const summary = readSummary(req);
  const decision = decideChannel(kind, servicer, req.formal, req.to?.trim());
  const scope = regXScopeOf(kind, cased.loan, servicer, prior, written.on);
  decision.warnings.push(...scope.warnings);
  const firstPosition =
    req.copyOf?.firstExhibit ??
    (existing ? listCaseMessages(db, existing.id).reduce((n, m) => n + listAttachments(db, m.id).length, 0) : 0);
  const language = languageOfLetter(db, cased.loan, req.lang);
  const { lang } = language;
  // A counselor's letter goes only under a valid authorization; the first to the servicer carries its form.
  const authority = await composeAuthority(db, loan, kind.id, written.on, firstPosition, req.carryForm, lang);
  const form = authority?.form;
  const files = attachments(req, kind, servicer, lang);
  const exhibits = [
    ...(form ? [form] : []),
    ...(await readExhibits(files, config.limits, firstPosition + (form ? 1 : 0), "--attach", lang)),
  ];
  const plan: LetterPlan = {
    kind,
    existing,
    loan,
    servicer,
    pastAccounts,
    fields,
    reference,
    summary,
    decision,
    exhibits,
    written,
    prior,
    outsideRegX: scope.outside,
    authority,
    lang,
  };

  // The tag needs the case id; plan it now and check in the transaction that nobody took it meanwhile.
  for (let attempt = 0; attempt < 3; attempt++) {
    const draft = await buildDraft(plan, req, deps, existing?.id ?? nextCaseId(db));
    const written = storeDraft(deps, plan, req, draft);
    if (!written) continue;
    return {
      caseRecord: requireCase(db, String(written.caseRecord.id), prefix),
      newCase: !existing,
      messageRowId: written.rowId,
      messageId: draft.messageId,
      subject: draft.subject,
      decision,
      exhibits: exhibits.map(({ data: _data, ...rest }) => rest),
      sha256: sha256Hex(draft.raw),
      size: draft.raw.length,
      warnings: draft.warnings,
      writtenOn: plan.written.on,
      dated: plan.written.dated ? plan.written.on : null,
      priorServicer: prior ?? null,
      authorization: authority
        ? { id: authority.authorization.id, formExhibit: authorizationData(authority).form_exhibit }
        : null,
      lang,
      langFrom: language.from,
      referral: letterReferral(deps, written.caseRecord, fields["sale-date"], written.rowId),
    };
  }
  throw new UserError("another loanmail process kept opening cases at the same time", {
    code: "CASE_NUMBER_CONTENDED",
    hint: "run compose again",
  });
}
