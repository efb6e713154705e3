/** Servicers: adding and changing one, each change recorded as an event with the servicer as it now is. */

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

export function addServicer(s: Session, name: string, input: ServicerInput & { email: string }): Servicer {
  const db = s.db();
  return inTransaction(db, () => {
    const servicer = insertServicer(db, name, input, s.nowIso);
    appendEvent(db, { caseId: null, at: s.nowIso, type: "servicer-added", actor: "user", data: { ...servicer } });
    return servicer;
  });
}

/** Change a servicer named by name or id. */
export function changeServicer(s: Session, nameOrId: string, input: ServicerInput): Servicer {
  const db = s.db();
  const current = requireServicer(db, nameOrId);
  return inTransaction(db, () => {
    const servicer = updateServicer(db, current, input);
    appendEvent(db, { caseId: null, at: s.nowIso, type: "servicer-changed", actor: "user", data: { ...servicer } });
    return servicer;
  });
}

export function listServicers(s: Session): Servicer[] {
  return listStoredServicers(s.db());
}
