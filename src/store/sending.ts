/** Small reads and writes of the outbox that sending needs beyond the state moves in mail.ts. */
import type { Db } from "./db.js";
import type { Channel } from "./messages.js";

/** Did this letter fail with a temporary (4xx) refusal, so that the next send tries it again? */
export function isRetryableFailure(db: Db, id: number): boolean {
  return db.prepare("SELECT retryable FROM messages WHERE id = ?").pluck().get(id) === 1;
}

/** The way a letter left, when it left another way than planned (portal, fax, by hand). */
export function setLetterChannel(db: Db, id: number, channel: Channel): void {
  db.prepare("UPDATE messages SET channel = ? WHERE id = ?").run(channel, id);
}
