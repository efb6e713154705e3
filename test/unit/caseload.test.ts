/**
 * The pure parts of a counselor's caseload: intake checks (HUD 9902 income bands, signed dates), an
 * authorization's state on a day, the "on behalf of" words of a counselor's letter, and the foreclosure referral.
 */
import { describe, expect, it } from "vitest";
import { addCalendarDays, authorizationState, authorizes } from "../../src/domain/authorization-state.js";
import { checkIntake, mergeIntake, parseAmiBand, readIntake } from "../../src/domain/intake.js";
import { kindDef } from "../../src/domain/kinds.js";
import { buildLetterBody, joinNames, type OnBehalf, onBehalfLine } from "../../src/domain/letter.js";
import type { Protection } from "../../src/domain/protections.js";
import { saleDateSeenBefore, saleReferral, stateOfAddress } from "../../src/domain/referral.js";

describe("intake", () => {
  it("takes HUD 9902's income bands as typed, with or without % and dashes of any kind", () => {
    expect(parseAmiBand("<30")).toBe("<30");
    expect(parseAmiBand("30–49%")).toBe("30-49");
    expect(parseAmiBand(" 80 - 100 ")).toBe("80-100");
    expect(parseAmiBand(">100%")).toBe(">100");
    expect(parseAmiBand("Declined")).toBe("declined");
    expect(() => parseAmiBand("50-80")).toThrow("--ami-band 50-80: not an income band");
  });

  it("refuses signed dates after today, empty values and a bad email; keeps what was given", () => {
    const today = "2026-12-01";
    expect(() => checkIntake({ agreementSigned: "2026-12-02" }, today)).toThrow("is in the future");
    expect(() => checkIntake({ privacySigned: "2026-02-30" }, today)).toThrow("not a date");
    expect(() => checkIntake({ members: ["Ana", " "] }, today)).toThrow("--member is empty");
    expect(() => checkIntake({ phone: "  " }, today)).toThrow("--phone is empty");
    expect(() => checkIntake({ email: "nobody" }, today)).toThrow("not an email address");
    expect(() => checkIntake({ language: "Spanish!" }, today)).toThrow("not a language code");
    expect(checkIntake({ agreementSigned: today, language: "ES", address: "1 A St\\nTown, ST 00000" }, today)).toEqual({
      agreementSigned: today,
      language: "es",
      address: "1 A St\nTown, ST 00000",
    });
  });

  it("merges a change field by field and reads stored JSON leniently", () => {
    expect(mergeIntake({ phone: "1", language: "es" }, { phone: "2" })).toEqual({ phone: "2", language: "es" });
    expect(readIntake("not json")).toEqual({});
    expect(readIntake('{"phone":"1","stray":true}')).toEqual({ phone: "1" });
  });
});

describe("authorization state", () => {
  const a = { signedOn: "2026-10-15", expiresOn: "2026-12-15", revokedOn: null };
  it("is expiring from 30 calendar days before the expiry, which it still covers, then expired", () => {
    // 2026-11-14 + 30 days = 2026-12-14: still valid; 2026-11-15 + 30 days = 2026-12-15: expiring.
    expect(addCalendarDays("2026-11-14", 30)).toBe("2026-12-14");
    expect(authorizationState(a, "2026-11-14")).toBe("valid");
    expect(authorizationState(a, "2026-11-15")).toBe("expiring");
    expect(authorizationState(a, "2026-12-15")).toBe("expiring");
    expect(authorizationState(a, "2026-12-16")).toBe("expired");
    expect(authorizationState(a, "2026-10-14")).toBe("not-yet-signed");
    expect(authorizes(authorizationState(a, "2026-12-15"))).toBe(true);
    expect(authorizes(authorizationState(a, "2026-12-16"))).toBe(false);
  });
  it("is revoked from the day it was revoked, not before", () => {
    const r = { ...a, revokedOn: "2026-11-10" };
    expect(authorizationState(r, "2026-11-09")).toBe("valid");
    expect(authorizationState(r, "2026-11-10")).toBe("revoked");
  });
});

