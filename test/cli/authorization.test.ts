/** A counselor's third-party authorizations: recorded with the signed form, listed with their state, due to renew. */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { json, rowCounts, setupHome, tempDir } from "./helpers.js";

const FORM = join(import.meta.dirname, "../../examples/proof-of-payment.pdf");

interface ListDoc {
  authorizations: {
    id: number;
    authorized: string;
    signers: string[];
    state: string;
    submittedOn: string | null;
    fileSha256: string;
  }[];
}

describe("authorization", () => {
  it("records the signed form by hash, lists its state, and shows its expiry in due", () => {
    const { home, L } = setupHome();
    const add = L(
      "--json",
      "authorization",
      "add",
      "--loan",
      "1",
      "--file",
      FORM,
      "--authorized",
      "Springfield Housing Counseling",
      "--signed-on",
      "2026-11-02",
      "--expires-on",
      "2026-12-15",
    );
    expect(add.code).toBe(0);
    const list = json<ListDoc>(L("--json", "authorization", "list")).authorizations;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      authorized: "Springfield Housing Counseling",
      signers: ["Jane Q. Doe"],
      state: "expiring",
      submittedOn: null,
    });
    expect(list[0]?.fileSha256).toBe(createHash("sha256").update(readFileSync(FORM)).digest("hex"));
    expect(rowCounts(home).blobs).toBe(1);

    expect(L("authorization", "submitted", "1", "--date", "2026-11-03").code).toBe(0);
    expect(json<ListDoc>(L("--json", "authorization", "list")).authorizations[0]?.submittedOn).toBe("2026-11-03");

    const due = json<{ clocks: { name: string; party: string; dueLenient: string; status: string }[] }>(
      L("--json", "due", "--as-of", "2026-12-20"),
    );
    expect(due.clocks).toContainEqual(
      expect.objectContaining({
        name: "Renew the third-party authorization for Springfield Housing Counseling",
        party: "borrower",
        dueLenient: "2026-12-15",
        status: "late",
      }),
    );
    // A borrower's own lapsed form is not a late servicer: cron's check stays quiet.
    expect(L("due", "--as-of", "2026-12-20", "--check").code).toBe(0);
    // The calendar holds what due lists: the renewal too, on its day (it had been left out).
    const ics = join(tempDir(), "deadlines.ics");
    expect(L("calendar", "--out", ics, "--as-of", "2026-12-20").code).toBe(0);
    const text = readFileSync(ics, "utf8").replace(/\r\n[ \t]/g, "");
    expect(text).toContain("Renew the third-party authorization for Springfield Housing Counseling");
    expect(text).toContain("DTSTART;VALUE=DATE:20261215");
  });

  it("refuses a form that is not a document, bad dates, and changes nothing", () => {
    const { home, L } = setupHome();
    const before = rowCounts(home);
    const exe = join(tempDir(), "form.pdf");
    writeFileSync(exe, Buffer.concat([Buffer.from("\x7fELF\x02\x01\x01"), Buffer.alloc(64)]));
    const args = ["authorization", "add", "--loan", "1", "--authorized", "Agency", "--signed-on", "2026-11-02"];
    const wrongType = L(...args, "--file", exe);
    expect(wrongType.code).toBe(1);
    expect(wrongType.stderr).toMatch(/not a PDF, JPEG or PNG/);
    const backwards = L(...args, "--file", FORM, "--expires-on", "2026-01-01");
    expect(backwards.code).toBe(1);
    expect(backwards.stderr).toMatch(/--expires-on 2026-01-01 is not after --signed-on 2026-11-02/);
    const missing = L("authorization", "add", "--loan", "1", "--authorized", "Agency", "--signed-on", "2026-11-02");
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/--file is required/);
    expect(L("authorization", "submitted", "9", "--date", "2026-11-03").code).toBe(1);
    expect(rowCounts(home)).toEqual(before);
  });
});

