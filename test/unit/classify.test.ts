import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Classification,
  classifyReply,
  decide,
  explainReply,
  REPLY_CLASSES,
  type ReplyClass,
  type ReplyFeatures,
  type ReplyThresholds,
  stripQuoted,
} from "../../src/domain/classify.js";
import { correctionIndex, nearestCorrection } from "../../src/domain/reply-corrections.js";
import { ownSentences, replyFeatures } from "../../src/domain/reply-features.js";
import { REPLY_MODEL } from "../../src/domain/reply-model.js";

interface CorpusItem {
  id: string;
  label: ReplyClass;
  subject: string;
  headers: { autoSubmitted?: string; xAutoreply?: string; precedence?: string };
  text: string;
}

const TRAIN = new URL("../fixtures/replies/train/", import.meta.url);

function trainFiles(): string[] {
  return readdirSync(TRAIN)
    .filter((f) => f.endsWith(".json"))
    .sort();
}

function loadTrain(): CorpusItem[] {
  return trainFiles().flatMap((f) => JSON.parse(readFileSync(new URL(f, TRAIN), "utf8")) as CorpusItem[]);
}

function classify(text: string, extra: Partial<ReplyFeatures> = {}): Classification {
  return classifyReply({ subject: "", text, ...extra });
}

function guess(text: string, extra: Partial<ReplyFeatures> = {}): ReplyClass {
  return classify(text, extra).guess;
}

describe("stripQuoted", () => {
  it("drops everything from an -----Original Message----- separator", () => {
    const t = "We received your letter.\n\n-----Original Message-----\nFrom: A\nPlease send the following documents.";
    expect(stripQuoted(t)).toBe("We received your letter.");
  });

  it('drops a Gmail "On … wrote:" attribution, also when wrapped over two lines, and a Spanish one', () => {
    expect(stripQuoted("Thanks.\n\nOn Mon, Mar 2, 2026 at 9:00 AM Pat <pat@example.com> wrote:\n> hello")).toBe(
      "Thanks.",
    );
    expect(stripQuoted("Thanks.\n\nOn Mon, Mar 2, 2026 at 9:00 AM Pat Example <\npat@example.com> wrote:\n> hi")).toBe(
      "Thanks.",
    );
    expect(stripQuoted("Listo.\n\nEl 8 abr 2026, a las 18:40, Pat <pat@example.net> escribió:\n> hola")).toBe("Listo.");
  });

  it("drops a bare Outlook From:/Sent: header block (English or Spanish) and an underscore rule", () => {
    expect(stripQuoted("Reply.\n\nFrom: Pat\nSent: Monday\nTo: Servicer\nSubject: x\n\nOld text")).toBe("Reply.");
    expect(stripQuoted("Reply.\n________________________________\nFrom: Pat\nOld")).toBe("Reply.");
    expect(stripQuoted("Respuesta.\n\nDe: Pat <pat@example.net>\nEnviado: lunes\nPara: Avisos\n\nTexto viejo")).toBe(
      "Respuesta.",
    );
  });

  it('drops a portal\'s "Your message:" / "Original message:" label and what follows', () => {
    expect(stripQuoted('Reply from Research:\n"We need the check."\n\nYour message:\n"I paid on time."')).toBe(
      'Reply from Research:\n"We need the check."',
    );
    expect(stripQuoted("Received, thank you.\n\nOriginal message:\nI dispute the fee.")).toBe("Received, thank you.");
  });

  it('removes stray ">" lines but keeps ordinary text, including a "From:" line that starts no header block', () => {
    expect(stripQuoted("Top line.\n> quoted\nMore text.")).toBe("Top line.\nMore text.");
    expect(stripQuoted("From: the Research Department\nYour fee was reversed.")).toBe(
      "From: the Research Department\nYour fee was reversed.",
    );
  });
});

