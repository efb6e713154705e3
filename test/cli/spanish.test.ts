/**
 * Letters in Spanish (issue 14), run as a user would (spawned, no TTY): a Spanish letter of every kind renders
 * (`show --pdf`, read back with pdftotext) with its kind's accented words and the rules its English twin cites,
 * under the same English subject; `loan set --lang es` makes the next letter Spanish without the flag; a client
 * whose intake prefers Spanish gets Spanish letters; `edit` keeps the language; an unknown --lang is a usage
 * error naming the choices, with nothing written.
 *
 * The user's zone is America/Chicago. Every letter is written (--dated) on Mon 2026-07-20, after the notice of
 * case 1 was mailed (Mon 2026-06-01), delivered (Thu 06-04) and answered (Wed 07-15).
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { KIND_IDS, type KindId } from "../../src/domain/kinds.js";
import { json, type RunResult, rowCounts, run, setupHome, tempDir, writePdf } from "./helpers.js";

type L = (...args: string[]) => RunResult;

function ok(r: RunResult): RunResult {
  if (r.code !== 0) throw new Error(`exit ${r.code}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
  return r;
}

/**
 * The PDF's text as pdftotext extracts it, with every run of whitespace (line ends too) as one space, and a
 * citation the layout wrapped between two of its paragraphs ("1024.36(d)" / "(2)(i)(A)") joined again.
 */
function pdfText(path: string): string {
  return execFileSync("pdftotext", ["-enc", "UTF-8", path, "-"], { encoding: "utf8" })
    .replace(/\s+/g, " ")
    .replace(/\) \(/g, ")(");
}

/** A letter's body and language as the record keeps them (read-only, beside the CLI that wrote them). */
function storedLetter(home: string, id: number): { body: string; lang: string | undefined } {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT body_text, letter_input FROM messages WHERE id = ?").get(id) as {
      body_text: string;
      letter_input: string;
    };
    return { body: row.body_text, lang: (JSON.parse(row.letter_input) as { lang?: string }).lang };
  } finally {
    db.close();
  }
}

/** The header block of a letter's stored bytes (what is sent, or printed into the record). */
function storedHeaders(home: string, id: number): string {
  const db = new Database(join(home, "loanmail.db"), { readonly: true, fileMustExist: true });
  try {
    const raw = db.prepare("SELECT raw FROM messages WHERE id = ?").pluck().get(id) as Buffer;
    return raw.toString("utf8").split("\r\n\r\n")[0] ?? "";
  } finally {
    db.close();
  }
}

/** Every rule a text cites: "12 C.F.R. 1024.35(b)(5)", "12 U.S.C. 2605(e)". */
function citations(text: string): string[] {
  const found = text.replace(/\s+/g, " ").match(/\b\d+ (?:C\.F\.R\.|U\.S\.C\.) \d+(?:\.\d+)?(?:\([A-Za-z0-9]+\))*/g);
  return [...new Set(found ?? [])].sort();
}

const WRITTEN = "2026-07-20";

/** The fields each kind needs (and its optional ones, so that every sentence of the template is printed). */
const FIELDS: Record<KindId, string[]> = {
  "balance-verification": ["as-of=2026-06-30"],
  "payment-history": ["from=2026-01-01", "to=2026-06-30"],
  "escrow-inquiry": ["year=2026"],
  "rate-adjustment": ["change-date=2026-06-01"],
  "payment-application": ["payment-date=2026-03-02", "amount=1500"],
  // Paid Mon 03-02, grace ended Mon 03-16: within it. The fee was assessed Fri 03-20.
  "late-fee-dispute": [
    "payment-date=2026-03-02",
    "amount=1500",
    "fee=75",
    "fee-date=2026-03-20",
    "grace-ends=2026-03-16",
  ],
  "payment-delay": ["payment-date=2026-03-02", "amount=1500", "method=cheque"],
  "partial-payment": ["amount=500"],
  // 2026-07-20 + 37 days = 08-26: a sale on Wed 09-30 is more than 37 days away, so 1024.41(g) is cited.
  "loss-mitigation": ["application-date=2026-07-01", "sale-date=2026-09-30"],
  "payoff-statement": ["good-through=2026-08-31"],
  "tax-form-1098": ["tax-year=2025"],
  assumption: [],
  "successor-in-interest": ["how=death", "transfer-date=2026-02-10", "relationship=hija"],
  "notice-of-error": [
    "error=el pago de marzo sigue en suspenso",
    "error-date=2026-03-02",
    "amount=1500",
    "payment-date=2026-03-02",
  ],
  "information-request": ["information=el historial de pagos", "from=2026-01-01", "to=2026-06-30"],
  "owner-request": [],
  "relied-documents": ["case=1"],
  "insurance-proof": ["policy=HO-123", "insurer=Acme Mutual"],
  "follow-up": ["case=1"],
  // Delinquent since Fri 2026-05-01 (before the letter): the letter cites continuity of contact, 1024.40.
  "escalation-request": ["case=1", "delinquent-since=2026-05-01"],
  "third-party-authorization": [
    "counselor=Rosa Díaz",
    "contact=555-0100, rosa@agency.test",
    "agency=Casa de la Vivienda",
    "expires=2027-07-20",
  ],
};

