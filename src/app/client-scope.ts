/**
 * The fence between clients of a counselor's home (docs/ARCHITECTURE.md, "Clients"). A command given
 * `--client C` (or LOANMAIL_CLIENT) sees and touches only C's records: every use case that looks a case, loan,
 * letter, message or authorization up by what the user typed goes through one lookup here (`requireCaseFor`,
 * `requireLoanFor`, `requireMessageFor` in messages.ts, `findAuthorization`), which passes the record's owner
 * through `checkFence`, so that another client's id reads "not found for client C" and nothing is acted on.
 * Without a fence every client's records are reachable, and the lookup tells the command whose record it is
 * (`tellOwner`: the CLI says it on stderr in a home of several clients, and as `client` in --json).
 */
import { UserError } from "../errors.js";
import { type CaseRecord, requireCase } from "../store/cases.js";
import { countClients, getClientRow } from "../store/clients.js";
import type { Db } from "../store/db.js";
import { findLoans, type Loan, requireClient, requireLoan } from "../store/loans.js";
import type { Session } from "./session.js";

export interface ClientRef {
  id: number;
  name: string;
}

/** What a lookup needs of the Session (compose and send are given one beside their own dependencies). */
export type Scope = Pick<Session, "db" | "prefix" | "clientName" | "tellOwner">;

/** The client this command is fenced to, or undefined for all; an unknown name is refused (CLIENT_NOT_FOUND). */
export function fencedClient(s: Pick<Session, "db" | "clientName">): ClientRef | undefined {
  const name = s.clientName?.();
  if (name === undefined) return undefined;
  const id = requireClient(s.db(), name);
  return { id, name: getClientRow(s.db(), id)?.name ?? name };
}

/** The fenced client's id, for a listing's filter (undefined: every client's rows). */
export function fenceId(s: Pick<Session, "db" | "clientName">): number | undefined {
  return fencedClient(s)?.id;
}

/** Whether a listing names each row's client: no fence, and the home holds more than one client. */
export function listsClients(s: Pick<Session, "db" | "clientName">): boolean {
  return fencedClient(s) === undefined && countClients(s.db()) > 1;
}

function notFoundFor(what: string, client: ClientRef): UserError {
  // The listing of the kind of record asked for; the fence may come from --client or from LOANMAIL_CLIENT.
  const noun = what.split(" ")[0] ?? "";
  const [list, rows] =
    noun === "loan" || noun === "authorization" || noun === "client"
      ? [`${noun} list`, `${noun}s`]
      : ["cases", "cases"];
  return new UserError(`${what} not found for client "${client.name}"`, {
    code: "NOT_FOUND_FOR_CLIENT",
    hint: `loanmail ${list} --client "${client.name}" lists that client's ${rows}; to reach every client, run it without --client (and with LOANMAIL_CLIENT unset)`,
  });
}

/** What a lookup says of a record that is not in the home at all. */
const NOT_FOUND = new Set(["CASE_NOT_FOUND", "LOAN_NOT_FOUND", "MESSAGE_NOT_FOUND", "AUTHORIZATION_NOT_FOUND"]);

/**
 * Under a fence, a record that does not exist reads as one of another client does ("not found for client C", one
 * code): a fenced command or script cannot tell which numbers, tags or account numbers the rest of the caseload
 * holds. Without a fence the lookup's own error stands.
 */
export function lookupWithinFence<T>(s: Pick<Session, "db" | "clientName">, what: string, lookup: () => T): T {
  const fence = fencedClient(s);
  if (fence === undefined) return lookup();
  try {
    return lookup();
  } catch (err) {
    if (err instanceof UserError && NOT_FOUND.has(err.code)) throw notFoundFor(what, fence);
    throw err;
  }
}

/**
 * Refuse a record of another client than the fence: `what` names it as the user typed it ("case 5", "loan 2",
 * "message 17"). A record of no client (an unfiled message) passes only without a fence.
 */
export function checkFence(s: Pick<Session, "db" | "clientName">, ownerClientId: number | null, what: string): void {
  const fence = fencedClient(s);
  if (fence === undefined || ownerClientId === fence.id) return;
  throw notFoundFor(what, fence);
}

/** Pass the fence, then tell the command whose record it acts on (a record of no client tells nothing). */
export function actOnRecordOf(s: Scope, ownerClientId: number | null, what: string): void {
  checkFence(s, ownerClientId, what);
  if (ownerClientId === null || s.tellOwner === undefined) return;
  const db = s.db();
  const name = getClientRow(db, ownerClientId)?.name;
  if (name !== undefined) s.tellOwner({ id: ownerClientId, name }, countClients(db) > 1);
}

/** A case by number or tag, within the fence (the case's client is its loan's). */
export function requireCaseFor(s: Scope, ref: string): CaseRecord {
  const c = lookupWithinFence(s, `case ${ref.trim()}`, () => requireCase(s.db(), ref, s.prefix()));
  actOnRecordOf(s, c.clientId, `case ${ref.trim()}`);
  return c;
}

/**
 * A loan by id or account number, within the fence: under a fence only the client's loans are candidates, so
 * another client's loan of the same account number neither answers nor makes the reference ambiguous.
 */
export function requireLoanFor(s: Scope, ref: string): Loan {
  const db: Db = s.db();
  const fence = fencedClient(s);
  const all = findLoans(db, ref);
  if (fence !== undefined && all.length > 0 && !all.some((l) => l.clientId === fence.id))
    throw notFoundFor(`loan ${ref}`, fence);
  const loan = lookupWithinFence(s, `loan ${ref}`, () =>
    requireLoan(db, ref, fence === undefined ? all : all.filter((l) => l.clientId === fence.id)),
  );
  actOnRecordOf(s, loan.clientId, `loan ${ref}`);
  return loan;
}

/**
 * A case a letter refers to (a follow-up's `case=`), which must be the letter's own client's: a letter for one
 * household never cites another's.
 */
export function requireCaseOfClient(s: Scope, ref: string, client: ClientRef): CaseRecord {
  const c = lookupWithinFence(s, `case ${ref.trim()}`, () => requireCase(s.db(), ref, s.prefix()));
  checkFence(s, c.clientId, `case ${ref.trim()}`);
  if (c.clientId !== client.id) throw notFoundFor(`case ${ref.trim()}`, client);
  return c;
}

/** The scope of a use case given its database and prefix as dependencies: its `scope` (the CLI's), else no fence. */
export function scopeOf(deps: { db: Db; prefix: string; scope?: Scope | undefined }): Scope {
  return deps.scope ?? { db: () => deps.db, prefix: () => deps.prefix };
}

/**
 * Refuse a fence on a command that reads or writes every client's records at once: a shared mailbox (`sync`,
 * `import`, whose mail is filed to whichever client's case it answers), a copy of the whole database (`backup`),
 * the check of every chain (`verify --db`). Fencing them would either hide mail from its client or show another
 * client's records under this one's name.
 */
export function refuseFence(s: Pick<Session, "db" | "clientName">, command: string): void {
  const fence = fencedClient(s);
  if (fence === undefined) return;
  throw new UserError(`${command} works on every client's records; it cannot be fenced to client "${fence.name}"`, {
    code: "FENCE_NOT_APPLICABLE",
    hint: `run loanmail ${command} with no client named`,
  });
}
