/**
 * A counselor's letters speak of the borrower's acts as the borrower's (src/domain/voice.ts): a counselor did not
 * make the payment, submit the application or (perhaps) write the earlier letter, so the letter never says "my
 * payment", "I made", "my application", "my letter". A borrower's own home is unchanged: its letters read as the
 * normal templates. Spawned as a counselor would run it (no TTY); the dates are fixed and in the past (the tests
 * run on 2026-12-01 or later).
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, ROOT, type RunResult, run, setupHome, tempDir, writePdf } from "./helpers.js";

type L = (...args: string[]) => RunResult;

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/** The body of a case's first letter. */
function bodyOf(L: L, id: number): string {
  const show = json<{ messages: { direction: string; bodyText: string }[] }>(ok(L("--json", "show", String(id))));
  return show.messages.find((m) => m.direction === "out")?.bodyText ?? "";
}

/** First-person words a counselor's letter must not use of the borrower's acts. */
const BORROWERS_FIRST_PERSON_EN = [
  /\bmy payment\b/i,
  /\bI made\b/,
  /\bmy application\b/i,
  /\bmy letter\b/i,
  /\bmy notice\b/i,
  /\bmy (complete )?loss mitigation application\b/i,
  /\bI am asking to be evaluated\b/,
  /\bI (first )?submitted\b/,
  /\bmy (financial documents|loan)\b/i,
];
// \b knows only ASCII letters ("realicé" ends in one it does not): Spanish words are bounded by \p{L}.
const BORROWERS_FIRST_PERSON_ES = [
  /(?<!\p{L})mi (pago|solicitud|carta|préstamo)(?!\p{L})/iu,
  /(?<!\p{L})mis documentos(?!\p{L})/u,
  /(?<!\p{L})(realicé|presenté)(?!\p{L})/iu,
  /(?<!\p{L})se me evalúe(?!\p{L})/u,
];

function expectNoBorrowersFirstPerson(body: string, patterns: readonly RegExp[]): void {
  for (const p of patterns) expect(body, String(p)).not.toMatch(p);
}

/**
 * A counselor's home (Maria Lopez at Springfield Housing Counseling) with the Tran household's loan 1 at Mr. Cooper
 * and its signed authorization of Tue 2026-09-01 (signed by every borrower); the client prefers `language` when
 * given.
 */
function counselorHome(language?: string, borrowers: readonly string[] = ["Tran Thi Mai"]): { home: string; L: L } {
  const work = tempDir();
  const home = join(work, "home");
  const L: L = (...args) => run(["--home", home, ...args], { cwd: work });
  ok(
    L(
      ...["init", "--counselor", "--agency", "Springfield Housing Counseling", "--agency-id", "81234"],
      ...["--name", "Maria Lopez", "--email", "maria@shc.test", "--address", "1 Main St\\nSpringfield, IL 62701"],
      ...["--phone", "555-010-2000", "--timezone", "America/Chicago"],
    ),
  );
  ok(
    L(
      ...["servicer", "add", "Mr. Cooper", "--domain", "servicer.test", "--email", "help@servicer.test"],
      ...["--notice-address", "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261"],
    ),
  );
  ok(L("client", "add", "Tran household", ...(language ? ["--language", language] : [])));
  ok(
    L(
      ...["loan", "add", "--client", "Tran household", "--servicer", "Mr. Cooper", "--account", "1234567"],
      ...["--property", "12 Elm St, Springfield, IL 62701", ...borrowers.flatMap((b) => ["--borrower", b])],
    ),
  );
  const form = writePdf(join(work, "authorization.pdf"));
  ok(
    L(
      ...["authorization", "add", "--loan", "1", "--file", form, "--authorized", "Maria Lopez"],
      ...["--signed-on", "2026-09-01"],
    ),
  );
  return { home, L };
}

