/**
 * Writing a zip without holding it in memory: yazl asks for each entry's bytes only when it reaches the entry,
 * so one entry at a time is in memory. The zip is written to a temporary file next to `out` (mode 0600) and
 * renamed into place only when complete; a failure removes it.
 */
import { createWriteStream, renameSync, unlinkSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type PassThrough, Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";
import { isErrno, UserError } from "../errors.js";

export interface ZipItem {
  path: string;
  compress: boolean;
}

/** A file system error as the user's error about `out`; anything else unchanged. */
function writeError(err: unknown, out: string): Error {
  if (isErrno(err, "ENOENT", "EACCES", "EPERM", "EROFS", "EISDIR", "ENOTDIR", "ENOSPC", "EEXIST")) {
    return new UserError(`cannot write ${out} (${(err as NodeJS.ErrnoException).code})`, {
      code: "OUTPUT_NOT_WRITABLE",
      hint: "choose a writable file path",
    });
  }
  return err as Error;
}

/** The temporary file, created exclusively (never an existing file or link). */
async function openTemporary(tmp: string, out: string): Promise<ReturnType<typeof createWriteStream>> {
  try {
    const stream = createWriteStream(tmp, { flags: "wx", mode: 0o600 });
    await new Promise<void>((resolve, reject) => {
      stream.once("open", () => resolve());
      stream.once("error", reject);
    });
    return stream;
  } catch (err) {
    throw writeError(err, out);
  }
}

/**
 * Write `items` in order into the zip `out`; `produce` gives each item's bytes when the zip reaches it (an
 * error it throws ends the write). Entries are dated `mtime` with mode 0600.
 */
export async function writeZipFile<T extends ZipItem>(
  out: string,
  mtime: Date,
  items: readonly T[],
  produce: (item: T) => Promise<Buffer>,
): Promise<void> {
  const tmp = join(dirname(out), `.${basename(out)}.${process.pid}.partial`);
  const zip = new ZipFile();
  const file = await openTemporary(tmp, out);
  const output = zip.outputStream as PassThrough;
  const written = pipeline(output, file);
  // Awaited below; marked handled now so that a zip error reported first leaves no unhandled rejection.
  written.catch(() => undefined);
  const failed = new Promise<never>((_resolve, reject) => {
    zip.once("error", (err: Error) => {
      output.destroy(err);
      reject(err);
    });
  });
  failed.catch(() => undefined);

  for (const item of items) {
    zip.addReadStreamLazy(
      item.path,
      { mtime, mode: 0o100600, compress: item.compress },
      (cb: (err: unknown, stream: NodeJS.ReadableStream) => void) => {
        produce(item).then(
          (buf) => cb(null, Readable.from([buf], { objectMode: false })),
          (err: unknown) => cb(err, undefined as unknown as NodeJS.ReadableStream),
        );
      },
    );
  }
  zip.end();
  try {
    await Promise.race([written, failed]);
    await written;
    renameSync(tmp, out);
  } catch (err) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
    if (err instanceof UserError) throw err;
    throw writeError(err, out);
  }
}
