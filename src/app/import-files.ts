/**
 * `import FILE|FOLDER ...`: saved mail brought into the record (docs/ARCHITECTURE.md, "Importing what users
 * have"). Each source is an .eml, an mbox or a Maildir (src/mail/message-sources.ts); every message of it goes
 * through the one ingest path (src/app/ingest.ts: plan, classify, file, store with a `received` event), or is
 * recorded as the user's own letter when it is from their own address (src/app/own-letters.ts).
 *
 * A saved .eml is the user's deliberate choice: it is kept even when nothing threads it. An mbox or a Maildir is
 * usually a whole mailbox (a Gmail Takeout export): of it, as of a synced mailbox, only mail about the loans is
 * kept (threaded to a case, carrying a case tag, from a servicer's domain, or the user's own letter to a servicer);
 * the rest is counted as skipped, unless the user asks for every message (`all`).
 *
 * Every source is told apart before any is read into the record: one that is neither is refused and nothing is
 * written. Then each file is one transaction: its messages are stored all together or, when one is refused (over
 * limits.message_mb) or the file cannot be read to its end, none of them, and the next file is taken. The result
 * says per file what came in.
 */
import type { Config } from "../config/config.js";
import type { Progress } from "../domain/progress.js";
import type { ArrivalSource } from "../domain/reply-arrival.js";
import type { ServicerIdentity, TrustStatus } from "../domain/reply-trust.js";
import { type PlanDecision, servicerOfAddress, type ThreadIndex } from "../domain/sync-plan.js";
import { count } from "../domain/words.js";
import { UserError } from "../errors.js";
import { type MessageSource, openSource, readMessages, type SourceKind } from "../mail/message-sources.js";
import { type MessageParser, type ParsedMail, parseMail } from "../mail/parse.js";
import { type Db, inTransaction, inTransactionAsync } from "../store/db.js";
import { readThreadIndex } from "../store/mail.js";
import { findMessage } from "../store/messages.js";
import { refuseFence, type Scope, scopeOf } from "./client-scope.js";
import { checkFiled, commitIncoming, fileParsed, planImported, planInputOf, planReusedId } from "./ingest.js";
import { commitOwnLetter, isFromUser, ownAddresses } from "./own-letters.js";
import { type DkimOption, type MailboxOwner, ownerOfConfig, ownLetterCopyOf, servicersMemo } from "./reply-checks.js";
import { type ReplyHome, readReplyHome } from "./reply-home.js";

type KeepDecision = Extract<PlanDecision, { action: "keep" }>;

const MB = 1024 * 1024;

export interface ImportDeps {
  db: Db;
  prefix: string;
  /** The command's client fence (client-scope.ts): import files mail for every client, so it refuses one. */
  scope?: Scope;
  /** The time each message is stored at (read once per message). */
  now: () => Date;
  /**
   * The user's config: their accounts' hosts and authserv-ids (whose Received and Authentication-Results count),
   * their own addresses (a letter they emailed from elsewhere), time zone and limits.
   */
  config: () => Config;
  /** `--verify-dkim`: check each message's DKIM signatures (through this resolver in tests). */
  dkim?: DkimOption | undefined;
  parse?: MessageParser;
  /** Keep every message of an mbox or Maildir, not only those about the loans (they land unfiled). */
  all?: boolean;
  /**
   * A stage per mbox (its bytes read) and per Maildir (its files), and one for the .eml files named together
   * (src/domain/progress.ts).
   */
  progress?: Progress | undefined;
}

export interface ImportedMessage {
  file: string;
  /** Its place in the file: 1 for an .eml, the nth message of an mbox or the nth file of a Maildir. */
  index: number;
  messageRowId: number;
  isNew: boolean;
  caseId: number | null;
  /**
   * The reply class; "own letter" for the copy of a letter loanmail sent; "letter sent" for a letter the user
   * emailed from elsewhere (recorded as sent on `sentOn`).
   */
  replyClass: string;
  sentOn?: string;
  /** Who sent it (null for our own letter), why, when it arrived and whether its Message-ID was reused. */
  trust: TrustStatus | null;
  trustWhy: string[];
  arrivedAt: string | null;
  arrival: ArrivalSource | null;
  messageIdReused: boolean;
}

/** What the record holds about a message's sender and arrival, for the import report. */
function senderRecordOf(
  db: Db,
  id: number,
): Pick<ImportedMessage, "trust" | "trustWhy" | "arrivedAt" | "arrival" | "messageIdReused"> {
  const m = findMessage(db, id);
  return {
    trust: m?.trust ?? null,
    trustWhy: m?.trustWhy ?? [],
    arrivedAt: m?.arrivedAt ?? null,
    arrival: m?.arrival ?? null,
    messageIdReused: m?.messageIdReused ?? false,
  };
}

