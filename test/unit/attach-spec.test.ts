/** `--attach FILE[=LABEL]`: which part is the file and which the label (issue 14: "f.pdf=Statement=June"). */
import { describe, expect, it } from "vitest";
import { parseAttachSpec } from "../../src/app/attachments.js";

const files = new Set(["june.pdf", "a=b.pdf", "scans/x.png"]);
const exists = (p: string) => files.has(p);

describe("parseAttachSpec", () => {
  it.each([
    ["june.pdf", { path: "june.pdf" }],
    ["june.pdf=Statement", { path: "june.pdf", label: "Statement" }],
    ["june.pdf=Statement=June", { path: "june.pdf", label: "Statement=June" }],
    ["a=b.pdf", { path: "a=b.pdf" }],
    ["a=b.pdf=Bank letter", { path: "a=b.pdf", label: "Bank letter" }],
    ["missing.pdf=Label=x", { path: "missing.pdf", label: "Label=x" }],
    ["missing.pdf", { path: "missing.pdf" }],
  ])("%s", (spec, expected) => {
    expect(parseAttachSpec(spec, exists)).toEqual(expected);
  });
});
