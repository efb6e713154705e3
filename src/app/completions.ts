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
import { listLoans } from "../store/loans.js";
import { listServicers } from "../store/servicers.js";

export type CompletionWhat = "kinds" | "cases" | "clients" | "loans" | "servicers" | "accounts";

export interface CompletionValue {
  value: string;
  /** What it is, for shells that show it beside the value (zsh, fish). */
  about: string;
}

function fromRecord(db: Db, what: Exclude<CompletionWhat, "kinds" | "accounts">): CompletionValue[] {
  switch (what) {
    case "cases":
      return listCases(db)
        .filter((c) => c.status !== "discarded")
        .map((c) => ({ value: String(c.id), about: `${c.tag} ${c.kind} (${c.status}) ${c.clientName}` }));
    case "clients":
      return listClientRows(db).map((c) => ({ value: c.name, about: "client" }));
    case "loans":
      return listLoans(db).map((l) => ({
        value: String(l.id),
        about: `${l.servicerName} account ending ${l.accountNumber.slice(-4)} (${l.clientName})`,
      }));
    case "servicers":
      return listServicers(db).map((s) => ({ value: s.name, about: "servicer" }));
  }
}

/** The values of `what` in the home at `home` (kinds need no home). */
export function completionValues(home: HomePaths, what: CompletionWhat): CompletionValue[] {
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
    return fromRecord(db, what);
  } finally {
    db.close();
  }
}
