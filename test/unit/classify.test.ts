import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type Classification,
  classifyReply,
  REPLY_CLASSES,
  type ReplyClass,
  type ReplyFeatures,
  stripQuoted,
} from "../../src/domain/classify.js";

interface CorpusItem {
  id: string;
  label: ReplyClass;
  subject: string;
  headers: { autoSubmitted?: string; xAutoreply?: string; precedence?: string };
  text: string;
}

function loadCorpus(name: string): CorpusItem[] {
  return JSON.parse(readFileSync(new URL(`../fixtures/replies/${name}`, import.meta.url), "utf8")) as CorpusItem[];
}

function classify(text: string, extra: Partial<ReplyFeatures> = {}): Classification {
  return classifyReply({ subject: "", text, ...extra });
}

function cls(text: string, extra: Partial<ReplyFeatures> = {}): ReplyClass {
  return classify(text, extra).class;
}

interface Evaluation {
  matrix: Record<ReplyClass, Record<ReplyClass, number>>;
  wrong: { id: string; label: ReplyClass; got: ReplyClass; reasons: string[] }[];
  accuracy: number;
}

function evaluate(items: CorpusItem[]): Evaluation {
  const matrix = Object.fromEntries(
    REPLY_CLASSES.map((a) => [a, Object.fromEntries(REPLY_CLASSES.map((b) => [b, 0]))]),
  ) as Record<ReplyClass, Record<ReplyClass, number>>;
  const wrong: Evaluation["wrong"] = [];
  for (const item of items) {
    const got = classifyReply({ subject: item.subject, text: item.text, ...item.headers });
    matrix[item.label][got.class]++;
    if (got.class !== item.label) wrong.push({ id: item.id, label: item.label, got: got.class, reasons: got.reasons });
  }
  return { matrix, wrong, accuracy: (items.length - wrong.length) / items.length };
}

const SHORT: Record<ReplyClass, string> = {
  acknowledgment: "ack",
  extension: "ext",
  exception: "exc",
  "documents-requested": "docs",
  response: "resp",
  other: "other",
};

function report(title: string, items: CorpusItem[], ev: Evaluation): string {
  const w = 8;
  const lines = [`${title}: ${items.length} items, accuracy ${(ev.accuracy * 100).toFixed(1)}%`];
  lines.push(`${"label \\ got".padEnd(w + 4)}${REPLY_CLASSES.map((c) => SHORT[c].padStart(w)).join("")}   recall`);
  for (const a of REPLY_CLASSES) {
    const row = ev.matrix[a];
    const total = REPLY_CLASSES.reduce((n, b) => n + row[b], 0);
    const recall = total ? `${((row[a] / total) * 100).toFixed(0)}% (${row[a]}/${total})` : "-";
    lines.push(`${SHORT[a].padEnd(w + 4)}${REPLY_CLASSES.map((b) => String(row[b]).padStart(w)).join("")}   ${recall}`);
  }
  const precision = REPLY_CLASSES.map((b) => {
    const col = REPLY_CLASSES.reduce((n, a) => n + ev.matrix[a][b], 0);
    return `${SHORT[b]} ${col ? `${((ev.matrix[b][b] / col) * 100).toFixed(0)}%` : "-"}`;
  });
  lines.push(`precision: ${precision.join(", ")}`);
  lines.push(
    ev.wrong.length
      ? `misclassified:\n${ev.wrong.map((x) => `  ${x.id}: ${x.label} -> ${x.got} [${x.reasons.join("; ")}]`).join("\n")}`
      : "misclassified: none",
  );
  return lines.join("\n");
}

