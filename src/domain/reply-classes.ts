/**
 * The classes of a servicer's reply. Kept apart from the classifier so that the command line can list them
 * without loading its phrase tables at start-up.
 */
export type ReplyClass = "acknowledgment" | "extension" | "exception" | "documents-requested" | "response" | "other";

export const REPLY_CLASSES: readonly ReplyClass[] = [
  "acknowledgment",
  "extension",
  "exception",
  "documents-requested",
  "response",
  "other",
];

export function isReplyClass(value: string): value is ReplyClass {
  return (REPLY_CLASSES as readonly string[]).includes(value);
}
