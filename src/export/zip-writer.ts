/**
 * Writing a zip without holding it in memory: yazl asks for each entry's bytes only when it reaches the entry,
 * so one entry at a time is in memory (and of a large stored one, one part at a time: bundle-content.ts). The zip goes to a file descriptor the caller opened: the app's partial
 * file (src/config/safe-files.ts), which takes its name only when the zip is complete.
 */
import { write } from "node:fs";
import { type PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { ZipFile } from "yazl";

export interface ZipItem {
  path: string;
  compress: boolean;
}

/**
 * A stream writing to `fd`, which it never closes (the caller owns it: an fs.WriteStream may close the descriptor
 * on an error even when told not to, and a number closed twice can by then be another file's).
 */
function fdSink(fd: number): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const from = (offset: number): void => {
        if (offset >= chunk.length) {
          done();
          return;
        }
        write(fd, chunk, offset, chunk.length - offset, null, (err, n) => (err ? done(err) : from(offset + n)));
      };
      from(0);
    },
  });
}

/**
 * Write `items` in order as a zip to the open file `fd` (left open); `produce` gives each item's bytes when the
 * zip reaches it, whole or as a stream read as the zip takes it (an error it throws, or its stream emits, ends
 * the write). Entries are dated `mtime` with mode 0600.
 */
export async function writeZipFile<T extends ZipItem>(
  fd: number,
  mtime: Date,
  items: readonly T[],
  produce: (item: T) => Promise<Buffer | Readable>,
): Promise<void> {
  const zip = new ZipFile();
  const file = fdSink(fd);
  const output = zip.outputStream as PassThrough;
  const written = pipeline(output, file);
  // Awaited below; marked handled now so that a zip error reported first leaves no unhandled rejection.
  written.catch(() => undefined);
  const failed = new Promise<never>((_resolve, reject) => {
    zip.on("error", (err: Error) => {
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
          (made) => {
            const stream = Buffer.isBuffer(made) ? Readable.from([made], { objectMode: false }) : made;
            // yazl pipes the stream without listening for its errors: an error while reading ends the zip.
            stream.once("error", (err: Error) => zip.emit("error", err));
            cb(null, stream);
          },
          (err: unknown) => cb(err, undefined as unknown as NodeJS.ReadableStream),
        );
      },
    );
  }
  zip.end();
  await Promise.race([written, failed]);
  await written;
}
