/**
 * `classify --explain MSG`: a reply's class, how it was decided (reply-class-info.ts), and how the classifier
 * reads it now: its probabilities and the words, cues and headers that decided (src/domain/classify.ts).
 */
import { type Contribution, explainReply, type ReplyClass } from "../domain/classify.js";
import { REPLY_MODEL } from "../domain/reply-model.js";
import { type MessageParser, parseMail } from "../mail/parse.js";
import { readRaw } from "../store/messages.js";
import { readClassOrigin } from "../store/reply-home.js";
import { requireReply } from "./messages.js";
import { type ReplyClassInfo, replyClassInfo } from "./reply-class-info.js";
import { readReplyHome } from "./reply-home.js";
import type { Session } from "./session.js";

export interface ClassExplanation extends ReplyClassInfo {
  message: number;
  /** How the classifier reads the reply today (with this home's corrections, other than of this reply). */
  now: {
    class: string;
    guess: ReplyClass;
    confidence: number;
    probabilities: Record<ReplyClass, number>;
    runnerUp: ReplyClass;
    correctedBy: number | null;
    reasons: string[];
    for: Contribution[];
    against: Contribution[];
  };
  thresholds: typeof REPLY_MODEL.thresholds;
  model: string;
}

/** `classify --explain MSG`: the reply's class, how it was decided, and how the classifier reads it now. */
export async function explainMessage(
  s: Session,
  ref: string,
  parse: MessageParser = parseMail,
): Promise<ClassExplanation> {
  const db = s.db();
  const m = requireReply(s, ref);
  const parsed = await parse(readRaw(db, m.id));
  const home = readReplyHome(db, m.id);
  const origin = readClassOrigin(db, m.id);
  const e = explainReply(
    {
      subject: parsed.subject,
      text: parsed.text,
      autoSubmitted: parsed.autoSubmitted,
      xAutoreply: parsed.xAutoreply,
      precedence: parsed.precedence,
      ownLetters: home.ownLetters,
    },
    { corrections: home.corrections, servicerId: origin.servicerId, clientId: origin.clientId },
  );
  const c = e.classification;
  return {
    message: m.id,
    ...replyClassInfo(s, m.id, m.replyClass),
    now: {
      class: c.class,
      guess: c.guess,
      confidence: c.confidence,
      probabilities: e.probabilities,
      runnerUp: e.runnerUp,
      correctedBy: c.correctedBy ?? null,
      reasons: c.reasons,
      for: e.for.slice(0, 10),
      against: e.against.slice(0, 5),
    },
    thresholds: REPLY_MODEL.thresholds,
    model: REPLY_MODEL.trainedOn,
  };
}