describe("a counselor's letters: the borrower's acts are the borrower's", () => {
  it("payment-application, notice-of-error, loss-mitigation, follow-up and an escalation say the borrower's, never my", {
    timeout: 120_000,
  }, () => {
    const { L } = counselorHome();
    // Case 1, written Thu 2026-10-01 (after the authorization of 09-01), uploaded through the portal Fri 10-02.
    ok(
      L(
        ...["compose", "payment-application", "--no-formal", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "payment-date=2026-09-15", "--set", "amount=1500", "--summary", "The household paid on time."],
      ),
    );
    ok(L("sent", "1", "--via", "portal", "--date", "2026-10-02"));
    const application = bodyOf(L, 1);
    expect(application).toContain("I am a housing counselor at Springfield Housing Counseling and write on behalf");
    expect(application).toContain(
      "You failed to apply the borrower's payment of $1,500.00, made on September 15, 2026, to this loan as its terms require.",
    );
    expectNoBorrowersFirstPerson(application, BORROWERS_FIRST_PERSON_EN);

    // Case 2: a notice of error about the same payment (a draft; its formal paragraph is unchanged).
    ok(
      L(
        ...["compose", "notice-of-error", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "error=the September payment sits in suspense", "--set", "payment-date=2026-09-15"],
        ...["--summary", "The household paid on time."],
      ),
    );
    const notice = bodyOf(L, 2);
    expect(notice).toContain("The error concerns the payment the borrower made on September 15, 2026.");
    expect(notice).toContain("This letter is a notice of error under 12 C.F.R. 1024.35");
    expectNoBorrowersFirstPerson(notice, BORROWERS_FIRST_PERSON_EN);

    // Case 3: a loss-mitigation application first submitted Sun 2026-09-20.
    ok(
      L(
        ...["compose", "loss-mitigation", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "application-date=2026-09-20", "--summary", "The household's income fell in August."],
      ),
    );
    const lossMit = bodyOf(L, 3);
    for (const said of [
      "The borrower asks to be evaluated for all loss mitigation options available for this loan",
      "Please confirm receipt of the borrower's application in writing, tell me whether it is complete",
      "The borrower's application was first submitted on September 20, 2026.",
    ])
      expect(lossMit).toContain(said);
    expectNoBorrowersFirstPerson(lossMit, BORROWERS_FIRST_PERSON_EN);

    // Case 4: a follow-up to case 1, which left Fri 2026-10-02, written Mon 11-02.
    ok(
      L(
        ...["compose", "follow-up", "--loan", "1", "--set", "case=1", "--dated", "2026-11-02"],
        ...["--summary", "The servicer has not answered."],
      ),
    );
    const followUp = bodyOf(L, 4);
    expect(followUp).toMatch(
      /No complete answer to the letter of October 1, 2026, sent on October 2, 2026 \(reference LM-[A-Z0-9]{4}-1\) has been received\./,
    );
    expectNoBorrowersFirstPerson(followUp, BORROWERS_FIRST_PERSON_EN);

    // Escalating case 1 (marked unresolved) drafts a follow-up whose account of the record is not "my letter".
    ok(L("resolve", "1", "--unresolved"));
    const escalated = json<{ child: { id: number } | null }>(
      ok(L("--json", "--yes", "escalate", "1", "--as-of", "2026-11-02")),
    );
    const childId = escalated.child?.id ?? 0;
    const drafted = bodyOf(L, childId);
    // Written Thu 10-01 (--dated), sent Fri 10-02: cited by the day it left, with the day it was written.
    expect(drafted).toMatch(
      /On October 2, 2026 the letter "Payment Clarification" \(reference LM-[A-Z0-9]{4}-1\), dated October 1, 2026, was sent through your portal\./,
    );
    expect(drafted).toMatch(/No complete answer to the letter of October 1, 2026, sent on October 2, 2026/);
    expectNoBorrowersFirstPerson(drafted, BORROWERS_FIRST_PERSON_EN);
  });

  it("a loss-mitigation email whose only exhibit is the signed authorization is not warned as sending financial documents", () => {
    const { L } = counselorHome();
    const r = ok(
      L(
        ...["--json", "compose", "loss-mitigation", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "application-date=2026-09-20", "--summary", "The household's income fell in August."],
      ),
    );
    const doc = json<{ message: { channel: string; exhibits: { label: string }[] }; warnings: string[] }>(r);
    expect(doc.message.channel).toBe("email");
    expect(doc.message.exhibits).toHaveLength(1); // the signed authorization, carried by the first letter
    expect(doc.warnings.join("\n")).not.toMatch(/exhibit\(s\) by ordinary email/);
    expect(bodyOf(L, 1)).toContain("secure channel, such as your secure document upload or a mailing address");
  });

  it("a Spanish letter for a client who prefers Spanish says el pago del prestatario, never mi pago", {
    timeout: 60_000,
  }, () => {
    const { L } = counselorHome("es-MX");
    ok(
      L(
        ...["compose", "payment-application", "--no-formal", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "payment-date=2026-09-15", "--set", "amount=1500", "--summary", "La familia pagó a tiempo."],
      ),
    );
    const body = bodyOf(L, 1);
    expect(body).toContain("Presto servicios de consejería de vivienda (housing counseling) en Springfield");
    expect(body).toContain(
      "Ustedes no aplicaron el pago de $1,500.00 del prestatario, realizado el 15 de septiembre de 2026, a este préstamo como lo exigen sus términos.",
    );
    expectNoBorrowersFirstPerson(body, BORROWERS_FIRST_PERSON_ES);

    ok(
      L(
        ...["compose", "loss-mitigation", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "application-date=2026-09-20", "--summary", "Los ingresos de la familia bajaron en agosto."],
      ),
    );
    const lossMit = bodyOf(L, 2);
    expect(lossMit).toContain("El prestatario solicita que se le evalúe para todas las opciones");
    expect(lossMit).toContain("La solicitud del prestatario se presentó por primera vez el 20 de septiembre de 2026.");
    expectNoBorrowersFirstPerson(lossMit, BORROWERS_FIRST_PERSON_ES);
  });
});

