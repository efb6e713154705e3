/**
 * config.toml (docs/ARCHITECTURE.md, "The record"): `validateConfig` is pure and turns parsed TOML into a typed config or a UserError
 * naming the key; `readConfig` / `writeConfig` do the file I/O (0600, written atomically via rename).
 */
import { parse, stringify, TomlError } from "smol-toml";
import { findControlChar } from "../domain/control-chars.js";
import { UserError } from "../errors.js";
import { megabytes, readRegularFile, writeOutputFile } from "./safe-files.js";

export interface UserConfig {
  name: string;
  email: string;
  address: string;
  phone?: string;
  timezone: string;
  counselor_id?: string;
}

export interface Limits {
  attachment_mb: number;
  total_mb: number;
  /** The largest message `import` takes, in megabytes (a file holding a larger one is refused). */
  message_mb: number;
}

export interface Config {
  schema: 1;
  user: UserConfig;
  limits: Limits;
  /** Mail accounts are kept as written; the mail layer validates them when it uses them. */
  accounts: Record<string, Record<string, unknown>>;
}

export const DEFAULT_LIMITS: Limits = { attachment_mb: 10, total_mb: 15, message_mb: 50 };

/** The zones this Node knows by their canonical names, read once (cheap: no locale data is loaded for it). */
let canonicalZones: ReadonlySet<string> | undefined;

function isValidTimeZone(tz: string): boolean {
  // The list first: building a formatter loads the locale data (about 20 ms), which a command that never shows a
  // day in the zone (a no-change sync) would otherwise pay at every start. An alias ("US/Central") is not in the
  // list: the formatter decides it.
  canonicalZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (tz === "UTC" || canonicalZones.has(tz)) return true;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

function str(table: Record<string, unknown>, key: string, where: string, required: boolean): string | undefined {
  const v = table[key];
  if (v === undefined) {
    if (required) {
      throw new UserError(`${where}: ${key} is missing`, {
        code: "CONFIG_VALUE_MISSING",
        hint: `set it with loanmail init --${key} ...`,
      });
    }
    return undefined;
  }
  if (typeof v !== "string") {
    throw new UserError(`${where}: ${key} must be a string, not ${tomlType(v)}`, {
      code: "CONFIG_INVALID",
      hint: "quote the value in config.toml",
    });
  }
  const found = findControlChar(v, key !== "address");
  if (found)
    throw new UserError(`${where}: ${key} contains ${found.label} at character ${found.position}`, {
      code: "CONTROL_CHARACTER",
      hint: `set it again with loanmail init --${key} ...`,
    });
  return v;
}

/** What a TOML value is, in the words of its spec, for "must be a table, not an array". */
function tomlType(v: unknown): string {
  if (Array.isArray(v)) return "an array";
  if (v instanceof Date) return "a date";
  if (typeof v === "object" && v !== null) return "a table";
  if (typeof v === "string") return "a string";
  if (typeof v === "boolean") return "a boolean";
  return typeof v === "number" || typeof v === "bigint" ? "a number" : typeof v;
}

/** `raw[key]` must be a table (or absent): `limits = 5` names the key and the type it should have. */
function table(raw: Record<string, unknown>, key: string, source: string): Record<string, unknown> | undefined {
  const v = raw[key];
  if (v === undefined) return undefined;
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Date)
    throw new UserError(`${source}: ${key} must be a table ([${key}]), not ${tomlType(v)}`, {
      code: "CONFIG_INVALID",
      hint:
        key === "limits" ? "write it as [limits] with attachment_mb = 10 below it" : "see the README for its format",
    });
  return v as Record<string, unknown>;
}

