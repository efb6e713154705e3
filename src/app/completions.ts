/**
 * The values shell completion offers (`loanmail __complete WHAT`, src/cli/commands/completion.ts): the letter kinds,
 * and from the record the cases, clients, loans and servicers, and the config's mail accounts. Called on every
 * Tab, so it only reads: the home is checked as every command checks it (checkHomePrivate), the database opened
 * read-only and never migrated. No home: no values (and no error).
 */
import { existsSync } from "node:fs";
import { readConfig } from "../config/config.js";
import { checkHomePrivate, type HomePaths } from "../config/home.js";
import { KINDS } from "../domain/kinds.js";
import { listCases } from "../store/cases.js";
import { listClientRows } from "../store/clients.js";
import { type Db, openDbToRead } from "../store/db.js";
import { listLoans, requireClient } from "../store/loans.js";
import { listServicers } from "../store/servicers.js";

export type CompletionWhat = "kinds" | "cases" | "clients" | "loans" | "servicers" | "accounts";

export interface CompletionValue {
  value: string;
  /** What it is, for shells that show it beside the value (zsh, fish). */
  about: string;
}

/**
 * From the record; `fence` (--client or LOANMAIL_CLIENT, as for any command): that client's cases, loans and name
 * alone. Servicers are the caseload's shared reference data (README, "For housing counselors"), offered whole.
 */
function fromRecord(db: Db, what: Exclude<CompletionWhat, "kinds" | "accounts">, fence?: number): CompletionValue[] {
  switch (what) {
    case "cases":
      return listCases(db, fence === undefined ? {} : { clientId: fence })
        .filter((c) => c.status !== "discarded")
        .map((c) => ({ value: String(c.id), about: `${c.tag} ${c.kind} (${c.status}) ${c.clientName}` }));
    case "clients":
      return listClientRows(db)
        .filter((c) => fence === undefined || c.id === fence)
        .map((c) => ({ value: c.name, about: "client" }));
    case "loans":
      return listLoans(db, fence).map((l) => ({
        value: String(l.id),
        about: `${l.servicerName} account ending ${l.accountNumber.slice(-4)} (${l.clientName})`,
      }));
    case "servicers":
      return listServicers(db).map((s) => ({ value: s.name, about: "servicer" }));
  }
}

/** The id of the client a completion is fenced to; null when the name is no client's (then nothing is offered). */
function fenceOf(db: Db, client: string | undefined): number | undefined | null {
  if (client === undefined || client.trim() === "") return undefined;
  try {
    return requireClient(db, client.trim());
  } catch {
    return null; // a name that is no client's: nothing offered, and no error on a Tab
  }
}

/** The values of `what` in the home at `home` (kinds need no home). */
export function completionValues(home: HomePaths, what: CompletionWhat, client?: string): CompletionValue[] {
  if (what === "kinds") return [...KINDS.values()].map((k) => ({ value: k.id, about: k.label }));
  if (!existsSync(home.dir)) return [];
  checkHomePrivate(home);
  if (what === "accounts") {
    if (!existsSync(home.config)) return [];
    return Object.keys(readConfig(home.config).accounts).map((name) => ({ value: name, about: "mail account" }));
  }
  if (!existsSync(home.db)) return [];
  const db = openDbToRead(home.db);
  try {
    const fence = fenceOf(db, client);
    return fence === null ? [] : fromRecord(db, what, fence);
  } finally {
    db.close();
  }
}
