/**
 * Setting up a home: its folder, the database with the random case-tag prefix, and config.toml. Run again, it keeps
 * the prefix and what the config already says, and changes only what is given.
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import {
  type Config,
  DEFAULT_LIMITS,
  readConfig,
  type UserConfig,
  validateConfig,
  writeConfig,
} from "../config/config.js";
import { checkHomePrivate, ensureHomeDir, type HomePaths } from "../config/home.js";
import { buildPrefix } from "../domain/subject.js";
import { type Db, inTransaction, openDb } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import { ensureClient } from "../store/loans.js";
import { getMeta, setMeta } from "../store/meta.js";
import { type CounselorHome, type CounselorSetup, counselorHome, setUpCounselor } from "./counselor-home.js";

/** What init needs from the command that runs it: there is no home yet, so no Session. */
export interface InitSession {
  readonly home: HomePaths;
  readonly nowIso: string;
  /** Take the database init opened, so that the command closes it. */
  adoptDb(db: Db): void;
}

/** The details of `[user]` that init asks for when neither the command line nor the config gives them. */
export type AskedKey = "name" | "email" | "address";

/** Details that have a fallback (no phone; this machine's time zone) but are offered on a terminal when unset. */
export type OfferedKey = "phone" | "timezone";

/** The user's details as far as they are known: typed on the command line, else from the existing config. */
export type UserDraft = Partial<Omit<UserConfig, "timezone">> & { timezone: string };

/**
 * Fills in the details still missing (asking, or refusing without a terminal) and checks them; returns the
 * details to keep.
 */
export type CompleteUser = (
  draft: UserDraft,
  missing: readonly AskedKey[],
  offered: readonly OfferedKey[],
) => Promise<UserDraft>;

export interface InitResult {
  created: boolean;
  prefix: string;
  config: Config;
  /** A counselor's home: its counselor and agency rows; undefined for a borrower's home. */
  counselor: CounselorHome | undefined;
}

/**
 * Make or update the home. `given` is what the user typed; `complete` fills in what neither it nor the existing
 * config says, before anything is written.
 */
export async function initHome(
  s: InitSession,
  given: Partial<Omit<UserConfig, "counselor_id">>,
  complete: CompleteUser,
  counselorSetup?: CounselorSetup,
): Promise<InitResult> {
  // A home someone else could change is refused before anything in it is read (src/config/home.ts).
  checkHomePrivate(s.home);
  const existing = existsSync(s.home.config) ? readConfig(s.home.config) : undefined;
  const draft: UserDraft = {
    name: given.name ?? existing?.user.name,
    email: given.email ?? existing?.user.email,
    // "\n" typed in a shell argument means a line break in the letterhead.
    address: (given.address ?? existing?.user.address)?.replace(/\\n/g, "\n"),
    phone: given.phone ?? existing?.user.phone,
    timezone: given.timezone ?? existing?.user.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone,
  };
  const missing = (["name", "email", "address"] as const).filter((k) => !draft[k]?.trim());
  const offered = (["phone", "timezone"] as const).filter((k) => given[k] === undefined && !existing?.user[k]);
  const user = await complete(draft, missing, offered);
  const raw: Record<string, unknown> = {
    ...(existing ?? {}),
    schema: 1,
    user: Object.fromEntries(Object.entries(user).filter(([, v]) => v !== undefined && v !== "")),
    limits: existing?.limits ?? DEFAULT_LIMITS,
  };
  const config = validateConfig(raw, "init");

  ensureHomeDir(s.home);
  const db = openDb(s.home.db, { create: true });
  s.adoptDb(db);
  const { created, prefix, counselor } = inTransaction(db, () => {
    const stored = getMeta(db, "tag_prefix");
    const prefix = stored || buildPrefix(randomBytes(4));
    if (!stored) {
      setMeta(db, "tag_prefix", prefix);
      setMeta(db, "created_at", s.nowIso);
    }
    const created = stored === undefined;
    const { name, email, timezone } = config.user;
    // A counselor is not a client: only a borrower's home has the implicit client named after the user.
    const counselor = counselorSetup
      ? setUpCounselor(db, counselorSetup, { name, email }, created, s.nowIso)
      : counselorHome(db);
    if (!counselor) ensureClient(db, name, s.nowIso);
    appendEvent(db, {
      caseId: null,
      at: s.nowIso,
      type: created ? "init" : "reinit",
      actor: "user",
      data: {
        name,
        email,
        timezone,
        ...(counselor
          ? {
              counselor: {
                home: "counselor" as const,
                agency_id: counselor.agency.id,
                agency: counselor.agency.name,
                hud_agency_id: counselor.agency.hud_id,
                counselor_id: counselor.counselor.id,
              },
            }
          : {}),
      },
    });
    return { created, prefix, counselor };
  });
  writeConfig(s.home.config, config);
  return { created, prefix, config, counselor };
}
