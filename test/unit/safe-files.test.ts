/**
 * The one module for the files a user names (src/config/safe-files.ts), in process: the cap is checked before a
 * byte is read, a FIFO or device is refused without blocking, a write lands whole or not at all (a full disk, a
 * file that appears meanwhile, a bug in the writer), and only dead runs' partial files are removed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  checkOutput,
  megabytes,
  type OutputTarget,
  partialPathOf,
  readRegularFile,
  removeStalePartials,
  writeOutput,
  writeOutputFile,
} from "../../src/config/safe-files.js";
import { UserError } from "../../src/errors.js";

const dir = () => mkdtempSync(join(tmpdir(), "loanmail-safe-files-"));
const target = (path: string, force = false): OutputTarget => ({ path, who: `--out ${path}`, force });

function refusedWith(fn: () => unknown): UserError {
  try {
    fn();
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("not refused");
}

async function refusedAsync(p: Promise<unknown>): Promise<UserError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof UserError) return err;
    throw err;
  }
  throw new Error("not refused");
}

describe("readRegularFile", () => {
  const cap = megabytes(0.001, "for a test", "smaller"); // 1048 bytes

  it("reads a file at the cap and refuses one a byte over it, naming the file", () => {
    const d = dir();
    const at = join(d, "at");
    const over = join(d, "over");
    writeFileSync(at, Buffer.alloc(1048, 1));
    writeFileSync(over, Buffer.alloc(1049, 1));
    expect(readRegularFile(`--file ${at}`, at, cap).length).toBe(1048);
    const e = refusedWith(() => readRegularFile(`--file ${over}`, over, cap));
    expect(e).toMatchObject({ code: "FILE_TOO_LARGE", hint: "smaller" });
    expect(e.message).toBe(`--file ${over}: 1 KB is over the 0.001 MB limit for a test`);
  });

  it("refuses a FIFO and a device node without blocking or reading, and a folder", () => {
    const d = dir();
    spawnSync("mkfifo", [join(d, "fifo")]);
    spawnSync("mknod", [join(d, "zero"), "c", "1", "5"]);
    for (const [name, kind] of [
      ["fifo", "a FIFO (named pipe)"],
      ["zero", "a character device"],
      [".", "a folder"],
    ] as const) {
      const path = join(d, name);
      const e = refusedWith(() => readRegularFile(path, path, cap));
      expect(e).toMatchObject({ code: "NOT_A_FILE", message: `${path}: not a file: it is ${kind}` });
    }
    expect(refusedWith(() => readRegularFile("x", join(d, "missing"), cap)).code).toBe("FILE_NOT_FOUND");
  });
});

describe("writing an output", () => {
  it("lands whole under its name, 0600, leaving no partial file", () => {
    const d = dir();
    const out = join(d, "out.txt");
    expect(writeOutputFile(target(out), "hello\n")).toBe(6);
    expect(readFileSync(out, "utf8")).toBe("hello\n");
    expect(readdirSync(d)).toEqual(["out.txt"]);
  });

  it("names the part of the path that is missing, or the file standing where a folder must be", () => {
    const d = dir();
    writeFileSync(join(d, "plain"), "x");
    const refusal = (path: string) => {
      try {
        checkOutput(target(path));
      } catch (err) {
        return (err as UserError).message;
      }
      return "written";
    };
    expect(refusal(join(d, "plain", "x.db"))).toBe(
      `--out ${join(d, "plain", "x.db")}: ${join(d, "plain")} is a file, not a folder`,
    );
    expect(refusal(join(d, "a", "b", "x.db"))).toBe(
      `--out ${join(d, "a", "b", "x.db")}: the folder ${join(d, "a")} does not exist`,
    );
  });

  it("a full disk (ENOSPC, or SQLite's SQLITE_FULL) is the user's error naming the path; nothing is left", async () => {
    const d = dir();
    const out = join(d, "out.zip");
    for (const code of ["ENOSPC", "EDQUOT", "SQLITE_FULL"]) {
      const e = await refusedAsync(
        writeOutput(target(out), async ({ fd }) => {
          writeSync(fd, "the first part");
          throw Object.assign(new Error("write failed"), { code });
        }),
      );
      expect(e.code).toBe("OUTPUT_DISK_FULL");
      expect(e.message).toMatch(new RegExp(`^cannot write --out ${out}: the disk is full \\((ENOSPC|EDQUOT)\\)$`));
      expect(readdirSync(d)).toEqual([]);
    }
  });

  it("a bug in the writer stays a bug (not a user error), and still leaves nothing", async () => {
    const d = dir();
    const out = join(d, "out.zip");
    const bug = new TypeError("undefined is not a function");
    await expect(
      writeOutput(target(out), async () => {
        throw bug;
      }),
    ).rejects.toBe(bug);
    expect(readdirSync(d)).toEqual([]);
  });

  it("a file that appears at the path while writing is not replaced without force", async () => {
    const d = dir();
    const out = join(d, "out.txt");
    const e = await refusedAsync(
      writeOutput(target(out), async ({ fd }) => {
        writeSync(fd, "ours");
        writeFileSync(out, "someone else's");
      }),
    );
    expect(e.code).toBe("OUTPUT_EXISTS");
    expect(readFileSync(out, "utf8")).toBe("someone else's");
    expect(readdirSync(d)).toEqual(["out.txt"]);
    writeOutputFile(target(out, true), "replaced");
    expect(readFileSync(out, "utf8")).toBe("replaced");
  });

  it("removes only the partial files of dead processes for that very path", () => {
    const d = dir();
    const out = join(d, "case.zip");
    const dead = spawnSync(process.execPath, ["-e", ""]).pid as number;
    const stale = partialPathOf(out, dead);
    const live = partialPathOf(out, process.pid);
    const other = partialPathOf(join(d, "other.zip"), dead);
    const notOurs = join(d, ".case.zip.abc.partial");
    for (const p of [stale, live, other, notOurs]) writeFileSync(p, "x");
    expect(removeStalePartials(out)).toEqual([stale]);
    expect([stale, live, other, notOurs].map(existsSync)).toEqual([false, true, true, true]);
  });
});