interface Escalated {
  step: string;
  cites: { text: string }[];
  missed: { text: string }[];
  packet: { dir: string } | null;
  next: string[];
}

/**
 * A formal notice of error on loan 1, written Wed 2026-09-30, mailed Thu 10-01 and delivered Mon 2026-10-05, never
 * answered, then escalated on Thu 2026-11-19. Its response (12 C.F.R. 1024.35(e)(3)(i)(C), 30 business days after
 * delivery; Columbus Day 10-12 and Veterans Day 11-11 closed): 10-06..09 (4), 13..16 (8), 19..23 (13), 26..30 (18),
 * 11-02..06 (23), 09, 10 (25), 12, 13 (27), 16, 17, 18 (30) -> due Wed 2026-11-18, 1 business day late on 11-19:
 * the regulator rung. Returns the proposal as printed, the escalation and the packet's two text files.
 */
function walkToRegulator(L: L, home: string, summary: string) {
  ok(
    L(
      ...["compose", "notice-of-error", "--loan", "1", "--dated", "2026-09-30", "--summary", summary],
      ...["--set", "error=the March 2026 payment of $1,500 was put in suspense"],
    ),
  );
  ok(L("mailed", "1", "--tracking", "9407111899223197428490", "--date", "2026-10-01", "--delivered", "2026-10-05"));
  const proposal = ok(L("escalate", "1", "--as-of", "2026-11-19")).stdout;
  const done = json<Escalated>(ok(L("--json", "--yes", "escalate", "1", "--as-of", "2026-11-19")));
  expect(done.step).toBe("regulator");
  const dir = done.packet?.dir ?? "";
  expect(dir.startsWith(join(home, "complaints"))).toBe(true);
  return {
    proposal,
    done,
    narrative: readFileSync(join(dir, "narrative.txt"), "utf8"),
    desired: readFileSync(join(dir, "desired-resolution.txt"), "utf8"),
  };
}

const MISSED_RESPONSE =
  "The response required by 12 C.F.R. 1024.35(e)(3)(i)(C) was due November 18, 2026 and had not arrived on November 19, 2026, 1 business day late.";

