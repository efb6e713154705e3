/** Servicers: adding and changing one, each change recorded as an event with the servicer as it now is. */

import type { IsoDate } from "../domain/calendar.js";
import { UserError } from "../errors.js";
import { inTransaction } from "../store/db.js";
import { appendEvent } from "../store/events.js";
import {
  insertServicer,
  listServicers as listStoredServicers,
  requireServicer,
  type Servicer,
  type ServicerInput,
  updateServicer,
} from "../store/servicers.js";
import type { Session } from "./session.js";

export type { Servicer, ServicerInput } from "../store/servicers.js";

/** A servicer's designations for notices of error and requests for information (12 C.F.R. 1024.35(c), 1024.36(b)). */
export const DESIGNATION_FIELDS = ["noticeAddress", "noticeEmail", "noticePortal"] as const;
export type DesignationField = (typeof DESIGNATION_FIELDS)[number];

/**
 * The day a designation took effect as the user read it on the servicer's notice or statement (`--designated-since`),
 * recorded in the servicer's event beside the fields it dates. A letter recorded as having left on or after that day
 * is judged by the designation even when the designation was entered later (app/departure.ts).
 */
export interface DesignatedSince {
  day: IsoDate;
  fields: DesignationField[];
}

/** The fields `--designated-since` dates: the designations given with it, else every designation on record. */
function designatedSinceOf(servicer: Servicer, input: ServicerInput, day: IsoDate | undefined): DesignatedSince | null {
  if (day === undefined) return null;
  const given = DESIGNATION_FIELDS.filter((f) => input[f] !== undefined);
  const fields = (given.length > 0 ? given : DESIGNATION_FIELDS).filter((f) => servicer[f] !== null);
  if (fields.length === 0)
    throw new UserError(
      `--designated-since ${day}: ${servicer.name} has no designated notice address, email or portal`,
      {
        code: "MISSING_OPTION",
        hint: "give the designation it dates with it: --notice-address TEXT, --notice-email ADDR or --notice-portal URL",
      },
    );
  return { day, fields };
}

export function addServicer(
  s: Session,
  name: string,
  input: ServicerInput & { email: string },
  designatedOn?: IsoDate,
): Servicer & { designatedSince: DesignatedSince | null } {
  const db = s.db();
  return inTransaction(db, () => {
    const servicer = insertServicer(db, name, input, s.nowIso);
    const since = designatedSinceOf(servicer, input, designatedOn);
    const data = { ...servicer, ...(since ? { designatedSince: since } : {}) };
    appendEvent(db, { caseId: null, at: s.nowIso, type: "servicer-added", actor: "user", data });
    return { ...servicer, designatedSince: since };
  });
}

/** Change a servicer named by name or id; `designatedOn` dates its designations (see DesignatedSince). */
export function changeServicer(
  s: Session,
  nameOrId: string,
  input: ServicerInput,
  designatedOn?: IsoDate,
): Servicer & { designatedSince: DesignatedSince | null } {
  const db = s.db();
  const current = requireServicer(db, nameOrId);
  return inTransaction(db, () => {
    const servicer = updateServicer(db, current, input);
    const since = designatedSinceOf(servicer, input, designatedOn);
    const data = { ...servicer, ...(since ? { designatedSince: since } : {}) };
    appendEvent(db, { caseId: null, at: s.nowIso, type: "servicer-changed", actor: "user", data });
    return { ...servicer, designatedSince: since };
  });
}

export function listServicers(s: Session): Servicer[] {
  return listStoredServicers(s.db());
}