describe("stripQuoted", () => {
  it("drops everything from an -----Original Message----- separator", () => {
    const t = "We received your letter.\n\n-----Original Message-----\nFrom: A\nPlease send the following documents.";
    expect(stripQuoted(t)).toBe("We received your letter.");
  });

  it('drops a Gmail "On … wrote:" attribution, also when wrapped over two lines', () => {
    expect(stripQuoted("Thanks.\n\nOn Mon, Mar 2, 2026 at 9:00 AM Pat <pat@example.com> wrote:\n> hello")).toBe(
      "Thanks.",
    );
    expect(stripQuoted("Thanks.\n\nOn Mon, Mar 2, 2026 at 9:00 AM Pat Example <\npat@example.com> wrote:\n> hi")).toBe(
      "Thanks.",
    );
  });

  it("drops a bare Outlook From:/Sent: header block and an underscore rule", () => {
    expect(stripQuoted("Reply.\n\nFrom: Pat\nSent: Monday\nTo: Servicer\nSubject: x\n\nOld text")).toBe("Reply.");
    expect(stripQuoted("Reply.\n________________________________\nFrom: Pat\nOld")).toBe("Reply.");
  });

  it('removes stray ">" lines but keeps ordinary text, including a "From:" line that starts no header block', () => {
    expect(stripQuoted("Top line.\n> quoted\nMore text.")).toBe("Top line.\nMore text.");
    expect(stripQuoted("From: the Research Department\nYour fee was reversed.")).toBe(
      "From: the Research Department\nYour fee was reversed.",
    );
  });

  it("quoted borrower wording never decides the class", () => {
    const t =
      "Your message has been received and assigned to a specialist.\n\n-----Original Message-----\n" +
      "Please send the following documents. I believe the request is duplicative and you are extending the time.";
    expect(cls(t)).toBe("acknowledgment");
  });
});

describe("headers", () => {
  it("auto-reply headers mean acknowledgment when the text says nothing more", () => {
    expect(classify("Thank you.", { autoSubmitted: "auto-replied" })).toEqual({
      class: "acknowledgment",
      reasons: ["header Auto-Submitted: auto-replied"],
    });
    expect(cls("", { xAutoreply: "yes" })).toBe("acknowledgment");
    expect(cls("Thank you for writing.", { precedence: "auto_reply" })).toBe("acknowledgment");
  });

  it('Auto-Submitted "no" is not an auto-reply', () => {
    expect(cls("Thank you for writing.", { autoSubmitted: "no" })).toBe("other");
  });

  it("Precedence bulk/list/junk is not an acknowledgment", () => {
    for (const precedence of ["bulk", "list", "junk"]) {
      expect(cls("Spring savings on home equity lines!", { precedence })).toBe("other");
    }
  });

  it("auto headers do not override an extension, exception, document request or substantive answer", () => {
    const auto = { autoSubmitted: "auto-generated" };
    expect(cls("We have extended the deadline to respond by 15 business days.", auto)).toBe("extension");
    expect(cls("Your request is duplicative of a prior request. No further response will be provided.", auto)).toBe(
      "exception",
    );
    expect(cls("Action required: please upload the following documents to continue your review.", auto)).toBe(
      "documents-requested",
    );
    expect(cls("As you requested, your payment history is attached to this message.", auto)).toBe("response");
  });

  it("an automated payment confirmation with auto headers is other, not acknowledgment", () => {
    expect(cls("We received your payment. Confirmation number 123.", { autoSubmitted: "auto-generated" })).toBe(
      "other",
    );
  });
});

describe("concept pairs (two ideas in one sentence)", () => {
  it("a refusal plus a ground of the rule is an exception, in any wording", () => {
    expect(cls("Because the request is unreasonably broad, we are declining to respond to it.")).toBe("exception");
    expect(cls("These materials are proprietary business information and are not subject to disclosure.")).toBe(
      "exception",
    );
  });

  it("more time plus a new date is an extension", () => {
    expect(cls("We are using a 15-day extension permitted under federal law and will respond by 06/15/2026.")).toBe(
      "extension",
    );
  });

  it("a lack plus something the borrower sends is a document request", () => {
    expect(cls("The listing agreement and the signed purchase contract were not included in your package.")).toBe(
      "documents-requested",
    );
  });

  it("the pairs are ignored in hedged sentences and need the same sentence", () => {
    expect(cls("Here are the records you asked for. Let me know if any pages are missing.")).toBe("response");
    expect(cls("Enclosed is your payoff statement. Your outstanding balance is $1.00.")).not.toBe(
      "documents-requested",
    );
  });
});

describe("auto-replied vs auto-generated", () => {
  it("an auto-generated notification with ordinary other-wording is other; an auto-reply needs more", () => {
    const text = "Thanks for going paperless! You can change your delivery preferences at any time.";
    expect(cls(text, { autoSubmitted: "auto-generated" })).toBe("other");
    expect(cls(text, { autoSubmitted: "auto-replied" })).toBe("acknowledgment");
  });

  it('a subject saying "not received" is not receipt wording', () => {
    expect(cls("Thank you.", { subject: "Items not received" })).toBe("other");
    expect(cls("Thank you.", { subject: "Correspondence received" })).toBe("other"); // subject alone is too weak
  });
});

