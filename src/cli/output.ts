/**
 * The one printer: with --json a command's result is one JSON document (`"schema": 1`) on stdout and nothing
 * else goes there, and a failure is one JSON document on stderr; without it, text for people. Warnings and
 * progress always go to stderr.
 */
import { Chalk, type ChalkInstance } from "chalk";
import type { ErrorCode } from "../errors.js";

export interface Streams {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

export class Printer {
  readonly json: boolean;
  readonly c: ChalkInstance;
  private readonly streams: Streams;
  /** Whose record the command acts on, when a lookup said so (added to the --json document as `client`). */
  private owner: string | undefined;

  constructor(json: boolean, color: boolean, streams: Streams) {
    this.json = json;
    this.streams = streams;
    this.c = new Chalk({ level: color ? 1 : 0 });
  }

  /**
   * Emit a command's result: the JSON document, or the human text from `human()` made safe for a terminal.
   * `styled`: the command made every part it took from users or mail safe itself (sanitizeForTerminal) and
   * coloured the text with this printer's `c`; it is written as it is.
   */
  result(doc: Record<string, unknown>, human: () => string, opts: { styled?: boolean } = {}): void {
    if (this.json) {
      const owned = this.owner === undefined || "client" in doc ? doc : { client: this.owner, ...doc };
      this.streams.stdout.write(`${JSON.stringify({ schema: 1, ...owned }, null, 2)}\n`);
    } else {
      const text = opts.styled ? human() : sanitizeForTerminal(human());
      if (text) this.streams.stdout.write(text.endsWith("\n") ? text : `${text}\n`);
    }
  }

  /** Whose record this is: kept for --json; `say` writes `client: NAME` on stderr (once) for people. */
  setOwner(name: string, say: boolean): void {
    if (this.owner !== undefined) return;
    this.owner = name;
    if (say && !this.json) this.streams.stderr.write(`client: ${sanitizeForTerminal(name)}\n`);
  }

  /** A warning for people; never on stdout, so it cannot corrupt --json output. */
  warn(message: string): void {
    this.streams.stderr.write(`${this.c.yellow("warning:")} ${sanitizeForTerminal(message)}\n`);
  }

  /** A side remark (what to do next) for people, on stderr. */
  note(message: string): void {
    if (!this.json) this.streams.stderr.write(`${this.c.dim(sanitizeForTerminal(message))}\n`);
  }

  /**
   * An error message with its hint. With --json it is one line of JSON on stderr,
   * `{"schema":1,"error":{"code","message","hint"}}` (hint null when there is none; `stack` only under --debug),
   * so that a script reads the code instead of parsing English; stdout stays empty either way.
   */
  error(message: string, hint?: string, code: ErrorCode = "USER_ERROR", stack?: string): void {
    if (this.json) {
      const error = { code, message, hint: hint ?? null, ...(stack === undefined ? {} : { stack }) };
      this.streams.stderr.write(`${JSON.stringify({ schema: 1, error })}\n`);
      return;
    }
    // A message or hint may quote what the user or a file supplied (a file name, a header): made safe like output.
    this.streams.stderr.write(`${this.c.red("loanmail: error:")} ${sanitizeForTerminal(message)}\n`);
    if (hint) this.streams.stderr.write(`  ${this.c.dim("hint:")} ${sanitizeForTerminal(hint)}\n`);
  }
}

/** Left-aligned text columns, for listings. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/**
 * Text from mail (subjects, names, bodies) may carry escape sequences that retitle or clear a terminal, or bidi
 * overrides that disguise a file name. Shown to a person, they are replaced by a visible mark; stored data and
 * --json output keep them as they were.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what is replaced
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function sanitizeForTerminal(text: string): string {
  return text.replace(UNSAFE_FOR_TERMINAL, "\u2426");
}