export interface ImportedFile {
  file: string;
  format: SourceKind;
  /** imported: every message of it is in the record (new or already held); refused: none was stored. */
  status: "imported" | "refused";
  messages: number;
  new: number;
  alreadyHeld: number;
  /** Messages of an mbox or Maildir not about the loans, not stored (counted in `messages`). */
  skipped: number;
  /** Of the messages stored or held, how many are filed to a case and how many are not. */
  filed: number;
  unfiled: number;
  /** The messages the caller asked to keep (`keep`), in file order. */
  kept: ImportedMessage[];
  /** Why a refused file was refused. */
  error?: UserError;
}

/** Which messages each file's result lists (all by default; a 2 GB mbox's list is the caller's choice). */
export type KeepMessage = (m: ImportedMessage, format: SourceKind) => boolean;

/** The thread index, kept current while one file's messages are stored (a later one can thread to an earlier). */
type LiveIndex = ThreadIndex & { caseByMessageId: Map<string, number>; ownMessageIds: Set<string> };

function liveIndex(db: Db, prefix: string): LiveIndex {
  const index = readThreadIndex(db, prefix);
  return { ...index, caseByMessageId: new Map(index.caseByMessageId), ownMessageIds: new Set(index.ownMessageIds) };
}

/** What `readThreadIndex` would now say, after a message was stored. */
function remember(index: LiveIndex, parsed: ParsedMail, m: ImportedMessage): void {
  const id = parsed.messageId;
  if (id === null || !m.isNew) return;
  if (m.caseId !== null && !index.caseByMessageId.has(id)) index.caseByMessageId.set(id, m.caseId);
  if (m.replyClass === "letter sent") index.ownMessageIds.add(id);
}

interface MessageContext {
  deps: ImportDeps;
  parse: MessageParser;
  index: LiveIndex;
  own: ReadonlySet<string>;
  /** Whose Received and Authentication-Results fields count (the user's own servers). */
  owner: MailboxOwner;
  /** The classifier's per-home context (the user's corrections, our own letters), read once per file. */
  home: ReplyHome;
  /** The servicers that may answer in a case, each case's read once per file (as a sync's batch does). */
  servicers: (caseId: number | null) => ServicerIdentity[];
  timeZone: string;
  /** Store only mail about the loans (an mbox or Maildir without `all`). */
  selective: boolean;
}

/** Whether sync would keep it (threaded, tagged, a servicer's), or it is the user's own letter to a servicer. */
function aboutTheLoans(decision: PlanDecision, parsed: ParsedMail, ctx: MessageContext): boolean {
  if (decision.action !== "skip") return true;
  if (!isFromUser(parsed, ctx.own)) return false;
  return [...parsed.to, ...parsed.cc].some((a) => servicerOfAddress(a, ctx.index) !== null);
}

/** One message of a file through the ingest path (inside the file's transaction); null when it is skipped. */
async function importMessage(
  ctx: MessageContext,
  file: string,
  place: number,
  raw: Buffer,
): Promise<{ m: ImportedMessage | null; parsed: ParsedMail }> {
  const { deps, index } = ctx;
  const { db } = deps;
  const planned = await planImported(raw, index, ctx.parse);
  const { parsed } = planned;
  let decision = planned.decision;
  const at = { file, index: place };
  if (ctx.selective && !aboutTheLoans(decision, parsed, ctx)) return { m: null, parsed };
  if (decision.action === "own-copy") {
    // Our letter only if its bytes are ours; else a message reusing our Message-ID, kept as its own.
    const ownId = ownLetterCopyOf(db, decision.messageId, raw);
    if (ownId !== undefined) {
      const caseId = findMessage(db, ownId)?.caseId ?? null;
      const record = senderRecordOf(db, ownId);
      return { m: { ...at, messageRowId: ownId, isNew: false, caseId, replyClass: "own letter", ...record }, parsed };
    }
    decision = planReusedId(planInputOf(parsed), index);
  }
  if (isFromUser(parsed, ctx.own)) {
    // The user's own letter, emailed from elsewhere: a letter out, sent, not a reply.
    const r = commitOwnLetter(db, raw, parsed, decision, index, { now: deps.now(), timeZone: ctx.timeZone });
    const { messageRowId, isNew, caseId, sentOn } = r;
    const record = senderRecordOf(db, messageRowId);
    return { m: { ...at, messageRowId, isNew, caseId, replyClass: "letter sent", sentOn, ...record }, parsed };
  }
  // An imported file is the user's deliberate choice: keep it even when nothing threads it (it lands unfiled).
  const keep: KeepDecision =
    decision.action === "keep" ? decision : { action: "keep", caseId: null, servicerId: null, filedBy: null };
  const now = deps.now();
  const prepared = await checkFiled(
    fileParsed(raw, parsed, keep, index, { internalDate: null, uid: null, home: ctx.home }),
    { db, owner: ctx.owner, now, dkim: deps.dkim, servicers: ctx.servicers },
  );
  const r = inTransaction(db, () => commitIncoming(db, prepared, null, now.toISOString()));
  const { messageRowId, isNew, caseId } = r;
  const record = senderRecordOf(db, messageRowId);
  return { m: { ...at, messageRowId, isNew, caseId, replyClass: prepared.classification.class, ...record }, parsed };
}