describe("a counselor's letter", () => {
  const o: OnBehalf = {
    counselor: "Maria Lopez",
    agency: "Springfield Housing Counseling",
    hudAgencyId: "81234",
    borrowers: ["Tran Thi Mai", "Nguyen Van Hung"],
    signedOn: "2026-10-15",
    formExhibit: "Exhibit A",
  };
  it("is signed by the counselor for the agency, on behalf of the borrowers who signed the authorization", () => {
    expect(onBehalfLine(o)).toBe(
      "Maria Lopez, Housing Counselor, Springfield Housing Counseling (HUD agency ID 81234), on behalf of Tran Thi Mai and Nguyen Van Hung",
    );
    expect(onBehalfLine({ ...o, hudAgencyId: null, borrowers: ["A", "B", "C"] })).toBe(
      "Maria Lopez, Housing Counselor, Springfield Housing Counseling, on behalf of A, B and C",
    );
    expect(joinNames(["A"])).toBe("A");
  });
  it("says under which authorization it writes, and that the form is enclosed only when it is", () => {
    const input = {
      kind: kindDef("information-request"),
      fields: { information: "a full payment history" },
      formal: false,
      toDesignated: false,
      template: "",
      servicerName: "Mr. Cooper",
      borrowers: ["Tran Thi Mai", "Nguyen Van Hung"],
      account: "1234567",
      property: "12 Elm St, Springfield, IL 62701",
      summary: "The household asks for its payment history.",
      userName: "Maria Lopez",
      tag: "LM-TEST-1",
      exhibits: [],
    };
    const carried = buildLetterBody({ ...input, onBehalf: o });
    expect(carried).toContain("under their written authorization signed on October 15, 2026, enclosed as Exhibit A.");
    expect(carried).toContain(`Sincerely,\n\n${onBehalfLine(o)}\n`);
    const later = buildLetterBody({ ...input, onBehalf: { ...o, formExhibit: null } });
    expect(later).toContain("signed on October 15, 2026.\n");
    expect(buildLetterBody(input)).toContain("Sincerely,\n\nMaria Lopez\n");
  });
});

describe("the foreclosure referral", () => {
  it("finds the property's state before its ZIP code, or at the end, and only a real one", () => {
    expect(stateOfAddress("12 Elm St, Springfield, IL 62701")).toBe("IL");
    expect(stateOfAddress("12 Elm St\nSpringfield, il. 62701-1234")).toBe("IL");
    expect(stateOfAddress("4 Bay Rd, San Juan PR")).toBe("PR");
    expect(stateOfAddress("12 Elm St, Springfield, ZZ 62701")).toBeUndefined();
    expect(stateOfAddress("12 Elm St")).toBeUndefined();
  });
  it("lists the foreclosure protections (not a transfer's), the finders, and is said once per sale date", () => {
    const protection = (kind: Protection["kind"]): Protection => ({
      id: kind,
      kind,
      name: kind,
      rule: "12 C.F.R. 1024.41(g)",
      status: "in-force",
      startedBy: null,
      from: "2026-11-02",
      until: null,
      ends: "a decision",
      note: null,
    });
    const r = saleReferral("2027-01-15", "1 A St, Austin, TX 78701", [
      protection("sale-pending"),
      protection("transfer-payment"),
    ]);
    expect(r.state).toEqual({ code: "TX", name: "Texas" });
    expect(r.protections.map((p) => p.kind)).toEqual(["sale-pending"]);
    expect(r.advice).toContain("Talk to an attorney");
    expect(r.finders.map((f) => f.url)).toEqual([
      "https://www.lawhelp.org/find-help",
      "https://www.lsc.gov/about-lsc/what-legal-aid/get-legal-help",
    ]);
    expect(saleDateSeenBefore([undefined, "2027-01-15"], "2027-01-15")).toBe(true);
    expect(saleDateSeenBefore([undefined, "2027-01-15"], "2027-02-01")).toBe(false);
  });
});
