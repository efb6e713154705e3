/** The small English every count and article in loanmail's output goes through (issue 14: "1 chains", "a other"). */
import { describe, expect, it } from "vitest";
import { article, count, withArticle } from "../../src/domain/words.js";

describe("count", () => {
  it("is singular for exactly one", () => {
    expect(count(1, "chain")).toBe("1 chain");
    expect(count(0, "chain")).toBe("0 chains");
    expect(count(2, "business day")).toBe("2 business days");
    expect(count(3, "reply", "replies")).toBe("3 replies");
  });
});

describe("article", () => {
  it.each([
    ["other", "an"],
    ["information-request", "an"],
    ["acknowledgment", "an"],
    ["escrow-inquiry", "an"],
    ["response", "a"],
    ["formal notice-of-error", "a"],
    ["hour", "an"],
    ["unverified", "an"],
    ["uniform", "a"],
    ["one-time", "a"],
  ])("%s takes %s", (word, a) => {
    expect(article(word)).toBe(a);
  });
  it("withArticle joins them", () => {
    expect(withArticle("other")).toBe("an other");
  });
});