/** A file's result before any message of it is counted. */
function emptyResult(source: MessageSource): ImportedFile {
  const counts = { messages: 0, new: 0, alreadyHeld: 0, skipped: 0, filed: 0, unfiled: 0 };
  return { file: source.path, format: source.kind, status: "imported", ...counts, kept: [] };
}

/** Every message of one source; call inside the file's transaction. */
async function importSource(deps: ImportDeps, source: MessageSource, keep: KeepMessage): Promise<ImportedFile> {
  const config = deps.config();
  const ctx: MessageContext = {
    deps,
    parse: deps.parse ?? parseMail,
    index: liveIndex(deps.db, deps.prefix),
    own: ownAddresses(config),
    owner: ownerOfConfig(config),
    home: readReplyHome(deps.db),
    servicers: servicersMemo(deps.db),
    timeZone: config.user.timezone,
    selective: source.kind !== "eml" && deps.all !== true,
  };
  const result = emptyResult(source);
  for await (const { index, raw, read } of readMessages(source, config.limits.message_mb * MB)) {
    const { m, parsed } = await importMessage(ctx, source.path, index, raw);
    result.messages++;
    if (source.kind !== "eml") deps.progress?.update(read ?? index, count(result.messages, "message"));
    if (m === null) {
      result.skipped++;
      continue;
    }
    remember(ctx.index, parsed, m);
    if (m.isNew) result.new++;
    else result.alreadyHeld++;
    if (m.caseId === null) result.unfiled++;
    else result.filed++;
    if (keep(m, source.kind)) result.kept.push(m);
  }
  return result;
}

/**
 * The progress stages of an import: each mbox by its bytes, each Maildir by its files, and the .eml files named
 * together as one stage counted by file (taken up again after an mbox or Maildir between them).
 */
class ImportStages {
  private readonly emls: number;
  private emlsDone = 0;
  private emlStage = false;

  constructor(
    private readonly progress: Progress | undefined,
    sources: readonly MessageSource[],
  ) {
    this.emls = sources.filter((s) => s.kind === "eml").length;
  }

  begin(source: MessageSource): void {
    if (!this.progress) return;
    if (source.kind === "eml") {
      if (this.emlStage || this.emls < 2) return;
      this.progress.start(`${this.emls} .eml files`, this.emls);
      this.progress.update(this.emlsDone);
      this.emlStage = true;
      return;
    }
    this.close();
    if (source.kind === "mbox") this.progress.start(source.path, source.size, "bytes");
    else this.progress.start(source.path, source.files.length);
  }

  end(source: MessageSource): void {
    if (source.kind === "eml") {
      this.emlsDone++;
      if (this.emlStage) this.progress?.update(this.emlsDone);
    } else {
      this.progress?.stop();
    }
  }

  close(): void {
    if (this.emlStage) this.progress?.stop();
    this.emlStage = false;
  }
}

/**
 * Import each file or folder, each in one transaction; a file refused while it is read (a message over the limit,
 * a read error) is reported as refused, with nothing of it stored, and the others go on. A source that is
 * neither an .eml, an mbox nor a Maildir is refused before anything is stored (a UserError).
 */
export async function importFiles(
  deps: ImportDeps,
  files: readonly string[],
  keep: KeepMessage = () => true,
): Promise<ImportedFile[]> {
  refuseFence(scopeOf(deps), "import");
  const sources: MessageSource[] = [];
  for (const file of files) sources.push(await openSource(file));
  const results: ImportedFile[] = [];
  const stages = new ImportStages(deps.progress, sources);
  try {
    for (const source of sources) {
      stages.begin(source);
      try {
        results.push(await inTransactionAsync(deps.db, () => importSource(deps, source, keep)));
      } catch (err) {
        if (!(err instanceof UserError)) throw err;
        results.push({ ...emptyResult(source), status: "refused", error: err });
      }
      stages.end(source);
    }
  } finally {
    stages.close();
  }
  return results;
}

/**
 * Every message imported from `files`, in order; the first refused file's error is thrown (files before it, and
 * after it, are imported). For callers that want the messages, not the per-file report.
 */
export async function importMessageFiles(deps: ImportDeps, files: readonly string[]): Promise<ImportedMessage[]> {
  const results = await importFiles(deps, files);
  const refused = results.find((r) => r.error !== undefined)?.error;
  if (refused) throw refused;
  return results.flatMap((r) => r.kept);
}
