/** A counselor's third-party authorizations: recorded with the signed form, listed with their state, due to renew. */
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
