import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DERIVED_PLACEHOLDERS } from "../../src/domain/kind-wording.js";
import {
  COMMON_PLACEHOLDERS,
  canBeFormal,
  isKindId,
  KIND_IDS,
  KINDS,
  type KindDef,
  type KindId,
  kindDef,
} from "../../src/domain/kinds.js";
import { templatePlaceholders } from "../../src/domain/template.js";

const TEMPLATES = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "templates");
/** What a letter citing an earlier one must name: its day and its tag (the Message-ID is never in the prose). */
const REF_PLACEHOLDERS = ["ref-date", "ref-tag"];

function template(id: KindId): string {
  return readFileSync(join(TEMPLATES, `${id}.en.md`), "utf8");
}

const ALL: KindDef[] = KIND_IDS.map(kindDef);
const hasCaseField = (k: KindDef) => k.fields.some((f) => f.type === "case");

/** DESIGN §3 table: id -> [subject label, required fields, optional fields]. */
const DESIGN_TABLE: Record<KindId, [string, string[], string[]]> = {
  "balance-verification": ["Balance Verification", [], ["as-of"]],
  "payment-history": ["Payment History Request", ["from", "to"], []],
  "escrow-inquiry": ["Escrow Account Inquiry", [], ["year"]],
  "rate-adjustment": ["Interest Rate Adjustment Inquiry", [], ["change-date"]],
  "payment-application": ["Payment Clarification", ["payment-date", "amount"], []],
  "late-fee-dispute": ["Late Fee Dispute", ["payment-date", "amount", "fee"], ["fee-date", "grace-ends"]],
  "payment-delay": ["Payment Processing Delay", ["payment-date", "amount"], ["method"]],
  "partial-payment": ["Partial Payment Policy", [], ["amount"]],
  "loss-mitigation": ["Loan Modification Application", [], ["application-date", "sale-date"]],
  "payoff-statement": ["Payoff Statement Request", ["good-through"], ["circumstance"]],
  "tax-form-1098": ["Form 1098 Request", ["tax-year"], []],
  assumption: ["Assumption Information Request", [], []],
  "successor-in-interest": ["Successor in Interest Request", ["how"], ["transferor", "transfer-date", "relationship"]],
  "notice-of-error": ["Notice of Error", ["error"], ["error-date", "amount", "type", "sale-date", "payment-date"]],
  "information-request": ["Request for Information", ["information"], ["from", "to"]],
  "owner-request": ["Request for Owner of Loan", [], []],
  "relied-documents": ["Request for Documents Relied On", ["case"], []],
  "insurance-proof": ["Proof of Hazard Insurance", [], ["policy", "insurer"]],
  "follow-up": ["Follow-Up", ["case"], []],
  "escalation-request": ["Escalation Request", ["case"], ["delinquent-since"]],
  "third-party-authorization": ["Third-Party Authorization", ["counselor", "contact"], ["agency", "expires"]],
};

describe("kind table", () => {
  it("has exactly 21 kinds with unique ids and labels", () => {
    expect(KIND_IDS).toHaveLength(21);
    expect(new Set(KIND_IDS).size).toBe(21);
    expect(KINDS.size).toBe(21);
    expect(new Set(ALL.map((k) => k.label)).size).toBe(21);
    for (const id of KIND_IDS) {
      expect(kindDef(id).id).toBe(id);
      expect(isKindId(id)).toBe(true);
    }
    expect(isKindId("not-a-kind")).toBe(false);
  });

  it.each(KIND_IDS)("%s matches the DESIGN §3 table (label, required and optional fields)", (id) => {
    const [label, required, optional] = DESIGN_TABLE[id];
    const k = kindDef(id);
    expect(k.label).toBe(label);
    expect(k.fields.filter((f) => f.required).map((f) => f.name)).toEqual(required);
    expect(k.fields.filter((f) => !f.required).map((f) => f.name)).toEqual(optional);
  });

  it("field names are unique within each kind and enum fields list their values", () => {
    for (const k of ALL) {
      expect(new Set(k.fields.map((f) => f.name)).size, k.id).toBe(k.fields.length);
      for (const f of k.fields.filter((f) => f.type === "enum")) {
        expect(f.values?.length ?? 0, `${k.id}.${f.name}`).toBeGreaterThan(0);
      }
    }
  });

  it("only NOE/RFI kinds can be formal", () => {
    const formalCapable = ALL.filter(canBeFormal).map((k) => k.id);
    expect(formalCapable.sort()).toEqual(
      [
        "balance-verification",
        "payment-history",
        "escrow-inquiry",
        "rate-adjustment",
        "payment-application",
        "late-fee-dispute",
        "payment-delay",
        "partial-payment",
        "tax-form-1098",
        "assumption",
        "notice-of-error",
        "information-request",
        "owner-request",
        "relied-documents",
        "successor-in-interest",
      ].sort(),
    );
    for (const id of [
      "loss-mitigation",
      "payoff-statement",
      "insurance-proof",
      "follow-up",
      "escalation-request",
      "third-party-authorization",
    ] as const) {
      expect(canBeFormal(kindDef(id)), id).toBe(false);
    }
  });

  it("the NOE/RFI kinds and the kinds that assert an error are formal by default, no others", () => {
    const byDefault = ALL.filter((k) => k.formalByDefault).map((k) => k.id);
    expect(byDefault.sort()).toEqual(
      [
        "information-request",
        "notice-of-error",
        "owner-request",
        "relied-documents",
        "successor-in-interest",
        // They assert an error (1024.35(b)(2), (b)(5), (b)(3)): formal first, so 1024.35(i) protects the borrower.
        "payment-application",
        "late-fee-dispute",
        "payment-delay",
      ].sort(),
    );
    // A kind that is formal by default but cannot be formal would be a contradiction in the table.
    for (const k of ALL.filter((k) => k.formalByDefault)) expect(canBeFormal(k), k.id).toBe(true);
  });

  it("every formal-capable kind carries a Reg X citation", () => {
    for (const k of ALL.filter(canBeFormal)) expect(k.citation, k.id).toMatch(/^12 C\.F\.R\. 1024\.3[56]/);
  });
});

