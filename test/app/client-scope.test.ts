/**
 * The client fence in process (src/app/client-scope.ts): two households whose loans share an account number at
 * two servicers. Fenced, a reference reaches only the fenced household's loan (the other's neither answers nor
 * makes it ambiguous); unfenced, the lookup tells the session whose record it is.
 */
import { describe, expect, it } from "vitest";
import { listsClients, requireLoanFor, type Scope } from "../../src/app/client-scope.js";
import { UserError } from "../../src/errors.js";
import { ensureClient, insertLoan } from "../../src/store/loans.js";
import { insertServicer } from "../../src/store/servicers.js";
import { makeWorld, NOW, type World } from "./world.js";

/** World's loan 1 (Jane Q. Doe's, account 1234567 at Mr. Cooper) and loan 2, the Nguyens', 1234567 at Rocket. */
function twoHouseholds(): World {
  const w = makeWorld();
  const at = NOW.toISOString();
  const rocket = insertServicer(w.db, "Rocket", { email: "help@rocket.test", domains: ["rocket.test"] }, at);
  const nguyen = ensureClient(w.db, "Nguyen household", at);
  insertLoan(
    w.db,
    nguyen,
    {
      servicerId: rocket.id,
      accountNumber: "1234567",
      propertyAddress: "41 Maple Ave, Springfield, IL 62704",
      borrowers: ["Linh Nguyen"],
      product: "closed-end",
      principalResidence: true,
      arm: false,
    },
    at,
  );
  return w;
}

function scope(w: World, client?: string, told: string[] = []): Scope {
  return {
    db: () => w.db,
    prefix: () => w.prefix,
    clientName: () => client,
    tellOwner: (c, several) => told.push(`${c.name}${several ? " (of several)" : ""}`),
  };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err.code;
    throw err;
  }
  return undefined;
}

describe("requireLoanFor", () => {
  it("fenced, an account number shared with another household names only the fenced one's loan", () => {
    const w = twoHouseholds();
    expect(requireLoanFor(scope(w, "Nguyen household"), "1234567").id).toBe(2);
    expect(requireLoanFor(scope(w, "Jane Q. Doe"), "1234567").id).toBe(1);
    // Unfenced, the number fits both loans: ambiguous, as before.
    expect(codeOf(() => requireLoanFor(scope(w), "1234567"))).toBe("LOAN_AMBIGUOUS");
    // The other household's loan by id is not found for this one; an unknown loan is simply not found.
    expect(codeOf(() => requireLoanFor(scope(w, "Nguyen household"), "1"))).toBe("NOT_FOUND_FOR_CLIENT");
    // Under a fence a number no loan has reads as one of another client does: nothing to probe.
    expect(codeOf(() => requireLoanFor(scope(w, "Nguyen household"), "99"))).toBe("NOT_FOUND_FOR_CLIENT");
    expect(codeOf(() => requireLoanFor(scope(w, "Nobody"), "1"))).toBe("CLIENT_NOT_FOUND");
  });

  it("unfenced, tells the session whose loan it is, and whether the home holds several clients", () => {
    const w = twoHouseholds();
    const told: string[] = [];
    requireLoanFor(scope(w, undefined, told), "2");
    expect(told).toEqual(["Nguyen household (of several)"]);
    expect(listsClients(scope(w))).toBe(true);
    expect(listsClients(scope(w, "Nguyen household"))).toBe(false);
    expect(listsClients(scope(makeWorld()))).toBe(false);
  });
});
