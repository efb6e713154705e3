/**
 * A counselor's home (docs/ARCHITECTURE.md, "Clients"): made by `init --counselor --agency NAME`, it records an
 * `agencies` row and a `counselors` row for the user, and the meta keys `home_kind` = counselor and
 * `counselor_id`. The counselor is not a client. A borrower's home (plain `init`) has neither and keeps one
 * implicit client named after the user.
 */
import { UserError } from "../errors.js";
import {
  type AgencyRow,
  type CounselorRow,
  getAgency,
  getCounselor,
  insertAgency,
  insertCounselor,
  updateAgency,
  updateCounselor,
} from "../store/clients.js";
import type { Db } from "../store/db.js";
import { getMeta, setMeta } from "../store/meta.js";

export interface CounselorHome {
  counselor: CounselorRow;
  agency: AgencyRow;
}

/** The home's counselor and agency, or undefined in a borrower's home. */
export function counselorHome(db: Db): CounselorHome | undefined {
  if (getMeta(db, "home_kind") !== "counselor") return undefined;
  const counselor = getCounselor(db, Number(getMeta(db, "counselor_id")));
  const agency = counselor?.agency_id == null ? undefined : getAgency(db, counselor.agency_id);
  if (!counselor || !agency) throw new Error("counselor home without its counselor or agency row");
  return { counselor, agency };
}

export interface CounselorSetup {
  agency: string;
  hudAgencyId?: string | undefined;
}

/**
 * Make (or, run again, update) the counselor's and agency's rows, inside init's transaction. A borrower's home
 * already set up is not turned into a counselor's: its client and letters are the borrower's own.
 */
export function setUpCounselor(
  db: Db,
  setup: CounselorSetup,
  user: { name: string; email: string },
  created: boolean,
  now: string,
): CounselorHome {
  const existing = counselorHome(db);
  if (!existing && !created) {
    throw new UserError("this home is a borrower's: its client and letters are the borrower's own", {
      code: "HOME_IS_BORROWERS",
      hint: "set up the counselor's home in another folder: loanmail --home DIR init --counselor --agency NAME ...",
    });
  }
  const hudId = setup.hudAgencyId ?? existing?.agency.hud_id ?? null;
  if (existing) {
    updateAgency(db, existing.agency.id, setup.agency, hudId);
    updateCounselor(db, existing.counselor.id, user.name, user.email);
  } else {
    const agencyId = insertAgency(db, setup.agency, hudId, now);
    const counselorId = insertCounselor(db, { agencyId, name: user.name, email: user.email }, now);
    setMeta(db, "home_kind", "counselor");
    setMeta(db, "counselor_id", String(counselorId));
  }
  return counselorHome(db) as CounselorHome;
}
