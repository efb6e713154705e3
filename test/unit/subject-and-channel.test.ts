import { describe, expect, it } from "vitest";
import { decideChannel, type ServicerChannels } from "../../src/domain/channel.js";
import { kindDef } from "../../src/domain/kinds.js";
import {
  buildPrefix,
  buildSubject,
  caseTag,
  findCaseTags,
  PREFIX_ALPHABET,
  parseCaseTag,
} from "../../src/domain/subject.js";
import { UserError } from "../../src/errors.js";

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return err as UserError;
  }
  throw new Error("expected a UserError, nothing was thrown");
}

describe("subject line", () => {
  it("is exactly `Account Number <account> – <label> [<tag>]` with an en dash", () => {
    const subject = buildSubject("1234567", "Payment Clarification", "LM-K7QX-3");
    expect(subject).toBe("Account Number 1234567 \u2013 Payment Clarification [LM-K7QX-3]");
    expect(subject).toContain("\u2013");
    expect(subject).not.toContain(" - ");
  });

  it("caseTag builds LM-<prefix>-<id>", () => {
    expect(caseTag("K7QX", 3)).toBe("LM-K7QX-3");
  });
});

describe("buildPrefix", () => {
  it("has a 32-letter alphabet without 0/O or 1/I", () => {
    expect(PREFIX_ALPHABET).toHaveLength(32);
    expect(new Set(PREFIX_ALPHABET).size).toBe(32);
    expect(PREFIX_ALPHABET).not.toMatch(/[01OI]/);
  });

  it("makes 4 characters from the alphabet for every byte value", () => {
    for (let b = 0; b < 256; b++) {
      const prefix = buildPrefix(new Uint8Array([b, 255 - b, (b * 7) & 255, (b + 128) & 255]));
      expect(prefix).toHaveLength(4);
      for (const ch of prefix) expect(PREFIX_ALPHABET).toContain(ch);
    }
  });

  it("is deterministic in its bytes and uses only the first four", () => {
    expect(buildPrefix(new Uint8Array([0, 1, 2, 3]))).toBe("ABCD");
    expect(buildPrefix(new Uint8Array([0, 1, 2, 3, 99, 100]))).toBe("ABCD");
    // 256 is a multiple of 32, so byte % 32 is unbiased: 32 and 0 give the same letter.
    expect(buildPrefix(new Uint8Array([32, 64, 96, 31]))).toBe("AAA9");
  });

  it("refuses fewer than 4 bytes", () => {
    expect(() => buildPrefix(new Uint8Array([1, 2, 3]))).toThrow();
  });

  it("gives a prefix that round-trips through a tag", () => {
    const prefix = buildPrefix(new Uint8Array([200, 17, 45, 9]));
    expect(parseCaseTag(caseTag(prefix, 12))).toEqual({ prefix, caseId: 12 });
  });
});

describe("parseCaseTag", () => {
  it("parses a tag, upper-casing the prefix", () => {
    expect(parseCaseTag("LM-K7QX-3")).toEqual({ prefix: "K7QX", caseId: 3 });
    expect(parseCaseTag("lm-k7qx-3")).toEqual({ prefix: "K7QX", caseId: 3 });
    expect(parseCaseTag("  LM-K7QX-42 ")).toEqual({ prefix: "K7QX", caseId: 42 });
  });

  it.each(["LM-ABC-1", "LM-ABCDE-1", "LM-ABCD-", "LM-ABCD-1x", "XLM-ABCD-1", "[LM-ABCD-1]", "3", ""])(
    "refuses %j",
    (text) => {
      expect(parseCaseTag(text)).toBeNull();
    },
  );
});

describe("findCaseTags", () => {
  it("finds bracketed tags in a reply subject, any case", () => {
    expect(findCaseTags("RE: Account Number 1234567 \u2013 Payment Clarification [LM-K7QX-3]")).toEqual([
      { prefix: "K7QX", caseId: 3 },
    ]);
    expect(findCaseTags("re: [lm-k7qx-3] and (LM-AB12-10)")).toEqual([
      { prefix: "K7QX", caseId: 3 },
      { prefix: "AB12", caseId: 10 },
    ]);
  });

  it.each([
    ["a 3-character prefix", "see LM-ABC-1"],
    ["a 5-character prefix", "see LM-ABCDE-1"],
    ["glued to a word before", "XLM-ABCD-1"],
    ["glued after an underscore", "ref_LM-ABCD-1"],
    ["glued to a word after", "LM-ABCD-1x"],
    ["no tag at all", "Account Number 1234567"],
  ])("finds nothing: %s", (_why, text) => {
    expect(findCaseTags(text)).toEqual([]);
  });
});