/** Words with their accents that only the kind's Spanish letter prints (its template, derived wording, formal paragraph). */
const ACCENTED: Record<KindId, string[]> = {
  "balance-verification": ["depósito en garantía", "saldo al 30 de junio de 2026"],
  "payment-history": ["transacciones", "fecha de recepción", "del 1 de enero de 2026 al 30 de junio de 2026"],
  "escrow-inquiry": ["análisis", "déficit"],
  "rate-adjustment": ["índice", "próximo cambio"],
  // Formal by default: the notice of error of 1024.35, by certified mail, asking for 1024.35(i).
  "payment-application": [
    "aplicó",
    "realizado el 2 de marzo de 2026",
    "Esta carta es un aviso de error (notice of error) conforme a 12 C.F.R. 1024.35",
    "POR CORREO CERTIFICADO, CON ACUSE DE RECIBO",
    "Conforme a lo que exige 12 C.F.R. 1024.35(i)",
  ],
  "late-fee-dispute": ["período de gracia", "terminó el 16 de marzo de 2026"],
  "payment-delay": ["recepción", "acreditaron"],
  "partial-payment": ["política"],
  "loss-mitigation": ["mitigación de pérdidas", "ejecución hipotecaria", "30 de septiembre de 2026", "más de 37 días"],
  "payoff-statement": ["liquidación", "válido hasta el 31 de agosto de 2026"],
  "tax-form-1098": ["año fiscal 2025"],
  assumption: ["asunción"],
  "successor-in-interest": ["sucesor en interés", "defunción", "fotografía"],
  "notice-of-error": ["investigación razonable", "aviso de error"],
  "information-request": ["información", "período"],
  "owner-request": ["teléfono", "fiduciario"],
  "relied-documents": ["ningún error", "15 de julio de 2026"],
  "insurance-proof": ["póliza", "compañía aseguradora"],
  "follow-up": ["cuándo", "1 de junio de 2026"],
  "escalation-request": ["está resuelto", "continuidad del contacto"],
  "third-party-authorization": ["autorización", "Firma:", "revocación"],
};

/** What every Spanish letter prints: the greeting, the account lines, the reference request, its date. */
const COMMON = ["Estimados señores de Mr. Cooper:", "Número de cuenta: 1234567", "20 de julio de 2026"];

interface ComposeDoc {
  case: { id: number; tag: string };
  message: { id: number; subject: string; lang: string; exhibits: { exhibit: string; fileName: string }[] };
}

interface ShowDoc {
  letters: { id: number; lang: string }[];
  messages: { id: number; bodyText: string; subject: string }[];
}

