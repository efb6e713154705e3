/**
 * The fence between clients of a counselor's home (docs/ARCHITECTURE.md, "Clients"). A command given
 * `--client C` (or LOANMAIL_CLIENT) sees and touches only C's records: every use case that looks a case, loan,
 * letter or message up by id passes the record's owner through `checkFence`, so that another client's id reads
 * "not found for client C" and nothing is acted on. Without a fence, every client's records are visible.
 */
import { UserError } from "../errors.js";
import { getClientRow } from "../store/clients.js";
import { requireClient } from "../store/loans.js";
import type { Session } from "./session.js";

export interface ClientRef {
  id: number;
  name: string;
}

/** The client this command is fenced to, or undefined for all; an unknown name is refused (CLIENT_NOT_FOUND). */
export function fencedClient(s: Session): ClientRef | undefined {
  const name = s.clientName?.();
  if (name === undefined) return undefined;
  const id = requireClient(s.db(), name);
  return { id, name: getClientRow(s.db(), id)?.name ?? name };
}

/**
 * Refuse a record of another client than the fence: `what` names it as the user typed it ("case 5", "loan 2",
 * "message 17"). A record of no client (an unfiled message) passes only without a fence.
 */
export function checkFence(s: Session, ownerClientId: number | null, what: string): void {
  const fence = fencedClient(s);
  if (fence === undefined || ownerClientId === fence.id) return;
  throw new UserError(`${what} not found for client "${fence.name}"`, {
    code: "NOT_FOUND_FOR_CLIENT",
    hint: `loanmail cases --client "${fence.name}" lists that client's cases; drop --client to reach every client`,
  });
}