describe("acknowledgment", () => {
  it("recognises receipt wording", () => {
    expect(cls("This letter acknowledges receipt of your notice of error.")).toBe("acknowledgment");
    expect(cls("We have received your correspondence. Please allow up to 30 business days for a response.")).toBe(
      "acknowledgment",
    );
    expect(cls("We recieved your letter and it has been forwarded to the appropriate department.")).toBe(
      "acknowledgment",
    );
  });

  it('stays acknowledgment when it only says it "may" need more time or documents', () => {
    const t =
      "We received your request on 03/05/2026. Please allow up to 30 business days for a response. " +
      "We may need additional time to complete our research. We may extend this period by an additional 15 business " +
      "days. We may also request additional documents from you.";
    const r = classify(t);
    expect(r.class).toBe("acknowledgment");
    expect(r.reasons.some((x) => x.startsWith("possibility only"))).toBe(false); // ack cues are listed
  });

  it('a conditional "if we need additional information, we will contact you" is not a document request', () => {
    expect(
      cls("This letter acknowledges receipt of your letter. If we need additional information, please send it."),
    ).toBe("acknowledgment");
  });

  it('"May" as a month is not a hedge', () => {
    expect(cls("We have extended the time to respond. Expect our response by May 8, 2026.")).toBe("extension");
  });
});

describe("extension", () => {
  it.each([
    "We are extending the time to respond to your notice of error by an additional 15 business days.",
    "We need additional time to complete our research.",
    "Pursuant to 12 CFR 1024.36(d)(2)(ii), the Servicer will respond no later than the end of the extended period.",
    "Our response will be delayed by up to 15 additional business days.",
    "This letter is to notify you that additional time is needed to respond to your request.",
  ])("%s", (t) => {
    expect(cls(t)).toBe("extension");
  });

  it("reports the wording it relied on", () => {
    const r = classify("We are extending the time to respond by an additional 15 business days.");
    expect(r.reasons).toContain('wording "additional 15 business days"');
  });

  it("an extension that mentions a possible document request stays extension", () => {
    expect(
      cls("We have extended our response time by 15 business days. During this time we may request documents."),
    ).toBe("extension");
  });
});

describe("exception", () => {
  it.each([
    ["duplicative", "Your notice asserts substantially the same error you asserted in your letter of 01/15/2026."],
    ["overbroad", "We have determined that your request is overbroad or unduly burdensome."],
    ["confidential", "This information is confidential and proprietary, and we are not required to provide it."],
    ["irrelevant", "The information is not directly related to your mortgage loan account."],
    ["untimely", "Your notice was received more than one year after the servicing transfer and is untimely."],
    ["invalid", "Your correspondence is not a valid notice of error under RESPA."],
    ["wrong address", "Your letter was not sent to our designated address for notices of error."],
  ])("%s", (_ground, t) => {
    expect(cls(t)).toBe("exception");
  });

  it("wins over an enclosed partial answer", () => {
    expect(
      cls("The agreement is confidential and proprietary and we are unable to provide it. Your history is enclosed."),
    ).toBe("exception");
  });

  it("designated-address boilerplate and e-mail confidentiality footers are not refusals", () => {
    const t =
      "We have completed our research and determined that no error occurred. To submit a Notice of Error you must " +
      "write to us at our designated address. This email may contain confidential or privileged information.";
    expect(cls(t)).toBe("response");
  });
});

describe("documents-requested", () => {
  it.each([
    "Your loss mitigation application is incomplete. Please send the following documents by April 3, 2026.",
    "We are unable to proceed until we receive a signed Third Party Authorization form.",
    "The bank statements you sent are missing pages 3 and 4. Please provide all pages.",
    "pls send a copy of your insurance dec page",
    "The following items are still outstanding: 2025 tax return.",
  ])("%s", (t) => {
    expect(cls(t)).toBe("documents-requested");
  });

  it("a received-your-documents note that still asks for more is documents-requested", () => {
    expect(cls("We received your documents. However the following items are still outstanding: hardship letter.")).toBe(
      "documents-requested",
    );
  });
});