describe("a Spanish letter of every kind", () => {
  let L: L;
  let home: string;
  let dir: string;

  beforeAll(() => {
    ({ L, home } = setupHome());
    dir = tempDir();
    // Case 1: the notice that follow-up, escalation-request and relied-documents cite. Written and mailed Mon
    // 2026-06-01, delivered Thu 06-04; the servicer's response (no error) arrived Wed 07-15.
    ok(
      L(
        ...["compose", "notice-of-error", "--loan", "1", "--dated", "2026-06-01"],
        ...["--set", "error=the March 2026 payment sits in suspense", "--summary", "I paid on March 2."],
      ),
    );
    ok(L("mailed", "1", "--tracking", "9407111899560000002001", "--date", "2026-06-01", "--delivered", "2026-06-04"));
    const scan = writePdf(join(dir, "response.pdf"));
    ok(L("received", "1", "--date", "2026-07-15", "--class", "response", "--file", scan));
  }, 60_000);

  it.each(KIND_IDS)(
    "%s: the PDF has its accented Spanish words, the English one's citations and the English subject",
    (kind) => {
      const sets = FIELDS[kind].flatMap((f) => ["--set", f]);
      const english = json<ComposeDoc>(
        ok(
          L(
            "--json",
            "compose",
            kind,
            "--loan",
            "1",
            "--dated",
            WRITTEN,
            ...sets,
            "--summary",
            "I write about my loan.",
          ),
        ),
      );
      const id = String(english.case.id);
      // The Spanish letter goes into the same case: the same tag, so the same subject is expected word for word.
      const spanish = json<ComposeDoc>(
        ok(
          L(
            ...["--json", "compose", kind, "--case", id, "--dated", WRITTEN, "--lang", "es", ...sets],
            ...["--summary", "Le escribo sobre mi préstamo."],
          ),
        ),
      );
      expect(spanish.message.lang).toBe("es");
      expect(english.message.lang).toBe("en");
      expect(spanish.message.subject).toBe(english.message.subject);
      expect(spanish.message.subject).toMatch(/^Account Number 1234567 – .+ \[LM-[A-Z0-9]{4}-\d+\]$/);

      const pdf = join(dir, `${kind}.es.pdf`);
      ok(L("show", id, "--pdf", pdf, "--letter", String(spanish.message.id)));
      const text = pdfText(pdf);
      for (const word of [...COMMON, ...ACCENTED[kind]]) expect(text, word).toContain(word);
      // The subject stays in the servicer's English format; its label is Spanish ("Ref.:", not "Re:").
      expect(text).toContain(`Ref.: ${spanish.message.subject}`);
      expect(text).not.toMatch(/Sincerely|Enclosures|Dear |July 20, 2026|Re: |Page \d/);
      expect(text).toMatch(/Página 1 de \d/);

      // The record keeps each letter's language; the rules cited are the English letter's, in its text and the PDF.
      const en = storedLetter(home, english.message.id);
      const es = storedLetter(home, spanish.message.id);
      expect([en.lang, es.lang]).toEqual(["en", "es"]);
      // Each email says its language to the servicer's systems (RFC 3282), once.
      expect(storedHeaders(home, spanish.message.id).match(/^Content-Language: .*$/gm)).toEqual([
        "Content-Language: es",
      ]);
      expect(storedHeaders(home, english.message.id).match(/^Content-Language: .*$/gm)).toEqual([
        "Content-Language: en",
      ]);
      expect(citations(text)).toEqual(citations(en.body));
      expect(citations(es.body)).toEqual(citations(en.body));
    },
    30_000,
  );
});