describe("decideChannel", () => {
  const base: ServicerChannels = {
    name: "Acme Servicing",
    email: "service@acme.example",
    noticeEmail: null,
    noticeAddress: null,
    payoffEmail: null,
    payoffAddress: null,
  };
  const withNoticeEmail = { ...base, noticeEmail: "Notices@Acme.example" };
  const withNoticeAddress = { ...base, noticeAddress: "Acme Servicing\nAttn: Notices of Error\nPO Box 1\nDallas, TX" };

  it("sends an ordinary RFI-kind letter by email to the correspondence address", () => {
    const d = decideChannel(kindDef("balance-verification"), withNoticeEmail, undefined);
    expect(d).toEqual({
      channel: "email",
      formal: false,
      to: "service@acme.example",
      postalAddress: null,
      warnings: [],
    });
  });

  it("sends --formal to a notice address that takes email as notice-email", () => {
    const d = decideChannel(kindDef("payment-application"), withNoticeEmail, true);
    expect(d).toMatchObject({ channel: "notice-email", formal: true, to: "Notices@Acme.example", postalAddress: null });
    expect(d.warnings).toEqual([]);
  });

  it("sends a formal letter by post when the notice address is only postal", () => {
    const d = decideChannel(kindDef("notice-of-error"), withNoticeAddress, undefined);
    expect(d).toMatchObject({
      channel: "post",
      formal: true,
      to: null,
      postalAddress: withNoticeAddress.noticeAddress,
    });
  });

  it("prefers the notice email over the postal notice address when both are known", () => {
    const both = { ...withNoticeAddress, noticeEmail: "notices@acme.example" };
    expect(decideChannel(kindDef("information-request"), both, undefined).channel).toBe("notice-email");
  });

  it("refuses a formal letter when no designated address is recorded, naming --notice-address", () => {
    const e = userError(() => decideChannel(kindDef("notice-of-error"), base, undefined));
    expect(e.message).toContain("Acme Servicing");
    expect(e.hint).toContain("--notice-address");
    expect(e.hint).toContain("--no-formal");
  });

  it("refuses --formal on a kind with no formal form", () => {
    const e = userError(() => decideChannel(kindDef("follow-up"), withNoticeEmail, true));
    expect(e.message).toContain("follow-up");
    expect(e.hint).toContain("--formal");
  });

  it("ignores --no-formal on a non-formal kind", () => {
    expect(decideChannel(kindDef("follow-up"), withNoticeEmail, false)).toMatchObject({
      channel: "email",
      formal: false,
      to: base.email,
    });
  });

  it("sends a formal-by-default kind informally with --no-formal (formalFlag=false)", () => {
    // Even with no notice address at all: an informal letter needs none.
    const d = decideChannel(kindDef("notice-of-error"), base, false);
    expect(d).toMatchObject({ channel: "email", formal: false, to: base.email, postalAddress: null });
  });

  describe("payoff-statement", () => {
    const payoff = kindDef("payoff-statement");

    it("goes to the payoff email first", () => {
      const s = { ...withNoticeEmail, payoffEmail: "payoff@acme.example", payoffAddress: "PO Box 9" };
      expect(decideChannel(payoff, s, undefined)).toMatchObject({
        channel: "email",
        formal: false,
        to: "payoff@acme.example",
        postalAddress: null,
      });
    });

    it("goes by post to the payoff address when there is no payoff email", () => {
      const s = { ...withNoticeEmail, payoffAddress: "Payoff Dept\nPO Box 9" };
      expect(decideChannel(payoff, s, undefined)).toMatchObject({
        channel: "post",
        to: null,
        postalAddress: "Payoff Dept\nPO Box 9",
      });
    });

    it("falls back to the correspondence email with a warning, never to the notice address", () => {
      const d = decideChannel(payoff, withNoticeEmail, undefined);
      expect(d).toMatchObject({ channel: "email", to: base.email, postalAddress: null });
      expect(d.warnings).toHaveLength(1);
      expect(d.warnings[0]).toMatch(/no payoff channel/);
      expect(d.warnings[0]).toContain("--payoff-email");
    });
  });

  describe("explicit --to", () => {
    it("is notice-email when it is the designated notice email (any case)", () => {
      const d = decideChannel(kindDef("notice-of-error"), withNoticeEmail, undefined, "notices@acme.example");
      expect(d).toMatchObject({ channel: "notice-email", formal: true, to: "notices@acme.example" });
      expect(d.warnings).toEqual([]);
    });

    it("on a formal letter to another address is plain email with a warning that Reg X clocks will not start", () => {
      const d = decideChannel(kindDef("notice-of-error"), withNoticeEmail, undefined, "ceo@acme.example");
      expect(d).toMatchObject({ channel: "email", formal: true, to: "ceo@acme.example", postalAddress: null });
      expect(d.warnings).toHaveLength(1);
      expect(d.warnings[0]).toContain("ceo@acme.example");
      expect(d.warnings[0]).toMatch(/Reg X .*clocks will not start/);
    });

    it("on an informal letter is plain email without a warning", () => {
      const d = decideChannel(kindDef("balance-verification"), withNoticeEmail, undefined, "someone@acme.example");
      expect(d).toMatchObject({ channel: "email", formal: false, to: "someone@acme.example" });
      expect(d.warnings).toEqual([]);
    });
  });
});