describe("response", () => {
  it('starts with "Thank you for contacting us" but answers', () => {
    expect(
      cls(
        "Thank you for contacting us. We have completed our research and determined that no error occurred because " +
          "your payment was received after the grace period.",
      ),
    ).toBe("response");
  });

  it('mentions "documents" because they are enclosed', () => {
    expect(cls("Enclosed are the documents you requested: a payment history and a copy of the Note.")).toBe("response");
  });

  it("corrections made", () => {
    expect(cls("The late fee has been reversed and your account has been corrected.")).toBe("response");
  });

  it("owner information and payoff figures", () => {
    expect(cls("The owner of your loan is Example Trust Company, N.A., as trustee.")).toBe("response");
    expect(cls("Attached is the payoff statement you requested. Total amount to pay off: $1.00")).toBe("response");
  });

  it('an answer that offers "if you need additional documents, please contact us" is still a response', () => {
    expect(
      cls(
        "We received your letter. After reviewing your account, we found that the tax bill was paid on time. " +
          "If you need additional documents, please send us a note.",
      ),
    ).toBe("response");
  });

  it("a loss mitigation decision", () => {
    expect(cls("Unfortunately, we are unable to offer you a loan modification. You have the right to appeal.")).toBe(
      "response",
    );
  });
});

describe("other", () => {
  it.each([
    "Your monthly mortgage statement is ready to view online.",
    "Good news! We received word that rates have dropped. Refinance today. Unsubscribe",
    "Please take our 2-minute survey.",
    "Thank you for your payment of $1,845.22.",
    "Our offices will be closed on Monday in observance of Memorial Day.",
  ])("%s", (t) => {
    expect(cls(t)).toBe("other");
  });

  it("empty text without headers is other", () => {
    expect(classify("")).toEqual({ class: "other", reasons: ["no servicing wording recognised"] });
  });
});

describe("API", () => {
  it("exports the six classes", () => {
    expect([...REPLY_CLASSES].sort()).toEqual(
      ["acknowledgment", "documents-requested", "exception", "extension", "other", "response"].sort(),
    );
  });

  it("is deterministic", () => {
    const f = { subject: "x", text: "We have received your correspondence.", autoSubmitted: "auto-replied" };
    expect(classifyReply(f)).toEqual(classifyReply(f));
  });
});

describe("corpus", () => {
  const corpus = loadCorpus("corpus.json");
  const holdout = loadCorpus("holdout.json");

  it("is well formed: at least 60 items, 8 per class, unique ids", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(corpus.map((i) => i.id)).size).toBe(corpus.length);
    for (const c of REPLY_CLASSES) expect(corpus.filter((i) => i.label === c).length).toBeGreaterThanOrEqual(8);
    expect(holdout.length).toBeGreaterThanOrEqual(15);
    const all = [...corpus, ...holdout];
    expect(new Set(all.map((i) => i.id)).size).toBe(all.length);
    for (const i of all) expect(REPLY_CLASSES).toContain(i.label);
  });

  it("classifies the corpus with >= 90% accuracy and never confuses the clock-critical classes", () => {
    const ev = evaluate(corpus);
    console.log(report("corpus", corpus, ev));
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(ev.matrix.response.acknowledgment).toBe(0);
    expect(ev.matrix["documents-requested"].response).toBe(0);
  });

  // holdout.json is the third holdout. The first two (ids h1-*, h2-*) were each written after a frozen version of
  // the classifier, scored once (53.3% and 53.3%), and then folded into corpus.json as development data before the
  // classifier was revised. This one was written after the current version was frozen and has not been tuned on.
  //
  // Its measured accuracy is 40% (6/15): unseen wording mostly falls to `other`. That is the safe direction (an
  // `other` reply stops no clock and is listed for the user to classify), so this test pins the two confusions
  // that would wrongly stop or keep a legal clock, and guards the measured figure against regression. The figure
  // is reported in the README; it is not the 80% the issue hoped for.
  it("classifies the holdout without clock-critical confusions, and no worse than measured (40%)", () => {
    const ev = evaluate(holdout);
    console.log(report("holdout", holdout, ev));
    expect(ev.matrix.response.acknowledgment).toBe(0);
    expect(ev.matrix["documents-requested"].response).toBe(0);
    expect(ev.accuracy).toBeGreaterThanOrEqual(0.4);
  });
});
