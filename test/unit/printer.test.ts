/** The one printer makes every line a person reads safe for a terminal, errors and warnings included. */
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { Printer } from "../../src/cli/output.js";

function capture(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe("Printer", () => {
  const hostile = "report\u001b]0;owned\u0007 \u202etxt.exe";
  it("error, hint, warning and note show escape sequences and bidi overrides as a visible mark", () => {
    const out = capture();
    const err = capture();
    const p = new Printer(false, false, { stdout: out.stream, stderr: err.stream });
    p.error(`cannot read ${hostile}`, `rename ${hostile}`);
    p.warn(`skipped ${hostile}`);
    p.note(`see ${hostile}`);
    for (const raw of ["\u001b", "\u0007", "\u202e"]) expect(err.text()).not.toContain(raw);
    expect(err.text().match(/\u2426/g)).toHaveLength(12);
    expect(out.text()).toBe("");
  });
  it("--json keeps the text as it was, escaped by JSON", () => {
    const err = capture();
    const p = new Printer(true, false, { stdout: capture().stream, stderr: err.stream });
    p.error(`cannot read ${hostile}`);
    expect(err.text()).not.toContain("\u001b");
    expect((JSON.parse(err.text()) as { error: { message: string } }).error.message).toBe(`cannot read ${hostile}`);
  });
});