describe("a counselor's CFPB complaint packet: the counselor submits it on the borrowers' behalf", () => {
  it("names the counselor, the agency and the borrowers; the letters and the loan are theirs, never mine", {
    timeout: 60_000,
  }, () => {
    const { home, L } = counselorHome(undefined, ["Tran Thi Mai", "Tran Van Minh"]);
    const { proposal, done, narrative, desired } = walkToRegulator(L, home, "The household paid on time.");
    // What the counselor files: who, for whom, under the authorization of Tue 2026-09-01 valid on 11-19.
    expect(narrative).toContain(
      "I am Maria Lopez, a housing counselor at Springfield Housing Counseling (HUD agency ID 81234), and submit this complaint on behalf of Tran Thi Mai and Tran Van Minh, the borrowers.",
    );
    expect(narrative).toContain(
      "I hold the third-party authorization for Mr. Cooper that the borrowers signed on September 1, 2026.",
    );
    expect(narrative).toContain(
      "Mr. Cooper services the borrowers' mortgage loan on 12 Elm St, Springfield, IL 62701.",
    );
    // The notice was written Wed 09-30 and mailed Thu 10-01: both days; a letter by post carries no Message-ID.
    expect(narrative).toContain(
      "A letter to Mr. Cooper dated September 30, 2026 and sent on October 1, 2026 (notice of error) raised the matter: The household paid on time. Mr. Cooper has not resolved it.",
    );
    expect(narrative).toMatch(
      /^1\. October 1, 2026: The letter ".*Notice of Error.*", dated September 30, 2026, was sent to Mr\. Cooper by certified mail to its designated address, delivered October 5, 2026\.$/m,
    );
    expect(narrative).toContain(`- ${MISSED_RESPONSE}`);
    expect(narrative).toContain(
      "Have you already tried to fix this problem with the company? Yes. Mr. Cooper was written to once, first on September 30, 2026 (sent by certified mail on October 1, 2026), and no reply was received.",
    );
    // How a counselor files it: on behalf of someone else, with their consent (the packet and the next steps).
    const filing =
      "As a housing counselor, file it as a complaint on behalf of someone else (Tran Thi Mai and Tran Van Minh), and only with their consent to it.";
    expect(narrative).toContain(filing);
    expect(done.next).toContain(filing);
    expect(desired).toContain(
      "Correct the error reported (the March 2026 payment of $1,500 was put in suspense) and confirm it in writing to the borrowers and to me",
    );
    expect(desired).toContain("Answer the letters in writing");
    const written = `${narrative}\n${desired}`;
    for (const p of [
      /\bmy (mortgage|loan|letters?|payment)\b/i,
      /\bI (sent|wrote|reported)\b/,
      /\bI am Tran\b/,
      /asking me\b/,
    ])
      expect(written, String(p)).not.toMatch(p);
    // The proposal escalate prints and its JSON speak in the same voice.
    expect(done.cites[0]?.text).toMatch(
      /^On October 1, 2026 the letter "Notice of Error" \(reference LM-[A-Z0-9]{4}-1\), dated September 30, 2026, was mailed by certified mail to your designated address, delivered October 5, 2026\.$/,
    );
    expect(done.missed.map((m) => m.text)).toContain(MISSED_RESPONSE);
    for (const text of [proposal, ...done.cites.map((c) => c.text), ...done.missed.map((m) => m.text)])
      expectNoBorrowersFirstPerson(text, BORROWERS_FIRST_PERSON_EN);
  });
});

