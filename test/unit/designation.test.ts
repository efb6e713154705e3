import { describe, expect, it } from "vitest";
import { clocksDoNotRun, designationOf, type NoticeDesignations } from "../../src/domain/designation.js";

const SERVICER: NoticeDesignations = {
  name: "Mr. Cooper",
  noticeAddress: "Mr. Cooper\nAttn: Notices of Error\nPO Box 619098\nDallas, TX 75261",
  noticeEmail: null,
  noticePortal: null,
};

describe("designationOf: did a letter reach a channel the servicer designated (12 C.F.R. 1024.35(c), 1024.36(b))", () => {
  it("a formal letter mailed to the designated address is designated, however the address is written", () => {
    const d = designationOf(
      {
        formal: true,
        channel: "post",
        to: null,
        postalAddress: "MR. COOPER, Attn: Notices of Error, PO Box 619098, Dallas, TX 75261",
      },
      SERVICER,
    );
    expect(d).toEqual({
      designated: true,
      where: "the designated notice address (Mr. Cooper, Attn: Notices of Error, PO Box 619098, Dallas, TX 75261)",
    });
  });

  it("mailed to another address, or when no address was designated: not designated, and says where it went", () => {
    const elsewhere = designationOf(
      { formal: true, channel: "post", to: null, postalAddress: "Mr. Cooper\nPO Box 650783\nDallas, TX 75265" },
      SERVICER,
    );
    expect(elsewhere).toEqual({
      designated: false,
      why: "mailed to Mr. Cooper, PO Box 650783, Dallas, TX 75265, not Mr. Cooper's designated notice address",
    });
    const none = designationOf(
      { formal: true, channel: "post", to: null, postalAddress: "PO Box 1" },
      { ...SERVICER, noticeAddress: null },
    );
    expect(none.designated).toBe(false);
  });

  it("email counts only at the notice email the servicer designated (letter case aside)", () => {
    const servicer = { ...SERVICER, noticeEmail: "Notices@MrCooper.example" };
    expect(
      designationOf(
        { formal: true, channel: "notice-email", to: "notices@mrcooper.example", postalAddress: null },
        servicer,
      ).designated,
    ).toBe(true);
    const support = designationOf(
      { formal: true, channel: "email", to: "customerservice@mrcooper.example", postalAddress: null },
      servicer,
    );
    expect(support).toEqual({
      designated: false,
      why: "emailed to customerservice@mrcooper.example, not an address Mr. Cooper designated for notices",
    });
  });

  it("a portal counts only when the servicer designated it; fax and hand delivery never do", () => {
    const portal = { formal: true, channel: "portal" as const, to: null, postalAddress: SERVICER.noticeAddress };
    const without = designationOf(portal, SERVICER);
    expect(without.designated).toBe(false);
    if (!without.designated) expect(without.why).toMatch(/no portal of .* for notices was on record.*--notice-portal/);
    expect(designationOf(portal, { ...SERVICER, noticePortal: "https://mrcooper.example/notices" })).toEqual({
      designated: true,
      where: "the portal Mr. Cooper designated (https://mrcooper.example/notices)",
    });
    expect(designationOf({ ...portal, channel: "fax" }, SERVICER).designated).toBe(false);
    expect(designationOf({ ...portal, channel: "hand" }, SERVICER).designated).toBe(false);
  });

  it("an ordinary letter is never a notice, wherever it went", () => {
    const d = designationOf(
      { formal: false, channel: "post", to: null, postalAddress: SERVICER.noticeAddress },
      SERVICER,
    );
    expect(d.designated).toBe(false);
  });

  it("the statement cites the rule", () => {
    expect(clocksDoNotRun("faxed")).toBe("Reg X clocks do not run: faxed (12 C.F.R. 1024.35(c), 1024.36(b))");
  });
});