describe("compose third-party-authorization: the borrowers authorize, on paper", () => {
  interface Shown {
    messages: { id: number; bodyText: string; channel: string }[];
  }
  const fields = [
    "--set",
    "counselor=Dev Patel",
    "--set",
    "agency=Springfield Housing Counseling",
    "--set",
    "contact=555-222-3333, dev@shc.test, 1 Main St, Springfield, IL 62701",
  ];

  it("names every borrower with a signature and date line, the counselor with contact, scope, expiry and revocation", () => {
    const { L } = setupHome();
    expect(L("loan", "set", "1", "--borrower", "Jane Q. Doe", "--borrower", "John Doe").code).toBe(0);
    const composed = L(
      "--json",
      "compose",
      "third-party-authorization",
      "--loan",
      "1",
      ...fields,
      "--set",
      "expires=2027-06-30",
      "--servicer-form",
      FORM,
      "--summary",
      "We are working with a HUD-approved housing counselor on a loan modification.",
    );
    expect(composed.code).toBe(0);
    const doc = json<{ message: { channel: string; exhibits: { fileName: string }[] } }>(composed);
    // It goes by post (a printed PDF to sign); the servicer's own form is the first exhibit.
    expect(doc.message.channel).toBe("post");
    expect(doc.message.exhibits.map((e) => e.fileName)).toEqual([
      "Exhibit A – Mr. Cooper third-party authorization form.pdf",
    ]);
    const body = json<Shown>(L("--json", "show", "1")).messages[0]?.bodyText ?? "";
    for (const needed of [
      "We, Jane Q. Doe and John Doe, authorize Mr. Cooper to discuss this loan with the housing counselor named below, to give the counselor information about it, and to receive information and documents about it from the counselor.",
      "Counselor: Dev Patel\n\nAgency: Springfield Housing Counseling\n\nContact: 555-222-3333, dev@shc.test, 1 Main St, Springfield, IL 62701",
      "Scope: to discuss and receive information about our loan and assist us with loss mitigation; not to agree to any change of our loan on our behalf.",
      "This authorization expires at the end of June 30, 2027, unless revoked earlier. Any borrower named above may revoke it at any time by writing to you, quoting the account number; the revocation takes effect when you receive it.",
      "Your own third-party authorization form, completed and signed by each borrower, is enclosed as Exhibit A.",
      "Signed by each borrower:\n\nSignature: ______________________________   Date: ________________\nJane Q. Doe\n\nSignature: ______________________________   Date: ________________\nJohn Doe\n\nEnclosures:\nExhibit A – Mr. Cooper third-party authorization form.pdf",
    ]) {
      expect(body).toContain(needed);
    }
    // Nobody signs for the borrowers: no closing by the user, and the counselor signs nothing.
    expect(body).not.toContain("Sincerely");
    expect(body).not.toMatch(/^Dev Patel$/m);

    // The PDF to sign: a signature and date line over each borrower's name; no single signature for the user.
    const pdf = join(tempDir(), "authorization.pdf");
    expect(L("show", "1", "--pdf", pdf).code).toBe(0);
    const text = execFileSync("pdftotext", ["-layout", pdf, "-"], { encoding: "utf8" });
    expect(text.match(/Signature: _{10,}\s+Date: _{10,}/g)).toHaveLength(2);
    expect(text).toMatch(/Signature: _+\s+Date: _+\s*\n\s*Jane Q\. Doe\s*\n/);
    expect(text).toMatch(/Signature: _+\s+Date: _+\s*\n\s*John Doe\s*\n/);
    expect(text).not.toContain("Sincerely");
    expect(text).toContain("VIA CERTIFIED MAIL");
  });

  it("speaks for one borrower in the singular and, without an expiry, lasts until revoked", () => {
    const { L } = setupHome();
    expect(L("compose", "third-party-authorization", "--loan", "1", ...fields, "--summary", "s.").code).toBe(0);
    const body = json<Shown>(L("--json", "show", "1")).messages[0]?.bodyText ?? "";
    expect(body).toContain("I, Jane Q. Doe, authorize Mr. Cooper");
    expect(body).toContain(
      "information about my loan and assist me with loss mitigation; not to agree to any change of my loan on my behalf.",
    );
    expect(body).toContain("This authorization has no end date: it lasts until it is revoked.");
    expect(body).toContain(
      "Signed by the borrower:\n\nSignature: ______________________________   Date: ________________\nJane Q. Doe",
    );
  });

  it("is never sent as an email body: send refuses it and says how it leaves, changing nothing", () => {
    const { home, L } = setupHome();
    // Addressed to an email address, it is still a form to sign.
    expect(
      L(
        "compose",
        "third-party-authorization",
        "--loan",
        "1",
        ...fields,
        "--to",
        "help@servicer.test",
        "--summary",
        "s.",
      ).code,
    ).toBe(0);
    const before = rowCounts(home);
    const r = L("send", "1");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("letter 1 of LM-");
    expect(r.stderr).toContain(
      "is a third-party authorization: every borrower must sign and date it, and an email body carries no signature, so loanmail does not email it",
    );
    expect(r.stderr).toContain(
      "print it: loanmail show 1 --letter 1 --pdf authorization.pdf; have each borrower sign and date it; upload or fax the signed copy and record it: loanmail sent 1 --letter 1 --via portal --date D --file signed.pdf",
    );
    const json1 = L("--json", "send", "1");
    expect(JSON.parse(json1.stderr)).toMatchObject({ error: { code: "LETTER_NEEDS_SIGNATURES" } });
    expect(rowCounts(home)).toEqual(before);

    // By post (the default when the servicer has a postal address): print, sign, mail.
    expect(L("compose", "third-party-authorization", "--loan", "1", ...fields, "--summary", "s.").code).toBe(0);
    const drafted = rowCounts(home);
    const post = L("send", "2");
    expect(post.code).toBe(1);
    expect(post.stderr).toContain("mail it certified and record it: loanmail mailed 2 --letter 2 --tracking NUMBER");
    expect(rowCounts(home)).toEqual(drafted);
    // Printed, signed and mailed, it is recorded like any posted letter.
    expect(L("show", "2", "--pdf", join(tempDir(), "a.pdf")).code).toBe(0);
    expect(L("mailed", "2", "--tracking", "9407111899560000000123").code).toBe(0);
  });

  it("refuses --servicer-form for another kind, an expiry not after the letter, and a missing contact", () => {
    const { home, L } = setupHome();
    const before = rowCounts(home);
    const other = L("compose", "balance-verification", "--loan", "1", "--servicer-form", FORM, "--summary", "s.");
    expect(other.code).toBe(1);
    expect(other.stderr).toContain(
      "--servicer-form is for a letter every borrower signs (third-party-authorization), not balance-verification",
    );
    const expired = L(
      "compose",
      "third-party-authorization",
      "--loan",
      "1",
      ...fields,
      "--dated",
      "2026-11-02",
      "--set",
      "expires=2026-11-01",
      "--summary",
      "s.",
    );
    expect(expired.code).toBe(1);
    expect(expired.stderr).toContain("--set expires=2026-11-01 is not after this letter's date (2026-11-02)");
    const noContact = L(
      "compose",
      "third-party-authorization",
      "--loan",
      "1",
      "--set",
      "counselor=Dev Patel",
      "--summary",
      "s.",
    );
    expect(noContact.code).toBe(1);
    expect(noContact.stderr).toContain("third-party-authorization needs contact");
    expect(rowCounts(home)).toEqual(before);
  });
});