describe("a counselor's evidence bundle: the declaration is the counselor's", () => {
  it("says the counselor assisted the borrowers, never that the counselor is a borrower on the loan", {
    timeout: 60_000,
  }, () => {
    const { home, L } = counselorHome(undefined, ["Tran Thi Mai", "Tran Van Minh"]);
    walkToRegulator(L, home, "The household paid on time.");
    const zip = join(tempDir(), "case.zip");
    const r = L("export", "1", "--out", zip);
    expect(r.code, r.stderr).toBe(0);
    const declaration = execFileSync("unzip", ["-p", zip, "declaration.txt"], { encoding: "utf8" }).replace(
      /\s+/g,
      " ",
    );
    expect(declaration).toContain(
      "I am over 18 years of age. I am a housing counselor with Springfield Housing Counseling. I assisted Tran Thi Mai and Tran Van Minh with the mortgage loan for the property at 12 Elm St, Springfield, IL 62701, serviced by Mr. Cooper.",
    );
    expect(declaration).toContain("I sent and received the correspondence described for them");
    expect(declaration).not.toMatch(/I am a borrower/);
  });
});

describe("a borrower's own home", () => {
  /** The template's text with its placeholders filled, one paragraph a line joined as the letter joins them. */
  function filled(file: string, values: Record<string, string>): string {
    const text = readFileSync(join(ROOT, "templates", file), "utf8").replace(/\{\{([a-z-]+)\}\}/g, (_m, n: string) => {
      const v = values[n];
      if (v === undefined) throw new Error(`no value for ${n}`);
      return v;
    });
    return text.trim().split("\n").join(" ");
  }

  it("writes the normal templates word for word: my payment, the payment I made", { timeout: 60_000 }, () => {
    const { L } = setupHome();
    ok(
      L(
        ...["compose", "payment-application", "--no-formal", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "payment-date=2026-09-15", "--set", "amount=1500", "--summary", "I paid on time."],
      ),
    );
    const application = bodyOf(L, 1);
    const normal = filled("payment-application.en.md", { amount: "$1,500.00", "payment-date": "September 15, 2026" });
    expect(normal).toContain("You failed to apply my payment of $1,500.00");
    expect(application).toContain(normal);
    expect(application).not.toContain("on behalf of");

    ok(
      L(
        ...["compose", "notice-of-error", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "error=the September payment sits in suspense", "--set", "payment-date=2026-09-15"],
        ...["--summary", "I paid on time."],
      ),
    );
    expect(bodyOf(L, 2)).toContain("The error concerns the payment I made on September 15, 2026.");

    ok(
      L(
        ...["compose", "loss-mitigation", "--loan", "1", "--dated", "2026-10-01"],
        ...["--set", "application-date=2026-09-20", "--summary", "My income fell in August."],
      ),
    );
    const lossMit = bodyOf(L, 3);
    expect(lossMit).toContain("I am asking to be evaluated for all loss mitigation options available for this loan");
    expect(lossMit).toContain("I first submitted my application on September 20, 2026.");
  });

  it("its CFPB complaint packet is the borrower's own, in the first person", { timeout: 60_000 }, () => {
    const { home, L } = setupHome();
    const { done, narrative, desired } = walkToRegulator(L, home, "I paid on time.");
    expect(narrative).toContain(
      "I am Jane Q. Doe. Mr. Cooper services my mortgage loan on 12 Elm St, Springfield, IL 62701. On September 30, 2026 I wrote to Mr. Cooper (notice of error): I paid on time. It has not resolved the matter.",
    );
    expect(narrative).toMatch(
      /^1\. October 1, 2026: I sent Mr\. Cooper my letter ".*Notice of Error.*", dated September 30, 2026, by certified mail/m,
    );
    expect(narrative).toContain(`- ${MISSED_RESPONSE}`);
    expect(narrative).toContain(
      "Have you already tried to fix this problem with the company? Yes. I wrote to Mr. Cooper once, first on September 30, 2026 (sent by certified mail on October 1, 2026), and received no reply.",
    );
    expect(desired).toContain("Correct the error I reported (the March 2026 payment of $1,500 was put in suspense)");
    expect(desired).toContain("Answer my letters in writing");
    expect(done.cites[0]?.text).toMatch(/^On October 1, 2026 I mailed my letter "Notice of Error"/);
    for (const said of [narrative, desired, done.next.join("\n")]) {
      expect(said).not.toContain("on behalf of");
      expect(said).not.toContain("housing counselor");
    }
  });
});
