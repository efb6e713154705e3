/**
 * What a use case needs from the command that runs it: the time of the command, the home's database and config
 * (opened on first use), the case-tag prefix and the user's time zone. The CLI's Context is one; in-process tests
 * build one over a `:memory:` database (see test/app/).
 */
import type { Config } from "../config/config.js";
import type { Db } from "../store/db.js";

export interface Session {
  /** The one time of this command: every row and event it writes carries it. */
  readonly now: Date;
  readonly nowIso: string;
  db(): Db;
  config(): Config;
  /** This home's case-tag prefix (`LM-K7QX-1` has K7QX). */
  prefix(): string;
  /** The user's IANA time zone, for dates a person reads. */
  timeZone(): string;
  /**
   * The client the command is fenced to (`--client NAME` or LOANMAIL_CLIENT), or undefined for every client.
   * Read it through `fencedClient` (client-scope.ts), which resolves the name and refuses an unknown one.
   */
  clientName?(): string | undefined;
  /**
   * Told by a lookup (client-scope.ts) whose record the command acts on, and whether the home holds several
   * clients; the CLI says it (stderr, and `client` in --json). Optional: test sessions need not listen.
   */
  tellOwner?(client: { id: number; name: string }, severalClients: boolean): void;
}