describe("the reply's own words", () => {
  const ourLetter =
    "I am writing to assert an error under 12 C.F.R. 1024.35. You charged a late fee of $45.00 for February. " +
    "My payment left my bank account on February 1, 2026, within the grace period. Please reverse the fee and " +
    "send me a corrected statement. If you decline, please cite the rule you rely on.";

  it("sentences that repeat our own letter word for word (pasted below without a quote marker) are ignored", () => {
    const reply = `We have received your letter and will respond within 30 business days.\n\n${ourLetter.replace(/\. /g, ".\n")}`;
    const own = ownSentences({ text: reply, ownLetters: [ourLetter] }).map((s) => s.text);
    expect(own).toEqual(["We have received your letter and will respond within 30 business days."]);
    expect(ownSentences({ text: reply }).length).toBeGreaterThan(1);
  });

  it("quoted borrower wording never decides the class", () => {
    const t =
      "Your message has been received and assigned to a specialist.\n\n-----Original Message-----\n" +
      "Please send the following documents. I believe the request is duplicative and you are extending the time.";
    expect(guess(t)).toBe("acknowledgment");
    const pasted = `Thank you. Your notice of error was received on April 6 and is being reviewed by our research team.\n\n${ourLetter}`;
    expect(classify(pasted, { ownLetters: [ourLetter] }).guess).toBe("acknowledgment");
  });

  it("a sentence that only states a possibility gives its words under another name", () => {
    const v = replyFeatures(
      { subject: "", text: "We may extend the time to respond.", ownLetters: [] },
      { names: true },
    );
    expect(v.names).toContain("h:w:extend");
    expect(v.names).not.toContain("w:extend");
    expect(v.names).toContain("qh:extension:0");
  });
});

describe("what the model reads (canonical replies of each class, English and Spanish)", () => {
  it.each<[ReplyClass, string]>([
    [
      "acknowledgment",
      "This letter acknowledges receipt of your notice of error. We will respond within 30 business days.",
    ],
    ["acknowledgment", "Hemos recibido su carta y le responderemos por escrito dentro de 30 días hábiles."],
    [
      "extension",
      "We need additional time to complete our research and are extending the time to respond by 15 business days.",
    ],
    ["extension", "Necesitamos tiempo adicional y extendemos el plazo de respuesta por 15 días hábiles adicionales."],
    ["exception", "Your request is overbroad and unduly burdensome, and we will not be responding to it."],
    [
      "exception",
      "Su carta plantea el mismo reclamo que ya respondimos en enero; no aporta información nueva, por lo que no volveremos a investigar.",
    ],
    [
      "documents-requested",
      "Your application is incomplete. Please send your two most recent pay stubs and a signed hardship letter.",
    ],
    ["documents-requested", "Su solicitud está incompleta. Envíe los dos talones de pago más recientes."],
    [
      "response",
      "We have completed our research and determined that the late fee was assessed in error. The fee has been reversed.",
    ],
    ["response", "Revisamos su cuenta y determinamos que el cargo fue un error. Ya lo revertimos."],
    ["other", "Your monthly mortgage statement is ready to view online."],
    ["other", "Su estado de cuenta de abril ya está disponible. Inicie sesión para verlo."],
  ])("%s: %s", (cls, text) => {
    expect(guess(text)).toBe(cls);
  });

  it('"we may extend" in an acknowledgment is a possibility, not an extension', () => {
    const t =
      "We received your request on 03/05/2026. Please allow up to 30 business days for a response. " +
      "We may need additional time to complete our research. We may extend this period by an additional 15 business " +
      "days. We may also request additional documents from you.";
    expect(guess(t)).toBe("acknowledgment");
  });

  it("an auto-reply header and a bare thank-you read as an acknowledgment", () => {
    expect(guess("Thank you for your email.", { autoSubmitted: "auto-replied" })).toBe("acknowledgment");
  });

  // The bug: "Bob, we looked at it. Let us know." was read as exception at 91%, meeting the response clock of a
  // request for information. A reply with no determination, no reasons and no information meets no clock. Fixed by
  // data (test/fixtures/replies/train/t-contentless.json and u-contentless2.json, labelled other); none of these
  // replies is in the training corpus.
  it.each<[string, string]>([
    ["Re: Request for information [LM-AB12-1]", "Bob, we looked at it. Let us know."],
    ["RE: Notice of Error [LM-QX7P-2]", "We have looked into this."],
    ["Re: escrow", "Checked on our end. Let me know if anything else comes up."],
    ["RE: Account Number 55120 – Notice of Error [LM-ZZ41-1]", "Hi Ana, our team reviewed it. Thanks."],
    ["Re: Solicitud de información [LM-RT22-1]", "Ya lo revisamos. Cualquier cosa nos avisa."],
    ["Re: my letter", "Per our review, please contact us with any questions."],
    ["Re: Notice of error [LM-HH11-1]", "We took a look. Thanks, Maria."],
    ["Re: Aviso de error [LM-KD90-1]", "Hola Pedro, el equipo ya lo vio. Saludos."],
    ["Case 7788 updated", "Case 7788 updated. Note: looked into per customer request."],
    ["Re: Request for Information [LM-YU2C-2]", "Hey, we went over this with the team. Let us know."],
    ["RE: complaint", "This has been addressed. Thank you."],
  ])("a contentless reply meets no clock: %s / %s", (subject, text) => {
    expect(["other", "needs-review"]).toContain(classifyReply({ subject, text }).class);
  });

  it("the same few words with a determination, a reason or the information asked for still answer", () => {
    const subject = "Re: Request for information [LM-AB12-1]";
    expect(classifyReply({ subject, text: "Bob, we looked at it. The investor is Fannie Mae." }).class).toBe(
      "response",
    );
    expect(
      classifyReply({
        subject,
        text: "We looked at it and the late fee was correct: your payment came in on the 20th, after the grace period.",
      }).class,
    ).toBe("response");
    expect(
      classifyReply({
        subject,
        text: "We looked at it. It is the same request you sent in January, which we answered, so we will not respond again.",
      }).class,
    ).toBe("exception");
  });
});

