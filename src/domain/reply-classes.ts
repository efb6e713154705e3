/**
 * The classes of a servicer's reply. Kept apart from the classifier so that the command line can list them
 * without loading its phrase tables or its model at start-up.
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

/**
 * What the classifier stores when it is not sure enough: the reply meets no clock (no clock lists it among the
 * classes that meet it) until the user reads it and says what it is with `classify MSG CLASS`.
 */
export const NEEDS_REVIEW = "needs-review";

/** A reply's class as stored: one of the six, or needs-review. */
export type StoredReplyClass = ReplyClass | typeof NEEDS_REVIEW;

export function isReplyClass(value: string): value is ReplyClass {
  return (REPLY_CLASSES as readonly string[]).includes(value);
}

/** A stored class read back (unknown values, which no release writes, read as "other": they meet no clock). */
export function storedReplyClass(value: string | null): StoredReplyClass {
  if (value === NEEDS_REVIEW) return NEEDS_REVIEW;
  return value !== null && isReplyClass(value) ? value : "other";
}