describe("the language of a loan's letters", () => {
  it("loan set --lang es makes the next letter Spanish without the flag; --lang en on compose overrides it", () => {
    const { home, L } = setupHome();
    const loan = json<{ loan: { lang: string | null } }>(ok(L("--json", "loan", "set", "1", "--lang", "es")));
    expect(loan.loan.lang).toBe("es");
    expect(ok(L("loan", "list")).stdout).toContain("1234567");
    const es = ok(L("compose", "assumption", "--loan", "1", "--summary", "¿Puede mi hijo asumir el préstamo?"));
    expect(es.stdout).toContain("in Spanish (the loan's language); the subject stays in the servicer's English format");
    const shown = json<ShowDoc>(ok(L("--json", "show", "1")));
    expect(shown.letters[0]?.lang).toBe("es");
    expect(shown.messages[0]?.bodyText).toMatch(/^Estimados señores de Mr\. Cooper:/);
    expect(shown.messages[0]?.subject).toMatch(/^Account Number 1234567 – Assumption Information Request \[/);
    expect(ok(L("show", "1")).stdout).toContain("assumption in Spanish  [draft]");

    const en = json<ComposeDoc>(
      ok(L("--json", "compose", "assumption", "--loan", "1", "--lang", "en", "--summary", "Can my son assume it?")),
    );
    expect(en.message.lang).toBe("en");
    expect(json<ShowDoc>(ok(L("--json", "show", "2"))).messages[0]?.bodyText).toMatch(/^Dear Mr\. Cooper:/);

    // Back to English for the loan: the next letter is English again.
    ok(L("loan", "set", "1", "--lang", "en"));
    const again = json<ComposeDoc>(ok(L("--json", "compose", "assumption", "--loan", "1", "--summary", "Again.")));
    expect(again.message.lang).toBe("en");
    expect(rowCounts(home).loans).toBe(1);
  });

  it("edit keeps the language: an exhibit added is an Anexo, the text edited stays Spanish", () => {
    const { home, L } = setupHome();
    const dir = tempDir();
    const a = writePdf(join(dir, "a.pdf"));
    const b = writePdf(join(dir, "b.pdf"));
    const doc = json<ComposeDoc>(
      ok(
        L(
          ...["--json", "compose", "payment-application", "--loan", "1", "--lang", "es"],
          ...["--set", "payment-date=2026-03-02", "--set", "amount=1500", "--summary", "Pagué el 2 de marzo."],
          ...["--attach", `${a}=Estado de cuenta`],
        ),
      ),
    );
    expect(doc.message.exhibits.map((e) => [e.exhibit, e.fileName])).toEqual([
      ["Anexo A", "Anexo A – Estado de cuenta.pdf"],
    ]);
    ok(L("edit", "1", "--attach", `${b}=Recibo`, "--detach", "A"));
    const edited = json<ShowDoc>(ok(L("--json", "show", "1")));
    expect(edited.letters[0]?.lang).toBe("es");
    expect(edited.messages[0]?.bodyText).toMatch(/\n\nAnexos:\nAnexo A – Recibo\.pdf\n$/);

    const r = run(["--home", home, "edit", "1"], {
      env: { EDITOR: "sed -i 's/Pagué el 2 de marzo./Pagué el 2 de marzo de 2026 en línea./'" },
    });
    ok(r);
    const after = json<ShowDoc>(ok(L("--json", "show", "1")));
    expect(after.letters[0]?.lang).toBe("es");
    // Rebuilt by each edit, the bytes still say their language.
    expect(storedHeaders(home, 1)).toMatch(/^Content-Language: es$/m);
    expect(after.messages[0]?.bodyText).toContain("Pagué el 2 de marzo de 2026 en línea.");
    const pdf = join(dir, "edited.pdf");
    ok(L("show", "1", "--pdf", pdf));
    const text = pdfText(pdf);
    expect(text).toContain("Atentamente, ______________________________ Jane Q. Doe");
    expect(text).toContain("Anexos: Anexo A – Recibo.pdf");
    expect(text).not.toContain("Enclosures");
  });

  it("an unknown --lang is a usage error naming the choices, and nothing is written", () => {
    const { home, L } = setupHome();
    const before = rowCounts(home);
    for (const args of [
      ["compose", "assumption", "--loan", "1", "--lang", "fr", "--summary", "x"],
      ["loan", "set", "1", "--lang", "spanish"],
    ]) {
      const r = L(...args);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/--lang <lang>.*is invalid\. Allowed choices are en, es\./);
      const j = L("--json", ...args);
      expect(j.code).toBe(2);
      expect(j.stdout).toBe("");
    }
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("a counselor's client who prefers Spanish", () => {
  it("gets Spanish letters, with the on-behalf words and the signed form as Anexo A, until the loan says English", () => {
    const work = tempDir();
    const home = join(work, "home");
    const L = (...args: string[]) => run(["--home", home, ...args], { cwd: work });
    ok(
      L(
        ...["init", "--counselor", "--agency", "Casa de la Vivienda", "--agency-id", "80123"],
        ...["--name", "Rosa Díaz", "--email", "rosa@agency.test", "--address", "1 Main St\\nTown, IL 62701"],
        ...["--phone", "555-000-1111", "--timezone", "America/Chicago"],
      ),
    );
    ok(
      L(
        ...["servicer", "add", "Mr. Cooper", "--domain", "servicer.test", "--email", "help@servicer.test"],
        ...["--notice-address", "Mr. Cooper\\nPO Box 619098\\nDallas, TX 75261"],
      ),
    );
    ok(L("client", "add", "Pérez household", "--language", "es-MX"));
    ok(
      L(
        ...["loan", "add", "--client", "Pérez household", "--servicer", "Mr. Cooper", "--account", "55501234"],
        ...["--property", "1 Oak St, Town, IL 62701", "--borrower", "Juan Pérez", "--borrower", "Inés Pérez"],
      ),
    );
    const form = writePdf(join(work, "authorization.pdf"));
    ok(
      L(
        ...["authorization", "add", "--loan", "1", "--file", form, "--authorized", "Rosa Díaz"],
        ...["--signed-on", "2026-09-01"],
      ),
    );
    // Written Thu 2026-10-01, after the authorization was signed (Tue 09-01).
    const doc = json<ComposeDoc>(
      ok(
        L(
          ...["--json", "compose", "notice-of-error", "--loan", "1", "--dated", "2026-10-01"],
          ...["--set", "error=el pago de septiembre sigue en suspenso", "--summary", "Los Pérez pagaron a tiempo."],
        ),
      ),
    );
    expect(doc.message.lang).toBe("es");
    expect(doc.message.exhibits.map((e) => e.fileName)).toEqual([
      "Anexo A – Autorización de terceros firmada el 2026-09-01.pdf",
    ]);
    const body = json<ShowDoc>(ok(L("--json", "show", "1"))).messages[0]?.bodyText ?? "";
    expect(body).toContain(
      "Presto servicios de consejería de vivienda (housing counseling) en Casa de la Vivienda y escribo en nombre de Juan Pérez e Inés Pérez, con su autorización por escrito firmada el 1 de septiembre de 2026, que se adjunta como Anexo A.",
    );
    expect(body).toContain(
      "Rosa Díaz, consejería de vivienda (Housing Counselor), Casa de la Vivienda (ID de agencia de HUD 80123), en nombre de Juan Pérez e Inés Pérez",
    );

    // The loan's own language wins over the client's preference.
    ok(L("loan", "set", "1", "--lang", "en"));
    const en = json<ComposeDoc>(
      ok(
        L(
          "--json",
          "compose",
          "assumption",
          "--loan",
          "1",
          "--dated",
          "2026-10-01",
          "--summary",
          "Can a son assume it?",
        ),
      ),
    );
    expect(en.message.lang).toBe("en");
  });
});

describe("escalation letters of a Spanish loan", () => {
  /** The body of a case's first letter, and its language. */
  function letterOfCase(L: L, id: number): { body: string; lang: string | undefined } {
    const shown = json<ShowDoc>(ok(L("--json", "show", String(id))));
    return { body: shown.messages[0]?.bodyText ?? "", lang: shown.letters[0]?.lang };
  }

  it("a follow-up tells the record in Spanish: the letter, the missed acknowledgment, the response still due", () => {
    const { L } = setupHome();
    ok(L("loan", "set", "1", "--lang", "es"));
    // Written Mon 2026-08-31, mailed Tue 09-01, delivered Thu 09-03. Acknowledgment (12 C.F.R. 1024.35(d), 5
    // business days): 09-04, 08, 09, 10, 11 (Labor Day, Mon 09-07, closed) -> due Fri 09-11. Response (12 C.F.R.
    // 1024.35(e)(3)(i)(C), 30 business days; Columbus Day, Mon 10-12, closed) -> due Mon 10-19.
    const tag = json<ComposeDoc>(
      ok(
        L(
          ...["--json", "compose", "notice-of-error", "--loan", "1", "--dated", "2026-08-31"],
          ...["--set", "error=el pago de marzo está en suspenso", "--summary", "Pagué el 2 de marzo."],
        ),
      ),
    ).case.tag;
    ok(L("mailed", "1", "--tracking", "9407111899223197428490", "--date", "2026-09-01", "--delivered", "2026-09-03"));
    // Mon 2026-09-14: the acknowledgment is 1 business day late.
    const done = ok(L("--yes", "escalate", "1", "--as-of", "2026-09-14"));
    expect(done.stdout).toContain("from formal to follow-up: drafted case 2");
    expect(done.stdout + done.stderr).not.toContain("in English");
    const { body, lang } = letterOfCase(L, 2);
    expect(lang).toBe("es");
    expect(body).toMatch(/^Estimados señores de Mr\. Cooper:/);
    expect(body).toContain(
      // Escrita el 31 de agosto y enviada el 1 de septiembre: los dos días.
      `Los antecedentes de este asunto: El 1 de septiembre de 2026 envié por correo certificado mi carta fechada el 31 de agosto de 2026 «Notice of Error» (referencia ${tag}) a la dirección que ustedes designaron, entregada el 3 de septiembre de 2026.`,
    );
    expect(body).toContain(
      "El acuse de recibo exigido por 12 C.F.R. 1024.35(d) vencía el 11 de septiembre de 2026 y no había llegado el 14 de septiembre de 2026, con 1 día hábil de retraso.",
    );
    expect(body).toContain(
      "Su respuesta a mi carta «Notice of Error» vence el 19 de octubre de 2026 (12 C.F.R. 1024.35(e)(3)(i)(C)).",
    );
    expect(body).not.toMatch(/The history|was due|Your response|Dear |Sincerely|\d{4}-\d{2}-\d{2}/);
  });

  it("the formal step's notice of error states the error in Spanish and why the matter is not resolved", () => {
    const { L } = setupHome();
    const dir = tempDir();
    ok(L("loan", "set", "1", "--lang", "es"));
    // Written Mon 2026-08-31, uploaded Tue 09-01 (the day the notice cites it by); the servicer declined to
    // answer on Tue 09-08.
    const tag = json<ComposeDoc>(
      ok(
        L(
          ...["--json", "compose", "payment-application", "--no-formal", "--loan", "1", "--dated", "2026-08-31"],
          ...["--set", "payment-date=2026-03-02", "--set", "amount=1500", "--summary", "Pagué el 2 de marzo."],
        ),
      ),
    ).case.tag;
    ok(L("sent", "1", "--via", "portal", "--date", "2026-09-01"));
    const scan = writePdf(join(dir, "negativa.pdf"));
    ok(L("received", "1", "--date", "2026-09-08", "--class", "exception", "--file", scan));
    ok(L("resolve", "1", "--unresolved"));
    const done = json<{ child: { id: number; kind: string; formal: boolean }; pdf: string | null }>(
      ok(L("--json", "--yes", "escalate", "1", "--to", "formal")),
    );
    expect(done.child).toMatchObject({ id: 2, kind: "notice-of-error", formal: true });
    const { body, lang } = letterOfCase(L, 2);
    expect(lang).toBe("es");
    expect(body).toContain(
      `mi pago de $1,500.00 realizado el 2 de marzo de 2026 no se aplicó como lo exigen los documentos de mi préstamo, según lo expuesto en mi carta del 1 de septiembre de 2026 (referencia ${tag})`,
    );
    expect(body).toContain(
      `El 1 de septiembre de 2026 envié mi carta fechada el 31 de agosto de 2026 «Payment Clarification» (referencia ${tag}) por su portal.`,
    );
    expect(body).toContain(
      "Impugno su respuesta del 8 de septiembre de 2026 en la que se niegan a atender mi solicitud",
    );
    expect(body).toContain("Esta carta es un aviso de error (notice of error) conforme a 12 C.F.R. 1024.35");
    expect(body).not.toMatch(/The history|as set out in|was not applied|Dear /);
    // Mailed as a formal notice: its PDF is Spanish too.
    expect(done.pdf).toMatch(/\.pdf$/);
    const text = pdfText(done.pdf ?? "");
    expect(text).toContain("Página 1 de");
    expect(text).toContain("Ref.: Account Number 1234567");
    expect(text).toContain("POR CORREO CERTIFICADO, CON ACUSE DE RECIBO");
  });
});
