/**
 * The per-home adjustment: the user's own corrections (`classify MSG CLASS`) decide for later replies that repeat
 * their wording. Servicers answer with form letters, so a reply whose words are nearly all those of a message
 * the user already classified, from the same servicer, is taken to be of the same class; the classifier's own
 * reading is kept in the reasons. Similarity is the cosine of the two replies' sets of words and word pairs
 * (amounts, dates and numbers read as placeholders, so a form letter with new figures still matches).
 */
import type { ReplyClass } from "./reply-classes.js";
import { type ReplyInput, replyFeatures } from "./reply-features.js";

/** A reply the user classified. */
export interface UserCorrection {
  messageId: number;
  servicerId: number | null;
  /** Whose file the corrected reply is in (null: unfiled, no client's). */
  clientId: number | null;
  class: ReplyClass;
  subject: string;
  text: string;
}

interface Entry {
  messageId: number;
  servicerId: number | null;
  clientId: number | null;
  class: ReplyClass;
  words: ReadonlySet<number>;
}

export interface HomeCorrections {
  readonly entries: readonly Entry[];
}

/** How alike two replies' wording must be for the user's correction of one to decide the other. */
export const SAME_WORDING = 0.85;

/** Fewer distinct words than this and a reply is too short to be recognised by its wording ("Thanks."). */
const MIN_WORDS = 8;

/** The reply's words and word pairs (their feature keys), quoted text and our own letters left out. */
function wordSet(f: Pick<ReplyInput, "text" | "ownLetters">): Set<number> {
  const v = replyFeatures({ subject: "", text: f.text, ownLetters: f.ownLetters });
  return new Set(v.keys.filter((_, i) => v.groups[i] === "word"));
}

export function correctionIndex(list: readonly UserCorrection[]): HomeCorrections {
  return {
    entries: list
      .map((c) => ({
        messageId: c.messageId,
        servicerId: c.servicerId,
        clientId: c.clientId,
        class: c.class,
        words: wordSet(c),
      }))
      .filter((e) => e.words.size >= MIN_WORDS),
  };
}

function cosine(a: ReadonlySet<number>, b: ReadonlySet<number>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let both = 0;
  for (const w of a) if (b.has(w)) both++;
  return both / Math.sqrt(a.size * b.size);
}

export interface NearestCorrection {
  messageId: number;
  clientId: number | null;
  class: ReplyClass;
  similarity: number;
}

/**
 * Whether a reply in `clientId`'s file may name the corrected reply: not when that one is in another client's
 * file (a counselor's clients are kept apart, issue 12). Its class still counts: servicers send every household
 * the same form letters. Unfiled mail is no client's.
 */
export function mayName(near: Pick<NearestCorrection, "clientId">, clientId: number | null | undefined): boolean {
  return near.clientId === null || clientId === null || clientId === undefined || near.clientId === clientId;
}

/**
 * The user's correction of the reply most like this one, from the same servicer, when its wording is at least
 * SAME_WORDING alike; the newest correction wins a tie.
 */
export function nearestCorrection(
  home: HomeCorrections,
  f: Pick<ReplyInput, "text" | "ownLetters">,
  servicerId: number | null,
): NearestCorrection | null {
  const candidates = home.entries.filter((e) => e.servicerId === servicerId);
  if (candidates.length === 0) return null;
  const words = wordSet(f);
  if (words.size < MIN_WORDS) return null;
  let best: NearestCorrection | null = null;
  for (const e of candidates) {
    const similarity = cosine(words, e.words);
    const better =
      !best || similarity > best.similarity || (similarity === best.similarity && e.messageId > best.messageId);
    if (similarity >= SAME_WORDING && better)
      best = { messageId: e.messageId, clientId: e.clientId, class: e.class, similarity };
  }
  return best;
}
