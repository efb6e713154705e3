/**
 * The mbox reader (src/mail/message-sources.ts): messages split at `From ` lines, byte for byte (8-bit bytes, CRLF
 * or LF kept), one `>` taken from `>From ` lines (mboxrd), the empty line that ends each message dropped, however
 * the file is cut into chunks; a message over the limit is stopped while it is read, by its place.
 */
import { describe, expect, it } from "vitest";
import {
  describeMessage,
  looksLikeMbox,
  looksLikeMessage,
  MboxMessageTooLarge,
  MboxSplitter,
} from "../../src/mail/message-sources.js";

/** An mboxrd writer, as Gmail Takeout's: `>` added to every `>*From ` line, an empty line after each message. */
function mboxrd(messages: readonly Buffer[]): Buffer {
  const parts: Buffer[] = [];
  messages.forEach((m, i) => {
    parts.push(Buffer.from(`From 16${i}@xxx Mon Jan 01 00:00:00 +0000 2024\n`));
    parts.push(Buffer.from(m.toString("latin1").replace(/^(>*From )/gm, ">$1"), "latin1"));
    parts.push(Buffer.from("\n"));
  });
  return Buffer.concat(parts);
}

/** Split `mbox` fed in chunks of `size` bytes. */
function split(mbox: Buffer, size: number, maxBytes = 1 << 20): { index: number; raw: Buffer }[] {
  const s = new MboxSplitter(maxBytes);
  const out: { index: number; raw: Buffer }[] = [];
  for (let i = 0; i < mbox.length; i += size) out.push(...s.push(mbox.subarray(i, i + size)));
  out.push(...s.end());
  return out;
}

const latin1 = (text: string) => Buffer.from(text, "latin1");

const MESSAGES = [
  // 8-bit bytes that are not UTF-8, and body lines a naive reader splits or un-quotes wrongly.
  latin1(
    "From: a@servicer.test\nSubject: caf\xe9\nX-GM-THRID: 1790000000000000001\n\ncaf\xe9 \xff\nFrom the servicer: we got it\n>From already quoted\n>>From twice\nlast line\n",
  ),
  // Ends with empty lines of its own, which must stay.
  latin1("From: b@servicer.test\nSubject: two\n\nbody two\n\n\n"),
  // CRLF throughout (Thunderbird keeps its messages so), with a From line in the body.
  latin1("From: c@servicer.test\r\nSubject: three\r\n\r\nline\r\nFrom here on\r\n"),
  // A header-only message.
  latin1("From: d@servicer.test\nSubject: four\n"),
];

describe("the mbox reader", () => {
  it("gives back each message byte for byte, whatever the chunk size", () => {
    const mbox = mboxrd(MESSAGES);
    for (const size of [1, 2, 3, 5, 7, 64, 100, 4096, mbox.length]) {
      const got = split(mbox, size);
      expect(
        got.map((m) => m.index),
        `chunks of ${size}`,
      ).toEqual([1, 2, 3, 4]);
      got.forEach((m, i) => {
        expect(m.raw.equals(MESSAGES[i] as Buffer), `chunks of ${size}, message ${i + 1}`).toBe(true);
      });
    }
  });

  it("keeps the last line of a file that does not end with a line feed, and a last message without its empty line", () => {
    const mbox = latin1(
      "From x Mon Jan  1 00:00:00 2024\nSubject: a\n\nfirst\n\nFrom y Mon Jan  1 00:00:00 2024\nSubject: b\n\nno newline at the end",
    );
    const got = split(mbox, 7);
    expect(got.map((m) => m.raw.toString("latin1"))).toEqual([
      "Subject: a\n\nfirst\n",
      "Subject: b\n\nno newline at the end",
    ]);
  });

  it("counts a From line with nothing after it as a place but gives no empty message", () => {
    const mbox = latin1("From x Mon Jan  1 00:00:00 2024\n\nFrom y Mon Jan  1 00:00:00 2024\nSubject: b\n\nbody\n\n");
    expect(split(mbox, 3).map((m) => [m.index, m.raw.toString()])).toEqual([[2, "Subject: b\n\nbody\n"]]);
  });

  it("stops at a message over the limit while reading it, naming its place", () => {
    const big = latin1(`Subject: big\nMessage-ID: <big@servicer.test>\n\n${"x".repeat(5000)}\n`);
    const mbox = mboxrd([MESSAGES[1] as Buffer, big, MESSAGES[2] as Buffer]);
    const s = new MboxSplitter(4000);
    let err: unknown;
    const seen: number[] = [];
    try {
      for (let i = 0; i < mbox.length; i += 512) seen.push(...s.push(mbox.subarray(i, i + 512)).map((m) => m.index));
    } catch (e) {
      err = e;
    }
    expect(seen).toEqual([1]);
    expect(err).toBeInstanceOf(MboxMessageTooLarge);
    expect((err as MboxMessageTooLarge).index).toBe(2);
    expect(describeMessage((err as MboxMessageTooLarge).head)).toBe('Subject "big", Message-ID <big@servicer.test>');
  });

  it("stops a single line longer than the limit before it ends", () => {
    const s = new MboxSplitter(1000);
    s.push(latin1("From x Mon Jan  1 00:00:00 2024\nSubject: one line\n\n"));
    expect(() => {
      for (let i = 0; i < 10; i++) s.push(Buffer.alloc(200, 0x41));
    }).toThrow(MboxMessageTooLarge);
  });
});

describe("telling an mbox from a message", () => {
  it("an mbox starts with a From line and a header field; a message with a header field", () => {
    expect(looksLikeMbox(latin1("From 1790@xxx Mon Jan 01 00:00:00 +0000 2024\nX-GM-THRID: 1\n"))).toBe(true);
    expect(looksLikeMbox(latin1("From: a@b.test\nSubject: x\n\nbody\n"))).toBe(false);
    expect(looksLikeMbox(latin1("From the desk of the servicer\nDear borrower,\n"))).toBe(false);
    expect(looksLikeMessage(latin1("From: a@b.test\nSubject: x\n\nbody\n"))).toBe(true);
    expect(looksLikeMessage(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3]))).toBe(false);
    expect(looksLikeMessage(Buffer.alloc(0))).toBe(false);
  });

  it("names a message by its Subject and Message-ID, folded lines unfolded", () => {
    expect(describeMessage(latin1("Subject: a\r\n long one\r\nMessage-Id: <x@y>\r\n\r\nSubject: not this"))).toBe(
      'Subject "a long one", Message-ID <x@y>',
    );
    expect(describeMessage(latin1("From: a@b\n\nbody"))).toBe("no Subject or Message-ID");
  });
});