describe("confidence, needs review and why", () => {
  const t: ReplyThresholds = { substantive: 0.8, acknowledging: 0.7, other: 0.5, answer: true };
  const probs = (cls: ReplyClass, p: number) =>
    REPLY_CLASSES.map((c) => (c === cls ? p : (1 - p) / (REPLY_CLASSES.length - 1)));

  it("a class that meets a response clock needs the substantive threshold, else it needs review", () => {
    expect(decide(probs("response", 0.9), ["investigated"], t)).toMatchObject({ class: "response", guess: "response" });
    const d = decide(probs("response", 0.75), ["investigated"], t);
    expect(d).toMatchObject({ class: "needs-review", guess: "response", confidence: 0.75 });
    expect(d.why).toBe("needs review: 75% sure it is response, below the 80% needed to meet a clock");
  });

  it("acknowledgment and extension need their own threshold; other and documents-requested the lowest", () => {
    expect(decide(probs("acknowledgment", 0.72), [], t).class).toBe("acknowledgment");
    expect(decide(probs("extension", 0.65), [], t).class).toBe("needs-review");
    expect(decide(probs("other", 0.55), [], t).class).toBe("other");
    expect(decide(probs("documents-requested", 0.45), [], t).why).toBe(
      "needs review: 45% sure it is documents-requested, below the 50% needed",
    );
  });

  it("with the answer condition, a response that neither refers to the letter nor reports a review needs review", () => {
    expect(decide(probs("exception", 0.95), [], t)).toMatchObject({
      class: "needs-review",
      why: "needs review: reads as exception but neither refers to the letter nor reports a review",
    });
    expect(decide(probs("exception", 0.95), [], { ...t, answer: false }).class).toBe("exception");
  });

  it("every classification has a confidence and says what decided", () => {
    const c = classify(
      "We are extending the time to respond to your notice of error by an additional 15 business days.",
    );
    expect(c.guess).toBe("extension");
    expect(c.confidence).toBeGreaterThan(0.5);
    expect(c.confidence).toBeLessThanOrEqual(1);
    expect(c.reasons[0]).toMatch(/^extension \d+%, next [a-z-]+ \d+%$/);
    expect(c.reasons.slice(1).join(" | ")).toMatch(/extension cue|"extending"|"additional"/);
  });

  it("explainReply lists what pushed the class ahead and what held it back, and the probabilities sum to one", () => {
    const e = explainReply({
      subject: "RE: Account Number 1 – Notice of Error [LM-AB12-1]",
      text: "We have completed our research and found that no error occurred.",
    });
    expect(e.classification.guess).toBe("response");
    expect(e.for.length).toBeGreaterThan(0);
    expect(e.for[0]?.weight).toBeGreaterThan(0);
    expect(e.against.every((c) => c.weight < 0)).toBe(true);
    const sum = Object.values(e.probabilities).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 6);
  });

  it("an empty reply is not read as meeting a clock", () => {
    const c = classify("");
    expect(["other", "needs-review"]).toContain(c.class);
  });

  it("is deterministic", () => {
    const f = { subject: "x", text: "We have received your correspondence.", autoSubmitted: "auto-replied" };
    expect(classifyReply(f)).toEqual(classifyReply(f));
  });
});