/** Check parsed TOML and fill defaults. `source` names the file in messages. */
export function validateConfig(raw: Record<string, unknown>, source: string): Config {
  if (raw.schema !== 1) {
    throw new UserError(
      `${source}: schema = ${JSON.stringify(raw.schema)} is not a config this loanmail understands (expected 1)`,
      { code: "CONFIG_SCHEMA_UNKNOWN", hint: "restore the file or upgrade loanmail" },
    );
  }
  const user = raw.user;
  if (typeof user !== "object" || user === null || Array.isArray(user)) {
    throw new UserError(`${source}: the [user] table is missing`, {
      code: "CONFIG_USER_MISSING",
      hint: "run loanmail init with your name, email and postal address",
    });
  }
  const u = user as Record<string, unknown>;
  const where = `${source} [user]`;
  const timezone = str(u, "timezone", where, true) as string;
  if (!isValidTimeZone(timezone)) {
    throw new UserError(`${where}: timezone "${timezone}" is not an IANA time zone`, {
      code: "INVALID_TIME_ZONE",
      hint: "use a name like America/Chicago",
    });
  }
  const cfg: Config = {
    schema: 1,
    user: {
      name: str(u, "name", where, true) as string,
      email: str(u, "email", where, true) as string,
      address: str(u, "address", where, true) as string,
      timezone,
    },
    limits: { ...DEFAULT_LIMITS },
    accounts: {},
  };
  const phone = str(u, "phone", where, false);
  if (phone) cfg.user.phone = phone;
  const counselor = str(u, "counselor_id", where, false);
  if (counselor) cfg.user.counselor_id = counselor;

  const l = table(raw, "limits", source);
  if (l !== undefined) {
    for (const key of ["attachment_mb", "total_mb", "message_mb"] as const) {
      const v = l[key];
      if (v === undefined) continue;
      if (typeof v !== "number" || !(v > 0) || v > 1000) {
        throw new UserError(`${source} [limits]: ${key} must be a number of megabytes above 0`, {
          code: "CONFIG_INVALID",
          hint: `for example ${key} = 10`,
        });
      }
      cfg.limits[key] = v;
    }
  }
  const accounts = table(raw, "accounts", source);
  if (accounts !== undefined) {
    // Each account is checked whole when the mail layer uses it (accounts.ts); here only that each is a table.
    for (const name of Object.keys(accounts)) table(accounts, name, `${source} [accounts]`);
    cfg.accounts = accounts as Config["accounts"];
  }
  return cfg;
}

/** config.toml is a few lines: one over 1 MB is not one, and is refused unread. */
const CONFIG_CAP = megabytes(
  1,
  "for config.toml",
  "config.toml is a few lines: restore it from a backup or run loanmail init",
);

/** Read and validate config.toml (a regular file of at most 1 MB); a syntax error names the line. */
export function readConfig(path: string): Config {
  let text: string;
  try {
    text = readRegularFile(path, path, CONFIG_CAP, {
      notAFile: "config.toml must be a file: move that aside and run loanmail init again",
    }).toString("utf8");
  } catch (err) {
    if (err instanceof UserError && err.code === "FILE_NOT_FOUND") {
      throw new UserError(`no config at ${path}`, {
        code: "NO_CONFIG",
        hint: "initialise the loanmail home first, or choose the right home",
      });
    }
    if (err instanceof UserError && err.code === "FILE_UNREADABLE") {
      const denied = /\((EACCES|EPERM)\)$/.test(err.message);
      throw new UserError(denied ? `cannot read ${path}: permission denied` : err.message, {
        code: "CONFIG_UNREADABLE",
        hint: "run loanmail as the owner of its home",
      });
    }
    throw err;
  }
  let parsed: Record<string, unknown>;
  try {
    parsed = parse(text) as Record<string, unknown>;
  } catch (err) {
    if (err instanceof TomlError) {
      const first = err.message.split("\n")[0] ?? err.message;
      throw new UserError(`${path} is not valid TOML: ${first} (line ${err.line}, column ${err.column})`, {
        code: "CONFIG_NOT_TOML",
        hint: "fix that line",
      });
    }
    throw err;
  }
  return validateConfig(parsed, path);
}

/**
 * Write config.toml with mode 0600, whole or not at all (through a partial file renamed over it). A folder,
 * device or link where config.toml should be is refused, never written over.
 */
export function writeConfig(path: string, cfg: Config): void {
  const text = `# loanmail configuration (no passwords here: see password_env / password_command)\n${stringify(cfg)}\n`;
  writeOutputFile(
    { path, who: path, force: true, homeFile: true, codes: { notWritable: "CONFIG_NOT_WRITABLE" } },
    text,
  );
}
