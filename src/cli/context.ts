/**
 * What every command needs, opened lazily once: the home, its config and database, the printer, and the clock.
 * Commands read `ctx.now` instead of the system clock so that every event of one command has one time.
 */
import { statSync } from "node:fs";
import type { Config } from "../config/config.js";
import { checkHomePrivate, type HomePaths, resolveHome } from "../config/home.js";
import { isErrno, UserError } from "../errors.js";
import type { Db } from "../store/db.js";
import type { Printer } from "./output.js";
import { commandLineOf, recordRunning } from "./running.js";

export interface GlobalOptions {
  home?: string;
  account?: string;
  client?: string;
  json?: boolean;
  color?: boolean;
  yes?: boolean;
  debug?: boolean;
}

export class Context {
  readonly options: GlobalOptions;
  readonly out: Printer;
  readonly home: HomePaths;
  readonly now: Date;
  readonly env: NodeJS.ProcessEnv;
  readonly interactive: boolean;
  private cachedDb: Db | undefined;
  private cachedConfig: Config | undefined;
  private forgetRunning: (() => void) | undefined;
  private opened: Awaited<ReturnType<typeof loadOpeners>> | undefined;

  constructor(options: GlobalOptions, out: Printer, env: NodeJS.ProcessEnv, now: Date, interactive: boolean) {
    this.options = options;
    this.out = out;
    this.env = env;
    this.now = now;
    this.interactive = interactive;
    this.home = resolveHome(options.home, env);
  }

  /**
   * Load what opens the database and the config (the SQLite driver, the TOML parser). main.ts calls it before a
   * command's handler runs, so that `loanmail --help` never loads them.
   */
  async load(): Promise<void> {
    this.opened ??= await loadOpeners();
  }

  private openers(): Awaited<ReturnType<typeof loadOpeners>> {
    if (!this.opened) throw new Error("Context.load() was not awaited before the command ran");
    return this.opened;
  }

  /** ISO time of this command, for rows and events. */
  get nowIso(): string {
    return this.now.toISOString();
  }

  /** The validated config of an initialised home. */
  config(): Config {
    if (!this.cachedConfig) {
      this.requireInitialised();
      this.cachedConfig = this.openers().readConfig(this.home.config);
    }
    return this.cachedConfig;
  }

  /** The database of an initialised home. */
  db(): Db {
    if (!this.cachedDb) {
      this.requireInitialised();
      this.cachedDb = this.openers().openDb(this.home.db);
      this.recordRunning();
    }
    return this.cachedDb;
  }

  /** Use a database opened elsewhere (init creates it). */
  adoptDb(db: Db): void {
    this.cachedDb = db;
    this.recordRunning();
  }

  /** This home's case-tag prefix. */
  prefix(): string {
    const prefix = this.openers().getMeta(this.db(), "tag_prefix");
    if (!prefix) {
      throw new UserError(`the database at ${this.home.db} has no case-tag prefix`, {
        code: "NO_TAG_PREFIX",
        hint: "run loanmail init",
      });
    }
    return prefix;
  }

  /** The client this command is fenced to: --client, else LOANMAIL_CLIENT (an empty value means none). */
  clientName(): string | undefined {
    const name = this.options.client ?? this.env.LOANMAIL_CLIENT;
    return name === undefined || name.trim() === "" ? undefined : name.trim();
  }

  /**
   * Whose record the command acts on (told by the app's lookups): said once, on stderr in a home of several
   * clients when no --client fences the command, and as `client` in the --json document.
   */
  tellOwner(client: { id: number; name: string }, severalClients: boolean): void {
    this.out.setOwner(client.name, severalClients && this.clientName() === undefined);
  }

  /** The user's time zone (config), for showing dates. */
  timeZone(): string {
    return this.config().user.timezone;
  }

  close(): void {
    this.cachedDb?.close();
    this.cachedDb = undefined;
    this.forgetRunning?.();
    this.forgetRunning = undefined;
  }

  /** Say on the home that this command has the database open, so that a command kept waiting can name it. */
  private recordRunning(): void {
    this.forgetRunning ??= recordRunning(this.home.dir, commandLineOf(process.argv.slice(2)));
  }

  private requireInitialised(): void {
    // stat, not existsSync: a home we may not read must say so, not pretend to be missing.
    const present = (path: string): boolean => {
      try {
        statSync(path);
        return true;
      } catch (err) {
        if (isErrno(err, "ENOENT", "ENOTDIR")) return false;
        if (isErrno(err, "EACCES", "EPERM")) {
          throw new UserError(`cannot read the loanmail home ${this.home.dir}: permission denied`, {
            code: "HOME_UNREADABLE",
            hint: "run loanmail as the user who owns that home, or choose another with --home",
          });
        }
        throw err;
      }
    };
    if (!present(this.home.config) && !present(this.home.db)) {
      throw new UserError(`no loanmail home at ${this.home.dir}`, {
        code: "NO_HOME",
        hint: "run: loanmail init --name NAME --email ADDR --address TEXT (or pass --home / LOANMAIL_HOME)",
      });
    }
    // As ssh does: nothing is read from a home another user could change (the folder, config.toml, the database).
    checkHomePrivate(this.home);
  }
}

async function loadOpeners() {
  const [{ openDb }, { getMeta }, { readConfig }] = await Promise.all([
    import("../store/db.js"),
    import("../store/meta.js"),
    import("../config/config.js"),
  ]);
  return { openDb, getMeta, readConfig };
}
