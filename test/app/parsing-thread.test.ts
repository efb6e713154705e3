/**
 * The sync's parsing thread (src/app/parsing-thread.ts), as it ships: the compiled module of `npm run build`
 * (the test command builds first), which finds its compiled worker beside it. What a message parses to on the
 * thread must be what parseMail gives on the main thread, hostile messages included, and a thread that stops
 * leaves no message unparsed.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMail } from "../../src/mail/parse.js";

type ThreadModule = typeof import("../../src/app/parsing-thread.js");
const root = join(import.meta.dirname, "..", "..");
const hostile = join(root, "test/fixtures/hostile");
const messages = readdirSync(hostile)
  .filter((f) => f.endsWith(".eml"))
  .map((f) => ({ name: f, raw: readFileSync(join(hostile, f)) }));

/** A message with a PDF attachment, as the servicers' letters in the bench carry. */
const withPdf = Buffer.from(
  [
    "From: Servicer <help@servicer.test>",
    "To: b@example.test",
    "Subject: Your statement LM-ABC-1",
    "Message-ID: <stmt-1@servicer.test>",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "Please find your statement enclosed.",
    "--b1",
    'Content-Type: application/pdf; name="statement.pdf"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="statement.pdf"',
    "",
    Buffer.from(`%PDF-1.4\n${"x".repeat(5000)}\n%%EOF\n`)
      .toString("base64")
      .replace(/.{76}/g, "$&\r\n"),
    "--b1--",
    "",
  ].join("\r\n"),
);

let mod: ThreadModule;
beforeAll(async () => {
  // The compiled module, not the sources: only it has the worker file beside it.
  mod = (await import(join(root, "dist/app/parsing-thread.js"))) as ThreadModule;
});

describe("the parsing thread", () => {
  const threads: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const t of threads) await t.close();
  });

  it("runs on a thread of its own and parses every message as the main thread does", async () => {
    const thread = mod.startParsingThread();
    threads.push(thread);
    expect(thread.onThread).toBe(true);
    const all = [...messages, { name: "with-pdf", raw: withPdf }];
    const onThread = await Promise.all(all.map((m) => thread.parse(m.raw)));
    expect(thread.onThread, "the thread is still up after parsing").toBe(true);
    for (const [i, m] of all.entries()) {
      const here = await parseMail(m.raw);
      expect(onThread[i], m.name).toEqual(here);
      for (const a of onThread[i]?.attachments ?? []) expect(Buffer.isBuffer(a.data), m.name).toBe(true);
    }
    const pdf = onThread.at(-1)?.attachments[0];
    expect(pdf?.fileName).toBe("statement.pdf");
    expect(pdf?.data.subarray(0, 8).toString()).toBe("%PDF-1.4");
  });

  it("leaves nothing unparsed when the thread stops midway: the rest is parsed on the main thread", async () => {
    const thread = mod.startParsingThread();
    const parsing = messages.map((m) => thread.parse(m.raw));
    await thread.close();
    expect(thread.onThread).toBe(false);
    const after = await thread.parse(withPdf);
    const parsed = await Promise.all(parsing);
    for (const [i, m] of messages.entries()) expect(parsed[i], m.name).toEqual(await parseMail(m.raw));
    expect(after).toEqual(await parseMail(withPdf));
  });

  it("does not hold the process once idle, and runs in a process started as `node --input-type=module -e`", () => {
    for (const parseOne of [false, true]) {
      const script = `const m = await import(${JSON.stringify(join(root, "dist/app/parsing-thread.js"))});
        const t = m.startParsingThread();
        if (${parseOne}) await t.parse(Buffer.from("Subject: hi\\r\\n\\r\\nbody"));
        console.log("done", t.onThread);`;
      const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], {
        encoding: "utf8",
        timeout: 20_000,
      });
      expect(r.signal, `parsed one: ${parseOne}`).toBeNull();
      expect(r.stdout.trim()).toBe("done true");
    }
  });

  it("parses on the main thread when run from the sources (no compiled worker beside them)", async () => {
    const { startParsingThread } = await import("../../src/app/parsing-thread.js");
    const thread = startParsingThread();
    expect(thread.onThread).toBe(false);
    expect(await thread.parse(withPdf)).toEqual(await parseMail(withPdf));
  });
});