describe("the user's corrections (per-home adjustment)", () => {
  const formLetter = (date: string, amount: string) =>
    `Dear Borrower:\n\nPinnacle Federal Servicing has received your correspondence dated ${date}. Your account ` +
    `shows an unapplied balance of ${amount}. Pinnacle's Research Unit will review the matter and write to you ` +
    "with its findings, as applicable law requires.\n\nPinnacle Federal Servicing";
  const home = correctionIndex([
    {
      messageId: 12,
      servicerId: 3,
      clientId: 7,
      class: "acknowledgment",
      subject: "",
      text: formLetter("April 3, 2026", "$12.40"),
    },
  ]);

  it("a reply in the same form letter from the same servicer takes the class the user gave (new dates and amounts too)", () => {
    const text = formLetter("May 9, 2026", "$1,018.22");
    const near = nearestCorrection(home, { text }, 3);
    expect(near).toMatchObject({ messageId: 12, class: "acknowledgment" });
    expect(near?.similarity).toBeGreaterThan(0.85);
    const c = classifyReply({ subject: "", text }, { corrections: home, servicerId: 3 });
    expect(c).toMatchObject({ class: "acknowledgment", correctedBy: 12 });
    expect(c.reasons[0]).toMatch(/^like message 12, which you classified as acknowledgment \(\d+% the same wording/);
    expect(c.reasons.slice(1).every((r) => r.startsWith("model: "))).toBe(true);
  });

  it("a correction in another client's file decides without being named (a counselor's clients are kept apart)", () => {
    const text = formLetter("May 9, 2026", "$1,018.22");
    const other = classifyReply({ subject: "", text }, { corrections: home, servicerId: 3, clientId: 8 });
    expect(other.class).toBe("acknowledgment");
    expect(other.correctedBy).toBeUndefined();
    expect(other.reasons[0]).toMatch(/^like a reply in another client's file, which you classified as acknowledgment/);
    expect(other.reasons.join("\n")).not.toMatch(/message 12\b/);
    // The same client's, or a reply not yet filed to anyone's case: named as before.
    expect(classifyReply({ subject: "", text }, { corrections: home, servicerId: 3, clientId: 7 }).correctedBy).toBe(
      12,
    );
    expect(classifyReply({ subject: "", text }, { corrections: home, servicerId: 3, clientId: null }).correctedBy).toBe(
      12,
    );
  });

  it("another servicer's reply, different wording, or a too-short reply is left to the model", () => {
    expect(nearestCorrection(home, { text: formLetter("May 9, 2026", "$1.00") }, 4)).toBeNull();
    expect(
      nearestCorrection(home, { text: "We have completed our research and reversed the late fee." }, 3),
    ).toBeNull();
    expect(
      correctionIndex([{ messageId: 1, servicerId: 3, clientId: 7, class: "response", subject: "", text: "Done." }])
        .entries,
    ).toEqual([]);
    const c = classifyReply({ subject: "", text: "Thanks." }, { corrections: home, servicerId: 3 });
    expect(c.correctedBy).toBeUndefined();
  });
});

describe("the training corpus and the model", () => {
  const corpus = loadTrain();

  it("is well formed: unique ids, every class represented, English and Spanish", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(600);
    expect(new Set(corpus.map((i) => i.id)).size).toBe(corpus.length);
    for (const c of REPLY_CLASSES) expect(corpus.filter((i) => i.label === c).length).toBeGreaterThanOrEqual(60);
    expect(corpus.filter((i) => /\b(?:su|usted|nuestro)\b/i.test(i.text)).length).toBeGreaterThanOrEqual(100);
  });

  it("the committed model was trained on exactly the committed corpus (retrain after changing it)", () => {
    const hash = createHash("sha256");
    for (const f of trainFiles()) hash.update(readFileSync(new URL(f, TRAIN)));
    expect(REPLY_MODEL.trainedOn).toContain(`sha256 ${hash.digest("hex").slice(0, 16)}`);
    expect(REPLY_MODEL.classes).toEqual(REPLY_CLASSES);
  });
});

/** A stored class that would stop a clock the reply does not meet (issue 11's "wrong stop"). */
function wrongStop(truth: ReplyClass, stored: string): boolean {
  const substantive = ["response", "exception"];
  const meets = ["acknowledgment", "extension", ...substantive];
  if (substantive.includes(stored) && !substantive.includes(truth)) return true;
  return meets.includes(stored) && !meets.includes(truth);
}

describe("holdout 4 (written after the classifier was frozen; never trained or tuned on)", () => {
  // test/fixtures/replies/holdout-4.json: 84 replies, 14 per class, in the styles of servicers the training corpus
  // does not have (form letters, portal case notices, short e-mails, Spanish, the borrower's letter quoted below).
  // Written after commit "Reply classifier frozen", committed before it was scored, scored once: best class right
  // 79/84 (94.0%); stored class right 76/84 (90.5%), 4 needs review, 4 wrong, no wrong stop. After the retrain with
  // contentless replies labelled other (a new calibration, 2.25 for 2.9, and answer condition on): best class right
  // 77/84 (91.7%); stored class right 66/84 (78.6%), 12 needs review, 6 wrong, still no wrong stop. README reports it.
  const holdout = JSON.parse(
    readFileSync(new URL("../fixtures/replies/holdout-4.json", import.meta.url), "utf8"),
  ) as CorpusItem[];
  const results = holdout.map((item) => ({
    item,
    c: classifyReply({ subject: item.subject, text: item.text, ...item.headers }),
  }));

  it("is 60 or more replies, every class, none of them in the training corpus", () => {
    expect(holdout.length).toBeGreaterThanOrEqual(60);
    for (const cls of REPLY_CLASSES) expect(holdout.filter((i) => i.label === cls).length).toBeGreaterThanOrEqual(10);
    const trained = new Set(loadTrain().map((i) => i.text));
    expect(holdout.filter((i) => trained.has(i.text))).toEqual([]);
  });

  it("reads no acknowledgment, other or document request as meeting a clock it does not meet", () => {
    const stops = results.filter((r) => wrongStop(r.item.label, r.c.class)).map((r) => `${r.item.id} -> ${r.c.class}`);
    expect(stops).toEqual([]);
  });

  it("gets at least 75% of the classes right, needs review counted as not right (measured: 78.6%)", () => {
    const n = results.length;
    const best = results.filter((r) => r.c.guess === r.item.label).length;
    const right = results.filter((r) => r.c.class === r.item.label).length;
    const review = results.filter((r) => r.c.class === "needs-review").length;
    console.log(
      `holdout-4: ${n} replies; best class right ${best} (${((100 * best) / n).toFixed(1)}%); ` +
        `stored class right ${right} (${((100 * right) / n).toFixed(1)}%), needs review ${review}, ` +
        `wrong ${n - right - review}`,
    );
    expect(right / n).toBeGreaterThanOrEqual(0.75);
    expect(best / n).toBeGreaterThanOrEqual(0.9);
  });
});

describe("holdout 5 (written after the retrain with contentless replies was frozen; never trained or tuned on)", () => {
  // test/fixtures/replies/holdout-5.json: 66 replies, 10 of each class and 16 other (12 of them contentless or
  // vague: "we did look at this. Let us know.", "Closure note: Reviewed.", "ya se le dio revisión a su caso"), in
  // form letters, portal case notices, short e-mails, Spanish and quoted replies. Written after commit "Reply
  // classifier frozen (retrained with contentless replies labelled other)", committed before it was scored
  // ("Holdout 5 written (not yet scored)"), scored once: best class right 61/66 (92.4%); stored class right 53/66
  // (80.3%), 11 needs review, 2 wrong; no acknowledgment or other read as response or exception; ONE reply read as
  // meeting a clock it does not meet: h5-oth-08, a contentless reply ("Our team went over your letter. Don't
  // hesitate to reach out.") read as acknowledgment at 90%, which stops the acknowledgment clock (not the response
  // clock). Not tuned away: it is pinned as measured. README reports it.
  const holdout = JSON.parse(
    readFileSync(new URL("../fixtures/replies/holdout-5.json", import.meta.url), "utf8"),
  ) as CorpusItem[];
  const results = holdout.map((item) => ({
    item,
    c: classifyReply({ subject: item.subject, text: item.text, ...item.headers }),
  }));

  it("is 60 or more replies, every class, none of them in the training corpus or holdout 4", () => {
    expect(holdout.length).toBeGreaterThanOrEqual(60);
    for (const cls of REPLY_CLASSES) expect(holdout.filter((i) => i.label === cls).length).toBeGreaterThanOrEqual(10);
    const seen = new Set(loadTrain().map((i) => i.text));
    const h4 = JSON.parse(readFileSync(new URL("../fixtures/replies/holdout-4.json", import.meta.url), "utf8"));
    for (const i of h4 as CorpusItem[]) seen.add(i.text);
    expect(holdout.filter((i) => seen.has(i.text))).toEqual([]);
  });

  it("acknowledgment or other read as response or exception: 0", () => {
    const severe = results
      .filter(
        (r) => ["acknowledgment", "other"].includes(r.item.label) && ["response", "exception"].includes(r.c.class),
      )
      .map((r) => `${r.item.id} -> ${r.c.class}`);
    expect(severe).toEqual([]);
  });

  it("any reply read as meeting a clock it does not meet: 1 (measured; a contentless reply read as acknowledgment)", () => {
    const stops = results.filter((r) => wrongStop(r.item.label, r.c.class)).map((r) => `${r.item.id} -> ${r.c.class}`);
    expect(stops).toEqual(["h5-oth-08 -> acknowledgment"]);
  });

  it("no contentless reply meets a response clock", () => {
    const vague = results.filter((r) => /^h5-oth-(0\d|1[0-2])$/.test(r.item.id));
    expect(vague).toHaveLength(12);
    expect(vague.filter((r) => ["response", "exception"].includes(r.c.class))).toEqual([]);
  });

  it("gets at least 75% of the classes right, needs review counted as not right (measured: 80.3%)", () => {
    const n = results.length;
    const best = results.filter((r) => r.c.guess === r.item.label).length;
    const right = results.filter((r) => r.c.class === r.item.label).length;
    const review = results.filter((r) => r.c.class === "needs-review").length;
    console.log(
      `holdout-5: ${n} replies; best class right ${best} (${((100 * best) / n).toFixed(1)}%); ` +
        `stored class right ${right} (${((100 * right) / n).toFixed(1)}%), needs review ${review}, ` +
        `wrong ${n - right - review}`,
    );
    expect(right / n).toBeGreaterThanOrEqual(0.75);
    expect(best / n).toBeGreaterThanOrEqual(0.9);
  });
});