describe("templates", () => {
  it.each(KIND_IDS)("%s has templates/<kind>.en.md", (id) => {
    expect(existsSync(join(TEMPLATES, `${id}.en.md`))).toBe(true);
    expect(template(id).trim().length).toBeGreaterThan(0);
  });

  it.each(KIND_IDS)("%s uses only its own fields, its derived wording and the common placeholders", (id) => {
    const allowed = new Set<string>([
      ...kindDef(id).fields.map((f) => f.name),
      ...COMMON_PLACEHOLDERS,
      ...(DERIVED_PLACEHOLDERS[id] ?? []),
    ]);
    const unknown = templatePlaceholders(template(id)).filter((p) => !allowed.has(p));
    expect(unknown).toEqual([]);
  });

  it.each(KIND_IDS)("%s states every required field in the letter", (id) => {
    const used = new Set(templatePlaceholders(template(id)));
    // A `case` field is stated through the referenced letter (ref-*), not as a bare number.
    const missing = kindDef(id)
      .fields.filter((f) => f.required && f.type !== "case")
      .map((f) => f.name)
      .filter((n) => !used.has(n));
    expect(missing).toEqual([]);
  });

  it.each(KIND_IDS)("%s does not silently drop an optional value the user gave", (id) => {
    // Enum fields (notice-of-error type) steer clocks rather than wording; every other field must reach the text.
    const used = new Set(templatePlaceholders(template(id)));
    const missing = kindDef(id)
      .fields.filter((f) => f.type !== "case" && f.type !== "enum")
      .map((f) => f.name)
      .filter((n) => !used.has(n));
    expect(missing).toEqual([]);
  });

  it.each(KIND_IDS)("%s uses the ref-* placeholders if and only if it has a case field", (id) => {
    const used = templatePlaceholders(template(id));
    if (hasCaseField(kindDef(id))) {
      for (const ref of REF_PLACEHOLDERS) expect(used, ref).toContain(ref);
    } else {
      // Without a referenced case these values are never set, so the line would silently vanish.
      expect(used.filter((p) => p.startsWith("ref-"))).toEqual([]);
    }
  });

  it.each(KIND_IDS)("%s never prints a Message-ID or an ISO date in its prose", (id) => {
    // The subject tag threads replies and the record keeps the id; dates are filled in as "June 1, 2026".
    expect(template(id)).not.toMatch(/message-id/i);
    expect(template(id)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
  });

  it.each(KIND_IDS)("%s uses every derived placeholder its wording fills", (id) => {
    const used = new Set(templatePlaceholders(template(id)));
    expect((DERIVED_PLACEHOLDERS[id] ?? []).filter((p) => !used.has(p))).toEqual([]);
  });

  it("relied-documents names the day the servicer's response arrived", () => {
    expect(templatePlaceholders(template("relied-documents"))).toContain("ref-response-date");
  });

  it("templatePlaceholders lists names in order of first use, once each, tolerating inner spaces", () => {
    expect(templatePlaceholders("a {{x}} b {{ y }} c {{x}} {{Bad}} {{z-1}}")).toEqual(["x", "y", "z-1"]);
    expect(templatePlaceholders("no placeholders")).toEqual([]);
  });
});
